"""Computational graphs of notebook 03, node by node, and the gradient reaching each layer of a deep network.

    example_graph(x, y, z)   f = ((x + y) z)²: every node's forward value and gradient
    sine_graph(x, y, z)      f = ((sin x + y) z)³: the same for the exercise graph
    gradient_per_layer(...)  mean |∂loss/∂Z_l| reaching each layer of a deep network

x, y, z: numbers or arrays of one shape (element-wise). The graphs return dicts of
float arrays: the forward value of every node and its gradient ∂f/∂node (keys d<node>, df = 1).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import kernels
from ._validate import as_float_array, positive_int, same_shape


def _xyz(x, y, z):
    x, y, z = as_float_array(x, "x"), as_float_array(y, "y"), as_float_array(z, "z")
    same_shape(x, y, "x", "y")
    same_shape(x, z, "x", "z")
    return x, y, z


def example_graph(x, y, z) -> dict:
    """f = ((x + y) z)² node by node: q = x + y, r = q z, f = r².

    Returns the forward values x, y, z, q, r, f and the gradients dx, dy, dz, dq, dr, df.
    """
    x, y, z = _xyz(x, y, z)
    q = x + y
    r = q * z
    f = r**2
    df = np.ones_like(f)
    dr = 2.0 * r * df
    dq = z * dr
    dz = q * dr
    return {
        "x": x,
        "y": y,
        "z": z,
        "q": q,
        "r": r,
        "f": f,
        "df": df,
        "dr": dr,
        "dq": dq,
        "dz": dz,
        "dx": dq.copy(),
        "dy": dq.copy(),
    }


def sine_graph(x, y, z) -> dict:
    """f = ((sin x + y) z)³ node by node: a = sin x, q = a + y, r = q z, f = r³.

    Same conventions as example_graph, with the extra node a (gradient da).
    """
    x, y, z = _xyz(x, y, z)
    a = np.sin(x)
    q = a + y
    r = q * z
    f = r**3
    df = np.ones_like(f)
    dr = 3.0 * r**2 * df
    dq = z * dr
    dz = q * dr
    da = dq.copy()
    return {
        "x": x,
        "y": y,
        "z": z,
        "a": a,
        "q": q,
        "r": r,
        "f": f,
        "df": df,
        "dr": dr,
        "dq": dq,
        "dz": dz,
        "da": da,
        "dx": np.cos(x) * da,
        "dy": dq.copy(),
    }


@lru_cache(maxsize=512)
def gradient_per_layer(
    activation: str, depth: int, scale: float = 1.0, width: int = 32, n: int = 64, seed: int = 0
) -> np.ndarray:
    """Mean |∂loss/∂Z_l| (the error signal reaching layer l) for l = 1 … depth.

    A deep network of equal-width dense layers, ``activation`` after every
    layer but the last; weights normal with std scale/√width, zero biases.
    One forward pass on random inputs, then one backward pass from a random
    upstream gradient at the output (the same for every activation and scale,
    fixed by ``seed``). Returns a read-only array of shape (depth,), layer 1
    (nearest the input) first. ∂loss/∂W_l = A_(l−1)ᵀ ∂loss/∂Z_l grows and shrinks with it.
    """
    if activation not in kernels.ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {sorted(kernels.ACTIVATIONS)}")
    depth, width, n = positive_int(depth, "depth"), positive_int(width, "width"), positive_int(n, "n")
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(width, width)) * (scale / np.sqrt(width)) for _ in range(depth)]
    params = {}
    for layer, W in enumerate(weights, start=1):
        params[f"W{layer}"], params[f"b{layer}"] = W, np.zeros(width)
    X = rng.normal(size=(n, width))
    _, cache = kernels.network_forward(params, [activation] * (depth - 1) + ["identity"], X)
    d = rng.normal(size=(n, width)) / n
    out = np.empty(depth)
    for layer in range(depth, 0, -1):
        (A_prev, W), act_cache = cache[layer - 1]
        dZ = kernels.activation_backward(d, act_cache)
        out[layer - 1] = np.mean(np.abs(dZ))
        d, _, _ = kernels.dense_backward(dZ, A_prev, W)
    out.setflags(write=False)
    return out
