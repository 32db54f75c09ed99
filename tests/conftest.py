"""Shared fixtures: one graded class per test session (nbgrader is slow to start, so grade once)."""
from __future__ import annotations

import importlib
import os
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def selected_assignments() -> list[str]:
    """Assignments under test: all of source/, or those named in SHALLOWNET_ASSIGNMENTS (comma-separated),
    which lets an author run the expensive grading tests for one notebook while writing it."""
    from shallownet.course.paths import assignments
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
