"""The rows of a real class: roster students with nothing handed in.

Drives `coursekit.grade` (what `make grade` runs) with the real nbgrader
on a fabricated class.
"""

from __future__ import annotations

import csv

import pytest

from conftest import selected_assignments
from coursekit import __main__ as cli
from coursekit import grade as grading
from coursekit.demo import fabricate_class, make_course

ASSIGNMENT = selected_assignments()[0]
ROSTER = (
    "username,name,email,lms_id,role\n"
    "perfect,Per Fect,p@x,1,student\n"
    "absent,Ab Sent,a@x,2,student\n"
    "prof,Pro F,f@x,9,instructor\n"
)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("class") / "course"
    make_course(root, only=ASSIGNMENT)
    fabricate_class(root, ASSIGNMENT, students=("perfect",))
    roster = root.parent / "roster.csv"
    roster.write_text(ROSTER)
    return root, roster


def _csv(root):
    with open(root / "grades.csv", newline="") as f:
        return {r["student"]: r for r in csv.DictReader(f)}


def test_roster_students_with_nothing_handed_in_are_missing(course, monkeypatch):
    root, roster = course
    plain = grading.grade(root, jobs=1, use_sandbox=False, feedback=False, quiet=True)
    assert [r.student for r in plain] == ["perfect"] and set(_csv(root)) == {"perfect"}
    assert grading.summary(plain).endswith("0 not handed in; 0 late")

    rows = {
        r.student: r for r in grading.grade(root, jobs=1, use_sandbox=False, feedback=False, quiet=True, roster=roster)
    }
    assert set(rows) == {"perfect", "absent"}  # the instructor is not a student
    assert (rows["absent"].status, rows["absent"].reason, rows["absent"].score) == ("missing", "not handed in", 0.0)
    assert rows["absent"].max_score == rows["perfect"].max_score > 0
    assert (
        rows["perfect"].status == "graded" and rows["perfect"].cells == {r.student: r for r in plain}["perfect"].cells
    )
    got = _csv(root)
    assert (got["absent"]["status"], got["absent"]["reason"], got["absent"]["score"]) == (
        "missing",
        "not handed in",
        "0",
    )
    shown = grading.table(list(rows.values()), [ASSIGNMENT])
    assert next(line for line in shown.splitlines() if line.startswith("absent ")).split()[1:3] == [
        f"0/{rows['absent'].max_score:g}",
        "-",
    ]
    assert f"absent/{ASSIGNMENT}: missing: not handed in" in shown
    assert grading.summary(list(rows.values())).endswith("1 not handed in; 0 late")

    # the command line: --roster reaches grade(); a broken roster is refused before anything is graded
    seen = []
    real = grading.grade

    def spy(**kw):
        seen.append(kw["roster"])
        return real(root=root, quiet=True, feedback=False, **kw)

    monkeypatch.setattr(grading, "grade", spy)
    assert cli.main(["grade", "--no-sandbox", "--roster", str(roster)]) == 0
    assert seen == [str(roster)] and set(_csv(root)) == {"perfect", "absent"}
    bad = roster.parent / "bad.csv"
    bad.write_text("username,name,email,lms_id,role\nperfect,A,a@x,1,student\nperfect,B,b@x,2,student\n")
    before = (root / "grades.csv").read_text()
    assert cli.main(["grade", "--no-sandbox", "--roster", str(bad)]) == 2
    assert (root / "grades.csv").read_text() == before
