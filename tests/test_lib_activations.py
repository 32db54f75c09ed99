"""shallownet.activations: values, derivatives, gradient checks and numerical stability.

Expected values are computed here with Python's math module, one scalar at a time.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from shallownet import activations as act
from shallownet.gradcheck import numerical_gradient, rel_error
from shallownet.layers import activation_backward, activation_forward

POINTS = [-7.5, -2.0, -0.3, 0.25, 1.0, 3.0, 6.0]


def py_sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


# name -> (scalar f, scalar f') written independently of the library
REFERENCE = {
    "identity": (lambda x: x, lambda x: 1.0),
    "heaviside": (lambda x: 1.0 if x >= 0 else 0.0, lambda x: 0.0),
    "sigmoid": (py_sigmoid, lambda x: py_sigmoid(x) * (1.0 - py_sigmoid(x))),
    "tanh": (math.tanh, lambda x: 1.0 - math.tanh(x) ** 2),
    "relu": (lambda x: max(0.0, x), lambda x: 1.0 if x > 0 else 0.0),
    "leaky_relu": (lambda x: x if x > 0 else 0.01 * x, lambda x: 1.0 if x > 0 else 0.01),
    "softplus": (lambda x: math.log1p(math.exp(x)), py_sigmoid),
}
ELEMENTWISE = sorted(REFERENCE)
SMOOTH = ["identity", "sigmoid", "tanh", "softplus"]
KINKED = ["relu", "leaky_relu", "heaviside"]  # derivative jumps at 0


def functions(name):
    return getattr(act, name), getattr(act, name + "_grad")


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_values_and_derivatives_match_scalar_formulas(name):
    """f and f' on a grid, as a (2, 7) array, equal the scalar formulas to 1e-14 and keep the shape."""
    f, df = functions(name)
    ref_f, ref_df = REFERENCE[name]
    z = np.array([POINTS, [p / 2 for p in POINTS]])
    got, dgot = f(z), df(z)
    assert got.shape == z.shape and dgot.shape == z.shape
    assert got.dtype == np.float64 and dgot.dtype == np.float64
    for idx in np.ndindex(z.shape):
        assert got[idx] == pytest.approx(ref_f(z[idx]), rel=1e-14, abs=1e-15), (name, z[idx])
        assert dgot[idx] == pytest.approx(ref_df(z[idx]), rel=1e-12, abs=1e-15), (name, z[idx])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_scalars_lists_and_ints_are_accepted(name):
    """A Python scalar, a list and an int array give the same values as the float array."""
    f, _ = functions(name)
    expected = f(np.array([-2.0, 0.0, 3.0]))
    np.testing.assert_array_equal(f([-2, 0, 3]), expected)
    np.testing.assert_array_equal(f(np.array([-2, 0, 3])), expected)
    assert f(3.0).shape == ()
    assert float(f(3.0)) == expected[2]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_inputs_are_not_modified(name):
    f, df = functions(name)
    z = np.array([-1.0, 0.5, 2.0])
    before = z.copy()
    f(z)
    df(z)
    np.testing.assert_array_equal(z, before)


def test_conventions_at_zero():
    """At 0: heaviside 1, relu' 0, leaky' alpha, sigmoid 1/2 with slope 1/4, tanh' 1, softplus log 2."""
    assert act.heaviside(0.0) == 1.0
    assert act.relu_grad(0.0) == 0.0
    assert act.leaky_relu_grad(0.0) == 0.01
    assert act.sigmoid(0.0) == 0.5 and act.sigmoid_grad(0.0) == 0.25
    assert act.tanh_grad(0.0) == 1.0
    assert act.softplus(0.0) == pytest.approx(math.log(2.0), rel=1e-15)
    assert act.leaky_relu(-2.0, alpha=0.2) == pytest.approx(-0.4)
    assert act.leaky_relu_grad(-2.0, alpha=0.2) == pytest.approx(0.2)


def test_sigmoid_slope_is_at_most_a_quarter():
    """Why deep sigmoid stacks vanish: σ' <= 0.25 everywhere, with equality only at 0."""
    z = np.linspace(-50, 50, 10_001)
    s = act.sigmoid_grad(z)
    assert s.max() == 0.25
    assert np.all(s[z != 0] < 0.25)


# ------------------------------------------------------------------ gradient checks


def away_from_kinks(z, margin=1e-3):
    """Push entries out of (-margin, margin): the kinked derivatives jump at 0."""
    return np.where(np.abs(z) < margin, np.where(z < 0, -margin, margin) * 3, z)


@settings(max_examples=30, deadline=None, database=None)
@given(
    name=st.sampled_from(ELEMENTWISE),
    z=arrays(
        np.float64, st.tuples(st.integers(1, 4), st.integers(1, 5)), elements=st.floats(-5.0, 5.0, allow_nan=False)
    ),
)
def test_elementwise_derivatives_pass_central_differences(name, z):
    """f' agrees with central differences of Σ f(z)·r (relative error < 1e-7) on random shapes."""
    f, df = functions(name)
    z = away_from_kinks(z.copy())
    r = np.random.default_rng(z.size).uniform(0.5, 1.5, z.shape)  # weights of the scalar test function
    num = numerical_gradient(lambda v: np.sum(f(v) * r), z)
    assert rel_error(df(z) * r, num) < 1e-7


