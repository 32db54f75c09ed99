"""The instructor's cycle on a fabricated class: release, submit, autograde, feedback, CSV, table.

Drives the real nbgrader through `coursekit.grade` (what `make grade`
runs, sandbox included) on the class of `make demo`: every bad submission gets a row and a
readable reason, the batch always finishes, the good students are graded as
if the bad ones were absent, and re-grading changes nothing.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import sqlite3

import nbformat
import pytest

from conftest import ROOT, selected_assignments
from coursekit import fabricate as fab
from coursekit.demo import CLASS, fabricate_class, make_course
from coursekit.feedback import docstring
from coursekit.grade import _gradebook, grade

TIMEOUT = 10
ASSIGNMENT = selected_assignments()[0]
PARTS = fab.parts(ROOT, ASSIGNMENT)
FIRST = PARTS[0]  # the demo's accidents happen in the first notebook; the others are handed in solved
SEVERAL = len(PARTS) > 1


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("roundtrip") / "course"
    make_course(root, only=ASSIGNMENT)
    fabricate_class(root, ASSIGNMENT)
    rows = grade(root, jobs=2, timeout=TIMEOUT, use_sandbox=True, quiet=True)
    return root, {r.student: r for r in rows}


def _page(root, student, part=FIRST) -> str:
    return (root / "feedback" / student / ASSIGNMENT / f"{part.src.stem}.html").read_text()


def _notebook_score(row, part=FIRST) -> tuple[float, float]:
    """(score, max score) of one notebook of the row's hand-in: what its feedback page shows."""
    cells = [c for c in row.record["cells"] if c["notebook"] == part.src.stem]
    return sum(c["score"] for c in cells), sum(c["max_score"] for c in cells)


def _outside_first(row) -> float:
    """Points the row earned in the notebooks after the first (where no demo accident happens)."""
    return sum(c["score"] for c in row.record["cells"] if c["notebook"] != FIRST.src.stem)


def _autograded(row):
    return sum(v[0] for g, v in row.cells.items() if g.startswith("test_")), sum(
        v[1] for g, v in row.cells.items() if g.startswith("test_")
    )


def test_every_student_has_a_row(demo):
    root, rows = demo
    assert set(rows) == set(CLASS)
    with open(root / "grades.csv") as f:
        csv_rows = list(csv.DictReader(f))
    assert sorted(r["student"] for r in csv_rows) == sorted(CLASS)
    for r in csv_rows:
        if r["status"] != "graded":
            assert r["reason"], f"{r['student']} has status {r['status']} but no reason"


def test_good_bad_and_partial_scores(demo):
    _, rows = demo
    got, possible = _autograded(rows["perfect"])
    assert got == possible > 0
    partial, _ = _autograded(rows["partial"])
    assert 0 < partial < possible, "partial work should score partially"
    assert _autograded(rows["untouched"])[0] == 0
    assert rows["syntax_error"].score < rows["perfect"].score
    assert "SyntaxError" in rows["syntax_error"].reason


def test_endless_loop_costs_one_timeout_and_keeps_the_rest(demo):
    root, rows = demo
    row = rows["endless_loop"]
    assert row.status == "graded"
    assert _autograded(row) == _autograded(rows["perfect"])
    assert "timed out" in row.reason
    nb = nbformat.read(root / "autograded" / "endless_loop" / ASSIGNMENT / FIRST.name, 4)
    timeouts = [
        c.id
        for c in nb.cells
        if any(o.get("output_type") == "error" and "Timeout" in o.get("ename", "") for o in c.get("outputs", []))
    ]
    assert len(timeouts) == 1, f"only the looping cell should time out, got {timeouts}"


def test_crash_and_corrupt_file_are_reported_not_fatal(demo):
    _, rows = demo
    assert rows["kernel_crash"].status == "crashed" and "kernel died in cell" in rows["kernel_crash"].reason
    broken = "graded" if SEVERAL else "failed"  # a broken first notebook leaves the others gradable
    assert rows["corrupt_file"].status == broken and "not a notebook: it ends after" in rows["corrupt_file"].reason
    assert rows["not_utf8"].status == broken and "not valid UTF-8 at byte 0" in rows["not_utf8"].reason
    assert rows["nothing_handed_in"].status == "missing"
    # nothing of the first notebook counts; the later notebooks keep exactly the points of the perfect student
    rest = _outside_first(rows["perfect"]) if SEVERAL else 0
    assert rows["corrupt_file"].score == rows["kernel_crash"].score == rest
    if SEVERAL:
        assert f"`{FIRST.name}` scores 0" in rows["corrupt_file"].reason


def test_deleted_test_cell_is_flagged_and_tampered_test_restored(demo):
    root, rows = demo
    deleted = rows["deleted_test"]
    first_test = fab.test_cell_ids(root / "release" / ASSIGNMENT / FIRST.name)[0]
    assert deleted.status == "flagged" and first_test in deleted.reason
    assert _autograded(rows["tampered_test"]) == _autograded(rows["partial"]), (
        "an edited test cell must be restored from the gradebook"
    )


