"""Where things are: the course root and its assignments.

The course root is the folder holding ``nbgrader_config.py`` and ``source/``. It comes from
the environment variable ``SHALLOWNET_COURSE_ROOT`` when set, otherwise from the current
directory or the nearest folder above it that is a course root (the Makefile runs every
command from the repository root). It never comes from where this package is installed.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "SHALLOWNET_COURSE_ROOT"


def is_course_root(folder: Path) -> bool:
    return (Path(folder) / "nbgrader_config.py").is_file() and (Path(folder) / "source").is_dir()


def course_root(root: Path | str | None = None) -> Path:
    """``root`` if given, else $SHALLOWNET_COURSE_ROOT, else the current directory or its nearest course-root parent."""
    if root is not None:
        return Path(root).resolve()
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if is_course_root(folder):
            return folder
    raise SystemExit(
        f"no course here: neither {here} nor a folder above it holds nbgrader_config.py and source/; "
        f"run from the course folder or set {ENV_VAR}"
    )


def assignments(root: Path | None = None) -> list[str]:
    """Assignment ids: the folders source/NN_topic/, in order."""
    src = course_root(root) / "source"
    return sorted(p.name for p in src.iterdir() if p.is_dir() and p.name[:2].isdigit() and any(p.glob("*.ipynb")))


def source_notebooks(root: Path | None = None, assignment: str | None = None) -> list[Path]:
    """The instructor notebooks source/<assignment>/*.ipynb (all assignments if None)."""
    root = course_root(root)
    ids = [assignment] if assignment else assignments(root)
    out = []
    for a in ids:
        nbs = sorted((root / "source" / a).glob("*.ipynb"))
        if not nbs:
            raise SystemExit(f"no notebook in source/{a}/ (assignments: {', '.join(assignments(root))})")
        out.extend(nbs)
    return out


def tool_env(base: dict | None = None) -> dict:
    """An environment for nbgrader's subprocesses: this Python's bin folder first on PATH
    (nbgrader starts ``alembic`` and kernels by name, also when Python was started by path)."""
    import sys

    env = dict(os.environ if base is None else base)
    bin_dir = os.path.dirname(sys.executable)
    parts = env.get("PATH", "").split(os.pathsep)
    if bin_dir not in parts:
        env["PATH"] = os.pathsep.join([bin_dir, *[p for p in parts if p]])
    return env
