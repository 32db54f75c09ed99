"""The formulas of the course, once: unchecked numpy kernels.

Every formula of the library lives here and only here. The public functions
(``activations``, ``losses``, ``layers``), ``Network``, ``fit`` and the notebook
pictures all compute with these kernels; the public functions add what a
kernel deliberately leaves out: checking their inputs (``_validate``) and
clear errors naming the argument and the shapes.

A kernel trusts its caller. Arguments are float numpy arrays of matching
shapes (float64 throughout the library; a picture may pass float32 to draw
faster), names are known, nothing is NaN unless the caller allows it; a kernel
never copies or converts an input, never checks and never warns on purpose.
Call a kernel directly only where the inputs were checked once already (a
training loop after ``fit`` has checked the data, a picture redrawing arrays
it built itself); everywhere else call the public function, which checks
and then calls the same kernel: the two cannot disagree.

Shapes: X (n, d_in), W (d_in, d_out), b (d_out,), Z = XW + b (n, d_out);
predictions y_hat and targets y (n, k).

    activation kernels   f(z) and f'(z, a) with a = f(z): the derivative reuses the
                         forward output where it is defined by it (sigmoid, tanh)
    loss kernels         (y_hat, y) -> (loss, d loss / d y_hat)
    layer kernels        dense_forward/backward, activation_forward/backward
    network kernels      network_forward/backward/loss over a params dict W1, b1, …
"""

from __future__ import annotations

import numpy as np

#: Slope of leaky ReLU for z <= 0 unless another ``alpha`` is given.
LEAKY_SLOPE = 0.01
#: Probabilities are clipped to [EPS, 1 − EPS] before a log is taken.
EPS = 1e-12


# ---------------------------------------------------------------- activations
def identity(z):
    """f(z) = z (a new array)."""
    return z.copy()


def identity_grad(z, a=None):
    """f'(z) = 1."""
    return np.ones_like(z)


def heaviside(z):
    """1 where z >= 0, else 0."""
    return (z >= 0).astype(np.float64)


def heaviside_grad(z, a=None):
    """0 everywhere (taken as 0 at z = 0)."""
    return np.zeros_like(z)


def sigmoid(z):
    """1 / (1 + e^(−z)) without overflow: e^(−|z|) is in (0, 1]."""
    e = np.exp(-np.abs(z))
    r = 1.0 / (1.0 + e)
    return np.where(z >= 0, r, e * r)


def sigmoid_grad(z, a=None):
    """σ(z)(1 − σ(z)); a = σ(z) when the caller has it."""
    if a is None:
        a = sigmoid(z)
    return a * (1.0 - a)


def tanh(z):
    """tanh(z)."""
    return np.tanh(z)


def tanh_grad(z, a=None):
    """1 − tanh(z)²; a = tanh(z) when the caller has it."""
    if a is None:
        a = np.tanh(z)
    return 1.0 - a * a


def relu(z):
    """max(0, z)."""
    return np.maximum(z, 0.0)


def relu_grad(z, a=None):
    """1 where z > 0, else 0."""
    return (z > 0).astype(np.float64)


def leaky_relu(z, alpha=LEAKY_SLOPE):
    """z where z > 0, alpha·z elsewhere."""
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, a=None, alpha=LEAKY_SLOPE):
    """1 where z > 0, alpha elsewhere."""
    return np.where(z > 0, 1.0, alpha)


def softplus(z):
    """log(1 + e^z) as logaddexp(0, z)."""
    return np.logaddexp(0.0, z)


def softplus_grad(z, a=None):
    """σ(z)."""
    return sigmoid(z)


