"""`make lab` starts a JupyterLab on the course with the widget and nbgrader extensions."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

from conftest import ROOT
from coursekit.lab import lab_command, write_overrides


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, r.read().decode()


def test_lab_serves_the_course_with_formgrader_and_widgets(tmp_path):
    port, token = _free_port(), "course-test-token"
    write_overrides()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    proc = subprocess.Popen(
        lab_command(port, extra=[f"--IdentityProvider.token={token}"]),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                _get(f"{base}/api/status?token={token}")
                break
            except OSError:
                time.sleep(0.5)
        status, body = _get(f"{base}/api/contents?token={token}")
        names = {item["name"] for item in json.loads(body)["content"]}
        assert {"source", "release", "solutions", "README.md"} <= names
        status, body = _get(f"{base}/api/contents/release?token={token}")
        assert any(i["name"].startswith("01_") for i in json.loads(body)["content"])
        status, page = _get(f"{base}/lab?token={token}")
        assert status == 200
        for ext in ("@jupyter-widgets/jupyterlab-manager", "@jupyter/nbgrader"):
            assert ext in page, f"JupyterLab extension {ext} is not enabled"
        status, _ = _get(f"{base}/formgrader?token={token}")
        assert status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
