"""The course's grading steps, defined once, as nbgrader configuration.

nbgrader 0.9.6's own sanitize and autograde preprocessors, with three changes:

* ``execute`` (an Execute class: sandbox_execute.SandboxExecute or QuickExecute) in
  place of nbgrader's Execute;
* CheckCellMetadataOnce (check_metadata.py) in place of CheckCellMetadata;
* first, the demonstrations tagged ``skip-when-grading`` commented out (skip_demos.py).

`make grade` (grade.py, submission.py) uses the Config through nbgrader's Python API;
``as_arguments`` turns the same Config into `nbgrader autograde` command-line
arguments for the stock command (sandbox_bench.py, tests/test_sandbox.py).
This module imports neither grade.py nor sandbox.py: both import it.
"""

from __future__ import annotations

from traitlets.config import Config

from .feedback import FILTERS

CHECK = "coursekit.check_metadata.CheckCellMetadataOnce"
SANITIZE = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    CHECK,
]


def autograde_preprocessors(execute: str) -> list[str]:
    """nbgrader's autograde preprocessors with ``execute`` in place of its Execute."""
    return [
        "coursekit.skip_demos.SkipDemonstrations",
        execute,
        "nbgrader.preprocessors.IgnorePattern",
        "nbconvert.preprocessors.ClearMetadataPreprocessor",
        "nbgrader.preprocessors.LimitOutput",
        "nbgrader.preprocessors.SaveAutoGrades",
        "nbgrader.preprocessors.AssignLatePenalties",
        CHECK,
    ]


def grading_config(execute: str, timeout: int = 30, skip_table: str = "", kernel: dict | None = None) -> Config:
    """nbgrader Config of the course's grading: preprocessors, per-cell timeout, kernel settings.

    ``kernel``: extra settings of the sandbox ({"ExecutePreprocessor": {"kernel_name": ...}, ...}),
    from sandbox.kernel_config(); None grades with the default kernel.
    """
    c = Config()
    c.Autograde.sanitize_preprocessors = list(SANITIZE)
    c.Autograde.autograde_preprocessors = autograde_preprocessors(execute)
    c.SkipDemonstrations.table = str(skip_table)
    c.ExecutePreprocessor.timeout = int(timeout)
    # The kernel is killed, not asked to stop, once a notebook has run: its state is thrown
    # away anyway, and a polite shutdown waited a tenth of a second per notebook.
    c.ExecutePreprocessor.shutdown_kernel = "immediate"
    # The notebook is checked against the nbformat schema once, after the last preprocessor.
    c.Exporter.optimistic_validation = True
    c.LimitOutput.max_lines = 1000
    c.LimitOutput.max_traceback = 100
    c.HTMLExporter.filters = dict(FILTERS)  # feedback: code as plain text (feedback.py)
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "coursekit.feedback.HideTests",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    if kernel:
        c.merge(Config(kernel))
    return c


def as_arguments(cfg: Config) -> list[str]:
    """The same configuration as `nbgrader` command-line arguments (lists repeated per item)."""
    out = []
    for section, values in cfg.items():
        for key, value in values.items():
            if isinstance(value, list):
                out += [f"--{section}.{key}={item}" for item in value]
            else:
                out.append(f"--{section}.{key}={value}")
    return out
