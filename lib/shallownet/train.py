"""Training: a seeded mini-batch iterator, a validation split and a fit loop with early stopping.

Vectorised over samples: one matrix product per layer per batch, no loop over samples.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from . import kernels
from ._validate import as_matrix, finite_number, loss_for_network, positive_int
from .network import Network


def _xy(X, Y):
    X = as_matrix(X, "X")
    Y = as_matrix(Y, "Y")
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} samples (shape {X.shape}) but Y has {Y.shape[0]} (shape {Y.shape})")
    return X, Y


def minibatches(X, Y, batch_size: int, shuffle: bool = True, rng=None):
    """Yield (X_batch, Y_batch) covering every sample exactly once; the last batch may be smaller.

    X (n, d), Y (n, k) -> batches (≤ batch_size, d), (≤ batch_size, k).
    rng: a numpy Generator or an int seed (used when shuffle=True).
    Arguments are checked at the call, not at the first batch.
    """
    X, Y = _xy(X, Y)
    batch_size = positive_int(batch_size, "batch_size")
    return _batches(X, Y, batch_size, _order(X.shape[0], shuffle, rng))


def _order(n: int, shuffle: bool, rng) -> np.ndarray:
    if not shuffle:
        return np.arange(n)
    if not isinstance(rng, np.random.Generator):
        if rng is not None and (isinstance(rng, bool) or not isinstance(rng, numbers.Integral)):
            raise TypeError(f"rng must be a numpy Generator, an int seed or None, got {type(rng).__name__}")
        rng = np.random.default_rng(None if rng is None else int(rng))
    return rng.permutation(n)


def _batches(X, Y, batch_size, order):
    for start in range(0, X.shape[0], batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], Y[idx]


def train_val_split(X, Y, val_fraction: float = 0.2, seed=None):
    """Shuffle and split into (X_train, Y_train, X_val, Y_val); val gets round(n·val_fraction) samples."""
    X, Y = _xy(X, Y)
    val_fraction = finite_number(val_fraction, "val_fraction", minimum=0.0)
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction}")
    n = X.shape[0]
    n_val = round(n * val_fraction)
    if n_val < 1 or n_val >= n:
        raise ValueError(f"val_fraction {val_fraction} of {n} samples leaves an empty split")
    order = np.random.default_rng(seed).permutation(n)
    tr, va = order[n_val:], order[:n_val]
    return X[tr], Y[tr], X[va], Y[va]


def accuracy(Y_hat, Y) -> float:
    """Fraction of rows whose predicted class equals the target class.

    One column: a probability, class = Y_hat >= 0.5. Several columns: argmax (one-hot targets).
    """
    Y_hat = as_matrix(Y_hat, "Y_hat")
    Y = as_matrix(Y, "Y")
    if Y_hat.shape != Y.shape:
        raise ValueError(f"Y_hat has shape {Y_hat.shape} but Y has shape {Y.shape}; they must match")
    if Y.shape[1] == 1:
        return float(np.mean((Y_hat[:, 0] >= 0.5) == (Y[:, 0] >= 0.5)))
    return float(np.mean(Y_hat.argmax(axis=1) == Y.argmax(axis=1)))


def fit(
    net,
    X,
    Y,
    loss: str,
    optimizer,
    epochs: int,
    batch_size: int | None = None,
    shuffle: bool = True,
    seed=None,
    validation=None,
    patience: int | None = None,
):
    """Train the Network ``net`` in place; return a history dict.

    X (n, d_in), Y (n, d_out); optimizer: anything with step(params, grads).
    batch_size None means full batch. seed: an int, None or a numpy Generator (its
    state carries on, so calls with one Generator continue one stream of shuffles).
    validation: (X_val, Y_val) or None.
    With patience, training stops after ``patience`` epochs without a lower
    validation loss and the best parameters are restored.
    History keys: 'loss' (mean training loss per epoch), 'val_loss', 'epochs_run', 'best_epoch', 'stopped_early'.

    Every argument is checked once, here; the loop then runs the same kernels as
    ``Network.loss`` (kernels.network_loss) on the checked arrays.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a Network, got {type(net).__name__}")
    X, Y = _xy(X, Y)
    epochs = positive_int(epochs, "epochs")
    batch_size = X.shape[0] if batch_size is None else positive_int(batch_size, "batch_size")
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must have a step(params, grads) method, got {type(optimizer).__name__}")
    if patience is not None:
        patience = positive_int(patience, "patience")
        if validation is None:
            raise ValueError("early stopping (patience) needs validation data")
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise TypeError(f"validation must be a pair (X_val, Y_val), got {type(validation).__name__}")
        Xv, Yv = _xy(*validation)
    loss_for_network(loss, net.activations)
    _check_against(net, X, Y, "X", "Y")
    if validation is not None:
        _check_against(net, Xv, Yv, "X_val", "Y_val")
    rng = np.random.default_rng(seed)
    history: dict[str, Any] = {"loss": [], "val_loss": [], "epochs_run": 0, "best_epoch": None, "stopped_early": False}
    best, best_params, waited = np.inf, None, 0
    n = X.shape[0]
    for epoch in range(epochs):
        total = 0.0
        net.check_params()  # once per epoch: catches a custom optimizer that broke them
        for Xb, Yb in _batches(X, Y, batch_size, _order(n, shuffle, rng)):
            value, grads = kernels.network_loss(net.params, net.activations, Xb, Yb, loss)
            optimizer.step(net.params, grads)
            total += value * Xb.shape[0]
        history["loss"].append(total / n)
        history["epochs_run"] = epoch + 1
        if validation is not None:
            net.check_params()
            val = kernels.network_loss(net.params, net.activations, Xv, Yv, loss)[0]
            history["val_loss"].append(val)
            if val < best:
                best, waited, history["best_epoch"] = val, 0, epoch
                if patience is not None:
                    best_params = {k: v.copy() for k, v in net.params.items()}
            else:
                waited += 1
                if patience is not None and waited >= patience:
                    history["stopped_early"] = True
                    break
    if best_params is not None:
        net.params.update(best_params)
    return history


def _check_against(net, X, Y, x_name, y_name):
    if X.shape[1] != net.sizes[0]:
        raise ValueError(
            f"{x_name} has shape {X.shape}: the network expects {net.sizes[0]} inputs per sample "
            f"(sizes {net.sizes}), got {X.shape[1]}"
        )
    if Y.shape[1] != net.sizes[-1]:
        raise ValueError(
            f"{y_name} has shape {Y.shape}: the network has {net.sizes[-1]} outputs "
            f"(sizes {net.sizes}), got {Y.shape[1]} columns"
        )
