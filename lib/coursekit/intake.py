"""What a student handed in, made gradable: the first step of grading one submission.

``take_in(folder, expected)`` reads submitted/<student>/<assignment>/ and returns an
Intake: either the notebooks to grade (each under the name nbgrader expects) with
notes a person can read, or the sentence saying why nothing can be graded.
Only the copy it writes is changed (build/intake/…); the hand-in stays as it was.

What it does with the accidents of JupyterLab, Notebook, VS Code and Colab:

* a cell copied and pasted, or split (two cells with one grade id): the LAST copy keeps the
  grade id and is graded, as nbgrader's DeduplicateIds decides; the earlier copies become
  ordinary cells that still run in place (stock nbgrader stops the whole batch here);
* a graded or solution cell whose type was changed (code / markdown / raw): it gets its type
  back (nbgrader's OverwriteCells does the same for test cells, not for solution cells);
* a test cell edited by the student: restored by nbgrader; the note says which;
* a notebook saved without cell ids (nbformat 4.4, older editors) or with repeated ids:
  ids are added or made unique;
* a renamed notebook file (LMS downloads rename them), or extra notebooks: each notebook of the
  assignment is graded from the file with its name, else (one file for one notebook left) from
  that file, else from the file holding most of that notebook's graded cells (ties: the newest);
  the notes name the files renamed and the files left out;
* an assignment of several notebooks with one of them missing or unreadable: that notebook scores
  0 with a note, the others are graded;
* a file that is not a notebook: the reason says where it breaks ("not valid UTF-8 at byte 3",
  "it ends after 20,117 bytes in the middle of cell 31").

Cleared outputs, old outputs (nbgrader clears them), moved cells (graded in the order handed
in, as Run All runs them), attachments and extra files need nothing here.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

#: Files of a hand-in that are never copied (editor and OS clutter).
IGNORED = {".ipynb_checkpoints", "__pycache__", ".DS_Store"}


class NotGradable(Exception):
    """A hand-in nothing can be run from; the message is the sentence for the instructor."""


@dataclass
class Intake:
    notebooks: dict = field(default_factory=dict)  # expected name -> NotebookNode to grade
    notes: list = field(default_factory=list)  # sentences for the reason column
    status: str = "ok"  # ok | missing | failed
    reason: str = ""  # for missing / failed


def _regular_files(folder: Path) -> list[Path]:
    """Regular files of ``folder`` (recursively), symbolic links and special files skipped."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in IGNORED and not os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if name not in IGNORED and stat.S_ISREG(os.lstat(p).st_mode):
                out.append(p)
    return out


def read_notebook(path: Path):
    """The notebook at ``path``; NotGradable with a sentence saying where the file breaks."""
    data = path.read_bytes()
    if not data.strip():
        raise NotGradable(f"`{path.name}` is empty ({len(data)} bytes): nothing was handed in in it")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise NotGradable(f"`{path.name}` is not a notebook: not valid UTF-8 at byte {e.start:,}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        truncated = not text.rstrip().endswith("}")
        cell = text[: len(text) if truncated else e.pos].count('"cell_type"')
        where = f" in the middle of cell {cell}" if cell else ""
        if truncated:
            raise NotGradable(
                f"`{path.name}` is not a notebook: it ends after {len(data):,} bytes{where} "
                "(a download or copy cut short?)"
            ) from None
        raise NotGradable(
            f"`{path.name}` is not a notebook: invalid JSON at line {e.lineno}, column {e.colno}{where} ({e.msg})"
        ) from None
    if not isinstance(raw, dict) or ("cells" not in raw and "worksheets" not in raw):
        raise NotGradable(f"`{path.name}` is JSON but not a notebook (no cells)")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as e:  # nbformat's own reasons (a version it does not know, a broken cell)
        raise NotGradable(f"`{path.name}` is not a notebook nbformat can read: {e}"[:300]) from None
    if not isinstance(nb.get("cells"), list) or any(not isinstance(c, dict) or "cell_type" not in c for c in nb.cells):
        raise NotGradable(f"`{path.name}` is not a notebook: its cells are malformed")
    return nb


def _grade_ids(nb) -> list[str]:
    return [
        c.metadata["nbgrader"].get("grade_id")
        for c in nb.cells
        if isinstance(c.get("metadata", {}).get("nbgrader"), dict) and c.metadata["nbgrader"].get("grade_id")
    ]


def _match(files: list[Path], expected: dict, notes: list) -> dict[str, Path]:
    """{expected name: the file graded as it} (see the module docstring); notes name the files renamed or
    left out. Exact names first; then the one file left for the one notebook left; then, pair by pair, the
    file holding most of a notebook's graded cells (ties: the newer, then the name)."""
    left = list(files)
    out: dict[str, Path] = {}
    for name in sorted(expected):
        exact = [f for f in left if f.name == f"{name}.ipynb"]
        if exact:
            out[name] = exact[0]
            left.remove(exact[0])
    todo = [n for n in sorted(expected) if n not in out]
    if len(todo) == 1 and len(left) == 1:
        out[todo[0]] = left.pop()
    elif todo and left:
        cached: dict[Path, set] = {}

        def ids(f: Path) -> set:
            if f not in cached:
                try:
                    cached[f] = set(_grade_ids(read_notebook(f)))
                except (NotGradable, OSError):
                    cached[f] = set()
            return cached[f]

        pairs = sorted(
            ((len(set(_grade_ids(expected[n])) & ids(f)), f.stat().st_mtime, f.name, n, f) for n in todo for f in left),
            key=lambda p: p[:4],
            reverse=True,
        )
        for *_, n, f in pairs:
            if n not in out and f in left:
                out[n] = f
                left.remove(f)
    for name, f in sorted(out.items()):
        if f.name != f"{name}.ipynb":
            notes.append(f"handed in as `{f.name}`, graded as `{name}.ipynb`")
    if left:
        notes.append(f"also handed in {', '.join(f'`{f.name}`' for f in left)}: not graded")
    return out


