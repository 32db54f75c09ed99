"""Kernel launcher of the grading sandbox (the argv of the ``shallownet-sandbox`` kernelspec).

Started by jupyter_client as root, in the student's autograded/<student>/<assignment>/ folder:

    python -I -S sandbox_launch.py <build/sandbox/sandbox.json> <connection file> [kernel args...]

It takes a free sandbox user (one per running kernel, so that the process limit
is per kernel), copies the student's folder into a private tmpfs, rewrites the
connection file so that the kernel's IPC sockets live in a folder of their own,
and runs the kernel through bubblewrap as that user, with resource limits.
Standard library only, and started with ``-S`` so that it costs milliseconds.
See sandbox.py for the design.
"""

import fcntl
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from typing import NoReturn

MIB = 1024 * 1024
INSIDE_RUN = "/run/kernel"  # where the kernel's connection folder appears inside the sandbox
MAX_FILES = 400  # files copied from the student's folder into the sandbox
PORT_KEYS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
LOG_TAIL = 4000  # bytes of the kernel's own stderr passed on to nbgrader's log
#: The kernel: ipykernel_launcher's two lines, with the debugger left out (nobody debugs a
#: notebook while it is graded, and importing debugpy was a quarter of each kernel's start-up).
#: A None in sys.modules makes ``import debugpy`` fail, which ipykernel handles.
KERNEL_CODE = (
    "import sys; sys.modules['debugpy'] = None\n"
    "if sys.path[0] == '': del sys.path[0]\n"
    "from ipykernel import kernelapp; kernelapp.launch_new_instance()"
)


def fail(msg: str) -> NoReturn:
    sys.stderr.write(f"shallownet sandbox: {msg}\n")
    sys.exit(2)


def take_slot(cfg):
    """Lock one sandbox user (blocking when all are busy); returns (index, lock file object)."""
    slots = cfg["users"]
    os.makedirs(cfg["run_dir"], mode=0o700, exist_ok=True)
    for i in range(len(slots)):
        f = open(os.path.join(cfg["run_dir"], f"user{i}.lock"), "a")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return i, f
        except OSError:
            f.close()
    i = os.getpid() % len(slots)
    f = open(os.path.join(cfg["run_dir"], f"user{i}.lock"), "a")
    fcntl.flock(f, fcntl.LOCK_EX)
    return i, f


def seal_when_bound(child, home: str, sockets: list) -> None:
    """Once the kernel has bound its sockets, take back its connection folder (a real folder
    on disk, unlike its tmpfs ones), so that student code cannot fill the disk through it."""
    deadline = time.monotonic() + 300
    while child.poll() is None and time.monotonic() < deadline:
        if all(os.path.exists(p) for p in sockets):
            # Open it to all before giving it to root: the kernel reads its connection file
            # here right after binding, and root's 0700 in between made it die at start-up.
            os.chmod(home, 0o755)
            os.chown(home, 0, 0)
            return
        time.sleep(0.005)


