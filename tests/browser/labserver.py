"""A throwaway JupyterLab server for the browser tests, and stopping what was started.

The server runs on 127.0.0.1 with a random free port and a random token, in a
temporary copy of the course (so nothing in the repository changes), with its
own runtime, settings and workspace folders. Every process it starts (the
server, its kernels, nbgrader's validation kernels) is found by PID through the
process tree and stopped, even when a test fails.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil

#: The repository (the course root).
REPO = Path(__file__).resolve().parents[2]

#: What the course copy needs: the notebooks and the nbgrader configuration (the Validate
#: button reads nbgrader_config.py from the server's working folder).
COURSE_FILES = ("nbgrader_config.py", "source", "release", "solutions")

#: JupyterLab user settings: no news or update pop-up, every cell kept in the page
#: (so every widget is in the DOM), no autosave racing the Validate button's own save.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def notebooks(folder: str, root: Path = REPO) -> list[tuple[str, str]]:
    """(assignment, notebook file name) for every notebook in <folder>/<NN_topic>/, in order."""
    base = Path(root) / folder
    if not base.is_dir():
        return []
    return [
        (d.name, nb.name)
        for d in sorted(base.iterdir())
        if d.is_dir() and d.name[:2].isdigit()
        for nb in sorted(d.glob("*.ipynb"))
    ]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_course(repo: Path, dest: Path) -> Path:
    """Copy the parts of the course the server serves into ``dest``/course."""
    course = dest / "course"
    course.mkdir(parents=True)
    for name in COURSE_FILES:
        src = repo / name
        if src.is_dir():
            shutil.copytree(src, course / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        elif src.exists():
            shutil.copy2(src, course / name)
    return course


def descendants(pid: int) -> list[int]:
    """PIDs of every living descendant of ``pid`` (children first found, deepest last)."""
    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def stop_pids(pids, grace: float = 5.0) -> list[int]:
    """SIGTERM each PID, wait up to ``grace`` s, SIGKILL the survivors; return the PIDs that needed SIGKILL."""
    procs = []
    for pid in pids:
        try:
            p = psutil.Process(pid)
            p.terminate()
            procs.append(p)
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=grace)
    return [p.pid for p in alive]


@dataclass
class LabServer:
    proc: subprocess.Popen
    root: Path
    port: int
    token: str
    log: Path
    stopped: bool = False

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def lab_url(self) -> str:
        """JupyterLab's address, logged in by token, with a fresh workspace."""
        return f"{self.base}/lab?reset&token={self.token}"

    def api(self, method: str, path: str, body=None, timeout: float = 10.0):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.base}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
            return json.loads(text) if text else None

    def shutdown_kernels(self) -> None:
        """Shut down every running kernel through the REST API (a closed page leaves its kernel running)."""
        for k in self.api("GET", "/api/kernels"):
            try:
                self.api("DELETE", f"/api/kernels/{k['id']}", timeout=30)
            except urllib.error.HTTPError:
                pass

    def stop(self) -> str:
        """Stop the server and everything under it, by PID. Returns a one-line account."""
        if self.stopped:
            return f"jupyter lab (pid {self.proc.pid}) already stopped"
        self.stopped = True
        if self.proc.poll() is not None and not descendants(self.proc.pid):
            return f"jupyter lab (pid {self.proc.pid}) had already exited"
        tree = descendants(self.proc.pid)
        try:
            self.api("POST", "/api/shutdown", timeout=5)  # shuts its kernels down cleanly
            self.proc.wait(timeout=15)
        except Exception:
            pass
        left = [pid for pid in tree + descendants(self.proc.pid) if psutil.pid_exists(pid)]
        killed = stop_pids(left + ([self.proc.pid] if self.proc.poll() is None else []))
        if self.proc.poll() is None:
            self.proc.wait(timeout=10)
        try:  # the server's own process group, should anything be left in it
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        return f"jupyter lab (pid {self.proc.pid}) and {len(tree)} child process(es) stopped" + (
            f"; SIGKILL needed for {killed}" if killed else ""
        )


def start_lab(course: Path, work: Path, timeout: float = 90.0) -> LabServer:
    """Start JupyterLab on the course copy; return once its REST API answers."""
    port, token = free_port(), secrets.token_hex(24)
    settings = work / "lab-settings"
    for name, value in LAB_SETTINGS.items():
        f = settings / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(value))
    for d in ("runtime", "workspaces", "ipython"):
        (work / d).mkdir(exist_ok=True)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(work / "runtime"), IPYTHONDIR=str(work / "ipython"))
    env.pop("JUPYTER_TOKEN", None)
    log = work / "jupyter-lab.log"
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={course}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={work / 'workspaces'}",
        "--LabApp.news_url=",
        "--ServerApp.terminals_enabled=False",
    ]
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=course,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = LabServer(proc, course, port, token, log)
    atexit.register(server.stop)  # a second net, should the test session end abruptly
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            server.api("GET", "/api/status", timeout=2)
            return server
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@contextlib.contextmanager
def chromium(report: list):
    """Debian's Chromium, headless, driven by Playwright (no browser download); on exit the browser is
    closed and whatever is left of what it started (driver, browser, renderers) is stopped by PID, with a
    line appended to ``report``."""
    from playwright.sync_api import sync_playwright

    before = set(descendants(os.getpid()))
    pw = sync_playwright().start()
    started: list[int] = []
    browser = None
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        started = [pid for pid in descendants(os.getpid()) if pid not in before]
        yield browser
    finally:
        tree = list(dict.fromkeys(started + [d for pid in started for d in descendants(pid)]))
        try:
            if browser is not None:
                browser.close()
        finally:
            pw.stop()
            killed = stop_pids([pid for pid in tree if psutil.pid_exists(pid)])
            report.append(
                f"chromium and playwright driver ({len(started)} process(es)) stopped"
                + (f"; SIGKILL needed for {killed}" if killed else "")
            )
