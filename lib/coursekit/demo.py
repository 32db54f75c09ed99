"""make demo: release the course, fabricate a class from the real release notebooks, grade it, print the table.

Everything happens in build/demo/ (its own course root and gradebook), so the
instructor's submitted/ and gradebook.db are never touched.
"""

from __future__ import annotations

import json
import shutil
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from . import fabricate as fab
from .build import release
from .grade import grade
from .paths import assignments, course_root


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


@dataclass
class Work:
    """What the builders of CLASS see for one assignment."""

    rel: Path  # the release notebook
    name: str  # its file name
    ans: dict  # grade_id -> answer
    half: dict  # the first half of the answers
    first: str  # grade_id of the first solution code cell
    tests: list  # grade_ids of the test cells
    index: int = 0  # which notebook of the assignment (0: the first)

    def solved(self, **kw):
        return fab.submission(self.rel, fill=self.ans, **kw)

    def first_plus(self, code: str):
        """Everything solved, with ``code`` added to the first solution cell."""
        return fab.submission(self.rel, fill={**self.ans, self.first: self.ans[self.first] + code})


def _copy_cell(nb, grade_id, where=1):
    """The cell with ``grade_id`` copied and pasted ``where`` cells below (JupyterLab gives the copy a new id)."""
    i = next(k for k, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    copy = deepcopy(nb.cells[i])
    copy["id"] = f"{copy['id']}-copy"
    nb.cells.insert(i + where, copy)
    return nb


def _retyped(w: Work):
    nb = w.solved()
    cell = fab.cell(nb, w.first)
    cell.cell_type = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)
    return nb


def _old_format(w: Work):
    nb = w.solved()
    for c in nb.cells:
        c.pop("id", None)
    nb.nbformat_minor = 4
    return nb


def _stale_outputs(w: Work):
    nb = w.solved()
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = [new_output("error", ename="NameError", evalue="name 'x' is not defined", traceback=[])]
            c.execution_count = 99
    return nb


