"""make bench-grade: how fast `make grade` is, against the floor measured in the same run.

Floor: start a kernel and execute each assignment's solution notebook once
with nbclient (what grading can never beat), with NBGRADER_EXECUTION=autograde
as nbgrader sets it (so the pictures are skipped there as in grading). Then N
fabricated perfect students per assignment are graded by the real pipeline,
autograde and feedback, as `make grade` does: serially (1 worker), in parallel
(one worker per core), and in parallel without the sandbox.
Printed: seconds per notebook, the ratio to the floor, the sandbox overhead,
and the projected time for a class of 300 students and 5 assignments.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from . import fabricate as fab
from .build import execute, solution_notebook
from .demo import make_course
from .grade import grade
from .paths import course_root


def floor(root: Path, ids: list[str]) -> float:
    """Mean seconds to start a kernel and run one solution notebook (nbclient), over every notebook."""
    from unittest import mock

    times = []
    for part in (p for a in ids for p in fab.parts(root, a)):
        nb = solution_notebook(part.src)
        with mock.patch.dict(os.environ, NBGRADER_EXECUTION="autograde"):
            t0 = time.perf_counter()
            execute(nb, part.src.parent)
            times.append(time.perf_counter() - t0)
    return sum(times) / len(times)


def _populate(root: Path, ids: list[str], students: int) -> int:
    if (root / "submitted").exists():
        shutil.rmtree(root / "submitted")
    notebooks = 0
    for a in ids:
        files = fab.solved(root, a)
        notebooks += len(files)
        for k in range(students):
            fab.write_all(root, f"student{k:03d}", a, files)
    return students * notebooks


def _run(root, label, jobs, use_sandbox, timeout, n):
    for d in ("autograded", "feedback"):
        shutil.rmtree(root / d, ignore_errors=True)
    t0 = time.perf_counter()
    rows = grade(root, jobs=jobs, timeout=timeout, use_sandbox=use_sandbox, feedback=True, quiet=True)
    wall = time.perf_counter() - t0
    missing = [r for r in rows if not (root / "feedback" / r.student / r.assignment).is_dir()]
    if missing:
        print(f"    no feedback for {len(missing)} submission(s), e.g. {missing[0].student}/{missing[0].assignment}")
    bad = [
        r
        for r in rows
        if r.status != "graded" or any(v[0] != v[1] for g, v in r.cells.items() if g.startswith("test_"))
    ]
    print(
        f"  {label:<34} {wall:7.1f} s for {n} notebooks = {wall / n:5.2f} s/notebook"
        f"{'' if not bad else f'  ({len(bad)} NOT FULL MARKS)'}",
        flush=True,
    )
    for r in bad[:3]:
        print(f"    not full marks: {r.student}/{r.assignment}: {r.status}: {r.reason or r.failed_cells}", flush=True)
    return wall / n


def bench(
    students: int = 40,
    jobs: int | None = None,
    timeout: int = 30,
    use_sandbox: bool = True,
    assignment: str | None = None,
) -> dict:
    jobs = jobs or os.cpu_count() or 2
    root = course_root() / "build" / "bench-grade"
    print(f"bench-grade: {students} perfect students per assignment, {jobs} cores", flush=True)
    ids = make_course(root, only=assignment)
    f = floor(root, ids)
    print(f"  floor (kernel start + solution run)  {f:5.2f} s/notebook, mean over every notebook")
    print("  grading below = autograde + feedback, as make grade")
    n = _populate(root, ids, students)
    res = {"floor": f}
    res["serial"] = _run(root, "serial (1 worker)" + (", sandboxed" if use_sandbox else ""), 1, use_sandbox, timeout, n)
    res["parallel"] = _run(
        root, f"parallel ({jobs} workers)" + (", sandboxed" if use_sandbox else ""), jobs, use_sandbox, timeout, n
    )
    if use_sandbox:
        res["parallel_nosandbox"] = _run(root, f"parallel ({jobs} workers), no sandbox", jobs, False, timeout, n)
    print(f"ratio to floor: serial {res['serial'] / f:.2f}, parallel {res['parallel'] / f:.2f}  (goal <= 1.5)")
    if use_sandbox:
        print(f"sandbox overhead: {res['parallel'] / res['parallel_nosandbox']:.2f}x  (goal <= 1.5)")
    per_student = n / students  # notebooks one student hands in over the assignments benched
    print(
        f"projected: 300 students x {len(ids)} assignments ({per_student:g} notebooks each) in "
        f"{300 * per_student * res['parallel'] / 60:.1f} minutes on {jobs} cores (goal < 30)"
    )
    return res
