"""Every number the prose of 05_sgd states, recomputed here independently (plain math) and found in the part
of the assignment (part 1: batches, targets, shuffling; part 2: training) that states it."""

from __future__ import annotations

import ast
import math
import re

import nbformat
import numpy as np
import pytest

import test_notebooks_format as fmt
from conftest import ROOT, source_notebooks, stated
from shallownet.train import minibatches

ASSIGNMENT = "05_sgd"
PARTS = ["part1_batches.ipynb", "part2_training.ipynb"]


def _cells(part: int) -> list:
    """The cells of part 1 or part 2 of the assignment."""
    return source_notebooks(ASSIGNMENT)[part - 1]["cells"]


def _text(part: int, cell_type: str = "markdown") -> str:
    """The source of every cell of one type in part 1 or part 2, joined by newlines."""
    return "\n".join("".join(c["source"]) for c in _cells(part) if c["cell_type"] == cell_type)


def test_the_assignment_is_two_parts_that_name_each_other():
    """The two notebooks, in order, and the file names each part gives for the other are theirs."""
    assert sorted(p.name for p in (ROOT / "source" / ASSIGNMENT).glob("*.ipynb")) == PARTS
    assert len(source_notebooks(ASSIGNMENT)) == 2
    assert f"Part 2 (`{PARTS[1]}`)" in _text(1)
    assert f"This part builds on part 1 (`{PARTS[0]}`)" in _text(2)


def _sigma_10_20_30() -> float:
    xs = [10.0, 20.0, 30.0]
    mu = sum(xs) / 3
    return math.sqrt(sum((x - mu) ** 2 for x in xs) / 3)


# (part whose markdown states it, text stated, value it stands for, independent computation)
STATED = [
    (1, "313", 313, math.ceil(10000 / 32)),
    (1, "last one of 16 samples", 16, 10000 - 312 * 32),
    (1, "1.2039728", 1.2039728, -math.log(0.30)),
    (1, "0.2357223", 0.2357223, -math.log(0.79)),
    (1, "1418.28", 1418.28, 37.66**2),
    (1, "27.631021", 27.631021, 12 * math.log(10)),
    (2, "0.0625", 0.0625, math.sqrt(2 / 512)),
    (1, "8.1649658", 8.1649658, _sigma_10_20_30()),
    (1, "1.2247449", 1.2247449, 10 / _sigma_10_20_30()),
]


@pytest.mark.parametrize("part, text, value, exact", STATED, ids=[s[1] for s in STATED])
def test_stated_number_is_right_and_in_the_prose(part, text, value, exact):
    stated(_text(part), text)
    assert value == pytest.approx(exact, abs=0.6 * 10 ** -(len(text.split(".")[-1]) if "." in text else 0))


@pytest.mark.parametrize(
    "part, needle", [(1, "-(-n // B)"), (1, "losses.cross_entropy"), (1, "data.standardize"), (2, "np.sqrt(2 / 512)")]
)
def test_numbers_are_computed_in_the_notebook(part, needle):
    """The cells that print these numbers are still there, in the part that states them."""
    assert needle in _text(part, "code"), f"no code cell of part {part} computes {needle!r} any more"


def test_batch_counts_stated_are_what_minibatches_yields():
    """The prose's n and B, fed to the library's minibatches, give the updates, full and last batch it states."""
    md = _text(1)
    m = re.search(r"\$n\$ = ([\d,]+) samples and \$B\$ = (\d+)", md)
    assert m, "the prose no longer states n and B as '$n$ = ... samples and $B$ = ...'"
    n, B = int(m.group(1).replace(",", "")), int(m.group(2))
    m = re.search(r"= (\d+) updates: (\d+) full batches and a\s+last one of (\d+) samples", md)
    assert m, "the prose no longer states '= U updates: F full batches and a last one of L samples'"
    updates, full, last = map(int, m.groups())
    m = re.search(r"Full-batch descent makes (\d+) update per epoch and single-sample descent ([\d,]+)", md)
    assert m, "the prose no longer states the updates of full-batch and single-sample descent"
    full_batch_updates, single_updates = int(m.group(1)), int(m.group(2).replace(",", ""))

    X = np.arange(n, dtype=float).reshape(n, 1)
    sizes = [len(xb) for xb, _ in minibatches(X, X, B, shuffle=False)]
    assert (len(sizes), sizes.count(B), sizes[-1]) == (updates, full, last), (
        f"minibatches with n={n}, B={B} yields {len(sizes)} batches, {sizes.count(B)} of {B}, the last of "
        f"{sizes[-1]}; the prose says {updates}, {full}, {last}"
    )
    assert full + 1 == updates and full * B + last == n and 0 < last < B  # plain arithmetic agrees
    shuffled = [xb[:, 0] for xb, _ in minibatches(X, X, B, shuffle=True, rng=0)]
    assert [len(b) for b in shuffled] == sizes, "shuffling changes the order, not the batch sizes"
    assert np.array_equal(np.sort(np.concatenate(shuffled)), X[:, 0]), "an epoch uses every sample exactly once"
    assert len(list(minibatches(X, X, n))) == full_batch_updates
    assert len(list(minibatches(X, X, 1))) == single_updates


