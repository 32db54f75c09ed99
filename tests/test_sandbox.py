"""The grading sandbox (issue 10), driven through the real `nbgrader autograde`.

A tiny course is built in a temporary folder; fabricated students submit it, five
of them with an attack in their notebook. One sandboxed autograde grades them all;
the tests then check from the gradebook, the files and the autograded notebooks
that every attack got nowhere and every student was graded, and that the same
attacks do work without the sandbox (so these tests can fail).

Every attack is bounded (one fixed allocation that numpy does not touch, a fixed
number of sleeping processes, 3-second timeouts), so a missing sandbox fails the
tests, not the machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

from coursekit import sandbox
from coursekit import sandbox_bench as course

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or os.geteuid() != 0, reason="the grading sandbox needs Linux and root"
    ),
]

MEMORY_MB = 1024
PROCESSES = 48
SECRET = "sandbox-test-secret-" + "x" * 8
A = course.ASSIGNMENT


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self):
        self._stop.set()
        self.thread.join(2)
        self.sock.close()


def attacks(root: Path, port: int) -> dict[str, tuple[str, ...]]:
    """Extra cells per attacking student (each also submits the right solution)."""
    r = str(root)
    reader = f"""
import os, glob
for path in ("../../source/{A}/tiny.ipynb", {r!r} + "/source/{A}/tiny.ipynb"):
    try:
        print("SOURCE", "LEAK" if {course.HIDDEN_MARKER!r} in open(path).read() else "no-marker")
    except OSError as e:
        print("SOURCE blocked", type(e).__name__)
for path in ("../../gradebook.db", {r!r} + "/gradebook.db"):
    try:
        open(path, "rb").read(16)
        print("GRADEBOOK LEAK")
    except OSError as e:
        print("GRADEBOOK blocked", type(e).__name__)
try:
    print("OTHERS", sorted(os.listdir("../..")))
except OSError as e:
    print("OTHERS blocked", type(e).__name__)
try:
    print("ROOTHOME", sorted(os.listdir("/root")))
except OSError as e:
    print("ROOTHOME blocked", type(e).__name__)
leaked = [p for p in glob.glob("/proc/*/environ")
          if os.access(p, os.R_OK) and {SECRET!r}.encode() in open(p, "rb").read()]
print("SECRET", "LEAK" if {SECRET!r} in str(os.environ) or leaked else "absent")
"""
    writer = f"""
import os, sqlite3
for path in ("../../gradebook.db", {r!r} + "/gradebook.db"):
    try:
        con = sqlite3.connect("file:" + path + "?mode=rw", uri=True, timeout=3)
        con.execute("CREATE TABLE pwned (x)")
        con.commit()
        print("DB WROTE", path)
    except Exception as e:
        print("DB blocked", type(e).__name__)
for path in ({r!r} + "/submitted/perfect/{A}/tiny.ipynb", "../../../submitted/perfect/{A}/tiny.ipynb",
             "../../perfect/{A}/tiny.ipynb"):
    try:
        with open(path, "w") as f:
            f.write("{{}}")
        print("TAMPERED", path)
    except OSError as e:
        print("TAMPER blocked", type(e).__name__)
"""
    net = f"""
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
    print("NET CONNECTED")
except OSError as e:
    print("NET blocked", type(e).__name__)
"""
    # numpy asks for the memory without touching it: without the limit this costs nothing
    hog = f"import numpy as np\nhuge = np.zeros({3 * MEMORY_MB} * 2**20 // 8)\nprint('HOG ALLOCATED')"
    forker = f"""
import os, signal, time
pids, stopped = [], None
for i in range({PROCESSES + 40}):
    try:
        pid = os.fork()
    except OSError as e:
        stopped = type(e).__name__
        break
    if pid == 0:
        time.sleep(20)
        os._exit(0)
    pids.append(pid)
for pid in pids:
    os.kill(pid, signal.SIGKILL)
for pid in pids:
    os.waitpid(pid, 0)
print("FORKED", len(pids), stopped)
"""
    return {"reader": (reader,), "writer": (writer,), "net": (net,), "hog": (hog,), "forker": (forker,)}


def _outputs(root: Path, student: str) -> tuple[str, list[str]]:
    """(all stream text, error names) of a student's autograded notebook."""
    nb = json.loads((root / "autograded" / student / A / "tiny.ipynb").read_text())
    text, errors = [], []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream":
                text.append("".join(out["text"]))
            elif out["output_type"] == "error":
                errors.append(f"{out['ename']}: {out['evalue']}")
    return "".join(text), errors


def _tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


@pytest.fixture(scope="module")
def course_root(tmp_path_factory):
    root = course.tiny_course(tmp_path_factory.mktemp("sandboxcourse") / "course")
    ok, reason = sandbox.status(root)
    assert ok, reason
    sandbox.ensure(root, memory_mb=MEMORY_MB, processes=PROCESSES, cpu_seconds=120)
    return root


@pytest.fixture(scope="module")
def graded(course_root):
    root = course_root
    listener = Listener()
    try:
        course.submit(root, "perfect")
        for student, cells in attacks(root, listener.port).items():
            course.submit(root, student, extra_cells=cells)
        before = _hash(root / "submitted" / "perfect" / A / "tiny.ipynb")
        env = dict(os.environ, SANDBOX_TEST_SECRET=SECRET)
        run = course.autograde(root, sandboxed=True, env=env)
    finally:
        listener.close()
    return {"root": root, "run": run, "accepted": listener.accepted, "perfect_hash": before}


def test_everyone_graded_and_perfect_student_full_marks(graded):
    root, run = graded["root"], graded["run"]
    assert run.returncode == 0, run.stdout[-3000:]
    scores = course.scores(root)
    assert set(scores) == {"perfect", "reader", "writer", "net", "hog", "forker"}
    assert scores["perfect"] == 1.0
    # the attacks sit in extra cells and do not stop the right solution from scoring
    assert scores == {s: 1.0 for s in scores}, scores


