"""shallownet.losses: values against scalar sums, gradients against central differences, stability.

Every expected value is a plain Python loop over the entries.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shallownet import losses
from shallownet.activations import softmax
from shallownet.gradcheck import numerical_gradient, rel_error

Y_HAT = np.array([[0.2, 0.7], [0.9, 0.1], [0.5, 0.45]])
Y01 = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def entries(a):
    return [float(v) for v in np.ravel(a)]


def test_half_sse_value_and_gradient():
    E, g = losses.half_sse(Y_HAT, Y01)
    expected = sum(0.5 * (t - o) ** 2 for o, t in zip(entries(Y_HAT), entries(Y01), strict=True))
    assert E == pytest.approx(expected, rel=1e-15)
    np.testing.assert_allclose(g, Y_HAT - Y01, rtol=0, atol=0)
    assert isinstance(E, float) and g.shape == Y_HAT.shape


def test_mse_value_and_gradient():
    L, g = losses.mse(Y_HAT, Y01)
    pairs = list(zip(entries(Y_HAT), entries(Y01), strict=True))
    assert L == pytest.approx(sum((o - t) ** 2 for o, t in pairs) / len(pairs), rel=1e-15)
    np.testing.assert_allclose(g.ravel(), [2 * (o - t) / len(pairs) for o, t in pairs], rtol=1e-15)


def test_binary_cross_entropy_value_and_gradient():
    L, g = losses.binary_cross_entropy(Y_HAT, Y01)
    pairs = list(zip(entries(Y_HAT), entries(Y01), strict=True))
    expected = -sum(t * math.log(p) + (1 - t) * math.log(1 - p) for p, t in pairs) / len(pairs)
    assert L == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(g.ravel(), [(-t / p + (1 - t) / (1 - p)) / len(pairs) for p, t in pairs], rtol=1e-13)


def test_cross_entropy_value_and_gradient():
    P = softmax(np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]]))
    Y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    L, g = losses.cross_entropy(P, Y)
    assert L == pytest.approx(-(math.log(P[0, 1]) + math.log(P[1, 0])) / 2, rel=1e-14)
    expected = np.zeros_like(P)
    expected[0, 1] = -1 / P[0, 1] / 2
    expected[1, 0] = -1 / P[1, 0] / 2
    np.testing.assert_allclose(g, expected, rtol=1e-14)


def test_softmax_cross_entropy_value_and_shortcut_gradient():
    Z = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    Y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    L, g = losses.softmax_cross_entropy(Z, Y)
    expected = 0.0
    for i, label in enumerate([1, 0]):
        logsum = math.log(sum(math.exp(v) for v in Z[i]))
        expected += -(Z[i, label] - logsum) / 2
    assert L == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(g, (softmax(Z) - Y) / 2, rtol=1e-14)
    # the same as cross_entropy of the probabilities
    assert L == pytest.approx(losses.cross_entropy(softmax(Z), Y)[0], rel=1e-13)


def test_half_sse_is_half_the_sum_and_mse_the_mean():
    E, _ = losses.half_sse(Y_HAT, Y01)
    M, _ = losses.mse(Y_HAT, Y01)
    assert 2 * E / Y_HAT.size == pytest.approx(M, rel=1e-15)


def test_perfect_predictions_cost_nothing():
    assert losses.half_sse(Y01, Y01) == (0.0, pytest.approx(np.zeros((3, 2))))
    assert losses.mse(Y01, Y01)[0] == 0.0
    assert losses.binary_cross_entropy(Y01, Y01)[0] == pytest.approx(0.0, abs=1e-11)
    onehot = np.eye(3)
    assert losses.cross_entropy(onehot, onehot)[0] == pytest.approx(0.0, abs=1e-15)


# ------------------------------------------------------------------ gradient checks

PROB_LOSSES = ["binary_cross_entropy", "cross_entropy"]


@settings(max_examples=30, deadline=None, database=None)
@given(
    name=st.sampled_from(sorted(losses.LOSSES)),
    n=st.integers(1, 5),
    k=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_loss_gradient_passes_central_differences(name, n, k, seed):
    """d loss / d input against central differences, relative error < 1e-7, random shapes."""
    rng = np.random.default_rng(seed)
    if name == "softmax_cross_entropy":
        x = rng.normal(0, 1, (n, k))
    elif name in PROB_LOSSES:
        x = rng.uniform(0.05, 0.95, (n, k))  # probabilities, away from the clipping
    else:
        x = rng.normal(0, 1, (n, k))
    if name in ("cross_entropy", "softmax_cross_entropy"):
        y = np.eye(k)[rng.integers(0, k, n)]
    elif name == "binary_cross_entropy":
        y = rng.integers(0, 2, (n, k)).astype(float)
    else:
        y = rng.normal(0, 1, (n, k))
    fn = losses.get(name)
    value, grad = fn(x, y)
    assert isinstance(value, float) and grad.shape == x.shape
    # a quadratic's central difference is exact for any h: a larger h only cuts rounding error
    h = 1e-3 if name in ("half_sse", "mse") else 1e-5
    num = numerical_gradient(lambda v: fn(v, y)[0], x.copy(), h=h)
    assert rel_error(grad, num) < 1e-7


# ------------------------------------------------------------------ stability and clipping


def test_cross_entropies_clip_instead_of_log_zero():
    """p = 0 or 1 exactly: finite loss and gradient, no divide-by-zero warning; log(1e-12) is the cap."""
    p = np.array([[0.0, 1.0], [1.0, 0.0]])
    y = np.array([[1.0, 0.0], [1.0, 0.0]])
    with np.errstate(all="raise"):
        L, g = losses.cross_entropy(p, y)
        Lb, gb = losses.binary_cross_entropy(p, y)
    assert L == pytest.approx(-math.log(1e-12) / 2, rel=1e-12)
    assert np.all(np.isfinite(g)) and np.all(np.isfinite(gb))
    pc = [1e-12, 1.0 - 1e-12, 1.0 - 1e-12, 1e-12]  # p clipped, entry by entry
    t = [1.0, 0.0, 1.0, 0.0]
    expected = -sum(ti * math.log(pi) + (1 - ti) * math.log1p(-pi) for pi, ti in zip(pc, t, strict=True)) / 4
    assert Lb == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_softmax_cross_entropy_is_stable_for_huge_logits(scale):
    """Logits ±1000: finite loss equal to the log-sum-exp formula, no warning."""
    Z = scale * np.array([[1.0, -1.0, 0.0], [-1.0, -1.0, 1.0]])
    Y = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        L, g = losses.softmax_cross_entropy(Z, Y)
    assert np.isfinite(L) and np.all(np.isfinite(g))
    m0 = max(Z[0])
    lse0 = m0 + math.log(sum(math.exp(v - m0) for v in Z[0]))
    m1 = max(Z[1])
    lse1 = m1 + math.log(sum(math.exp(v - m1) for v in Z[1]))
    assert L == pytest.approx(((lse0 - Z[0, 1]) + (lse1 - Z[1, 2])) / 2, rel=1e-12)


@settings(max_examples=25, deadline=None, database=None)
@given(c=st.floats(-1000, 1000), seed=st.integers(0, 2**32 - 1))
def test_softmax_cross_entropy_invariant_to_a_constant(c, seed):
    rng = np.random.default_rng(seed)
    Z = rng.normal(0, 3, (4, 3))
    Y = np.eye(3)[rng.integers(0, 3, 4)]
    L, g = losses.softmax_cross_entropy(Z, Y)
    L2, g2 = losses.softmax_cross_entropy(Z + c, Y)
    assert L2 == pytest.approx(L, rel=1e-9, abs=1e-9)
    np.testing.assert_allclose(g2, g, rtol=1e-8, atol=1e-12)


def test_squared_losses_at_1000_are_finite():
    with np.errstate(all="raise"):
        E, g = losses.half_sse(np.array([[1000.0, -1000.0]]), np.array([[-1000.0, 1000.0]]))
    assert E == 0.5 * (2000.0**2) * 2 and np.all(np.isfinite(g))


def test_get_names_the_choices():
    assert losses.get("mse") is losses.mse
    with pytest.raises(ValueError, match=r"unknown loss 'mae'.*'mse'"):
        losses.get("mae")
    with pytest.raises(TypeError, match="loss must be a name"):
        losses.get(None)
