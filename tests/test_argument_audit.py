"""Every argument of every graded function is varied by some hidden test (issue 16, point 4).

An argument that a student's function can ignore without losing points is a hole
in the graders. This test finds such holes mechanically. For every graded
function (each function defined in a solution cell that has test cells
``test_<grade_id>*`` in the same notebook) and every parameter of it, it builds
the variant that IGNORES the parameter: a wrapper around the solution that
replaces the argument by the value the visible checks passed on their first call
of the function (recorded by tracing the visible test cells of the release
notebook; a parameter with a default that the first call leaves out gets the
default) and then calls the solution. The exercise's hidden tests (the source
notebook's test cells, which hold the ``### BEGIN HIDDEN TESTS`` blocks) are run
with the variant, and at least one of them must fail. A variant that passes them
all is a hole: the test names the function, the parameter and the forced value.

Forcing a recorded object is meaningful for every kind of argument: a forced
callable is the visible check's function (``f`` of ``numerical_gradient``), a
forced generator is a copy of the visible check's generator in the state it had
then (every call draws the same numbers), a forced model is a copy of the
visible check's model (the model passed in is left untrained). Each forced use
gets its own deep copy, so that a variant cannot leak state from one call to
the next. Parameters that cannot be forced would be listed in CANNOT_FORCE, one
reason each; none is needed today.

One kernel per source notebook (every source/<assignment>/*.ipynb, so an
assignment split into several notebooks is audited notebook by notebook; a
function's hidden tests are looked up in the notebook that holds its solution
cell). The release notebook filled with the solutions runs once while the
visible test cells of each exercise are traced; then, per variant, the solution
cell, the forcing wrapper and the exercise's source cells run up to the first
test cell that fails (the rest cannot change the verdict). After the variants of
an exercise its source cells run once more with the solution alone: a control
that must pass every test cell, which shows that no variant poisoned the session
(each block re-runs the solution cell, so a poisoned state would persist into
the control).

Known holes are expected failures keyed by (assignment, grade id, function,
parameter) in KNOWN_HOLES (strict: once a hidden test closes the hole the mark
must go). It is empty: the two holes the audit found (04 descend's max_loss, 05
moons_classifier's seed) are closed by a visible check and a hidden test each,
with a catalogue entry (fixed_max_loss, ignores_seed).
"""

from __future__ import annotations

import ast
import copy
import json
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT, selected_assignments
from coursekit import fabricate as fab
from coursekit import skip_demos
from coursekit.build import strip_solution_markers
from test_visible_checks import _error, _role, _segment

ASSIGNMENTS = selected_assignments()

# (assignment, grade id, function, parameter): why the parameter cannot be forced. Keep it tiny and honest.
CANNOT_FORCE: dict[tuple[str, str, str, str], str] = {}

# (assignment, grade id, function, parameter): holes found by this audit and not closed yet (the hidden
# tests that close them are in HOLES_01_03_05.md, for the notebooks being split at the time).
KNOWN_HOLES: dict[tuple[str, str, str, str], str] = {}

