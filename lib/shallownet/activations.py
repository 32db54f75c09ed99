"""Activation functions and their derivatives, element-wise and numerically stable.

Every function takes an array ``z`` of any shape and returns a float array of
the same shape; ``<name>_grad(z)`` is d act / d z element-wise, evaluated at z.
No overflow or underflow warnings for |z| up to 1000 and beyond.
Softmax works row-wise on a 2-D array of shape (n, k) (or on a 1-D vector).
"""
from __future__ import annotations

import numpy as np

from ._validate import as_float_array, finite_number


def _z(z) -> np.ndarray:
    return as_float_array(z, "z")


def identity(z):
    """f(z) = z."""
    return _z(z).copy()


def identity_grad(z):
    """f'(z) = 1."""
    return np.ones_like(_z(z))


def heaviside(z):
    """Step: 1 where z >= 0 (the weighted sum reaches the threshold), else 0."""
    return (_z(z) >= 0).astype(np.float64)


def heaviside_grad(z):
    """0 everywhere (undefined at 0; taken as 0): why the step cannot be trained by gradients."""
    return np.zeros_like(_z(z))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))          # in (0, 1]: never overflows
    r = 1.0 / (1.0 + e)
    return np.where(z >= 0, r, e * r)


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow for large |z|."""
    return _sigmoid(_z(z))


def sigmoid_grad(z):
    """σ'(z) = σ(z)(1 − σ(z)), at most 0.25 (at z = 0)."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """tanh(z)."""
    return np.tanh(_z(z))


def tanh_grad(z):
    """1 − tanh(z)²."""
    t = np.tanh(_z(z))
    return 1.0 - t * t


def relu(z):
    """max(0, z)."""
    return np.maximum(_z(z), 0.0)


def relu_grad(z):
    """1 where z > 0, else 0 (0 at z = 0 by convention)."""
    return (_z(z) > 0).astype(np.float64)


LEAKY_SLOPE = 0.01


def leaky_relu(z, alpha: float = LEAKY_SLOPE):
    """z where z > 0, alpha·z elsewhere (alpha = 0.01 by default)."""
    z = _z(z)
    alpha = finite_number(alpha, "alpha")
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, alpha: float = LEAKY_SLOPE):
    """1 where z > 0, alpha elsewhere."""
    z = _z(z)
    alpha = finite_number(alpha, "alpha")
    return np.where(z > 0, 1.0, alpha)


def softplus(z):
    """log(1 + e^z), computed as logaddexp(0, z): no overflow."""
    return np.logaddexp(0.0, _z(z))


def softplus_grad(z):
    """d softplus / dz = σ(z)."""
    return sigmoid(z)


def softmax(z):
    """Row-wise softmax of z, shape (n, k) -> (n, k) (or (k,) -> (k,)); rows sum to 1.

    Subtracting the row maximum first keeps exp from overflowing and does not
    change the result (softmax(z + c) = softmax(z)).
    """
    return _softmax(as_float_array(z, "z", ndim=(1, 2)))


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_jacobian(s):
    """Jacobian of softmax at one output vector s, shape (k,) -> (k, k): diag(s) − s sᵀ."""
    s = as_float_array(s, "s", ndim=1)
    return np.diag(s) - np.outer(s, s)


def log_softmax(z):
    """Row-wise log(softmax(z)) via log-sum-exp, stable for large |z|."""
    z = as_float_array(z, "z", ndim=(1, 2))
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


#: name -> (function, derivative). Softmax is an output activation: its
#: derivative is a Jacobian, handled together with the loss (see losses.py).
ACTIVATIONS = {
    "identity": (identity, identity_grad),
    "linear": (identity, identity_grad),
    "heaviside": (heaviside, heaviside_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "softplus": (softplus, softplus_grad),
}


# Unchecked kernels for the network's hot path (inputs already validated float arrays).
# name -> (f(z), f'(z) given (z, a = f(z))): the derivative reuses the forward output
# where that is how it is defined (sigmoid, tanh), with the same arithmetic as *_grad.
def _ones(z, a):
    return np.ones_like(z)


def _zeros(z, a):
    return np.zeros_like(z)


def _sigmoid_d(z, a):
    return a * (1.0 - a)


def _tanh_d(z, a):
    return 1.0 - a * a


def _relu_d(z, a):
    return (z > 0).astype(np.float64)


def _leaky_d(z, a):
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def _softplus_d(z, a):
    return _sigmoid(z)


_RAW = {
    "identity": (lambda z: z.copy(), _ones),
    "linear": (lambda z: z.copy(), _ones),
    "heaviside": (lambda z: (z >= 0).astype(np.float64), _zeros),
    "sigmoid": (_sigmoid, _sigmoid_d),
    "tanh": (np.tanh, _tanh_d),
    "relu": (lambda z: np.maximum(z, 0.0), _relu_d),
    "leaky_relu": (lambda z: np.where(z > 0, z, LEAKY_SLOPE * z), _leaky_d),
    "softplus": (lambda z: np.logaddexp(0.0, z), _softplus_d),
}


def get(name: str):
    """Return (function, derivative) for an activation name; ValueError lists the names."""
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (str), got {type(name).__name__}")
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)} or 'softmax'") from None
