"""The lint tools are pinned once (requirements-dev.txt), configured once (pyproject.toml), and make lint and the
pre-commit hooks run the same four checks with them."""

from __future__ import annotations

import re

import yaml

import test_environment as env
from conftest import ROOT

DEV = env.parse_requirements(ROOT / "requirements-dev.txt")
HOOKS = {
    "ruff": "ruff check",
    "ruff-format": "ruff format",
    "mypy": "mypy",
    "normalise-notebooks": "python -m coursekit.normalise",
}


def _lint_recipe() -> str:
    m = re.search(r"^lint:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert m, "the Makefile has no lint target"
    return m.group(1)


def test_dev_tools_are_pinned_and_agree_with_the_course_pins():
    assert {"ruff", "mypy", "pre-commit"} <= set(DEV), f"requirements-dev.txt pins {sorted(DEV)}"
    clash = {n: (env.REQ[n], DEV[n]) for n in set(env.REQ) & set(DEV) if env.REQ[n] != DEV[n]}
    assert not clash, f"requirements-dev.txt re-pins {clash}"
    assert not set(DEV) & set(env.ENV), "lint tools stay out of environment.yml (students and Binder need none)"


def test_make_lint_runs_every_check_and_installs_the_dev_pins():
    recipe = _lint_recipe()
    for check in ("$(RUFF) check .", "$(RUFF) format --check .", "$(VENV)/bin/mypy", "coursekit.normalise --check"):
        assert check in recipe, f"make lint does not run {check}"
    assert "exit $$status" in recipe, "make lint should run every check, then fail if any failed"
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^\$\(DEV_STAMP\):.*requirements-dev\.txt", makefile, re.M)
    assert "-r requirements-dev.txt" in makefile


def test_pre_commit_runs_the_same_checks_with_the_pinned_tools():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert set(hooks) == set(HOOKS), f"pre-commit hooks {sorted(hooks)}, expected {sorted(HOOKS)}"
    for hook_id, command in HOOKS.items():
        hook = hooks[hook_id]
        tool = command.split()[0]
        assert hook["entry"].startswith(f".venv/bin/{tool}"), f"{hook_id} should run the .venv's pinned {tool}"
        assert command.split(maxsplit=1)[-1] in hook["entry"], f"{hook_id} should run {command}"
        assert hook["language"] == "system"
        assert tool == "python" or tool in DEV, f"{tool} is not pinned in requirements-dev.txt"
    assert hooks["normalise-notebooks"]["files"].startswith("^source/")
    assert hooks["mypy"]["pass_filenames"] is False, "mypy checks lib/ as configured, not single files"


def _toml_value(text: str, table: str, key: str) -> str:
    """A value of pyproject.toml as written (tomllib is Python 3.11+, the course supports 3.10)."""
    body = re.search(rf"^\[{re.escape(table)}\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert body, f"pyproject.toml has no [{table}]"
    m = re.search(rf"^{re.escape(key)}\s*=\s*(.+)$", body.group(1), re.M)
    assert m, f"pyproject.toml [{table}] sets no {key}"
    return m.group(1).strip().strip('"')


def test_one_line_length_and_python_version_everywhere():
    text = (ROOT / "pyproject.toml").read_text()
    oldest = re.fullmatch(r">=\s*3\.(\d+)", _toml_value(text, "project", "requires-python")).group(1)
    assert _toml_value(text, "tool.ruff", "target-version") == f"py3{oldest}"
    assert _toml_value(text, "tool.mypy", "python_version") == f"3.{oldest}"
    line_length = _toml_value(text, "tool.ruff", "line-length")
    editorconfig = (ROOT / ".editorconfig").read_text()
    assert f"max_line_length = {line_length}" in editorconfig, "editors and ruff disagree on line length"
    assert _toml_value(text, "tool.mypy", "ignore_missing_imports") == "true"
    assert _toml_value(text, "tool.mypy", "mypy_path") == "lib"
