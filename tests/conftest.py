"""Shared fixtures: one graded class per test session (nbgrader is slow to start, so grade once)."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def catalogues() -> dict:
    """{assignment id: WRONG dict} from tests/catalogue/*.py."""
    import catalogue  # tests/ is on sys.path (rootdir conftest)
    out = {}
    for m in pkgutil.iter_modules(catalogue.__path__):
        mod = importlib.import_module(f"catalogue.{m.name}")
        out[mod.ASSIGNMENT] = mod.WRONG
    return out