def repair(nb, reference) -> list[str]:
    """Fix the accidents of the module docstring in ``nb`` (in place); returns the notes."""
    notes = []
    types = {}
    for c in reference.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("grade_id"):
            types[meta["grade_id"]] = (c.cell_type, c.source, meta)
    # repeated grade ids: the last copy keeps it
    seen: dict[str, int] = {}
    for c in nb.cells:
        meta = c.get("metadata", {}).get("nbgrader")
        if isinstance(meta, dict) and meta.get("grade_id"):
            seen[meta["grade_id"]] = seen.get(meta["grade_id"], 0) + 1
    for gid, n in seen.items():
        if n > 1:
            copies = [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == gid]
            for c in copies[:-1]:
                del c.metadata["nbgrader"]
                c.metadata.pop("deletable", None)
                c.metadata.pop("editable", None)
            notes.append(
                f"cell `{gid}` was there {n} times (copied and pasted, or split): the last copy "
                "was graded, the others ran as ordinary cells"
            )
    # changed cell types; edited test cells
    retyped, edited = [], []
    for c in nb.cells:
        meta = c.get("metadata", {}).get("nbgrader")
        if not isinstance(meta, dict) or meta.get("grade_id") not in types:
            continue
        cell_type, source, ref_meta = types[meta["grade_id"]]
        if c.cell_type != cell_type:
            retyped.append(f"`{meta['grade_id']}` ({c.cell_type})")
            new = (
                nbformat.v4.new_code_cell
                if cell_type == "code"
                else nbformat.v4.new_markdown_cell
                if cell_type == "markdown"
                else nbformat.v4.new_raw_cell
            )(c.source, metadata=c.metadata)
            new["id"] = c.get("id") or meta["grade_id"]
            c.clear()
            c.update(new)
        if ref_meta.get("locked") and not ref_meta.get("solution") and c.source != source:
            edited.append(f"`{meta['grade_id']}`")
    if retyped:
        notes.append("cells whose type had been changed were graded with their original type: " + ", ".join(retyped))
    if edited:
        more = f" and {len(edited) - 3} more" if len(edited) > 3 else ""
        notes.append(f"test cells edited by the student were restored ({len(edited)}): " + ", ".join(edited[:3]) + more)
    # cell ids: present and unique (nbformat 4.5)
    ids = set()
    for c in nb.cells:
        cid = c.get("id")
        if not cid or cid in ids:
            gid = c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            c["id"] = gid if gid and gid not in ids else uuid.uuid4().hex[:8]
        ids.add(c["id"])
    nb.nbformat, nb.nbformat_minor = 4, max(5, nb.get("nbformat_minor", 5))
    return notes


def take_in(folder: Path, expected: dict) -> Intake:
    """Read one hand-in; ``expected``: {notebook name without .ipynb: reference (release) notebook}.

    An assignment of several notebooks is graded notebook by notebook: one that was not handed in, or
    cannot be read, scores 0 with a note, and the others are graded; only when none can be graded is
    the hand-in ``failed``."""
    folder = Path(folder)
    if not folder.is_dir():
        return Intake(status="missing", reason="not handed in")
    files = [f for f in _regular_files(folder) if f.suffix == ".ipynb" and f.parent == folder]
    if not files:
        return Intake(status="missing", reason="the folder was handed in without a notebook")
    out = Intake()
    chosen = _match(files, expected, out.notes)
    unreadable = []  # (name, sentence)
    for name, reference in sorted(expected.items()):
        if name not in chosen:
            out.notes.append(f"`{name}.ipynb` was not handed in: its cells score 0")
            continue
        try:
            nb = read_notebook(chosen[name])
        except NotGradable as e:
            unreadable.append((name, str(e)))
            continue
        out.notes += repair(nb, reference)
        out.notebooks[name] = nb
    if not out.notebooks:
        reason = "; ".join(why for _, why in unreadable) or "no notebook of the assignment was handed in"
        return Intake(status="failed", reason=reason, notes=out.notes)
    out.notes += [f"{why}; `{name}.ipynb` scores 0" for name, why in unreadable]
    return out


def stage(intake: Intake, folder: Path, dest: Path) -> None:
    """Write the gradable copy: the repaired notebooks and the hand-in's other regular files."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for f in _regular_files(folder):
        if f.suffix != ".ipynb":
            target = dest / f.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
    for name, nb in intake.notebooks.items():
        nbformat.write(nb, dest / f"{name}.ipynb", version=4)
