"""The answer key reproduces its stored outputs: `pytest --nbval` on solutions/, run by make test."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_solutions_reproduce_with_nbval():
    """Run nbval in its own pytest process (strict: every text output must match)."""
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "--nbval-current-env",
            "--nbval-cell-timeout=120",
            "solutions",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    tail = "\n".join(r.stdout.strip().split("\n")[-25:])
    assert r.returncode == 0, f"pytest --nbval solutions/ failed:\n{tail}"
    assert " passed" in tail and " failed" not in tail
