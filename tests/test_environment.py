"""requirements.txt (pip) and environment.yml (conda / Binder) pin the same packages to the same versions.

environment.yml's pip section may hold one extra line, `-e .`: the course library itself.
"""

import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([A-Za-z0-9.+!_-]+)$")


def normalise(name: str) -> str:
    """PEP 503: case and runs of - _ . do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirements(path: Path) -> dict:
    pins = {}
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = PIN.match(line)
        assert m, f"{path.name} line {number}: {raw!r} is not pinned as name==version"
        name = normalise(m.group(1))
        assert name not in pins, f"{path.name} line {number}: {m.group(1)} is listed twice"
        pins[name] = m.group(2)
    return pins


def parse_environment(path: Path):
    """(pins {name: version}, pip extras such as '-e .', python version)."""
    env = yaml.safe_load(path.read_text())
    assert isinstance(env, dict) and isinstance(env.get("dependencies"), list), (
        f"{path.name} needs a 'dependencies' list"
    )
    pins, extras, python = {}, [], None

    def add(spec: str, where: str):
        m = PIN.match(spec.strip())
        assert m, f"{path.name}: {where} entry {spec!r} is not pinned as name==version"
        name = normalise(m.group(1))
        assert name not in pins, f"{path.name}: {m.group(1)} is listed twice"
        pins[name] = m.group(2)

    pip_sections = 0
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            assert set(dep) == {"pip"}, f"{path.name}: unexpected section {sorted(dep)}"
            pip_sections += 1
            for spec in dep["pip"]:
                spec = str(spec).strip()
                if spec.startswith("-"):
                    extras.append(spec)
                else:
                    add(spec, "pip")
            continue
        m = re.match(r"^([A-Za-z0-9._-]+)\s*(?:==?\s*(\S+))?$", str(dep).strip())
        assert m, f"{path.name}: cannot read the conda entry {dep!r}"
        name, version = m.group(1), m.group(2) or ""
        if normalise(name) == "python":
            python = version
        elif normalise(name) == "pip":
            continue
        else:  # a conda package (name=version): compared like the pip ones
            add(f"{name}=={version}", "conda")
    assert pip_sections == 1, f"{path.name} needs exactly one 'pip:' section, found {pip_sections}"
    return pins, extras, python


REQ = parse_requirements(ROOT / "requirements.txt")
ENV, EXTRAS, PYTHON = parse_environment(ROOT / "environment.yml")


def test_same_packages():
    only_req = sorted(set(REQ) - set(ENV))
    only_env = sorted(set(ENV) - set(REQ))
    assert not only_req and not only_env, (
        f"requirements.txt and environment.yml list different packages: only in requirements.txt {only_req}, "
        f"only in environment.yml {only_env}"
    )


def test_same_pins():
    different = {name: (REQ[name], ENV[name]) for name in sorted(set(REQ) & set(ENV)) if REQ[name] != ENV[name]}
    assert not different, (
        "requirements.txt and environment.yml pin different versions "
        "(requirements.txt, environment.yml): " + ", ".join(f"{n} {a} vs {b}" for n, (a, b) in different.items())
    )


def test_environment_installs_the_course_library():
    assert EXTRAS == ["-e ."], f"environment.yml's pip section should add exactly '-e .', got {EXTRAS}"
    assert (ROOT / "pyproject.toml").exists()


def test_the_tools_the_course_needs_are_pinned():
    for name in (
        "jupyterlab",
        "nbgrader",
        "nbval",
        "ipywidgets",
        "numpy",
        "matplotlib",
        "pytest",
        "hypothesis",
        "sqlalchemy",
    ):
        assert name in REQ, f"requirements.txt does not pin {name}"
    assert REQ["nbgrader"] == "0.9.6"
    assert REQ["jupyterlab"].split(".")[0] == "4"
    assert REQ["ipywidgets"].split(".")[0] == "8"


def test_python_version_is_pinned_and_supported():
    assert PYTHON, "environment.yml should pin python (python=3.x)"
    text = (ROOT / "pyproject.toml").read_text()
    m = re.search(r'requires-python\s*=\s*">=\s*(\d+)\.(\d+)"', text)
    assert m, 'pyproject.toml should state requires-python = ">=3.x"'
    want = (int(m.group(1)), int(m.group(2)))
    have = tuple(int(p) for p in PYTHON.split(".")[:2])
    assert have >= want, f"environment.yml's python {PYTHON} is older than requires-python >={want[0]}.{want[1]}"


def test_extra_requirements_do_not_contradict_the_main_pins():
    path = ROOT / "requirements-extra.txt"
    if not path.exists():
        pytest.skip("no requirements-extra.txt")
    extra = parse_requirements(path)
    clash = {n: (REQ[n], extra[n]) for n in set(REQ) & set(extra) if REQ[n] != extra[n]}
    assert not clash, f"requirements-extra.txt re-pins {clash}"


def test_the_running_interpreter_is_supported():
    text = (ROOT / "pyproject.toml").read_text()
    m = re.search(r'requires-python\s*=\s*">=\s*(\d+)\.(\d+)"', text)
    assert sys.version_info[:2] >= (int(m.group(1)), int(m.group(2)))


# ------------------------------------------------------------------ the parser itself


def test_parser_catches_a_difference(tmp_path):
    (tmp_path / "environment.yml").write_text(
        "name: x\ndependencies:\n  - python=3.11\n  - pip\n  - pip:\n      - numpy==2.0.0\n      - -e .\n"
    )
    pins, extras, python = parse_environment(tmp_path / "environment.yml")
    assert pins == {"numpy": "2.0.0"} and extras == ["-e ."] and python == "3.11"
    (tmp_path / "requirements.txt").write_text("# c\nNumPy==2.0.1  # comment\n\n")
    assert parse_requirements(tmp_path / "requirements.txt") == {"numpy": "2.0.1"}
    (tmp_path / "bad.txt").write_text("numpy>=2\n")
    with pytest.raises(AssertionError, match="not pinned"):
        parse_requirements(tmp_path / "bad.txt")
