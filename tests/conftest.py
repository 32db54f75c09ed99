"""Shared fixtures: one graded class per test session (nbgrader is slow to start, so grade once)."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
# The toolkit finds the course from this variable (or the current directory), never from its own location.
os.environ.setdefault("SHALLOWNET_COURSE_ROOT", str(ROOT))
from coursekit.paths import tool_env  # noqa: E402

os.environ["PATH"] = tool_env()["PATH"]

# Property tests draw the same examples on every run: CI results never depend on luck.
settings.register_profile("course", derandomize=True, database=None)
settings.load_profile("course")


def selected_assignments() -> list[str]:
    """Assignments under test: all of source/, or those named in SHALLOWNET_ASSIGNMENTS (comma-separated),
    which lets an author run the expensive grading tests for one notebook while writing it."""
    from coursekit.paths import assignments

    every = assignments(ROOT)
    only = [a for a in os.environ.get("SHALLOWNET_ASSIGNMENTS", "").split(",") if a]
    unknown = set(only) - set(every)
    if unknown:
        raise ValueError(f"SHALLOWNET_ASSIGNMENTS names unknown assignments {sorted(unknown)}; choose from {every}")
    return only or every


def catalogues() -> dict:
    """{assignment id: WRONG dict} from tests/catalogue/*.py."""
    import catalogue  # tests/ is on sys.path (rootdir conftest)

    out = {}
    for m in pkgutil.iter_modules(catalogue.__path__):
        mod = importlib.import_module(f"catalogue.{m.name}")
        out[mod.ASSIGNMENT] = mod.WRONG
    return out


# --- the prose of a source notebook (the *_numbers tests check every number it states) -------------


def source_notebooks(assignment: str) -> list[dict]:
    """The parsed notebooks of source/<assignment>/, in order (an assignment may hold several parts)."""
    paths = sorted((ROOT / "source" / assignment).glob("*.ipynb"))
    assert paths, f"source/{assignment} holds no notebook"
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def source_notebook(assignment: str) -> dict:
    """The assignment's source notebooks as one: the first part's metadata, every part's cells in order."""
    parts = source_notebooks(assignment)
    return {**parts[0], "cells": [c for nb in parts for c in nb["cells"]]}


def notebook_text(assignment: str, cell_type: str = "markdown") -> str:
    """The source of every cell of one type in the assignment's source notebooks, joined by newlines."""
    cells = source_notebook(assignment)["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == cell_type)


def markdown(assignment: str) -> str:
    """The prose of the assignment's source notebooks: all their markdown cells, joined by newlines."""
    return notebook_text(assignment, "markdown")


def stated(prose: str, text: str) -> None:
    """Assert that the notebook's prose states ``text`` word for word."""
    assert text in prose, f"the notebook's prose no longer states {text!r}"
