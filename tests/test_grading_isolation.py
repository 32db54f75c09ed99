"""Every submission graded on its own: a hostile class, seeded mixes, copy-paste first, injected faults.

Drives `coursekit.grade` (what `make grade` runs) with the real nbgrader and the sandbox, two
workers. Each good student's per-cell scores must equal those of grading that student alone,
whatever the others handed in and in whatever order the workers took them; each bad one gets
the status and reason of the README's "Grading a class".
"""

from __future__ import annotations

import csv
import random

import nbformat
import pytest

from conftest import ROOT, selected_assignments
from coursekit import __main__ as cli
from coursekit import fabricate as fab
from coursekit import grade as grading
from coursekit.demo import CLASS, fabricate_class, make_course
from coursekit.grading_config import autograde_preprocessors
from coursekit.sandbox import EXECUTE

ASSIGNMENT = selected_assignments()[0]
FIRST = fab.parts(ROOT, ASSIGNMENT)[0].name  # the demo's accidents happen in the first notebook
#: in an assignment of several notebooks, a broken first notebook leaves the others gradable
BROKEN = "graded" if len(fab.parts(ROOT, ASSIGNMENT)) > 1 else "failed"
TIMEOUT = 10
GOOD = ("perfect", "partial", "untouched")
#: bad or unlucky students: (status, words the reason must hold)
EXPECTED = {
    "syntax_error": ("graded", "SyntaxError"),
    "endless_loop": ("graded", "timed out after 10 s"),
    "kernel_crash": ("crashed", "the kernel died in cell"),
    "deleted_test": ("flagged", "was deleted"),
    "tampered_test": ("graded", "test cells edited by the student were restored"),
    "corrupt_file": (BROKEN, "it ends after"),
    "not_utf8": (BROKEN, "not valid UTF-8 at byte 0"),
    "huge_print": ("graded", ""),
    "nothing_handed_in": ("missing", "without a notebook"),
    "copied_test": ("graded", "the last copy was graded"),
    "copied_solution": ("graded", "the last copy was graded"),
    "retyped_cell": ("graded", "graded with their original type"),
    "renamed_file": ("graded", "handed in as `submission (1).ipynb`"),
    "two_notebooks": ("graded", "also handed in `Untitled.ipynb`: not graded"),
    "old_format": ("graded", ""),
    "stale_outputs": ("graded", ""),
    "reads_secrets": ("graded", ""),
    "writes_others": ("graded", ""),
}
#: accidents that must cost nothing: graded exactly as the perfect student
HARMLESS = (
    "huge_print",
    "copied_test",
    "copied_solution",
    "retyped_cell",
    "renamed_file",
    "two_notebooks",
    "old_format",
    "stale_outputs",
    "endless_loop",
    "reads_secrets",
    "writes_others",
)
#: the attacks of tests/test_sandbox.py that a class can hold: each prints "blocked", never these
BREACH = ("LEAK", "WROTE")


def _course(root, students: dict):
    """A course at ``root`` with submissions: {student id: CLASS entry}."""
    make_course(root, only=ASSIGNMENT)
    for sid, kind in students.items():
        fabricate_class(root, ASSIGNMENT, students=(kind,))
        (root / "submitted" / kind).rename(root / "submitted" / sid)
    return root


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """Per-cell scores of each good student (and the perfect one) graded alone."""
    out = {}
    for kind in GOOD:
        root = _course(tmp_path_factory.mktemp(f"alone-{kind}") / "course", {kind: kind})
        (row,) = grading.grade(root, jobs=1, timeout=TIMEOUT, use_sandbox=True, quiet=True, feedback=False)
        assert row.status == "graded", row.reason
        out[kind] = row.cells
    return out


def test_class_and_expectations_agree():
    assert set(EXPECTED) | set(GOOD) == set(CLASS)


