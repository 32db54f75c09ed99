"""make collect-zip: fabricated Canvas and Moodle download archives through nbgrader's zip_collect."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from coursekit.lmszip import collect_zip

REPO = Path(__file__).resolve().parents[1]
A = "01_forward_pass"
NBS = sorted(p.stem for p in (REPO / "release" / A).glob("*.ipynb"))  # the assignment's notebooks
NB, OTHERS = NBS[0], NBS[1:]
ROSTER = """username,name,email,lms_id,role
ada,Ada Lovelace,ada@example.org,1001,student
alan,Alan Turing,alan@example.org,1002,student
emmy,Emmy Noether,emmy@example.org,1003,student
prof,Grace Hopper,grace@example.org,9001,instructor
"""


def marked(tag: str, name: str = NB) -> bytes:
    """A release notebook with a marker in its first cell, to tell copies apart after collection."""
    nb = json.loads((REPO / "release" / A / f"{name}.ipynb").read_text())
    nb["cells"][0]["source"] = f"marker {tag}\n" + "".join(nb["cells"][0]["source"])
    return json.dumps(nb).encode()


def course(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "course"
    root.mkdir()
    for name in ("source", "release"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "nbgrader_config.py", root)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    return root, roster


def archive(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def marker(root: Path, student: str, name: str = NB) -> str:
    nb = json.loads((root / "submitted" / student / A / f"{name}.ipynb").read_text())
    return "".join(nb["cells"][0]["source"]).split("\n")[0]


@pytest.mark.slow
def test_canvas_archive(tmp_path):
    root, roster = course(tmp_path)
    z = archive(
        tmp_path / "submissions.zip",
        {
            f"lovelaceada_1001_55501_{NB}.ipynb": marked("ada-first"),
            f"lovelaceada_1001_55907_{NB}-1.ipynb": marked("ada-resubmitted"),
            f"turingalan_LATE_1002_55600_{NB}.ipynb": marked("alan-late"),
            "turingalan_1002_55600_notes.txt": b"several files per student",
            f"mallorymal_7777_55700_{NB}.ipynb": marked("not on the roster"),
            # the other notebooks of the assignment, uploaded with the first in one submission
            **{f"lovelaceada_1001_55907_{nb}.ipynb": marked(f"ada-{nb}", nb) for nb in OTHERS},
        },
    )
    said = []
    got = collect_zip(z, A, roster, root=root, log=said.append)
    assert got == ["ada", "alan"]
    assert marker(root, "ada") == "marker ada-resubmitted", "the later upload is the one graded"
    assert marker(root, "alan") == "marker alan-late"
    assert all(marker(root, "ada", nb) == f"marker ada-{nb}" for nb in OTHERS), "every notebook is collected"
    assert "mallorymal" in said[0] and "skipped" in said[0], said
    assert "canvas" in said[0]


@pytest.mark.slow
def test_moodle_archive_flat_and_in_folders(tmp_path):
    root, roster = course(tmp_path)
    z = archive(
        tmp_path / "moodle.zip",
        {
            f"Ada Lovelace_4242_assignsubmission_file_{NB}.ipynb": marked("ada-flat"),
            f"Emmy Noether_4243_assignsubmission_file_/{NB}.ipynb": marked("emmy-folder"),
            "Emmy Noether_4243_assignsubmission_file_/scratch.txt": b"another file",
            f"Someone Else_4244_assignsubmission_file_{NB}.ipynb": marked("stranger"),
        },
    )
    said = []
    got = collect_zip(z, A, roster, root=root, log=said.append)
    assert got == ["ada", "emmy"]
    assert marker(root, "ada") == "marker ada-flat" and marker(root, "emmy") == "marker emmy-folder"
    assert "moodle" in said[0] and "Someone Else" in said[0], said


def test_missing_archive_is_named(tmp_path):
    root, roster = course(tmp_path)
    with pytest.raises(SystemExit, match=r"ZIP=.*nothing\.zip: no such file"):
        collect_zip(tmp_path / "nothing.zip", A, roster, root=root)
