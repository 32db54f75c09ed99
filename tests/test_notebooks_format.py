"""source/ notebooks follow the authoring guide (source/README.md): readable diffs, valid metadata, one shape."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator

from conftest import ROOT, selected_assignments
from coursekit.paths import source_notebooks

SOURCES = [s for a in selected_assignments() for s in source_notebooks(ROOT, a)]
IDS = [f"{s.parent.name}/{s.stem}" for s in SOURCES]
NB_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_HEXISH = re.compile(r"^[0-9a-f-]{8,}$|^cell-[0-9a-f]+$")


def _nbg(cell):
    return cell.metadata.get("nbgrader", {})


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_stored_without_outputs_and_with_normalised_metadata(source):
    nb = nbformat.read(source, 4)
    assert dict(nb.metadata) == NB_METADATA, f"{source.name}: notebook metadata must be exactly {NB_METADATA}"
    for c in nb.cells:
        if c.cell_type == "code":
            assert c.outputs == [] and c.execution_count is None, f"cell {c.id} has outputs: clear them"
        extra = set(c.metadata) - {"nbgrader", "tags"}
        assert not extra, f"cell {c.id} has metadata {sorted(extra)}: keep only nbgrader and tags"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_cell_ids_are_stable_and_descriptive(source):
    nb = nbformat.read(source, 4)
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids)), "duplicate cell ids"
    for c in nb.cells:
        assert _ID.match(c.id) and not _HEXISH.match(c.id), f"cell id {c.id!r} is not descriptive"
        if _nbg(c):
            assert c.id == _nbg(c)["grade_id"], f"cell id {c.id!r} differs from grade_id {_nbg(c)['grade_id']!r}"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_nbgrader_metadata_is_valid(source):
    nb = nbformat.read(source, 4)
    MetadataValidator().validate_nb(nb)
    for c in nb.cells:
        m = _nbg(c)
        if m:
            assert m.get("schema_version") == 3


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_test_cells_follow_the_pattern(source):
    """A one-line docstring, visible checks via the check helper, hidden tests, no bare assert."""
    nb = nbformat.read(source, 4)
    tests = [c for c in nb.cells if _nbg(c).get("grade") and c.cell_type == "code"]
    assert tests
    for c in tests:
        first = c.source.lstrip().split("\n")[0]
        assert first.startswith('"""') and first.rstrip().endswith('"""') and len(first) > 8, (
            f"{c.id}: the test cell must start with a one-line docstring"
        )
        visible = c.source.split("### BEGIN HIDDEN TESTS")[0]
        assert "check" in visible, f"{c.id}: visible checks should use shallownet.check"
        assert "### BEGIN HIDDEN TESTS" in c.source and "### END HIDDEN TESTS" in c.source, f"{c.id}: no hidden tests"
        assert not re.search(r"^\s*assert\s", c.source, re.M), f"{c.id}: use the check helper, not a bare assert"
        assert _nbg(c)["locked"] and _nbg(c).get("points", 0) > 0


def _autograded_points(nb) -> float:
    return sum(_nbg(c).get("points", 0) for c in nb.cells if _nbg(c).get("grade") and c.cell_type == "code")


@pytest.mark.parametrize("assignment", selected_assignments())
def test_every_assignment_has_twelve_autograded_points(assignment):
    """At least 12 autograded points per assignment (over its notebooks, when it has two)."""
    points = sum(_autograded_points(nbformat.read(s, 4)) for s in source_notebooks(ROOT, assignment))
    assert points >= 12, f"{assignment}: only {points} autograded points"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_shape(source):
    """Goals and time at the top, graded exercises, a reflection, a summary, a widget from the library."""
    nb = nbformat.read(source, 4)
    head = " ".join(c.source for c in nb.cells[:3]).lower()
    assert "goal" in head and ("minutes" in head or "time" in head), "learning goals and estimated time at the top"
    assert _autograded_points(nb) >= 6, f"only {_autograded_points(nb)} autograded points"
    manual = [c for c in nb.cells if _nbg(c).get("grade") and _nbg(c).get("solution") and c.cell_type == "markdown"]
    assert len(manual) == 1 and re.fullmatch(r"reflection(_\d+)?", manual[0].id), "one manually graded reflection cell"
    assert any("summary" in c.source.lower() for c in nb.cells[-4:] if c.cell_type == "markdown"), "a summary"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "shallownet.widgets" in code, "at least one picture from shallownet.widgets"


#: A notebook a first-year student needs more than this for is split into two notebooks of one assignment.
MAX_MINUTES = 150
_TIME = re.compile(r"^\*\*Estimated time:\*\* about (\d+) minutes\b(.*?)(?:\n\n|\Z)", re.S | re.M)


def estimated_time(nb) -> tuple[int, list[int]]:
    """(stated total, the minutes of each part) from the paragraph '**Estimated time:** about N minutes ...'."""
    head = nb.cells[0].source
    m = _TIME.search(head)
    assert m, "the first cell states no '**Estimated time:** about N minutes, ...: section 1 (...) 20 min; ...'"
    return int(m.group(1)), [int(x) for x in re.findall(r"(\d+) min\b", m.group(2))]


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_time_is_stated_per_part_and_fits_one_sitting(source):
    total, parts = estimated_time(nbformat.read(source, 4))
    assert len(parts) >= 2, f"{source.name}: state the minutes of each section, not only the total"
    assert sum(parts) == total, f"{source.name}: the sections add up to {sum(parts)} min, the total says {total}"
    assert total <= MAX_MINUTES, (
        f"{source.name}: {total} min is more than {MAX_MINUTES}: split it into two notebooks (source/README.md)"
    )


def test_the_time_check_can_fail():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "# x\n\n**Estimated time:** about 60 minutes: section 1 20 min; section 2 30 min."
            )
        ]
    )
    total, parts = estimated_time(nb)
    assert (total, sum(parts)) == (60, 50)  # the test above reports the 10 missing minutes


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_both_readmes_state_the_notebooks_time(source):
    """The notebook tables of README.md and source/README.md give each notebook's time as the notebook does."""
    total, _ = estimated_time(nbformat.read(source, 4))
    for readme in (ROOT / "README.md", ROOT / "source" / "README.md"):
        row = next(
            (line for line in readme.read_text().splitlines() if line.startswith(f"| `{source.parent.name}` |")), ""
        )
        assert row, f"{readme.relative_to(ROOT)} has no row for {source.parent.name}"
        assert f"about {total} min" in row, (
            f"{readme.relative_to(ROOT)}: the row of {source.parent.name} lacks {total} min"
        )
