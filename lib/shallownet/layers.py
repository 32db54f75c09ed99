"""The layer contract used everywhere in the course.

    forward(inputs..., ) -> (out, cache)
    backward(dout, cache) -> gradients with the shapes of the inputs

``dW`` is always ∂loss/∂W with W's shape. Shapes: X (n, d_in), W (d_in, d_out),
b (d_out,), Z = XW + b (n, d_out).
"""

from __future__ import annotations

from . import activations as act
from . import kernels as k
from ._validate import as_float_array, as_matrix


def dense_forward(X, W, b):
    """Z = XW + b.  X (n, d_in), W (d_in, d_out), b (d_out,) -> Z (n, d_out), cache (X, W)."""
    W = as_float_array(W, "W", ndim=2)
    d_in, d_out = W.shape
    X = as_matrix(X, "X")
    if X.shape[1] != d_in:
        raise ValueError(
            f"X has shape {X.shape} but W has shape {W.shape}: "
            f"the layer expects {d_in} inputs per sample, got {X.shape[1]}"
        )
    b = as_float_array(b, "b", ndim=1)
    if b.shape != (d_out,):
        raise ValueError(f"b has shape {b.shape} but W has shape {W.shape}: expected b of shape ({d_out},)")
    return k.dense_forward(X, W, b), (X, W)


def dense_backward(dZ, cache):
    """Backward of Z = XW + b.  dZ (n, d_out) -> dX (n, d_in), dW (d_in, d_out), db (d_out,)."""
    try:
        X, W = cache
    except (TypeError, ValueError):
        raise TypeError("cache must be the (X, W) pair returned by dense_forward") from None
    dZ = as_matrix(dZ, "dZ")
    if dZ.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"dZ has shape {dZ.shape} but the layer's output has shape {(X.shape[0], W.shape[1])}")
    return k.dense_backward(dZ, X, W)


def activation_forward(Z, name: str):
    """A = f(Z) for an activation name (including 'softmax', row-wise). Returns (A, cache).

    Z of any shape (softmax: (n, k) or (k,)) -> A of the same shape; cache (name, Z, A).
    """
    if name == "softmax":
        Z = as_float_array(Z, "Z", ndim=(1, 2))
    else:
        act.get(name)
        Z = as_float_array(Z, "Z")
    return k.activation_forward(Z, name)


def activation_backward(dA, cache):
    """dZ = dA · f'(Z) element-wise; for softmax the Jacobian-vector product S ⊙ (dA − Σ dA⊙S).

    dA has the shape of the activation's output; dZ the same shape. A cache built by
    hand may hold A = None: the derivative is then computed from Z alone.
    """
    try:
        name, Z, A = cache
    except (TypeError, ValueError):
        raise TypeError("cache must be the (name, Z, A) triple returned by activation_forward") from None
    dA = as_float_array(dA, "dA")
    if name == "softmax":
        if A is None:
            raise ValueError("a softmax cache needs its output A (the cache activation_forward returns)")
        if dA.shape != A.shape:
            raise ValueError(f"dA has shape {dA.shape} but the softmax output has shape {A.shape}")
        return k.activation_backward(dA, cache)
    act.get(name)
    Z = as_float_array(Z, "Z")
    if dA.shape != Z.shape:
        raise ValueError(f"dA has shape {dA.shape} but the activation's input has shape {Z.shape}")
    return k.activation_backward(dA, (name, Z, A))
