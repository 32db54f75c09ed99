"""Small data sets, generated locally and seeded: nothing is downloaded.

Inputs X have shape (n, d); labels y have shape (n,) (integers) unless said otherwise.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, finite_number, positive_int

_TABLES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "xor": [0, 1, 1, 0],
    "nand": [1, 1, 1, 0],
}


def truth_table(op: str):
    """X (4, 2) with rows 00, 01, 10, 11 and y (4,) for op in 'and', 'or', 'xor', 'nand'."""
    if not isinstance(op, str) or op.lower() not in _TABLES:
        raise ValueError(f"op must be one of {sorted(_TABLES)}, got {op!r}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array(_TABLES[op.lower()], dtype=np.int64)


def sine(n: int = 100, noise: float = 0.0, seed=None):
    """x evenly spaced on [0, 2π], shape (n, 1); y = sin x (+ Gaussian noise), shape (n, 1)."""
    n = positive_int(n, "n", minimum=2)
    noise = finite_number(noise, "noise", minimum=0.0)
    x = np.linspace(0.0, 2.0 * np.pi, n).reshape(-1, 1)
    y = np.sin(x)
    if noise:
        y = y + np.random.default_rng(seed).normal(0.0, noise, y.shape)
    return x, y


def two_clouds(n: int = 24, seed=1):
    """Two well-separated Gaussian clouds in the unit square: X (n, 2), y (n,) with 1 around (0.85, 0.8)
    (the first n − n // 2 rows) and 0 around (0.2, 0.25) (the rest); std 0.13."""
    n = positive_int(n, "n", minimum=2)
    rng = np.random.default_rng(seed)
    half = n // 2
    ones = rng.normal([0.85, 0.8], 0.13, (n - half, 2))
    zeros = rng.normal([0.2, 0.25], 0.13, (half, 2))
    X = np.vstack([ones, zeros])
    y = np.concatenate([np.ones(n - half, np.int64), np.zeros(half, np.int64)])
    return X, y


def overlapping_clouds(n: int = 100, seed=None):
    """Two overlapping Gaussian clouds (centres (−1, −0.5) and (1, 0.5), std 1), standardised column-wise.

    X (n, 2); y (n,) floats alternating 0, 1, 0, … (class of row i is i mod 2).
    """
    n = positive_int(n, "n", minimum=2)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    centres = np.array([[-1.0, -0.5], [1.0, 0.5]])
    X = centres[y] + rng.normal(0.0, 1.0, (n, 2))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y.astype(np.float64)


def two_moons(n: int = 200, noise: float = 0.1, seed=None):
    """Two interleaving half circles: X (n, 2), y (n,) in {0, 1}; n // 2 per class (the rest in class 1)."""
    n = positive_int(n, "n", minimum=2)
    noise = finite_number(noise, "noise", minimum=0.0)
    rng = np.random.default_rng(seed)
    n0 = n // 2
    n1 = n - n0
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    X0 = np.column_stack([np.cos(t0), np.sin(t0)])
    X1 = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([X0, X1]) + rng.normal(0.0, noise, (n, 2))
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    order = rng.permutation(n)
    return X[order], y[order]


def two_spirals(n: int = 200, noise: float = 0.1, turns: float = 1.5, seed=None):
    """Two interleaved spirals: X (n, 2), y (n,) in {0, 1}."""
    n = positive_int(n, "n", minimum=2)
    noise = finite_number(noise, "noise", minimum=0.0)
    rng = np.random.default_rng(seed)
    n0 = n // 2
    counts = (n0, n - n0)
    Xs, ys = [], []
    for label, m in enumerate(counts):
        t = np.sqrt(rng.uniform(0.05, 1.0, m)) * turns * 2.0 * np.pi
        r = t / (turns * 2.0 * np.pi)
        phase = label * np.pi
        Xs.append(np.column_stack([r * np.cos(t + phase), r * np.sin(t + phase)]))
        ys.append(np.full(m, label, np.int64))
    X = np.vstack(Xs) + rng.normal(0.0, noise * 0.1, (n, 2))
    y = np.concatenate(ys)
    order = rng.permutation(n)
    return X[order], y[order]


def parabola_vs_random(n: int = 10_000, seed=None, order: str = "parabola_first"):
    """The lecture's experiment: n/2 points on the parabola y = x² (class 0) and n/2 random points (class 1).

    x is uniform on [0, 100]; random points have y uniform on [0, 10 000]
    (the lecture's examples: parabola (37.66, 1418.25), random (84.65, 222.071)).
    order: 'parabola_first', 'random_first' (both unshuffled, as the lecture's
    failing runs) or 'shuffled'. Returns X (n, 2) and y (n,).
    """
    n = positive_int(n, "n", minimum=2)
    if order not in ("parabola_first", "random_first", "shuffled"):
        raise ValueError(f"order must be 'parabola_first', 'random_first' or 'shuffled', got {order!r}")
    rng = np.random.default_rng(seed)
    half = n // 2
    xp = rng.uniform(0.0, 100.0, half)
    parabola = np.column_stack([xp, xp**2])
    xr = rng.uniform(0.0, 100.0, n - half)
    random_pts = np.column_stack([xr, rng.uniform(0.0, 10_000.0, n - half)])
    X = np.vstack([parabola, random_pts])
    y = np.concatenate([np.zeros(half, np.int64), np.ones(n - half, np.int64)])
    if order == "random_first":
        idx = np.concatenate([np.arange(half, n), np.arange(half)])
    elif order == "shuffled":
        idx = rng.permutation(n)
    else:
        idx = np.arange(n)
    return X[idx], y[idx]


def one_hot(y, num_classes: int | None = None):
    """Integer labels y (n,) -> one-hot matrix (n, num_classes) of floats."""
    if y is None or isinstance(y, (str, bytes)):
        raise TypeError(f"y must be a 1-D array of integer labels, got {type(y).__name__}")
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be a 1-D array of integer labels, got dtype {y.dtype} and shape {y.shape}")
    if num_classes is None and y.size == 0:
        raise ValueError("y is empty: give num_classes to one-hot an empty label array")
    k = int(y.max()) + 1 if num_classes is None else positive_int(num_classes, "num_classes")
    if y.size and (y.min() < 0 or y.max() >= k):
        raise ValueError(f"labels must lie in 0..{k - 1}, got values from {y.min()} to {y.max()}")
    out = np.zeros((y.size, k))
    out[np.arange(y.size), y] = 1.0
    return out


def standardize(X, mean=None, std=None):
    """(X − mean) / std column-wise, X (n, d) (or (n,)); returns (X_std, mean, std).

    Pass the returned mean and std for new data, so that the same shift applies to it.

    Undo with X_std * std + mean (denormalising).
    """
    X = as_float_array(X, "X", ndim=(1, 2))
    if X.shape[0] == 0:
        raise ValueError(f"X has shape {X.shape}: it needs at least one sample")
    cols = X.shape[1:]
    if mean is None:
        mean = X.mean(axis=0)
    else:
        mean = as_float_array(mean, "mean")
        if mean.shape not in (cols, ()):
            raise ValueError(f"mean has shape {mean.shape} but X has shape {X.shape}: expected shape {cols}")
    if std is None:
        std = X.std(axis=0)
        std = np.where(std == 0, 1.0, std)
    else:
        std = as_float_array(std, "std")
        if std.shape not in (cols, ()):
            raise ValueError(f"std has shape {std.shape} but X has shape {X.shape}: expected shape {cols}")
        if np.any(std <= 0):
            raise ValueError(f"std must be positive, got {std}")
    return (X - mean) / std, mean, std
