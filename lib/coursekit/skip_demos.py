"""Demonstrations that `make grade` does not run: code cells tagged ``skip-when-grading`` in source/.

Some cells only show something (notebook 5 trains three networks for a second
to compare orders of the data); nothing in them is graded and no later cell
uses what they compute. Under `make grade` such a cell is commented out before
the notebook runs, with a note on top, so the feedback still shows its code.

Only an unchanged copy is skipped: a cell is commented out when its id *and* its
source are those of a tagged cell of the instructor's notebook in source/ (read
by `make grade`, outside the student's reach) and it is no graded or solution
cell. A student who tags a test cell, or edits a demonstration, gets it run as usual.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

TAG = "skip-when-grading"
NOTE = "# [not run while grading: a demonstration, nothing in it is graded; run it in JupyterLab]\n"


def tagged_cells(root: Path) -> dict:
    """{"<assignment>/<notebook>": {cell id: source}} for every tagged code cell in source/."""
    out = {}
    for path in sorted(Path(root, "source").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = {c.id: c.source for c in nb.cells if c.cell_type == "code" and TAG in c.metadata.get("tags", [])}
        if cells:
            out[f"{path.parent.name}/{path.stem}"] = cells
    return out


def write_table(root: Path) -> Path:
    """Write build/skip-when-grading.json for the workers of `make grade`; returns its path."""
    path = Path(root) / "build" / "skip-when-grading.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tagged_cells(root), indent=1, sort_keys=True))
    return path


class SkipDemonstrations(NbGraderPreprocessor):
    table = Unicode("", help="JSON file written by write_table() (empty: skip nothing)").tag(config=True)

    def preprocess(self, nb, resources):
        if not self.table:
            return nb, resources
        info = resources.get("nbgrader", {})
        cells = json.loads(Path(self.table).read_text()).get(f"{info.get('assignment')}/{info.get('notebook')}", {})
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if (
                cell.cell_type == "code"
                and cell.get("id") in cells
                and cell.source == cells[cell.id]
                and not meta.get("grade")
                and not meta.get("solution")
            ):
                cell.source = NOTE + "".join(
                    f"# {line}" if line.strip() else line for line in cell.source.splitlines(keepends=True)
                )
        return nb, resources
