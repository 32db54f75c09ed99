"""Fair checks: every wrong answer of tests/catalogue/ fails a VISIBLE check of its exercise.

tests/test_catalogue.py proves with nbgrader that every catalogue entry loses
hidden points. This test proves the student could have known: the release
notebook (the visible checks only, hidden tests stripped) is run with the wrong
answer, and at least one test cell of that exercise (test_<grade_id>*) or the
solution cell itself must raise. Entries named ``hardcoded_*`` (an answer that
hard-codes the visible example) are the only ones allowed to pass visibly.

One kernel per notebook (nbclient), every entry of the catalogue: the solution
notebook runs once, then for every entry the cells from the exercise's solution
cell to its last test cell run with the wrong answer, followed by the same
cells with the right answer (a control that must pass: it shows the state was
restored, and that a wrong answer cannot poison the session, as a mutated
library constant once did). About 40 s for the five notebooks on 2 cores.
"""

from __future__ import annotations

import copy

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT, catalogues, selected_assignments
from coursekit import fabricate as fab
from coursekit import skip_demos

CATALOGUES = catalogues()
ASSIGNMENTS = selected_assignments()


def exempt(name: str) -> bool:
    """Entries that hard-code the visible example pass the visible checks by construction."""
    return name.startswith("hardcoded")


def _segment(nb, cell_id: str) -> list[int]:
    """Indices of the code cells from the solution cell ``cell_id`` to the last of its test cells."""
    ids = [c.get("id") for c in nb.cells]
    start = ids.index(cell_id)
    tests = [i for i, c in enumerate(ids) if c == f"test_{cell_id}" or (c or "").startswith(f"test_{cell_id}_")]
    assert tests, f"no test cell for {cell_id}"
    return [i for i in range(start, max(tests) + 1) if nb.cells[i].cell_type == "code"]


def _role(cell, cell_id: str) -> str:
    cid = cell.get("id") or ""
    if cid == cell_id:
        return "solution"
    if cid == f"test_{cell_id}" or cid.startswith(f"test_{cell_id}_"):
        return "test"
    return "other"


def _error(cell) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {out.get('evalue')}"
    return None


def run_variants(assignment: str, catalogue: dict | None = None):
    """Run each release notebook of ``assignment`` with each catalogue entry (not hard-coding) of its
    exercises, one kernel per notebook.

    Returns {(cell, name): {cell id: error or None}} for the solution and test cells of each
    entry's block, and the same for the control block that follows each entry (name + '/control'),
    and {cell id: error} for the setup cells (the solved notebook) that failed.
    """
    wrongs_by_cell = CATALOGUES.get(assignment, {}) if catalogue is None else catalogue
    results: dict = {}
    setup_errors: dict = {}
    for part in fab.parts(ROOT, assignment):
        ids = set(fab.solution_ids(part.src))
        mine = {cell: wrongs for cell, wrongs in wrongs_by_cell.items() if cell in ids}
        if mine:
            r, e = _run_part(assignment, part, mine)
            results.update(r)
            setup_errors.update(e)
    return results, setup_errors


def _run_part(assignment: str, part, wrongs_by_cell: dict):
    ans = fab.answers(part.src)
    base = fab.submission(part.rel, fill=ans)
    tagged = set(skip_demos.tagged_cells(ROOT).get(f"{assignment}/{part.src.stem}", {}))
    base.cells = [c for c in base.cells if c.get("id") not in tagged]
    run = nbformat.v4.new_notebook(metadata=base.metadata)
    run.cells = [copy.deepcopy(c) for c in base.cells if c.cell_type == "code"]
    for c in run.cells:
        c.metadata["visible_check"] = {"block": "perfect", "role": "setup"}
    for cell_id, wrongs in wrongs_by_cell.items():
        names = [n for n in wrongs if not exempt(n)]
        seg = _segment(base, cell_id)
        for name in names:
            for block, source in [(name, wrongs[name]), (f"{name}/control", ans[cell_id])]:
                for i in seg:
                    c = copy.deepcopy(base.cells[i])
                    role = _role(c, cell_id)
                    if role == "solution":
                        c.source = source
                    c.outputs, c.execution_count = [], None
                    c.metadata["visible_check"] = {"block": block, "cell": cell_id, "role": role}
                    run.cells.append(c)
    client = NotebookClient(
        run,
        timeout=60,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(part.rel.parent)}},
    )
    client.execute()
    results: dict = {}
    setup_errors = {}
    for c in run.cells:
        meta = c.metadata["visible_check"]
        if meta["block"] == "perfect":
            if _error(c):
                setup_errors[c.get("id")] = _error(c)
            continue
        if meta["role"] == "other":
            continue
        results.setdefault((meta["cell"], meta["block"]), {})[c.get("id")] = _error(c)
    return results, setup_errors


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_wrong_answer_fails_a_visible_check(assignment):
    """Each (non-hard-coding) catalogue entry makes a visible check of its exercise fail; the control passes."""
    results, setup_errors = run_variants(assignment)
    assert results, f"{assignment}: no catalogue entries were run"
    assert not setup_errors, f"{assignment}: the solution notebook raised in {setup_errors}"
    broken_controls = []
    for (cell, block), errors in results.items():
        failed = {k: v for k, v in errors.items() if v}
        if block.endswith("/control") and failed:
            broken_controls.append(f"{cell}/{block}: {failed}")
    silent = [f"{cell}: {block}" for cell, block in silent_entries(results)]
    assert not broken_controls, f"{assignment}: the right answer failed after a wrong one: {broken_controls}"
    assert not silent, (
        f"{assignment}: {len(silent)} wrong answers pass every visible check of their "
        f"exercise (the student is never told): {silent}"
    )


def silent_entries(results) -> list:
    return [
        (cell, block)
        for (cell, block), errors in results.items()
        if not block.endswith("/control") and not any(errors.values())
    ]


def test_the_proof_can_fail():
    """The proof can fail: an entry that passes every visible check (here the solution itself) is reported
    as silent, and an entry next to it that a visible check catches (a sign error) is not."""
    right = fab.answers(fab.part_of(ROOT, "04_gradient_descent", "gd_step").src)["gd_step"]
    results, setup_errors = run_variants(
        "04_gradient_descent",
        {"gd_step": {"the_solution": right, "wrong_sign": right.replace("w - lr * grad", "w + lr * grad")}},
    )
    assert not setup_errors
    assert silent_entries(results) == [("gd_step", "the_solution")], results
    assert exempt("hardcoded_visible") and not exempt("uses_library")
