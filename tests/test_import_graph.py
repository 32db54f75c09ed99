"""The two packages' import graph: no cycles, shallownet never needs coursekit, importing changes nothing.

The graph is read from the source with ``ast``, so an import inside a function counts as much as one
at the top of a module (it runs as soon as the function does). ``from pkg import name`` is an edge to
the module ``pkg.name`` when there is one, else to ``pkg``; the package ``__init__`` that Python runs
on the way to a submodule is not an edge (that is how import-linter and grimp count too), and
imports under ``if TYPE_CHECKING:`` are not, since they never run.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT

LIB = ROOT / "lib"
PACKAGES = ("shallownet", "coursekit")


# ------------------------------------------------------------------ reading the graph


def modules(lib: Path, packages=PACKAGES) -> dict[str, Path]:
    """{dotted module name: file} for every .py file of the packages (``pkg/__init__.py`` is ``pkg``)."""
    found = {}
    for package in packages:
        for path in sorted((lib / package).rglob("*.py")):
            # a folder without __init__.py holds data (coursekit/hub_files/jupyterhub_config.py is read by JupyterHub)
            if not all((d / "__init__.py").exists() for d in path.parents if lib in d.parents):
                continue
            parts = list(path.relative_to(lib).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _runtime_imports(tree: ast.AST):
    """Every Import / ImportFrom node at any depth, except those under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def imports(name: str, path: Path, mods) -> set[str]:
    """The modules of ``mods`` that module ``name`` (file ``path``) imports, relative imports resolved."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    out = set()
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names if alias.name in mods)
            continue
        if node.level:
            parts = package.split(".")
            base_parts = parts[: len(parts) - (node.level - 1)]
            assert base_parts, f"{path}: a relative import above the top-level package"
            base = ".".join(base_parts + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        for alias in node.names:
            if f"{base}.{alias.name}" in mods:
                out.add(f"{base}.{alias.name}")
            elif base in mods:
                out.add(base)
    out.discard(name)
    return out


def graph(lib: Path = LIB, packages=PACKAGES) -> dict[str, set[str]]:
    """{module: the modules of ``packages`` it imports}."""
    mods = modules(lib, packages)
    return {name: imports(name, path, mods) for name, path in mods.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(found)


def _describe(component, edges) -> str:
    inner = [f"{a} -> {b}" for a in component for b in sorted(edges[a]) if b in component]
    return "{" + ", ".join(component) + "}: " + "; ".join(inner)


# ------------------------------------------------------------------ the reader itself


def test_the_reader_sees_imports_inside_functions(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "from .a import f\n",
        "a.py": "import os\n\ndef f():\n    from . import b\n    return b\n",
        "b.py": "from .a import f as g\n",
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import f\nelse:\n    import pkg.d\n",
        "d.py": "",
        "sub/__init__.py": "",
        "sub/e.py": "from .. import c\nfrom ..sub import f\nimport pkg.sub\n",
    }
    for rel, text in files.items():
        (pkg / rel).write_text(text)
    edges = graph(tmp_path, ("pkg",))
    assert edges == {
        "pkg": {"pkg.a"},
        "pkg.a": {"pkg.b"},  # inside a function
        "pkg.b": {"pkg.a"},
        "pkg.c": {"pkg.d"},  # the TYPE_CHECKING branch never runs, its else does
        "pkg.d": set(),
        "pkg.sub": set(),
        "pkg.sub.e": {"pkg.c", "pkg.sub"},  # `from ..sub import f`: f is no module, so the edge is pkg.sub
    }
    assert cycles(edges) == [["pkg.a", "pkg.b"]]
    assert cycles({"x": {"y"}, "y": {"z"}, "z": {"x"}, "w": {"x"}}) == [["x", "y", "z"]]


def test_the_reader_knows_both_packages():
    edges = graph()
    assert {"shallownet", "shallownet.network", "shallownet.widgets.base", "coursekit.grade"} <= set(edges)
    assert "shallownet.network" in edges["shallownet.train"]
    assert "coursekit.paths" in edges["coursekit.build"]


# ------------------------------------------------------------------ the rules


def test_no_import_cycle_in_shallownet():
    edges = graph(packages=("shallownet",))
    found = cycles(edges)
    assert not found, "import cycles in lib/shallownet: " + " | ".join(_describe(c, edges) for c in found)


def test_no_import_cycle_in_coursekit():
    edges = graph(packages=("coursekit",))
    found = cycles(edges)
    assert not found, "import cycles in lib/coursekit: " + " | ".join(_describe(c, edges) for c in found)


def test_shallownet_never_imports_coursekit():
    """Students install and import shallownet alone: no import of the toolkit, at any depth, in any spelling."""
    offenders = []
    for name, path in modules(LIB, ("shallownet",)).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                if ast.unparse(node.func) in ("importlib.import_module", "import_module", "__import__"):
                    names = [str(node.args[0].value)]
            offenders += [f"{name} line {node.lineno}: {n}" for n in names if n.split(".")[0] == "coursekit"]
    assert not offenders, "shallownet imports the instructor's toolkit: " + "; ".join(offenders)


# ------------------------------------------------------------------ importing changes nothing

PROBE = r"""
import json, os, sys
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
CHANGES = {"os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.symlink", "os.link", "os.truncate",
           "os.chmod", "os.chown", "os.utime", "os.chdir", "shutil.copyfile", "shutil.rmtree", "shutil.move",
           "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn"}
