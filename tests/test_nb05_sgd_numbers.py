"""Every number the prose of 05_sgd states, recomputed here independently (plain math) and found in the notebook."""
from __future__ import annotations

import math

import pytest

from conftest import markdown, notebook_text, stated

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
    ("1418.28", 1418.28, 37.66 ** 2),
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


def test_split_and_batches_stated_match():
    """312 full batches and one of 16 make 10,000; the moons split 300/100/100 makes 500."""
    assert 312 * 32 + 16 == 10000
    md = markdown(ASSIGNMENT)
    assert "312 full batches" in md and "300 for training, 100 for\nvalidation and 100 held out" in md


def test_example_probabilities_sum_to_one():
    md = markdown(ASSIGNMENT)
    for text in ("[0.23, 0.30, 0.23, 0.24]", "[0.06, 0.79, 0.06, 0.09]"):
        assert text in md
        assert math.isclose(sum(float(v) for v in text.strip("[]").split(", ")), 1.0)