@pytest.mark.parametrize("seed", [11, 23])
def test_hostile_class_in_seeded_order(seed, alone, tmp_path):
    rnd = random.Random(seed)
    kinds = list(CLASS) + list(GOOD) * 2
    rnd.shuffle(kinds)
    # the order of the student ids is the order the workers take them in
    students = {f"s{k:02d}_{kind}": kind for k, kind in enumerate(kinds)}
    root = _course(tmp_path / "course", students)
    rows = {r.student: r for r in grading.grade(root, jobs=2, timeout=TIMEOUT, use_sandbox=True, quiet=True)}
    assert set(rows) == set(students)
    for sid, kind in students.items():
        row = rows[sid]
        if kind in GOOD:
            assert row.status == "graded" and row.cells == alone[kind], f"{sid} graded differently in company"
        else:
            status, words = EXPECTED[kind]
            assert row.status == status, f"{sid}: {row.status}: {row.reason}"
            assert words in row.reason, f"{sid}: {row.reason!r} lacks {words!r}"
            assert "see the log" not in row.reason and not row.reason.startswith("nbgrader")
        if kind in HARMLESS:
            assert {g: v for g, v in row.cells.items() if g.startswith("test_")} == {
                g: v for g, v in alone["perfect"].items() if g.startswith("test_")
            }, f"{sid}: {row.reason}"
        if row.status not in ("missing",):
            assert list((root / "feedback" / sid / ASSIGNMENT).glob("*.html")), f"no feedback for {sid}"
        assert ".py, line" not in row.reason or "cell `" in row.reason  # no kernel temp file names
        if kind in ("reads_secrets", "writes_others"):
            nb = nbformat.read(root / "autograded" / sid / ASSIGNMENT / FIRST, 4)
            printed = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []))
            assert "blocked" in printed and not any(b in printed for b in BREACH), f"{sid}: {printed}"
    with open(root / "grades.csv") as f:
        assert sorted(r["student"] for r in csv.DictReader(f)) == sorted(students)
    import sqlite3

    con = sqlite3.connect(root / "gradebook.db")
    assert "pwned" not in {t for (t,) in con.execute("SELECT name FROM sqlite_master")}
    con.close()


def test_copy_paste_first_in_a_workers_share_loses_nobody(alone, tmp_path):
    """The case that made stock nbgrader exit mid-batch: the copier is the first submission taken."""
    students = {
        "a_copied_test": "copied_test",
        "b_copied_solution": "copied_solution",
        **{f"c{k}_{kind}": kind for k, kind in enumerate(GOOD * 2)},
    }
    root = _course(tmp_path / "course", students)
    rows = {
        r.student: r for r in grading.grade(root, jobs=2, timeout=TIMEOUT, use_sandbox=True, quiet=True, feedback=False)
    }
    for sid, kind in students.items():
        assert rows[sid].status == "graded", f"{sid}: {rows[sid].reason}"
        want = alone["perfect"] if kind.startswith("copied") else alone[kind]
        assert {g: v for g, v in rows[sid].cells.items() if g.startswith("test_")} == {
            g: v for g, v in want.items() if g.startswith("test_")
        }


def test_injected_internal_errors_are_reported_others_graded_exit_code_non_zero(alone, tmp_path, monkeypatch):
    students = {"a_victim": "perfect", "b_exits": "perfect", "c_fine": "perfect", "d_fine": "partial"}
    root = _course(tmp_path / "course", students)
    faults = {
        "Autograde": {"autograde_preprocessors": [*autograde_preprocessors(EXECUTE), "grading_faults.FailFor"]},
        "FailFor": {"raise_for": ["a_victim"], "exit_for": ["b_exits"]},
    }
    rows = {
        r.student: r
        for r in grading.grade(
            root, jobs=2, timeout=TIMEOUT, use_sandbox=True, quiet=True, feedback=False, config=faults
        )
    }
    assert rows["a_victim"].status == "error" and "RuntimeError: injected fault for a_victim" in rows["a_victim"].reason
    assert rows["b_exits"].status == "error" and "SystemExit" in rows["b_exits"].reason
    assert "not the student's doing" in rows["a_victim"].reason
    assert rows["c_fine"].cells == alone["perfect"] and rows["d_fine"].cells == alone["partial"]

    # the command: grades only what is missing (the two errors), and exits 1 while they fail
    real = grading.grade
    calls = []

    def with_faults(**kw):
        rows = real(root=root, config=faults, quiet=True, feedback=False, **kw)
        calls.append(rows)
        return rows

    monkeypatch.setattr(grading, "grade", with_faults)
    assert cli.main(["grade", "--jobs", "2", "--timeout", str(TIMEOUT)]) == 1
    assert [r.status for r in calls[0]] == ["error", "error", "graded", "graded"]
    monkeypatch.setattr(grading, "grade", lambda **kw: real(root=root, quiet=True, feedback=False, **kw))
    assert cli.main(["grade", "--jobs", "2", "--timeout", str(TIMEOUT)]) == 0


def test_grading_one_assignment_keeps_the_other_rows(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text(
        "student,assignment,score,max_score,status,needs_manual_grading,reason\n"
        "ann,02_x,3,4,graded,no,\nann,01_y,0,4,failed,no,old\n"
    )
    grading.write_csv([grading.Row("ann", "01_y", 4.0, 4.0)], path, keep_others=True)
    with open(path) as f:
        got = [(r["assignment"], r["score"], r["status"]) for r in csv.DictReader(f)]
    assert got == [("01_y", "4", "graded"), ("02_x", "3", "graded")]
