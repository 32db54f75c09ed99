"""How the grader starts and stops each kernel (sandbox_execute.py): no fixed waits, same guarantees.

ReadyClient is checked twice: against scripted message sequences (the cases a real
kernel produces only by chance: IOPub not subscribed yet, replies to an earlier
request, IOPub never silent, a kernel that dies), and against a real kernel.
The kernel managers' quick shutdown is checked on a real kernel: the process is
gone and jupyter_client's clean-up (connection file, sockets) still ran. The sandboxed path
as a whole is graded by test_sandbox.py, test_roundtrip.py and test_catalogue.py.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from queue import Empty

import pytest

from coursekit import grade, submission
from coursekit.grading_config import grading_config
from coursekit.sandbox_execute import QuickKernelManager, ReadyClient, SandboxKernelManager


def _msg(msg_type, parent, **content):
    return {"msg_type": msg_type, "parent_header": {"msg_id": parent}, "content": content}


class _Channel:
    """A channel whose get_msg plays a script: ``script(request_number)`` lists what arrives
    after each request; Empty once the list is used up (as a silent socket after its timeout)."""

    def __init__(self, client, script):
        self.client, self.script, self.queue, self.seen = client, script, [], 0

    async def get_msg(self, timeout=None):
        if self.seen < len(self.client.asked):  # a new request went out: its messages arrive
            self.seen = len(self.client.asked)
            self.queue += self.script(self.seen, self.client.asked)
        if not self.queue:
            raise Empty
        return self.queue.pop(0)


class _Scripted(ReadyClient):
    """ReadyClient with its kernel replaced by scripts for the shell and IOPub channels."""

    def __init__(self, shell, iopub, alive=True):
        super().__init__()
        self.asked = []
        self._shell, self._iopub, self._alive = _Channel(self, shell), _Channel(self, iopub), alive

    shell_channel = property(lambda self: self._shell)
    iopub_channel = property(lambda self: self._iopub)

    def kernel_info(self):
        self.asked.append(f"req{len(self.asked) + 1}")
        return self.asked[-1]

    async def is_alive(self):
        return self._alive


def _reply(req):
    return _msg("kernel_info_reply", req, protocol_version="5.3", status="ok")


def _busy_idle(req):
    return [_msg("status", req, execution_state="busy"), _msg("status", req, execution_state="idle")]


def test_ready_when_the_kernel_goes_idle_after_answering():
    kc = _Scripted(shell=lambda n, asked: [_reply(asked[-1])], iopub=lambda n, asked: _busy_idle(asked[-1]))
    asyncio.run(kc.wait_for_ready(timeout=5))
    assert kc.asked == ["req1"]


def test_asks_again_while_iopub_is_not_subscribed_yet():
    # The first request's status messages are published before the subscription reaches
    # the kernel, so they are lost: the client must ask again rather than wait forever.
    kc = _Scripted(
        shell=lambda n, asked: [_reply(asked[-1])], iopub=lambda n, asked: [] if n == 1 else _busy_idle(asked[-1])
    )
    asyncio.run(kc.wait_for_ready(timeout=5))
    assert kc.asked == ["req1", "req2"]


def test_replies_and_idles_of_an_earlier_request_do_not_count():
    # The kernel answers req1 late, after req2 was sent; only req2's reply and idle end the wait.
    def shell(n, asked):
        return [] if n == 1 else [_reply("req1"), _reply("req2")]

    def iopub(n, asked):
        return [] if n == 1 else _busy_idle("req1") + _busy_idle("req2")

    kc = _Scripted(shell=shell, iopub=iopub)
    asyncio.run(kc.wait_for_ready(timeout=5))
    assert kc.asked == ["req1", "req2"]
    assert kc._iopub.queue == []  # req1's idle was read past, not taken for req2's


def test_ready_although_iopub_is_never_silent():
    # jupyter_client's own wait_for_ready reads IOPub until it is silent for 0.2 s; a kernel
    # whose background thread prints for ever would keep it waiting. The idle status suffices here.
    noise = [_msg("stream", "thread", name="stdout", text="tick\n")] * 50
    kc = _Scripted(
        shell=lambda n, asked: [_reply(asked[-1])], iopub=lambda n, asked: noise + _busy_idle(asked[-1]) + noise
    )
    asyncio.run(kc.wait_for_ready(timeout=5))
    assert kc.asked == ["req1"] and len(kc._iopub.queue) == 50


def test_a_kernel_that_dies_is_reported_in_the_words_grade_retries_on():
    kc = _Scripted(shell=lambda n, asked: [], iopub=lambda n, asked: [], alive=False)
    with pytest.raises(RuntimeError) as e:
        asyncio.run(kc.wait_for_ready(timeout=5))
    assert "before replying to kernel_info" in str(e.value)
    assert submission.is_startup_failure(e.value)  # so grading tries that submission once more
    assert not submission.is_startup_failure(RuntimeError("NameError in cell 3"))


def test_a_silent_kernel_times_out():
    kc = _Scripted(shell=lambda n, asked: [], iopub=lambda n, asked: [])
    with pytest.raises(RuntimeError, match=r"didn't respond in 0\.1 seconds"):
        asyncio.run(kc.wait_for_ready(timeout=0.1))


@pytest.mark.slow
@pytest.mark.parametrize("manager", [QuickKernelManager, SandboxKernelManager], ids=lambda m: m.__name__)
def test_real_kernel_ready_output_arrives_and_killed_kernel_is_gone(monkeypatch, manager):
    runtime = tempfile.mkdtemp(prefix="k", dir="/tmp")  # IPC socket paths must stay under 108 bytes
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", runtime)

    async def life(now):
        km = manager(kernel_name="python3")
        await km.start_kernel()
        kc = km.client()
        assert isinstance(kc, ReadyClient)
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            seen = []
            reply = await kc.execute_interactive(
                "print('hello from the kernel')", timeout=30, output_hook=lambda m: seen.append(m)
            )
            pid = km.provisioner.process.pid
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=now)
        return km, reply, seen, pid

    for now in (True, False):
        km, reply, seen, pid = asyncio.run(life(now))
        assert reply["content"]["status"] == "ok"
        # IOPub was connected when the client said ready: the cell's output reached it.
        assert any(m["msg_type"] == "stream" and "hello from the kernel" in m["content"]["text"] for m in seen)
        assert not km.has_kernel
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # exited and reaped
        assert not os.path.exists(km.connection_file)  # jupyter_client's clean-up still ran
    assert os.listdir(runtime) == []  # nor any IPC socket left
    os.rmdir(runtime)


def test_grading_without_the_sandbox_uses_the_quick_kernel_manager(tmp_path):
    from traitlets.utils.importstring import import_item

    execute, kernel, _ = grade.sandbox_setup(tmp_path, use_sandbox=False, log=lambda *a: None)
    assert kernel is None
    cfg = grading_config(execute)
    executes = [name for name in cfg.Autograde.autograde_preprocessors if name.endswith("Execute")]
    assert len(executes) == 1
    assert import_item(executes[0])().kernel_manager_class is QuickKernelManager


@pytest.mark.slow
def test_ready_client_sees_what_the_stock_client_sees():
    """ReadyClient against jupyter_client's own wait_for_ready, on a real kernel: after either,
    the same messages arrive for the same cell, and the session speaks the same protocol."""
    from jupyter_client.manager import AsyncKernelManager

    async def life(client_class):
        km = AsyncKernelManager(kernel_name="python3", client_class=client_class)
        await km.start_kernel()
        kc = km.client()
        assert type(kc).__name__ == client_class.rsplit(".", 1)[1]
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            seen = []
            reply = await kc.execute_interactive("print('x'); 1 + 1", timeout=30, output_hook=seen.append)
            return (
                [m["msg_type"] for m in seen],
                reply["msg_type"],
                reply["content"]["status"],
                kc.session.adapt_version,
            )
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    stock = asyncio.run(life("jupyter_client.asynchronous.AsyncKernelClient"))
    ours = asyncio.run(life("coursekit.sandbox_execute.ReadyClient"))
    assert ours == stock
    assert stock[0] == ["status", "execute_input", "stream", "execute_result", "status"]


def test_version_guard_fails_loudly_when_nbclient_moves(monkeypatch):
    import nbclient

    from coursekit import sandbox_execute

    sandbox_execute.check_versions()  # the pinned version: fine
    monkeypatch.setattr(nbclient, "__version__", "0.99.0")
    with pytest.raises(RuntimeError, match=r"NotebookClient\.output"):
        sandbox_execute.check_versions()
