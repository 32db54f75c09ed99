"""Demonstration cells tagged skip-when-grading: commented out under `make grade`, and only unchanged copies.

That the graded notebooks still score full marks with the demonstration skipped is
proved by tests/test_catalogue.py (the solution of every assignment, graded by the
real nbgrader with these preprocessors).
"""

from __future__ import annotations

import copy
import json

import nbformat
import pytest

from conftest import ROOT
from coursekit import skip_demos
from coursekit.skip_demos import NOTE, TAG, SkipDemonstrations

SOURCE = ROOT / "source" / "05_sgd" / "part1_batches.ipynb"  # the part with the demonstration
DEMO = "shuffle_experiment"


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "skip.json"
    path.write_text(json.dumps(skip_demos.tagged_cells(ROOT)))
    return path


def _run(nb, table):
    resources = {"nbgrader": {"assignment": "05_sgd", "notebook": "part1_batches"}}
    return SkipDemonstrations(table=str(table)).preprocess(nb, resources)[0]


def _cell(nb, cell_id):
    return next(c for c in nb.cells if c.get("id") == cell_id)


def test_the_tagged_cells_of_the_course():
    found = skip_demos.tagged_cells(ROOT)
    assert list(found) == ["05_sgd/part1_batches"] and list(found["05_sgd/part1_batches"]) == [DEMO]
    assert TAG in _cell(nbformat.read(ROOT / "release" / "05_sgd" / "part1_batches.ipynb", 4), DEMO).metadata["tags"]


def test_an_unchanged_demonstration_is_commented_out_and_nothing_else(table):
    nb = nbformat.read(SOURCE, 4)
    before = copy.deepcopy(nb)
    out = _run(nb, table)
    demo = _cell(out, DEMO)
    original = _cell(before, DEMO).source
    assert demo.source.startswith(NOTE)
    body = demo.source[len(NOTE) :].splitlines()
    assert body == [f"# {line}" if line.strip() else line for line in original.splitlines()]
    compile(demo.source, DEMO, "exec")  # still valid Python: it runs, doing nothing
    assert [c.source for c in out.cells if c.get("id") != DEMO] == [
        c.source for c in before.cells if c.get("id") != DEMO
    ]


def test_edited_or_disguised_cells_are_run(table):
    nb = nbformat.read(SOURCE, 4)
    edited = _cell(nb, DEMO)
    edited.source += "\nprint('mine')"
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code")
    wanted = skip_demos.tagged_cells(ROOT)["05_sgd/part1_batches"][DEMO]
    test.metadata["tags"] = [TAG]
    test["id"] = "disguised"  # a test cell dressed up as the demonstration
    fake = nbformat.v4.new_code_cell(wanted, id=DEMO)
    fake.metadata["nbgrader"] = dict(test.metadata["nbgrader"])
    nb.cells.append(fake)
    before = [c.source for c in nb.cells]
    out = _run(nb, table)
    assert [c.source for c in out.cells] == before


def test_no_table_skips_nothing():
    nb = nbformat.read(SOURCE, 4)
    before = [c.source for c in nb.cells]
    out = SkipDemonstrations().preprocess(nb, {"nbgrader": {"assignment": "05_sgd", "notebook": "part1_batches"}})[0]
    assert [c.source for c in out.cells] == before
