"""Input checks shared by every public function: clear errors, never a silent broadcast.

Shapes are written ``(n, d)``: n samples (rows), d features (columns).
"""

from __future__ import annotations

import numbers
from itertools import pairwise

import numpy as np

from . import kernels

_F64 = np.dtype(np.float64)


def as_float_array(x, name: str, ndim: int | tuple[int, ...] | None = None, allow_nan: bool = False) -> np.ndarray:
    """Return ``x`` as a float64 array, or raise naming ``name``.

    TypeError for non-numeric input (strings, objects, None);
    ValueError for a wrong number of dimensions or NaN/inf values.
    """
    if type(x) is np.ndarray and x.dtype == _F64:  # the common case, checked cheaply
        arr = x
    else:
        if x is None or isinstance(x, (str, bytes)):
            raise TypeError(f"{name} must be a number or an array of numbers, got {type(x).__name__}")
        try:
            arr = np.asarray(x)
        except ValueError:  # ragged nested lists
            raise TypeError(
                f"{name} must be a number or a rectangular array of numbers, got a ragged {type(x).__name__}"
            ) from None
        if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
            raise TypeError(f"{name} must hold numbers, got an array of dtype {arr.dtype}")
        if np.iscomplexobj(arr):
            raise TypeError(f"{name} must hold real numbers, got complex values")
        arr = arr.astype(np.float64, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if not allow_nan and not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))
        where = tuple(int(i) for i in bad[0]) if arr.ndim else ()
        raise ValueError(f"{name} contains NaN or infinite values (first at index {where}), shape {arr.shape}")
    return arr


def as_matrix(x, name: str, cols: int | None = None, cols_name: str = "") -> np.ndarray:
    """Return ``x`` as a finite 2-D float array of shape (n, cols).

    A 1-D input is *not* silently reshaped: it raises, naming the shape.
    """
    arr = as_float_array(x, name, ndim=2)
    if cols is not None and arr.shape[1] != cols:
        what = f" ({cols_name})" if cols_name else ""
        raise ValueError(f"{name} has shape {arr.shape}: expected {cols} columns{what}, got {arr.shape[1]}")
    return arr


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ValueError unless ``a`` and ``b`` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}; they must match")


def positive_int(x, name: str, minimum: int = 1) -> int:
    """Return ``x`` as an int >= minimum, or raise naming ``name``."""
    if isinstance(x, bool) or not isinstance(x, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(x).__name__}")
    if x < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {x}")
    return int(x)


def finite_number(x, name: str, minimum: float | None = None) -> float:
    """Return ``x`` as a finite float (>= minimum if given), or raise naming ``name``."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(x).__name__}")
    x = float(x)
    if not np.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x}")
    if minimum is not None and x < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {x}")
    return x


def network_params(params: dict, sizes: list) -> None:
    """Check a network's params dict in place: every W<l>, b<l> present, float64, finite, of the right shape.

    sizes: [d_in, h1, …, d_out]. Entries given as lists (or other dtypes) are replaced by float64 arrays.
    """
    n_layers = len(sizes) - 1
    for layer, (n_in, n_out) in enumerate(pairwise(sizes), start=1):
        for key, shape in ((f"W{layer}", (n_in, n_out)), (f"b{layer}", (n_out,))):
            if key not in params:
                raise ValueError(f"params has no entry {key!r} (sizes {sizes} need W1, b1 … W{n_layers}, b{n_layers})")
            value = as_float_array(params[key], f"params[{key!r}]")
            if value.shape != shape:
                raise ValueError(f"params[{key!r}] has shape {value.shape} but sizes {sizes} need shape {shape}")
            if value is not params[key]:
                params[key] = value


def network_input(X, sizes: list) -> np.ndarray:
    """X as a float matrix (n, sizes[0]) for a network of these sizes, or raise."""
    X = as_matrix(X, "X")
    if X.shape[1] != sizes[0]:
        raise ValueError(
            f"X has shape {X.shape}: this network expects {sizes[0]} inputs per sample "
            f"(sizes {sizes}), got {X.shape[1]}"
        )
    return X


def network_targets(Y, X: np.ndarray, sizes: list) -> np.ndarray:
    """Y as a float matrix (n, sizes[-1]) matching the checked inputs X (n, …), or raise."""
    Y = as_matrix(Y, "Y")
    if Y.shape != (X.shape[0], sizes[-1]):
        raise ValueError(
            f"Y has shape {Y.shape} but X has shape {X.shape} and the network has "
            f"{sizes[-1]} outputs: expected Y of shape {(X.shape[0], sizes[-1])}"
        )
    return Y


def loss_for_network(loss, activations: list) -> str:
    """A known loss name that fits the network's output activation, or raise."""
    if not isinstance(loss, str):
        raise TypeError(f"loss must be a name (str), got {type(loss).__name__}")
    if loss not in kernels.LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {sorted(kernels.LOSSES)}")
    if loss == "softmax_cross_entropy" and activations[-1] != "softmax":
        raise ValueError(
            "loss 'softmax_cross_entropy' needs the output activation 'softmax', "
            f"this network ends with {activations[-1]!r}"
        )
    return loss
