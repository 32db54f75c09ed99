"""nbgrader configuration for the course (the course root is this folder)."""

import os

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "shallownet"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# Every assignment is a folder source/<NN_topic>/ holding one notebook.
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"

# Course header at the top of every released notebook: name cell and advice.
c.IncludeHeaderFooter.header = "source/header.ipynb"

c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# A looping student cell is stopped after this many seconds (per cell).
c.ExecutePreprocessor.timeout = 30
# Grading never stops on a failing cell; nbgrader records it.
c.ExecutePreprocessor.interrupt_on_timeout = True

# The exchange: on the course's JupyterHub (make hub) SHALLOWNET_EXCHANGE names it and every
# course has its own folder in it; without a hub, a writable root keeps the formgrader from warning.
c.Exchange.root = os.environ.get("SHALLOWNET_EXCHANGE") or os.path.join(c.CourseDirectory.root, "build", "exchange")
c.Exchange.path_includes_course = True

# Late work (coursekit/late.py): the due date of each assignment (UTC; one that is absent has none),
# and the penalty: points_per_day for every started day late, at most max_penalty points.
c.DueDates.due = {}
c.AssignLatePenalties.plugin_class = "coursekit.late.PointsPerDayLate"
c.PointsPerDayLate.points_per_day = 1.0
c.PointsPerDayLate.max_penalty = 5.0
