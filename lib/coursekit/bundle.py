"""make student-bundle: what a student receives, and nothing else.

    build/student-bundle/
        README.md          how to install, open and hand in
        release/           the released notebooks (no solution, no hidden test)
        shallownet-course/ the course library `shallownet` as an installable package
                           (pyproject.toml + shallownet/); not the instructor's `coursekit`

The JupyterHub environment installs the same package (coursekit.hub), and students fetch the
same release/ through nbgrader's exchange, so on the hub and off it students get exactly this.
The library is the course's reference implementation: readable by students by design.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import tomllib

from .paths import course_root

PACKAGE = "shallownet-course"

README = """# Shallow neural networks from scratch: the student bundle

This folder is everything you need to do the course's assignments on your own
machine. (On the course's JupyterHub you get the same notebooks from the
Assignments tab and the same library is already installed.)

- `release/<NN_topic>/<notebook>.ipynb`: the assignments, one folder each.
- `shallownet-course/`: the course library `shallownet` that the notebooks import.

## Install (once)

    python3 -m venv course-env
    course-env/bin/pip install -r requirements.txt
    course-env/bin/pip install ./shallownet-course

## Open

    course-env/bin/jupyter lab release/

Open an assignment's notebook, read it top to bottom, fill in every
`# YOUR CODE HERE` / `YOUR ANSWER HERE`, and run the visible checks after each
exercise. The Validate button (or `course-env/bin/nbgrader validate NOTEBOOK`)
runs every visible check at once.

## Hand in

Hand in the notebook file itself, unchanged in name, the way your instructor
says: the Assignments tab's Submit button on the course's JupyterHub, or an
upload to the course's page in the learning-management system (Canvas or
Moodle). Do not delete or copy cells: a deleted test cell sends your notebook
to be graded by hand.
"""


def _pins(root: Path) -> str:
    """requirements.txt without the test-only lines (pytest, hypothesis, nbval stay: harmless)."""
    return (root / "requirements.txt").read_text()


def student_package(dest: Path, root: Path | None = None) -> Path:
    """Write the installable package of the course library (shallownet only) into ``dest``."""
    root = course_root(root)
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copytree(
        root / "lib" / "shallownet", dest / "shallownet", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    deps = ", ".join(f'"{d}"' for d in project["dependencies"])
    (dest / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "{PACKAGE}"\nversion = "{project["version"]}"\n'
        "description = \"The library of the course 'Shallow neural networks from scratch' "
        '(students import shallownet)."\n'
        f'requires-python = "{project["requires-python"]}"\ndependencies = [{deps}]\n\n'
        '[tool.setuptools]\npackages = ["shallownet", "shallownet.widgets"]\n'
    )
    return dest


def build(dest: Path | None = None, root: Path | None = None) -> Path:
    """The whole bundle in ``dest`` (default build/student-bundle), replacing an older one."""
    root = course_root(root)
    dest = Path(dest) if dest else root / "build" / "student-bundle"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copytree(root / "release", dest / "release", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    student_package(dest / PACKAGE, root)
    (dest / "requirements.txt").write_text(_pins(root))
    (dest / "README.md").write_text(README)
    print(
        f"student bundle in {dest}: README.md, requirements.txt, release/, {PACKAGE}/ "
        "(no solution, no hidden test; hand it out as a zip)"
    )
    return dest