def softmax(z):
    """Softmax along the last axis, the maximum subtracted first."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z):
    """log(softmax(z)) along the last axis via log-sum-exp."""
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax_jacobian(s):
    """diag(s) − s sᵀ for one softmax output s (k,) -> (k, k)."""
    return np.diag(s) - np.outer(s, s)


#: name -> (f(z), f'(z, a)). Softmax is handled apart (its derivative is a Jacobian).
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


# ---------------------------------------------------------------- losses
def half_sse(y_hat, y):
    """½ Σ (y − y_hat)² over every entry -> (E, y_hat − y)."""
    diff = y_hat - y
    return 0.5 * float(np.vdot(diff, diff)), diff


def mse(y_hat, y):
    """mean((y_hat − y)²) over every entry -> (loss, 2 (y_hat − y) / entries)."""
    diff = y_hat - y
    return float(np.vdot(diff, diff)) / diff.size, 2.0 * diff / diff.size


def _bce_terms(pc, y):
    return -(y * np.log(pc) + (1.0 - y) * np.log1p(-pc))


def binary_cross_entropy_terms(p, y, eps=EPS):
    """The entries −(y log p + (1 − y) log(1 − p)), p clipped to [eps, 1 − eps]; y broadcasts against p."""
    return _bce_terms(np.clip(p, eps, 1.0 - eps), y)


def binary_cross_entropy(p, y, eps=EPS):
    """Mean of binary_cross_entropy_terms -> (loss, d loss / d p)."""
    pc = np.clip(p, eps, 1.0 - eps)
    loss = np.mean(_bce_terms(pc, y))
    grad = (pc - y) / (pc * (1.0 - pc)) / p.size
    return float(loss), grad


def cross_entropy(p, y, eps=EPS):
    """−(1/n) Σ y log p for p (n, k), p clipped to [eps, 1] -> (loss, −y / p_clipped / n)."""
    pc = np.clip(p, eps, 1.0)
    n = p.shape[0]
    return float(-np.sum(y * np.log(pc)) / n), -y / pc / n


def softmax_cross_entropy(z, y):
    """Cross-entropy of softmax(z) (z: logits (n, k)) against y -> (loss, (softmax(z) − y) / n)."""
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    n = z.shape[0]
    loss = -np.sum(y * (shifted - np.log(total))) / n  # log-softmax, as log_softmax computes it
    return float(loss), (e / total - y) / n


#: name -> loss kernel (y_hat, y) -> (loss, grad)
LOSSES = {
    "half_sse": half_sse,
    "mse": mse,
    "binary_cross_entropy": binary_cross_entropy,
    "cross_entropy": cross_entropy,
    "softmax_cross_entropy": softmax_cross_entropy,
}


# ---------------------------------------------------------------- layers (the cs231n contract)
def dense_forward(X, W, b):
    """Z = XW + b (a new array)."""
    Z = X @ W
    Z += b
    return Z


def dense_backward(dZ, X, W, input_grad: bool = True):
    """(dX, dW, db) of Z = XW + b; dX is None when ``input_grad`` is False (the first layer needs none)."""
    return (dZ @ W.T if input_grad else None), X.T @ dZ, dZ.sum(axis=0)


def activation_forward(Z, name: str):
    """A = f(Z) for a known name (or 'softmax', along the last axis) -> (A, cache = (name, Z, A))."""
    A = softmax(Z) if name == "softmax" else ACTIVATIONS[name][0](Z)
    return A, (name, Z, A)


def activation_backward(dA, cache):
    """dZ = dA · f'(Z); softmax: the Jacobian-vector product S ⊙ (dA − Σ dA⊙S) along the last axis."""
    name, Z, A = cache
    if name == "softmax":
        return A * (dA - np.sum(dA * A, axis=-1, keepdims=True))
    return dA * ACTIVATIONS[name][1](Z, A)


# ---------------------------------------------------------------- networks
def network_forward(params: dict, activations, X, logits: bool = False):
    """Forward pass through layers W1, b1, … -> (output, cache).

    cache: one ((A_prev, W), (name, Z, A)) pair per layer; with logits=True the last
    activation is skipped and its entry is ((A_prev, W), None).
    """
    cache = []
    A = X
    last = len(activations)
    for layer, name in enumerate(activations, start=1):
        W = params[f"W{layer}"]
        Z = dense_forward(A, W, params[f"b{layer}"])
        if logits and layer == last:
            cache.append(((A, W), None))
            return Z, cache
        A_next, act_cache = activation_forward(Z, name)
        cache.append(((A, W), act_cache))
        A = A_next
    return A, cache


def network_backward(d, cache) -> dict:
    """Backward pass from d = ∂loss/∂output -> grads {W1, b1, …} with the shapes of the params."""
    grads = {}
    for layer in range(len(cache), 0, -1):
        (X, W), act_cache = cache[layer - 1]
        if act_cache is not None:
            d = activation_backward(d, act_cache)
        dX, grads[f"W{layer}"], grads[f"b{layer}"] = dense_backward(d, X, W, input_grad=layer > 1)
        d = dX
    return grads


def network_loss(params: dict, activations, X, Y, loss: str):
    """(loss value, grads) of a network on (X, Y); 'softmax_cross_entropy' works from the logits."""
    logits = loss == "softmax_cross_entropy"
    out, cache = network_forward(params, activations, X, logits=logits)
    value, d = LOSSES[loss](out, Y)
    return value, network_backward(d, cache)