events = []
putenv = {}  # the process environment below os.environ: numpy sets and unsets OPENBLAS_MAIN_FREE, a net nothing

def audit(event, args):
    if event == "os.putenv":
        putenv[args[0]] = args[1]
    elif event == "os.unsetenv":
        putenv[args[0]] = None
    elif event == "open":
        path, mode, flags = args
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (flags or 0) & WRITE_FLAGS:
            events.append(f"open {path!r} {mode or flags}")
    elif event in CHANGES:
        events.append(f"{event} {args!r}"[:300])

environ, path, cwd = dict(os.environ), list(sys.path), os.getcwd()
environb = dict(os.environb)
before = set(sys.modules)
import importlib
sys.addaudithook(audit)
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps({
    "environ": sorted(k for k in set(environ) | set(os.environ) if environ.get(k) != os.environ.get(k)),
    "sys_path": [p for p in sys.path if p not in path] + [f"-{p}" for p in path if p not in sys.path],
    "cwd": os.getcwd() if os.getcwd() != cwd else None,
    "writes": events + [f"os.putenv {k!r}" for k, v in putenv.items()
                        if v != environb.get(k)],
    "imported": sorted({m.split(".")[0] for m in set(sys.modules) - before}),
}))
"""


def _import_fresh(names, tmp_path, pythonpath=None):
    """Import ``names`` in a fresh interpreter whose cwd, HOME and temp folder are new empty folders."""
    home, work, tmp = (tmp_path / n for n in ("home", "work", "tmp"))
    for d in (home, work, tmp):
        d.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MPL", "XDG_", "JUPYTER", "IPYTHON"))}
    env.update(HOME=str(home), TMPDIR=str(tmp), PYTHONDONTWRITEBYTECODE="1")
    if pythonpath:
        env["PYTHONPATH"] = str(pythonpath)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *names], cwd=work, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.splitlines()[-1])
    report["files"] = sorted(str(p.relative_to(tmp_path)) for d in (home, work, tmp) for p in d.rglob("*"))
    return report


def _library_modules():
    """shallownet and every module of it except the pictures (shallownet.widgets draws with matplotlib)."""
    return [m for m in modules(LIB, ("shallownet",)) if not m.startswith("shallownet.widgets")]


@pytest.mark.parametrize(
    "names",
    [["shallownet"], _library_modules(), ["coursekit"], list(modules(LIB, ("coursekit",)))],
    ids=["shallownet", "shallownet-every-library-module", "coursekit", "coursekit-every-module"],
)
def test_importing_changes_nothing(names, tmp_path):
    report = _import_fresh(names, tmp_path)
    assert report["environ"] == [], f"importing {names} changed os.environ: {report['environ']}"
    assert report["sys_path"] == [], f"importing {names} changed sys.path: {report['sys_path']}"
    assert report["cwd"] is None, f"importing {names} changed the working directory to {report['cwd']}"
    assert report["writes"] == [], f"importing {names} wrote or ran something: {report['writes'][:5]}"
    assert report["files"] == [], f"importing {names} left files: {report['files'][:5]}"
    if names[0] == "shallownet":
        heavy = sorted({"nbgrader", "matplotlib", "ipywidgets", "coursekit"} & set(report["imported"]))
        assert not heavy, f"importing {names} loaded {heavy}: a student's numpy code should not pay for them"


def test_the_probe_sees_a_side_effect(tmp_path):
    """The probe would notice: a module that edits PATH and sys.path, writes a file and imports matplotlib."""
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "noisy.py").write_text(
        textwrap.dedent("""
        import os, sys
        os.environ["PATH"] = "/nowhere" + os.pathsep + os.environ.get("PATH", "")
        sys.path.insert(0, "/nowhere")
        os.putenv("SHALLOWNET_NOISE", "1")
        open("left-behind.txt", "w").close()
        import matplotlib
    """)
    )
    (tmp_path / "probe").mkdir()
    report = _import_fresh(["noisy"], tmp_path / "probe", pythonpath=lib)
    assert report["environ"] == ["PATH"]
    assert report["sys_path"] == ["/nowhere"]
    assert any("left-behind.txt" in w for w in report["writes"])
    assert "os.putenv b'SHALLOWNET_NOISE'" in report["writes"]
    assert "work/left-behind.txt" in report["files"]
    assert "matplotlib" in report["imported"]
