"""The worked example: a 2-2-2 sigmoid network, inputs 0.05/0.10, targets 0.01/0.99.

Mapping of the lecture's names onto ``Network.params`` (Z = XW + b, W[i, j] is
the weight from unit i of the previous layer to unit j of the next):

    h1 = w1·i1 + w2·i2 + b1      W1 = [[w1, w3],      b1 = [b1, b1]
    h2 = w3·i1 + w4·i2 + b1            [w2, w4]]
    o1 = w5·h1 + w6·h2 + b2      W2 = [[w5, w7],      b2 = [b2, b2]
    o2 = w7·h1 + w8·h2 + b2            [w6, w8]]

One bias value is shared by both neurons of a layer in the lecture; the
network stores one per neuron (equal at the start; they stay equal only while
biases are kept fixed). Loss ½Σ(t − o)², learning rate 0.5.
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType

import numpy as np

from . import kernels
from ._validate import finite_number, positive_int
from .network import Network
from .optim import GradientDescent


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


# Read-only: a student's function that changes its argument in place raises at once instead of
# changing the lecture's numbers for every later cell, picture and check (pass dict(WEIGHTS) to copy).
INPUTS = _read_only(np.array([[0.05, 0.10]]))
TARGETS = _read_only(np.array([[0.01, 0.99]]))
WEIGHTS = MappingProxyType(
    {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55}
)
BIASES = MappingProxyType({"b1": 0.35, "b2": 0.60})
LEARNING_RATE = 0.5

#: lecture name -> (parameter name, index) in Network.params
WEIGHT_INDEX = MappingProxyType(
    {
        "w1": ("W1", (0, 0)),
        "w2": ("W1", (1, 0)),
        "w3": ("W1", (0, 1)),
        "w4": ("W1", (1, 1)),
        "w5": ("W2", (0, 0)),
        "w6": ("W2", (1, 0)),
        "w7": ("W2", (0, 1)),
        "w8": ("W2", (1, 1)),
    }
)


def network(weights=None, biases=None) -> Network:
    """The 2-2-2 sigmoid network with the lecture's weights (or the given dicts of w1..w8, b1, b2)."""
    unknown = sorted(set(weights or {}) - set(WEIGHTS)) + sorted(set(biases or {}) - set(BIASES))
    if unknown:
        raise ValueError(f"unknown names {unknown}: weights are w1..w8, biases b1 and b2")
    weights = {**WEIGHTS, **(weights or {})}
    biases = {**BIASES, **(biases or {})}
    net = Network([2, 2, 2], ["sigmoid", "sigmoid"], init="zeros")
    for name, value in weights.items():
        param, idx = WEIGHT_INDEX[name]
        net.params[param][idx] = value
    net.params["b1"][:] = biases["b1"]
    net.params["b2"][:] = biases["b2"]
    return net


def named_weights(params) -> dict:
    """Read w1..w8 back out of a params (or grads) dict: {'w1': …, …, 'w8': …}."""
    return {name: float(params[p][idx]) for name, (p, idx) in WEIGHT_INDEX.items()}


#: The order of the columns of train_history's parameters: w1..w8, then one bias per neuron.
HISTORY_NAMES = ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b_h1", "b_h2", "b_o1", "b_o2")


def _row(params, out: np.ndarray) -> None:
    """Write w1..w8, then the biases of h1, h2, o1, o2, from a params dict into ``out`` (12,).

    W<l>.T read row by row is the lecture's order (see WEIGHT_INDEX).
    """
    out[0:4] = params["W1"].T.ravel()
    out[4:8] = params["W2"].T.ravel()
    out[8:10] = params["b1"]
    out[10:12] = params["b2"]


@lru_cache(maxsize=8)
def train_history(steps: int = 10_000, lr: float = LEARNING_RATE, train_biases: bool = False):
    """Full-batch gradient descent on the worked example from the lecture's start.

    Returns (E, P): E (steps + 1,) the total error after k steps, k = 0..steps;
    P (steps + 1, 12) the parameters after k steps: w1..w8, then the biases of
    h1, h2, o1, o2 (equal per layer at the start; they move apart only when trained).
    Both read-only. Trained by ``Network`` and ``GradientDescent`` (biases frozen
    unless ``train_biases``). Cached: the same call twice costs nothing.
    """
    steps = positive_int(steps, "steps", minimum=0)
    lr = finite_number(lr, "lr", minimum=0.0)
    net = network()
    opt = GradientDescent(lr, frozen=() if train_biases else ("b1", "b2"))
    X, T = INPUTS.copy(), TARGETS.copy()
    E, P = np.empty(steps + 1), np.empty((steps + 1, len(HISTORY_NAMES)))
    for k in range(steps + 1):
        _row(net.params, P[k])
        E[k], grads = kernels.network_loss(net.params, net.activations, X, T, "half_sse")
        if k < steps:
            opt.step(net.params, grads)
    E.setflags(write=False)
    P.setflags(write=False)
    return E, P


def node_values(w, bh=(BIASES["b1"],) * 2, bo=(BIASES["b2"],) * 2) -> dict:
    """The forward pass of the 2-2-2 network node by node, with the lecture's names.

    w: the 8 weights w1..w8 in order; bh, bo: the bias of each hidden / output neuron.
    Returns {'net_h1', 'out_h1', 'net_h2', 'out_h2', 'net_o1', 'out_o1', 'net_o2', 'out_o2', 'E'} (floats).
    """
    w = [finite_number(v, f"w[{i}]") for i, v in enumerate(w)]
    if len(w) != 8:
        raise ValueError(f"w must hold the 8 weights w1..w8, got {len(w)}")
    params = {
        "W1": np.empty((2, 2)),
        "W2": np.empty((2, 2)),
        "b1": np.array([finite_number(v, "bh") for v in bh]),
        "b2": np.array([finite_number(v, "bo") for v in bo]),
    }
    for name, value in zip(WEIGHTS, w, strict=True):
        p, idx = WEIGHT_INDEX[name]
        params[p][idx] = value
    out, cache = kernels.network_forward(params, ["sigmoid", "sigmoid"], INPUTS)
    (_, (_, Zh, Ah)), (_, (_, Zo, Ao)) = cache
    E, _ = kernels.half_sse(out, TARGETS)
    return {
        "net_h1": float(Zh[0, 0]),
        "out_h1": float(Ah[0, 0]),
        "net_h2": float(Zh[0, 1]),
        "out_h2": float(Ah[0, 1]),
        "net_o1": float(Zo[0, 0]),
        "out_o1": float(Ao[0, 0]),
        "net_o2": float(Zo[0, 1]),
        "out_o2": float(Ao[0, 1]),
        "E": E,
    }
