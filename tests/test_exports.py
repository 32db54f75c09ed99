"""make export: the Canvas and Moodle grade-import files, read back with a CSV parser."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from coursekit import exports

REPO = Path(__file__).resolve().parents[1]

ROSTER = """username,name,email,lms_id,role
ada,Ada Lovelace,ada@example.org,1001,student
alan,Alan Turing,alan@example.org,1002,student
emmy,"Noether, Emmy",emmy@example.org,1003,student
prof,Grace Hopper,grace@example.org,9001,instructor
"""
GRADES = [
    # student, assignment, score, max, status
    ("ada", "01_forward_pass", "30", "32", "graded"),
    ("alan", "01_forward_pass", "0", "32", "graded"),
    ("ada", "02_worked_example", "12.5", "20", "graded"),
    ("alan", "02_worked_example", "0", "0", "missing"),
]


def course(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "course"
    (root / "source").mkdir(parents=True)
    for a in ("01_forward_pass", "02_worked_example"):
        (root / "source" / a).mkdir()
        (root / "source" / a / "x.ipynb").write_text("{}")
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "nbgrader_config.py").write_text(
        (root / "nbgrader_config.py").read_text() + '\nc.CourseExport.canvas_ids = {"01_forward_pass": "4711"}\n'
    )
    with open(root / "grades.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "assignment", "score", "max_score", "status", "needs_manual_grading", "reason"])
        for s, a, score, mx, status in GRADES:
            w.writerow([s, a, score, mx, status, "no", ""])
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    return root, roster


def read(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f, strict=True))


def test_canvas_file(tmp_path):
    root, roster = course(tmp_path)
    canvas, _ = exports.export(root, roster, out=tmp_path, log=lambda *a: None)
    rows = read(canvas)
    assert rows[0] == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "01_forward_pass (4711)",
        "02_worked_example",
    ]
    assert rows[1] == ["    Points Possible", "", "", "", "", "32", "20"]
    by_sis = {r[2]: r for r in rows[2:]}
    assert set(by_sis) == {"1001", "1002", "1003"}, "every roster student once, no instructor"
    assert by_sis["1001"][0] == "Lovelace, Ada" and by_sis["1001"][3] == "ada"
    assert by_sis["1001"][5:] == ["30", "12.5"]
    assert by_sis["1002"][5:] == ["0", ""], "a missing hand-in is left empty, a zero stays a zero"
    assert by_sis["1003"][5:] == ["", ""], "a student with no row in grades.csv is missing everywhere"
    assert all(len(r) == len(rows[0]) for r in rows)


def test_moodle_file(tmp_path):
    root, roster = course(tmp_path)
    _, moodle = exports.export(root, roster, out=tmp_path, log=lambda *a: None)
    rows = read(moodle)
    assert rows[0] == ["ID number", "Email address", "01_forward_pass", "02_worked_example"]
    assert {r[0]: r[2:] for r in rows[1:]} == {"1001": ["30", "12.5"], "1002": ["0", ""], "1003": ["", ""]}


def test_students_not_on_the_roster_are_named(tmp_path):
    root, roster = course(tmp_path)
    with open(root / "grades.csv", "a", newline="") as f:
        csv.writer(f).writerow(["mallory", "01_forward_pass", "32", "32", "graded", "no", ""])
    said = []
    exports.export(root, roster, out=tmp_path, log=said.append)
    assert any("mallory" in s and "not on the roster" in s for s in said), said
    assert "mallory" not in (tmp_path / "canvas-grades.csv").read_text()