# The kernel side: records the first visible call of each graded function, then forces one argument.
KERNEL = r"""
import copy as _audit_copy, functools as _audit_functools, inspect as _audit_inspect, sys as _audit_sys


class _ArgumentAudit:
    def __init__(self):
        self.first = {}        # (cell, function) -> {parameter: deep copy of the first visible call's argument}
        self.originals = {}    # (cell, function) -> the solution's function
        self.recording = None  # the cell whose visible test cells are running

    @staticmethod
    def quiet_copy(value):
        # a deep copy made with any profiler switched off: own_code() watches calls into shallownet, and copying
        # a library object must not count as a call the student's code made
        profiler = _audit_sys.getprofile()
        _audit_sys.setprofile(None)
        try:
            return _audit_copy.deepcopy(value)
        finally:
            _audit_sys.setprofile(profiler)

    def install(self, ns, cell, names):
        for name in names:
            func = ns[name]
            sig = _audit_inspect.signature(func)
            self.originals[(cell, name)] = func

            def recorder(*args, _func=func, _sig=sig, _key=(cell, name), **kwargs):
                if self.recording == _key[0] and _key not in self.first:
                    bound = _sig.bind(*args, **kwargs)
                    bound.apply_defaults()
                    self.first[_key] = {p: self.quiet_copy(v) for p, v in bound.arguments.items()}
                return _func(*args, **kwargs)

            ns[name] = _audit_functools.wraps(func)(recorder)

    def restore(self, ns, cell):
        for (c, name), func in self.originals.items():
            if c == cell:
                ns[name] = func

    def recorded(self):
        return {f"{c}/{f}": sorted(v) for (c, f), v in self.first.items()}

    @staticmethod
    def describe(value):
        import numpy as np
        if isinstance(value, np.ndarray):
            with np.printoptions(precision=4, threshold=6, edgeitems=2):
                text = np.array2string(value, separator=", ").replace("\n", "")
            return f"array of shape {value.shape}: {text}"
        text = repr(value)
        return text if len(text) <= 100 else text[:97] + "..."

    def force(self, ns, cell, name, param):
        func = ns[name]
        sig = _audit_inspect.signature(func)
        value = self.first[(cell, name)][param]
        self.quiet_copy(value)  # fails here, in the audit's own cell, rather than inside a hidden test

        def forced(*args, **kwargs):
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            bound.arguments[param] = self.quiet_copy(value)
            return func(*bound.args, **bound.kwargs)

        ns[name] = _audit_functools.wraps(func)(forced)
        print(self.describe(value))


_audit = _ArgumentAudit()
"""


@dataclass
class Variant:
    assignment: str
    notebook: str  # file name inside source/<assignment>/
    cell: str  # grade id of the solution cell
    function: str
    parameter: str

    @property
    def key(self):
        return (self.assignment, self.cell, self.function, self.parameter)

    @property
    def label(self):
        return f"{self.assignment}-{self.cell}-{self.function}-{self.parameter}"


def exercise_test_cells(nb, cell_id: str) -> list[str]:
    """Ids of the test cells of exercise ``cell_id`` in ``nb`` (test_<id> and test_<id>_*)."""
    return [c.get("id") for c in nb.cells if _role(c, cell_id) == "test"]


def graded_functions(nb) -> dict[str, dict[str, list[str]]]:
    """{solution cell id: {function: [parameter, ...]}} for solution cells with test cells in this notebook."""
    out = {}
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if c.cell_type != "code" or not meta.get("solution") or not exercise_test_cells(nb, c.get("id")):
            continue
        tree = ast.parse(c.source)
        funcs = {}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                a = node.args
                funcs[node.name] = [p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]]
                assert not (a.vararg or a.kwarg), f"{c.get('id')}: {node.name} takes *args/**kwargs; audit it by hand"
        if funcs:
            out[c.get("id")] = funcs
    return out


def variants(assignments=ASSIGNMENTS) -> list[Variant]:
    out = []
    for a in assignments:
        for part in fab.parts(ROOT, a):
            nb = nbformat.read(part.src, as_version=4)
            for cell, funcs in graded_functions(nb).items():
                for func, params in funcs.items():
                    out.extend(Variant(a, part.name, cell, func, p) for p in params)
    return out


VARIANTS = variants()


def _code(source: str, role: str, **meta):
    c = nbformat.v4.new_code_cell(source)
    c.metadata["argument_audit"] = {"role": role, **meta}
    return c


def _stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream").strip()


class _Session:
    """One kernel; cells are appended to a notebook and run one by one (so a block can stop early)."""

    def __init__(self, metadata, cwd: Path):
        self.nb = nbformat.v4.new_notebook(metadata=metadata)
        self.client = NotebookClient(
            self.nb, timeout=120, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(cwd)}}
        )

    def run(self, cell) -> str | None:
        """Run one cell; its error ('Name: message') or None."""
        cell = copy.deepcopy(cell)
        cell.outputs, cell.execution_count = [], None
        self.nb.cells.append(cell)
        self.client.execute_cell(cell, len(self.nb.cells) - 1)
        return _error(cell)

    def stdout(self) -> str:
        """What the last cell printed."""
        return _stdout(self.nb.cells[-1])


