"""Every grader is graded: real nbgrader autograde on fabricated submissions of every assignment.

For each assignment: the solution scores full autograded marks, the untouched
release scores 0 on every autograded cell, and wrong answers from
tests/catalogue/ lose points on the test cells of the exercise they replace.
All submissions are graded in one batch, as `make grade` would.

Each nbgrader run of a notebook costs a kernel start, so `make test` grades
the core of the catalogue (per exercise: `uses_library` and the first two
other entries) and `make test-graders` (run by CI after `make test`) grades
every entry (SHALLOWNET_FULL_CATALOGUE=1). A wrong-answer submission is cut
after the last test cell of the exercise it targets: later cells cannot change
that exercise's points, and nbgrader grades the cells present.
"""

from __future__ import annotations

import os

import nbformat
import pytest

from conftest import ROOT, catalogues, selected_assignments
from coursekit import fabricate as fab
from coursekit import skip_demos
from coursekit.demo import make_course
from coursekit.grade import grade

CATALOGUES = catalogues()
ASSIGNMENTS = selected_assignments()
FULL = os.environ.get("SHALLOWNET_FULL_CATALOGUE") == "1"


def core(wrongs: dict) -> list[str]:
    """The entries graded by make test: 'uses_library' and the first two others (all with the full run)."""
    if FULL:
        return list(wrongs)
    others = [n for n in wrongs if n != "uses_library"]
    return [n for n in ["uses_library", *others[:2]] if n in wrongs]


ENTRIES = [
    (a, cell, name) for a in ASSIGNMENTS for cell, wrongs in CATALOGUES.get(a, {}).items() for name in core(wrongs)
]


def _student(k: int) -> str:
    return f"s{k:03d}"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade perfect, untouched and every catalogue entry, all assignments, one batch. Returns lookups."""
    root = tmp_path_factory.mktemp("catalogue") / "course"
    make_course(root, only=ASSIGNMENTS)
    who = {}
    k = 0
    for a in ASSIGNMENTS:
        parts = fab.parts(root, a)
        plan = [("perfect", fab.solved(root, a)), ("untouched", {p.name: fab.submission(p.rel) for p in parts})]
        for cell, wrongs in CATALOGUES.get(a, {}).items():
            part = fab.part_of(root, a, cell)
            ans = fab.answers(part.src)
            own = [t for t in fab.test_cell_ids(part.rel) if t == f"test_{cell}" or t.startswith(f"test_{cell}_")]
            for name in core(wrongs):
                nb = fab.submission(part.rel, fill={**ans, cell: wrongs[name]})
                # only the notebook of the exercise is handed in: the others score 0 as not handed in
                plan.append(((cell, name), {part.name: fab.truncate_after(nb, own) if own else nb}))
        for label, files in plan:
            s = _student(k)
            k += 1
            fab.write_all(root, s, a, files)
            who[(a, label)] = s
    rows = grade(root, jobs=2, timeout=30, use_sandbox=False, feedback=False, quiet=True)
    by = {(r.student, r.assignment): r for r in rows}
    return {key: by[(s, key[0])] for key, s in who.items()}, root


def _autograded_cells(row):
    return {g: v for g, v in row.cells.items() if g.startswith("test_")}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_catalogue_exists_for_every_exercise(assignment):
    """Every solution cell has at least three wrong answers, one of them calling the library."""
    wrong = CATALOGUES.get(assignment, {})
    cells = [c for part in fab.parts(ROOT, assignment) for c in fab.solution_ids(part.src)]
    assert len(cells) == len(set(cells)), f"{assignment}: a grade id is used in two of its notebooks"
    for cell in cells:
        assert len(wrong.get(cell, {})) >= 3, f"{assignment}: exercise {cell} has fewer than 3 wrong answers"
        assert "uses_library" in wrong[cell], f"{assignment}: exercise {cell} has no 'uses_library' wrong answer"
    assert set(wrong) <= set(cells), f"{assignment}: catalogue names unknown cells"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_scores_full_marks(graded, assignment):
    rows, _ = graded
    row = rows[(assignment, "perfect")]
    cells = _autograded_cells(row)
    assert row.status == "graded", row.reason
    lost = {g: v for g, v in cells.items() if v[0] != v[1]}
    assert not lost, f"the solution loses points on {lost}: {row.failed_cells}"
    assert sum(v[1] for v in cells.values()) >= 12, "fewer than 12 autograded points"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_demonstrations_tagged_skip_when_grading_were_not_run(graded, assignment):
    """The full marks above were earned with the tagged demonstrations commented out (skip_demos.py)."""
    rows, root = graded
    row = rows[(assignment, "perfect")]
    for part in fab.parts(ROOT, assignment):
        tagged = skip_demos.tagged_cells(ROOT).get(f"{assignment}/{part.src.stem}", {})
        nb = nbformat.read(root / "autograded" / row.student / assignment / part.name, as_version=4)
        for c in nb.cells:
            if c.get("id") in tagged:
                assert c.source.startswith(skip_demos.NOTE) and not c.get("outputs"), c.id
            elif c.cell_type == "code" and c.get("id"):
                assert not c.source.startswith(skip_demos.NOTE), c.id


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_scores_zero(graded, assignment):
    rows, _ = graded
    row = rows[(assignment, "untouched")]
    cells = _autograded_cells(row)
    earned = {g: v for g, v in cells.items() if v[0] != 0}
    assert not earned, f"the untouched release earns points on {earned}"


@pytest.mark.parametrize("assignment,cell,name", ENTRIES, ids=[f"{a}-{c}-{n}" for a, c, n in ENTRIES])
def test_wrong_answer_loses_points(graded, assignment, cell, name):
    rows, _ = graded
    row = rows[(assignment, (cell, name))]
    own = {g: v for g, v in _autograded_cells(row).items() if g == f"test_{cell}" or g.startswith(f"test_{cell}_")}
    assert own, f"no test cell named test_{cell}* in {assignment}"
    got, possible = sum(v[0] for v in own.values()), sum(v[1] for v in own.values())
    assert got < possible, f"wrong answer {name!r} for {cell} still scores {got}/{possible} on {sorted(own)}"
