"""nbgrader's Execute preprocessor with a cap on the output kept per cell.

nbgrader's LimitOutput trims lines only after the whole notebook has run, so a
submission printing in a loop for the full cell timeout would first fill the
grader's memory. This one drops a cell's outputs beyond ``max_output_bytes`` as
they arrive and leaves a note in their place. sandbox.autograde_args() puts it
in place of Execute in ``Autograde.autograde_preprocessors``.
"""
from __future__ import annotations

from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer


def _size(msg) -> int:
    content = msg.get("content", {})
    n = len(content.get("text", "") or "")
    for value in (content.get("data") or {}).values():
        n += len(value) if isinstance(value, (str, bytes)) else len(str(value))
    n += sum(len(line) for line in content.get("traceback", []) or [])
    return n


class LimitedExecute(Execute):
    max_output_bytes = Integer(
        1024 * 1024, help="Output bytes kept per cell while executing (-1: no limit)").tag(config=True)

    def output(self, outs, msg, display_id, cell_index):
        if self.max_output_bytes >= 0 and msg["msg_type"] in ("stream", "display_data", "execute_result",
                                                               "update_display_data", "error"):
            used = self._sandbox_used.get(cell_index, 0) + _size(msg)
            self._sandbox_used[cell_index] = used
            if used > self.max_output_bytes and msg["msg_type"] != "error":
                if cell_index not in self._sandbox_cut:
                    self._sandbox_cut.add(cell_index)
                    outs.append(new_output("stream", name="stdout", text=(
                        f"\n[output cut by the grading sandbox: over {self.max_output_bytes} bytes in one cell]\n")))
                return None
        return super().output(outs, msg, display_id, cell_index)

    def preprocess(self, nb, resources=None, km=None):
        self._sandbox_used: dict[int, int] = {}
        self._sandbox_cut: set[int] = set()
        return super().preprocess(nb, resources, km)