def _block(session: _Session, cell: str, answer: str, segment: list, force: str | None, broken: dict):
    """The solution cell, the forcing wrapper (if any), then the exercise's cells after the solution cell.

    Returns ({test cell id: error}, forced value as text); with a wrapper it stops at the first failing test
    cell (the rest cannot change the verdict). Errors of the audit's own cells go to ``broken``: they must
    never count as a failing hidden test, which would hide a hole.
    """
    if err := session.run(_code(answer, "solution")):
        broken[f"{cell} (solution cell re-run)"] = err
        return {}, None
    forced = None
    if force:
        if err := session.run(_code(force, "force")):
            broken[force] = err
            return {}, None
        forced = session.stdout()
    errors = {}
    for c in segment:
        err = session.run(c)
        if err and _role(c, cell) == "test":
            errors[c.get("id")] = err
            if force:
                break
    return errors, forced


def audit_notebook(assignment: str, source_nb=None, name: str | None = None, only=None) -> dict:
    """Run the argument audit for one source notebook (source/<assignment>/<name>) in one kernel.

    source_nb: the parsed source notebook, to audit an altered copy (default: the file); its test cells are
    the hidden tests. only: solution cell ids to audit (default: all graded ones). Returns
    {"setup_errors": {cell: error}, "unrecorded": [(cell, function, parameter)], "controls": {cell: {test
    cell: error}}, "variants": {(cell, function, parameter): {"forced": text, "failed": test cell id or None,
    "error": text}}, "seconds": float}.
    """
    start = time.perf_counter()
    if source_nb is None:
        source_nb = nbformat.read(ROOT / "source" / assignment / name, as_version=4)
    rel = ROOT / "release" / assignment / name
    ans = {
        c.metadata["nbgrader"]["grade_id"]: strip_solution_markers(c.source)
        for c in source_nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    }
    plan = {k: v for k, v in graded_functions(source_nb).items() if only is None or k in only}
    tagged = set(skip_demos.tagged_cells(ROOT).get(f"{assignment}/{Path(name).stem}", {}))
    base = fab.submission(rel, fill=ans)
    base.cells = [c for c in base.cells if c.get("id") not in tagged and c.cell_type == "code"]
    source_nb = copy.deepcopy(source_nb)
    source_nb.cells = [c for c in source_nb.cells if c.get("id") not in tagged]
    if only is not None:  # nothing after the last test cell audited is needed
        base.cells = base.cells[: max(i for i, c in enumerate(base.cells) for e in plan if _role(c, e) == "test") + 1]

    # Phase 1: the release notebook with the solutions, tracing the visible test cells of each exercise.
    setup = [_code(KERNEL, "setup")]
    for c in base.cells:
        owner = next((e for e in plan if _role(c, e) == "test"), None)
        if owner:
            setup.append(_code(f"_audit.recording = {owner!r}", "setup"))
        setup.append(c)
        if owner:
            setup.append(_code("_audit.recording = None", "setup"))
            if c.get("id") == exercise_test_cells(base, owner)[-1]:
                setup.append(_code(f"_audit.restore(globals(), {owner!r})", "setup"))
        if c.get("id") in plan:
            setup.append(_code(f"_audit.install(globals(), {c.get('id')!r}, {sorted(plan[c.get('id')])!r})", "setup"))
    setup.append(_code("import json as _audit_json\nprint(_audit_json.dumps(_audit.recorded()))", "recorded"))

    out: dict = {"setup_errors": {}, "unrecorded": [], "controls": {}, "variants": {}}
    session = _Session(base.metadata, rel.parent)
    with session.client.setup_kernel():
        for c in setup:
            if err := session.run(c):
                out["setup_errors"][c.get("id") or c.source[:60]] = err
        recorded = json.loads(session.stdout() or "{}")

        # Phase 2: per variant, the solution cell, the forcing wrapper, then the exercise's source cells.
        for cell, funcs in plan.items():
            segment = [source_nb.cells[i] for i in _segment(source_nb, cell)][1:]  # after the solution cell
            for func, params in funcs.items():
                for p in params:
                    if p not in recorded.get(f"{cell}/{func}", []):
                        out["unrecorded"].append((cell, func, p))
                        continue
                    if (assignment, cell, func, p) in CANNOT_FORCE:
                        continue
                    force = f"_audit.force(globals(), {cell!r}, {func!r}, {p!r})"
                    errors, forced = _block(session, cell, ans[cell], segment, force, out["setup_errors"])
                    failed = next(iter(errors), None)
                    out["variants"][(cell, func, p)] = {"forced": forced, "failed": failed, "error": errors.get(failed)}
            out["controls"][cell] = _block(session, cell, ans[cell], segment, None, out["setup_errors"])[0]
    out["seconds"] = time.perf_counter() - start
    return out


