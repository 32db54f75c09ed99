"""Late work: the points-per-day plugin, and the real nbgrader with fabricated submission times."""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import pytest

from coursekit import exports, late

REPO = Path(__file__).resolve().parents[1]
A = "01_forward_pass"
NOTEBOOKS = sorted(p.stem for p in (REPO / "release" / A).glob("*.ipynb"))  # every notebook is handed in
DUE = "2027-01-15 23:59:00 UTC"


@pytest.mark.parametrize(
    "seconds,score,want",
    [
        (0, 20, 0),
        (-5, 20, 0),
        (1, 20, 1),
        (late.DAY, 20, 1),
        (late.DAY + 1, 20, 2),
        (36 * 3600, 20, 2),
        (10 * late.DAY, 20, 5),
        (3 * late.DAY, 2, 2),
    ],
)
def test_points_per_day_capped(seconds, score, want):
    plugin = late.PointsPerDayLate(points_per_day=1.0, max_penalty=5.0)
    assert plugin.late_submission_penalty("s", score, seconds) == want


@pytest.mark.slow
def test_late_submissions_through_nbgrader(tmp_path):
    """Three students hand in the answer key: on time, 36 hours late, 10 days late."""
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    from test_notebooks import solved_release

    root = tmp_path / "course"
    root.mkdir()
    for name in ("source", "release"):
        shutil.copytree(REPO / name, root / name)
    cfg = (
        (REPO / "nbgrader_config.py").read_text().replace("c.DueDates.due = {}", f'c.DueDates.due = {{"{A}": "{DUE}"}}')
    )
    assert cfg != (REPO / "nbgrader_config.py").read_text()
    (root / "nbgrader_config.py").write_text(cfg)
    stamps = {
        "ontime": "2027-01-15 23:00:00.000000 UTC",
        "late36h": "2027-01-17 11:59:00.000000 UTC",
        "late10d": "2027-01-25 23:59:00.000000 UTC",
    }
    for s, stamp in stamps.items():
        folder = root / "submitted" / s / A
        for nb in NOTEBOOKS:
            solved_release(
                root / "release" / A / f"{nb}.ipynb", root / "source" / A / f"{nb}.ipynb", folder / f"{nb}.ipynb"
            )
        (folder / "timestamp.txt").write_text(stamp)
    from coursekit.build import release
    from coursekit.grade import COLUMNS, grade, summary, table

    release(root, A, quiet=True)
    assert late.due_dates(root) == {A: late.parse_due(DUE)}
    # grade() itself writes the due dates into the gradebook before grading
    rows = grade(root=root, assignment=A, jobs=1, timeout=30, use_sandbox=False, feedback=False, quiet=True)
    assert late.penalties(root) == {("late36h", A): 2.0, ("late10d", A): 5.0}
    assert {r.student: r.late_penalty for r in rows} == {"ontime": 0.0, "late36h": 2.0, "late10d": 5.0}
    with open(root / "grades.csv", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == [*COLUMNS[:-1], "late_penalty"] and COLUMNS[-1] == "late_penalty"
        assert {r["student"]: r["late_penalty"] for r in reader} == {"ontime": "0", "late36h": "2", "late10d": "5"}
    shown = table(rows, [A])
    row = {r.student: r for r in rows}
    cell = {s: next(line for line in shown.splitlines() if line.startswith(s + " ")).split()[1:-1] for s in stamps}
    for s in stamps:
        assert cell[s][0] == f"{row[s].score:g}/{row[s].max_score:g}" + ("+" if row[s].manual else ""), shown
    assert cell["late36h"][1:] == cell["late10d"][1:] == ["L"] and cell["ontime"][1:] == [], shown
    assert "[late: 2 point(s) off]" in shown and "[late: 5 point(s) off]" in shown
    assert summary(rows).endswith("; 2 late"), summary(rows)

    roster = tmp_path / "roster.csv"
    roster.write_text(
        "username,name,email,lms_id,role\nontime,O T,o@x,1,student\nlate36h,L S,l@x,2,student\n"
        "late10d,L D,d@x,3,student\nprof,P,p@x,9,instructor\n"
    )
    with open(root / "grades.csv", newline="") as f:
        raw = {r["student"]: float(r["score"]) for r in csv.DictReader(f)}
    assert raw["ontime"] == raw["late36h"] == raw["late10d"] > 0
    _, moodle = exports.export(root, roster, out=tmp_path, log=lambda *a: None)
    with open(moodle, newline="") as f:
        got = {r["ID number"]: float(r[A]) for r in csv.DictReader(f)}
    assert got == {"1": raw["ontime"], "2": raw["late36h"] - 2, "3": raw["late10d"] - 5}
