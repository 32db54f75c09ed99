"""Grading sandbox: student code runs in a bubblewrap jail as an unprivileged user.

``nbgrader autograde`` normally runs every submission with the instructor's rights in
autograded/<student>/<assignment>/, two folders below the gradebook and source/.
With the arguments and environment from this module it runs them in the
``shallownet-sandbox`` kernel instead, whose launcher (sandbox_launch.py):

* takes one of SLOTS dedicated system users (shallownet-sbx0, ...), one per running
  kernel, so the process limit of one submission does not starve another;
* runs the kernel through ``bwrap`` (Debian package bubblewrap) with new pid, net, ipc,
  uts and mount namespaces; the filesystem the kernel sees is a fresh tmpfs holding only
  read-only binds of /usr, a few files of /etc, the Python installation, the
  virtual environment and the course library, plus:
    - its working folder: a size-limited tmpfs at the path of the student's
      autograded folder, filled with a copy of the regular files nbgrader put there
      (so nothing the kernel writes is ever read back by nbgrader or by root);
    - a private, size-limited /tmp (also its HOME);
    - /run/kernel: its own connection file and IPC sockets (no network, so the kernel
      talks to nbgrader over unix sockets, which the launcher links to the short paths
      in RUN_DIR that jupyter_client connects to; once bound, the folder is made
      read-only to the kernel);
* becomes the sandbox user with ``setpriv`` (all capabilities dropped, no_new_privs),
  with a clean environment and rlimits on address space (a runaway allocation raises
  MemoryError in that cell), CPU seconds, processes, file size and core dumps;
* dies with its launcher (--die-with-parent, pid namespace), so a killed kernel takes
  every process it started with it.

nbgrader itself (the gradebook, feedback, the files it copies) keeps running as the
instructor outside the sandbox. The launcher dies with nbgrader (PR_SET_PDEATHSIG),
so an interrupted `make grade` leaves no kernel behind. Output size is capped per cell in the grader
(sandbox_execute.SandboxExecute) and by nbgrader's LimitOutput afterwards.

Interface used by ``make grade`` (grade.py)::

    ok, reason = status(root)          # can the sandbox be used here? (reason: one sentence)
    ensure(root)                       # idempotent setup; raises SandboxUnavailable
    kernel_config(root)                # nbgrader settings for the sandbox kernel (with EXECUTE)
    autograde_env(root, base_env)      # environment of the grading processes
    autograde_args(root)               # the same for the stock `nbgrader autograde` command
"""

from __future__ import annotations

import compileall
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

KERNEL_NAME = "shallownet-sandbox"
USER_PREFIX = "shallownet-sbx"
#: Sandbox users, hence kernels that can run at once (more wait for a free one).
SLOTS = 8
#: Limits per kernel; ensure(root, memory_mb=..., ...) overrides them.
DEFAULT_LIMITS = {
    "memory_mb": 2048,  # address space of each process (RLIMIT_AS): MemoryError beyond
    "cpu_seconds": 900,  # CPU time of each process (RLIMIT_CPU), on top of the per-cell timeout
    "processes": 128,  # processes and threads of the sandbox user (RLIMIT_NPROC)
    "file_mb": 256,  # largest file it may write (RLIMIT_FSIZE)
    "tmp_mb": 256,  # size of its private /tmp (tmpfs)
    "work_mb": 512,  # size of its working folder (tmpfs holding the copy of its folder)
    "output_kb": 1024,  # output kept per cell by the grader (the rest is dropped)
}
#: Environment variables passed from nbgrader into the kernel (everything else is dropped).
PASS_ENV = ("NBGRADER_EXECUTION", "TZ", "LC_ALL")
#: Read-only binds besides /usr and the Python installation, when they exist.
ETC_BINDS = (
    "/etc/alternatives",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/timezone",
    "/etc/fonts",
    "/etc/ssl/certs",
    "/etc/ca-certificates",
    "/etc/mime.types",
    "/etc/nsswitch.conf",
    "/etc/host.conf",
)

