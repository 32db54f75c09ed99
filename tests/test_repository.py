"""The repository keeps the layout the course promises, and its commands are the documented ones."""

from __future__ import annotations

import re
import subprocess

from conftest import ROOT

FIXED = {"README.md", "environment.yml", "source", "release", "solutions", "lib", "tests", "Makefile"}
TOOLS = {
    "nbgrader_config.py",
    "pyproject.toml",
    "requirements.txt",
    "requirements-extra.txt",
    ".ci",
    ".github",
    ".gitignore",
    # make lint and the pre-commit hooks (ruff, mypy, the notebook normaliser); every editor's basic settings
    "requirements-dev.txt",
    ".pre-commit-config.yaml",
    ".editorconfig",
}
DOCS = {"ARCHITECTURE.md"}  # the map beside README.md (tests/test_map.py keeps its paths true)


def test_top_level_is_the_fixed_layout():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not tracked:  # not a git checkout (an sdist, say): look at the folder
        top = {p.name for p in ROOT.iterdir() if not p.name.startswith((".venv", "build", ".git"))}
    else:
        top = {p.split("/")[0] for p in tracked}
    assert FIXED <= top, f"missing: {FIXED - top}"
    assert top <= FIXED | TOOLS | DOCS, f"unexpected top-level entries: {top - FIXED - TOOLS - DOCS}"


def test_gitignore_keeps_nbgrader_working_folders_out():
    ignored = (ROOT / ".gitignore").read_text().split()
    for entry in ("submitted/", "autograded/", "feedback/", "gradebook.db", ".venv/"):
        assert entry in ignored


def test_make_help_lists_every_target():
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True).stdout
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))
    listed = set(re.findall(r"make (\S+)", out))
    assert targets - {"venv"} <= listed | {"venv"}, f"not in make help: {targets - listed}"
    assert {"lab", "test", "release", "solutions", "grade", "demo", "help"} <= listed


def test_ci_and_readme_use_the_same_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / ".github" / "workflows" / "test.yml").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
