"""A tiny nbgrader course for checking and timing the grading sandbox.

tiny_course()   writes source/01_tiny/tiny.ipynb (one solution cell, one test cell
                with a hidden test), its nbgrader_config.py, and runs generate_assignment
submit()        a fabricated submission: the released notebook with the solution cell
                replaced and optional extra cells
autograde()     the real `nbgrader autograde` (the venv's), with or without the sandbox
bench()         seconds to grade N fabricated students serially, sandboxed and not:
                python -m coursekit.sandbox_bench [N]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ASSIGNMENT = "01_tiny"
NOTEBOOK = "tiny"
HIDDEN_MARKER = "HIDDEN" + "-TEST-MARKER"
SOLUTION = "def square(x):\n    return x * x"

CONFIG = """c = get_config()
c.CourseDirectory.course_id = "sandboxcheck"
c.CourseDirectory.root = {root!r}
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
c.ExecutePreprocessor.timeout = 20
c.Exchange.root = {exchange!r}
"""


def _meta(**kw):
    base = {"schema_version": 3, "grade": False, "solution": False, "locked": False, "task": False}
    base.update(kw)
    return {"nbgrader": base}


def tiny_course(root) -> Path:
    """Write the tiny course at ``root`` and release it (nbgrader generate_assignment)."""
    root = Path(root)
    src = root / "source" / ASSIGNMENT
    src.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(CONFIG.format(root=str(root), exchange=str(root / "build" / "exchange")))
    nb = new_notebook(
        cells=[
            new_markdown_cell("Write `square(x)`.", metadata=_meta(locked=True, grade_id="intro")),
            new_code_cell(
                "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION",
                metadata=_meta(solution=True, grade_id="square"),
            ),
            new_code_cell(
                "assert square(3) == 9\n### BEGIN HIDDEN TESTS\n"
                f"assert square(-2) == 4  # {HIDDEN_MARKER}\n### END HIDDEN TESTS",
                metadata=_meta(grade=True, locked=True, grade_id="test_square", points=1),
            ),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, src / f"{NOTEBOOK}.ipynb")
    (src / "data.txt").write_text("a data file nbgrader copies next to the notebook\n")
    r = _nbgrader(root, ["generate_assignment", ASSIGNMENT, "--force"], os.environ.copy())
    if r.returncode:
        raise RuntimeError(f"generate_assignment failed:\n{r.stdout}")
    return root


def submit(root, student: str, solution: str = SOLUTION, extra_cells: tuple[str, ...] = ()) -> Path:
    """submitted/<student>/01_tiny/tiny.ipynb: the release with ``solution`` and extra student cells."""
    nb = nbformat.read(Path(root) / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = solution
            nb.cells[i + 1 : i + 1] = [new_code_cell(code) for code in extra_cells]
            break
    dest = Path(root) / "submitted" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    return dest


def _nbgrader(root, args, env, timeout=600):
    venv_bin = os.path.dirname(sys.executable)
    env = dict(env, PATH=os.pathsep.join([venv_bin, env.get("PATH", "")]))
    return subprocess.run(
        [os.path.join(venv_bin, "nbgrader"), *args],
        cwd=root,
        env=env,
        timeout=timeout,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )


def autograde(root, sandboxed: bool = True, env=None, extra=(), student="*") -> subprocess.CompletedProcess:
    """`nbgrader autograde 01_tiny` for the submitted students matching ``student``, in one process."""
    from . import sandbox

    env = dict(os.environ if env is None else env)
    args = ["autograde", ASSIGNMENT, "--force", f"--CourseDirectory.student_id={student}", *extra]
    if sandboxed:
        args += sandbox.autograde_args(root)
        env = sandbox.autograde_env(root, env)
    return _nbgrader(root, args, env)


def scores(root) -> dict[str, float]:
    """Total score per student for 01_tiny, read from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(ASSIGNMENT)}


def bench(n: int = 10, root=None, repeat: int = 1) -> dict:
    """Seconds for one serial `nbgrader autograde` over ``n`` students, without and with the sandbox."""
    from . import sandbox

    own = root is None
    root = Path(tempfile.mkdtemp(prefix="sandbox-bench-")) if own else Path(root)
    try:
        tiny_course(root)
        for i in range(n):
            submit(root, f"student{i:03d}")
        sandbox.ensure(root)
        out: dict[str, float] = {"students": n}
        for label, sandboxed in (("plain", False), ("sandboxed", True)) * repeat:
            t = time.perf_counter()
            r = autograde(root, sandboxed)
            dt = time.perf_counter() - t
            if r.returncode or set(scores(root).values()) != {1.0}:
                raise RuntimeError(f"autograde ({label}) did not grade everyone 1/1:\n{r.stdout[-3000:]}")
            out[label] = min(out.get(label, dt), dt)
        out["ratio"] = out["sandboxed"] / out["plain"]
        return out
    finally:
        if own:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    r = bench(n, repeat=2)
    print(
        f"nbgrader autograde, {n} students, one serial process (best of 2, interleaved): "
        f"{r['plain']:.1f} s plain, {r['sandboxed']:.1f} s sandboxed, ratio {r['ratio']:.2f}"
    )
