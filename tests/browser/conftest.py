"""Fixtures for the browser tests: one JupyterLab server and one headless Chromium per session.

Run with ``make test-browser`` (installs Debian's chromium and the playwright
package first). Screenshots go to build/browser/; the server, its kernels,
Chromium and Playwright's driver are stopped by PID at the end of the session,
whatever happened.
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from pathlib import Path

import labpage as lp
import pytest
from labpage import RESULTS
from labserver import CHROMIUM, REPO, chromium, copy_course, start_lab

BUILD = REPO / "build" / "browser"
VIEWPORT = {"width": 1280, "height": 900}


def _require_tools() -> None:
    missing = []
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the playwright package")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing.append(f"Chromium at {CHROMIUM}")
    if missing:
        pytest.fail(
            f"{' and '.join(missing)} not installed: run `make browser-deps` (or `make test-browser`)", pytrace=False
        )


@pytest.fixture(scope="session")
def build_dir() -> Path:
    BUILD.mkdir(parents=True, exist_ok=True)
    for old in BUILD.glob("FAILED-*.png"):  # left by an earlier run
        old.unlink()
    return BUILD


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab on a temporary copy of the course (127.0.0.1, random port, random token)."""
    _require_tools()
    work = tmp_path_factory.mktemp("lab")
    course = copy_course(REPO, work)
    t = time.monotonic()
    server = start_lab(course, work)
    RESULTS["setup_s"]["jupyter lab start"] = time.monotonic() - t
    yield server
    RESULTS["stopped"].append(server.stop())


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    _require_tools()
    with chromium(RESULTS["stopped"]) as b:
        yield b


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


@pytest.fixture(scope="session")
def app(browser, lab):
    """One JupyterLab page for the whole session (loading the app once saves ~10 s per notebook)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    pg = context.new_page()
    t = time.monotonic()
    lp.open_app(pg, lab.lab_url)
    RESULTS["setup_s"]["JupyterLab page load"] = time.monotonic() - t
    yield pg
    context.close()


@pytest.fixture
def page(app, lab, request, build_dir):
    """The JupyterLab page; afterwards every tab is closed and every kernel shut down.

    A failed test leaves a screenshot; if the page cannot be brought back, JupyterLab is reloaded.
    """
    yield app
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        name = request.node.name.replace("/", "_").replace("[", "-").rstrip("]")
        try:
            shot = build_dir / f"FAILED-{name}.png"
            app.screenshot(path=str(shot))
            print(f"\nscreenshot of the failure: {shot}")
        except Exception:
            pass
    try:
        lp.close_all(app)
    except Exception:
        lp.open_app(app, lab.lab_url)
    lab.shutdown_kernels()


def pytest_sessionfinish(session, exitstatus):
    if RESULTS["notebooks"] or RESULTS["keypress_ms"]:
        BUILD.mkdir(parents=True, exist_ok=True)
        (BUILD / "report.json").write_text(json.dumps(RESULTS, indent=1, default=str))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    tr = terminalreporter
    if not (RESULTS["notebooks"] or RESULTS["stopped"]):
        return
    tr.section("browser")
    for name, r in RESULTS["notebooks"].items():
        bits = [f"{r.get('pictures', 0)} picture(s)"]
        if r.get("moves"):
            bits.append(f"{sum(m['changed'] for m in r['moves'])}/{len(r['moves'])} controls changed their picture")
        if r.get("validate"):
            bits.append(f"Validate: {r['validate']}")
        if r.get("seconds"):
            bits.append(f"{sum(r['seconds'].values()):.0f} s")
        tr.write_line(f"{name}: " + ", ".join(bits))
        if r.get("screenshot"):
            tr.write_line(f"    screenshot: {r['screenshot']}")
        for k, size in enumerate(r.get("sizes", [])):
            scale = size["shown_width"] / max(size["width"], 1)
            if scale > 1.1:
                tr.write_line(
                    f"    picture {k}: its {size['width']}x{size['height']} PNG is shown "
                    f"{size['shown_width']}x{size['shown_height']} ({scale:.1f}x, blurred)"
                )
        for m in r.get("moves", []):
            if not m["changed"]:
                tr.write_line(
                    f"    NO CHANGE: picture {m['picture']} control '{m['control']}' ({m['kind']}, {m['action']})"
                )
            elif not m["image_changed"]:
                tr.write_line(
                    f"    readout only (image unchanged): picture {m['picture']} control "
                    f"'{m['control']}' ({m['kind']}, {m['action']})"
                )
    ks = RESULTS["keypress_ms"]
    if ks:
        tr.write_line(
            f"key press to new image (arrow key on a focused slider, keydown to the new PNG's load "
            f"event, {len(ks)} presses): median {statistics.median(ks):.0f} ms, "
            f"min {min(ks):.0f} ms, max {max(ks):.0f} ms"
        )
    if RESULTS["setup_s"]:
        tr.write_line("setup: " + ", ".join(f"{k} {v:.0f} s" for k, v in RESULTS["setup_s"].items()))
    for line in RESULTS["stopped"]:
        tr.write_line(line)
    tr.write_line(f"report: {BUILD / 'report.json'}")
