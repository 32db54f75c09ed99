"""Pictures for notebook 05 (stochastic gradient descent).

BatchSizePicture  batch size and learning rate against the training-loss curve, with the wall time per epoch
BoundaryPicture   the decision boundary of a small network on two moons as training goes on,
                  with training and validation accuracy and both loss curves (over-fitting, early stopping)

Both train a ``Network`` with ``GradientDescent`` (``minibatches`` and ``fit``) on data sets of
``shallownet.data``. Neither calls anything the student writes: both work in the untouched
release notebook.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .. import data, kernels
from ..network import Network
from ..optim import GradientDescent
from ..train import accuracy, fit, minibatches
from .base import Picture, figure_key, lazy, widgets

contourpy = lazy("contourpy")
ticker = lazy("matplotlib.ticker")


class BatchSizePicture(Picture):
    """One sigmoid neuron trained by mini-batch SGD on two overlapping clouds of points.

    The curve is the loss on the whole training set after every update, drawn
    against epochs: one update per epoch for the full batch (smooth), n updates
    per epoch for single samples (jagged). The grey curve is full-batch
    gradient descent at the same learning rate, for comparison.
    """

    figsize = (6.0, 3.5)
    boxes = ((0.13, 0.16, 0.84, 0.8),)
    n = 100
    epochs = 8
    batch_sizes = (1, 2, 5, 10, 25, 50, 100)
    learning_rates = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)

    def __init__(self, seed: int = 3):
        self.seed = seed
        self.X, y = data.overlapping_clouds(self.n, seed)
        self.Y = y.reshape(-1, 1)
        #: (batch size, learning rate) -> (epoch position of every update, training loss after it, s per epoch)
        self.runs = {(b, lr): self._run(b, lr) for b in self.batch_sizes for lr in self.learning_rates}
        super().__init__()

    def controls(self) -> dict:
        sizes = [(f"{b} (full batch)" if b == self.n else str(b), b) for b in self.batch_sizes]
        return {
            "batch_size": widgets.SelectionSlider(options=sizes, value=10, description="batch size"),
            "lr": widgets.SelectionSlider(options=list(self.learning_rates), value=0.3, description="learning rate"),
        }

    def _run(self, batch_size: int, lr: float):
        """Train from zero weights; return (epoch position of every update, training loss after it, seconds per epoch).

        One sigmoid unit (a 2-1 ``Network``) with binary cross-entropy, mini-batches from ``minibatches``
        and steps by ``GradientDescent``; the loss on the whole training set is computed afterwards, for
        the parameters after every update (so the time per epoch is the training alone).
        """
        net = Network([2, 1], ["sigmoid"], init="zeros")
        opt = GradientDescent(lr)
        rng = np.random.default_rng(self.seed)
        W, b = net.params["W1"], net.params["b1"]
        states = [np.append(W[:, 0], b)]
        t0 = time.perf_counter()
        for _ in range(self.epochs):
            for Xb, Yb in minibatches(self.X, self.Y, batch_size, shuffle=True, rng=rng):
                _, grads = kernels.network_loss(net.params, net.activations, Xb, Yb, "binary_cross_entropy")
                opt.step(net.params, grads)
                states.append(np.append(W[:, 0], b))
        per_epoch_s = (time.perf_counter() - t0) / self.epochs
        S = np.array(states)  # (updates + 1, 3): w1, w2, b after every update
        P = kernels.sigmoid(kernels.dense_forward(self.X, S[:, :2].T, S[:, 2]))  # every state at once: (n, S)
        loss = kernels.binary_cross_entropy_terms(P, self.Y).mean(axis=0)
        per_epoch = math.ceil(self.n / batch_size)
        return np.arange(len(states)) / per_epoch, loss, per_epoch_s

    def draw_static(self) -> None:
        ax = self.ax = self.axes[0]
        ax.set_xlim(0, self.epochs)
        ax.set_ylim(0.0, 1.0)
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss (cross-entropy)")
        ax.xaxis.set_major_locator(ticker.MaxNLocator(4, integer=True))
        ax.yaxis.set_major_locator(ticker.MaxNLocator(4))
        (self.full_line,) = ax.plot([], [], color="0.6", lw=2, label="full batch, same learning rate")
        (self.line,) = ax.plot([], [], color="C0", lw=1, label="mini-batch SGD")
        ax.legend(loc="lower left")

    def draw(self, batch_size, lr) -> None:
        x, loss, self.per_epoch_s = self.runs[batch_size, lr]
        xf, loss_f, _ = self.runs[self.n, lr]  # the grey reference: its timing is not shown
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
        return (
            f"batch size {batch_size} of n = {self.n}: {per_epoch} update{'s' if per_epoch > 1 else ''} "
            f"per epoch, {per_epoch * self.epochs} in {self.epochs} epochs; "
            f"wall time per epoch {self.per_epoch_s * 1e3:.2f} ms; "
            f"final training loss {self.final_loss:.4f}"
        )


class BoundaryPicture(Picture):
    """A 2-64-2 ReLU/softmax network learning two moons from few noisy points, snapshot after every epoch.

    Left: the predicted class over the plane (shaded by the probability of
    class 1) with the training or the validation points. Right: training and
    validation loss per epoch; the dotted line marks the epoch of the lowest
    validation loss, where early stopping would keep the weights.
    """

    figsize = (9.00, 4.20)
    boxes = ((0.1, 0.34, 0.35, 0.57), (0.57, 0.14, 0.41, 0.77))
    epochs = 100
    grid = 70

    def __init__(
        self,
        seed: int = 1,
        n_train: int = 30,
        n_val: int = 200,
        hidden: int = 64,
        lr: float = 0.05,
        batch_size: int = 8,
    ):
        X, y = data.two_moons(n_train + n_val, noise=0.3, seed=seed)
        Y = data.one_hot(y, 2)
        self.Xt, self.Yt, self.Xv, self.Yv = X[:n_train], Y[:n_train], X[n_train:], Y[n_train:]
        net = Network([2, hidden, 2], ["relu", "softmax"], seed=seed)
        rng = np.random.default_rng(seed)  # one stream of shuffles over every epoch
        opt = GradientDescent(lr)
        self.snapshots = [{k: v.copy() for k, v in net.params.items()}]
        for _ in range(self.epochs):
            fit(net, self.Xt, self.Yt, "softmax_cross_entropy", opt, epochs=1, batch_size=batch_size, seed=rng)
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
        self._G32 = self.G.astype(np.float32)
        super().__init__()

    def controls(self) -> dict:
        return {
            "epoch": widgets.IntSlider(
                min=0, max=self.epochs, step=1, value=30, description="epoch", continuous_update=True
            ),
            "points": widgets.ToggleButtons(options=["training", "validation"], value="training", description="points"),
        }

    #: grid rows per forward pass: products this small run on one BLAS thread (waking the others
    #: for each redraw cost more than the product itself on a busy machine)
    rows_per_pass = 1600

    def _probability(self, epoch: int) -> np.ndarray:
        """P(class 1) over the grid for the weights after ``epoch`` epochs: the network's own forward pass,
        in float32 (a picture needs no more; twice as fast)."""
        params = {name: v.astype(np.float32) for name, v in self.snapshots[epoch].items()}
        k = self.rows_per_pass
        return np.concatenate(
            [
                kernels.network_forward(params, self.net.activations, self._G32[i : i + k])[0][:, 1]
                for i in range(0, len(self._G32), k)
            ]
        )

    def draw_static(self) -> None:
        ax, bx = self.ax, self.bx = self.axes
        self.img = ax.imshow(
            np.zeros((self.grid, self.grid)),
            origin="lower",
            extent=self.extent,
            cmap="RdBu",
            vmin=0.0,
            vmax=1.0,
            alpha=0.55,
            aspect="auto",
        )
        (self.boundary,) = ax.plot([], [], color="k", lw=1.2)  # the 0.5 contour, one NaN-separated line
        gx = np.linspace(self.extent[0], self.extent[1], self.grid)
        gy = np.linspace(self.extent[2], self.extent[3], self.grid)
        self._contour_xy = (gx, gy)
        # the points as line markers (area 14 pt², as scatter(s=14) drew them): drawn in one call, no scatter
        # machinery on every frame
        dots = dict(ls="none", marker="o", ms=math.sqrt(14), mec="k", mew=0.4)
        (self.scatter0,) = ax.plot([], [], color="C3", label="class 0 points", **dots)
        (self.scatter1,) = ax.plot([], [], color="C0", label="class 1 points", **dots)
        ax.set_xlim(self.extent[0], self.extent[1])
        ax.set_ylim(self.extent[2], self.extent[3])
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        self.title = ax.set_title("")
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        shade = self.img.get_cmap()
        key = [
            self.scatter0,
            self.scatter1,
            Line2D([], [], color="k", lw=1.2, label="boundary P = 0.5"),
            Patch(fc=shade(0.15), alpha=0.55, label="shade: class 0 predicted"),
            Patch(fc=shade(0.85), alpha=0.55, label="class 1 (deeper: surer)"),
        ]
        figure_key(
            self.fig,
            key,
            loc="lower left",
            bbox_to_anchor=(0.0, 0.0),
            ncol=2,
            columnspacing=0.8,
            handlelength=1.2,
        )
        x = np.arange(self.epochs + 1)
        bx.plot(x, self.train_loss, color="C1", label="training loss")
        bx.plot(x, self.val_loss, color="C2", label="validation loss")
        bx.axvline(self.best_epoch, color="C2", ls=":", lw=1.5, label="lowest validation loss")
        self.marker = bx.axvline(0, color="k", lw=1, label="epoch shown")
        bx.set_xlabel("epoch")
        bx.set_ylabel("loss (cross-entropy)")
        bx.set_ylim(0.0, max(1.0, 1.05 * max(max(self.val_loss), max(self.train_loss))))
        legend = bx.legend(loc="upper right", handlelength=1.5, labelspacing=0.3)
        bx.xaxis.set_major_locator(ticker.MaxNLocator(4, integer=True))
        bx.yaxis.set_major_locator(ticker.MaxNLocator(4))
        # The legend is static (drawn once); the epoch marker stops at its lower edge where it would pass
        # under it: (first, last epoch under the legend, its lower edge in axes fractions)
        box = legend.get_window_extent(self.fig.canvas.get_renderer())
        x0, x1 = bx.transData.inverted().transform([[box.x0, 0.0], [box.x1, 0.0]])[:, 0]
        self._under_legend = (x0, x1, bx.transAxes.inverted().transform([[0.0, box.y0]])[0, 1])

    def draw(self, epoch, points) -> None:
        prob = self._probability(epoch).reshape(self.grid, self.grid)
        self.img.set_data(prob)
        # contourpy directly (what ax.contour uses), into one line: a new ContourSet per frame costs ~10x more
        lines = contourpy.contour_generator(*self._contour_xy, prob, name="serial", line_type="ChunkCombinedNan").lines(
            0.5
        )[0][0]
        if lines is None:
            lines = np.empty((0, 2))
        self.boundary.set_data(lines[:, 0], lines[:, 1])
        X, Y = (self.Xt, self.Yt) if points == "training" else (self.Xv, self.Yv)
        self.scatter0.set_data(*X[Y[:, 0] == 1].T)
        self.scatter1.set_data(*X[Y[:, 1] == 1].T)
        self.title.set_text(f"{points} points, epoch {epoch}")
        x0, x1, below = self._under_legend
        self.marker.set_data([epoch, epoch], [0.0, below if x0 <= epoch <= x1 else 1.0])

    def dynamic(self) -> list:
        """Left: the map, points, boundary and frame; right: the epoch marker (it stops under the legend).

        The loss curves, legend, ticks and labels are drawn once (see base.py).
        """
        return [
            self.img,
            self.scatter0,
            self.scatter1,
            self.boundary,
            *self.ax.spines.values(),
            self.title,
            self.marker,
        ]

    def readout(self, epoch, points) -> str:
        return (
            f"epoch {epoch}: training accuracy {self.train_acc[epoch]:.1%}, "
            f"validation accuracy {self.val_acc[epoch]:.1%}; training loss {self.train_loss[epoch]:.3f}, "
            f"validation loss {self.val_loss[epoch]:.3f}. Lowest validation loss at epoch {self.best_epoch} "
            f"(dotted line): early stopping keeps those weights."
        )
