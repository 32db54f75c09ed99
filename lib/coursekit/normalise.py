"""Normalise source/ notebooks so that their diffs stay readable: python -m coursekit.normalise [--check] [PATH ...].

What JupyterLab adds on save and a diff should not show is removed; what the authoring guide
(source/README.md) and tests/test_notebooks_format.py ask for is kept:

- code cells: no outputs, no execution count;
- cell metadata: only ``nbgrader`` and a non-empty ``tags`` list (``collapsed``, ``scrolled``,
  ``execution`` timings, ``jp-MarkdownHeadingCollapsed`` ... go);
- notebook metadata: exactly the course's kernelspec and ``language_info: {name: python}``.

Cell ids are left alone: a new cell's random id must be renamed by hand (the format test says
which). Without PATH every notebook in source/ is normalised, ``header.ipynb`` included. The file
is written only when its bytes change; with ``--check`` nothing is written and the exit status is
1 when a notebook would change (``make lint``; the pre-commit hook rewrites instead).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
CELL_METADATA_KEPT = ("nbgrader", "tags")


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Normalise ``nb`` in place (see the module docstring) and return it."""
    nb.metadata = nbformat.from_dict(NOTEBOOK_METADATA)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        kept = {k: v for k, v in cell.metadata.items() if k in CELL_METADATA_KEPT and not (k == "tags" and not v)}
        cell.metadata = nbformat.from_dict(kept)
    return nb


def normalised_text(path: Path) -> tuple[str, str]:
    """(the file's text, the text of its normalised notebook as nbformat writes it)."""
    text = Path(path).read_text(encoding="utf-8")
    nb = normalise(nbformat.reads(text, as_version=4))
    new = nbformat.writes(nb)
    return text, new if new.endswith("\n") else new + "\n"


def source_files(root: Path | None = None) -> list[Path]:
    """Every notebook of source/: the assignments' and header.ipynb."""
    from .paths import course_root

    return sorted((course_root(root) / "source").rglob("*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m coursekit.normalise", description=__doc__.split("\n")[0])
    p.add_argument("paths", nargs="*", type=Path, help="notebooks (default: every notebook in source/)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a notebook would change")
    args = p.parse_args(argv)
    paths = args.paths or source_files()
    changed = []
    for path in paths:
        if path.suffix != ".ipynb":
            continue
        try:
            text, new = normalised_text(path)
        except (OSError, ValueError, nbformat.ValidationError) as e:  # ValueError covers a broken JSON file
            print(f"{path}: cannot read it as a notebook: {e}", file=sys.stderr)
            return 2
        if new != text:
            changed.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    verb = "would be normalised" if args.check else "normalised"
    for path in changed:
        print(f"{path}: {verb}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
