"""One implementation of each formula: the public functions, Network and fit compute with the same kernels.

These tests would have caught the old twin kernels disagreeing (the network's leaky ReLU derivative
ignored ``alpha``): every public derivative is compared with the kernel the network runs, for several
alphas, and a network is compared with a forward/backward pass built from the public layer functions.
"""

from __future__ import annotations

import ast
import pathlib

import numpy as np
import pytest

from shallownet import Network, activations, data, fit, kernels, layers, losses
from shallownet.optim import GradientDescent

LIB = pathlib.Path(__file__).resolve().parents[1] / "lib" / "shallownet"
Z = np.linspace(-6.0, 6.0, 97).reshape(1, -1) * np.array([[1.0], [0.3], [-2.0]])  # (3, 97), includes 0


@pytest.mark.parametrize("name", sorted(activations.ACTIVATIONS))
def test_every_public_activation_and_derivative_equals_the_kernel_the_network_runs(name):
    f, df = activations.get(name)
    kf, kdf = kernels.ACTIVATIONS[name]
    np.testing.assert_array_equal(f(Z), kf(Z))
    np.testing.assert_array_equal(df(Z), kdf(Z, kf(Z)))  # the network passes a = f(z)
    np.testing.assert_array_equal(df(Z), kdf(Z))  # a hand-built cache passes none
    _, cache = layers.activation_forward(Z, name)
    dA = np.cos(Z)
    np.testing.assert_array_equal(layers.activation_backward(dA, cache), dA * df(Z))


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.1, 0.3, 1.0, -0.5])
def test_leaky_relu_derivative_follows_alpha_in_the_public_function_and_the_kernel(alpha):
    expected = np.where(Z > 0, 1.0, alpha)  # the definition, written out
    np.testing.assert_array_equal(activations.leaky_relu_grad(Z, alpha), expected)
    np.testing.assert_array_equal(kernels.leaky_relu_grad(Z, alpha=alpha), expected)
    np.testing.assert_array_equal(activations.leaky_relu(Z, alpha), np.where(Z > 0, Z, alpha * Z))
    # the derivative is the slope of the function: central differences away from the kink at 0
    h = 1e-6
    z = Z[np.abs(Z) > 1e-3]
    slope = (activations.leaky_relu(z + h, alpha) - activations.leaky_relu(z - h, alpha)) / (2 * h)
    np.testing.assert_allclose(activations.leaky_relu_grad(z, alpha), slope, atol=1e-8)


def test_network_leaky_relu_uses_the_public_default_slope():
    net = Network([3, 4, 2], ["leaky_relu", "identity"], seed=0)
    X = np.random.default_rng(1).normal(size=(6, 3))
    out, cache = net.forward(X)
    (_, (_, Z1, _)), _ = cache
    dout = np.ones_like(out)
    grads = net.backward(dout, cache)
    dA1 = dout @ net.params["W2"].T
    np.testing.assert_array_equal(grads["W1"], X.T @ (dA1 * activations.leaky_relu_grad(Z1)))


@pytest.mark.parametrize("loss", sorted(losses.LOSSES))
def test_public_losses_equal_their_kernels(loss):
    rng = np.random.default_rng(2)
    p = rng.uniform(0.05, 0.95, (5, 3))
    y = data.one_hot(np.array([0, 2, 1, 1, 0]), 3)
    value, grad = losses.get(loss)(p, y)
    k_value, k_grad = kernels.LOSSES[loss](p, y)
    assert value == k_value
    np.testing.assert_array_equal(grad, k_grad)


SPECS = [
    ([2, 5, 1], ["tanh", "sigmoid"], "binary_cross_entropy"),
    ([3, 4, 4, 2], ["relu", "leaky_relu", "softmax"], "softmax_cross_entropy"),
    ([1, 6, 1], ["softplus", "identity"], "mse"),
    ([2, 3, 2], ["sigmoid", "sigmoid"], "half_sse"),
]