_RESULTS: dict = {}


def results_for(assignment: str, name: str) -> dict:
    """The audit of one source notebook, run once per pytest session."""
    if (assignment, name) not in _RESULTS:
        _RESULTS[(assignment, name)] = audit_notebook(assignment, name=name)
    return _RESULTS[(assignment, name)]


def _marks(v: Variant):
    if v.key in KNOWN_HOLES:
        return [pytest.mark.xfail(strict=True, reason=f"known hole: {KNOWN_HOLES[v.key]}")]
    return []


@pytest.mark.parametrize("variant", [pytest.param(v, id=v.label, marks=_marks(v)) for v in VARIANTS])
def test_every_argument_is_varied_by_a_hidden_test(variant: Variant):
    """The variant of the solution that ignores this argument fails at least one hidden test of its exercise."""
    if variant.key in CANNOT_FORCE:
        pytest.skip(f"cannot be forced: {CANNOT_FORCE[variant.key]}")
    res = results_for(variant.assignment, variant.notebook)
    where = f"{variant.assignment}/{variant.notebook}"
    assert not res["setup_errors"], f"{where}: the solution or the audit's own cells raised: {res['setup_errors']}"
    control = res["controls"].get(variant.cell)
    assert control == {}, f"{where}: the solution fails its own tests after the variants of {variant.cell}: {control}"
    key = (variant.cell, variant.function, variant.parameter)
    assert key not in res["unrecorded"], (
        f"{where}: no visible check of {variant.cell} calls {variant.function}, so the audit cannot tell which "
        f"{variant.parameter} a student would hard-code; add a visible check that calls it."
    )
    got = res["variants"][key]
    assert got["failed"] is not None, (
        f"{where}: hole in the graders: {variant.function} that ignores its argument {variant.parameter} and "
        f"always uses {got['forced']} (what the first visible call passed, or the default it left) passes every "
        f"hidden test of {variant.cell}; add a hidden test that calls {variant.function} with another "
        f"{variant.parameter}."
    )


def test_the_audit_can_fail():
    """With the hidden block of test_gd_step removed (04), gd_step that always uses lr=0.1, the value of every
    visible check, passes every test left: the audit reports that hole, and only that one (w and grad are
    varied by the visible checks themselves)."""
    name = "gradient_descent.ipynb"
    src = nbformat.read(ROOT / "source" / "04_gradient_descent" / name, as_version=4)
    visible = fab.cell(nbformat.read(ROOT / "release" / "04_gradient_descent" / name, as_version=4), "test_gd_step")
    assert "BEGIN HIDDEN TESTS" in fab.cell(src, "test_gd_step").source
    fab.cell(src, "test_gd_step").source = visible.source
    res = audit_notebook("04_gradient_descent", source_nb=src, name=name, only={"gd_step"})
    assert not res["setup_errors"] and res["controls"] == {"gd_step": {}}, res
    holes = {k: v["forced"] for k, v in res["variants"].items() if v["failed"] is None}
    assert holes == {("gd_step", "gd_step", "lr"): "0.1"}, res["variants"]
    assert set(res["variants"]) == {("gd_step", "gd_step", p) for p in ("w", "grad", "lr")}
