"""Loss functions. Each returns ``(loss, grad)``: a float and d loss / d input, shaped like the input.

Shapes: predictions ``y_hat`` and targets ``y`` both (n, k): n samples, k outputs.
Each function checks its inputs and calls the kernel of the same name in kernels.py.
"""

from __future__ import annotations

from . import kernels as k
from ._validate import as_float_array, as_matrix, finite_number, same_shape
from .activations import log_softmax, softmax  # noqa: F401  (re-exported for notebooks)

#: Probabilities are clipped to [EPS, 1 − EPS] before a log is taken.
EPS = k.EPS


def _pair(y_hat, y, y_hat_name="y_hat"):
    y_hat = as_float_array(y_hat, y_hat_name, ndim=(1, 2))
    y = as_float_array(y, "y", ndim=(1, 2))
    same_shape(y_hat, y, y_hat_name, "y")
    return y_hat, y


def half_sse(y_hat, y):
    """E = ½ Σ (y − y_hat)² over every entry (the worked example's total error).

    y_hat, y (n, k) (or (k,)). Returns (E, dE/dy_hat = y_hat − y).
    """
    return k.half_sse(*_pair(y_hat, y))


def mse(y_hat, y):
    """Mean squared error over every entry: mean((y_hat − y)²).

    y_hat, y (n, k) (or (k,)). Returns (loss, 2 (y_hat − y) / number of entries).
    """
    return k.mse(*_pair(y_hat, y))


def binary_cross_entropy(p, y, eps: float = EPS):
    """−mean(y log p + (1 − y) log(1 − p)), p clipped to [eps, 1 − eps].

    p: predicted probabilities (n, k) (sigmoid outputs); y: 0/1 targets, same shape.
    Returns (loss, d loss / d p).
    """
    p, y = _pair(p, y, "p")
    return k.binary_cross_entropy(p, y, _eps(eps))


def cross_entropy(p, y, eps: float = EPS):
    """−(1/n) Σ_i Σ_k y_ik log p_ik for probabilities p (n, k) and one-hot y (n, k); p clipped to [eps, 1].

    Returns (loss, d loss / d p = −y / p_clipped / n).
    """
    p = as_matrix(p, "p")
    y = as_matrix(y, "y")
    same_shape(p, y, "p", "y")
    return k.cross_entropy(p, y, _eps(eps))


def softmax_cross_entropy(z, y):
    """Cross-entropy of softmax(z) against one-hot y, from the logits z (n, k).

    Computed with log-softmax (stable for any z). Returns (loss, d loss / d z = (softmax(z) − y) / n).
    """
    z = as_matrix(z, "z")
    y = as_matrix(y, "y")
    same_shape(z, y, "z", "y")
    return k.softmax_cross_entropy(z, y)


def _eps(eps) -> float:
    eps = finite_number(eps, "eps", minimum=0.0)
    if not eps < 0.5:
        raise ValueError(f"eps must be below 0.5, got {eps}")
    return eps


#: name -> public loss function (checked): the functions named like the kernels of ``kernels.LOSSES``.
LOSSES = {name: globals()[name] for name in k.LOSSES}


def get(name: str):
    """Return the loss function for a name; ValueError lists the names."""
    if not isinstance(name, str):
        raise TypeError(f"loss must be a name (str), got {type(name).__name__}")
    try:
        return LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; choose one of {sorted(LOSSES)}") from None