@pytest.mark.parametrize("sizes, acts, loss", SPECS)
def test_network_loss_equals_a_pass_through_the_public_layer_functions(sizes, acts, loss):
    """Network.loss against forward/backward written with layers.* and losses.* (the checked functions)."""
    rng = np.random.default_rng(3)
    net = Network(sizes, acts, seed=4)
    X = rng.normal(size=(7, sizes[0]))
    Y = data.one_hot(rng.integers(0, sizes[-1], 7), sizes[-1]) if sizes[-1] > 1 else rng.uniform(0, 1, (7, 1))
    value, grads = net.loss(X, Y, loss)
    A, caches = X, []
    for layer, name in enumerate(acts, start=1):
        Zl, dc = layers.dense_forward(A, net.params[f"W{layer}"], net.params[f"b{layer}"])
        if loss == "softmax_cross_entropy" and layer == len(acts):
            A, ac = Zl, None
        else:
            A, ac = layers.activation_forward(Zl, name)
        caches.append((dc, ac))
    expected, d = losses.get(loss)(A, Y)
    for layer in range(len(acts), 0, -1):
        dc, ac = caches[layer - 1]
        if ac is not None:
            d = layers.activation_backward(d, ac)
        d, dW, db = layers.dense_backward(d, dc)
        np.testing.assert_allclose(grads[f"W{layer}"], dW, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(grads[f"b{layer}"], db, rtol=1e-13, atol=1e-15)
    assert value == pytest.approx(expected, rel=1e-14)


def test_fit_runs_the_same_arithmetic_as_network_loss_and_the_optimiser():
    X, y = data.two_moons(40, seed=0)
    Y = data.one_hot(y, 2)
    a = Network([2, 8, 2], ["leaky_relu", "softmax"], seed=1)
    b = a.copy()
    fit(a, X, Y, "softmax_cross_entropy", GradientDescent(0.2, momentum=0.5), epochs=4, batch_size=40, shuffle=False)
    opt = GradientDescent(0.2, momentum=0.5)
    for _ in range(4):
        opt.step(b.params, b.loss(X, Y, "softmax_cross_entropy")[1])
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])


def test_fit_takes_a_network_only():
    X, Y = np.zeros((4, 2)), np.zeros((4, 1))
    with pytest.raises(TypeError, match="net must be a Network, got dict"):
        fit({"W1": np.zeros((2, 1))}, X, Y, "mse", GradientDescent(0.1), epochs=1)


def _imported_private_names(path: pathlib.Path) -> list[str]:
    """Names starting with _ that a module imports from, or reads as attributes of, another package module."""
    tree = ast.parse(path.read_text())
    bad = []
    modules = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module != "__future__"
            and (node.level or "shallownet" in (node.module or ""))
        ):
            if node.module and node.module.split(".")[-1] == "_validate":
                continue  # the package's own input checks: shared on purpose
            for alias in node.names:
                if alias.name.startswith("_"):
                    bad.append(f"from {node.module} import {alias.name}")
                modules[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            bad.append(f"{node.value.id}.{node.attr}")
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and isinstance(node.value, ast.Name)
            and node.value.id in ("net", "other_net", "model")
        ):
            bad.append(f"{node.value.id}.{node.attr}")
    return bad


@pytest.mark.parametrize("path", sorted(LIB.rglob("*.py")), ids=lambda p: str(p.relative_to(LIB)))
def test_no_module_uses_another_modules_private_names(path):
    assert _imported_private_names(path) == []


def test_the_private_name_scan_finds_what_it_is_for(tmp_path):
    """The scan above would have flagged the old code (network.py -> layers._activation_forward, losses._RAW)."""
    old = tmp_path / "old.py"
    old.write_text(
        "from . import losses as _losses\nfrom .layers import _activation_forward\n"
        "def f(net, X, Y):\n    return _losses._RAW, net._loss(X, Y)\n"
    )
    assert sorted(_imported_private_names(old)) == sorted(
        ["from layers import _activation_forward", "_losses._RAW", "net._loss"]
    )
