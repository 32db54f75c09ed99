"""make demo: release the course, fabricate a class from the real release notebooks, grade it, print the table.

Everything happens in build/demo/ (its own course root and gradebook), so the
instructor's submitted/ and gradebook.db are never touched.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from . import fabricate as fab
from .build import release
from .grade import grade
from .paths import assignments, course_root

#: student id -> what that student handed in (the same for every assignment)
CLASS = {
    "perfect": "every exercise solved and the reflection answered",
    "partial": "the first half of the exercises solved",
    "untouched": "the release notebook as downloaded",
    "syntax_error": "a syntax error in the first exercise, the rest solved",
    "endless_loop": "an endless loop in the first exercise, the rest solved",
    "kernel_crash": "os._exit(1) in the first exercise",
    "deleted_test": "everything solved, but the first test cell deleted",
    "tampered_test": "half solved, and every test cell edited to `assert True`",
    "corrupt_file": "a truncated .ipynb (not valid JSON)",
    "huge_print": "everything solved, plus a print of two million lines",
    "nothing_handed_in": "an empty assignment folder",
}


def make_course(target: Path, source_root: Path | None = None, only=None) -> list[str]:
    """A fresh course root at ``target`` with source/ and the nbgrader config; releases it. Returns assignment ids."""
    target = Path(target)
    source_root = course_root(source_root)
    if target.exists():
        shutil.rmtree(target)
    (target / "source").mkdir(parents=True)
    shutil.copy(Path(source_root) / "nbgrader_config.py", target)
    shutil.copy(Path(source_root) / "source" / "header.ipynb", target / "source")
    ids = [only] if isinstance(only, str) else list(only) if only else assignments(source_root)
    for a in ids:
        shutil.copytree(Path(source_root) / "source" / a, target / "source" / a)
    release(target, quiet=True)
    return ids


def fabricate_class(root: Path, assignment: str, students=tuple(CLASS)) -> None:
    """Write one submission per student in ``students`` (ids from CLASS) for one assignment."""
    root = Path(root)
    src = next((root / "source" / assignment).glob("*.ipynb"))
    rel = root / "release" / assignment / src.name
    ans = fab.answers(src)
    code_ids = fab.solution_ids(src)
    tests = fab.test_cell_ids(rel)
    half = {k: ans[k] for k in code_ids[: max(1, len(code_ids) // 2)]}
    first = code_ids[0]
    name = src.name
    for s in students:
        if s == "perfect":
            nb = fab.submission(rel, fill=ans)
        elif s == "partial":
            nb = fab.submission(rel, fill=half)
        elif s == "untouched":
            nb = fab.submission(rel)
        elif s == "syntax_error":
            nb = fab.submission(rel, fill={**ans, first: ans[first] + "\n    return (]\n"})
        elif s == "endless_loop":
            nb = fab.submission(rel, fill={**ans, first: ans[first] + "\nwhile True:\n    pass\n"})
        elif s == "kernel_crash":
            nb = fab.submission(rel, fill={**ans, first: "import os\nos._exit(1)\n"})
        elif s == "deleted_test":
            nb = fab.submission(rel, fill=ans, delete=[tests[0]])
        elif s == "tampered_test":
            nb = fab.submission(rel, fill=half, replace={t: "assert True" for t in tests})
        elif s == "corrupt_file":
            text = nbformat.writes(fab.submission(rel, fill=ans))
            fab.write(root, s, assignment, name, raw=text[: len(text) // 2])
            continue
        elif s == "huge_print":
            nb = fab.submission(rel, fill={**ans, first: ans[first] + "\nprint('spam\\n' * 2_000_000)\n"})
        elif s == "nothing_handed_in":
            fab.write(root, s, assignment, name)
            continue
        else:
            raise ValueError(f"unknown demo student {s!r}; choose from {sorted(CLASS)}")
        fab.write(root, s, assignment, name, nb)


def demo(assignment: str | None = None, jobs: int = 2, timeout: int = 30, use_sandbox: bool = True,
         target: Path | None = None):
    """Release, fabricate the class of CLASS for every assignment (or one), grade, print the table."""
    target = Path(target or course_root() / "build" / "demo")
    print(f"demo course in {target}: releasing with nbgrader …", flush=True)
    ids = make_course(target, only=assignment)
    print("the class:")
    for s, what in CLASS.items():
        print(f"  {s:<18} {what}")
    for a in ids:
        fabricate_class(target, a)
    return grade(target, jobs=jobs, timeout=timeout, use_sandbox=use_sandbox, details=True)
