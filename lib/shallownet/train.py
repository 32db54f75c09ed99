"""Training: a seeded mini-batch iterator, a validation split and a fit loop with early stopping.

Vectorised over samples: one matrix product per layer per batch, no loop over samples.
"""
from __future__ import annotations

import numpy as np

from ._validate import as_matrix, finite_number, positive_int


def _xy(X, Y):
    X = as_matrix(X, "X")
    Y = as_matrix(Y, "Y")
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} samples (shape {X.shape}) but Y has {Y.shape[0]} (shape {Y.shape})")
    return X, Y


def minibatches(X, Y, batch_size: int, shuffle: bool = True, rng=None):
    """Yield (X_batch, Y_batch) covering every sample exactly once; the last batch may be smaller.

    X (n, d), Y (n, k). rng: a numpy Generator or an int seed (used when shuffle=True).
    """
    X, Y = _xy(X, Y)
    batch_size = positive_int(batch_size, "batch_size")
    n = X.shape[0]
    if shuffle:
        rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        order = rng.permutation(n)
    else:
        order = np.arange(n)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], Y[idx]


def train_val_split(X, Y, val_fraction: float = 0.2, seed=None):
    """Shuffle and split into (X_train, Y_train, X_val, Y_val); val gets round(n·val_fraction) samples."""
    X, Y = _xy(X, Y)
    val_fraction = finite_number(val_fraction, "val_fraction", minimum=0.0)
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction}")
    n = X.shape[0]
    n_val = int(round(n * val_fraction))
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


def fit(net, X, Y, loss: str, optimizer, epochs: int, batch_size: int | None = None,
        shuffle: bool = True, seed=None, validation=None, patience: int | None = None):
    """Train ``net`` in place; return a history dict.

    batch_size None means full batch. validation: (X_val, Y_val) or None.
    With patience, training stops after ``patience`` epochs without a lower
    validation loss and the best parameters are restored.
    History keys: 'loss' (mean training loss per epoch), 'val_loss', 'epochs_run', 'best_epoch', 'stopped_early'.
    """
    X, Y = _xy(X, Y)
    epochs = positive_int(epochs, "epochs")
    batch_size = X.shape[0] if batch_size is None else positive_int(batch_size, "batch_size")
    if patience is not None:
        patience = positive_int(patience, "patience")
        if validation is None:
            raise ValueError("early stopping (patience) needs validation data")
    if validation is not None:
        Xv, Yv = _xy(*validation)
    rng = np.random.default_rng(seed)
    history = {"loss": [], "val_loss": [], "epochs_run": 0, "best_epoch": None, "stopped_early": False}
    best, best_params, waited = np.inf, None, 0
    for epoch in range(epochs):
        total = 0.0
        for Xb, Yb in minibatches(X, Y, batch_size, shuffle=shuffle, rng=rng):
            value, grads = net.loss(Xb, Yb, loss)
            optimizer.step(net.params, grads)
            total += value * Xb.shape[0]
        history["loss"].append(total / X.shape[0])
        history["epochs_run"] = epoch + 1
        if validation is not None:
            val = net.loss(Xv, Yv, loss)[0]
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