def test_huge_print_is_truncated(demo):
    root, rows = demo
    assert _autograded(rows["huge_print"]) == _autograded(rows["perfect"])
    nb = root / "autograded" / "huge_print" / ASSIGNMENT / FIRST.name
    assert nb.stat().st_size < 2_000_000, f"autograded notebook is {nb.stat().st_size} bytes"


def test_feedback_written_for_graded_students(demo):
    root, _ = demo
    for s in ("perfect", "partial", "untouched", "endless_loop"):
        assert list((root / "feedback" / s / ASSIGNMENT).glob("*.html")), f"no feedback for {s}"


def test_feedback_shows_the_students_code_and_scores(demo):
    """The student's own code, escaped, uncoloured (see coursekit.feedback), and the scores."""
    root, rows = demo
    page = _page(root, "perfect")
    sub = nbformat.read(root / "submitted" / "perfect" / ASSIGNMENT / FIRST.name, as_version=4)
    answers = [c.source for c in sub.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
    assert answers
    for code in answers:
        for line in code.splitlines():
            assert html.escape(line, quote=False) in page, line
    assert '<span class="k">' not in page  # no Pygments token spans
    got, possible = _notebook_score(rows["perfect"])
    assert f"(Score: {got:.1f} / {possible:.1f})" in page


def test_others_graded_as_if_bad_ones_were_absent(demo, tmp_path):
    _, rows = demo
    root = tmp_path / "course"
    make_course(root, only=ASSIGNMENT)
    fabricate_class(root, ASSIGNMENT, students=("perfect", "partial"))
    alone = {r.student: r for r in grade(root, jobs=1, timeout=TIMEOUT, use_sandbox=True, quiet=True, feedback=False)}
    for s in ("perfect", "partial"):
        assert alone[s].cells == rows[s].cells


def test_regrading_is_idempotent(demo):
    root, rows = demo
    before = (root / "grades.csv").read_text()
    graded_at = {p: p.stat().st_mtime_ns for p in (root / "autograded").rglob("*.ipynb")}
    # unchanged hand-ins are not graded again
    again = {r.student: r for r in grade(root, jobs=2, timeout=TIMEOUT, use_sandbox=True, quiet=True, feedback=False)}
    assert (root / "grades.csv").read_text() == before
    assert {p: p.stat().st_mtime_ns for p in (root / "autograded").rglob("*.ipynb")} == graded_at
    # and grading everything again gives the same
    shutil.rmtree(root / "build" / "grade-records")
    again = {r.student: r for r in grade(root, jobs=2, timeout=TIMEOUT, use_sandbox=True, quiet=True)}
    assert (root / "grades.csv").read_text() == before
    assert {s: r.cells for s, r in again.items()} == {s: r.cells for s, r in rows.items()}
    assert {p: p.stat().st_mtime_ns for p in (root / "autograded").rglob("*.ipynb")} != graded_at
    with _gradebook(root) as gb:
        # nothing handed in, and the two files that are no notebook: no submission in the gradebook
        # (in an assignment of several notebooks, the two broken files leave the later notebooks to grade)
        assert len(gb.find_assignment(ASSIGNMENT).submissions) == len(CLASS) - (1 if SEVERAL else 3)
    con = sqlite3.connect(root / "gradebook.db")
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # workers write at once (grade.py)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()


_HIDDEN = re.compile(r"^\s*#+\s*BEGIN HIDDEN TESTS\s*$(.*?)^\s*#+\s*END HIDDEN TESTS\s*$", re.S | re.M)


def _hidden_lines(src) -> set[str]:
    """Lines of a source notebook's hidden-test blocks that appear nowhere else in it (12 characters or more)."""
    visible = {line.strip() for c in src.cells for line in _HIDDEN.sub("", c.source).split("\n")}
    secret = {
        line.strip()
        for c in src.cells
        for body in _HIDDEN.findall(c.source)
        for line in body.split("\n")
        if len(line.strip()) >= 12 and not line.strip().startswith("#") and line.strip() not in visible
    }
    assert secret, "no hidden-test line to look for: the scan would prove nothing"
    return secret


def test_feedback_of_every_assignment_shows_no_hidden_test_line(tmp_path):
    """Every assignment of source/, a solved and an untouched hand-in each: no feedback page holds a line of
    that assignment's hidden tests."""
    ids = selected_assignments()
    root = tmp_path / "course"
    make_course(root, only=ids)
    for a in ids:
        fabricate_class(root, a, students=("perfect", "untouched"))
    grade(root, jobs=2, timeout=TIMEOUT, use_sandbox=True, quiet=True)
    for a in ids:
        parts = fab.parts(ROOT, a)
        secret = set().union(*(_hidden_lines(nbformat.read(p.src, 4)) for p in parts))
        pages = sorted((root / "feedback").glob(f"*/{a}/*.html"))
        assert len(pages) == 2 * len(parts), f"{a}: expected the feedback of both students, found {pages}"
        for page in pages:
            text = html.unescape(page.read_text())
            shown = [line for line in secret if line in text]
            assert not shown, f"{page.relative_to(root)} shows {len(shown)} hidden-test line(s), e.g. {shown[0]!r}"


def test_feedback_shows_no_hidden_test_line(demo):
    """No line of a hidden-test block of source/ in any feedback file (as test_release.py checks release/),
    while each test cell's points, docstring and first failing message are there."""
    root, _ = demo
    srcs = {p: nbformat.read(p.src, 4) for p in PARTS}
    secret = set().union(*(_hidden_lines(src) for src in srcs.values()))
    pages = list((root / "feedback").rglob("*.html"))
    assert len(pages) >= len(CLASS) - 1
    for page in pages:
        text = html.unescape(page.read_text())
        for line in secret:
            assert line not in text, f"{page.relative_to(root)} shows a hidden-test line: {line!r}"
    for part, src in srcs.items():
        page = html.unescape(_page(root, "untouched", part))
        for c in src.cells:
            meta = c.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                assert docstring(c.source) and docstring(c.source).splitlines()[0] in page, meta["grade_id"]
        assert "NotImplementedError" in page


def test_failed_submissions_get_feedback_saying_why(demo):
    root, _ = demo
    page = sorted((root / "feedback" / "corrupt_file" / ASSIGNMENT).glob("*.html"))[0].read_text()
    assert "not a notebook" in page and "it ends after" in page


def test_feedback_says_what_waits_for_a_person(demo):
    root, rows = demo
    assert rows["perfect"].manual and rows["perfect"].record["manual_points"] > 0
    page = _page(root, "perfect")
    assert f"{rows['perfect'].record['manual_points']:g} point(s) to be graded by hand" in page
    crash = _page(root, "kernel_crash")
    assert "the kernel died in cell" in crash
    with open(root / "grades.csv") as f:
        by = {r["student"]: r for r in csv.DictReader(f)}
    assert by["perfect"]["needs_manual_grading"] == "yes" and by["deleted_test"]["needs_manual_grading"] == "yes"
    assert by["untouched"]["needs_manual_grading"] == "no"  # the reflection left as released scores 0 by itself


def test_points_given_by_hand_reach_grades_csv_without_grading_again(demo):
    """As in the formgrader: the reflections of `perfect` (one per notebook) get their points; make grade
    grades nothing again, and the row carries the points with its pending mark cleared."""
    root, rows = demo
    pending = [c for c in rows["perfect"].record["cells"] if c["outcome"] == "to grade by hand"]
    assert len(pending) == len(PARTS)  # one reflection per notebook
    graded_at = {p: p.stat().st_mtime_ns for p in (root / "autograded").rglob("*.ipynb")}
    given = 0.0
    with _gradebook(root) as gb:
        for c in pending:
            g = gb.find_grade(c["grade_id"], c["notebook"], ASSIGNMENT, "perfect")
            g.manual_score = g.max_score
            g.needs_manual_grade = False  # what the formgrader's API does with a score given by hand
            given += float(g.max_score)
        gb.db.commit()
    again = {r.student: r for r in grade(root, jobs=2, timeout=TIMEOUT, use_sandbox=True, quiet=True)}
    assert {p: p.stat().st_mtime_ns for p in (root / "autograded").rglob("*.ipynb")} == graded_at
    assert again["perfect"].score == rows["perfect"].score + given
    assert not again["perfect"].manual and "to be graded by hand" not in again["perfect"].reason
    with open(root / "grades.csv") as f:
        row = next(r for r in csv.DictReader(f) if r["student"] == "perfect")
    assert row["needs_manual_grading"] == "no" and float(row["score"]) == again["perfect"].score
    # and the student's feedback shows the new score (written again; nothing graded again)
    page = _page(root, "perfect")
    got, possible = _notebook_score(again["perfect"])
    assert f"(Score: {got:.1f} / {possible:.1f})" in page
    assert "point(s) to be graded by hand" not in page


def test_a_deleted_test_cell_can_be_scored_by_hand(demo):
    """`deleted_test` is flagged with 0 on the deleted cell; the instructor gives that cell its points in the
    formgrader (as the README says), and make grade carries them into the row and grades.csv."""
    root, _ = demo
    before = {r.student: r for r in grade(root, jobs=2, timeout=TIMEOUT, use_sandbox=True, quiet=True)}
    row = before["deleted_test"]
    assert row.status == "flagged"
    deleted = fab.test_cell_ids(root / "release" / ASSIGNMENT / FIRST.name)[0]
    assert deleted in row.reason
    with _gradebook(root) as gb:
        g = gb.find_grade(deleted, FIRST.src.stem, ASSIGNMENT, "deleted_test")
        assert float(g.score) == 0 and g.needs_manual_grade  # what nbgrader leaves for a person
        g.manual_score = g.max_score
        g.needs_manual_grade = False  # what the formgrader's API does with a score given by hand
        gb.db.commit()
        given = float(g.max_score)
    assert given > 0
    after = {r.student: r for r in grade(root, jobs=2, timeout=TIMEOUT, use_sandbox=True, quiet=True)}
    assert after["deleted_test"].score == row.score + given
    with open(root / "grades.csv") as f:
        csv_row = next(r for r in csv.DictReader(f) if r["student"] == "deleted_test")
    assert float(csv_row["score"]) == after["deleted_test"].score