def test_hidden_tests_gradebook_other_students_home_and_secrets_unreadable(graded):
    text, _ = _outputs(graded["root"], "reader")
    assert "SOURCE blocked" in text and "LEAK" not in text and "no-marker" not in text, text
    assert "GRADEBOOK blocked" in text, text
    assert "OTHERS ['reader']" in text, text  # autograded/ holds only its own folder
    listed = text.split("ROOTHOME ")[1].splitlines()[0]
    assert listed in ("[]", "['.pyenv']") or "blocked" in listed, listed  # at most the Python installation
    assert "SECRET absent" in text, text


def test_gradebook_and_other_submissions_not_writable(graded):
    root = graded["root"]
    text, _ = _outputs(root, "writer")
    assert "DB WROTE" not in text and "TAMPERED" not in text, text
    assert text.count("DB blocked") == 2 and text.count("TAMPER blocked") == 3, text
    assert "pwned" not in _tables(root / "gradebook.db")
    assert _hash(root / "submitted" / "perfect" / A / "tiny.ipynb") == graded["perfect_hash"]
    assert "raise NotImplementedError" not in (root / "autograded" / "perfect" / A / "tiny.ipynb").read_text()


def test_no_network(graded):
    text, _ = _outputs(graded["root"], "net")
    assert "NET blocked" in text and "NET CONNECTED" not in text, text
    assert graded["accepted"] == 0


def test_runaway_allocation_fails_alone_with_memory_error(graded):
    text, errors = _outputs(graded["root"], "hog")
    assert "HOG ALLOCATED" not in text
    assert any(e.startswith("MemoryError") for e in errors), errors


def test_process_count_capped(graded):
    text, _ = _outputs(graded["root"], "forker")
    line = text.split("FORKED ")[1].splitlines()[0]
    started, stopped = line.split()
    assert int(started) < PROCESSES and stopped == "BlockingIOError", line


def test_interface(course_root):
    args = sandbox.autograde_args(course_root)
    assert f"--ExecutePreprocessor.kernel_name={sandbox.KERNEL_NAME}" in args
    env = sandbox.autograde_env(course_root, {"PATH": "/usr/bin", "JUPYTER_PATH": "/x"})
    spec = Path(env["JUPYTER_PATH"].split(os.pathsep)[0]) / "kernels" / sandbox.KERNEL_NAME / "kernel.json"
    assert json.loads(spec.read_text())["argv"][-1] == "{connection_file}"
    assert env["JUPYTER_PATH"].endswith(os.pathsep + "/x")
    assert sandbox.status(course_root) == (True, "the grading sandbox is ready.")
    with pytest.raises(TypeError):
        sandbox.ensure(course_root, memroy_mb=1)


def test_attacks_succeed_without_the_sandbox(graded, tmp_path):
    """Stock nbgrader in a throwaway copy: the same submissions do reach source/ and the gradebook."""
    src = graded["root"]
    root = tmp_path / "course"
    for name in ("source", "release", "nbgrader_config.py", "gradebook.db"):
        (shutil.copytree if (src / name).is_dir() else shutil.copy)(src / name, root / name)
    (root / "nbgrader_config.py").write_text(
        (src / "nbgrader_config.py").read_text().replace(repr(str(src)), repr(str(root)))
    )
    for student in ("perfect", "reader", "writer"):
        shutil.copytree(src / "submitted" / student, root / "submitted" / student)
    for student, cells in attacks(root, 9).items():
        if student in ("reader", "writer"):
            course.submit(root, student, extra_cells=cells)
    before = _hash(root / "submitted" / "perfect" / A / "tiny.ipynb")
    run = course.autograde(root, sandboxed=False, student="[rw]*")  # reader and writer
    assert run.returncode == 0, run.stdout[-3000:]
    text, _ = _outputs(root, "reader")
    assert "SOURCE LEAK" in text and "GRADEBOOK LEAK" in text, text
    assert "pwned" in _tables(root / "gradebook.db")
    assert _hash(root / "submitted" / "perfect" / A / "tiny.ipynb") != before


def test_connection_folder_stays_open_to_the_kernel_while_sealed(tmp_path, monkeypatch):
    """The kernel reads /run/kernel/kernel.json just after binding its sockets, while the launcher
    seals that folder: at no step may the folder be closed to the kernel's user (a root-owned
    0700 folder between two calls made about 3 % of sandboxed kernels die at start-up)."""
    from coursekit import sandbox_launch

    uid = 4242
    home = tmp_path / "slot"
    home.mkdir(mode=0o700)
    os.chown(home, uid, uid)
    sockets = [str(home / f"ipc-{k}") for k in range(5)]
    for s in sockets:
        Path(s).touch()
    steps = []

    def open_to_kernel():
        st = os.stat(home)
        if st.st_uid == uid:
            return bool(st.st_mode & 0o100)
        return bool(st.st_mode & 0o001)

    def watched(real):
        def call(path, *args):
            real(path, *args)
            steps.append((real.__name__, open_to_kernel()))

        return call

    monkeypatch.setattr(sandbox_launch.os, "chown", watched(os.chown))
    monkeypatch.setattr(sandbox_launch.os, "chmod", watched(os.chmod))

    class Running:
        def poll(self):
            return None

    sandbox_launch.seal_when_bound(Running(), str(home), sockets)
    st = os.stat(home)
    assert (st.st_uid, st.st_mode & 0o777) == (0, 0o755)  # sealed: the kernel can no longer write there
    assert [name for name, _ in steps] == ["chmod", "chown"] and all(ok for _, ok in steps), steps
