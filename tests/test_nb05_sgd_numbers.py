"""Every number the prose of 05_sgd states, recomputed here independently (plain math) and found in the notebook."""

from __future__ import annotations

import ast
import math
import re

import numpy as np
import pytest

from conftest import markdown, notebook_text, source_notebook, stated
from shallownet.train import minibatches

ASSIGNMENT = "05_sgd"


def _sigma_10_20_30() -> float:
    xs = [10.0, 20.0, 30.0]
    mu = sum(xs) / 3
    return math.sqrt(sum((x - mu) ** 2 for x in xs) / 3)


# (text stated in the markdown, value it stands for, independent computation)
STATED = [
    ("313", 313, math.ceil(10000 / 32)),
    ("last one of 16 samples", 16, 10000 - 312 * 32),
    ("1.2039728", 1.2039728, -math.log(0.30)),
    ("0.2357223", 0.2357223, -math.log(0.79)),
    ("1418.28", 1418.28, 37.66**2),
    ("27.631021", 27.631021, 12 * math.log(10)),
    ("0.0625", 0.0625, math.sqrt(2 / 512)),
    ("8.1649658", 8.1649658, _sigma_10_20_30()),
    ("1.2247449", 1.2247449, 10 / _sigma_10_20_30()),
]


@pytest.mark.parametrize("text, value, exact", STATED, ids=[s[0] for s in STATED])
def test_stated_number_is_right_and_in_the_prose(text, value, exact):
    stated(markdown(ASSIGNMENT), text)
    assert value == pytest.approx(exact, abs=0.6 * 10 ** -(len(text.split(".")[-1]) if "." in text else 0))


def test_numbers_are_computed_in_the_notebook():
    """The cells that print these numbers are still there."""
    code = notebook_text(ASSIGNMENT, "code")
    for needle in ("-(-n // B)", "losses.cross_entropy", "data.standardize", "np.sqrt(2 / 512)"):
        assert needle in code, f"no code cell computes {needle!r} any more"


def test_batch_counts_stated_are_what_minibatches_yields():
    """The prose's n and B, fed to the library's minibatches, give the updates, full and last batch it states."""
    md = markdown(ASSIGNMENT)
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
    """(n of the data.two_moons(n, ...) calls, sizes of the distinct X[a:b] slices in order) of one code cell."""
    cell = next(c for c in source_notebook(ASSIGNMENT)["cells"] if c.get("id") == cell_id)
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
        markdown(ASSIGNMENT),
        re.S,
    )
    assert m, "the prose no longer states the moons split as 'N points ... a for training, b for validation ...'"
    total, *split = map(int, m.groups())
    assert _split_sizes(cell_id) == (total, split)


def test_example_probabilities_sum_to_one():
    md = markdown(ASSIGNMENT)
    for text in ("[0.23, 0.30, 0.23, 0.24]", "[0.06, 0.79, 0.06, 0.09]"):
        assert text in md
        assert math.isclose(sum(float(v) for v in text.strip("[]").split(", ")), 1.0)
