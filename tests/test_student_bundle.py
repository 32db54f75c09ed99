"""What students receive holds no solution line and no hidden-test line.

The student bundle (make student-bundle) is built here; the hub's student environment
(build/hub/env, made by make hub / make test-hub) is scanned when it exists, and its pins are
checked against requirements.txt and the hub's requirement file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit import bundle
from coursekit.hub import FILES

REPO = Path(__file__).resolve().parents[1]
HUB_ENV = Path(os.environ.get("SHALLOWNET_HUB_BASE") or REPO / "build") / "hub" / "env"
MARK = re.compile(r"^\s*###\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")


def library_lines() -> set[str]:
    """Every line of the course library: the reference implementation, readable by students by design."""
    return {line.strip() for f in (REPO / "lib" / "shallownet").rglob("*.py") for line in f.read_text().split("\n")}


def secret_lines() -> dict[str, set[str]]:
    """Every line between solution or hidden-test markers in source/, stripped, longer than 12 characters
    (shorter ones, such as ``return z``, also occur in prose), less the lines the library itself holds
    (it is the reference implementation students may read: ``return 1.0 - t * t`` is no secret) and less
    the lines the notebooks show outside the markers (a visible check may share a line with a hidden one)."""
    out = {"SOLUTION": set(), "HIDDEN TESTS": set()}
    visible = set()
    for nb in sorted((REPO / "source").glob("*/*.ipynb")):
        for c in json.loads(nb.read_text())["cells"]:
            inside = None
            for line in "".join(c["source"]).split("\n"):
                m = MARK.match(line)
                if m:
                    inside = m.group(2) if m.group(1) == "BEGIN" else None
                elif inside and len(line.strip()) > 12:
                    out[inside].add(line.strip())
                elif not inside:
                    visible.add(line.strip())
    public = library_lines() | visible
    return {k: v - public for k, v in out.items()}


def leaks(folder: Path, secrets: dict[str, set[str]]) -> list[str]:
    found = []
    for f in sorted(folder.rglob("*")):
        if not f.is_file() or f.suffix not in (".py", ".ipynb", ".md", ".txt", ".json", ".toml", ".html"):
            continue
        text = f.read_text(errors="replace")
        if f.suffix == ".ipynb":
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
        lines = {line.strip() for line in text.split("\n")}
        for kind, secret in secrets.items():
            for s in sorted(secret & lines):
                found.append(f"{f.relative_to(folder)}: {kind} line {s!r}")
    return found


@pytest.fixture(scope="module")
def secrets():
    s = secret_lines()
    assert len(s["SOLUTION"]) > 50 and len(s["HIDDEN TESTS"]) > 50, "the scan found too few secret lines to mean much"
    return s


def test_scan_finds_a_planted_solution_line(tmp_path, secrets):
    """The scan itself works: a solution line copied into a file is reported."""
    line = sorted(secrets["SOLUTION"])[0]
    (tmp_path / "x.py").write_text(f"# ok\n    {line}\n")
    assert leaks(tmp_path, secrets) == [f"x.py: SOLUTION line {line!r}"]


def test_student_bundle_holds_no_secret(tmp_path, secrets):
    dest = bundle.build(tmp_path / "bundle", REPO)
    assert sorted(p.name for p in dest.iterdir()) == sorted(
        ["README.md", bundle.PACKAGE, "release", "requirements.txt"]
    )
    assert not (dest / bundle.PACKAGE / "coursekit").exists()
    assert sorted(p.name for p in (dest / "release").iterdir() if p.is_dir()) == sorted(
        p.name for p in (REPO / "source").iterdir() if p.is_dir() and p.name[:2].isdigit()
    )
    assert leaks(dest, secrets) == []


def test_student_package_installs(tmp_path):
    """pip builds a wheel of the bundle's package holding shallownet only."""
    pkg = bundle.student_package(tmp_path / "pkg", REPO)
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "wheels"), str(pkg)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    import zipfile

    (wheel,) = (tmp_path / "wheels").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "shallownet/widgets/forward.py" in names
    assert not any(n.startswith("coursekit") for n in names)


def _pins(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            out[re.sub(r"[-_.]+", "-", name).lower()] = version
    return out


def test_hub_environment_matches_the_pins_and_holds_no_secret(secrets):
    """make test-hub runs this after building the hub (SHALLOWNET_REQUIRE_HUB_ENV=1: no skipping there)."""
    if not HUB_ENV.is_dir():
        if os.environ.get("SHALLOWNET_REQUIRE_HUB_ENV"):
            pytest.fail(f"no hub environment in {HUB_ENV}")
        pytest.skip("no hub environment built here (make hub or make test-hub builds it and runs this test)")
    r = subprocess.run(
        [str(HUB_ENV / "bin" / "python"), "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    )
    have = {re.sub(r"[-_.]+", "-", p["name"]).lower(): p["version"] for p in json.loads(r.stdout)}
    want = {**_pins(REPO / "requirements.txt"), **_pins(FILES / "requirements-hub.txt")}
    wrong = {k: (v, have.get(k)) for k, v in want.items() if have.get(k) != v}
    assert not wrong, f"hub environment differs from the pins (wanted, installed): {wrong}"
    assert "coursekit" not in {p.name for p in (HUB_ENV / "lib").glob("python3*/site-packages/*")}
    site = next((HUB_ENV / "lib").glob("python3*/site-packages"))
    assert leaks(site / "shallownet", secrets) == []
