"""make grade: autograde every submission, write feedback, grades.csv and a table.

    submitted/<student>/<assignment>/<nb>.ipynb
        -> autograded/…  (nbgrader autograde, JOBS worker processes over disjoint sets of students)
        -> feedback/…    (nbgrader generate_feedback, run by each worker for its students once graded)
        -> grades.csv    (one row per student and assignment, with a reason a person can read)

A broken submission (syntax error, endless loop, crashing kernel, deleted or
edited test cell, corrupt file, nothing handed in) gets a row and a reason; it
never stops the batch and never changes anyone else's grade. Re-running is
idempotent: the gradebook is updated in place and grades.csv rewritten.
"""
from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .build import nbgrader_config, release
from .feedback import OPTION as plain_code_option
from . import skip_demos
from .paths import assignments, course_root, tool_env


class GradingRefused(SystemExit):
    """make grade will not run student code unsandboxed unless asked to."""


@dataclass
class Row:
    student: str
    assignment: str
    score: float = 0.0
    max_score: float = 0.0
    status: str = "graded"  # graded | failed | flagged | missing
    reason: str = ""
    manual: bool = False  # written answers waiting for a person (formgrader)
    failed_cells: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)  # grade_id -> (score, max_score)


# --- the gradebook ------------------------------------------------------------------------

def _gradebook(root: Path):
    from nbgrader.api import Gradebook
    return Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}", course_id="shallownet")


def grading_preprocessors(root: Path, execute: str) -> list[str]:
    """`nbgrader autograde` arguments: nbgrader 0.9.6's sanitize and autograde preprocessors, with
    ``execute`` (an Execute class) in place of nbgrader's Execute, CheckCellMetadataOnce
    (check_metadata.py) in place of CheckCellMetadata and, first, the demonstrations of
    ``skip-when-grading`` commented out (skip_demos.py)."""
    check = "coursekit.check_metadata.CheckCellMetadataOnce"
    sanitize = ["nbgrader.preprocessors.ClearOutput",
                "nbgrader.preprocessors.DeduplicateIds",
                "nbgrader.preprocessors.OverwriteKernelspec",
                "nbgrader.preprocessors.OverwriteCells", check]
    names = ["coursekit.skip_demos.SkipDemonstrations", execute,
             "nbgrader.preprocessors.IgnorePattern",
             "nbconvert.preprocessors.ClearMetadataPreprocessor",
             "nbgrader.preprocessors.LimitOutput",
             "nbgrader.preprocessors.SaveAutoGrades",
             "nbgrader.preprocessors.AssignLatePenalties", check]
    return [f"--SkipDemonstrations.table={skip_demos.write_table(root)}",
            *[f"--Autograde.sanitize_preprocessors={p}" for p in sanitize],
            *[f"--Autograde.autograde_preprocessors={p}" for p in names]]


def _write_ahead_log(root: Path) -> None:
    """Put the gradebook in SQLite's write-ahead-log mode (kept in the file, for every later user).

    The workers write grades into one gradebook at once; with WAL a commit appends to one
    log file instead of rewriting the database, and readers never wait for a writer.
    """
    import sqlite3
    con = sqlite3.connect(Path(root) / "gradebook.db")
    try:
        con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()


def _ensure_assignments(root: Path, ids: list[str], log) -> None:
    """The gradebook must know each assignment's cells (it restores test cells from them)."""
    from nbgrader.api import MissingEntry
    missing = []
    with _gradebook(root) as gb:
        for a in ids:
            try:
                if not gb.find_assignment(a).notebooks:
                    missing.append(a)
            except MissingEntry:
                missing.append(a)
    for a in missing:
        log(f"gradebook: recording assignment {a} (nbgrader generate_assignment)")
        release(root, a, quiet=True)


def _students(root: Path) -> list[str]:
    sub = Path(root) / "submitted"
    return sorted(p.name for p in sub.iterdir() if p.is_dir()) if sub.is_dir() else []


def partition(students: list[str], weights: dict[str, int], jobs: int) -> list[list[str]]:
    """Split students into at most ``jobs`` disjoint groups of about equal work (greedy by weight)."""
    groups: list[list[str]] = [[] for _ in range(max(1, min(jobs, len(students))))]
    load = [0] * len(groups)
    for s in sorted(students, key=lambda s: (-weights.get(s, 1), s)):
        k = load.index(min(load))
        groups[k].append(s)
        load[k] += weights.get(s, 1)
    return [sorted(g) for g in groups if g]


