"""CheckCellMetadataOnce (check_metadata.py) decides exactly as nbgrader's own CheckCellMetadata.

Each case is decided twice by the remembering validator: with nothing remembered, and
after every cell of the intact release notebook was remembered as passing (as during
`make grade`); and each time it must agree with nbgrader's MetadataValidator, which
remembers nothing. The cases are the release notebooks and a catalogue of damaged
metadata a student's editor (or a student) could produce.
"""

from __future__ import annotations

import copy

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.preprocessors import CheckCellMetadata

from conftest import ROOT
from coursekit.check_metadata import CheckCellMetadataOnce, RememberingValidator

RELEASE = sorted((ROOT / "release").glob("*/*.ipynb"))


def _graded(nb, kind="code"):
    return next(c for c in nb.cells if c.cell_type == kind and c.metadata.get("nbgrader", {}).get("grade"))


def _set(key, value):
    def damage(nb):
        _graded(nb).metadata.nbgrader[key] = value

    return damage


def _drop(key):
    def damage(nb):
        del _graded(nb).metadata.nbgrader[key]

    return damage


def _duplicate_id(nb):
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    cells[1].metadata.nbgrader.grade_id = cells[0].metadata.nbgrader.grade_id


def _code_to_markdown(nb):
    _graded(nb).cell_type = "markdown"


def _solution_only_markdown(nb):
    cell = next(c for c in nb.cells if c.cell_type == "markdown")
    cell.metadata["nbgrader"] = {
        "schema_version": 3,
        "grade": False,
        "solution": True,
        "locked": False,
        "grade_id": "written",
        "cell_type": "markdown",
    }


DAMAGE = {
    "points missing": _drop("points"),
    "points not a number": _set("points", "ten"),
    "negative points": _set("points", -1),
    "grade_id missing": _drop("grade_id"),
    "grade_id empty": _set("grade_id", ""),
    "grade_id with a space": _set("grade_id", "test one"),
    "grade not a boolean": _set("grade", "yes"),
    "schema version too old": _set("schema_version", 2),
    "schema version too new": _set("schema_version", 4),
    "checksum too short": _set("checksum", "abc"),
    "locked missing": _drop("locked"),
    "two cells with one grade_id": _duplicate_id,
    "graded code cell turned markdown": _code_to_markdown,
    "markdown solution cell not graded": _solution_only_markdown,
}


def _outcome(validator_class, nb):
    try:
        validator_class().validate_nb(copy.deepcopy(nb))
    except Exception as e:
        return type(e).__name__
    return "passes"


@pytest.fixture
def fresh():
    RememberingValidator.passed.clear()
    yield
    RememberingValidator.passed.clear()


def _remember(path):
    RememberingValidator().validate_nb(nbformat.read(path, as_version=4))


def test_release_and_source_notebooks_pass_and_are_remembered(fresh):
    for path in RELEASE + sorted((ROOT / "source").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert _outcome(MetadataValidator, nb) == _outcome(RememberingValidator, nb) == "passes"
    assert (
        len(RememberingValidator.passed)
        >= sum(1 for p in RELEASE for c in nbformat.read(p, as_version=4).cells if "nbgrader" in c.metadata) // 2
    )


@pytest.mark.parametrize("path", RELEASE, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_damaged_metadata_decided_as_nbgrader_decides(fresh, path, case):
    nb = nbformat.read(path, as_version=4)
    DAMAGE[case](nb)
    expected = _outcome(MetadataValidator, nb)
    assert _outcome(RememberingValidator, nb) == expected  # nothing remembered
    _remember(path)
    assert _outcome(RememberingValidator, nb) == expected  # the intact cells remembered
    assert _outcome(RememberingValidator, nb) == expected  # a failure is not remembered


def test_nbgrader_rejects_every_damage_of_the_catalogue(fresh):
    # The comparison above proves something only if nbgrader rejects the damage.
    nb = nbformat.read(RELEASE[0], as_version=4)
    rejected = []
    for case, damage in DAMAGE.items():
        bad = copy.deepcopy(nb)
        damage(bad)
        if _outcome(MetadataValidator, bad) != "passes":
            rejected.append(case)
    assert sorted(rejected) == sorted(DAMAGE)


def test_the_preprocessor_passes_the_release_and_stops_a_damaged_notebook(fresh):
    nb = nbformat.read(RELEASE[0], as_version=4)
    for pp in (CheckCellMetadata(), CheckCellMetadataOnce()):
        assert pp.preprocess(copy.deepcopy(nb), {})[0] == nb
        bad = copy.deepcopy(nb)
        _duplicate_id(bad)
        with pytest.raises(ValidationError, match="metadata may be corrupted"):
            pp.preprocess(bad, {})
