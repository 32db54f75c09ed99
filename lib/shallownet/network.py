"""A fully connected network of any depth, built from the layer contract in layers.py.

Parameters live in ``net.params``, a dict named like the maths:
``W1, b1`` (input -> first hidden layer), ``W2, b2``, … ``WL, bL`` (-> output).
``W<l>`` has shape (size[l-1], size[l]); entry ``W<l>[i, j]`` is the weight
from unit i of layer l−1 to unit j of layer l.

    net = Network([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    Y_hat, cache = net.forward(X)          # X (n, 2) -> Y_hat (n, 1)
    grads = net.backward(dY_hat, cache)    # same keys and shapes as net.params
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from . import activations as act
from . import kernels
from ._validate import as_matrix, loss_for_network, network_input, network_params, network_targets, positive_int

INITS = ("he", "xavier", "normal", "zeros")


class Network:
    """Feed-forward network: sizes [d_in, h1, …, d_out], one activation per layer after the input."""

    def __init__(self, sizes, activations, seed=None, init: str = "he", scale: float = 0.1):
        if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
            raise ValueError(f"sizes must be a list of at least two layer sizes, got {sizes!r}")
        self.sizes = [positive_int(s, f"sizes[{i}]") for i, s in enumerate(sizes)]
        if isinstance(activations, str):
            activations = [activations] * (len(sizes) - 1)
        activations = list(activations)
        if len(activations) != len(sizes) - 1:
            raise ValueError(
                f"got {len(activations)} activations for {len(sizes) - 1} layers "
                f"(sizes {self.sizes}); give one per layer after the input"
            )
        for a in activations:
            if a != "softmax":
                act.get(a)
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; choose one of {INITS}")
        self.activations = activations
        self.params = {}
        rng = np.random.default_rng(seed)
        for layer, (n_in, n_out) in enumerate(pairwise(self.sizes), start=1):
            std = {"he": np.sqrt(2.0 / n_in), "xavier": np.sqrt(1.0 / n_in), "normal": scale, "zeros": 0.0}[init]
            self.params[f"W{layer}"] = rng.normal(0.0, 1.0, (n_in, n_out)) * std
            self.params[f"b{layer}"] = np.zeros(n_out)

    @property
    def num_layers(self) -> int:
        """Number of weight layers (hidden + output)."""
        return len(self.sizes) - 1

    def forward(self, X, logits: bool = False):
        """X (n, d_in) -> (Y_hat (n, d_out), cache). With logits=True the last activation is skipped.

        cache: one ((A_prev, W), (name, Z, A)) pair per layer, for backward.
        """
        X = network_input(X, self.sizes)
        self.check_params()
        return kernels.network_forward(self.params, self.activations, X, logits)

    def backward(self, dout, cache):
        """dout = ∂loss/∂(output of forward), shape (n, d_out) -> dict of ∂loss/∂param.

        The dict has the same keys and shapes as params.
        """
        if not isinstance(cache, list) or len(cache) != self.num_layers:
            raise TypeError(
                f"cache must be the list returned by this network's forward "
                f"({self.num_layers} entries), got {type(cache).__name__}"
            )
        dout = as_matrix(dout, "dout")
        (X_last, W_last), _ = cache[-1]
        expected = (X_last.shape[0], W_last.shape[1])
        if dout.shape != expected:
            raise ValueError(
                f"dout has shape {dout.shape} but the network's output has shape {expected}; they must match"
            )
        return kernels.network_backward(dout, cache)

    def predict(self, X):
        """Network output for X (n, d_in) -> (n, d_out)."""
        return self.forward(X)[0]

    def loss(self, X, Y, loss: str):
        """(loss value, grads) for inputs X (n, d_in), targets Y (n, d_out) and a loss name.

        'softmax_cross_entropy' expects the last activation to be 'softmax' and
        uses the short-cut gradient (softmax(z) − y)/n at the logits.
        """
        loss_for_network(loss, self.activations)
        X = network_input(X, self.sizes)
        self.check_params()
        Y = network_targets(Y, X, self.sizes)
        return kernels.network_loss(self.params, self.activations, X, Y, loss)

    def check_params(self) -> None:
        """Raise unless every W<l>, b<l> is present, finite and of the right shape; lists become float arrays.

        forward, backward and loss call it; ``fit`` calls it once per epoch (a custom optimiser may break them).
        """
        network_params(self.params, self.sizes)

    def copy(self) -> Network:
        """An independent copy (parameters copied)."""
        other = object.__new__(Network)
        other.sizes = list(self.sizes)
        other.activations = list(self.activations)
        other.params = {k: v.copy() for k, v in self.params.items()}
        return other

    def __repr__(self) -> str:
        return f"Network(sizes={self.sizes}, activations={self.activations})"
