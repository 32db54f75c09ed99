"""Two-parameter loss surfaces for gradient descent (notebook 04) and the descent path on them.

w = (w1, w2): arrays of shape (..., 2); a loss returns shape (...), a gradient shape (..., 2).

    bowl         L = ½ (w1² + 10 w2²)            one minimum at (0, 0); steps diverge for lr > 0.2
    two valleys  L = w1⁴ − 3 w1² + w1 + w2²       a global minimum near w1 = −1.30 and a local one near w1 = 1.13
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, positive_int
from .optim import GradientDescent

#: A path stops (and is called diverged) once its loss exceeds this or stops being finite.
MAX_LOSS = 1e6


def _w(w) -> np.ndarray:
    """w as a float array of shape (..., 2); inf and NaN allowed (a diverged run produces them)."""
    w = as_float_array(w, "w", allow_nan=True)
    if w.ndim == 0 or w.shape[-1] != 2:
        raise ValueError(f"w must have shape (..., 2) (the two parameters w1, w2 last), got shape {w.shape}")
    return w


def bowl(w):
    """½ (w1² + 10 w2²) for w of shape (..., 2) -> shape (...)."""
    w = _w(w)
    return 0.5 * (w[..., 0] ** 2 + 10.0 * w[..., 1] ** 2)


def bowl_grad(w):
    """Gradient (w1, 10 w2) of bowl, shape (..., 2)."""
    w = _w(w)
    return np.stack([w[..., 0], 10.0 * w[..., 1]], axis=-1)


def two_valleys(w):
    """w1⁴ − 3 w1² + w1 + w2² for w of shape (..., 2) -> shape (...)."""
    w = _w(w)
    x = w[..., 0]
    return x**4 - 3.0 * x**2 + x + w[..., 1] ** 2


def two_valleys_grad(w):
    """Gradient (4 w1³ − 6 w1 + 1, 2 w2) of two_valleys, shape (..., 2)."""
    w = _w(w)
    x = w[..., 0]
    return np.stack([4.0 * x**3 - 6.0 * x + 1.0, 2.0 * w[..., 1]], axis=-1)


def lowest_two_valleys() -> float:
    """The global minimum of two_valleys: the smallest root of 4x³ − 6x + 1, polished by Newton's method."""
    x = -1.3
    for _ in range(50):
        x -= (4 * x**3 - 6 * x + 1) / (12 * x**2 - 6)
    return float(two_valleys(np.array([x, 0.0])))


#: name -> (loss, gradient, lowest loss)
SURFACES = {
    "bowl": (bowl, bowl_grad, 0.0),
    "two valleys": (two_valleys, two_valleys_grad, lowest_two_valleys()),
}


def descent_path(surface: str, start, lr: float, steps: int, momentum: float = 0.0, decay: float = 0.0):
    """Run ``GradientDescent`` on a surface from ``start`` (w1, w2): (path (k+1, 2), losses (k+1,), diverged).

    Stops early, without recording the offending point, once the loss exceeds MAX_LOSS or is not finite.
    """
    if surface not in SURFACES:
        raise ValueError(f"surface must be one of {sorted(SURFACES)}, got {surface!r}")
    loss, grad, _ = SURFACES[surface]
    w = as_float_array(start, "start", ndim=1).copy()
    if w.shape != (2,):
        raise ValueError(f"start must be a point (w1, w2), got shape {w.shape}")
    steps = positive_int(steps, "steps", minimum=0)
    params = {"w": w}
    opt = GradientDescent(lr, momentum=momentum, decay=decay)
    path, losses = [w.copy()], [float(loss(w))]
    for _ in range(steps):
        opt.step(params, {"w": grad(w)})
        value = float(loss(w))
        if not np.isfinite(value) or value > MAX_LOSS:
            return np.array(path), np.array(losses), True
        path.append(w.copy())
        losses.append(value)
    return np.array(path), np.array(losses), False
