"""How feedback shows code: as plain text, escaped (the highlight_code filter of `make grade`).

nbconvert colours every code cell with Pygments, which wraps each token in a
<span>; it then re-reads the whole page with BeautifulSoup's pure-Python parser.
For these notebooks that colouring and re-reading was over half of the time
`nbgrader generate_feedback` takes per notebook. Feedback is read for the
scores, the test messages and the tracebacks, which keep their look; only the
code loses its colours.
"""
from __future__ import annotations

from html import escape

#: The nbconvert filters of `make grade`'s feedback (grading_config.py sets them).
FILTERS = {"highlight_code": "coursekit.feedback.plain_code"}


def plain_code(source: str, language: str | None = None, metadata=None) -> str:
    """A code cell's source as HTML: the markup Pygments would give, without the colours."""
    lang = escape(language or "ipython3")
    return f'<div class=" highlight hl-{lang}"><pre><span></span>{escape(source or " ", quote=False)}\n</pre></div>'
