"""Gradient checking: central differences and the relative error between two gradients."""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, finite_number


def numerical_gradient(f, x, h: float = 1e-5):
    """∂f/∂x by central differences (f(x + h) − f(x − h)) / 2h, one entry at a time.

    f: a function of the array x returning a scalar. x is perturbed in place and
    restored. Returns an array of x's shape.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of x returning a number, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            "x must be a float64 numpy array (it is perturbed in place), got "
            f"{type(x).__name__}{' of dtype ' + str(x.dtype) if isinstance(x, np.ndarray) else ''}"
        )
    h = finite_number(h, "h")
    if h <= 0:
        raise ValueError(f"h must be positive, got {h}")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        fp = float(f(x))
        x[i] = old - h
        fm = float(f(x))
        x[i] = old
        grad[i] = (fp - fm) / (2.0 * h)
    return grad


def numerical_gradient_array(f, x, dout, h: float = 1e-5):
    """Vector-Jacobian product Σ dout · ∂f(x)/∂x by central differences, for an array-valued f."""
    dout = as_float_array(dout, "dout")
    out_shape = np.shape(f(x))
    if dout.shape != out_shape:
        raise ValueError(f"dout has shape {dout.shape} but f(x) has shape {out_shape}; they must match")
    return numerical_gradient(lambda v: np.sum(f(v) * dout), x, h)


def rel_error(a, b) -> float:
    """max |a − b| / max(|a| + |b|, 1e-8), entry-wise: below 1e-7 means the gradients agree."""
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; they must match")
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))) if a.size else 0.0
