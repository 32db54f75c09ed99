"""nbgrader's Execute preprocessor for grading: SandboxExecute (the sandbox) and QuickExecute (SANDBOX=0).

Changes to nbgrader's Execute (QuickExecute has the last one only):

* its kernel manager puts the IPC sockets of every kernel under a path of its own
  in JUPYTER_RUNTIME_DIR (jupyter_client's default, ``kernel-ipc-N`` in the current
  folder, is shared by all the grading processes of a course, which could then
  connect to each other's kernels);
* it caps the output kept per cell;
* no fixed waits around each kernel (0.3 s of every graded notebook in jupyter_client
  8): the kernel is ready when it goes idle after answering kernel_info (ReadyClient),
  and a killed kernel is waited for by polling every few milliseconds, not 100.

nbgrader's LimitOutput trims lines only after the whole notebook has run, so a
submission printing in a loop for the full cell timeout would first fill the
grader's memory. This one drops a cell's outputs beyond ``max_output_bytes`` as
they arrive and leaves a note in their place. grading_config.py puts it
in place of Execute in ``Autograde.autograde_preprocessors``.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from queue import Empty

from jupyter_client import protocol_version_info
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import CaselessStrEnum, DottedObjectName, Integer, Type


class ReadyClient(AsyncKernelClient):
    """jupyter_client's client, ready as soon as the kernel has answered kernel_info and gone idle.

    jupyter_client's wait_for_ready ends by reading IOPub until it has been silent for
    0.2 s: a fixed 0.2 s per graded notebook. Here the handshake ends on the kernel's
    own signal instead: the ``status: idle`` it publishes after answering our request.
    Seeing it also proves IOPub is connected (what the silence was for); when it does
    not come within 50 ms (IOPub not subscribed yet), kernel_info is asked again, as
    jupyter_client does after 0.2 s.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            msg_id = self.kernel_info()
            reply = await self._reply_to(msg_id, wait=1.0)
            if reply is not None and await self._idle_after(msg_id, wait=0.05):
                self._adapt_protocol(reply)
                return
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    def _adapt_protocol(self, reply) -> None:
        """What jupyter_client does with a kernel_info reply: speak the kernel's protocol version."""
        major = int(reply["content"]["protocol_version"].split(".")[0])
        if major != protocol_version_info[0]:
            self.session.adapt_version = major

    async def _reply_to(self, msg_id: str, wait: float):
        """The shell reply to ``msg_id``, or None after ``wait`` seconds without one."""
        end = time.monotonic() + wait
        while True:
            try:
                msg = await self.shell_channel.get_msg(timeout=max(0.0, end - time.monotonic()))
            except Empty:
                return None
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    async def _idle_after(self, msg_id: str, wait: float) -> bool:
        """Whether IOPub says the kernel went idle after ``msg_id`` (no message for ``wait`` s: False)."""
        while True:
            try:
                msg = await self.iopub_channel.get_msg(timeout=wait)
            except Empty:
                return False
            if (
                msg["msg_type"] == "status"
                and msg["content"].get("execution_state") == "idle"
                and msg["parent_header"].get("msg_id") == msg_id
            ):
                return True


#: SandboxExecute overrides nbclient's NotebookClient.output(outs, msg, display_id, cell_index), which
#: nbclient calls for every output message: checked against this version (requirements.txt pins it).
NBCLIENT_PINNED = "0.11.0"


def check_versions() -> None:
    """Fail loudly when nbclient is not the version SandboxExecute.output was written against."""
    import inspect

    import nbclient
    from nbclient import NotebookClient

    params = list(inspect.signature(NotebookClient.output).parameters)
    if nbclient.__version__ != NBCLIENT_PINNED or params != ["self", "outs", "msg", "display_id", "cell_index"]:
        raise RuntimeError(
            f"coursekit.sandbox_execute.SandboxExecute overrides nbclient {NBCLIENT_PINNED}'s NotebookClient.output"
            f"{tuple(params[1:])}, and nbclient {nbclient.__version__} is installed: check that override "
            "(the per-cell output cap) against the new nbclient, then update NBCLIENT_PINNED and requirements.txt"
        )


