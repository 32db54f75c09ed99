"""shallownet.layers and shallownet.network: the layer contract, shapes, caches and parameter names.

Expected values are written out with explicit loops over samples and units.
"""

import math

import numpy as np
import pytest

from shallownet import Network
from shallownet.gradcheck import numerical_gradient, numerical_gradient_array, rel_error
from shallownet.layers import activation_backward, activation_forward, dense_backward, dense_forward

RNG = np.random.default_rng(7)
X = RNG.normal(size=(4, 3))
W = RNG.normal(size=(3, 2))
B = RNG.normal(size=2)


def test_dense_forward_equals_the_sum_written_out():
    """Z[n, j] = Σ_i X[n, i] W[i, j] + b[j]; the cache holds (X, W)."""
    Z, cache = dense_forward(X, W, B)
    assert Z.shape == (4, 2)
    for n in range(4):
        for j in range(2):
            assert Z[n, j] == pytest.approx(sum(X[n, i] * W[i, j] for i in range(3)) + B[j], abs=1e-14)
    assert cache[0] is X and cache[1] is W


def test_dense_backward_equals_the_sums_written_out():
    """dX = dZ Wᵀ, dW = Xᵀ dZ, db = Σ_n dZ: same shapes as X, W, b."""
    dZ = RNG.normal(size=(4, 2))
    _, cache = dense_forward(X, W, B)
    dX, dW, db = dense_backward(dZ, cache)
    assert dX.shape == X.shape and dW.shape == W.shape and db.shape == B.shape
    for n in range(4):
        for i in range(3):
            assert dX[n, i] == pytest.approx(sum(dZ[n, j] * W[i, j] for j in range(2)), abs=1e-14)
    for i in range(3):
        for j in range(2):
            assert dW[i, j] == pytest.approx(sum(X[n, i] * dZ[n, j] for n in range(4)), abs=1e-14)
    for j in range(2):
        assert db[j] == pytest.approx(sum(dZ[n, j] for n in range(4)), abs=1e-14)


@pytest.mark.parametrize("shape", [(1, 1, 1), (5, 3, 4), (2, 6, 1)])
def test_dense_layer_passes_central_differences(shape):
    """dX, dW, db of the dense layer against central differences (relative error < 1e-7)."""
    n, d_in, d_out = shape
    rng = np.random.default_rng(sum(shape))
    Xs, Ws, bs = rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out)
    dZ = rng.normal(size=(n, d_out))
    _, cache = dense_forward(Xs, Ws, bs)
    dX, dW, db = dense_backward(dZ, cache)
    # linear in each argument: central differences are exact for any h, so take a large one
    h = 1e-2
    assert rel_error(dX, numerical_gradient_array(lambda v: dense_forward(v, Ws, bs)[0], Xs.copy(), dZ, h)) < 1e-7
    assert rel_error(dW, numerical_gradient_array(lambda v: dense_forward(Xs, v, bs)[0], Ws.copy(), dZ, h)) < 1e-7
    assert rel_error(db, numerical_gradient_array(lambda v: dense_forward(Xs, Ws, v)[0], bs.copy(), dZ, h)) < 1e-7


def test_activation_forward_caches_and_backward_contract():
    Z = np.array([[-1.0, 0.5], [2.0, -0.25]])
    A, cache = activation_forward(Z, "tanh")
    for idx in np.ndindex(Z.shape):
        assert A[idx] == pytest.approx(math.tanh(Z[idx]), rel=1e-15)
    dA = np.array([[1.0, 2.0], [3.0, 4.0]])
    dZ = activation_backward(dA, cache)
    for idx in np.ndindex(Z.shape):
        assert dZ[idx] == pytest.approx(dA[idx] * (1 - math.tanh(Z[idx]) ** 2), rel=1e-14)
    # a cache written by hand the older way (no A) still works
    np.testing.assert_allclose(activation_backward(dA, ("tanh", Z, None)), dZ, rtol=1e-15)


def test_softmax_layer_backward_is_the_jacobian_product():
    Z = np.array([[0.2, -1.0, 3.0]])
    A, cache = activation_forward(Z, "softmax")
    dA = np.array([[0.5, -2.0, 1.0]])
    s = A[0]
    expected = [sum(dA[0, i] * s[i] * ((1.0 if i == j else 0.0) - s[j]) for i in range(3)) for j in range(3)]
    np.testing.assert_allclose(activation_backward(dA, cache)[0], expected, rtol=1e-13, atol=1e-16)


# ------------------------------------------------------------------ the network


def test_parameter_names_and_shapes():
    net = Network([3, 5, 4, 2], ["relu", "tanh", "sigmoid"], seed=0)
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert [net.params[k].shape for k in net.params] == [(3, 5), (5,), (5, 4), (4,), (4, 2), (2,)]
    assert net.num_layers == 3
    assert all(np.all(net.params[f"b{layer}"] == 0) for layer in (1, 2, 3))
    assert "sizes=[3, 5, 4, 2]" in repr(net)


def test_one_activation_name_for_every_layer():
    assert Network([2, 3, 1], "tanh").activations == ["tanh", "tanh"]


def test_seeded_initialisation_is_reproducible_and_scaled():
    a, b = Network([50, 400, 1], "relu", seed=3), Network([50, 400, 1], "relu", seed=3)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    assert a.params["W1"].std() == pytest.approx(math.sqrt(2 / 50), rel=0.05)  # He
    x = Network([50, 400, 1], "tanh", seed=3, init="xavier")
    assert x.params["W1"].std() == pytest.approx(math.sqrt(1 / 50), rel=0.05)
    assert Network([50, 400, 1], "tanh", seed=3, init="normal", scale=0.3).params["W1"].std() == pytest.approx(
        0.3, rel=0.05
    )
    assert np.all(Network([2, 3, 1], "tanh", init="zeros").params["W1"] == 0)


