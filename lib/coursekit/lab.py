"""make lab: JupyterLab on the course, with the widget and nbgrader extensions (formgrader at /formgrader)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .paths import course_root

#: Keep JupyterLab from fetching news (no network on many course machines).
OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


def write_overrides(prefix: Path = Path(sys.prefix)) -> Path:
    """Write share/jupyter/lab/settings/overrides.json into the environment."""
    path = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(OVERRIDES, indent=2) + "\n")
    return path


def lab_command(port: int = 8888, root: Path | None = None, extra=()) -> list[str]:
    """The jupyter lab command line (``--allow-root`` only when running as root)."""
    root = course_root(root)
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--port={port}",
        "--no-browser",
        f"--ServerApp.root_dir={root}",
        "--ip=127.0.0.1",
        *extra,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def lab(port: int = 8888) -> int:
    write_overrides()
    root = course_root()
    print(
        f"Opening JupyterLab on the course in {root}.\n"
        "This is the instructor's copy of the whole course: source/ and solutions/ hold the answer key and\n"
        "the hidden tests, so never share this folder or this server with students. Students get the\n"
        "student bundle (make student-bundle: build/student-bundle/) or the hub's Assignments tab (make hub).\n"
        "Instructors: the formgrader is at /formgrader (Nbgrader menu > Formgrader).\n"
        "Open the URL with the token printed below; Ctrl-C twice stops the server.",
        flush=True,
    )
    return subprocess.call(lab_command(port, root), cwd=root)
