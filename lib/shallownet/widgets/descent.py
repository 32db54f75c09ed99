"""Pictures for notebook 04 (gradient descent).

DescentPicture  a two-parameter loss drawn as contours with the descent path on it, sliders for the
                learning rate, momentum, learning-rate decay, number of steps and start point, and the
                loss curve beside it (how far above the lowest loss, on a log scale)
SineFitPicture  a 1-8-1 network fitting sin x on [0, 2π] by full-batch gradient descent: the fit at a
                chosen step, for a chosen hidden activation (linear, sigmoid, tanh, ReLU), with its
                MSE curve

The surfaces and the descent path come from ``shallownet.surfaces``; the sine network is a
``Network`` trained by ``fit`` with ``GradientDescent``. Neither picture calls anything the
student writes: both work in the untouched release notebook.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from .. import data
from ..network import Network
from ..optim import GradientDescent
from ..surfaces import MAX_LOSS, SURFACES, descent_path
from ..train import fit
from .base import Picture, figure_key, lazy, widgets

ticker = lazy("matplotlib.ticker")


def _log_axis(ax, lo: int, hi: int, every: int = 2) -> None:
    """A linear axis holding log10 values, with fixed ticks labelled 1e-k (a log-scale axis redraws slowly)."""
    ticks = list(range(lo, hi + 1, every))
    ax.set_ylim(lo, hi)
    ax.yaxis.set_major_locator(ticker.FixedLocator(ticks))
    ax.yaxis.set_major_formatter(ticker.FixedFormatter([f"1e{t}" for t in ticks]))
    ax.yaxis.set_minor_locator(ticker.NullLocator())


def _fixed_ticks(ax, xticks, yticks=None) -> None:
    """Fixed tick positions (no locator run on every redraw)."""
    ax.xaxis.set_major_locator(ticker.FixedLocator(list(xticks)))
    if yticks is not None:
        ax.yaxis.set_major_locator(ticker.FixedLocator(list(yticks)))


class DescentPicture(Picture):
    """Gradient descent on a two-parameter loss: contours with the path, and the loss curve beside them."""

    figsize = (7.20, 4.20)
    boxes = ((0.1, 0.3, 0.43, 0.62), (0.68, 0.3, 0.28, 0.62))
    xlim = (-2.5, 2.5)
    ylim = (-2.0, 2.0)
    floor = 1e-10  # the log-scale curve shows L − L_min, floored here

    def controls(self) -> dict:
        slider = dict(
            continuous_update=True, style={"description_width": "initial"}, layout=widgets.Layout(width="300px")
        )
        return {
            "surface": widgets.Dropdown(
                options=list(SURFACES), value="bowl", description="surface", layout=widgets.Layout(width="190px")
            ),
            "lr": widgets.FloatSlider(
                value=0.05, min=0.005, max=0.25, step=0.005, readout_format=".3f", description="learning rate", **slider
            ),
            "momentum": widgets.FloatSlider(value=0.0, min=0.0, max=0.95, step=0.05, description="momentum", **slider),
            "decay": widgets.FloatSlider(value=0.0, min=0.0, max=0.5, step=0.01, description="decay", **slider),
            "steps": widgets.IntSlider(value=30, min=1, max=100, description="steps", **slider),
            "x0": widgets.FloatSlider(value=-2.0, min=-2.4, max=2.4, step=0.1, description="start w1", **slider),
            "y0": widgets.FloatSlider(value=1.0, min=-1.8, max=1.8, step=0.1, description="start w2", **slider),
        }

    def draw_static(self) -> None:
        ax, axl = self.ax, self.axl = self.axes
        g1 = np.linspace(*self.xlim, 121)
        g2 = np.linspace(*self.ylim, 101)
        W = np.stack(np.meshgrid(g1, g2), axis=-1)
        self.contours = {}
        for name, (loss, _, low) in SURFACES.items():
            gap = loss(W) - low
            levels = low + np.geomspace(1e-2, gap.max(), 14)
            self.contours[name] = ax.contour(g1, g2, loss(W), levels=levels, cmap="viridis", linewidths=0.8)
        ax.set_xlim(*self.xlim)
        ax.set_ylim(*self.ylim)
        ax.set_xlabel("w1")
        ax.set_ylabel("w2")
        (self.path_line,) = ax.plot([], [], "-o", color="tab:red", ms=2.5, lw=1.2)
        (self.start_dot,) = ax.plot([], [], "s", color="black", ms=5)
        (self.end_dot,) = ax.plot([], [], "*", color="tab:red", ms=10)
        self.title = ax.set_title("")
        _log_axis(axl, -10, 6, 4)
        axl.set_xlim(0, self.controls_["steps"].max)
        _fixed_ticks(axl, [0, 25, 50, 75, 100])
        _fixed_ticks(ax, [-2, -1, 0, 1, 2], [-2, -1, 0, 1, 2])
        axl.set_xlabel("step")
        axl.set_ylabel("L − lowest L (log scale)")
        axl.set_title("loss curve")
        axl.grid(True, which="major", alpha=0.3)
        (self.curve,) = axl.plot([], [], "-", color="tab:red", lw=1.5)
        self.flag = axl.text(
            0.5,
            0.92,
            "",
            transform=axl.transAxes,
            ha="center",
            va="top",
            color="tab:red",
            fontweight="bold",
        )
        from matplotlib.lines import Line2D

        key = [
            Line2D([], [], color="tab:red", marker="o", ms=2.5, lw=1.2, label="descent path, its loss (right)"),
            Line2D([], [], ls="none", marker="s", color="black", ms=5, label="start"),
            Line2D([], [], ls="none", marker="*", color="tab:red", ms=10, label="end"),
            Line2D([], [], color=self.contours["bowl"].get_cmap()(0.5), lw=0.8, label="contours of L (colour: level)"),
        ]
        figure_key(
            self.fig,
            key,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=2,
            columnspacing=1.0,
            handlelength=1.5,
        )

    def dynamic(self) -> list:
        """The path and the loss curve; contours, axes and ticks are drawn once per surface (see base.py)."""
        return [self.path_line, self.start_dot, self.end_dot, self.title, self.curve, self.flag]

    def background_key(self, surface, **_):
        return surface

    def background_values(self) -> list:
        return [{"surface": name} for name in SURFACES]

    def draw(self, surface, lr, momentum, decay, steps, x0, y0) -> None:
        for name, cs in self.contours.items():
            cs.set_visible(name == surface)
        path, losses, diverged = descent_path(surface, (x0, y0), lr, steps, momentum, decay)
        self._last = (path, losses, diverged)
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.start_dot.set_data(path[:1, 0], path[:1, 1])
        self.end_dot.set_data(path[-1:, 0], path[-1:, 1])
        self.title.set_text(f"{surface}: {len(path) - 1} steps")
        low = SURFACES[surface][2]
        self.curve.set_data(np.arange(len(losses)), np.log10(np.maximum(losses - low, self.floor)))
        self.flag.set_text(f"diverged at step {len(path)}" if diverged else "")

    def readout(self, surface, lr, momentum, decay, steps, x0, y0) -> str:
        path, losses, diverged = self._last
        w = path[-1]
        last_lr = lr / (1.0 + decay * max(len(path) - 2, 0))
        text = (
            f"after {len(path) - 1} steps: w = ({w[0]:.4f}, {w[1]:.4f}), L = {losses[-1]:.6g} "
            f"(lowest {SURFACES[surface][2]:.4f}); last learning rate {last_lr:.4f}"
        )
        if diverged:
            text += (
                f". <b>Diverged</b>: step {len(path)} would have pushed the loss above "
                f"{MAX_LOSS:.0e}, so the run stopped there"
            )
        return text


class SineFitPicture(Picture):
    """A 1-8-1 network fitting sin x on [0, 2π] by full-batch gradient descent with momentum 0.9.

    Every run starts from the same seeded weights; each hidden unit's bend is
    placed inside [0, 2π] at the start (bias −w·c for centres c spread over the
    interval). Training is precomputed once per activation, so moving the step
    slider only swaps the drawn curves.
    """

    figsize = (7.20, 4.20)
    boxes = ((0.09, 0.31, 0.51, 0.61), (0.72, 0.31, 0.23, 0.61))
    hidden = 8
    steps = 1000
    every = 10
    momentum = 0.9
    #: learning rate per activation (the linear network needs a small one: x reaches 2π)
    rates: ClassVar[dict[str, float]] = {"linear": 0.002, "sigmoid": 0.1, "tanh": 0.02, "relu": 0.01}

    def __init__(self, seed: int = 0):
        self.seed = seed
        self.X, self.Y = data.sine(100)
        self.xs = np.linspace(0.0, 2.0 * np.pi, 200).reshape(-1, 1)
        self.runs = {name: self._train(name) for name in self.rates}
        super().__init__()

    def _train(self, name: str) -> dict:
        """Train one network; keep the plotted curves every ``every`` steps and the MSE at every step.

        A 1-h-1 ``Network`` (hidden ``name``, identity output) from seeded weights, each hidden
        unit's bend placed inside [0, 2π] (bias −w·c for centres c spread over the interval),
        trained by ``fit`` (full batch, ``every`` epochs at a time) with ``GradientDescent``.
        """
        rng = np.random.default_rng(self.seed)
        h = self.hidden
        net = Network([1, h, 1], [name, "identity"], init="zeros")
        W1 = rng.normal(0.0, 1.5, (1, h))
        net.params.update(
            W1=W1,
            b1=-W1[0] * np.linspace(0.3, 2.0 * np.pi - 0.3, h),
            W2=rng.normal(0.0, 1.0 / np.sqrt(h), (h, 1)),
            b2=np.zeros(1),
        )
        opt = GradientDescent(self.rates[name], momentum=self.momentum)
        mse, fits, units = [], [], []
        for t in range(0, self.steps + 1, self.every):
            out, cache = net.forward(self.xs)
            fits.append(out[:, 0])
            units.append(cache[0][1][2] * net.params["W2"][:, 0])  # hidden outputs times outgoing weights
            if t < self.steps:
                mse += fit(net, self.X, self.Y, "mse", opt, epochs=self.every, shuffle=False)["loss"]
        mse.append(net.loss(self.X, self.Y, "mse")[0])
        return {"mse": np.array(mse), "fits": np.array(fits), "units": np.array(units)}

    def controls(self) -> dict:
        return {
            "activation": widgets.Dropdown(
                options=list(self.rates),
                value="tanh",
                description="hidden units",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="220px"),
            ),
            "step": widgets.IntSlider(
                value=0,
                min=0,
                max=self.steps,
                step=self.every,
                description="step",
                continuous_update=True,
                layout=widgets.Layout(width="320px"),
            ),
        }

    def draw_static(self) -> None:
        # the MSE axes end 5 % short of the right edge: room for half of its last tick label, "1000"
        ax, axl = self.ax, self.axl = self.axes
        x = self.xs[:, 0]
        self.data_dots = ax.plot(self.X[:, 0], self.Y[:, 0], ".", color="0.55", ms=4, label="sin x")
        self.unit_lines = [
            ax.plot(x, np.zeros_like(x), "-", lw=0.7, alpha=0.45, gid="hidden units")[0] for _ in range(self.hidden)
        ]
        (self.fit_line,) = ax.plot(x, np.zeros_like(x), "-", color="tab:red", lw=2.0, label="network output")
        ax.set_xlim(0.0, 2.0 * np.pi)
        ax.set_ylim(-1.8, 1.8)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        self.title = ax.set_title("")
        steps = np.arange(self.steps + 1)
        self.curves = {name: axl.plot(steps, np.log10(run["mse"]), "-", lw=1.0)[0] for name, run in self.runs.items()}
        self.target_line = axl.axhline(-2.0, color="0.4", ls="--", lw=0.8, label="MSE = 0.01")
        (self.marker,) = axl.plot([], [], "o", color="black", ms=5)
        _log_axis(axl, -4, 0, 1)
        axl.set_xlim(0, self.steps)
        _fixed_ticks(axl, [0, 500, 1000])
        _fixed_ticks(ax, [0, 2, 4, 6], [-1, 0, 1])
        axl.set_xlabel("step")
        axl.set_ylabel("MSE (log scale)")
        axl.set_title("training curves")
        from matplotlib.lines import Line2D

        key = [
            self.data_dots[0],
            Line2D([], [], color="C0", lw=0.7, alpha=0.7, label="hidden units", gid="hidden units"),
            self.fit_line,
            Line2D([], [], color="tab:red", lw=2.0, label="MSE: this activation"),
            Line2D([], [], color="0.65", lw=0.8, label="MSE: the others"),
            self.target_line,
            Line2D([], [], ls="none", marker="o", color="black", ms=5, label="step shown"),
        ]
        figure_key(
            self.fig,
            key,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=4,
            columnspacing=0.8,
            handlelength=1.2,
        )

    def dynamic(self) -> list:
        """The fit, its units and the step marker; the data and the MSE curves are drawn once per activation."""
        return [*self.unit_lines, self.fit_line, self.title, self.marker]

    def background_key(self, activation, **_):
        return activation

    def background_values(self) -> list:
        return [{"activation": name} for name in self.rates]

    def _colour_curves(self, activation: str) -> None:
        """The chosen activation's MSE curve in red on top, the others thin and grey."""
        for name, curve in self.curves.items():
            curve.set_color("tab:red" if name == activation else "0.65")
            curve.set_linewidth(2.0 if name == activation else 0.8)
            curve.set_zorder(3 if name == activation else 2)

    def draw(self, activation, step) -> None:
        run = self.runs[activation]
        k = min(step // self.every, len(run["fits"]) - 1)
        self.fit_line.set_ydata(run["fits"][k])
        for j, line in enumerate(self.unit_lines):
            line.set_ydata(run["units"][k][:, j])
        self._colour_curves(activation)
        self.marker.set_data([k * self.every], [np.log10(run["mse"][k * self.every])])
        self.title.set_text(f"{activation} hidden units, step {k * self.every}")

    def readout(self, activation, step) -> str:
        run = self.runs[activation]
        t = min(step // self.every, len(run["fits"]) - 1) * self.every
        below = np.flatnonzero(run["mse"] < 0.01)
        when = f"first below 0.01 at step {below[0]}" if below.size else "never below 0.01 in this budget"
        return (
            f"{activation}: MSE {run['mse'][t]:.5f} at step {t} ({when}). Thin lines: each hidden unit's "
            f"contribution (its output times its outgoing weight); the red curve is their sum plus the bias. "
            f"Right: the MSE of this run in red, the other activations in grey."
        )
