"""Pictures for notebook 02 (the worked example): the 2-2-2 network with every value on it.

    NetworkDiagram()   a slider for each of w1..w8, b1, b2; every node's net input and
                       output and the total error E update as the sliders move
    TrainingCurve()    an iteration slider: the error curve on a log scale with the
                       network after that many steps drawn beside it; biases fixed or trained

The values come from the library: ``shallownet.worked_example.node_values`` (the forward
pass with the lecture's names) and ``train_history`` (training by ``Network`` and
``GradientDescent``). Nothing here calls the student's functions: the pictures work
in the untouched notebook.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..worked_example import BIASES, INPUTS, LEARNING_RATE, TARGETS, WEIGHTS, node_values, train_history
from .base import Picture, lazy, widgets

if TYPE_CHECKING:
    import ipywidgets

mpl = lazy("matplotlib")
patches = lazy("matplotlib.patches")
ticker = lazy("matplotlib.ticker")

NAMES = tuple(WEIGHTS)  # w1..w8
I1, I2 = (float(v) for v in INPUTS[0])
T1, T2 = (float(v) for v in TARGETS[0])


# --- the diagram, drawn on any axes ------------------------------------------------

_POS = {"i1": (0.0, 1.0), "i2": (0.0, 0.0), "h1": (1.5, 1.0), "h2": (1.5, 0.0), "o1": (3.0, 1.0), "o2": (3.0, 0.0)}
#: weight -> (from node, to node), the lecture's numbering
_EDGES = {
    "w1": ("i1", "h1"),
    "w2": ("i2", "h1"),
    "w3": ("i1", "h2"),
    "w4": ("i2", "h2"),
    "w5": ("h1", "o1"),
    "w6": ("h2", "o1"),
    "w7": ("h1", "o2"),
    "w8": ("h2", "o2"),
}


@lru_cache(maxsize=1)
def _outputs():
    """The colours of a neuron's output, 0 -> 1 (matplotlib's registry hands out a new copy on every lookup)."""
    return mpl.colormaps["viridis"]


#: weight sign -> edge colour
POSITIVE, NEGATIVE = "tab:blue", "tab:red"


def _fmt(x: float) -> str:
    return f"{x:.4f}" if abs(x) < 1e3 else f"{x:.3g}"


class _Diagram:
    """The 2-2-2 network on one axes; ``set(w, bh, bo)`` updates every artist in place.

    What moves: each edge's colour (sign of its weight) and width (its size), each neuron's ring
    (colour = its output), the net input and output under each neuron, and E. The names of the
    nodes and edges, the inputs, the targets and the key are drawn once. ``dynamic`` lists what
    moves, in drawing order (see base.py); no moving artist covers a static one.
    """

    R = 0.2  # node radius (data units; the axes keep an equal aspect)

    #: the axes is a diagram: no x or y axis, a key explains every colour and line
    diagram = True

    def __init__(self, ax, show_biases: bool = False):
        self.ax = ax
        self.show_biases = show_biases
        ax.set_xlim(-0.45, 3.95)
        ax.set_ylim(-1.0, 2.05)
        ax.set_aspect("equal", adjustable="box")
        ax.set_axis_off()
        ax.diagram = True
        self.lines, self.rings, self.vtext = {}, {}, {}
        for name, (a, b) in _EDGES.items():
            (x0, y0), (x1, y1) = _POS[a], _POS[b]
            L = math.hypot(x1 - x0, y1 - y0)
            ux, uy = (x1 - x0) / L, (y1 - y0) / L  # edges stop at the circles' rims
            (self.lines[name],) = ax.plot(
                [x0 + self.R * ux, x1 - self.R * ux],
                [y0 + self.R * uy, y1 - self.R * uy],
                color="0.5",
                lw=1.5,
                zorder=1,
                solid_capstyle="butt",
            )
            # the name beside the edge, 22 % along it, on the side away from the other edge of its source:
            # above a top horizontal edge, below a bottom one, outside the pair for the diagonals
            top, flat = y0 > 0.5, y0 == y1
            left = top == flat
            f, (nx, ny) = 0.22, ((-uy, ux) if left else (uy, -ux))
            ax.text(
                x0 + f * (x1 - x0) + 0.17 * nx,
                y0 + f * (y1 - y0) + 0.17 * ny,
                name,
                ha="center",
                va="center",
                color="0.25",
                style="italic",
            )
        for node, (x, y) in _POS.items():
            ax.add_patch(patches.Circle((x, y), self.R, fc="0.93", ec="0.4", lw=1, zorder=2))
            ax.text(x, y, node, ha="center", va="center", fontsize="large", weight="bold", zorder=4)
            va, dy = ("bottom", self.R + 0.04) if y > 0.5 else ("top", -self.R - 0.04)
            v = ax.text(x, y + dy, "", ha="center", va=va, linespacing=1.1, zorder=4)
            if node[0] == "i":
                v.set_text(f"input {I1 if node == 'i1' else I2:g}")
            else:
                ring = patches.Circle((x, y), self.R, fc="none", ec="0.4", lw=4.0, zorder=3)
                ax.add_patch(ring)
                self.rings[node], self.vtext[node] = ring, v
        for node, t in (("o1", T1), ("o2", T2)):
            x, y = _POS[node]
            ax.text(x + self.R + 0.08, y, f"target\n{t:g}", ha="left", va="center", color="0.3")
        ax.text(1.5, 2.02, "total error E = ½(t1 − o1)² + ½(t2 − o2)²", ha="center", va="top")
        self.etext = ax.text(1.5, 1.8, "", ha="center", va="top", fontsize="large")
        from matplotlib.lines import Line2D

        key = [
            Line2D([], [], color=POSITIVE, lw=2.5, label="weight > 0"),
            Line2D([], [], color=NEGATIVE, lw=2.5, label="weight < 0 (width: size)"),
            Line2D([], [], ls="none", marker="o", ms=9, mfc="none", mew=2.5, mec=_outputs()(0.0), label="output 0"),
            Line2D(
                [],
                [],
                ls="none",
                marker="o",
                ms=9,
                mfc="none",
                mew=2.5,
                mec=_outputs()(1.0),
                label="output 1 (ring colour)",
            ),
        ]
        ax.legend(
            handles=key,
            loc="lower center",
            ncol=2,
            frameon=False,
            handlelength=1.6,
            columnspacing=1.0,
            borderaxespad=0.1,
        )
        order = {id(a): k for k, a in enumerate(ax.get_children())}  # insertion order breaks zorder ties
        self.dynamic = sorted(
            [*self.lines.values(), *self.rings.values(), *self.vtext.values(), self.etext],
            key=lambda a: (a.get_zorder(), order[id(a)]),
        )

    def set(self, w, bh, bo) -> dict:
        v = node_values(w, bh, bo)
        for name, value in zip(NAMES, w, strict=True):
            line = self.lines[name]
            line.set_linewidth(0.6 + 2.2 * min(abs(value), 2.0))
            line.set_color(POSITIVE if value >= 0 else NEGATIVE)
        for node, b in (("h1", bh[0]), ("h2", bh[1]), ("o1", bo[0]), ("o2", bo[1])):
            k = node[0] + node[1]
            out = v[f"out_{k}"]
            self.rings[node].set_edgecolor(_outputs()(out))
            bias = f"b {b:.3f}, " if self.show_biases else ""
            self.vtext[node].set_text(f"{bias}net {_fmt(v['net_' + k])}\nout {out:.6f}")
        self.etext.set_text(f"E = {v['E']:.9f}")
        return v


def _slider(name: str, value: float, lo: float = -2.0, hi: float = 2.0) -> ipywidgets.FloatSlider:
    return widgets.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=0.01,
        description=name,
        readout_format=".2f",
        continuous_update=True,
        layout=widgets.Layout(width="210px"),
        style={"description_width": "24px"},
    )


class NetworkDiagram(Picture):
    """The worked example's network: every weight and bias on a slider, every node's value live."""

    figsize = (7.20, 4.20)
    boxes = ((0.0, 0.0, 1.0, 1.0),)

    def controls(self) -> dict:
        c = {name: _slider(name, WEIGHTS[name]) for name in NAMES}
        c["b1"] = _slider("b1", BIASES["b1"])
        c["b2"] = _slider("b2", BIASES["b2"])
        return c

    def draw_static(self) -> None:
        self.diagram = _Diagram(self.axes[0])

    def dynamic(self) -> list:
        return self.diagram.dynamic

    def draw(self, **v) -> None:
        self.values_ = self.diagram.set([v[n] for n in NAMES], (v["b1"], v["b1"]), (v["b2"], v["b2"]))

    def readout(self, **v) -> str:
        n = self.values_
        return (
            f"out_o1 = {n['out_o1']:.9f} (target {T1:g}), out_o2 = {n['out_o2']:.9f} (target {T2:g}), "
            f"total error E = <b>{n['E']:.9f}</b>"
        )


class TrainingCurve(Picture):
    """Training the worked example: an iteration slider, the error curve (log scale) and the network at that step."""

    figsize = (9.60, 4.20)
    boxes = ((0.0, 0.0, 0.58, 1.0), (0.655, 0.15, 0.3, 0.75))
    steps = 10_000

    def controls(self) -> dict:
        return {
            "step": widgets.IntSlider(
                value=0,
                min=0,
                max=self.steps,
                step=1,
                description="step",
                continuous_update=True,
                layout=widgets.Layout(width="420px"),
            ),
            "biases": widgets.ToggleButtons(
                options=[("biases fixed", False), ("biases trained", True)],
                value=False,
                description=" ",
                style={"button_width": "110px", "description_width": "0px"},
            ),
        }

    def draw_static(self) -> None:
        self.diagram = _Diagram(self.axes[0], show_biases=True)
        ax = self.ax = self.axes[1]
        ax.set_yscale("log")
        ax.set_xlim(0, self.steps)
        ax.set_ylim(1e-7, 1.0)
        # plain-text tick labels: the default 10^k labels go through mathtext, slow on first draw
        ax.yaxis.set_major_locator(ticker.LogLocator(base=10.0, numticks=8))
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: "1" if v == 1 else f"1e{math.log10(v):.0f}"))
        ax.yaxis.set_minor_locator(ticker.NullLocator())
        ax.set_xlabel("step")
        ax.set_ylabel("total error E (log scale)")
        ax.xaxis.set_major_locator(ticker.FixedLocator([0, 5000, 10000]))
        ax.grid(True, which="major", lw=0.4, alpha=0.5)
        k = np.arange(self.steps + 1)
        E_fixed, _ = train_history(self.steps, LEARNING_RATE, False)
        (self.other,) = ax.plot(k, E_fixed, color="0.75", lw=1, label="the other bias setting")
        (self.curve,) = ax.plot(k, E_fixed, color="tab:blue", lw=1.5, label="this setting")
        (self.done,) = ax.plot(k[:1], E_fixed[:1], color="tab:orange", lw=2.5, label="steps done")
        (self.marker,) = ax.plot([0], [E_fixed[0]], "o", color="tab:orange", ms=6)
        # upper right: the error only falls, so no curve ever passes under the key (it is drawn once)
        ax.legend(loc="upper right", handlelength=1.2, borderaxespad=0.3, labelspacing=0.3)
        self._mode: bool | None = None

    def dynamic(self) -> list:
        """The network, the part of the curve done so far and the marker; axes, ticks and labels are drawn once."""
        return [*self.diagram.dynamic, self.done, self.marker]

    def background_key(self, biases, **_):
        return bool(biases)

    def keyed(self) -> list:
        """The two full error curves (drawn over the frame) swap colours with the bias mode."""
        return [self.other, self.curve]

    def background_values(self) -> list:
        return [{"biases": False}, {"biases": True}]

    #: the curve done so far is drawn through every step up to this one, then through at most
    #: ``done_points`` evenly spread steps (several per pixel column: the same line on screen)
    dense_steps = 300
    done_points = 600

    def _done_steps(self, step: int) -> np.ndarray:
        if step <= self.dense_steps + self.done_points:
            return np.arange(step + 1)
        tail = np.linspace(self.dense_steps, step, self.done_points).round().astype(np.int64)
        return np.concatenate([np.arange(self.dense_steps), tail])

    def draw(self, step: int, biases: bool) -> None:
        E, P = train_history(self.steps, LEARNING_RATE, bool(biases))
        if self._mode != biases:  # swap the curves only when the mode changes
            other, _ = train_history(self.steps, LEARNING_RATE, not biases)
            k = np.arange(self.steps + 1)
            self.curve.set_data(k, E)
            self.other.set_data(k, other)
            self._mode = biases
        step = int(step)
        k = self._done_steps(step)
        self.done.set_data(k, E[k])
        self.marker.set_data([step], [E[step]])
        p = P[step]
        self.values_ = self.diagram.set(p[:8], p[8:10], p[10:12])

    def readout(self, step: int, biases: bool) -> str:
        n = self.values_
        p = train_history(self.steps, LEARNING_RATE, bool(biases))[1][int(step)]
        weights = ", ".join(f"{name} = {value:.4f}" for name, value in zip(NAMES, p[:8], strict=True))
        return (
            f"step {int(step)}, learning rate {LEARNING_RATE:g}, biases {'trained' if biases else 'fixed'}: "
            f"out_o1 = {n['out_o1']:.9f}, out_o2 = {n['out_o2']:.9f}, E = <b>{n['E']:.9g}</b><br>"
            f"{weights}; biases h1 {p[8]:.4f}, h2 {p[9]:.4f}, o1 {p[10]:.4f}, o2 {p[11]:.4f}"
        )
