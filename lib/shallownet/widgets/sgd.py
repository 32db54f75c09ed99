"""Pictures for notebook 05 (stochastic gradient descent).

BatchSizePicture  batch size and learning rate against the training-loss curve, with the wall time per epoch
BoundaryPicture   the decision boundary of a small network on two moons as training goes on,
                  with training and validation accuracy and both loss curves (over-fitting, early stopping)

Neither calls anything the student writes: both work in the untouched release notebook.
"""
from __future__ import annotations

import math
import time

import contourpy
import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import data
from ..network import Network
from ..train import accuracy, minibatches
from .base import Picture


def _two_clouds(n: int, seed: int):
    """Two overlapping Gaussian clouds in 2-D, standardised: X (n, 2), y (n,) in {0, 1}."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    centres = np.array([[-1.0, -0.5], [1.0, 0.5]])
    X = centres[y] + rng.normal(0.0, 1.0, (n, 2))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y.astype(np.float64)


def _fixed_layout(fig, *boxes) -> None:
    """Place the axes once at fixed [left, bottom, width, height] boxes and switch the layout engine off:
    re-running constrained layout on every redraw costs more than the drawing itself."""
    fig.set_layout_engine("none")
    for ax, box in zip(fig.axes, boxes):
        ax.set_position(box)


class BatchSizePicture(Picture):
    """One sigmoid neuron trained by mini-batch SGD on two overlapping clouds of points.

    The curve is the loss on the whole training set after every update, drawn
    against epochs: one update per epoch for the full batch (smooth), n updates
    per epoch for single samples (jagged). The grey curve is full-batch
    gradient descent at the same learning rate, for comparison.
    """

    figsize = (6.0, 3.5)
    n = 100
    epochs = 8
    batch_sizes = (1, 2, 5, 10, 25, 50, 100)
    learning_rates = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)

    def __init__(self, seed: int = 3):
        self.seed = seed
        self.X, self.y = _two_clouds(self.n, seed)
        self._full = {}                  # learning rate -> full-batch curve (x, loss)
        super().__init__()

    def controls(self) -> dict:
        sizes = [(f"{b} (full batch)" if b == self.n else str(b), b) for b in self.batch_sizes]
        return {
            "batch_size": widgets.SelectionSlider(options=sizes, value=10, description="batch size"),
            "lr": widgets.SelectionSlider(options=list(self.learning_rates), value=0.3,
                                          description="learning rate"),
        }

    def _run(self, batch_size: int, lr: float):
        """Train from w = 0; return (epoch position of every update, training loss after it, seconds per epoch)."""
        X, y, n = self.X, self.y, self.n
        rng = np.random.default_rng(self.seed)
        per_epoch = math.ceil(n / batch_size)
        steps = per_epoch * self.epochs
        ws = np.zeros((steps + 1, 2))
        bs = np.zeros(steps + 1)
        w = np.zeros(2)
        b = 0.0
        k = 0
        half_minus_y = 0.5 - y
        t0 = time.perf_counter()
        for _ in range(self.epochs):
            order = rng.permutation(n)
            Xo, co = X[order], half_minus_y[order]             # shuffled once per epoch; batches are slices
            for start in range(0, n, batch_size):
                Xb = Xo[start:start + batch_size]
                g = np.tanh(0.5 * (Xb @ w + b))
                g *= 0.5
                g += co[start:start + batch_size]               # sigmoid(z) − y = ½ tanh(z/2) + ½ − y
                step = lr / len(g)
                w = w - step * (g @ Xb)
                b = b - step * g.sum()
                k += 1
                ws[k] = w
                bs[k] = b
        per_epoch_s = (time.perf_counter() - t0) / self.epochs
        Z = X @ ws.T + bs                                      # (n, steps + 1): every state at once
        loss = np.mean(np.logaddexp(0.0, Z) - y[:, None] * Z, axis=0)
        return np.arange(steps + 1) / per_epoch, loss, per_epoch_s

    def draw_static(self) -> None:
        ax = self.ax = self.fig.add_subplot(1, 1, 1)
        ax.set_xlim(0, self.epochs)
        ax.set_ylim(0.0, 1.0)
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss (cross-entropy)")
        ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(4))
        (self.full_line,) = ax.plot([], [], color="0.6", lw=2, label="full batch, same learning rate")
        (self.line,) = ax.plot([], [], color="C0", lw=1, label="mini-batch SGD")
        ax.legend(loc="lower left", fontsize=9)
        _fixed_layout(self.fig, [0.12, 0.14, 0.85, 0.82])

    def draw(self, batch_size, lr) -> None:
        x, loss, self.per_epoch_s = self._run(batch_size, lr)
        if lr not in self._full:                               # the grey reference: its timing is not shown
            self._full[lr] = self._run(self.n, lr)[:2]
        xf, loss_f = self._full[lr]
        self.final_loss = float(loss[-1])
        self.line.set_data(x, loss)
        self.full_line.set_data(xf, loss_f)
        top = max(1.0, min(3.0, float(np.max(loss)) * 1.05))
        self.ax.set_ylim(0.0, top)

    def dynamic(self) -> list:
        """The two curves, then the frame and the legend over them; ticks are drawn once per y range (see base.py)."""
        return [self.full_line, self.line, *self.ax.spines.values(), self.ax.get_legend()]

    def background_key(self, **_):
        return self.ax.get_ylim()

    def readout(self, batch_size, lr) -> str:
        per_epoch = math.ceil(self.n / batch_size)
        return (f"batch size {batch_size} of n = {self.n}: {per_epoch} update{'s' if per_epoch > 1 else ''} "
                f"per epoch, {per_epoch * self.epochs} in {self.epochs} epochs; "
                f"wall time per epoch {self.per_epoch_s * 1e3:.2f} ms; "
                f"final training loss {self.final_loss:.4f}")


class BoundaryPicture(Picture):
    """A 2-64-2 ReLU/softmax network learning two moons from few noisy points, snapshot after every epoch.

    Left: the predicted class over the plane (shaded by the probability of
    class 1) with the training or the validation points. Right: training and
    validation loss per epoch; the dotted line marks the epoch of the lowest
    validation loss, where early stopping would keep the weights.
    """

    figsize = (7.5, 3.5)
    epochs = 100
    grid = 70

    def __init__(self, seed: int = 1, n_train: int = 30, n_val: int = 200, hidden: int = 64,
                 lr: float = 0.05, batch_size: int = 8):
        X, y = data.two_moons(n_train + n_val, noise=0.3, seed=seed)
        Y = data.one_hot(y, 2)
        self.Xt, self.Yt, self.Xv, self.Yv = X[:n_train], Y[:n_train], X[n_train:], Y[n_train:]
        net = Network([2, hidden, 2], ["relu", "softmax"], seed=seed)
        rng = np.random.default_rng(seed)
        self.snapshots = [{k: v.copy() for k, v in net.params.items()}]
        for _ in range(self.epochs):
            for Xb, Yb in minibatches(self.Xt, self.Yt, batch_size, shuffle=True, rng=rng):
                _, grads = net.loss(Xb, Yb, "softmax_cross_entropy")
                for k in net.params:
                    net.params[k] -= lr * grads[k]
            self.snapshots.append({k: v.copy() for k, v in net.params.items()})
        self.net = net
        self.train_loss, self.val_loss, self.train_acc, self.val_acc = [], [], [], []
        for p in self.snapshots:
            net.params = p
            self.train_loss.append(net.loss(self.Xt, self.Yt, "softmax_cross_entropy")[0])
            self.val_loss.append(net.loss(self.Xv, self.Yv, "softmax_cross_entropy")[0])
            self.train_acc.append(accuracy(net.predict(self.Xt), self.Yt))
            self.val_acc.append(accuracy(net.predict(self.Xv), self.Yv))
        self.best_epoch = int(np.argmin(self.val_loss))
        lo = np.vstack([self.Xt, self.Xv]).min(axis=0) - 0.3
        hi = np.vstack([self.Xt, self.Xv]).max(axis=0) + 0.3
        self.extent = (lo[0], hi[0], lo[1], hi[1])
        gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], self.grid), np.linspace(lo[1], hi[1], self.grid))
        self.G = np.column_stack([gx.ravel(), gy.ravel()])
        super().__init__()

    def controls(self) -> dict:
        return {
            "epoch": widgets.IntSlider(min=0, max=self.epochs, step=1, value=30,
                                       description="epoch", continuous_update=True),
            "points": widgets.ToggleButtons(options=["training", "validation"], value="training",
                                            description="points"),
        }

    def _probability(self, epoch: int) -> np.ndarray:
        p = self.snapshots[epoch]
        # G @ W1 written out for the two input columns: elementwise, no BLAS call for a (n, 2) product
        H = self.G[:, :1] * p["W1"][0] + self.G[:, 1:] * p["W1"][1] + p["b1"]
        np.maximum(H, 0.0, out=H)
        gap = H @ (p["W2"][:, 1] - p["W2"][:, 0]) + (p["b2"][1] - p["b2"][0])
        return 0.5 * (1.0 + np.tanh(0.5 * gap))      # softmax of two logits = sigmoid of their gap

    def draw_static(self) -> None:
        ax, bx = self.ax, self.bx = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.1]})
        self.img = ax.imshow(np.zeros((self.grid, self.grid)), origin="lower", extent=self.extent,
                             cmap="RdBu", vmin=0.0, vmax=1.0, alpha=0.55, aspect="auto")
        (self.boundary,) = ax.plot([], [], color="k", lw=1.2)     # the 0.5 contour, one NaN-separated line
        gx = np.linspace(self.extent[0], self.extent[1], self.grid)
        gy = np.linspace(self.extent[2], self.extent[3], self.grid)
        self._contour_xy = (gx, gy)
        self.scatter0 = ax.scatter([], [], s=14, c="C3", edgecolors="k", linewidths=0.4, label="class 0")
        self.scatter1 = ax.scatter([], [], s=14, c="C0", edgecolors="k", linewidths=0.4, label="class 1")
        ax.set_xlim(self.extent[0], self.extent[1])
        ax.set_ylim(self.extent[2], self.extent[3])
        ax.set_xticks([])
        ax.set_yticks([])
        self.title = ax.set_title("", fontsize=10)
        x = np.arange(self.epochs + 1)
        bx.plot(x, self.train_loss, color="C1", label="training loss")
        bx.plot(x, self.val_loss, color="C2", label="validation loss")
        bx.axvline(self.best_epoch, color="C2", ls=":", lw=1.5)
        self.marker = bx.axvline(0, color="k", lw=1)
        bx.set_xlabel("epoch")
        bx.set_ylim(0.0, max(1.0, 1.05 * max(max(self.val_loss), max(self.train_loss))))
        bx.legend(fontsize=8, loc="upper right")
        bx.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        bx.yaxis.set_major_locator(MaxNLocator(4))
        _fixed_layout(self.fig, [0.01, 0.03, 0.43, 0.88], [0.52, 0.13, 0.46, 0.82])

    def draw(self, epoch, points) -> None:
        prob = self._probability(epoch).reshape(self.grid, self.grid)
        self.img.set_data(prob)
        # contourpy directly (what ax.contour uses), into one line: a new ContourSet per frame costs ~10x more
        lines = contourpy.contour_generator(*self._contour_xy, prob, name="serial",
                                            line_type="ChunkCombinedNan").lines(0.5)[0][0]
        if lines is None:
            lines = np.empty((0, 2))
        self.boundary.set_data(lines[:, 0], lines[:, 1])
        X, Y = (self.Xt, self.Yt) if points == "training" else (self.Xv, self.Yv)
        self.scatter0.set_offsets(X[Y[:, 0] == 1])
        self.scatter1.set_offsets(X[Y[:, 1] == 1])
        self.title.set_text(f"{points} points, epoch {epoch}")
        self.marker.set_xdata([epoch, epoch])

    def dynamic(self) -> list:
        """Left: the map, points, boundary and frame; right: the epoch marker under the legend.

        The loss curves, ticks and labels are drawn once (see base.py).
        """
        return [self.img, self.scatter0, self.scatter1, self.boundary, *self.ax.spines.values(), self.title,
                self.marker, self.bx.get_legend()]

    def readout(self, epoch, points) -> str:
        return (f"epoch {epoch}: training accuracy {self.train_acc[epoch]:.1%}, "
                f"validation accuracy {self.val_acc[epoch]:.1%}; training loss {self.train_loss[epoch]:.3f}, "
                f"validation loss {self.val_loss[epoch]:.3f}. Lowest validation loss at epoch {self.best_epoch} "
                f"(dotted line): early stopping keeps those weights.")
