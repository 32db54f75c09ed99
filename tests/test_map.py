"""The map stays true: every path, make target and module that ARCHITECTURE.md and the README's
"Where things live" table name in backticks exists.

A backticked span is a path when it has no space and holds a "/" or ends in a file suffix; ``<student>``,
``NN`` and ``NN_topic`` are placeholders that must match at least one entry; ``file.py:name`` also needs
``name`` defined in the file. nbgrader's working folders (``submitted/``, ``grades.csv`` ...) never exist
in a checkout: they count when ``.gitignore`` lists them. ``make x`` needs the target, ``python -m m``
the module.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

SUFFIXES = (".py", ".md", ".ipynb", ".yml", ".yaml", ".toml", ".txt", ".cfg", ".csv", ".db", ".json")
_SPAN = re.compile(r"`([^`\n]+)`")
_PLACEHOLDER = re.compile(r"<[^>/]+>|NN_topic|NN|\btopic\b(?=\.ipynb)")


def readme_table(readme: str) -> str:
    """The README's "Where things live" section, up to the next heading of its level."""
    m = re.search(r"^## Where things live\n(.*?)(?=^## )", readme, re.M | re.S)
    assert m, "README.md has no '## Where things live' section"
    return m.group(1)


def _ignored(root: Path) -> set[str]:
    return {
        line.strip().rstrip("/")
        for line in (root / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }


def _defines(path: Path, name: str) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return True
    return False


def problems(text: str, root: Path = ROOT) -> list[str]:
    """What the backticked spans of ``text`` name that does not exist under ``root``, one sentence each."""
    makefile = (root / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    ignored = _ignored(root)
    out = []
    for span in dict.fromkeys(_SPAN.findall(text)):  # in order, once each
        if m := re.fullmatch(r"make ([a-z][a-z-]*)(?: .*)?", span):
            if m.group(1) not in targets:
                out.append(f"`{span}`: the Makefile has no target {m.group(1)}")
            continue
        if m := re.fullmatch(r"python -m ([\w.]+)(?: .*)?", span):
            module = root / "lib" / Path(*m.group(1).split("."))
            if not (module.with_suffix(".py").is_file() or (module / "__main__.py").is_file()):
                out.append(f"`{span}`: no module {m.group(1)} in lib/")
            continue
        if " " in span or "://" in span or not ("/" in span or span.endswith(SUFFIXES)):
            continue
        path, _, name = span.partition(":")
        first = path.strip("/").split("/")[0]
        if first in ignored or path.rstrip("/") in ignored:
            continue  # a working folder or file, named in .gitignore
        pattern = _PLACEHOLDER.sub("*", path.rstrip("/"))
        matches = sorted(root.glob(pattern))
        if not matches:
            out.append(f"`{span}`: no such file or folder")
        elif name and not any(p.suffix == ".py" and _defines(p, name) for p in matches):
            out.append(f"`{span}`: {path} defines no {name}")
    return out


def test_architecture_names_only_what_exists():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert len(_SPAN.findall(text)) > 40, "ARCHITECTURE.md should name the places it describes in backticks"
    missing = problems(text)
    assert not missing, "ARCHITECTURE.md names what is not there: " + "; ".join(missing)


def test_readme_table_names_only_what_exists_and_points_to_the_map():
    table = readme_table((ROOT / "README.md").read_text(encoding="utf-8"))
    assert "ARCHITECTURE.md" in table, "the README's 'Where things live' should point to ARCHITECTURE.md"
    assert len([s for s in _SPAN.findall(table) if "/" in s]) >= 10
    missing = problems(table)
    assert not missing, "README.md's 'Where things live' names what is not there: " + "; ".join(missing)


def test_the_checker_finds_what_is_missing(tmp_path):
    (tmp_path / "Makefile").write_text("lint:  ## x\n\techo\n")
    (tmp_path / ".gitignore").write_text("# working folders\nsubmitted/\ngrades.csv\n")
    (tmp_path / "lib" / "pkg").mkdir(parents=True)
    (tmp_path / "lib" / "pkg" / "tool.py").write_text("def run():\n    pass\n\nLIMITS = {}\n")
    (tmp_path / "source" / "01_intro").mkdir(parents=True)
    (tmp_path / "source" / "01_intro" / "intro.ipynb").write_text("{}")
    text = """
    | a | `lib/pkg/tool.py` `lib/pkg/` `lib/pkg/tool.py:run` `lib/pkg/tool.py:LIMITS` `make lint` `python -m pkg.tool` |
    | b | `source/NN_topic/topic.ipynb` `submitted/<student>/<assignment>/` `grades.csv` `W1, b1, …` `X @ W` |
    | c | `lib/pkg/gone.py` `lib/pkg/tool.py:walk` `make lab` `python -m pkg.gone` `tests/nbNN_x.py` |
    """
    assert problems(text, tmp_path) == [
        "`lib/pkg/gone.py`: no such file or folder",
        "`lib/pkg/tool.py:walk`: lib/pkg/tool.py defines no walk",
        "`make lab`: the Makefile has no target lab",
        "`python -m pkg.gone`: no module pkg.gone in lib/",
        "`tests/nbNN_x.py`: no such file or folder",
    ]
    with pytest.raises(AssertionError, match="no '## Where things live'"):
        readme_table("# README\n\n## Something else\n")