def _split_sizes(cell_id: str):
    """(n of the data.two_moons(n, ...) calls, sizes of the distinct X[a:b] slices in order) of a cell of part 2."""
    cell = next(c for c in _cells(2) if c.get("id") == cell_id)
    tree = ast.parse("".join(cell["source"]))
    calls = [
        node for node in ast.walk(tree) if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("two_moons")
    ]
    sizes = {ast.literal_eval(call.args[0]) for call in calls}  # the visible checks and the hidden tests alike
    assert len(sizes) == 1, f"{cell_id}: expected one size of two_moons data, found {sorted(sizes)}"
    (n,) = sizes
    slices = {
        (ast.literal_eval(s.lower) if s.lower else None, ast.literal_eval(s.upper) if s.upper else None)
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript)
        and isinstance(s := node.slice, ast.Slice)
        and ast.unparse(node.value) in ("X", "X_moons")
    }
    parts = sorted((range(n)[slice(a, b)] for a, b in slices), key=lambda r: r.start)
    covered = [i for part in parts for i in part]
    assert covered == list(range(n)), f"{cell_id}: the slices {sorted(slices, key=str)} do not split {n} points"
    return n, [len(part) for part in parts]


@pytest.mark.parametrize("cell_id", ["moons_data", "test_moons_classifier"])
def test_moons_split_stated_is_the_split_the_code_makes(cell_id):
    """'500 points ... 300 for training, 100 for validation and 100 held out': the cell's slices of its data."""
    m = re.search(
        r"Below are (\d+) points of two moons.*?split into (\d+) for training, (\d+) for\s+validation "
        r"and (\d+) held out",
        _text(2),
        re.S,
    )
    assert m, "the prose no longer states the moons split as 'N points ... a for training, b for validation ...'"
    total, *split = map(int, m.groups())
    assert _split_sizes(cell_id) == (total, split)


def test_example_probabilities_sum_to_one():
    md = _text(1)
    for text in ("[0.23, 0.30, 0.23, 0.24]", "[0.06, 0.79, 0.06, 0.09]"):
        assert text in md
        assert math.isclose(sum(float(v) for v in text.strip("[]").split(", ")), 1.0)


@pytest.mark.parametrize("part", [1, 2])
def test_estimated_time_names_the_sections_and_the_readmes_state_it(part):
    """The estimated time (its sum is test_notebooks_format's) lists each heading's section, 1, 2, ..., in order,
    and both READMEs give each part its total."""
    nb = nbformat.read(ROOT / "source" / ASSIGNMENT / PARTS[part - 1], 4)
    total, _ = fmt.estimated_time(nb)
    headings = re.findall(r"^## (\d+)\. ", _text(part), re.M)
    named = re.findall(r"section (\d+)\s+\(", nb.cells[0].source)
    assert named == headings == [str(k) for k in range(1, len(headings) + 1)], (
        f"part {part}: the estimated time names the sections {named}, the headings are {headings}"
    )
    stem = PARTS[part - 1].removesuffix(".ipynb")
    for readme in ("README.md", "source/README.md"):
        text = (ROOT / readme).read_text(encoding="utf-8")
        assert re.search(rf"`{stem}(?:\.ipynb)?` \(about {total} min\)", text), (
            f"{readme} does not give {stem} its {total} minutes"
        )


def test_shuffle_accuracies_stated_are_the_experiments_output():
    """The prose's 95 % and 50 % are what the experiment prints in the answer key (whose outputs nbval
    reproduces): 50.0 % for both unshuffled orders, at least 95 % shuffled."""
    nb = nbformat.read(ROOT / "solutions" / "05_sgd" / PARTS[0], as_version=4)
    cell = next(c for c in nb.cells if c.get("id") == "shuffle_experiment")
    printed = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
    acc = {m[0]: float(m[1]) for m in re.findall(r"(\w+): held-out accuracy ([\d.]+)%", printed)}
    assert set(acc) == {"parabola_first", "random_first", "shuffled"}, printed
    assert acc["parabola_first"] == acc["random_first"] == 50.0 and acc["shuffled"] >= 95.0, acc
    stated(_text(1), "reaches the lecture's 95 %. Unshuffled, it ends at 50 % in both orders")
