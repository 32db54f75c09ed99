"""The class roster (CSV) and the Unix accounts it stands for.

    username,name,email,lms_id[,role]
    ada,Ada Lovelace,ada@example.org,1001,student
    prof,Grace Hopper,grace@example.org,9001,instructor

``role`` is ``student`` (the default when the column or the cell is empty) or ``instructor``
(exactly one). The whole file is checked before anything changes: a bad row is named by its
line number and no account is created. Accounts the course creates belong to the Unix group
:data:`COURSE_GROUP`; an existing account outside that group is never modified or removed
(a roster naming one is refused).
"""

from __future__ import annotations

import csv
import grp
import os
import pwd
import re
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: Unix group of every account the course created (students, instructor, grader account).
COURSE_GROUP = "shallownet-class"
REQUIRED = ("username", "name", "email", "lms_id")
ROLES = ("student", "instructor")
#: Debian's NAME_REGEX for adduser, without the upper-case and '$' extensions.
NAME_RE = re.compile(r"^[a-z][-a-z0-9_]{0,31}$")


class RosterError(ValueError):
    """A roster that cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class Member:
    username: str
    name: str
    email: str
    lms_id: str
    role: str = "student"
    line: int = 0


def read(path: Path | str) -> list[Member]:
    """Parse and check the whole roster; raise RosterError naming every bad line."""
    path = Path(path)
    if not path.is_file():
        raise RosterError(f"roster {path}: no such file")
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise RosterError(
                f"roster {path}, line 1: missing column(s) {', '.join(missing)} "
                f"(the header must be {','.join(REQUIRED)}[,role]; found {','.join(header) or 'nothing'})"
            )
        reader.fieldnames = header
        problems: list[str] = []
        members: list[Member] = []
        seen: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            if None in row:
                problems.append(f"line {line}: more cells than the header's {len(header)}")
                continue
            cells = {k: (v or "").strip() for k, v in row.items()}
            empty = [c for c in REQUIRED if not cells.get(c)]
            if empty:
                problems.append(f"line {line}: empty {', '.join(empty)}")
                continue
            user, role = cells["username"], cells.get("role") or "student"
            if not NAME_RE.match(user):
                problems.append(
                    f"line {line}: invalid user name {user!r} (lower-case letter first, then "
                    "lower-case letters, digits, '-' or '_', at most 32)"
                )
            elif user in seen:
                problems.append(f"line {line}: duplicate user name {user!r} (first on line {seen[user]})")
            if role not in ROLES:
                problems.append(f"line {line}: role {role!r} is not one of {', '.join(ROLES)}")
            seen.setdefault(user, line)
            members.append(Member(user, cells["name"], cells["email"], cells["lms_id"], role, line))
        lms: dict[str, int] = {}
        for m in members:
            if m.lms_id in lms:
                problems.append(f"line {m.line}: duplicate lms_id {m.lms_id!r} (first on line {lms[m.lms_id]})")
            lms.setdefault(m.lms_id, m.line)
        instructors = [m for m in members if m.role == "instructor"]
        if not problems and len(instructors) != 1:
            problems.append(
                f"exactly one row must have role instructor, found {len(instructors)}"
                + (f" (lines {', '.join(str(m.line) for m in instructors)})" if instructors else "")
            )
    if problems:
        raise RosterError(f"roster {path}: " + "; ".join(problems) + ". No account was created or changed.")
    return members


def students(members: list[Member]) -> list[Member]:
    return [m for m in members if m.role == "student"]


def instructor(members: list[Member]) -> Member:
    return next(m for m in members if m.role == "instructor")


# --- Unix accounts ---------------------------------------------------------------------------


def _account(name: str):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def is_course_account(name: str) -> bool:
    """True if the account exists and is a member of COURSE_GROUP (so the course created it)."""
    try:
        members = grp.getgrnam(COURSE_GROUP).gr_mem
        gid = grp.getgrnam(COURSE_GROUP).gr_gid
    except KeyError:
        return False
    acct = _account(name)
    return acct is not None and (name in members or acct.pw_gid == gid)


def check_accounts(names: list[str], home_base: Path) -> None:
    """Refuse, before any change, names whose account exists but is not the course's."""
    foreign = [n for n in names if _account(n) is not None and not is_course_account(n)]
    if foreign:
        raise RosterError(
            f"existing Unix account(s) not created by the course: {', '.join(foreign)}; "
            "they are never modified: rename them in the roster. No account was created or changed."
        )


def _run(cmd: list[str], stdin: str | None = None) -> None:
    r = subprocess.run(cmd, input=stdin, text=True, capture_output=True)
    if r.returncode:
        raise RuntimeError(f"{' '.join(cmd[:1])} failed ({r.returncode}): {r.stderr.strip()}")


def ensure_accounts(entries: list[tuple[str, str]], home_base: Path, passwords: Path) -> dict[str, str]:
    """Create missing course accounts (name, full name) with a home under ``home_base`` and a random
    password. Returns {user: password} for the accounts created now, also appended to ``passwords``
    (mode 0600). Existing course accounts are left as they are."""
    if os.geteuid() != 0:
        raise SystemExit("creating Unix accounts needs root (run the make target with sudo)")
    check_accounts([n for n, _ in entries], home_base)
    try:
        grp.getgrnam(COURSE_GROUP)
    except KeyError:
        _run(["groupadd", "--system", COURSE_GROUP])
    home_base = Path(home_base)
    home_base.mkdir(parents=True, exist_ok=True)
    os.chmod(home_base, 0o755)
    created = {}
    for name, full in entries:
        if _account(name) is not None:
            continue
        gecos = re.sub(r"[:,=\n]", " ", full)[:60] + " (shallownet course)"
        _run(
            [
                "useradd",
                "--create-home",
                "--home-dir",
                str(home_base / name),
                "--shell",
                "/bin/bash",
                "--comment",
                gecos,
                "--user-group",
                "--groups",
                COURSE_GROUP,
                name,
            ]
        )
        os.chmod(home_base / name, 0o700)
        password = secrets.token_urlsafe(12)
        _run(["chpasswd"], stdin=f"{name}:{password}\n")
        created[name] = password
    if created:
        new = not passwords.exists()
        fd = os.open(passwords, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", newline="") as f:
            w = csv.writer(f)
            if new:
                w.writerow(["username", "password"])
            w.writerows(created.items())
        os.chmod(passwords, 0o600)
    return created


def remove_accounts(names: list[str], home_base: Path) -> list[str]:
    """Delete the course accounts among ``names`` (and their homes under ``home_base``);
    any other account is left alone. Returns the names removed."""
    removed = []
    for name in names:
        acct = _account(name)
        if acct is None or not is_course_account(name):
            continue
        if Path(acct.pw_dir).parent != Path(home_base):
            continue
        # Processes left by the user's servers would make userdel refuse: none should be left,
        # and userdel's refusal is reported rather than forced.
        _run(["userdel", "--remove", name])
        removed.append(name)
    try:
        g = grp.getgrnam(COURSE_GROUP)
        if not g.gr_mem and not any(p.pw_gid == g.gr_gid for p in pwd.getpwall()):
            _run(["groupdel", COURSE_GROUP])  # the last course account is gone
    except KeyError:
        pass
    return removed


def refusing(action) -> int:
    """Run ``action()`` for a command line: 0, or 2 with the roster's complaint on stderr."""
    import sys

    try:
        action()
    except RosterError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


def read_passwords(path: Path) -> dict[str, str]:
    with open(path, newline="") as f:
        return {r["username"]: r["password"] for r in csv.DictReader(f)}
