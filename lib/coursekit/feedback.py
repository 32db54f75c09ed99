"""What feedback shows: no test code, and code as plain text (both set by grading_config.py).

HideTests (a preprocessor of nbgrader's GenerateFeedback, after GetGrades) replaces the
code of every test cell by its docstring and each of its errors by the one sentence of
the first failing check: the points, the docstring and the message stay, the hidden
tests (their code, their inputs, the traceback through them) never reach a student, so
they can be used again next year. The autograded notebook keeps everything, for the
instructor and the formgrader.

The highlight_code filter:

nbconvert colours every code cell with Pygments, which wraps each token in a
<span>; it then re-reads the whole page with BeautifulSoup's pure-Python parser.
For these notebooks that colouring and re-reading was over half of the time
`nbgrader generate_feedback` takes per notebook. Feedback is read for the
scores, the test messages and the tracebacks, which keep their look; only the
code loses its colours.
"""

from __future__ import annotations

import ast
from html import escape

from nbgrader.preprocessors import NbGraderPreprocessor

NOT_SHOWN = "# (the test's code is not shown in feedback)"


def docstring(source: str) -> str:
    """The docstring at the top of a test cell's code, or "" (also for code that does not parse)."""
    try:
        return ast.get_docstring(ast.parse(source), clean=True) or ""
    except (SyntaxError, ValueError):
        return ""


class HideTests(NbGraderPreprocessor):
    """Test cells in feedback: their docstring and the first failing check's sentence, no code."""

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            return cell, resources
        doc = docstring(cell.source)
        cell.source = (f'"""{doc}"""\n' if doc else "") + NOT_SHOWN
        outputs, failed = [], False
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                if not failed:
                    line = next((x for x in str(out.get("evalue", "")).splitlines() if x.strip()), "")
                    out["traceback"] = [f"{out.get('ename', 'Error')}: {line}" if line else out.get("ename", "Error")]
                    out["evalue"] = line
                    outputs.append(out)
                failed = True
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                continue  # a warning's text can quote the test's code
            else:
                outputs.append(out)
        cell.outputs = outputs
        return cell, resources


#: The nbconvert filters of `make grade`'s feedback (grading_config.py sets them).
FILTERS = {"highlight_code": "coursekit.feedback.plain_code"}


def plain_code(source: str, language: str | None = None, metadata=None) -> str:
    """A code cell's source as HTML: the markup Pygments would give, without the colours."""
    lang = escape(language or "ipython3")
    return f'<div class=" highlight hl-{lang}"><pre><span></span>{escape(source or " ", quote=False)}\n</pre></div>'