def test_forward_equals_a_loop_over_samples_and_units():
    """The vectorised forward equals the network evaluated one sample, one unit at a time."""
    net = Network([3, 4, 2], ["tanh", "sigmoid"], seed=1)
    for k in net.params:
        net.params[k] += 0.1
    Xs = np.random.default_rng(2).normal(size=(5, 3))
    out, cache = net.forward(Xs)
    W1, b1, W2, b2 = (net.params[k] for k in ("W1", "b1", "W2", "b2"))
    for n in range(5):
        h = [math.tanh(sum(Xs[n, i] * W1[i, j] for i in range(3)) + b1[j]) for j in range(4)]
        for j in range(2):
            o = 1 / (1 + math.exp(-(sum(h[i] * W2[i, j] for i in range(4)) + b2[j])))
            assert out[n, j] == pytest.approx(o, rel=1e-13)
    assert len(cache) == 2
    np.testing.assert_array_equal(net.predict(Xs), out)


def test_logits_skip_the_last_activation():
    net = Network([2, 3, 3], ["relu", "softmax"], seed=0)
    Xs = np.random.default_rng(0).normal(size=(4, 2))
    Z, _ = net.forward(Xs, logits=True)
    probs = net.predict(Xs)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    np.testing.assert_allclose(probs, e / e.sum(axis=1, keepdims=True), rtol=1e-14)


def test_backward_returns_the_keys_and_shapes_of_params():
    net = Network([3, 4, 4, 2], ["relu", "tanh", "identity"], seed=0)
    Xs = np.random.default_rng(0).normal(size=(6, 3))
    out, cache = net.forward(Xs)
    grads = net.backward(np.ones_like(out), cache)
    assert set(grads) == set(net.params)
    for k in net.params:
        assert grads[k].shape == net.params[k].shape


@pytest.mark.parametrize(
    "loss,last",
    [
        ("half_sse", "sigmoid"),
        ("mse", "identity"),
        ("binary_cross_entropy", "sigmoid"),
        ("cross_entropy", "softmax"),
        ("softmax_cross_entropy", "softmax"),
    ],
)
def test_network_loss_gradients_pass_central_differences(loss, last):
    """Network.loss for each loss name: every parameter against central differences."""
    rng = np.random.default_rng(11)
    net = Network([3, 5, 3], ["tanh", last], seed=4, init="xavier")
    Xs = rng.normal(size=(6, 3))
    Y = np.eye(3)[rng.integers(0, 3, 6)] if last == "softmax" else rng.uniform(0.1, 0.9, (6, 3))
    if loss == "binary_cross_entropy":
        Y = (Y > 0.5).astype(float)
    _, grads = net.loss(Xs, Y, loss)
    for k in net.params:
        num = numerical_gradient(lambda _: net.loss(Xs, Y, loss)[0], net.params[k])
        assert rel_error(grads[k], num) < 1e-7, k


def test_softmax_cross_entropy_and_cross_entropy_agree():
    """The short-cut (softmax − y)/n at the logits gives the same gradients as the Jacobian route."""
    rng = np.random.default_rng(5)
    net = Network([2, 4, 3], ["sigmoid", "softmax"], seed=2)
    Xs, Y = rng.normal(size=(7, 2)), np.eye(3)[rng.integers(0, 3, 7)]
    v1, g1 = net.loss(Xs, Y, "softmax_cross_entropy")
    v2, g2 = net.loss(Xs, Y, "cross_entropy")
    assert v1 == pytest.approx(v2, rel=1e-12)
    for k in g1:
        np.testing.assert_allclose(g1[k], g2[k], rtol=1e-9, atol=1e-14)


def test_copy_is_independent():
    net = Network([2, 3, 1], "tanh", seed=0)
    other = net.copy()
    other.params["W1"] += 1.0
    assert not np.array_equal(net.params["W1"], other.params["W1"])
    assert other.sizes == net.sizes and other.activations == net.activations
    Xs = np.ones((1, 2))
    np.testing.assert_array_equal(net.copy().predict(Xs), net.predict(Xs))


def test_forward_does_not_modify_inputs_and_accepts_lists():
    net = Network([2, 3, 1], "sigmoid", seed=0)
    Xs = np.array([[0.5, -1.0]])
    before = Xs.copy()
    out = net.predict(Xs)
    np.testing.assert_array_equal(Xs, before)
    np.testing.assert_array_equal(net.predict([[0.5, -1.0]]), out)
    np.testing.assert_array_equal(net.predict(np.array([[1, 0]])), net.predict([[1.0, 0.0]]))


def test_many_samples_vectorised_equals_one_at_a_time():
    net = Network([4, 8, 3], ["relu", "softmax"], seed=9)
    Xs = np.random.default_rng(1).normal(size=(50, 4))
    Y = np.eye(3)[np.arange(50) % 3]
    batch = net.predict(Xs)
    for n in range(0, 50, 7):
        np.testing.assert_allclose(net.predict(Xs[n : n + 1])[0], batch[n], rtol=1e-13)
    # gradients of the mean loss = mean of per-sample gradients
    _, g = net.loss(Xs, Y, "softmax_cross_entropy")
    per = [net.loss(Xs[n : n + 1], Y[n : n + 1], "softmax_cross_entropy")[1] for n in range(50)]
    for k in g:
        np.testing.assert_allclose(g[k], sum(p[k] for p in per) / 50, rtol=1e-10, atol=1e-15)
