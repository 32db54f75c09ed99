"""The roster: every bad row named by its line, nothing created on bad input, foreign accounts untouched."""

from __future__ import annotations

import pwd
from pathlib import Path

import pytest

from coursekit import roster
from coursekit.hub import FILES

HEADER = "username,name,email,lms_id,role\n"


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "roster.csv"
    p.write_text(text)
    return p


def test_demo_and_test_rosters_are_valid():
    for path in (FILES / "demo_roster.csv", Path(__file__).parent / "hub" / "roster.csv"):
        members = roster.read(path)
        assert roster.instructor(members).role == "instructor"
        assert len(roster.students(members)) == len(members) - 1


@pytest.mark.parametrize(
    "rows,line,words",
    [
        ("ada,A,a@x,1\nada,B,b@x,2\nprof,P,p@x,9,instructor\n", 3, "duplicate user name 'ada' (first on line 2)"),
        ("Ada,A,a@x,1\nprof,P,p@x,9,instructor\n", 2, "invalid user name 'Ada'"),
        ("ada;rm,A,a@x,1\nprof,P,p@x,9,instructor\n", 2, "invalid user name"),
        ("ada,A,,1\nprof,P,p@x,9,instructor\n", 2, "empty email"),
        ("ada,A,a@x,1,teacher\nprof,P,p@x,9,instructor\n", 2, "role 'teacher'"),
        ("ada,A,a@x,1\nbob,B,b@x,1\nprof,P,p@x,9,instructor\n", 3, "duplicate lms_id '1'"),
        ("ada,A,a@x,1,student,extra\nprof,P,p@x,9,instructor\n", 2, "more cells"),
    ],
)
def test_bad_rows_are_named_by_line(tmp_path, rows, line, words):
    with pytest.raises(roster.RosterError) as e:
        roster.read(write(tmp_path, HEADER + rows))
    msg = str(e.value)
    assert f"line {line}:" in msg and words in msg and "No account was created" in msg, msg


def test_missing_column_and_instructor_count(tmp_path):
    with pytest.raises(roster.RosterError, match=r"line 1: missing column\(s\) lms_id"):
        roster.read(write(tmp_path, "username,name,email\nada,A,a@x\n"))
    with pytest.raises(roster.RosterError, match="exactly one row must have role instructor, found 0"):
        roster.read(write(tmp_path, HEADER + "ada,A,a@x,1\n"))
    with pytest.raises(roster.RosterError, match=r"found 2 \(lines 2, 3\)"):
        roster.read(write(tmp_path, HEADER + "p,P,p@x,1,instructor\nq,Q,q@x,2,instructor\n"))


def test_role_column_is_optional(tmp_path):
    with pytest.raises(roster.RosterError, match="found 0"):
        roster.read(write(tmp_path, "username,name,email,lms_id\nada,A,a@x,1\n"))


def test_existing_account_outside_the_course_is_refused_and_untouched(tmp_path):
    """A roster naming an existing system account (root) is refused before anything changes."""
    before = pwd.getpwnam("root")
    with pytest.raises(roster.RosterError, match="not created by the course: root"):
        roster.check_accounts(["root"], tmp_path)
    assert not roster.is_course_account("root")
    assert roster.remove_accounts(["root"], tmp_path) == [] and pwd.getpwnam("root") == before