# --- running nbgrader ----------------------------------------------------------------------

_AUTOGRADING = re.compile(r"Autograding .*?/autograded/([^/]+)/([^/]+)/")
_FAILED = re.compile(r"error processing assignment: .*?/submitted/([^/]+)/([^/\s]+)")
_EXC = re.compile(r"^\s+(?:\w+\.)*(\w+(?:Error|Exception|Exit))(?::\s*(.*))?$")


class _Worker:
    """One `nbgrader autograde` process over a set of students, parsing its log as it runs,
    then (with ``feedback``) one `nbgrader generate_feedback` process over the same students,
    so that one worker's feedback overlaps the others' grading."""

    def __init__(self, root, pattern, group, everyone, timeout, extra_args, env, log_path, progress,
                 feedback=False):
        exclude = sorted(set(everyone) - set(group))
        students = ["--CourseDirectory.student_id=*", f"--CourseDirectory.student_id_exclude={','.join(exclude)}"]
        # The notebook is checked against the nbformat schema once, after the last preprocessor
        # (nbconvert's own option), not after each of the dozen preprocessors.
        once = "--Exporter.optimistic_validation=True"
        # The kernel is killed, not asked to stop, once a notebook has run: its state is thrown
        # away anyway, and a polite shutdown waited a tenth of a second per notebook.
        cmd = [sys.executable, "-m", "nbgrader", "autograde", pattern, "--force",
               f"--ExecutePreprocessor.timeout={timeout}", "--ExecutePreprocessor.shutdown_kernel=immediate",
               once, *students, *extra_args]
        self.feedback_cmd = ([sys.executable, "-m", "nbgrader", "generate_feedback", pattern, "--force", *students,
                              once, plain_code_option] if feedback else None)
        self.root, self.env = root, env
        self.errors: dict[tuple[str, str], str] = {}
        self.log_path = log_path
        self._progress = progress
        self.proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, errors="replace", start_new_session=True)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        self._read()
        self.returncode = self.proc.wait()
        if self.feedback_cmd:
            with open(self.log_path.with_name(self.log_path.stem + "-feedback.log"), "w") as logf:
                subprocess.run(self.feedback_cmd, cwd=self.root, env=self.env, stdout=logf,
                               stderr=subprocess.STDOUT, start_new_session=True)

    def _read(self):
        failing = None  # (student, assignment) whose traceback is being read
        with open(self.log_path, "w") as logf:
            for line in self.proc.stdout:
                logf.write(line)
                m = _AUTOGRADING.search(line)
                if m:
                    self._progress(m.group(1), m.group(2))
                m = _FAILED.search(line)
                if m:
                    failing = (m.group(1), m.group(2))
                    self.errors[failing] = "nbgrader could not grade it"
                    continue
                if failing and line.startswith("[") and "Traceback" not in line:
                    failing = None
                m = _EXC.match(line)
                if failing and m:
                    self.errors[failing] = f"{m.group(1)}: {(m.group(2) or '').strip()}"[:200]

    def wait(self):
        self.thread.join()
        return self.returncode


def _explain(exc: str) -> str:
    if "NotJSONError" in exc or "JSONDecodeError" in exc or "NBFormatError" in exc or "ValidationError" in exc:
        return "the notebook file is corrupt (not a valid notebook); nothing could be run"
    if "DeadKernel" in exc:
        return "the kernel died while running the notebook (os._exit, a crash or memory exhaustion); nothing scored"
    return f"nbgrader could not grade it ({exc})"


