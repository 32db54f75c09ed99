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

from types import MappingProxyType

import numpy as np

from .network import Network


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


# Read-only: a student's function that changes its argument in place raises at once instead of
# changing the lecture's numbers for every later cell, picture and check (pass dict(WEIGHTS) to copy).
INPUTS = _read_only(np.array([[0.05, 0.10]]))
TARGETS = _read_only(np.array([[0.01, 0.99]]))
WEIGHTS = MappingProxyType({"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30,
                            "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55})
BIASES = MappingProxyType({"b1": 0.35, "b2": 0.60})
LEARNING_RATE = 0.5

#: lecture name -> (parameter name, index) in Network.params
WEIGHT_INDEX = MappingProxyType({"w1": ("W1", (0, 0)), "w2": ("W1", (1, 0)), "w3": ("W1", (0, 1)), "w4": ("W1", (1, 1)),
                "w5": ("W2", (0, 0)), "w6": ("W2", (1, 0)), "w7": ("W2", (0, 1)), "w8": ("W2", (1, 1))})


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
