"""An assignment of two notebooks (as 01, 03 and 05 are) is graded notebook by notebook.

A tiny two-notebook assignment, released and graded by the real pipeline (`coursekit.grade`):
each part handed in or missing, renamed by an LMS, broken, or joined by a stray notebook. A part
that is missing or unreadable scores 0 with a sentence saying so; the other part keeps its points;
nothing is flagged for a person that a person has nothing to do with.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import ROOT
from coursekit import fabricate as fab
from coursekit.build import release
from coursekit.grade import grade

A = "01_two"


def _meta(**kw):
    return {"nbgrader": {"schema_version": 3, "grade": False, "solution": False, "locked": False, **kw}}


def _part(fn: str, body: str, visible: str, hidden: str, points: int):
    nb = new_notebook(
        cells=[
            new_markdown_cell(f"Write `{fn}(x)`.", metadata=_meta(locked=True, grade_id=f"intro_{fn}")),
            new_code_cell(
                f"def {fn}(x):\n    ### BEGIN SOLUTION\n    return {body}\n    ### END SOLUTION",
                metadata=_meta(solution=True, grade_id=fn),
            ),
            new_code_cell(
                f"{visible}\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS",
                metadata=_meta(grade=True, locked=True, grade_id=f"test_{fn}", points=points),
            ),
        ]
    )
    for c in nb.cells:
        c.id = c.metadata["nbgrader"]["grade_id"]  # the course's rule: a graded cell's id is its grade id
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("two-notebooks") / "course"
    (root / "source" / A).mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copy(ROOT / "source" / "header.ipynb", root / "source")
    nbformat.write(
        _part("square", "x * x", "assert square(3) == 9", "assert square(-2) == 4", 2),
        root / "source" / A / "part1_square.ipynb",
    )
    nbformat.write(
        _part("cube", "x ** 3", "assert cube(2) == 8", "assert cube(-3) == -27", 3),
        root / "source" / A / "part2_cube.ipynb",
    )
    release(root, quiet=True)
    p1, p2 = fab.parts(root, A)
    solved = fab.solved(root, A)
    one, two = solved[p1.name], solved[p2.name]
    cut = nbformat.writes(one)[:200]
    hand_ins = {
        "both": {p1.name: one, p2.name: two},
        "only_part2": {p2.name: two},
        "renamed_both": {"submission (2).ipynb": one, "submission (1).ipynb": two},  # an LMS's names, crossed
        "renamed_one": {p1.name: one, "part2 (1).ipynb": two},
        "stray": {p1.name: one, p2.name: two, "Untitled.ipynb": new_notebook()},
        "part1_broken": {p1.name: cut, p2.name: two},
        "both_broken": {p1.name: cut, p2.name: "{ not json"},
    }
    for student, files in hand_ins.items():
        folder = fab.write_all(root, student, A, {k: v for k, v in files.items() if not isinstance(v, str)})
        for name, text in files.items():
            if isinstance(text, str):
                (folder / name).write_text(text)
    rows = {r.student: r for r in grade(root, jobs=2, timeout=30, use_sandbox=False, quiet=True)}
    return root, rows


def test_both_parts_score_full_marks(course):
    _, rows = course
    row = rows["both"]
    assert row.status == "graded" and row.score == row.max_score == 5, row.reason
    assert row.reason == ""


def test_a_missing_part_scores_zero_and_is_not_flagged(course):
    root, rows = course
    row = rows["only_part2"]
    assert row.status == "graded" and not row.manual, row.reason
    assert row.cells["test_square"] == (0.0, 2.0) and row.cells["test_cube"] == (3.0, 3.0)
    assert "`part1_square.ipynb` was not handed in: its cells score 0" in row.reason
    assert (root / "feedback" / "only_part2" / A / "part2_cube.html").exists()


def test_renamed_parts_are_matched_by_their_cells(course):
    _, rows = course
    row = rows["renamed_both"]
    assert row.score == 5, row.reason
    assert "handed in as `submission (2).ipynb`, graded as `part1_square.ipynb`" in row.reason
    assert "handed in as `submission (1).ipynb`, graded as `part2_cube.ipynb`" in row.reason
    row = rows["renamed_one"]
    assert row.score == 5 and "handed in as `part2 (1).ipynb`, graded as `part2_cube.ipynb`" in row.reason
    assert "not graded" not in row.reason


def test_a_stray_notebook_is_named_and_left_out(course):
    _, rows = course
    row = rows["stray"]
    assert row.score == 5 and row.reason == "also handed in `Untitled.ipynb`: not graded", row.reason


def test_a_broken_part_scores_zero_and_the_other_keeps_its_points(course):
    root, rows = course
    row = rows["part1_broken"]
    assert row.status == "graded" and row.cells["test_cube"] == (3.0, 3.0), row.reason
    assert row.cells["test_square"] == (0.0, 2.0)
    cut = len(nbformat.writes(fab.solved(root, A)["part1_square.ipynb"])[:200].encode())
    assert f"`part1_square.ipynb` is not a notebook: it ends after {cut} bytes in the middle of cell 1" in row.reason
    assert "`part1_square.ipynb` scores 0" in row.reason
    page = (root / "feedback" / "part1_broken" / A / "part2_cube.html").read_text()
    assert "scores 0" in page  # the banner tells the student too


def test_nothing_readable_is_not_gradable(course):
    _, rows = course
    row = rows["both_broken"]
    assert row.status == "failed" and row.score == 0
    for name in ("part1_square", "part2_cube"):
        assert f"`{name}.ipynb` is not a notebook" in row.reason


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's, in this process as in a worker
def test_a_kernel_that_does_not_start_is_retried_and_the_hand_in_graded(course, monkeypatch):
    """The first kernel of the second notebook dies before replying (as under heavy load): the retry grades
    the whole hand-in again in the same worker, into the folder the failed attempt removed."""
    import json

    from coursekit import sandbox_execute
    from coursekit.grade import QUICK_EXECUTE
    from coursekit.grading_config import grading_config
    from coursekit.submission import Task, grade_submission

    root, _ = course
    fab.write_all(root, "unlucky", A, fab.solved(root, A))
    real = sandbox_execute.ReadyClient.wait_for_ready
    starts = []

    async def flaky(self, *args, **kwargs):
        starts.append(1)
        if len(starts) == 2:  # the kernel of part 2, first attempt: what a kernel killed at start-up says
            raise RuntimeError("Kernel died before replying to kernel_info")
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(sandbox_execute.ReadyClient, "wait_for_ready", flaky)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="shallownet") as gb:
        gb.update_or_create_student("unlucky")
    cfg = json.loads(json.dumps(grading_config(QUICK_EXECUTE, timeout=30), default=str))
    rec = grade_submission(Task(str(root), "unlucky", A, cfg, feedback=False))
    assert len(starts) == 4, (starts, rec["status"], rec["reason"])  # part 1, part 2 (dies), both again
    assert rec["status"] == "graded" and rec["score"] == 5, rec["reason"]
    assert (root / "autograded" / "unlucky" / A / "part2_cube.ipynb").exists()
