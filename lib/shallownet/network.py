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

import numpy as np

from . import activations as act
from . import losses as _losses
from ._validate import as_float_array, as_matrix, positive_int
from .layers import _activation_backward, _activation_forward

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
            raise ValueError(f"got {len(activations)} activations for {len(sizes) - 1} layers "
                             f"(sizes {self.sizes}); give one per layer after the input")
        for a in activations:
            if a != "softmax":
                act.get(a)
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; choose one of {INITS}")
        self.activations = activations
        self.params = {}
        rng = np.random.default_rng(seed)
        for l, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            std = {"he": np.sqrt(2.0 / n_in), "xavier": np.sqrt(1.0 / n_in),
                   "normal": scale, "zeros": 0.0}[init]
            self.params[f"W{l}"] = rng.normal(0.0, 1.0, (n_in, n_out)) * std
            self.params[f"b{l}"] = np.zeros(n_out)

    @property
    def num_layers(self) -> int:
        """Number of weight layers (hidden + output)."""
        return len(self.sizes) - 1

    def forward(self, X, logits: bool = False):
        """X (n, d_in) -> (Y_hat (n, d_out), cache). With logits=True the last activation is skipped.

        cache: one ((A_prev, W), (name, Z, A)) pair per layer, for backward.
        """
        return self._forward(self._check_X(X), logits)

    def backward(self, dout, cache):
        """dout = ∂loss/∂(output of forward), shape (n, d_out) -> dict of ∂loss/∂param, same keys and shapes as params."""
        if not isinstance(cache, list) or len(cache) != self.num_layers:
            raise TypeError(f"cache must be the list returned by this network's forward "
                            f"({self.num_layers} entries), got {type(cache).__name__}")
        dout = as_matrix(dout, "dout")
        (X_last, W_last), _ = cache[-1]
        expected = (X_last.shape[0], W_last.shape[1])
        if dout.shape != expected:
            raise ValueError(f"dout has shape {dout.shape} but the network's output has shape {expected}; they must match")
        return self._backward(dout, cache)

    def predict(self, X):
        """Network output for X (n, d_in) -> (n, d_out)."""
        return self.forward(X)[0]

    def loss(self, X, Y, loss: str):
        """(loss value, grads) for inputs X (n, d_in), targets Y (n, d_out) and a loss name.

        'softmax_cross_entropy' expects the last activation to be 'softmax' and
        uses the short-cut gradient (softmax(z) − y)/n at the logits.
        """
        _losses.get(loss)
        self._check_loss(loss)
        X = self._check_X(X)
        Y = as_matrix(Y, "Y")
        if Y.shape != (X.shape[0], self.sizes[-1]):
            raise ValueError(f"Y has shape {Y.shape} but X has shape {X.shape} and the network has "
                             f"{self.sizes[-1]} outputs: expected Y of shape {(X.shape[0], self.sizes[-1])}")
        return self._loss(X, Y, loss)

    # ------------------------------------------------------------------ checks
    def _check_X(self, X):
        A = as_matrix(X, "X")
        if A.shape[1] != self.sizes[0]:
            raise ValueError(f"X has shape {A.shape}: this network expects {self.sizes[0]} inputs per sample "
                             f"(sizes {self.sizes}), got {A.shape[1]}")
        self._check_params()
        return A

    def _check_params(self) -> None:
        """Every W<l>, b<l> present, float64 arrays of the right shape, finite; lists become arrays."""
        for l, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            for key, shape in ((f"W{l}", (n_in, n_out)), (f"b{l}", (n_out,))):
                if key not in self.params:
                    raise ValueError(f"params has no entry {key!r} (sizes {self.sizes} need W1, b1 … "
                                     f"W{self.num_layers}, b{self.num_layers})")
                value = as_float_array(self.params[key], f"params[{key!r}]")
                if value.shape != shape:
                    raise ValueError(f"params[{key!r}] has shape {value.shape} but sizes {self.sizes} "
                                     f"need shape {shape}")
                if value is not self.params[key]:
                    self.params[key] = value

    def _check_loss(self, loss: str) -> None:
        if loss == "softmax_cross_entropy" and self.activations[-1] != "softmax":
            raise ValueError("loss 'softmax_cross_entropy' needs the output activation 'softmax', "
                             f"this network ends with {self.activations[-1]!r}")

    # ------------------------------------------------------------------ unchecked kernels
    # Inputs already validated by the public methods (or by fit, once): no re-validation
    # of arrays the network made itself. Same arithmetic as layers.dense_* / activation_*.
    def _forward(self, A, logits: bool = False):
        cache = []
        params = self.params
        last = self.num_layers
        for l in range(1, last + 1):
            W = params[f"W{l}"]
            Z = A @ W
            Z += params[f"b{l}"]
            if logits and l == last:
                cache.append(((A, W), None))
                return Z, cache
            A_next, act_cache = _activation_forward(Z, self.activations[l - 1])
            cache.append(((A, W), act_cache))
            A = A_next
        return A, cache

    def _backward(self, d, cache):
        grads = {}
        for l in range(self.num_layers, 0, -1):
            (X, W), act_cache = cache[l - 1]
            if act_cache is not None:
                d = _activation_backward(d, act_cache)
            db = d.sum(axis=0)
            dW = X.T @ d
            if l > 1:
                d = d @ W.T
            grads[f"W{l}"], grads[f"b{l}"] = dW, db
        return grads

    def _loss(self, X, Y, loss: str):
        if loss == "softmax_cross_entropy":
            Z, cache = self._forward(X, logits=True)
            value, dZ = _losses._RAW[loss](Z, Y)
            return value, self._backward(dZ, cache)
        Y_hat, cache = self._forward(X)
        value, dY_hat = _losses._RAW[loss](Y_hat, Y)
        return value, self._backward(dY_hat, cache)

    def copy(self) -> "Network":
        """An independent copy (parameters copied)."""
        other = object.__new__(Network)
        other.sizes = list(self.sizes)
        other.activations = list(self.activations)
        other.params = {k: v.copy() for k, v in self.params.items()}
        return other

    def __repr__(self) -> str:
        return f"Network(sizes={self.sizes}, activations={self.activations})"
