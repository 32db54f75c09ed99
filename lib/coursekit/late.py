"""Late work: due dates in one place and a points-per-day penalty, as an nbgrader late-submission plugin.

nbgrader_config.py holds everything:

    c.DueDates.due = {"01_forward_pass": "2027-01-15 23:59:00 UTC", ...}
    c.AssignLatePenalties.plugin_class = "coursekit.late.PointsPerDayLate"
    c.PointsPerDayLate.points_per_day = 1.0    # per started day after the due date
    c.PointsPerDayLate.max_penalty = 5.0       # never more than this, never more than the score

nbgrader records each submission's time (timestamp.txt, written by Submit on the hub, by collect,
or by zip_collect from the LMS's file name) and computes the lateness against the assignment's due
date in the gradebook; :func:`record_due_dates` writes the due dates from the config there before
grading, and the plugin turns the lateness into points. :func:`penalties` reads them back (the
exports subtract them).
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from pathlib import Path

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Dict, Float
from traitlets.config import Configurable

DAY = 86400.0


class DueDates(Configurable):
    due = Dict(default_value={}, help="assignment id -> due date, e.g. '2027-01-15 23:59:00 UTC'").tag(config=True)


class PointsPerDayLate(LateSubmissionPlugin):
    """``points_per_day`` for every started day late, at most ``max_penalty`` (and at most the score), per
    assignment.

    nbgrader asks the plugin once per notebook. In an assignment of several notebooks each notebook takes
    its share of the penalty, in proportion to its points (its maximum score over the assignment's), so the
    notebooks' penalties add up to the assignment's. A notebook's share is also capped by its own score, so
    when one part scored less than its share the penalty is that much smaller (never larger)."""

    points_per_day = Float(1.0, help="points taken per started day after the due date").tag(config=True)
    max_penalty = Float(5.0, help="the penalty never exceeds this many points").tag(config=True)

    def share(self) -> float:
        """The graded notebook's part of the assignment's points (1 for a one-notebook assignment, or when
        the plugin is not run by nbgrader's AssignLatePenalties, its parent)."""
        from nbgrader.api import MissingEntry

        parent = self.parent
        try:
            gb, assignment_id = parent.gradebook, parent.assignment_id
            total = gb.find_assignment(assignment_id).max_score
            mine = gb.find_notebook(parent.notebook_id, assignment_id).max_score
        except (AttributeError, MissingEntry):
            return 1.0
        return float(mine) / float(total) if total else 1.0

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float:
        if total_seconds_late <= 0:
            return 0.0
        days = math.ceil(total_seconds_late / DAY)
        return min(min(self.points_per_day * days, self.max_penalty) * self.share(), score)


def parse_due(text: str) -> datetime:
    from nbgrader.utils import parse_utc

    when = parse_utc(text)
    return when.replace(tzinfo=None) if when.tzinfo is None else when.astimezone(timezone.utc).replace(tzinfo=None)


def due_dates(root: Path) -> dict[str, datetime]:
    from .build import nbgrader_config

    return {a: parse_due(d) for a, d in DueDates(config=nbgrader_config(root)).due.items()}


def record_due_dates(root: Path, log=print) -> dict[str, datetime]:
    """Write the configured due dates into the course's gradebook (nbgrader computes lateness from them)."""
    from nbgrader.api import Gradebook

    dues = due_dates(root)
    if dues:
        with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}", course_id="shallownet") as gb:
            for a, when in dues.items():
                gb.update_or_create_assignment(a, duedate=when)
        log("due dates: " + ", ".join(f"{a} {w:%Y-%m-%d %H:%M} UTC" for a, w in sorted(dues.items())))
    return dues


def penalties(root: Path) -> dict[tuple[str, str], float]:
    """(student, assignment) -> late penalty in points, for every late submission in the gradebook."""
    from nbgrader.api import Gradebook

    out: dict[tuple[str, str], float] = {}
    db = Path(root) / "gradebook.db"
    if not db.exists():
        return out
    with Gradebook(f"sqlite:///{db}", course_id="shallownet") as gb:
        for a in gb.assignments:
            for sub in a.submissions:
                # the notebooks' shares (PointsPerDayLate), added up; rounded so 1.1538… + 0.8461… is 2
                p = round(sum(nb.late_submission_penalty or 0 for nb in sub.notebooks), 6)
                if p:
                    out[(sub.student.id, a.name)] = p
    return out
