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
        if self.transport == "ipc" and len(f"{self.ip}-99".encode()) > 100:
            raise RuntimeError(f"IPC socket path too long for Unix sockets: {self.ip} "
                               "(set JUPYTER_RUNTIME_DIR to a short folder)")


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
        kinds = ("stream", "display_data", "execute_result", "update_display_data")
        if self.max_output_bytes < 0 or msg["msg_type"] not in kinds:
            return super().output(outs, msg, display_id, cell_index)
        if cell_index in self._sandbox_cut:
            return None
        used = self._sandbox_used.get(cell_index, 0)
        size = _size(msg)
        self._sandbox_used[cell_index] = used + size
        if used + size <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        self._sandbox_cut.add(cell_index)
        room = self.max_output_bytes - used
        if msg["msg_type"] == "stream" and room > 0:  # keep the beginning of the stream
            msg = dict(msg, content=dict(msg["content"], text=msg["content"]["text"][:room]))
            super().output(outs, msg, display_id, cell_index)
        outs.append(new_output("stream", name="stdout", text=(
            f"\n[output cut by the grading sandbox: over {self.max_output_bytes} bytes in one cell]\n")))
        return None

    def preprocess(self, nb, resources=None, km=None):
        self._sandbox_used: dict[int, int] = {}
        self._sandbox_cut: set[int] = set()
        return super().preprocess(nb, resources, km)
