"""Grading one submission: one call, explicit inputs and outputs, every failure caught.

    record = grade_submission(Task(root, student, assignment, config, ...))

In: the course's files under ``root`` (source/, release/, nbgrader_config.py), the hand-in
submitted/<student>/<assignment>/, the gradebook at ``db_url``, and the grading
configuration (grading_config.py, as a plain dict). Out: autograded/<student>/<assignment>/,
feedback/<student>/<assignment>/*.html, the scores in the gradebook, and the record
returned (and written to build/grade-records/<student>/<assignment>.json): status, reason,
notes and, per graded cell, score, max, outcome and its one-line message.

It runs nbgrader's Autograde and GenerateFeedback converters through their Python API for
this one submission, in whatever process calls it (grade.py runs it in long-lived worker
processes, one per core). Nothing in it depends on other submissions, on the current
folder or on the calling process: a later step can hand the same calls to another engine.

Statuses: graded, flagged (a test cell deleted or damaged: scored 0 there until graded by
hand), crashed (the kernel died: cells before keep their points), failed (nothing could
be run: the file is not a notebook), missing, error (could not be graded for a reason that
is not the student's: a bug in the course's code, the gradebook, the sandbox).
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import logging
import os
import re
import shutil
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from .intake import stage, take_in
from .sandbox_execute import KERNEL_DIED, NOT_RUN

COURSE_ID = "shallownet"
#: The intake copies live here (relative to the course root; nbgrader's submitted_directory).
INTAKE = "build/intake"
RECORDS = "build/grade-records"
LOGS = "build/grade-logs"
#: ipykernel's name for a cell's code in tracebacks and SyntaxErrors: "(2427260349.py, line 34)".
#: How jupyter_client says that a kernel did not start (sandbox_execute.ReadyClient uses the same words).
STARTUP_FAILURES = ("before replying to kernel_info", "didn't respond in")
_KERNEL_FILE = re.compile(r"(?:/tmp/ipykernel_\d+/)?\b\d{6,}\.py(?:, line |:)(\d+)")


@dataclass
class Task:
    root: str
    student: str
    assignment: str
    config: dict  # grading_config(...) as a dict
    db_url: str = ""  # nbgrader's gradebook; default: SQLite in the course root
    feedback: bool = True
    fingerprint: str = ""  # what the record is valid for (grade.py skips unchanged ones)
    max_score: float | None = None  # the assignment's (read from the gradebook when None)
    record: dict | None = None  # with a record: only write its feedback again (points given by hand)


@dataclass
class Record:
    student: str
    assignment: str
    status: str = "graded"
    reason: str = ""
    notes: list = field(default_factory=list)
    score: float = 0.0
    max_score: float = 0.0
    manual: bool = False  # written answers (or flagged cells) waiting for a person
    manual_points: float = 0.0  # points of those still to be graded by hand
    cells: list = field(default_factory=list)  # [{grade_id, notebook, score, max_score, outcome, message}]
    solution_errors: list = field(default_factory=list)  # "solution cell `x`: SyntaxError: …"
    died_in: str = ""  # the cell the kernel died in (status crashed)
    internal: str = ""  # for status error: the traceback, for the instructor
    fingerprint: str = ""
    seconds: float = 0.0


def is_startup_failure(exc: BaseException) -> bool:
    """Whether ``exc`` says that a kernel died or stayed silent before running any cell."""
    return any(w in str(exc) for w in STARTUP_FAILURES) or type(exc).__name__ == "DeadKernelError"


def db_url(root) -> str:
    return f"sqlite:///{Path(root) / 'gradebook.db'}"


def fingerprint(root: Path, student: str, assignment: str, settings: str) -> str:
    """Hash of the hand-in's files, the assignment's source and the grading settings."""
    h = hashlib.sha256(settings.encode())
    for base in (Path(root) / "submitted" / student / assignment, Path(root) / "source" / assignment):
        if base.is_dir():
            for p in sorted(base.rglob("*")):
                if p.is_file() and not p.is_symlink():
                    h.update(str(p.relative_to(base)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


# --- nbgrader, for one submission -------------------------------------------------------------

_CONVERTERS: dict = {}  # per process: (kind, root, config) -> converter (its exporter is reused)


def _converter(kind: str, task: Task, log: logging.Logger):
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from .build import nbgrader_config

    key = (kind, task.root, json.dumps(task.config, sort_keys=True, default=str), task.db_url)
    conv = _CONVERTERS.get(key)
    if conv is None:
        cfg = nbgrader_config(Path(task.root))
        cfg.merge(Config(task.config))
        cfg.CourseDirectory.submitted_directory = INTAKE
        cfg.CourseDirectory.db_url = task.db_url or db_url(task.root)
        cfg.CourseDirectory.course_id = COURSE_ID
        if kind == "autograde":
            from nbgrader.converters import Autograde

            cls = type("OneAutograde", (_One, Autograde), {})
        else:
            from nbgrader.converters import GenerateFeedback

            cls = type("OneFeedback", (_One, GenerateFeedback), {})
        coursedir = CourseDirectory(config=cfg)
        conv = cls(coursedir=coursedir, config=cfg)
        conv.force = True
        _CONVERTERS[key] = conv
    conv.log = log
    conv.coursedir.student_id = task.student
    conv.coursedir.assignment_id = task.assignment
    return conv


if TYPE_CHECKING:
    from nbgrader.converters.base import BaseConverter as _ConverterBase
else:
    _ConverterBase = object


class _One(_ConverterBase):
    """A converter over exactly one submission, whose exceptions reach the caller.

    nbgrader's BaseConverter.convert_notebooks catches every exception per submission, logs
    it and raises a generic NbGraderException at the end (its command then calls sys.exit);
    here the exception itself propagates, so the record can say what happened. The exporter
    and writer are made once and reused (feedback's HTML templates load once per process).
    """

    def run(self) -> None:
        from nbconvert.writers import FilesWriter

        self.init_notebooks()
        if not getattr(self, "_made", False):
            self._made = True
            self.writer = FilesWriter(parent=self, config=self.config)
            self.exporter = self.exporter_class(parent=self, config=self.config)
            for pp in self.preprocessors:
                self.exporter.register_preprocessor(pp)
        # nbconvert's FilesWriter makes its build directory only when that setting changes: a submission
        # graded again in this process (the retry of a kernel that did not start) would find it removed
        self.writer.build_directory = ""
        cwd = os.getcwd()
        os.chdir(self.coursedir.root)
        try:
            self.convert_notebooks()
        finally:
            os.chdir(cwd)

    def destination(self, assignment: str, student: str) -> str:
        """The folder this converter writes for one submission (autograded/ or feedback/)."""
        from nbgrader.converters import Autograde

        step = self.coursedir.autograded_directory if isinstance(self, Autograde) else self.coursedir.feedback_directory
        return self.coursedir.format_path(step, student, assignment)

    def convert_notebooks(self) -> None:
        a, s = self.coursedir.assignment_id, self.coursedir.student_id
        for folder in sorted(self.assignments):
            self.notebooks = sorted(self.assignments[folder])
            self.init_destination(a, s)
            try:
                self.init_assignment(a, s)
                for nb in self.notebooks:
                    self.convert_single_notebook(nb)
                self.set_permissions(a, s)
            except BaseException:
                shutil.rmtree(self.destination(a, s), ignore_errors=True)
                raise


# --- reading what happened ---------------------------------------------------------------------


def _one_line(text: str, cell_name: str) -> str:
    line = next((x.strip() for x in str(text).splitlines() if x.strip()), "")
    return _KERNEL_FILE.sub(lambda m: f"cell `{cell_name}`, line {m.group(1)}", line)[:200]


def cell_outcome(cell, timeout: int) -> tuple[str, str]:
    """(outcome, one-line message) of a graded code cell of an autograded notebook."""
    gid = cell.metadata.get("nbgrader", {}).get("grade_id", cell.get("id", "?"))
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        names = {o.get("ename", "") for o in errors}
        o = errors[0]
        ename, evalue = o.get("ename", ""), _one_line(o.get("evalue", ""), gid)
        if any("Timeout" in n for n in names):  # interrupted (KeyboardInterrupt), then the timeout noted
            return "timed out", f"timed out after {timeout} s (an endless loop?)"
        if ename == NOT_RUN:
            return "not run", evalue
        if ename == KERNEL_DIED:
            return "error", evalue
        if ename == "NotImplementedError" and not evalue:
            return "failed", "not answered (NotImplementedError)"
        if ename == "AssertionError":
            return "failed", evalue or "a check failed (AssertionError)"
        return "error", f"{ename}: {evalue}" if evalue else ename
    stderr = [o for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    if stderr:
        first = _one_line(stderr[0].get("text", ""), gid)
        return "failed", f"wrote to stderr (a warning?), which nbgrader scores 0: {first}"
    return "passed", ""


def _record_from_gradebook(task: Task, rec: Record, timeout: int, graded: set[str]) -> str | None:
    """Fill ``rec`` from the gradebook and the autograded notebooks (``graded``: the names of the notebooks
    the intake found; nbgrader scores the others 0); returns the cell the kernel died in."""
    from nbgrader.api import Gradebook, MissingEntry

    died_in = None
    root = Path(task.root)
    with Gradebook(task.db_url or db_url(root), COURSE_ID) as gb:
        try:
            sub = gb.find_submission(task.assignment, task.student)
        except MissingEntry:
            raise RuntimeError("nbgrader finished without recording a grade") from None
        rec.score = float(sub.score)
        rec.max_score = float(sub.max_score)
        flagged = []
        for nbsub in sub.notebooks:
            path = root / "autograded" / task.student / task.assignment / f"{nbsub.name}.ipynb"
            cells = {}
            if path.exists():
                for c in nbformat.read(path, as_version=4).cells:
                    gid = c.metadata.get("nbgrader", {}).get("grade_id")
                    if any(
                        o.get("output_type") == "error" and o.get("ename") == KERNEL_DIED for o in c.get("outputs", [])
                    ):
                        died_in = gid or c.get("id")
                    if gid:
                        cells[gid] = c
            for gid, c in cells.items():
                meta = c.metadata.get("nbgrader", {})
                if c.cell_type == "code" and meta.get("solution") and not meta.get("grade"):
                    outcome, message = cell_outcome(c, timeout)
                    answered = not message.startswith("not answered")
                    if outcome in ("error", "timed out") or (outcome == "failed" and answered):
                        rec.solution_errors.append(f"solution cell `{gid}`: {message}")
            order = {gid: i for i, gid in enumerate(cells)}
            for g in sorted(nbsub.grades, key=lambda g: order.get(g.name, len(order))):
                cell = cells.get(g.name)
                entry = {
                    "grade_id": g.name,
                    "notebook": nbsub.name,
                    "score": float(g.score),
                    "max_score": float(g.max_score),
                    "outcome": "",
                    "message": "",
                }
                if nbsub.name not in graded:
                    entry["outcome"], entry["message"] = "not handed in", f"`{nbsub.name}.ipynb` was not graded"
                elif cell is None:
                    entry["outcome"], entry["message"] = "deleted", "the cell was deleted"
                    flagged.append(g.name)
                elif (g.needs_manual_grade and g.cell.cell_type == "markdown") or (
                    g.needs_manual_grade and nbformat_is_solution(cell)
                ):
                    entry["outcome"], entry["message"] = "to grade by hand", "waiting for a person (formgrader)"
                    rec.manual = True
                    rec.manual_points += float(g.max_score)
                elif g.needs_manual_grade:
                    entry["outcome"], entry["message"] = "to grade by hand", "a test cell nbgrader could not score"
                    flagged.append(g.name)
                elif cell.cell_type == "markdown" or nbformat_is_solution(cell):
                    entry["outcome"] = "graded by hand" if g.manual_score is not None else "passed"
                else:
                    entry["outcome"], entry["message"] = cell_outcome(cell, timeout)
                rec.cells.append(entry)
        if flagged:
            rec.status = "flagged"
            rec.manual = True
            rec.manual_points += sum(c["max_score"] for c in rec.cells if c["grade_id"] in flagged)
    return died_in


def nbformat_is_solution(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def _explain(rec: Record, died_in: str | None) -> str:
    parts = []
    deleted = [c["grade_id"] for c in rec.cells if c["outcome"] == "deleted"]
    damaged = [
        c["grade_id"]
        for c in rec.cells
        if c["outcome"] == "to grade by hand"
        and c["grade_id"] not in deleted
        and rec.status == "flagged"
        and "test cell" in c["message"]
    ]
    if deleted:
        parts.append(
            f"test cell{'s' if len(deleted) > 1 else ''} {', '.join(f'`{d}`' for d in deleted)} "
            f"{'were' if len(deleted) > 1 else 'was'} deleted (0 there until graded by hand)"
        )
    if damaged:
        parts.append("test cells nbgrader could not score, to grade by hand: " + ", ".join(f"`{d}`" for d in damaged))
    if died_in:
        lost = sum(1 for c in rec.cells if c["outcome"] == "not run")
        parts.append(
            f"the kernel died in cell `{died_in}` (os._exit, a crash or the memory limit): the cells "
            f"before it kept their points, {lost} graded cell(s) after it were not run and score 0"
        )
    parts += rec.notes + rec.solution_errors[:2]
    failing = [
        f"{c['grade_id']}: {c['message']}" for c in rec.cells if c["outcome"] in ("failed", "error", "timed out")
    ]
    parts += failing[:2] + ([f"and {len(failing) - 2} more failing test cell(s)"] if len(failing) > 2 else [])
    if rec.manual_points and rec.status != "flagged":
        parts.append(f"{rec.manual_points:g} point(s) to be graded by hand")
    return "; ".join(parts)


PENDING = ("to grade by hand", "deleted")


def refresh(rec: dict, gb) -> bool:
    """Bring a record of an earlier run up to the gradebook's scores (points given by hand in the
    formgrader since); clears the pending mark of cells graded by hand. Returns whether it changed."""
    from nbgrader.api import MissingEntry

    try:
        sub = gb.find_submission(rec["assignment"], rec["student"])
    except MissingEntry:
        return False
    grades = {g.name: g for nb in sub.notebooks for g in nb.grades}
    changed = False
    for c in rec["cells"]:
        g = grades.get(c["grade_id"])
        if g is None:
            continue
        if c["outcome"] in PENDING and not g.needs_manual_grade:
            c["outcome"], c["message"] = "graded by hand", ""
            changed = True
        if float(g.score) != c["score"]:
            c["score"] = float(g.score)
            changed = True
    if changed:
        rec["score"] = float(sub.score)
        pending = [c for c in rec["cells"] if c["outcome"] in PENDING]
        rec["manual"] = bool(pending)
        rec["manual_points"] = sum(c["max_score"] for c in pending)
        if rec["status"] == "flagged" and not any(
            c["outcome"] == "deleted" or "test cell" in c["message"] for c in pending
        ):
            rec["status"] = "graded"
        known = {f for f in Record.__dataclass_fields__}
        rec["reason"] = _explain(Record(**{k: v for k, v in rec.items() if k in known}), rec.get("died_in") or None)
    return changed


# --- feedback for what nbgrader cannot give feedback on ------------------------------------------


def _plain_feedback(root: Path, task: Task, rec: Record, names: list[str]) -> None:
    folder = root / "feedback" / task.student / task.assignment
    folder.mkdir(parents=True, exist_ok=True)
    body = (
        f"<h1>{html.escape(task.assignment)}: not graded</h1>"
        f"<p>Score: {rec.score:g} / {rec.max_score:g}</p>"
        f"<p>{html.escape(rec.reason)}</p>"
        "<p>Nothing in this hand-in could be run. Ask your instructor how to hand it in again.</p>"
    )
    for name in names:
        (folder / f"{name}.html").write_text(
            f"<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{html.escape(name)}</title></head><body>{body}</body></html>"
        )


def _banner(root: Path, task: Task, rec: Record) -> None:
    """Put what the scores alone do not say at the top of each feedback page: work waiting for a
    person ("2 point(s) to be graded by hand"), a crash, the accidents repaired."""
    lines = []
    if rec.status == "flagged":
        lines.append("Some test cells were deleted or damaged: your instructor grades them by hand.")
    if rec.status == "crashed":
        lines.append(next((p for p in rec.reason.split("; ") if p.startswith("the kernel died")), ""))
    if rec.manual_points:
        lines.append(f"{rec.manual_points:g} point(s) to be graded by hand: the score above is not final.")
    lines += rec.notes
    if not lines:
        return
    block = (
        '<div class="alert alert-info" id="grading-notes">'
        + "".join(f"<p>{html.escape(x)}</p>" for x in lines if x)
        + "</div>"
    )
    for page in (root / "feedback" / task.student / task.assignment).glob("*.html"):
        text = page.read_text()
        at = text.find("<main")
        at = text.find(">", at) + 1 if at >= 0 else text.find(">", text.find("<body")) + 1
        page.write_text(text[:at] + block + text[at:])


# --- the call ------------------------------------------------------------------------------------

_RELEASED: dict = {}  # per process: (path, mtime) -> release notebook (the reference of intake.repair)


def _expected(root: Path, assignment: str) -> dict:
    out = {}
    for p in sorted((root / "release" / assignment).glob("*.ipynb")):
        key = (str(p), p.stat().st_mtime_ns)
        if key not in _RELEASED:
            _RELEASED[key] = nbformat.read(p, as_version=4)
        out[p.stem] = copy.deepcopy(_RELEASED[key])
    return out


def _log_for(root: Path, task: Task) -> tuple[logging.Logger, logging.Handler]:
    path = root / LOGS / task.student / f"{task.assignment}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    log = logging.getLogger(f"coursekit.grading.{os.getpid()}")
    log.propagate = False
    log.setLevel(logging.INFO)
    for h in list(log.handlers):
        log.removeHandler(h)
    handler = logging.FileHandler(path, mode="w")
    handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    log.addHandler(handler)
    return log, handler


def _grade(task: Task, rec: Record) -> None:
    root = Path(task.root)
    timeout = int(task.config.get("ExecutePreprocessor", {}).get("timeout", 30))
    for d in ("autograded", "feedback"):
        shutil.rmtree(root / d / task.student / task.assignment, ignore_errors=True)
    expected = _expected(root, task.assignment)
    if not expected:
        raise RuntimeError(f"release/{task.assignment}/ holds no notebook: run make release")
    rec.max_score = task.max_score if task.max_score is not None else _max_score(task)
    intake = take_in(root / "submitted" / task.student / task.assignment, expected)
    rec.notes = intake.notes
    if intake.status != "ok":
        rec.status, rec.reason = intake.status, "; ".join([intake.reason, *intake.notes])
        if intake.status == "failed" and task.feedback:
            _plain_feedback(root, task, rec, list(expected))
        return
    stage(intake, root / "submitted" / task.student / task.assignment, root / INTAKE / task.student / task.assignment)
    log, handler = _log_for(root, task)
    try:
        conv = _converter("autograde", task, log)
        try:
            conv.run()
        except Exception as e:
            # A kernel that dies or stays silent before its first reply never ran student code:
            # a start-up failure of the machine, not of the submission. Tried once more.
            if not is_startup_failure(e):
                raise
            log.warning("the kernel did not start (%s): trying once more", e)
            conv.run()
        died_in = _record_from_gradebook(task, rec, timeout, set(intake.notebooks))
        rec.died_in = died_in or ""
        if died_in and rec.status == "graded":
            rec.status = "crashed"
        rec.reason = _explain(rec, died_in)
        if task.feedback:
            _converter("feedback", task, log).run()
            _banner(root, task, rec)
    finally:
        log.removeHandler(handler)
        handler.close()
        shutil.rmtree(root / INTAKE / task.student / task.assignment, ignore_errors=True)


def _max_score(task: Task) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(task.db_url or db_url(task.root), COURSE_ID) as gb:
        return float(gb.find_assignment(task.assignment).max_score)


def _feedback_again(task: Task, rec: Record) -> None:
    """The feedback of an already graded submission, written again from the gradebook's scores."""
    root = Path(task.root)
    log, handler = _log_for(root, task)
    try:
        shutil.rmtree(root / "feedback" / task.student / task.assignment, ignore_errors=True)
        _converter("feedback", task, log).run()
        _banner(root, task, rec)
    finally:
        log.removeHandler(handler)
        handler.close()