def _cell_failures(nb_path: Path, timeout: int) -> list[str]:
    """'<grade_id>: <one line>' for every graded or solution cell whose output holds an error."""
    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception:
        return []
    out = []
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if c.cell_type != "code" or not (meta.get("grade") or meta.get("solution")):
            continue
        errors = [o for o in c.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            names = {o.get("ename", "") for o in errors}
            o = errors[0]
            ename, evalue = o.get("ename", ""), str(o.get("evalue", "")).strip().split("\n")[0]
            if any("Timeout" in n for n in names):  # nbgrader interrupts (KeyboardInterrupt), then notes the timeout
                msg = f"timed out after {timeout} s (an endless loop?)"
            elif ename == "NotImplementedError" and not evalue:
                msg = "not answered (NotImplementedError)"
            else:
                msg = f"{ename}: {evalue}"[:160]
            out.append(f"{meta['grade_id']}: {msg}")
    return out


def collect(root: Path, ids: list[str], students: list[str], errors: dict, timeout: int) -> list[Row]:
    """One Row per student and assignment from the gradebook, the autograded notebooks and worker errors."""
    from nbgrader.api import MissingEntry
    rows = []
    with _gradebook(root) as gb:
        maxima = {a: gb.find_assignment(a).max_score for a in ids}
        for s in students:
            for a in ids:
                row = Row(s, a, 0.0, float(maxima[a]))
                folder = Path(root) / "submitted" / s / a
                if not folder.is_dir():
                    row.status, row.reason = "missing", "not handed in"
                    rows.append(row)
                    continue
                if not any(folder.glob("*.ipynb")):
                    row.status, row.reason = "missing", "the folder was handed in without a notebook"
                    rows.append(row)
                    continue
                if (s, a) in errors:
                    row.status, row.reason = "failed", _explain(errors[(s, a)])
                    rows.append(row)
                    continue
                try:
                    sub = gb.find_submission(a, s)
                except MissingEntry:
                    row.status, row.reason = "failed", "nbgrader recorded no grade (see build/grade-logs/)"
                    rows.append(row)
                    continue
                row.score = float(sub.score)
                reasons, flagged = [], []
                for nb in sub.notebooks:
                    nb_path = Path(root) / "autograded" / s / a / f"{nb.name}.ipynb"
                    ag_ids = set()
                    if nb_path.exists():
                        ag_ids = {c.get("id") for c in nbformat.read(nb_path, as_version=4).cells}
                    for g in nb.grades:
                        row.cells[g.name] = (float(g.score), float(g.max_score))
                        cell = g.cell
                        if g.needs_manual_grade and cell.cell_type == "code":
                            flagged.append(g.name)
                        elif g.needs_manual_grade:
                            row.manual = True
                    missing_cells = [g.name for g in nb.grades if g.name not in ag_ids and nb_path.exists()]
                    if missing_cells:
                        flagged = sorted(set(flagged) | set(missing_cells))
                    if nb_path.exists():
                        row.failed_cells += _cell_failures(nb_path, timeout)
                if flagged:
                    row.status = "flagged"
                    reasons.insert(0, "test cell(s) deleted or damaged: " + ", ".join(flagged)
                                   + " (scored 0 until graded by hand)")
                shown = row.failed_cells[:2]
                more = len(row.failed_cells) - len(shown)
                reasons += shown + ([f"and {more} more failing test cell(s)"] if more > 0 else [])
                row.reason = "; ".join(reasons)
                rows.append(row)
    return rows


def write_csv(rows: list[Row], path: Path) -> None:
    """grades.csv: student, assignment, score, max_score, status, needs_manual_grading, reason."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "assignment", "score", "max_score", "status", "needs_manual_grading", "reason"])
        for r in rows:
            w.writerow([r.student, r.assignment, f"{r.score:g}", f"{r.max_score:g}", r.status,
                        "yes" if (r.manual or r.status == "flagged") else "no", r.reason])


def table(rows: list[Row], ids: list[str], details: bool = False) -> str:
    """Per-student, per-assignment table of scores with status marks, then the one-line summary."""
    students = sorted({r.student for r in rows})
    by = {(r.student, r.assignment): r for r in rows}
    w = max([7] + [len(s) for s in students])
    head = f"{'student':<{w}}  " + "  ".join(f"{a[:12]:>12}" for a in ids) + "   total"
    lines = [head, "-" * len(head)]
    mark = {"graded": "", "failed": " !", "flagged": " ?", "missing": " -"}
    for s in students:
        cells, tot, mx = [], 0.0, 0.0
        for a in ids:
            r = by[(s, a)]
            tot += r.score
            mx += r.max_score
            cells.append(f"{r.score:g}/{r.max_score:g}{mark[r.status]}".rjust(12))
        lines.append(f"{s:<{w}}  " + "  ".join(cells) + f"   {tot:g}/{mx:g}")
    lines.append("marks: ! not gradable (see reason)  ? flagged for manual grading  - not handed in")
    notes = [f"  {r.student}/{r.assignment}: {r.status}: {r.reason}" for r in rows
             if r.status != "graded" or (details and r.reason)]
    if notes:
        lines.append("reasons:")
        lines += notes
    lines.append(summary(rows))
    return "\n".join(lines)


def summary(rows: list[Row]) -> str:
    n = lambda st: sum(r.status == st for r in rows)  # noqa: E731
    manual = sum(r.manual for r in rows)
    return (f"summary: {len(rows)} submissions: {n('graded')} graded, {n('failed')} failed (not gradable), "
            f"{n('flagged')} flagged for manual grading, {n('missing')} not handed in; "
            f"{manual} with written answers to grade in the formgrader")


# --- the command ---------------------------------------------------------------------------

def sandbox_setup(root: Path, use_sandbox: bool, log) -> tuple[list[str], dict]:
    """Extra nbgrader args and environment for the workers; refuses loudly if the sandbox is missing."""
    env = tool_env()
    if not use_sandbox:
        log("WARNING: grading WITHOUT the sandbox (SANDBOX=0): student code runs with your rights and can read "
            "the hidden tests and write to the gradebook.")
        return grading_preprocessors(root, "coursekit.sandbox_execute.QuickExecute"), env
    try:
        from . import sandbox
    except ImportError as e:  # pragma: no cover - the sandbox module ships with the course
        raise GradingRefused(f"the grading sandbox is not available ({e}); refusing to run student code. "
                             "Pass SANDBOX=0 to grade without it, at your own risk.")
    ok, reason = sandbox.status(root)
    if not ok:
        raise GradingRefused(
            "\n" + "!" * 78 + f"\nREFUSING TO GRADE: the sandbox for student code cannot be set up here:\n  {reason}\n"
            "Student code would run with your rights (it could read hidden tests or rewrite the gradebook).\n"
            "Fix the above, or run `make grade SANDBOX=0` to grade without the sandbox, at your own risk.\n"
            + "!" * 78)
    sandbox.ensure(root)
    return sandbox.autograde_args(root), sandbox.autograde_env(root, env)


def grade(root: Path | None = None, assignment: str | None = None, jobs: int = 2, timeout: int = 30,
          use_sandbox: bool = True, feedback: bool = True, quiet: bool = False, students=None,
          details: bool = False) -> list[Row]:
    """Autograde submitted/ (all assignments or one), feedback, grades.csv; returns the rows."""
    root = course_root(root)
    log = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    ids = [assignment] if assignment else assignments(root)
    everyone = _students(root) if students is None else list(students)
    if not everyone:
        log("nothing to grade: submitted/ is empty")
        return []
    _ensure_assignments(root, ids, log)
    _write_ahead_log(root)
    from nbgrader.api import Gradebook  # noqa: F401
    with _gradebook(root) as gb:
        for s in everyone:
            gb.update_or_create_student(s)
    extra_args, env = sandbox_setup(root, use_sandbox, log)
    work = {s: sum((root / "submitted" / s / a).is_dir() for a in ids) for s in everyone}
    gradable = [s for s in everyone if work[s]]
    groups = partition(gradable, work, jobs)
    total = sum(work.values())
    logs = root / "build" / "grade-logs"
    logs.mkdir(parents=True, exist_ok=True)
    done = [0]
    lock = threading.Lock()
    t0 = time.perf_counter()

    def progress(student, a):
        with lock:
            done[0] += 1
            log(f"[{done[0]:>4}/{total}] {time.perf_counter() - t0:6.1f}s  grading {student}/{a}")

    pattern = assignment or "*"
    log(f"grading {total} submission(s) of {len(gradable)} student(s) in {len(groups)} worker process(es), "
        f"{timeout} s per cell at most{'' if use_sandbox else ', NO SANDBOX'}")
    workers = [_Worker(root, pattern, g, everyone, timeout, extra_args, env, logs / f"worker-{k}.log", progress,
                       feedback) for k, g in enumerate(groups)]
    errors = {}
    for w in workers:
        w.wait()
        errors.update(w.errors)
    # A kernel that dies before answering its first message never ran student code: a start-up
    # failure of the machine, not of the submission. Those submissions are graded once more.
    retry = sorted({s for (s, a), e in errors.items() if "before replying to kernel_info" in e})
    if retry:
        log(f"retrying {len(retry)} student(s) whose kernel did not start: {', '.join(retry)}")
        for key in [k for k in errors if k[0] in retry]:
            del errors[key]
        again = _Worker(root, pattern, retry, everyone, timeout, extra_args, env, logs / "worker-retry.log",
                        progress, feedback)
        again.wait()
        errors.update(again.errors)
    rows = collect(root, ids, everyone, errors, timeout)
    write_csv(rows, root / "grades.csv")
    log(f"graded in {time.perf_counter() - t0:.1f} s; feedback in feedback/, grades in grades.csv, logs in build/grade-logs/")
    log(table(rows, ids, details))
    return rows
