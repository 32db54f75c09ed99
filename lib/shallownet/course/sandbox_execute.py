"""nbgrader's Execute preprocessor for the grading sandbox.

Two changes to nbgrader's Execute:

* its kernel manager puts the IPC sockets of every kernel under a path of its own
  in JUPYTER_RUNTIME_DIR (jupyter_client's default, ``kernel-ipc-N`` in the current
  folder, is shared by all the grading processes of a course, which could then
  connect to each other's kernels);
* it caps the output kept per cell.

nbgrader's LimitOutput trims lines only after the whole notebook has run, so a
submission printing in a loop for the full cell timeout would first fill the
grader's memory. This one drops a cell's outputs beyond ``max_output_bytes`` as
they arrive and leaves a note in their place. sandbox.autograde_args() puts it
in place of Execute in ``Autograde.autograde_preprocessors``.
"""
from __future__ import annotations

import os
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import CaselessStrEnum, Integer


class SandboxKernelManager(AsyncKernelManager):
    """IPC transport, with a connection file and sockets named after a fresh random token."""
    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.connection_file:
            folder = jupyter_runtime_dir()
            os.makedirs(folder, mode=0o700, exist_ok=True)
            self.connection_file = os.path.join(folder, f"kernel-{uuid.uuid4().hex}.json")


def _size(msg) -> int:
    content = msg.get("content", {})
    n = len(content.get("text", "") or "")
    for value in (content.get("data") or {}).values():
        n += len(value) if isinstance(value, (str, bytes)) else len(str(value))
    n += sum(len(line) for line in content.get("traceback", []) or [])
    return n


class SandboxExecute(Execute):
    max_output_bytes = Integer(
        1024 * 1024, help="Output bytes kept per cell while executing (-1: no limit)").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(*args, **kwargs)

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
