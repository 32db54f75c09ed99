"""make grade: grade every submission on its own, write feedback, grades.csv and a table.

    submitted/<student>/<assignment>/<nb>.ipynb
        -> autograded/…   one call per submission (submission.grade_submission: nbgrader's
        -> feedback/…     Autograde and GenerateFeedback converters through their Python API),
        -> a record       in JOBS long-lived worker processes that take the next submission
        -> grades.csv     (one row per student and assignment, with a reason a person can read)

Whatever goes wrong while one submission is graded (nbgrader raising or calling sys.exit,
a dead or hung kernel, a corrupt or foreign file, a bug in the course's code) is caught in
that call and becomes its record: it never stops the batch and never changes anyone else's
grade. Outcomes come from the gradebook and the autograded notebook, never from log text.
Internal errors (status ``error``: not the student's doing) are named at the end and make
`python -m coursekit grade` exit 1. Re-running grades only what is missing or changed.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from . import sandbox
from .build import release
from .grading_config import grading_config
from .paths import assignments, course_root, tool_env
from .sandbox_execute import QUICK_EXECUTE
from .skip_demos import write_table
from .submission import LOGS, RECORDS, Task, db_url, fingerprint, grade_submission, refresh


class GradingRefused(SystemExit):
    """make grade will not run student code unsandboxed unless asked to."""


@dataclass
class Row:
    student: str
    assignment: str
    score: float = 0.0
    max_score: float = 0.0
    status: str = "graded"  # graded | flagged | crashed | failed | missing | error
    reason: str = ""
    manual: bool = False  # written answers (or flagged cells) waiting for a person (formgrader)
    failed_cells: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)  # grade_id -> (score, max_score)
    record: dict = field(default_factory=dict, repr=False)  # the whole record (submission.Record)
    late_penalty: float = 0.0  # points nbgrader's late policy takes off (coursekit/late.py; score is before it)
    submissions: int = 1  # hand-ins in the exchange (hub); the latest one is graded

    @classmethod
    def from_record(cls, rec: dict) -> Row:
        failing = [
            f"{c['grade_id']}: {c['message']}"
            for c in rec["cells"]
            if c["outcome"] in ("failed", "error", "timed out", "not run", "deleted")
        ]
        return cls(
            rec["student"],
            rec["assignment"],
            float(rec["score"]),
            float(rec["max_score"]),
            rec["status"],
            rec["reason"],
            bool(rec["manual"]),
            failing,
            {c["grade_id"]: (float(c["score"]), float(c["max_score"])) for c in rec["cells"]},
            rec,
        )


# --- the gradebook ------------------------------------------------------------------------


def _gradebook(root: Path):
    from nbgrader.api import Gradebook

    return Gradebook(db_url(root), course_id="shallownet")


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


# --- the workers ----------------------------------------------------------------------------


def _init_worker(env: dict, logs: str) -> None:
    """A worker process: the environment of the grading kernels (sandbox kernelspec, PATH); what
    it and its kernels' launchers print goes to build/grade-logs/worker-<pid>.log, not the console."""
    os.environ.clear()
    os.environ.update(env)
    Path(logs).mkdir(parents=True, exist_ok=True)
    fd = os.open(Path(logs) / f"worker-{os.getpid()}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    # SQLAlchemy 2.1's warning on every autograde (nbgrader's gradebook; grades stay right, TOOLCHAIN.md)
    warnings.filterwarnings("ignore", message=r"Object of type <Submitted\w+> not in session")


def _previous(root: Path, task: Task, feedback: bool) -> dict | None:
    """The record of an earlier run still valid for ``task`` (same inputs, outputs still there)."""
    path = Path(root) / RECORDS / task.student / f"{task.assignment}.json"
    try:
        rec = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if rec.get("fingerprint") != task.fingerprint or rec.get("status") in ("error", "missing"):
        return None
    outputs = [Path(root) / "autograded" / task.student / task.assignment] if rec["status"] != "failed" else []
    if feedback:
        outputs.append(Path(root) / "feedback" / task.student / task.assignment)
    return rec if all(p.is_dir() for p in outputs) else None


def run_tasks(tasks: list[Task], jobs: int, env: dict, progress, logs: Path | None = None) -> list[dict]:
    """Grade every task in ``jobs`` long-lived worker processes; one record per task, in order.

    Each worker takes the next submission when it is free. A worker process that dies
    (which grade_submission cannot catch: the operating system killing it) costs only the
    submissions it held; they are reported as errors and the rest goes on in a new pool.
    """
    results: dict[int, dict] = {}
    todo = list(range(len(tasks)))
    ctx = multiprocessing.get_context("spawn")
    log_dir = str(logs or Path(tasks[0].root) / LOGS) if tasks else ""
    while todo:
        with ProcessPoolExecutor(
            max_workers=max(1, min(jobs, len(todo))), mp_context=ctx, initializer=_init_worker, initargs=(env, log_dir)
        ) as pool:
            running: dict = {}
            queue = list(todo)
            broken = False
            while queue or running:
                while queue and len(running) < max(1, jobs) and not broken:
                    i = queue.pop(0)
                    running[pool.submit(grade_submission, tasks[i])] = i
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = running.pop(fut)
                    try:
                        results[i] = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        results[i] = _lost(tasks[i], "the grading worker process died while grading it")
                    except BaseException as e:
                        results[i] = _lost(tasks[i], f"{type(e).__name__}: {e}")
                    progress(results[i])
                if broken:
                    for i in running.values():
                        results[i] = _lost(tasks[i], "the grading worker process died while grading it")
                        progress(results[i])
                    running = {}
                    break
            todo = [i for i in queue if i not in results]
    return [results[i] for i in range(len(tasks))]


def _lost(task: Task, why: str) -> dict:
    from dataclasses import asdict

    from .submission import Record

    return asdict(
        Record(
            task.student,
            task.assignment,
            status="error",
            reason=f"not graded because of an internal error, not the student's doing: {why}; re-run make grade",
        )
    )


COLUMNS = ["student", "assignment", "score", "max_score", "status", "needs_manual_grading", "reason", "late_penalty"]


def write_csv(rows: list[Row], path: Path, keep_others: bool = False) -> None:
    """grades.csv: student, assignment, score, max_score, status, needs_manual_grading, reason, late_penalty.

    ``score`` is before the late penalty; ``late_penalty`` is the points the late policy takes off
    (0 when on time; the LMS exports subtract it).

    With ``keep_others`` (grading one assignment), the rows of the other assignments already in
    the file are kept as they were.
    """
    mine = {(r.student, r.assignment) for r in rows}
    assignments_here = {r.assignment for r in rows}
    kept = []
    if keep_others and Path(path).exists():
        with open(path, newline="") as f:
            kept = [
                r
                for r in csv.DictReader(f)
                if r.get("assignment") not in assignments_here and (r.get("student"), r.get("assignment")) not in mine
            ]
    out = kept + [
        {
            "student": r.student,
            "assignment": r.assignment,
            "score": f"{r.score:g}",
            "max_score": f"{r.max_score:g}",
            "status": r.status,
            "needs_manual_grading": "yes" if (r.manual or r.status == "flagged") else "no",
            "reason": r.reason,
            "late_penalty": f"{r.late_penalty:g}",
        }
        for r in rows
    ]
    out.sort(key=lambda r: (r["student"], r["assignment"]))
    tmp = Path(path).with_suffix(".csv.tmp")
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        w.writerows(out)
    os.replace(tmp, path)


MARKS = {"graded": "", "flagged": " ?", "crashed": " x", "failed": " !", "missing": " -", "error": " E"}


def table(rows: list[Row], ids: list[str], details: bool = False) -> str:
    """Per-student, per-assignment table of scores with status marks, then the one-line summary."""
    students = sorted({r.student for r in rows})
    by = {(r.student, r.assignment): r for r in rows}
    w = max([7] + [len(s) for s in students])
    head = f"{'student':<{w}}  " + "  ".join(f"{a[:12]:>12}" for a in ids) + "   total"
    lines = [head, "-" * len(head)]
    for s in students:
        cells, tot, mx = [], 0.0, 0.0
        for a in ids:
            r = by[(s, a)]
            tot += r.score
            mx += r.max_score
            pending = "+" if r.manual and r.status != "flagged" else ""
            late_mark = " L" if r.late_penalty else ""
            cells.append(f"{r.score:g}/{r.max_score:g}{pending}{MARKS[r.status]}{late_mark}".rjust(12))
        lines.append(f"{s:<{w}}  " + "  ".join(cells) + f"   {tot:g}/{mx:g}")
    lines.append(
        "marks: + written answer to grade by hand   ? flagged: grade by hand in the formgrader   "
        "x kernel crashed (points before it kept)   ! not gradable (see reason)   - not handed in   "
        "E internal error (not the student's: fix and re-run)   L late (score before the penalty)"
    )
    notes = [
        f"  {r.student}/{r.assignment}: {r.status}: {r.reason}"
        + (f" [late: {r.late_penalty:g} point(s) off]" if r.late_penalty else "")
        for r in rows
        if r.status != "graded" or r.late_penalty or r.submissions > 1 or (details and r.reason)
    ]
    if notes:
        lines.append("reasons:")
        lines += notes
    lines.append(summary(rows))
    return "\n".join(lines)


def summary(rows: list[Row]) -> str:
    n = lambda st: sum(r.status == st for r in rows)  # noqa: E731
    handed = [r for r in rows if r.status != "missing"]
    manual = sum(r.manual and r.status != "flagged" for r in rows)
    text = (
        f"summary: {len(handed)} submission(s) handed in: {n('graded')} graded, {n('flagged')} flagged for "
        f"grading by hand, {n('crashed')} crashed, {n('failed')} not gradable, {n('error')} internal error(s); "
        f"{manual} with written answers to grade in the formgrader; {n('missing')} not handed in; "
        f"{sum(bool(r.late_penalty) for r in handed)} late"
    )
    return text


# --- the command ---------------------------------------------------------------------------


def sandbox_setup(root: Path, use_sandbox: bool, log) -> tuple[str, dict | None, dict]:
    """(Execute class, kernel settings, environment) for the workers; refuses loudly if the sandbox is missing."""
    env = tool_env()
    if not use_sandbox:
        log(
            "WARNING: grading WITHOUT the sandbox (SANDBOX=0): student code runs with your rights and can read "
            "the hidden tests and write to the gradebook."
        )
        return QUICK_EXECUTE, None, env
    ok, reason = sandbox.status(root)
    if not ok:
        raise GradingRefused(
            "\n" + "!" * 78 + f"\nREFUSING TO GRADE: the sandbox for student code cannot be set up here:\n  {reason}\n"
            "Student code would run with your rights (it could read hidden tests or rewrite the gradebook).\n"
            "Fix the above, or run `make grade SANDBOX=0` to grade without the sandbox, at your own risk.\n" + "!" * 78
        )
    sandbox.ensure(root)
    return sandbox.EXECUTE, sandbox.kernel_config(root), sandbox.autograde_env(root, env)


def grade(
    root: Path | None = None,
    assignment: str | None = None,
    jobs: int = 2,
    timeout: int = 30,
    use_sandbox: bool = True,
    feedback: bool = True,
    quiet: bool = False,
    students=None,
    details: bool = False,
    config: dict | None = None,
    roster: Path | None = None,
    submissions: dict[tuple[str, str], int] | None = None,
) -> list[Row]:
    """Grade submitted/ (all assignments or one): autograded/, feedback/, grades.csv; returns the rows.

    ``config``: extra nbgrader configuration merged over the course's grading configuration
    (grading_config.py), e.g. another preprocessor list. ``roster``: the class roster (CSV,
    coursekit/roster.py); its students with nothing handed in get a row ``missing``.
    ``submissions``: (student, assignment) -> how many hand-ins the exchange held (hub.collect);
    more than one is said in the row's reason.
    """
    from traitlets.config import Config

    from .late import penalties, record_due_dates

    root = course_root(root)
    log = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    ids = [assignment] if assignment else assignments(root)
    everyone = _students(root) if students is None else list(students)
    if roster is not None:
        from . import roster as rosters

        everyone = sorted(set(everyone) | {m.username for m in rosters.students(rosters.read(roster))})
    if not everyone:
        log("nothing to grade: submitted/ is empty")
        return []
    _ensure_assignments(root, ids, log)
    _write_ahead_log(root)
    record_due_dates(root, log)  # nbgrader computes each submission's late penalty from them
    with _gradebook(root) as gb:
        for s in everyone:
            gb.update_or_create_student(s)
        maxima = {a: float(gb.find_assignment(a).max_score) for a in ids}
    execute, kernel, env = sandbox_setup(root, use_sandbox, log)
    cfg = grading_config(execute, timeout=timeout, skip_table=str(write_table(root)), kernel=kernel)
    if config:
        cfg.merge(Config(config))
    cfg_dict = json.loads(json.dumps(cfg, default=str))
    # what a record depends on (whether feedback was written is checked on disk, _previous)
    course_cfg = (root / "nbgrader_config.py").read_text() if (root / "nbgrader_config.py").exists() else ""
    settings = json.dumps([cfg_dict, use_sandbox, course_cfg], sort_keys=True)

    records: dict[tuple[str, str], dict] = {}
    tasks = []
    for s in everyone:
        for a in ids:
            if not (root / "submitted" / s / a).is_dir():
                records[(s, a)] = {
                    "student": s,
                    "assignment": a,
                    "status": "missing",
                    "reason": "not handed in",
                    "score": 0.0,
                    "max_score": maxima[a],
                    "manual": False,
                    "cells": [],
                }
                continue
            task = Task(
                str(root),
                s,
                a,
                cfg_dict,
                feedback=feedback,
                fingerprint=fingerprint(root, s, a, settings),
                max_score=maxima[a],
            )
            prev = _previous(root, task, feedback)
            if prev is not None:
                records[(s, a)] = prev
            else:
                tasks.append(task)
    # points given by hand in the formgrader since the last run reach the reused records
    # and to their feedback, written again (nothing else is graded again for it)
    reused_records = [r for r in records.values() if r["status"] not in ("missing",) and r.get("cells")]
    if reused_records:
        with _gradebook(root) as gb:
            for rec in reused_records:
                if refresh(rec, gb):
                    path = root / RECORDS / rec["student"] / f"{rec['assignment']}.json"
                    path.write_text(json.dumps(rec, indent=1))
                    if feedback:
                        tasks.append(
                            Task(
                                str(root),
                                rec["student"],
                                rec["assignment"],
                                cfg_dict,
                                feedback=True,
                                fingerprint=rec["fingerprint"],
                                max_score=rec["max_score"],
                                record=rec,
                            )
                        )
    total = len(tasks)
    done = [0]
    t0 = time.perf_counter()

    def progress(rec):
        done[0] += 1
        log(
            f"[{done[0]:>4}/{total}] {time.perf_counter() - t0:6.1f}s  {rec['student']}/{rec['assignment']}: "
            f"{rec['status']} {rec['score']:g}/{rec['max_score']:g}"
        )

    reused = sum(1 for r in records.values() if r["status"] != "missing")
    log(
        f"grading {total} submission(s) in {min(jobs, total) if total else 0} worker process(es), {timeout} s per "
        f"cell at most{'' if use_sandbox else ', NO SANDBOX'}"
        + (f"; {reused} unchanged since the last run, kept" if reused else "")
    )
    for rec in run_tasks(tasks, jobs, env, progress):
        records[(rec["student"], rec["assignment"])] = rec
    rows = [Row.from_record(records[(s, a)]) for s in everyone for a in ids]
    late = penalties(root)
    for r in rows:
        if r.status == "missing":
            continue
        r.late_penalty = late.get((r.student, r.assignment), 0.0)
        r.submissions = max(1, (submissions or {}).get((r.student, r.assignment), 1))
        if r.submissions > 1:
            r.reason = f"graded the later of {r.submissions} submissions" + (f"; {r.reason}" if r.reason else "")
    write_csv(rows, root / "grades.csv", keep_others=bool(assignment) or students is not None)
    log(
        f"graded in {time.perf_counter() - t0:.1f} s; feedback in {root / 'feedback'}, grades in "
        f"{root / 'grades.csv'}, records in {root / RECORDS}, nbgrader's logs in {root / 'build' / 'grade-logs'}"
    )
    log(table(rows, ids, details))
    errors = [r for r in rows if r.status == "error"]
    if errors:
        log(
            f"INTERNAL ERRORS: {len(errors)} submission(s) could not be graded for a reason that is not the "
            "student's: "
            + ", ".join(f"{r.student}/{r.assignment}" for r in errors)
            + ". Fix the cause (the reason says where) and run make grade again: only these are graded again."
        )
    return rows
