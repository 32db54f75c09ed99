"""Fixtures for make test-hub: a fresh course hub in build/hub-test and one headless Chromium.

The hub (jupyterhub 6.1.1, configurable-http-proxy, PAM, LocalProcessSpawner) runs as root on
127.0.0.1 with free ports; its users come from tests/hub/roster.csv (plus one guest who may log
in but is on no roster). Whatever happens, at the end the hub and every process under it are
stopped by PID, the accounts, the exchange and the course folder are removed, and the test
checks that none is left. The hub's Python environment and proxy (build/hub/env, build/hub/proxy)
are kept, like .venv: they are rebuilt only when their pins change.
"""

from __future__ import annotations

import os
import pwd
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from labserver import chromium, free_port  # noqa: E402

from coursekit import hub as H  # noqa: E402
from coursekit import roster  # noqa: E402

#: Where the test's hub and the shared hub environment live: the repository's build/ unless the
#: repository sits under a folder other users cannot enter (make test-hub HUB_BASE=/srv/...).
BASE = Path(os.environ.get("SHALLOWNET_HUB_BASE") or REPO / "build")
HUB_DIR = BASE / "hub-test"
SHOTS = REPO / "build" / "hub-browser"
ROSTER = Path(__file__).with_name("roster.csv")
GRADER, GUEST = "snt-grader", "snt-guest"
REPORT: list[str] = []


def _accounts(names) -> list[str]:
    left = []
    for n in names:
        try:
            pwd.getpwnam(n)
            left.append(n)
        except KeyError:
            pass
    return left


@pytest.fixture(scope="session")
def hub():
    if os.geteuid() != 0:
        pytest.fail("make test-hub creates Unix users and runs the hub: run it as root", pytrace=False)
    if (HUB_DIR / "hub.json").exists():  # left by an interrupted run
        H.teardown(H.Hub.load(HUB_DIR), log=REPORT.append)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in [*SHOTS.glob("*.png"), *SHOTS.glob("*.log")]:
        old.unlink()
    h = H.Hub(
        HUB_DIR,
        BASE / "hub" / "env",
        port=free_port(),
        hub_port=free_port(),
        proxy_api_port=free_port(),
        service_port=free_port(),
        grader=GRADER,
        guests=[GUEST],
        proxy_dir=str(BASE / "hub" / "proxy"),
    )
    names = [m.username for m in roster.read(ROSTER)] + [GRADER, GUEST]
    proc = None
    try:
        H.users(h, ROSTER, log=REPORT.append)
        roster.ensure_accounts([(GUEST, "student of another course")], h.home_base, h.passwords)
        H.prepare(h, REPO, log=REPORT.append)
        proc = H.start(h, log_path=SHOTS / "jupyterhub.log")  # kept: the course service logs there too
        h.proc = proc
        h.pw = roster.read_passwords(h.passwords)
        yield h
    finally:
        if proc is not None:
            REPORT.append(H.stop(proc))
        H.teardown(h, log=REPORT.append)
        left = _accounts(names)
        assert not left, f"accounts left behind: {left}"
        assert not h.exchange.exists() and not h.course_dir.exists(), "exchange or course folder left behind"


@pytest.fixture(scope="session")
def browser(hub):
    with chromium(REPORT) as b:
        yield b


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if REPORT:
        terminalreporter.section("hub")
        for line in REPORT:
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"screenshots: {SHOTS}")