@settings(max_examples=30, deadline=None, database=None)
@given(
    name=st.sampled_from([*ELEMENTWISE, "softmax"]),
    n=st.integers(1, 4),
    k=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_activation_layer_backward_passes_central_differences(name, n, k, seed):
    """activation_backward (softmax's Jacobian-vector product included) against central differences."""
    rng = np.random.default_rng(seed)
    Z = away_from_kinks(rng.uniform(-4, 4, (n, k)))
    dA = rng.uniform(0.5, 1.5, (n, k))
    A, cache = activation_forward(Z, name)
    dZ = activation_backward(dA, cache)
    assert dZ.shape == Z.shape
    num = numerical_gradient(lambda v: np.sum(activation_forward(v, name)[0] * dA), Z.copy())
    if name == "softmax" and k == 1:  # softmax of one logit is the constant 1
        assert np.all(A == 1.0) and np.allclose(dZ, 0.0, atol=1e-15) and np.allclose(num, 0.0, atol=1e-10)
        return
    if name == "softmax":
        # The softmax JVP S*(dA - S.dA) cancels: one entry can be 1e-5 of the others, below what a central
        # difference resolves entry by entry, so the error is measured over the whole gradient.
        assert np.linalg.norm(dZ - num) / (np.linalg.norm(dZ) + np.linalg.norm(num)) < 1e-7
    else:
        assert rel_error(dZ, num) < 1e-7


def test_softmax_jacobian_matches_closed_form_and_differences():
    """diag(s) − s sᵀ: symmetric, rows sum to 0, and equal to central differences column by column."""
    z = np.array([0.3, -1.2, 2.0, 0.0])
    s = act.softmax(z)
    J = act.softmax_jacobian(s)
    for i in range(4):
        for j in range(4):
            expected = s[i] * ((1.0 if i == j else 0.0) - s[j])
            assert J[i, j] == pytest.approx(expected, abs=1e-16)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-16)
    for i in range(4):
        num = numerical_gradient(lambda v, i=i: act.softmax(v)[i], z.copy())
        assert rel_error(J[i], num) < 1e-7


# ------------------------------------------------------------------ softmax


def test_softmax_values_match_a_scalar_computation():
    z = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 5.0]])
    s = act.softmax(z)
    for i in range(2):
        total = sum(math.exp(v) for v in z[i])
        for j in range(3):
            assert s[i, j] == pytest.approx(math.exp(z[i, j]) / total, rel=1e-14)
    np.testing.assert_allclose(act.softmax(z[0]), s[0], rtol=1e-15)
    np.testing.assert_allclose(act.log_softmax(z), np.log(s), rtol=1e-14)


@settings(max_examples=40, deadline=None, database=None)
@given(
    z=arrays(
        np.float64,
        st.tuples(st.integers(1, 5), st.integers(1, 6)),
        elements=st.floats(-1000.0, 1000.0, allow_nan=False),
    ),
    c=st.floats(-1000.0, 1000.0),
)
def test_softmax_and_log_softmax_invariant_to_a_constant_per_row(z, c):
    """softmax(z + c) = softmax(z) and log_softmax likewise, also with a different c per row; rows sum to 1."""
    s = act.softmax(z)
    np.testing.assert_allclose(s.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(s >= 0) and np.all(np.isfinite(s))
    per_row = c * np.linspace(-1, 1, z.shape[0]).reshape(-1, 1)
    for shift in (c, per_row):
        np.testing.assert_allclose(act.softmax(z + shift), s, rtol=1e-9, atol=1e-300)
        ls = act.log_softmax(z)
        assert np.all(np.isfinite(ls))
        np.testing.assert_allclose(act.log_softmax(z + shift), ls, rtol=1e-9, atol=1e-9)


# ------------------------------------------------------------------ stability

EXTREME = np.array([-1000.0, -745.0, -709.0, -50.0, -1e-300, 0.0, 1e-300, 50.0, 709.0, 745.0, 1000.0])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_no_warnings_and_finite_for_plus_minus_1000(name):
    """Every activation and derivative at ±1000: finite, no overflow/invalid/divide warning."""
    f, df = functions(name)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out, dout = f(EXTREME), df(EXTREME)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(dout))


def test_limits_at_plus_minus_1000():
    assert act.sigmoid(1000.0) == 1.0 and act.sigmoid(-1000.0) == 0.0
    assert act.sigmoid(-700.0) == pytest.approx(math.exp(-700.0), rel=1e-12)
    assert act.sigmoid_grad(1000.0) == 0.0 and act.sigmoid_grad(-1000.0) == 0.0
    assert act.tanh(1000.0) == 1.0 and act.tanh(-1000.0) == -1.0
    assert act.softplus(1000.0) == 1000.0 and act.softplus(-1000.0) == 0.0
    assert act.softplus(-30.0) == pytest.approx(math.log1p(math.exp(-30.0)), rel=1e-14)
    assert act.softplus_grad(1000.0) == 1.0
    assert act.relu(-1000.0) == 0.0 and act.leaky_relu(-1000.0) == pytest.approx(-10.0)


def test_softmax_at_plus_minus_1000():
    z = np.array([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, 1000.0], [-1000.0, -1000.0, -999.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = act.softmax(z)
        ls = act.log_softmax(z)
    np.testing.assert_allclose(s[0], [1.0, 0.0, 0.0], atol=1e-300)
    np.testing.assert_allclose(s[1], [1 / 3] * 3, rtol=1e-15)
    e = math.exp(-1.0)
    np.testing.assert_allclose(s[2], [e / (2 * e + 1), e / (2 * e + 1), 1 / (2 * e + 1)], rtol=1e-14)
    assert ls[0, 1] == pytest.approx(-2000.0, rel=1e-15)
    assert np.all(np.isfinite(ls))


def test_get_returns_pairs_and_names_the_choices():
    for name in ELEMENTWISE:
        f, df = act.get(name)
        assert f is getattr(act, name) and df is getattr(act, name + "_grad")
    with pytest.raises(ValueError, match=r"unknown activation 'sigmod'.*sigmoid"):
        act.get("sigmod")
    with pytest.raises(TypeError, match="activation must be a name"):
        act.get(3)
