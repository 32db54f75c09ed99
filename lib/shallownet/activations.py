"""Activation functions and their derivatives, element-wise and numerically stable (checked).

Every function takes an array ``z`` of any shape and returns a float array of
the same shape; ``<name>_grad(z)`` is d act / d z element-wise, evaluated at z.
No overflow or underflow warnings for |z| up to 1000 and beyond.
Softmax works row-wise on a 2-D array of shape (n, k) (or on a 1-D vector).
Each function checks its input and calls the kernel of the same name in kernels.py.
"""

from __future__ import annotations

import numpy as np

from . import kernels as k
from ._validate import as_float_array, finite_number


def _z(z) -> np.ndarray:
    return as_float_array(z, "z")


def identity(z):
    """f(z) = z."""
    return k.identity(_z(z))


def identity_grad(z):
    """f'(z) = 1."""
    return k.identity_grad(_z(z))


def heaviside(z):
    """Step: 1 where z >= 0 (the weighted sum reaches the threshold), else 0."""
    return k.heaviside(_z(z))


def heaviside_grad(z):
    """0 everywhere (undefined at 0; taken as 0): why the step cannot be trained by gradients."""
    return k.heaviside_grad(_z(z))


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow for large |z|."""
    return k.sigmoid(_z(z))


def sigmoid_grad(z):
    """σ'(z) = σ(z)(1 − σ(z)), at most 0.25 (at z = 0)."""
    return k.sigmoid_grad(_z(z))


def tanh(z):
    """tanh(z)."""
    return k.tanh(_z(z))


def tanh_grad(z):
    """1 − tanh(z)²."""
    return k.tanh_grad(_z(z))


def relu(z):
    """max(0, z)."""
    return k.relu(_z(z))


def relu_grad(z):
    """1 where z > 0, else 0 (0 at z = 0 by convention)."""
    return k.relu_grad(_z(z))


LEAKY_SLOPE = k.LEAKY_SLOPE


def leaky_relu(z, alpha: float = LEAKY_SLOPE):
    """z where z > 0, alpha·z elsewhere (alpha = 0.01 by default)."""
    z = _z(z)
    return k.leaky_relu(z, finite_number(alpha, "alpha"))


def leaky_relu_grad(z, alpha: float = LEAKY_SLOPE):
    """1 where z > 0, alpha elsewhere."""
    z = _z(z)
    return k.leaky_relu_grad(z, alpha=finite_number(alpha, "alpha"))


def softplus(z):
    """log(1 + e^z), computed as logaddexp(0, z): no overflow."""
    return k.softplus(_z(z))


def softplus_grad(z):
    """d softplus / dz = σ(z)."""
    return k.softplus_grad(_z(z))


def softmax(z):
    """Row-wise softmax of z, shape (n, k) -> (n, k) (or (k,) -> (k,)); rows sum to 1.

    Subtracting the row maximum first keeps exp from overflowing and does not
    change the result (softmax(z + c) = softmax(z)).
    """
    return k.softmax(as_float_array(z, "z", ndim=(1, 2)))


def softmax_jacobian(s):
    """Jacobian of softmax at one output vector s, shape (k,) -> (k, k): diag(s) − s sᵀ."""
    return k.softmax_jacobian(as_float_array(s, "s", ndim=1))


def log_softmax(z):
    """Row-wise log(softmax(z)) via log-sum-exp, stable for large |z|."""
    return k.log_softmax(as_float_array(z, "z", ndim=(1, 2)))


#: name -> (function, derivative), both checked: the public functions named like the kernels
#: of ``kernels.ACTIVATIONS`` (one list of names). Softmax is an output activation: its derivative
#: is a Jacobian, handled together with the loss (see losses.py).
ACTIVATIONS = {name: (globals()[f.__name__], globals()[df.__name__]) for name, (f, df) in k.ACTIVATIONS.items()}


def get(name: str):
    """Return (function, derivative) for an activation name; ValueError lists the names."""
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (str), got {type(name).__name__}")
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)} or 'softmax'") from None
