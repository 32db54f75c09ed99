"""Instructor tooling: release, solutions, grading, demo, benchmarks (``python -m shallownet.course``).

nbgrader starts helper programs (``alembic``, kernels) by name, so the
environment's bin folder is put on PATH even when Python was started by path.
"""
import os
import sys

_bin = os.path.dirname(sys.executable)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")