#: Machine-wide, root-only: kernel connection files, the IPC socket links nbgrader connects to
#: (a Unix socket path must stay under 108 bytes, wherever the course lies) and the user locks.
RUN_DIR = "/run/shallownet-sandbox"
LAUNCHER = Path(__file__).with_name("sandbox_launch.py")
#: The Execute preprocessor that runs a notebook in the sandbox kernel.
EXECUTE = "coursekit.sandbox_execute.SandboxExecute"
LIBRARY = Path(__file__).resolve().parents[1]  # lib/: the folder holding the shallownet and coursekit packages


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot be set up here; the message says why in one sentence."""


def sandbox_dir(root) -> Path:
    return Path(root).resolve() / "build" / "sandbox"


def _config_path(root) -> Path:
    return sandbox_dir(root) / "sandbox.json"


def _kernels_share(root) -> Path:
    return sandbox_dir(root) / "share" / "jupyter"


def _ro_binds() -> list[str]:
    """What the kernel may read besides /usr: the Python installation, the venv, the library, a bit of /etc."""
    out = []
    for p in (os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), str(LIBRARY)):
        if p != "/usr" and not p.startswith("/usr/") and p not in out:
            out.append(p)
    return out + [p for p in ETC_BINDS if os.path.exists(p)]


def _users() -> list[tuple[int, int]] | None:
    out = []
    for i in range(SLOTS):
        try:
            pw = pwd.getpwnam(f"{USER_PREFIX}{i}")
        except KeyError:
            return None
        out.append((pw.pw_uid, pw.pw_gid))
    return out


def _blocker(root) -> str | None:
    """Why the sandbox cannot work here, or None."""
    if not sys.platform.startswith("linux"):
        return f"the grading sandbox needs Linux namespaces (bubblewrap), and this is {sys.platform}."
    if os.geteuid() != 0:
        return (
            "the grading sandbox must be set up and run as root, because it starts every kernel "
            "as an unprivileged sandbox user; run make grade as root."
        )
    real = os.path.realpath(root)
    for b in [*_ro_binds(), "/usr"]:
        if real == b or real.startswith(b.rstrip("/") + "/"):
            return (
                f"the course root {real} lies inside {b}, which student code must be able to read, "
                "so it would see source/ and the gradebook; move the course or the environment."
            )
    if not os.path.isdir(os.path.dirname(RUN_DIR)):
        return f"{os.path.dirname(RUN_DIR)} is missing, and the sandbox keeps its kernel sockets there."
    if not shutil.which("setpriv"):
        return "setpriv (util-linux) is missing, and the sandbox needs it to drop to the sandbox user."
    if not shutil.which("bwrap") and not shutil.which("apt-get"):
        return "bubblewrap (bwrap) is not installed and there is no apt-get to install it: install bubblewrap."
    return None


def _probe_namespaces() -> str | None:
    """Start an empty bubblewrap jail; None when it works, else why not."""
    cmd = [
        shutil.which("bwrap") or "bwrap",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--die-with-parent",
        "--ro-bind",
        "/usr",
        "/usr",
        "--symlink",
        "usr/bin",
        "/bin",
        "--symlink",
        "usr/lib",
        "/lib",
        "--symlink",
        "usr/lib64",
        "/lib64",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "/usr/bin/true",
    ]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"bubblewrap could not be started ({e})."
    if r.returncode:
        return f"bubblewrap cannot create namespaces here ({r.stderr.strip() or r.returncode})."
    return None


def status(root) -> tuple[bool, str]:
    """(ok, reason): whether the sandbox can be used for the course at ``root``."""
    why = _blocker(root)
    if why:
        return False, why
    if not shutil.which("bwrap"):
        return True, "bubblewrap is not installed yet; ensure() installs it with apt-get."
    why = _probe_namespaces()
    if why:
        return False, why
    if _users() is None or not _config_path(root).exists():
        return True, "the sandbox is not set up yet; ensure() creates its users and kernel."
    return True, "the grading sandbox is ready."


def _install_bwrap() -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-qq", "bubblewrap"]
    if subprocess.run(install, env=env, capture_output=True).returncode:
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
        r = subprocess.run(install, env=env, capture_output=True, text=True)
        if r.returncode:
            raise SandboxUnavailable(
                "installing bubblewrap with apt-get failed: " + (r.stderr.strip().splitlines() or ["no message"])[-1]
            )


def _create_users() -> list[tuple[int, int]]:
    for i in range(SLOTS):
        name = f"{USER_PREFIX}{i}"
        try:
            pwd.getpwnam(name)
        except KeyError:
            r = subprocess.run(
                [
                    "useradd",
                    "--system",
                    "--user-group",
                    "--no-create-home",
                    "--home-dir",
                    "/nonexistent",
                    "--shell",
                    "/usr/sbin/nologin",
                    "--comment",
                    "shallownet grading sandbox",
                    name,
                ],
                capture_output=True,
                text=True,
            )
            if r.returncode:
                raise SandboxUnavailable(f"could not create the sandbox user {name}: {r.stderr.strip()}") from None
    users = _users()
    if users is None:
        raise SandboxUnavailable(f"the sandbox users {USER_PREFIX}0..{SLOTS - 1} are still missing after creating them")
    return users


def _matplotlib_cache(folder: Path) -> str | None:
    """A font cache built once, copied into every kernel (building it costs seconds per kernel)."""
    folder.mkdir(parents=True, exist_ok=True)
    found = sorted(folder.glob("fontlist-*.json"))
    if not found:
        env = dict(os.environ, MPLCONFIGDIR=str(folder))
        subprocess.run(
            [sys.executable, "-c", "import matplotlib.font_manager"], env=env, capture_output=True, timeout=300
        )
        found = sorted(folder.glob("fontlist-*.json"))
    return str(found[-1]) if found else None


def ensure(root, **limits) -> None:
    """Set the sandbox up for the course at ``root`` (idempotent).

    Installs bubblewrap if missing, creates the sandbox users, writes
    <root>/build/sandbox/ (configuration, kernelspec, font cache, working folders)
    and starts one probe through the real launcher. Keyword arguments override
    DEFAULT_LIMITS. Raises SandboxUnavailable(reason) when any of it fails.
    """
    unknown = set(limits) - set(DEFAULT_LIMITS)
    if unknown:
        raise TypeError(f"unknown sandbox limits: {', '.join(sorted(unknown))}")
    why = _blocker(root)
    if why:
        raise SandboxUnavailable(why)
    if not shutil.which("bwrap"):
        _install_bwrap()
    why = _probe_namespaces()
    if why:
        raise SandboxUnavailable(why)
    users = _create_users()
    # The kernel cannot write bytecode (read-only library, PYTHONDONTWRITEBYTECODE): compile the
    # library once here, or every graded notebook compiles it again.
    compileall.compile_dir(str(LIBRARY / "shallownet"), quiet=1)
    base = sandbox_dir(root)
    for d in (Path(RUN_DIR), base, base / "slots"):
        d.mkdir(parents=True, exist_ok=True)
        os.chmod(d, 0o700)
    cfg = {
        "limits": {**DEFAULT_LIMITS, **limits},
        "users": users,
        "slots_dir": str(base / "slots"),
        "run_dir": RUN_DIR,
        "bwrap": shutil.which("bwrap"),
        "python": sys.executable,
        "path": os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"]),
        "ro_binds": _ro_binds(),
        "mpl_cache": _matplotlib_cache(base / "matplotlib"),
        "pass_env": list(PASS_ENV),
    }
    _write_if_changed(_config_path(root), json.dumps(cfg, indent=1))
    spec = {
        "argv": [sys.executable, "-I", "-S", str(LAUNCHER), str(_config_path(root)), "{connection_file}"],
        "display_name": "Python 3 (grading sandbox)",
        "language": "python",
        "interrupt_mode": "message",
        "metadata": {"debugger": False},
    }
    kdir = _kernels_share(root) / "kernels" / KERNEL_NAME
    kdir.mkdir(parents=True, exist_ok=True)
    _write_if_changed(kdir / "kernel.json", json.dumps(spec, indent=1))
    _probe_launcher(root)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text)
        os.replace(tmp, path)


def _probe_launcher(root) -> None:
    """Run Python through the real launcher once: the binds, users and limits work together."""
    code = "import ipykernel, shallownet, os; print('sandbox-ok', os.getuid())"
    with tempfile.TemporaryDirectory(dir=sandbox_dir(root)) as cwd:
        r = subprocess.run(
            [sys.executable, "-I", "-S", str(LAUNCHER), str(_config_path(root)), "--probe", code],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
        )
    if r.returncode or "sandbox-ok" not in r.stderr:
        tail = (r.stderr.strip().splitlines() or [f"exit code {r.returncode}"])[-1]
        raise SandboxUnavailable(f"a probe through the sandbox launcher failed: {tail}")


def limits(root) -> dict:
    """The limits in force for the course at ``root`` (after ensure())."""
    return json.loads(_config_path(root).read_text())["limits"]


def kernel_config(root) -> dict:
    """nbgrader settings that run each graded notebook in the sandbox kernel (after ensure())."""
    return {
        "ExecutePreprocessor": {"kernel_name": KERNEL_NAME},
        "KernelManager": {"transport": "ipc"},
        "SandboxExecute": {"max_output_bytes": limits(root)["output_kb"] * 1024},
    }


def autograde_args(root) -> list[str]:
    """Extra command-line arguments for the stock `nbgrader autograde` (after ensure()):
    the course's grading configuration (grading_config.py) with SandboxExecute."""
    from .grading_config import as_arguments, grading_config
    from .skip_demos import write_table

    cfg = grading_config(EXECUTE, skip_table=str(write_table(root)), kernel=kernel_config(root))
    del cfg.ExecutePreprocessor["timeout"]  # the command's own (nbgrader_config.py or its caller's)
    del cfg["HTMLExporter"], cfg["GenerateFeedback"]  # feedback settings: not autograde's
    return as_arguments(cfg)


def autograde_env(root, base_env=None) -> dict:
    """Environment for the `nbgrader autograde` subprocess: finds the sandbox kernel.

    The kernel itself never sees this environment: the launcher starts it with a
    clean one (PATH, HOME=/tmp/home, LANG, and PASS_ENV), so secrets in the
    instructor's environment stay outside.
    """
    env = dict(os.environ if base_env is None else base_env)
    share = str(_kernels_share(root))
    env["JUPYTER_PATH"] = os.pathsep.join([share] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p])
    env["JUPYTER_RUNTIME_DIR"] = RUN_DIR
    bindir = os.path.dirname(sys.executable)
    if bindir not in env.get("PATH", "").split(os.pathsep):
        env["PATH"] = os.pathsep.join([bindir, env.get("PATH", "")])
    return env
