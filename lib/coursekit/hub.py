"""make hub and friends: the course on a real JupyterHub on this machine, with nbgrader's exchange.

    HUB_DIR (default build/hub; every folder above it must be world-traversable)
        env/         the hub's Python: Debian's /usr/bin/python3 venv, requirements.txt + the hub's
                     pins + the student package (coursekit.bundle), world-readable
        proxy/       configurable-http-proxy, pinned by hub_files/package-lock.json (npm ci)
        home/<user>  the course's Unix accounts (roster.py), 0700 each
        course/      the grader account's course folder: nbgrader_config.py, source/, release/,
                     gradebook, submitted/ ... (0700, owned by the grader: hidden tests stay hidden)
        exchange/    nbgrader's exchange, root-owned 1777 (nbgrader wants 0777; the sticky bit
                     keeps one user from removing another's folder); path_includes_course
        service-config/  jupyter config of the course service only (formgrader enabled there)
        state/       hub database, cookie secret, PID files, logs
        hub.json, jupyterhub_config.py

Students' servers have nbgrader's Assignments tab and Validate, never the formgrader, the
course list or "Create Assignment" (disabled in the environment, server and lab side); only
the course service, running as the grader account, enables the formgrader. The instructor
opens it at /services/<course>/formgrader in its own tab: the single-user servers forbid
framing (CSP frame-ancestors 'none', nbgrader #1870), and loosening that policy would open
the instructor's pages to click-jacking, so nothing is framed.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import roster as rosters
from .paths import course_root

FILES = Path(__file__).with_name("hub_files")
COURSE = "shallownet"
#: Debian's Python: world-readable, unlike a pyenv or conda Python under a 0700 /root.
SYSTEM_PYTHON = "/usr/bin/python3"
#: nbgrader's pieces students must not get (lab plugins, then server extensions).
STUDENT_HIDDEN_LAB = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)
STUDENT_HIDDEN_SERVER = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")

NBGRADER_ENV_CONFIG = '''"""nbgrader settings for every user of the course's JupyterHub (written by coursekit.hub)."""
import os
c = get_config()  # noqa: F821
# One exchange for every course on the hub, each course in its own folder.
c.Exchange.root = os.environ.get("SHALLOWNET_EXCHANGE", "/srv/nbgrader/exchange")
c.Exchange.path_includes_course = True
# Students see the courses of their nbgrader-<course> groups only.
c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"
'''


@dataclass
class Hub:
    hub_dir: Path
    env: Path
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    service_port: int = 9999
    grader: str = f"{COURSE}-grader"
    instructor: str = ""
    students: list = field(default_factory=list)
    guests: list = field(default_factory=list)
    course_id: str = COURSE
    proxy_dir: str = ""  # where configurable-http-proxy is installed (default HUB_DIR/proxy)

    @property
    def home_base(self) -> Path:
        return self.hub_dir / "home"

    @property
    def course_dir(self) -> Path:
        return self.hub_dir / "course"

    @property
    def exchange(self) -> Path:
        return self.hub_dir / "exchange"

    @property
    def state(self) -> Path:
        return self.hub_dir / "state"

    @property
    def proxy(self) -> Path:
        return Path(self.proxy_dir or self.hub_dir / "proxy") / "node_modules" / ".bin" / "configurable-http-proxy"

    @property
    def passwords(self) -> Path:
        return self.hub_dir / "passwords.csv"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def save(self) -> Path:
        d = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self).items()}
        d.update(
            course_dir=str(self.course_dir),
            exchange=str(self.exchange),
            state=str(self.state),
            proxy=str(self.proxy),
            service_config=str(self.hub_dir / "service-config"),
        )
        path = self.hub_dir / "hub.json"
        path.write_text(json.dumps(d, indent=1) + "\n")
        return path

    @classmethod
    def load(cls, hub_dir: Path) -> Hub:
        path = Path(hub_dir) / "hub.json"
        if not path.is_file():
            raise SystemExit(f"no hub in {hub_dir}: run `make hub` (or `make hub-users ROSTER=...`) first")
        d = json.loads(path.read_text())
        keep = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        keep["hub_dir"], keep["env"] = Path(keep["hub_dir"]), Path(keep["env"])
        return cls(**keep)


def default_dir(root: Path | None = None) -> Path:
    return course_root(root) / "build" / "hub"


def check_traversable(folder: Path) -> None:
    """Every folder above ``folder`` must let other users through (o+x), or hub users cannot reach it."""
    for p in [*reversed(Path(folder).resolve().parents)]:
        if p.exists() and not os.stat(p).st_mode & 0o001:
            raise SystemExit(
                f"{p} is not world-traversable (mode {oct(os.stat(p).st_mode & 0o777)}): the hub's users "
                f"could not reach {folder}. Put the hub elsewhere: make hub HUB_DIR=/srv/{COURSE}-hub "
                f"(make test-hub HUB_BASE=/srv/{COURSE}-build)"
            )


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if r.returncode:
        raise RuntimeError(f"`{' '.join(map(str, cmd))}` exited {r.returncode}:\n{r.stdout[-2000:]}{r.stderr[-3000:]}")
    return r


# --- building ----------------------------------------------------------------------------


def _digest(paths) -> str:
    h = hashlib.sha256()
    for p in paths:
        for f in sorted(Path(p).rglob("*")) if Path(p).is_dir() else [Path(p)]:
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.name).encode() + f.read_bytes())
    return h.hexdigest()


def requirement_files(root: Path) -> list[Path]:
    return [root / "requirements.txt", FILES / "requirements-hub.txt"]


def build_env(env: Path, root: Path | None = None, log=print) -> Path:
    """The hub's world-readable Python environment (rebuilt only when its inputs change)."""
    root = course_root(root)
    stamp = env / ".course-stamp"
    want = _digest([*requirement_files(root), root / "lib" / "shallownet", root / "pyproject.toml"])
    if stamp.is_file() and stamp.read_text() == want:
        return env
    old = os.umask(0o022)
    try:
        if not (env / "bin" / "python").exists():
            log(f"hub environment: {SYSTEM_PYTHON} -m venv {env}")
            _run([SYSTEM_PYTHON, "-m", "venv", env])
        log("hub environment: pip install (requirements.txt + hub pins + the student package)")
        pip = [env / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        args = []
        for f in requirement_files(root):
            args += ["-r", f]
        _run([*pip, *args])
        from .bundle import student_package

        pkg = student_package(env.parent / "student-package", root)
        _run([*pip, "--no-deps", "--force-reinstall", pkg])
        shutil.rmtree(pkg)
        jupyter = env / "bin" / "jupyter"
        for plugin in STUDENT_HIDDEN_LAB:
            _run([jupyter, "labextension", "disable", "--level=sys_prefix", plugin])
        for ext in STUDENT_HIDDEN_SERVER:
            _run([jupyter, "server", "extension", "disable", "--sys-prefix", ext])
        etc = env / "etc" / "jupyter"
        (etc / "nbgrader_config.py").write_text(NBGRADER_ENV_CONFIG)
        overrides = env / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
        overrides.parent.mkdir(parents=True, exist_ok=True)
        from .lab import OVERRIDES

        overrides.write_text(json.dumps(OVERRIDES, indent=2) + "\n")
        stamp.write_text(want)
    finally:
        os.umask(old)
    return env


def build_proxy(dest: Path, log=print) -> Path:
    """configurable-http-proxy from npm into ``dest``, exactly as pinned by hub_files/package-lock.json."""
    lock = FILES / "package-lock.json"
    stamp = dest / ".course-stamp"
    want = _digest([lock])
    if (
        stamp.is_file()
        and stamp.read_text() == want
        and (dest / "node_modules" / ".bin" / "configurable-http-proxy").exists()
    ):
        return dest
    if not shutil.which("npm"):
        raise SystemExit("npm is needed for configurable-http-proxy: apt-get install nodejs npm")
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(FILES / "package.json", dest / "package.json")
    shutil.copy(lock, dest / "package-lock.json")
    log("hub proxy: npm ci (configurable-http-proxy, pinned)")
    old = os.umask(0o022)
    try:
        _run(["npm", "ci", "--no-fund", "--no-audit", "--prefix", dest])
    finally:
        os.umask(old)
    stamp.write_text(want)
    return dest


def users(hub: Hub, roster_path: Path, log=print) -> Hub:
    """Check the roster, create the missing course accounts (students, instructor, grader)."""
    members = rosters.read(roster_path)  # refuses a bad roster before anything changes
    rosters.check_accounts([m.username for m in members] + [hub.grader] + hub.guests, hub.home_base)
    hub.hub_dir.mkdir(parents=True, exist_ok=True)
    created = rosters.ensure_accounts(
        [(m.username, m.name) for m in members] + [(hub.grader, "course grader")], hub.home_base, hub.passwords
    )
    hub.students = [m.username for m in rosters.students(members)]
    hub.instructor = rosters.instructor(members).username
    shutil.copy(roster_path, hub.hub_dir / "roster.csv")
    hub.save()
    log(
        f"roster {roster_path}: {len(hub.students)} student(s), instructor {hub.instructor}, grader account "
        f"{hub.grader}; {len(created)} account(s) created now"
        + (f", their passwords in {hub.passwords} (root only)" if created else "")
    )
    return hub


def deploy_course(hub: Hub, root: Path | None = None) -> Path:
    """Refresh the grader's course folder from the repository (gradebook and hand-ins are kept)."""
    root = course_root(root)
    dest = hub.course_dir
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("source", "release"):
        if (dest / name).exists():
            shutil.rmtree(dest / name)
        shutil.copytree(root / name, dest / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(root / "nbgrader_config.py", dest / "nbgrader_config.py")
    own(hub, dest)
    os.chmod(dest, 0o700)
    return dest


def own(hub: Hub, folder: Path) -> None:
    """Hand ``folder`` (recursively) to the grader account, so the course service can write the gradebook."""
    acct = pwd.getpwnam(hub.grader)
    for dirpath, dirnames, filenames in os.walk(folder):
        if Path(dirpath) == hub.course_dir:
            dirnames[:] = [d for d in dirnames if d != "build"]  # the grading sandbox's root-owned files
        os.chown(dirpath, acct.pw_uid, acct.pw_gid)
        for f in filenames:
            os.lchown(os.path.join(dirpath, f), acct.pw_uid, acct.pw_gid)


def prepare(hub: Hub, root: Path | None = None, log=print) -> Hub:
    """Everything but the accounts: environment, proxy, exchange, course folder, configuration."""
    root = course_root(root)
    check_traversable(hub.hub_dir)
    if os.geteuid() != 0:
        raise SystemExit("the hub runs as root (PAM login, one Unix user per server): run the target with sudo")
    for d in (hub.hub_dir, hub.state):
        d.mkdir(parents=True, exist_ok=True)
    os.chmod(hub.hub_dir, 0o755)
    os.chmod(hub.state, 0o700)
    build_env(hub.env, root, log)
    build_proxy(hub.proxy.parents[2], log)
    hub.exchange.mkdir(exist_ok=True)
    os.chown(hub.exchange, 0, 0)
    os.chmod(hub.exchange, 0o1777)
    svc = hub.hub_dir / "service-config"
    svc.mkdir(exist_ok=True)
    (svc / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {e: True for e in STUDENT_HIDDEN_SERVER}}}, indent=1) + "\n"
    )
    (svc / "migrated").write_text("")  # jupyter_core's one-time config migration: nothing to migrate
    deploy_course(hub, root)
    hub.save()
    shutil.copy(FILES / "jupyterhub_config.py", hub.hub_dir / "jupyterhub_config.py")
    return hub


# --- running -----------------------------------------------------------------------------


def hub_command(hub: Hub) -> list[str]:
    return [str(hub.env / "bin" / "jupyterhub"), "-f", str(hub.hub_dir / "jupyterhub_config.py")]


def hub_env(hub: Hub) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "SHALLOWNET_"))}
    env["PATH"] = f"{hub.env / 'bin'}:{os.path.dirname(hub.proxy)}:{env.get('PATH', '/usr/bin:/bin')}"
    return env


def start(hub: Hub, log_path: Path | None = None, timeout: float = 120.0) -> subprocess.Popen:
    """Start the hub in the background (own session); return once its API answers."""
    log_path = log_path or hub.state / "jupyterhub.log"
    out = open(log_path, "ab")
    proc = subprocess.Popen(
        hub_command(hub),
        cwd=hub.state,
        env=hub_env(hub),
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyterhub exited with {proc.returncode}:\n{log_path.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api", timeout=2) as r:
                if r.status == 200:
                    return proc
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline:
            proc.send_signal(signal.SIGTERM)
            raise RuntimeError(f"jupyterhub did not answer within {timeout:.0f} s:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.5)


def stop(proc: subprocess.Popen, grace: float = 15.0) -> str:
    """Stop the hub and everything under it (proxy, servers, kernels, course service) by PID."""
    import psutil

    try:
        tree = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        tree = []
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # the hub stops its servers and the proxy itself
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=grace)
    left = [p for p in tree if p.is_running()]
    for p in left:
        try:
            p.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(left, timeout=5)
    for p in alive:
        p.kill()
    return f"jupyterhub (pid {proc.pid}) and {len(tree)} process(es) under it stopped" + (
        f"; {len(left)} outlived the hub and were stopped by PID" if left else ""
    )


def serve(hub: Hub) -> int:
    """make hub: run the hub in the foreground until Ctrl-C."""
    print(
        f"JupyterHub for the course on {hub.url} (Ctrl-C stops it).\n"
        f"  students: {', '.join(hub.students)}; instructor: {hub.instructor}; passwords of the accounts "
        f"created here: {hub.passwords}\n"
        f"  students: log in, Assignments tab > Fetch, work, Validate, Submit; later Fetch Feedback.\n"
        f"  instructor: formgrader at {hub.url}/services/{hub.course_id}/formgrader (its own tab);\n"
        f"  make hub-release / hub-collect / hub-feedback [ASSIGNMENT=..]",
        flush=True,
    )
    proc = subprocess.Popen(hub_command(hub), cwd=hub.state, env=hub_env(hub), stdin=subprocess.DEVNULL)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        return proc.wait(timeout=30)


# --- the instructor's exchange commands -----------------------------------------------------


def as_grader(hub: Hub, args: list[str], check: bool = True) -> subprocess.CompletedProcess:
    """Run a command of the hub environment in the course folder as the grader account."""
    acct = pwd.getpwnam(hub.grader)
    env = {
        "PATH": f"{hub.env / 'bin'}:/usr/bin:/bin",
        "HOME": acct.pw_dir,
        "USER": hub.grader,
        "LOGNAME": hub.grader,
        "SHALLOWNET_EXCHANGE": str(hub.exchange),
        "LANG": "C.UTF-8",
    }
    r = subprocess.run(
        [str(hub.env / "bin" / args[0]), *args[1:]],
        cwd=hub.course_dir,
        env=env,
        user=acct.pw_uid,
        group=acct.pw_gid,
        extra_groups=[],
        capture_output=True,
        text=True,
    )
    if check and r.returncode:
        raise RuntimeError(
            f"{' '.join(args)} (as {hub.grader}) exited {r.returncode}:\n{r.stdout[-2000:]}{r.stderr[-3000:]}"
        )
    return r


def _ids(hub: Hub, assignment: str | None) -> list[str]:
    from .paths import assignments, tool_env

    os.environ["PATH"] = tool_env()["PATH"]  # nbgrader starts alembic and kernels by name
    return [assignment] if assignment else assignments(hub.course_dir)


def release(hub: Hub, assignment: str | None = None, log=print) -> list[str]:
    """make hub-release: refresh the course folder from the repository, record the assignment(s) in the
    gradebook, then release_assignment."""
    from .build import release as generate

    deploy_course(hub)
    ids = _ids(hub, assignment)
    for a in ids:
        generate(hub.course_dir, a, quiet=True)  # gradebook knows the cells; release/ regenerated
    own(hub, hub.course_dir)
    for a in ids:
        as_grader(hub, ["nbgrader", "release_assignment", a, "--course", hub.course_id, "--force"])
        log(f"released {a} to the exchange ({hub.exchange / hub.course_id / 'outbound' / a})")
    return ids


def inbound_counts(inbound: Path, assignment: str) -> dict[str, int]:
    """Student -> how many submissions of ``assignment`` nbgrader's exchange holds in ``inbound``.

    Submit names each one ``<student>+<assignment>+<timestamp>[+<random>]`` and keeps them all;
    collect --update takes the latest. The names are read the way nbgrader's collect reads them.
    """
    from nbgrader.utils import parse_utc

    counts: dict[str, int] = {}
    try:
        names = [p.name for p in Path(inbound).iterdir() if p.is_dir()]
    except OSError:
        return counts
    for name in names:
        parts = name.rsplit("+", 3)
        if len(parts) == 4 and parts[1] != assignment:
            parts = name.rsplit("+", 2)  # no random suffix (older nbgrader): student+assignment+timestamp
        if len(parts) < 3 or parts[1] != assignment:
            continue
        try:
            parse_utc(parts[2])
        except (ValueError, OverflowError):
            continue
        counts[parts[0]] = counts.get(parts[0], 0) + 1
    return counts


def held_submissions(hub: Hub, ids: list[str]) -> dict[tuple[str, str], int]:
    """(student, assignment) -> hand-ins the hub's exchange holds, for grade(submissions=...)."""
    inbound = hub.exchange / hub.course_id / "inbound"
    return {(s, a): n for a in ids for s, n in inbound_counts(inbound, a).items()}


def collect(
    hub: Hub, assignment: str | None = None, jobs: int = 2, timeout: int = 30, use_sandbox: bool = True, log=print
):
    """make hub-collect: nbgrader collect (the latest submission of each student), then sandboxed grading
    (which records the due dates for the late policy, and says which students submitted more than once)."""
    from .grade import grade

    ids = _ids(hub, assignment)
    held = held_submissions(hub, ids)
    for a in ids:
        r = as_grader(hub, ["nbgrader", "collect", a, "--course", hub.course_id, "--update"])
        log(
            f"collected {a}: "
            + (" ".join(line for line in r.stderr.splitlines() if "Collecting" in line)[:300] or "nothing")
        )
    rows = grade(
        root=hub.course_dir,
        assignment=assignment,
        jobs=jobs,
        timeout=timeout,
        use_sandbox=use_sandbox,
        feedback=True,
        submissions=held,
    )
    own(hub, hub.course_dir)
    return rows


def feedback(
    hub: Hub, assignment: str | None = None, jobs: int = 2, timeout: int = 30, use_sandbox: bool = True, log=print
):
    """make hub-feedback: feedback with the hand-given points (through grade), then release_feedback."""
    from .grade import grade

    ids = _ids(hub, assignment)
    rows = grade(
        root=hub.course_dir,
        assignment=assignment,
        jobs=jobs,
        timeout=timeout,
        use_sandbox=use_sandbox,
        feedback=True,
        submissions=held_submissions(hub, ids),
    )
    own(hub, hub.course_dir)
    for a in ids:
        as_grader(hub, ["nbgrader", "release_feedback", a, "--course", hub.course_id])
        log(f"feedback of {a} released: students press Fetch Feedback")
    return rows


def teardown(hub: Hub, log=print) -> list[str]:
    """Remove the course's accounts, the exchange, the course folder and the hub state (not env/, proxy/)."""
    pid_file = hub.state / "jupyterhub.pid"
    if pid_file.is_file():
        import psutil

        pid = int(pid_file.read_text().strip() or 0)
        if pid and psutil.pid_exists(pid) and "jupyterhub" in " ".join(psutil.Process(pid).cmdline()):
            raise SystemExit(f"the hub is still running (pid {pid}): stop it (Ctrl-C in make hub's terminal) first")
    names = [*hub.students, hub.instructor, hub.grader, *hub.guests]
    removed = rosters.remove_accounts([n for n in names if n], hub.home_base)
    for d in (hub.exchange, hub.course_dir, hub.state, hub.home_base, hub.hub_dir / "service-config"):
        shutil.rmtree(d, ignore_errors=True)
    for f in ("hub.json", "jupyterhub_config.py", "roster.csv", "passwords.csv"):
        (hub.hub_dir / f).unlink(missing_ok=True)
    try:
        hub.hub_dir.rmdir()  # gone too when it held nothing else (no env/, proxy/)
    except OSError:
        pass
    log(f"removed {len(removed)} course account(s) and the hub's folders in {hub.hub_dir}")
    return removed


def main(argv=None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m coursekit.hub", description=__doc__.split("\n")[0])
    p.add_argument("command", choices=["up", "users", "release", "collect", "feedback", "down"])
    p.add_argument("--hub-dir", type=Path, default=None)
    p.add_argument("--roster", type=Path, default=FILES / "demo_roster.csv")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--assignment", default=None)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=int, default=30)
    p.add_argument("--no-sandbox", action="store_true")
    a = p.parse_args(argv)
    hub_dir = (a.hub_dir or default_dir()).resolve()
    try:
        if a.command in ("users", "up"):
            hub = Hub.load(hub_dir) if (hub_dir / "hub.json").exists() else Hub(hub_dir, hub_dir / "env")
            hub.port = a.port
            check_traversable(hub_dir)
            if a.command == "users" or not hub.instructor:
                users(hub, a.roster)
            else:
                print(f"roster: {hub.hub_dir / 'roster.csv'} (make hub-users ROSTER=... changes it)")
            if a.command == "up":
                prepare(hub)
                if not (hub.exchange / hub.course_id / "outbound").is_dir():
                    release(hub)  # first start: every assignment handed out
                return serve(hub)
            return 0
        hub = Hub.load(hub_dir)
        if a.command == "release":
            release(hub, a.assignment)
        elif a.command == "collect":
            collect(hub, a.assignment, a.jobs, a.timeout, not a.no_sandbox)
        elif a.command == "feedback":
            feedback(hub, a.assignment, a.jobs, a.timeout, not a.no_sandbox)
        elif a.command == "down":
            teardown(hub)
    except rosters.RosterError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
