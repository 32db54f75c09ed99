"""make export: grades.csv and the roster into the files Canvas and Moodle import.

Canvas (Grades > Import; the format of Canvas's own gradebook export):
    Student,ID,SIS User ID,SIS Login ID,Section,<assignment> (<canvas id>),...
        Points Possible,,,,,<max>,...
    Lovelace, Ada,,1001,ada,,<score>,...
  Canvas matches a row on ID, SIS User ID or SIS Login ID; the roster's lms_id fills SIS User ID and the
  user name SIS Login ID. An assignment column without a Canvas id ("01_forward_pass") makes Canvas
  create the assignment; with one ("01_forward_pass (12345)") it updates it (set the ids in
  nbgrader_config.py, ``c.CourseExport.canvas_ids``).

Moodle (Grades > Import > CSV file): one identifier column and one column per grade item; in the
import form map "ID number" to the user field "ID number" and each assignment column to its grade item.

Late penalties (coursekit/late.py, from the gradebook) are subtracted from the scores in both files.
A roster student with no submission gets an empty cell (no grade: the LMS's own missing-work rule
applies) in both files and the status "missing" in grades.csv and the summary printed here.
"""

from __future__ import annotations

import csv
from pathlib import Path

from traitlets import Dict, Unicode
from traitlets.config import Configurable

from . import roster as rosters
from .paths import assignments, course_root


class CourseExport(Configurable):
    """Settings of make export (nbgrader_config.py: ``c.CourseExport.…``)."""

    canvas_ids = Dict(default_value={}, help="assignment id -> Canvas assignment id").tag(config=True)
    section = Unicode("", help="Canvas section name written in every row").tag(config=True)


def read_grades(path: Path) -> dict[tuple[str, str], dict]:
    with open(path, newline="") as f:
        return {(r["student"], r["assignment"]): r for r in csv.DictReader(f)}


def _max_points(grades: dict, ids: list[str]) -> dict[str, str]:
    out = {}
    for a in ids:
        maxes = {r["max_score"] for (s, x), r in grades.items() if x == a and r["max_score"] not in ("", "0")}
        if len(maxes) > 1:
            raise SystemExit(f"grades.csv: assignment {a} has several max scores {sorted(maxes)}")
        out[a] = maxes.pop() if maxes else ""
    return out


def _score(grades: dict, student: str, a: str) -> str:
    r = grades.get((student, a))
    if r is None or r["status"] == "missing":
        return ""
    return r["net"] if "net" in r else r["score"]


def apply_late(grades: dict, penalties: dict) -> list[str]:
    """Subtract each late penalty from its score (in place, as 'net'); return one line per late hand-in."""
    said = []
    for key, r in grades.items():
        p = penalties.get(key, 0.0)
        if p and r["status"] != "missing":
            r["net"] = f"{max(float(r['score']) - p, 0.0):g}"
            said.append(f"{key[0]}/{key[1]}: {r['score']} - {p:g} late = {r['net']}")
    return said


def canvas_rows(members, grades, ids, canvas_ids=None, section="") -> list[list[str]]:
    canvas_ids = canvas_ids or {}
    heads = [f"{a} ({canvas_ids[a]})" if a in canvas_ids else a for a in ids]
    maxes = _max_points(grades, ids)
    rows = [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *heads],
        ["    Points Possible", "", "", "", "", *[maxes[a] for a in ids]],
    ]
    for m in rosters.students(members):
        parts = m.name.rsplit(" ", 1)
        sortable = f"{parts[1]}, {parts[0]}" if len(parts) == 2 else m.name
        rows.append([sortable, "", m.lms_id, m.username, section, *[_score(grades, m.username, a) for a in ids]])
    return rows


def moodle_rows(members, grades, ids) -> list[list[str]]:
    rows = [["ID number", "Email address", *ids]]
    for m in rosters.students(members):
        rows.append([m.lms_id, m.email, *[_score(grades, m.username, a) for a in ids]])
    return rows


def _write(path: Path, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def export(
    root: Path | None = None,
    roster_path: Path | None = None,
    grades_path: Path | None = None,
    out: Path | None = None,
    log=print,
) -> tuple[Path, Path]:
    """Write <out>/canvas-grades.csv and <out>/moodle-grades.csv; return their paths."""
    from .build import nbgrader_config

    root = course_root(root)
    if roster_path is None:
        raise SystemExit("make export needs the class roster: make export ROSTER=roster.csv")
    members = rosters.read(roster_path)
    grades_path = grades_path or root / "grades.csv"
    if not grades_path.is_file():
        raise SystemExit(f"no {grades_path}: run make grade first")
    grades = read_grades(grades_path)
    from .late import penalties

    late_lines = apply_late(grades, penalties(root))
    ids = sorted({a for _, a in grades} | set(assignments(root)))
    cfg = CourseExport(config=nbgrader_config(root))
    unknown = sorted({s for s, _ in grades} - {m.username for m in members})
    out = out or root
    c = _write(out / "canvas-grades.csv", canvas_rows(members, grades, ids, cfg.canvas_ids, cfg.section))
    m = _write(out / "moodle-grades.csv", moodle_rows(members, grades, ids))
    missing = [
        (s.username, a)
        for s in rosters.students(members)
        for a in ids
        if _score(grades, s.username, a) == "" and (s.username, a) not in grades
    ]
    log(
        f"wrote {c} and {m}: {len(rosters.students(members))} student(s) x {len(ids)} assignment(s); "
        f"{len(missing)} missing hand-in(s) left empty"
    )
    if late_lines:
        log("late penalties subtracted: " + "; ".join(late_lines))
    if unknown:
        log(f"WARNING: graded but not on the roster (left out of both files): {', '.join(unknown)}")
    return c, m


def main(argv=None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m coursekit.exports", description="Canvas and Moodle grade imports")
    p.add_argument("--roster", type=Path, required=True)
    p.add_argument("--root", type=Path, default=None, help="course folder holding grades.csv (default: here)")
    a = p.parse_args(argv)
    return rosters.refusing(lambda: export(a.root, a.roster))


if __name__ == "__main__":
    raise SystemExit(main())