def die_with_parent() -> None:
    """SIGKILL when nbgrader goes away; bwrap --die-with-parent then takes the whole sandbox down."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:
        sys.exit(1)


def data_fd(text: str) -> int:
    """A readable fd holding ``text`` (for bwrap --file / --ro-bind-data)."""
    r, w = os.pipe()
    data = text.encode()
    if len(data) > 60000:
        raise ValueError("data_fd is for small files")
    os.write(w, data)
    os.close(w)
    return r


def copy_folder_args(src: str, dest: str, work_bytes: int, fds: list) -> list:
    """bwrap arguments that recreate the regular files below ``src`` at ``dest`` (a tmpfs).

    Symbolic links, fifos and devices are skipped and nothing is followed: a submission
    cannot make this root process read a file outside its own folder.
    """
    args, total, count = [], 0, 0
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        rel = os.path.relpath(dirpath, src)
        inside = dest if rel == "." else os.path.join(dest, rel)
        if rel != ".":
            args += ["--perms", "0777", "--dir", inside]
        dirnames[:] = sorted(d for d in dirnames if not os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
            except OSError:
                continue
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or count >= MAX_FILES or total + st.st_size > work_bytes // 2:
                os.close(fd)
                if stat.S_ISREG(st.st_mode):
                    sys.stderr.write(
                        f"shallownet sandbox: {os.path.relpath(path, src)} not copied "
                        f"into the sandbox (too many or too large files)\n"
                    )
                continue
            os.set_inheritable(fd, True)
            fds.append(fd)
            total += st.st_size
            count += 1
            args += ["--perms", "0666", "--file", str(fd), os.path.join(inside, name)]
    return args


def parents(path: str) -> list:
    out, p = [], os.path.dirname(path)
    while p not in ("/", ""):
        out.append(p)
        p = os.path.dirname(p)
    return out[::-1]


def main(argv) -> int:
    if len(argv) < 2:
        fail("usage: sandbox_launch.py CONFIG (CONNECTION_FILE [KERNEL ARGS...] | --probe CODE)")
    with open(argv[0]) as f:
        cfg = json.load(f)
    probe = argv[1] == "--probe"
    if probe:
        conn, kernel_args = None, []
    else:
        conn_path, kernel_args = argv[1], argv[2:]
        with open(conn_path) as f:
            conn = json.load(f)
        if conn.get("transport") != "ipc":
            fail(
                "this kernel has no network, so it needs IPC transport: start it with "
                "--KernelManager.transport=ipc (sandbox.autograde_args() does)"
            )
    if os.geteuid() != 0:
        fail("the launcher must run as root (it starts the kernel as an unprivileged sandbox user)")
    die_with_parent()
    cwd = os.path.realpath(os.getcwd())
    lim = cfg["limits"]

    index, lock = take_slot(cfg)
    uid, gid = cfg["users"][index]
    home = os.path.join(cfg["slots_dir"], str(index))
    shutil.rmtree(home, ignore_errors=True)
    os.mkdir(home, 0o700)
    os.chown(home, uid, gid)

    # The kernel binds its sockets at /run/kernel/ipc-N inside, that is <home>/ipc-N outside;
    # the kernel manager connects to <ip>-N, which we point there with symbolic links.
    links = []
    ports: dict = conn or {}
    for key in PORT_KEYS if ports else ():
        link = f"{ports['ip']}-{ports[key]}"
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(os.path.join(home, f"ipc-{ports[key]}"), link)
        links.append(link)

    if conn:
        inner = dict(conn, ip=f"{INSIDE_RUN}/ipc")
        kfile = os.path.join(home, "kernel.json")
        fd = os.open(kfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(inner, f)
        os.chown(kfile, uid, gid)
    fds: list = []
    args = [
        "bwrap",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--hostname",
        "sandbox",
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    for name in ("bin", "lib", "lib32", "lib64", "libx32", "sbin"):
        target = os.path.join("/", name)
        if os.path.islink(target):
            args += ["--symlink", os.readlink(target), target]
        elif os.path.isdir(target):
            args += ["--ro-bind", target, target]
    made = {"/usr"}

    def make_parents(path):
        # bwrap would create missing parents as root-only folders: make them traversable
        out = []
        for p in parents(path):
            if p not in made:
                made.add(p)
                out += ["--perms", "0755", "--dir", p]
        return out

    binds = [p for p in cfg["ro_binds"] if os.path.exists(p)]
    # a bind below /tmp (a course cloned there, its .venv) must come after the private /tmp is mounted
    under_tmp = [p for p in binds if p == "/tmp" or p.startswith("/tmp/")]
    binds = [p for p in binds if p not in under_tmp]
    for path in [*binds, INSIDE_RUN, "/etc/passwd"]:
        args += make_parents(path)
    for p in binds:
        args += ["--ro-bind", p, p]
    passwd = f"root:x:0:0:root:/root:/usr/sbin/nologin\nstudent:x:{uid}:{gid}:student:/tmp/home:/usr/sbin/nologin\n"
    group = f"root:x:0:\nstudent:x:{gid}:\n"
    for text, dest in ((passwd, "/etc/passwd"), (group, "/etc/group"), ("sandbox\n", "/etc/hostname")):
        fd = data_fd(text)
        fds.append(fd)
        args += ["--ro-bind-data", str(fd), dest]
    args += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--perms",
        "1777",
        "--size",
        str(lim["tmp_mb"] * MIB),
        "--tmpfs",
        "/tmp",
        "--perms",
        "0777",
        "--dir",
        "/tmp/home",
        "--bind",
        home,
        INSIDE_RUN,
    ]
    mpl = cfg.get("mpl_cache")
    if mpl and os.path.exists(mpl):
        fd = os.open(mpl, os.O_RDONLY)
        fds.append(fd)
        args += [
            "--perms",
            "0777",
            "--dir",
            "/tmp/home/.matplotlib",
            "--perms",
            "0666",
            "--file",
            str(fd),
            "/tmp/home/.matplotlib/" + os.path.basename(mpl),
        ]
    work_bytes = lim["work_mb"] * MIB
    made = {p for p in made if not p.startswith("/tmp/")} | {"/tmp", "/tmp/home"}  # under the new /tmp
    for p in under_tmp:
        args += [*make_parents(p), "--ro-bind", p, p]
    args += make_parents(cwd)
    args += ["--perms", "0777", "--size", str(work_bytes), "--tmpfs", cwd]
    args += copy_folder_args(cwd, cwd, work_bytes, fds)
    args += ["--chdir", cwd, "--clearenv"]
    env = {
        "PATH": cfg["path"],
        "HOME": "/tmp/home",
        "USER": "student",
        "LOGNAME": "student",
        "LANG": "C.UTF-8",
        "TMPDIR": "/tmp",
        "MPLCONFIGDIR": "/tmp/home/.matplotlib",
        "IPYTHONDIR": "/tmp/home/.ipython",
        "JUPYTER_RUNTIME_DIR": "/tmp/home/.jupyter",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    for name in cfg.get("pass_env", []):
        if name in os.environ:
            env[name] = os.environ[name]
    for k, v in sorted(env.items()):
        args += ["--setenv", k, v]
    # root until here (mounts); setpriv becomes the sandbox user, drops every capability
    # and forbids regaining any (no_new_privs: setuid programs in /usr do not help).
    args += [
        "setpriv",
        f"--reuid={uid}",
        f"--regid={gid}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--no-new-privs",
        cfg["python"],
    ]
    if probe:
        args += ["-c", argv[2]]
    else:
        args += ["-c", KERNEL_CODE, "-f", f"{INSIDE_RUN}/kernel.json", *kernel_args]

    def limits():
        # Applies to bwrap (root: the process count does not bind it) and to everything
        # the sandbox user starts inside; setpriv keeps them across the uid change.
        resource.setrlimit(resource.RLIMIT_AS, (lim["memory_mb"] * MIB,) * 2)
        resource.setrlimit(resource.RLIMIT_CPU, (lim["cpu_seconds"], lim["cpu_seconds"] + 5))
        resource.setrlimit(resource.RLIMIT_NPROC, (lim["processes"],) * 2)
        resource.setrlimit(resource.RLIMIT_FSIZE, (lim["file_mb"] * MIB,) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    log_path = os.path.join(cfg["slots_dir"], f"{index}.log")
    with open(log_path, "w+b") as log:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # interrupts go to the kernel as messages
        child = subprocess.Popen(
            args,
            executable=cfg["bwrap"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            pass_fds=fds,
            preexec_fn=limits,
            close_fds=True,
        )
        for fd in fds:
            os.close(fd)
        if conn:
            seal_when_bound(child, home, [os.path.join(home, f"ipc-{conn[k]}") for k in PORT_KEYS])

        def forward(signum, frame):
            try:
                child.send_signal(signum)
            except ProcessLookupError:
                pass

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGHUP, forward)
        code = child.wait()
        log.seek(0, os.SEEK_END)
        size = log.tell()
        if size and (code != 0 or probe):
            log.seek(max(0, size - LOG_TAIL))
            sys.stderr.write(log.read().decode("utf-8", "replace"))
            sys.stderr.flush()
    for link in links:
        try:
            os.unlink(link)
        except OSError:
            pass
    shutil.rmtree(home, ignore_errors=True)
    lock.close()
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