class QuickKernelManager(AsyncKernelManager):
    """jupyter_client's kernel manager without its fixed waits: ReadyClient, and a quick kill.

    Used for every graded notebook: by SandboxKernelManager, and by QuickExecute when
    grading without the sandbox.
    """

    client_class = DottedObjectName("coursekit.sandbox_execute.ReadyClient", config=True)
    client_factory = Type(klass=ReadyClient, default_value=ReadyClient, config=True)

    # AsyncKernelManager's shutdown_kernel is a coroutine; jupyter_client's stubs only declare the
    # synchronous KernelManager's, hence the ignore.
    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:  # type: ignore[override]
        """As jupyter_client's; with ``now``, the killed kernel is waited for in steps of 2 ms.

        jupyter_client checks whether a killed kernel has exited every 0.1 s, and a SIGKILL
        takes a millisecond or two: its first check nearly always misses and costs 0.1 s per
        graded notebook. Once the process is reaped here, jupyter_client finds it gone at
        once and does the rest of its shutdown (connection file, sockets) as usual.
        """
        provisioner = self.provisioner
        if now and not restart and self.owns_kernel and self.has_kernel and provisioner is not None:
            await provisioner.kill()
            end = time.monotonic() + 5.0
            while await provisioner.poll() is None and time.monotonic() < end:
                await asyncio.sleep(0.002)
        await super().shutdown_kernel(now=now, restart=restart)


class SandboxKernelManager(QuickKernelManager):
    """IPC transport, with a connection file and sockets named after a fresh random token."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.connection_file:
            folder = jupyter_runtime_dir()
            os.makedirs(folder, mode=0o700, exist_ok=True)
            self.connection_file = os.path.join(folder, f"kernel-{uuid.uuid4().hex}.json")
        if self.transport == "ipc" and len(f"{self.ip}-99".encode()) > 100:
            raise RuntimeError(
                f"IPC socket path too long for Unix sockets: {self.ip} (set JUPYTER_RUNTIME_DIR to a short folder)"
            )


def _size(msg) -> int:
    content = msg.get("content", {})
    n = len(content.get("text", "") or "")
    for value in (content.get("data") or {}).values():
        n += len(value) if isinstance(value, (str, bytes)) else len(str(value))
    n += sum(len(line) for line in content.get("traceback", []) or [])
    return n


#: The Execute preprocessor of grading without the sandbox (SANDBOX=0).
QUICK_EXECUTE = "coursekit.sandbox_execute.QuickExecute"
#: ename of the error output put into cells that a dead kernel kept from running.
NOT_RUN = "NotRun"
KERNEL_DIED = "KernelDied"


class QuickExecute(Execute):
    """nbgrader's Execute with QuickKernelManager, keeping what was earned when the kernel dies.

    nbgrader scores the whole notebook 0 when the kernel dies (os._exit, a crash, the memory
    limit): nbclient's DeadKernelError ends the conversion. Here the cells that ran keep their
    outputs, the cell that was running gets an error output saying the kernel died there, and
    every later cell an error output saying it was not run, so SaveAutoGrades scores the cells
    that passed before the crash and 0 for the rest. ``resources["coursekit"]["kernel_died_in"]``
    holds the index of the cell that was running.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", QuickKernelManager)
        super().__init__(*args, **kwargs)

    def on_cell_start(self, cell=None, cell_index=None, **kwargs):
        self._running = cell_index

    def preprocess(self, nb, resources=None, km=None):
        self._running = None
        try:
            return super().preprocess(nb, resources, km)
        except DeadKernelError:
            if self._running is None:
                raise  # the kernel died before any cell ran: not the student's code
        where = self._running
        nb.cells[where].outputs.append(
            new_output(
                "error",
                ename=KERNEL_DIED,
                evalue="the kernel died while this cell ran (os._exit, a crash or the memory limit)",
                traceback=[],
            )
        )
        for cell in nb.cells[where + 1 :]:
            if cell.cell_type == "code":
                cell.outputs = [
                    new_output(
                        "error", ename=NOT_RUN, traceback=[], evalue="not run: the kernel had died in an earlier cell"
                    )
                ]
        resources = resources if resources is not None else {}
        resources.setdefault("coursekit", {})["kernel_died_in"] = where
        return nb, resources


class SandboxExecute(QuickExecute):
    max_output_bytes = Integer(1024 * 1024, help="Output bytes kept per cell while executing (-1: no limit)").tag(
        config=True
    )

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
        outs.append(
            new_output(
                "stream",
                name="stdout",
                text=(f"\n[output cut by the grading sandbox: over {self.max_output_bytes} bytes in one cell]\n"),
            )
        )
        return None

    def preprocess(self, nb, resources=None, km=None):
        check_versions()
        self._sandbox_used: dict[int, int] = {}
        self._sandbox_cut: set[int] = set()
        return super().preprocess(nb, resources, km)