def grade_submission(task: Task) -> dict:
    """Grade one submission; never raises (anything unexpected becomes status ``error``).

    With ``task.record`` (a record of an earlier run, brought up to the gradebook by refresh()),
    only its feedback is written again."""
    t0 = time.perf_counter()
    known = set(Record.__dataclass_fields__)
    rec = (
        Record(**{k: v for k, v in task.record.items() if k in known})
        if task.record
        else Record(task.student, task.assignment, fingerprint=task.fingerprint)
    )
    try:
        if task.record:
            _feedback_again(task, rec)
        else:
            _grade(task, rec)
    except BaseException as e:  # SystemExit and KeyboardInterrupt from nbgrader included
        if isinstance(e, KeyboardInterrupt):
            raise
        rec.status = "error"
        rec.internal = "".join(traceback.format_exception(e))[-4000:]
        where = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
        at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
        rec.reason = (
            f"not graded because of an internal error, not the student's doing: "
            f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else '(no message)'}"
            f"{at}; see build/grade-logs/{task.student}/{task.assignment}.log, fix it and re-run make grade"
        )
        rec.cells = []
        rec.score = 0.0
        try:
            with open(root_log(task), "a") as f:
                f.write("\n" + rec.internal)
        except OSError:
            pass
    rec.seconds = round(time.perf_counter() - t0, 3)
    out = asdict(rec)
    try:
        path = Path(task.root) / RECORDS / task.student / f"{task.assignment}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(out, indent=1))
        os.replace(tmp, path)
    except OSError as e:
        out["status"], out["reason"] = "error", f"the grading record could not be written: {e}"
    return out


def root_log(task: Task) -> Path:
    path = Path(task.root) / LOGS / task.student / f"{task.assignment}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