def _truncated(w: Work):
    text = nbformat.writes(w.solved())
    return Raw(text[: len(text) // 2])


#: Code an attacking student appends to a solved notebook; each line prints LEAK, WROTE or blocked.
READ_SECRETS = """
import glob, os
for pattern in ("../../../source/*/*.ipynb", "../../../gradebook.db", "../../../submitted/*/*/*.ipynb"):
    found = glob.glob(pattern)
    try:
        print(pattern, "LEAK" if found and open(found[0], "rb").read(16) else "blocked (nothing there)")
    except OSError as e:
        print(pattern, "blocked", type(e).__name__)
"""
WRITE_OTHERS = """
import glob, sqlite3
for path in glob.glob("../../../gradebook.db") or ["../../../gradebook.db"]:
    try:
        con = sqlite3.connect("file:" + path + "?mode=rw", uri=True, timeout=3)
        con.execute("CREATE TABLE pwned (x)")
        con.commit()
        print("gradebook WROTE")
    except Exception as e:
        print("gradebook blocked", type(e).__name__)
for path in glob.glob("../../../submitted/*/*/*.ipynb") or ["../../../submitted/perfect/x/x.ipynb"]:
    try:
        open(path, "a").close()
        print("submission WROTE", path)
    except OSError as e:
        print("submission blocked", type(e).__name__)
"""


def _attack(w: Work, code: str):
    nb = w.solved()
    nb.cells.append(new_code_cell(code))
    return nb


@dataclass
class Raw:
    """A hand-in that is not a notebook: the text (or bytes) written as the notebook file."""

    data: str | bytes


@dataclass
class Files:
    """A hand-in of several files: {file name: notebook or Raw}."""

    files: dict


#: student id -> (what that student handed in, for every assignment; how to build it from Work)
CLASS = {
    "perfect": ("every exercise solved and the reflection answered", lambda w: w.solved()),
    "partial": ("the first half of the exercises solved", lambda w: fab.submission(w.rel, fill=w.half)),
    "untouched": ("the release notebook as downloaded", lambda w: fab.submission(w.rel)),
    "syntax_error": (
        "a syntax error in the first exercise, the rest solved",
        lambda w: w.first_plus("\n    return (]\n"),
    ),
    "endless_loop": (
        "an endless loop in the first exercise, the rest solved",
        lambda w: w.first_plus("\nwhile True:\n    pass\n"),
    ),
    "kernel_crash": (
        "os._exit(1) in the first exercise",
        lambda w: fab.submission(w.rel, fill={**w.ans, w.first: "import os\nos._exit(1)\n"}),
    ),
    "deleted_test": ("everything solved, but the first test cell deleted", lambda w: w.solved(delete=[w.tests[0]])),
    "tampered_test": (
        "half solved, and every test cell edited to `assert True`",
        lambda w: fab.submission(w.rel, fill=w.half, replace={t: "assert True" for t in w.tests}),
    ),
    "corrupt_file": ("a truncated .ipynb (a download cut short)", _truncated),
    "not_utf8": ("a notebook file that is not UTF-8 text", lambda w: Raw(b"\xff\xfe{ not a notebook")),
    "huge_print": (
        "everything solved, plus a print of two million lines",
        lambda w: w.first_plus("\nprint('spam\\n' * 2_000_000)\n"),
    ),
    "nothing_handed_in": ("an empty assignment folder", lambda w: Files({})),
    "copied_test": (
        "everything solved; the first test cell copied and pasted (Edit > Copy, Edit > Paste)",
        lambda w: _copy_cell(w.solved(), w.tests[0]),
    ),
    "copied_solution": (
        "everything solved; the first solution cell copied and pasted",
        lambda w: _copy_cell(w.solved(), w.first),
    ),
    "retyped_cell": ("everything solved; the first solution cell turned into a markdown cell", _retyped),
    "renamed_file": (
        "everything solved, the notebook files renamed (as LMS downloads do)",
        lambda w: Files({f"submission ({w.index + 1}).ipynb": w.solved()}),
    ),
    "two_notebooks": (
        "everything solved, plus an Untitled.ipynb",
        lambda w: Files({w.name: w.solved(), "Untitled.ipynb": new_notebook()}),
    ),
    "old_format": ("everything solved, saved without cell ids (nbformat 4.4)", _old_format),
    "stale_outputs": ("everything solved, with an old kernel's error outputs left in", _stale_outputs),
    "reads_secrets": (
        "everything solved, plus a cell reading source/, the gradebook and other hand-ins",
        lambda w: _attack(w, READ_SECRETS),
    ),
    "writes_others": (
        "everything solved, plus a cell writing the gradebook and other students' hand-ins",
        lambda w: _attack(w, WRITE_OTHERS),
    ),
}


#: Students whose hand-in is the same for every notebook of an assignment of several notebooks; the
#: others have their accident in the first notebook and hand in the later ones solved.
EVERY_NOTEBOOK = {"partial", "untouched", "tampered_test", "nothing_handed_in", "renamed_file"}


def _work(part: fab.Part, index: int) -> Work:
    ans = fab.answers(part.src)
    code_ids = fab.solution_ids(part.src)
    return Work(
        part.rel,
        part.name,
        ans,
        {k: ans[k] for k in code_ids[: max(1, len(code_ids) // 2)]},
        code_ids[0],
        fab.test_cell_ids(part.rel),
        index,
    )


def fabricate_class(root: Path, assignment: str, students=tuple(CLASS)) -> None:
    """Write one submission per student in ``students`` (ids from CLASS) for one assignment."""
    root = Path(root)
    works = [_work(part, k) for k, part in enumerate(fab.parts(root, assignment))]
    for s in students:
        if s not in CLASS:
            raise ValueError(f"unknown demo student {s!r}; choose from {sorted(CLASS)}")
        build = CLASS[s][1]
        fab.write_all(root, s, assignment, {})  # the (empty) folder
        for w in works:
            hand_in = build(w) if w.index == 0 or s in EVERY_NOTEBOOK else w.solved()
            files = hand_in.files if isinstance(hand_in, Files) else {w.name: hand_in}
            for name, content in files.items():
                path = root / "submitted" / s / assignment / name
                if isinstance(content, Raw):
                    path.write_bytes(content.data if isinstance(content.data, bytes) else content.data.encode())
                elif content.get("nbformat_minor", 5) >= 5:
                    nbformat.write(content, path, version=4)
                else:
                    path.write_text(json.dumps(content, indent=1))


def demo(
    assignment: str | None = None,
    jobs: int = 2,
    timeout: int = 30,
    use_sandbox: bool = True,
    target: Path | None = None,
):
    """Release, fabricate the class of CLASS for every assignment (or one), grade, print the table."""
    target = Path(target or course_root() / "build" / "demo")
    print(f"demo course in {target}: releasing with nbgrader …", flush=True)
    ids = make_course(target, only=assignment)
    print("the class:")
    for s, (what, _) in CLASS.items():
        print(f"  {s:<18} {what}")
    for a in ids:
        fabricate_class(target, a)
    return grade(target, jobs=jobs, timeout=timeout, use_sandbox=use_sandbox, details=True)
