"""make collect-zip: an archive downloaded from Canvas or Moodle into submitted/ via nbgrader's zip_collect.

File names inside the archives, as the two LMSs write them:

    Canvas  "Download Submissions":  lovelaceada_1001_55501_part1_neurons.ipynb
            late:                    lovelaceada_LATE_1001_55502_part1_neurons.ipynb
            re-uploaded same name:   lovelaceada_1001_55503_part1_neurons-1.ipynb
            (<name>[_LATE]_<Canvas user id>_<submission id>_<file name>[-<n>])
    Moodle  "Download all submissions" (flat or one folder per student):
            Ada Lovelace_4242_assignsubmission_file_part1_neurons.ipynb
            Ada Lovelace_4242_assignsubmission_file_/part1_neurons.ipynb
            (<full name>_<participant id>_assignsubmission_file_[/]<file name>)

Canvas rows are matched to the roster by the Canvas user id (the roster's lms_id); Moodle's
participant id is per assignment, so Moodle rows are matched by the full name (the roster's name).
A file that matches nobody on the roster is skipped and named. When one student's archive holds
several copies of a notebook, the later upload wins (Canvas: the larger submission id, then the larger
"-<n>"); the others are skipped and named. Neither LMS writes the submission time into the file name:
late work handed in through an LMS is left to the LMS's own late policy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Enum, Unicode

from . import roster as rosters

CANVAS = re.compile(
    r"^(?P<name>[^_/]+)(?P<late>_LATE)?_(?P<lms>\d+)_(?P<sub>\d+)_(?P<file>.+?)(?:-(?P<n>\d+))?\.ipynb$"
)
MOODLE = re.compile(r"^(?P<name>[^/]+?)_(?P<pid>\d+)_assignsubmission_(?:file|onlinetext)_/?(?P<file>[^/]+?)\.ipynb$")


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


class RosterCollector(FileNameCollectorPlugin):
    """nbgrader collector plugin: an LMS file name -> the roster's user name and the notebook's name."""

    lms = Enum(["canvas", "moodle"], default_value="canvas").tag(config=True)
    roster = Unicode("", help="the class roster CSV").tag(config=True)
    extracted = Unicode("", help="the extracted folder (file names are read relative to it)").tag(config=True)

    def _members(self):
        if not hasattr(self, "_cache"):
            self._cache = rosters.students(rosters.read(self.roster))
        return self._cache

    def _match(self, rel: str):
        """(match, roster member or None, upload order) for one file path relative to the extracted folder."""
        members = self._members()
        if self.lms == "canvas":
            m = CANVAS.match(os.path.basename(rel))
            who = m and next((s for s in members if s.lms_id == m["lms"]), None)
            return m, who, (int(m["sub"]), int(m["n"] or 0)) if m else (0, 0)
        parts = rel.split(os.sep)  # zip_collect may add a folder named after the archive
        m = MOODLE.match(parts[-1]) or (MOODLE.match("/".join(parts[-2:])) if len(parts) > 1 else None)
        who = m and next((s for s in members if _norm(s.name) == _norm(m["name"])), None)
        return m, who, (0, 0)

    def _latest(self) -> dict:
        """(student, notebook) -> the relative path of its latest upload in the archive."""
        if not hasattr(self, "_latest_cache"):
            best: dict[tuple[str, str], tuple] = {}
            for dirpath, _, files in os.walk(self.extracted):
                for f in files:
                    rel = os.path.relpath(os.path.join(dirpath, f), self.extracted)
                    m, who, order = self._match(rel)
                    if m and who:
                        key = (who.username, m["file"])
                        if key not in best or order > best[key][0]:
                            best[key] = (order, rel)
            self._latest_cache = {k: v[1] for k, v in best.items()}
        return self._latest_cache

    def collect(self, submitted_file: str):
        if not submitted_file.endswith(".ipynb"):
            return None
        rel = os.path.relpath(submitted_file, self.extracted)
        m, who, _ = self._match(rel)
        if not m:
            self.log.warning("not a %s submission file name, skipped: %s", self.lms, rel)
            return None
        if who is None:
            self.log.warning("no roster student for %s, skipped: %s", m["name"], rel)
            return None
        if self._latest()[(who.username, m["file"])] != rel:
            self.log.warning("an earlier upload of %s by %s, skipped: %s", m["file"], who.username, rel)
            return None
        return {"student_id": who.username, "file_id": m["file"] + ".ipynb"}


def collect_zip(
    archive: Path, assignment: str, roster_path: Path, lms: str | None = None, root: Path | None = None, log=print
) -> list[str]:
    """Put ``archive`` through nbgrader zip_collect into submitted/; return the students collected."""
    from .paths import course_root, tool_env

    root = course_root(root)
    archive = Path(archive).resolve()
    if not archive.is_file():
        raise SystemExit(f"ZIP={archive}: no such file")
    rosters.read(roster_path)  # refuse a bad roster before anything changes
    if lms is None:
        import zipfile

        names = zipfile.ZipFile(archive).namelist()
        lms = "moodle" if any("_assignsubmission_" in n for n in names) else "canvas"
    base = root / "downloaded" / assignment
    if base.exists():
        shutil.rmtree(base)
    (base / "archive").mkdir(parents=True)
    shutil.copy(archive, base / "archive" / archive.name)
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "nbgrader",
            "zip_collect",
            assignment,
            "--force",
            "--ZipCollectApp.collector_plugin=coursekit.lmszip.RosterCollector",
            f"--RosterCollector.lms={lms}",
            f"--RosterCollector.roster={Path(roster_path).resolve()}",
            f"--RosterCollector.extracted={base / 'extracted'}",
        ],
        cwd=root,
        env=tool_env(),
        capture_output=True,
        text=True,
    )
    if r.returncode:
        raise SystemExit(f"nbgrader zip_collect failed ({r.returncode}):\n{r.stderr[-3000:]}")
    skipped = [line.split("skipped: ", 1)[1] for line in r.stderr.splitlines() if "skipped: " in line]
    got = sorted(p.parent.name for p in (root / "submitted").glob(f"*/{assignment}"))
    log(
        f"{archive.name} ({lms}): {len(got)} student(s) in submitted/*/{assignment}/"
        + (f"; skipped {len(skipped)} file(s): {'; '.join(skipped)}" if skipped else "")
    )
    return got


def main(argv=None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m coursekit.lmszip", description=__doc__.split("\n")[0])
    p.add_argument("zip", type=Path)
    p.add_argument("--assignment", required=True)
    p.add_argument("--roster", type=Path, required=True)
    p.add_argument("--lms", choices=["canvas", "moodle"], default=None)
    a = p.parse_args(argv)
    return rosters.refusing(lambda: collect_zip(a.zip, a.assignment, a.roster, a.lms))


if __name__ == "__main__":
    raise SystemExit(main())
