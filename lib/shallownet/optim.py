"""Gradient-descent update rules behind one interface: ``optimizer.step(params, grads)``.

``params`` and ``grads`` are dicts of arrays with the same keys and shapes
(as ``Network.params`` and ``Network.backward`` give). ``step`` updates params
in place and returns nothing.

    velocity  m ← μ·m − lr_t·(∇L + λ·W)      (μ = momentum, λ = weight decay)
    weights   W ← W + m
    schedule  lr_t = lr0 / (1 + decay · t)    (t = number of steps taken so far)

With momentum 0, decay 0 and weight decay 0 this is plain gradient descent
W ← W − lr·∇L. Names in ``frozen`` (e.g. ("b1", "b2")) are never updated: the
worked example keeps its biases fixed.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, finite_number

_F64 = np.dtype(np.float64)


def decayed_lr(lr0: float, decay: float, step: int) -> float:
    """lr0 / (1 + decay · step)."""
    return lr0 / (1.0 + decay * step)


class GradientDescent:
    """Plain, momentum, decayed and weight-decayed gradient descent (SGD when fed mini-batches)."""

    def __init__(
        self,
        lr: float,
        momentum: float = 0.0,
        decay: float = 0.0,
        weight_decay: float = 0.0,
        frozen=(),
        decay_biases: bool = False,
    ):
        self.lr0 = finite_number(lr, "lr", minimum=0.0)
        self.momentum = finite_number(momentum, "momentum", minimum=0.0)
        if self.momentum >= 1.0:
            raise ValueError(f"momentum must be below 1, got {self.momentum}")
        self.decay = finite_number(decay, "decay", minimum=0.0)
        self.weight_decay = finite_number(weight_decay, "weight_decay", minimum=0.0)
        if isinstance(frozen, str):  # frozen="b1" means one name, not the letters b and 1
            frozen = (frozen,)
        try:
            self.frozen = frozenset(frozen)
        except TypeError:
            raise TypeError(f"frozen must be a collection of parameter names, got {type(frozen).__name__}") from None
        if not all(isinstance(name, str) for name in self.frozen):
            raise TypeError(f"frozen must hold parameter names (str), got {sorted(map(repr, self.frozen))}")
        self.decay_biases = bool(decay_biases)
        self.t = 0
        self.velocity: dict[str, np.ndarray] = {}

    @property
    def lr(self) -> float:
        """The learning rate the next step will use."""
        return decayed_lr(self.lr0, self.decay, self.t)

    def step(self, params: dict, grads: dict) -> None:
        """Update every non-frozen entry of params in place from grads.

        params: dict name -> float64 array (updated in place); grads: dict with the
        same names and shapes (entries for frozen names may be left out).
        """
        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict of arrays (like Network.params), got {type(params).__name__}")
        if not isinstance(grads, dict):
            raise TypeError(
                f"grads must be a dict of arrays (like Network.backward returns), got {type(grads).__name__}"
            )
        missing = set(params) - set(grads) - self.frozen
        if missing:
            raise ValueError(f"grads has no entry for {sorted(missing)} (params has {sorted(params)})")
        updates = []
        for name, W in params.items():
            if name in self.frozen:
                continue
            if type(W) is not np.ndarray or W.dtype != _F64:
                raise TypeError(
                    f"params[{name!r}] must be a float64 numpy array (it is updated in place), "
                    f"got {type(W).__name__}{' of dtype ' + str(W.dtype) if isinstance(W, np.ndarray) else ''}"
                )
            g = as_float_array(grads[name], f"grads[{name!r}]")
            if g.shape != W.shape:
                raise ValueError(f"grads[{name!r}] has shape {g.shape} but params[{name!r}] has shape {W.shape}")
            updates.append((name, W, g))
        lr = self.lr
        for name, W, g in updates:  # all checked first: a bad entry leaves params untouched
            if self.weight_decay and (self.decay_biases or not name.startswith("b")):
                g = g + self.weight_decay * W
            if self.momentum:
                m = self.velocity.get(name)
                if m is None or m.shape != W.shape:
                    m = np.zeros_like(W)
                m *= self.momentum
                m -= lr * g
                self.velocity[name] = m
                W += m
            else:
                W -= lr * g
        self.t += 1
