"""Property tests: whole networks of random depth, width and activations pass a gradient check,
and shallownet.gradcheck itself is right.

The networks are checked with a central difference written here (the fourth-order
stencil [1, −8, 0, 8, −1] / 12h), so the check does not lean on the library's own
numerical_gradient. The error measure over all parameters together is
‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖); it must stay below 1e-7
(it is typically around 1e-10). ReLU-type units are kept away from their kink at 0.
"""

import math

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shallownet import Network
from shallownet.gradcheck import numerical_gradient, numerical_gradient_array, rel_error

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "softplus", "identity"]
KINKED = {"relu", "leaky_relu"}
H = 1e-3


def central_difference(f, x, h=H):
    """∂f/∂x entry by entry: (f(x−2h) − 8 f(x−h) + 8 f(x+h) − f(x+2h)) / 12h; x restored."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        vals = {}
        for s in (-2, -1, 1, 2):
            x[i] = old + s * h
            vals[s] = float(f())
        x[i] = old
        grad[i] = (vals[-2] - 8 * vals[-1] + 8 * vals[1] - vals[2]) / (12 * h)
    return grad


def relative_error(a: dict, b: dict) -> float:
    keys = sorted(a)
    a = np.concatenate([a[k].ravel() for k in keys])
    b = np.concatenate([b[k].ravel() for k in keys])
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


@st.composite
def networks(draw, last_choices=("identity", "sigmoid", "tanh")):
    depth = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 5)) for _ in range(depth + 1)]
    acts = [draw(st.sampled_from(HIDDEN)) for _ in range(depth - 1)]
    acts.append(draw(st.sampled_from(last_choices)))
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(1, 5))
    return sizes, acts, seed, n


def build(sizes, acts, seed, n):
    rng = np.random.default_rng(seed)
    net = Network(sizes, acts, seed=seed, init="xavier")
    for k in net.params:  # non-zero biases too
        net.params[k] = net.params[k] + rng.normal(0.0, 0.5, net.params[k].shape)
    return net, rng.normal(0.0, 1.0, (n, sizes[0])), rng


def kink_margin(net, cache):
    """Smallest |Z| feeding a ReLU-type unit (inf if there is none)."""
    margins = [
        np.min(np.abs(act[1]))
        for (_, act), name in zip(cache, net.activations, strict=True)
        if act is not None and name in KINKED
    ]
    return min(margins, default=math.inf)


@settings(max_examples=40, deadline=None, database=None)
@given(spec=networks())
def test_random_networks_backward_passes_gradient_check(spec):
    """backward(dout) equals the central difference of Σ forward(X)·dout for every parameter."""
    net, X, rng = build(*spec)
    out, cache = net.forward(X)
    assume(kink_margin(net, cache) > 20 * H)
    dout = rng.normal(0.0, 1.0, out.shape)
    grads = net.backward(dout, cache)
    num = {k: central_difference(lambda: np.sum(net.forward(X)[0] * dout), net.params[k]) for k in net.params}
    assert relative_error(grads, num) < 1e-7


@settings(max_examples=30, deadline=None, database=None)
@given(spec=networks(last_choices=("softmax",)), loss=st.sampled_from(["softmax_cross_entropy", "cross_entropy"]))
def test_random_softmax_networks_with_cross_entropy(spec, loss):
    sizes, acts, seed, n = spec
    sizes[-1] = max(sizes[-1], 2)
    net, X, rng = build(sizes, acts, seed, n)
    _, cache = net.forward(X)
    assume(kink_margin(net, cache) > 20 * H)
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    _, grads = net.loss(X, Y, loss)
    num = {k: central_difference(lambda: net.loss(X, Y, loss)[0], net.params[k]) for k in net.params}
    assert relative_error(grads, num) < 1e-7


@settings(max_examples=25, deadline=None, database=None)
@given(spec=networks(last_choices=("sigmoid",)), loss=st.sampled_from(["half_sse", "mse", "binary_cross_entropy"]))
def test_random_sigmoid_networks_with_squared_and_binary_losses(spec, loss):
    net, X, rng = build(*spec)
    out, cache = net.forward(X)
    assume(kink_margin(net, cache) > 20 * H)
    Y = rng.integers(0, 2, out.shape).astype(float)
    _, grads = net.loss(X, Y, loss)
    num = {k: central_difference(lambda: net.loss(X, Y, loss)[0], net.params[k]) for k in net.params}
    assert relative_error(grads, num) < 1e-7


# ------------------------------------------------------------------ the library's own gradient checker


@settings(max_examples=25, deadline=None, database=None)
@given(a=st.floats(-3, 3), b=st.floats(-3, 3), c=st.floats(-3, 3))
def test_numerical_gradient_of_a_known_function(a, b, c):
    """f(x) = sin(x0)·x1² + exp(x2/3): the library's central difference equals the calculus."""
    x = np.array([a, b, c])
    before = x.copy()
    num = numerical_gradient(lambda v: math.sin(v[0]) * v[1] ** 2 + math.exp(v[2] / 3), x)
    exact = np.array([math.cos(a) * b * b, 2 * math.sin(a) * b, math.exp(c / 3) / 3])
    np.testing.assert_allclose(num, exact, atol=1e-8)
    np.testing.assert_array_equal(x, before)  # restored after perturbing in place


def test_numerical_gradient_array_is_a_vector_jacobian_product():
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    dout = np.array([[1.0, 2.0], [-1.0, 0.5]])
    num = numerical_gradient_array(lambda v: v**3, x.copy(), dout)
    np.testing.assert_allclose(num, 3 * x**2 * dout, rtol=1e-9)


def test_rel_error_definition():
    """max |a − b| / max(|a| + |b|, 1e-8), entry-wise; zero for equal arrays."""
    a = np.array([1.0, 2.0, 0.0])
    b = np.array([1.0, 2.2, 0.0])
    assert rel_error(a, b) == abs(2.0 - 2.2) / 4.2
    assert rel_error(a, a) == 0.0
    assert rel_error(np.array([1e-10]), np.array([0.0])) == 1e-10 / 1e-8
    assert rel_error(np.zeros(0), np.zeros(0)) == 0.0
