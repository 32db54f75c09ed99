"""The rows of a real class: roster students with nothing handed in, and students who submitted twice.

Drives `coursekit.grade` (what `make grade` and `make hub-collect` run) with the real nbgrader
on a fabricated class, and hub.inbound_counts on a fabricated exchange inbound folder (no hub).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import selected_assignments
from coursekit import __main__ as cli
from coursekit import fabricate as fab
from coursekit import grade as grading
from coursekit import hub
from coursekit.demo import fabricate_class, make_course
from coursekit.submission import RECORDS

ASSIGNMENT = selected_assignments()[0]
REPO = Path(__file__).resolve().parents[1]
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


def test_inbound_counts_read_nbgrader_exchange_names(tmp_path):
    inbound = tmp_path / "inbound"
    for name in (
        f"ann+{ASSIGNMENT}+2027-01-15 10:00:00.000000 UTC+a1b2c3",
        f"ann+{ASSIGNMENT}+2027-01-15 12:00:00.000000 UTC+d4e5f6",
        f"ann+{ASSIGNMENT}+2027-01-16 08:30:00.000000 UTC",  # no random suffix (older nbgrader)
        f"bob+{ASSIGNMENT}+2027-01-15 09:00:00.000000 UTC+0f0f0f",
        "ann+02_other+2027-01-15 10:00:00.000000 UTC+777777",
        f"cy+{ASSIGNMENT}+not a time+123456",
    ):
        (inbound / name).mkdir(parents=True)
    (inbound / f"dee+{ASSIGNMENT}+2027-01-15 10:00:00.000000 UTC+1").write_text("a file, not a submission")
    assert hub.inbound_counts(inbound, ASSIGNMENT) == {"ann": 3, "bob": 1}
    assert hub.inbound_counts(inbound, "02_other") == {"ann": 1}
    assert hub.inbound_counts(tmp_path / "no-such-folder", ASSIGNMENT) == {}


def test_a_student_who_submitted_twice_is_said_in_the_row(course):
    root, _ = course
    rows = grading.grade(
        root, jobs=1, use_sandbox=False, feedback=False, quiet=True, submissions={("perfect", ASSIGNMENT): 2}
    )
    (row,) = rows
    assert row.status == "graded" and row.reason.startswith("graded the later of 2 submissions")
    assert _csv(root)["perfect"]["reason"] == row.reason
    assert f"perfect/{ASSIGNMENT}: graded: graded the later of 2 submissions" in grading.table(rows, [ASSIGNMENT])
    (once,) = grading.grade(root, jobs=1, use_sandbox=False, feedback=False, quiet=True)
    assert "submissions" not in once.reason and once.cells == row.cells


def test_hub_collect_passes_the_exchange_counts_to_grading(tmp_path, monkeypatch):
    """make hub-collect's own steps, without a hub: nbgrader collect and the grading are stood in for."""
    import subprocess

    h = hub.Hub(hub_dir=tmp_path, env=tmp_path / "env")
    inbound = h.exchange / h.course_id / "inbound"
    for name in ("ann+A+2027-01-15 10:00:00.000000 UTC+1a", "ann+A+2027-01-15 11:00:00.000000 UTC+2b"):
        (inbound / name).mkdir(parents=True)
    (inbound / "bob+A+2027-01-15 10:00:00.000000 UTC+3c").mkdir()
    ran, graded = [], []
    monkeypatch.setattr(
        hub, "as_grader", lambda h, args, check=True: ran.append(args) or subprocess.CompletedProcess(args, 0, "", "")
    )
    monkeypatch.setattr(hub, "own", lambda h, folder: None)
    monkeypatch.setattr(grading, "grade", lambda **kw: graded.append(kw) or [])
    hub.collect(h, "A", log=lambda *a: None)
    assert ran == [["nbgrader", "collect", "A", "--course", h.course_id, "--update"]]
    assert graded[0]["submissions"] == {("ann", "A"): 2, ("bob", "A"): 1}
    assert graded[0]["root"] == h.course_dir and graded[0]["assignment"] == "A"
    # make hub-feedback grades again (hand-given points): the rows keep saying so
    hub.feedback(h, "A", log=lambda *a: None)
    assert ran[-1] == ["nbgrader", "release_feedback", "A", "--course", h.course_id]
    assert graded[1]["submissions"] == {("ann", "A"): 2, ("bob", "A"): 1}


def test_make_feedback_after_hand_grading(tmp_path):
    """make feedback: the hand-given points reach grades.csv, both LMS exports and the feedback; nothing is
    graded again. Without ROSTER= it is make grade alone (no export written)."""
    import os
    import subprocess

    from nbgrader.api import Gradebook

    root = tmp_path / "course"
    make_course(root, only=ASSIGNMENT)
    fabricate_class(root, ASSIGNMENT, students=("perfect",))
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    env = {k: v for k, v in os.environ.items() if k != "ROSTER"} | {"SHALLOWNET_COURSE_ROOT": str(root)}

    def make(*args):
        r = subprocess.run(
            ["make", "-s", "-C", str(REPO), "feedback", "SANDBOX=0", *args], env=env, capture_output=True, text=True
        )
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout

    assert "no LMS export" in make() and not (root / "canvas-grades.csv").exists()
    before = _csv(root)["perfect"]
    assert before["needs_manual_grading"] == "yes"
    graded_at = {p: p.stat().st_mtime_ns for p in (root / "autograded").rglob("*.ipynb")}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="shallownet") as gb:
        sub = gb.find_submission(ASSIGNMENT, "perfect")
        given = 0.0
        for g in (g for nb in sub.notebooks for g in nb.grades if g.needs_manual_grade):  # a reflection per notebook
            g.manual_score = g.max_score
            g.needs_manual_grade = False  # what the formgrader's API does with a score given by hand
            given += float(g.max_score)
        gb.db.commit()
    assert given > 0
    make(f"ROSTER={roster}")
    assert {p: p.stat().st_mtime_ns for p in (root / "autograded").rglob("*.ipynb")} == graded_at
    after = _csv(root)
    want = float(before["score"]) + given
    assert float(after["perfect"]["score"]) == want and after["perfect"]["needs_manual_grading"] == "no"
    assert after["absent"]["status"] == "missing"
    with open(root / "moodle-grades.csv", newline="") as f:
        assert {r["ID number"]: r[ASSIGNMENT] for r in csv.DictReader(f)} == {"1": f"{want:g}", "2": ""}
    with open(root / "canvas-grades.csv", newline="") as f:
        canvas = {r["SIS Login ID"]: r[ASSIGNMENT] for r in csv.DictReader(f)}
    assert canvas["perfect"] == f"{want:g}" and canvas["absent"] == ""
    for part in fab.parts(root, ASSIGNMENT):  # each notebook's page shows that notebook's score, now final
        record = json.loads((root / RECORDS / "perfect" / f"{ASSIGNMENT}.json").read_text())
        cells = [c for c in record["cells"] if c["notebook"] == part.src.stem]
        page = (root / "feedback" / "perfect" / ASSIGNMENT / f"{part.src.stem}.html").read_text()
        got, possible = sum(c["score"] for c in cells), sum(c["max_score"] for c in cells)
        assert f"(Score: {got:.1f} / {possible:.1f})" in page and "point(s) to be graded by hand" not in page
