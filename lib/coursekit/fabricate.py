"""Fabricated submissions: what students hand in, built from the real release notebooks.

Used by ``make demo``, ``make bench-grade`` and the tests (catalogue of wrong
answers, the release/grade round trip). A submission starts as the release
notebook (exactly what a student downloads) and is then filled in or broken.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .build import strip_solution_markers


@dataclass(frozen=True)
class Part:
    """One notebook of an assignment: its source (instructor) and release (student) file."""

    src: Path
    rel: Path

    @property
    def name(self) -> str:
        return self.src.name


def parts(root: Path, assignment: str) -> list[Part]:
    """The notebooks of an assignment, in order (an assignment may hold several, as nbgrader allows)."""
    srcs = sorted((Path(root) / "source" / assignment).glob("*.ipynb"))
    if not srcs:
        raise FileNotFoundError(f"no notebook in {Path(root) / 'source' / assignment}")
    return [Part(s, Path(root) / "release" / assignment / s.name) for s in srcs]


def part_of(root: Path, assignment: str, grade_id: str) -> Part:
    """The notebook of the assignment that holds the cell ``grade_id`` (grade ids are unique per assignment)."""
    for part in parts(root, assignment):
        nb = nbformat.read(part.src, as_version=4)
        if any(c.metadata.get("nbgrader", {}).get("grade_id") == grade_id for c in nb.cells):
            return part
    raise KeyError(f"no cell {grade_id!r} in any notebook of {assignment}")


def solved(root: Path, assignment: str) -> dict:
    """{file name: the release notebook with every answer filled in} for every notebook of the assignment."""
    return {p.name: submission(p.rel, fill=answers(p.src)) for p in parts(root, assignment)}


def answers(source_nb: Path) -> dict[str, str]:
    """{grade_id: answer} for every solution cell of a source notebook, markers removed.

    Markdown answers (the reflection) get a short written answer.
    """
    nb = nbformat.read(source_nb, as_version=4)
    out = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution"):
            continue
        if cell.cell_type == "code":
            out[meta["grade_id"]] = strip_solution_markers(cell.source)
        else:
            out[meta["grade_id"]] = "A written answer, to be graded by hand."
    return out


def solution_ids(source_nb: Path, code_only: bool = True) -> list[str]:
    """grade_ids of the solution cells, in notebook order."""
    nb = nbformat.read(source_nb, as_version=4)
    return [
        c.metadata["nbgrader"]["grade_id"]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("solution") and (c.cell_type == "code" or not code_only)
    ]


def cell(nb, cell_id: str):
    """The cell with this id (KeyError naming the id and the ids present)."""
    for c in nb.cells:
        if c.get("id") == cell_id:
            return c
    raise KeyError(f"no cell {cell_id!r}; cells: {[c.get('id') for c in nb.cells]}")


def submission(release_nb: Path, fill: dict[str, str] | None = None, delete=(), replace: dict[str, str] | None = None):
    """The release notebook with cells filled (solution cells), deleted, or replaced (any cell)."""
    nb = nbformat.read(release_nb, as_version=4)
    for cid, src in {**(fill or {}), **(replace or {})}.items():
        cell(nb, cid).source = src
    nb.cells = [c for c in nb.cells if c.get("id") not in set(delete)]
    return nb


def _fresh_folder(root: Path, student: str, assignment: str) -> Path:
    folder = Path(root) / "submitted" / student / assignment
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def write_all(root: Path, student: str, assignment: str, files: dict) -> Path:
    """Write a hand-in of several notebooks, {file name: notebook}, to <root>/submitted/<student>/<assignment>/."""
    folder = _fresh_folder(root, student, assignment)
    for name, nb in files.items():
        nbformat.write(nb, folder / name)
    return folder


def write(root: Path, student: str, assignment: str, name: str, nb=None, raw: str | None = None) -> Path:
    """Write a submission to <root>/submitted/<student>/<assignment>/<name>.

    nb: a notebook; raw: text written as is (a corrupt file); neither: an empty folder (nothing handed in).
    """
    path = _fresh_folder(root, student, assignment) / name
    if nb is not None:
        nbformat.write(nb, path)
    elif raw is not None:
        path.write_text(raw)
    return path


def test_cell_ids(release_nb: Path) -> list[str]:
    """grade_ids of the autograded test cells of a notebook."""
    nb = nbformat.read(release_nb, as_version=4)
    return [
        c.metadata["nbgrader"]["grade_id"]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")
    ]


def truncate_after(nb, cell_ids):
    """Drop every cell after the last of ``cell_ids`` (grading stops mattering there)."""
    last = max(i for i, c in enumerate(nb.cells) if c.get("id") in set(cell_ids))
    nb.cells = nb.cells[: last + 1]
    return nb
