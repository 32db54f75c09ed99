"""release/ and solutions/ are what make would generate now, leak nothing, and validate as they should."""

from __future__ import annotations

import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, selected_assignments
from coursekit import fabricate as fab
from coursekit.build import solution_notebook
from coursekit.demo import make_course
from coursekit.paths import source_notebooks

ASSIGNMENTS = selected_assignments()
SOURCES = [s for a in selected_assignments() for s in source_notebooks(ROOT, a)]
_BLOCK = re.compile(r"^\s*#+\s*BEGIN (SOLUTION|HIDDEN TESTS)\s*$(.*?)^\s*#+\s*END \1\s*$", re.S | re.M)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """A fresh course root with release/ generated from the current source/."""
    root = tmp_path_factory.mktemp("release") / "course"
    make_course(root, only=ASSIGNMENTS)
    return root


@pytest.mark.parametrize("source", SOURCES, ids=[s.parent.name for s in SOURCES])
def test_release_in_sync_with_source(regenerated, source):
    """release/ is byte for byte what `make release` generates from source/ now."""
    rel = Path("release") / source.parent.name / source.name
    committed = ROOT / rel
    assert committed.exists(), f"{rel} is missing: run make release"
    assert committed.read_bytes() == (regenerated / rel).read_bytes(), f"{rel} is stale: run make release"


@pytest.mark.parametrize("source", SOURCES, ids=[s.parent.name for s in SOURCES])
def test_solutions_in_sync_with_source(source):
    """solutions/ holds the current source with markers and hidden tests removed (outputs checked by nbval)."""
    path = ROOT / "solutions" / source.parent.name / source.name
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run make solutions"
    committed = nbformat.read(path, 4)
    fresh = solution_notebook(source)
    strip = lambda nb: [(c.get("id"), c.cell_type, c.source, dict(c.metadata)) for c in nb.cells]  # noqa: E731
    assert strip(committed) == strip(fresh), f"{path.relative_to(ROOT)} is stale: run make solutions"
    assert all(
        c.get("outputs") or c.cell_type != "code" or not c.source.strip() or c.execution_count for c in committed.cells
    ), "solutions/ must be stored executed"


@pytest.mark.parametrize("source", SOURCES, ids=[s.parent.name for s in SOURCES])
def test_release_leaks_no_solution_or_hidden_test(source):
    """No line of a solution block or a hidden-test block of source/ appears anywhere in release/.

    Lines that the source also shows openly (outside every such block) are not secrets and are skipped.
    """
    release_text = "\n".join(p.read_text() for p in (ROOT / "release").rglob("*.ipynb"))
    released = {
        line.strip()
        for nb in (ROOT / "release").rglob("*.ipynb")
        for c in nbformat.read(nb, 4).cells
        for line in c.source.split("\n")
    }
    nb = nbformat.read(source, 4)
    visible = {line.strip() for c in nb.cells for line in _BLOCK.sub("", c.source).split("\n")}
    checked = 0
    for cell in nb.cells:
        for kind, body in _BLOCK.findall(cell.source):
            for line in body.split("\n"):
                s = line.strip()
                if len(s) < 12 or s.startswith("#") or s in visible:
                    continue
                checked += 1
                assert s not in released, f"release/ contains a {kind.lower()} line of {source.name}: {s!r}"
    assert checked > 0
    assert "BEGIN SOLUTION" not in release_text and "HIDDEN TESTS" not in release_text


def _validate(path: Path, invert=False):
    """Validate one notebook (in its own process: the Validator sets process-wide environment variables)."""
    from nbgrader.validator import Validator
    from traitlets.config import Config

    cfg = Config()
    cfg.ExecutePreprocessor.timeout = 120
    return Validator(config=cfg, invert=invert).validate(str(path))


@pytest.fixture(scope="module")
def validations():
    """nbgrader's validator (from Python: the CLI exits 0 even on failure) on every source and release notebook."""
    jobs = []
    for s in SOURCES:
        jobs.append(("source", s))
        jobs.append(("release", ROOT / "release" / s.parent.name / s.name))
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_validate, [p for _, p in jobs]))
    out: dict = {}  # (kind, assignment) -> one result per notebook of the assignment
    for (kind, p), r in zip(jobs, results, strict=True):
        out.setdefault((kind, p.parent.name), []).append(r)
    return out


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_validator_passes_source(validations, assignment):
    for result in validations[("source", assignment)]:
        assert not result.get("failed") and not result.get("changed"), (
            f"source/{assignment} fails validation: {[f['raw_error'][-300:] for f in result.get('failed', [])]}"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_validator_fails_every_test_cell_of_release(validations, assignment):
    results = validations[("release", assignment)]
    n_tests = sum(len(fab.test_cell_ids(part.rel)) for part in fab.parts(ROOT, assignment))
    failed = [
        f for r in results for f in r.get("failed", []) if f["source"] != "YOUR ANSWER HERE"
    ]  # the blank reflections aside
    assert len(failed) == n_tests, f"release/{assignment}: {len(failed)} of {n_tests} test cells fail unsolved"
    assert not any(r.get("passed") for r in results)
