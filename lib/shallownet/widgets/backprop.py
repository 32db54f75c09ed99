"""Pictures for notebook 03 (backpropagation); the values they show come from ``shallownet.graphs``.

ComputationalGraph()     the example graph, forward values and gradients on every node (sliders x, y, z)
GradientDepth()          gradient size per layer against depth, activation and weight scale
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ..graphs import example_graph, gradient_per_layer
from .base import Picture, widgets

ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")


# --- pictures --------------------------------------------------------------------

_GREEN = "#1b7f3b"
_RED = "#b3261e"


class ComputationalGraph(Picture):
    """f = ((x + y) z)² as a graph: forward value (green) above, gradient ∂f/∂node (red) below every node."""

    figsize = (6.8, 4.2)
    boxes = ((0.0, 0.0, 1.0, 1.0),)

    # node name -> (position, label drawn in the circle)
    NODES: ClassVar[dict[str, tuple[tuple[float, float], str]]] = {
        "x": ((0.0, 2.3), "x"),
        "y": ((0.0, 1.25), "y"),
        "z": ((0.0, 0.2), "z"),
        "q": ((1.6, 1.78), "+"),
        "r": ((3.1, 1.0), "×"),
        "f": ((4.6, 1.0), "( )²"),
    }
    EDGES: ClassVar[list[tuple[str, str]]] = [("x", "q"), ("y", "q"), ("q", "r"), ("z", "r"), ("r", "f")]

    def controls(self):
        kw = dict(
            min=-3.0,
            max=3.0,
            step=0.1,
            continuous_update=True,
            readout_format=".1f",
            layout=widgets.Layout(width="200px"),
            style={"description_width": "15px"},
        )
        return {
            "x": widgets.FloatSlider(value=1.0, description="x", **kw),
            "y": widgets.FloatSlider(value=3.0, description="y", **kw),
            "z": widgets.FloatSlider(value=-2.0, description="z", **kw),
        }

    def _axes(self):
        ax = self.axes[0]
        ax.set_xlim(-0.7, 5.4)
        ax.set_ylim(-0.95, 2.95)
        ax.set_aspect("equal")
        ax.axis("off")
        return ax

    def draw_static(self):
        from matplotlib.patches import Circle, FancyArrowPatch

        ax = self.ax = self._axes()
        ax.diagram = True  # no x or y axis: the key at the bottom explains the colours
        radius = 0.26
        ax.apply_aspect()  # the equal aspect fixes the data scale: the arrows stop at the circles' rims
        rim = radius * (ax.transData.transform((1.0, 0.0)) - ax.transData.transform((0.0, 0.0)))[0]
        rim_pt = rim * 72.0 / self.fig.dpi + 1.0
        for a, b in self.EDGES:
            ax.add_patch(
                FancyArrowPatch(
                    self.NODES[a][0],
                    self.NODES[b][0],
                    arrowstyle="-|>",
                    mutation_scale=12,
                    color="0.55",
                    lw=1.2,
                    shrinkA=rim_pt,
                    shrinkB=rim_pt,
                )
            )
        for (px, py), label in self.NODES.values():
            ax.add_patch(Circle((px, py), radius, facecolor="#f4f1e8", edgecolor="0.25", lw=1.2, zorder=2))
            size = "large" if len(label) == 1 else "medium"
            ax.text(px, py, label, ha="center", va="center", fontsize=size, weight="bold")
        ax.text(-0.65, -0.6, "q = x + y,   r = q·z,   f = r²", color="0.2", va="bottom", style="italic")
        ax.key = ax.text(
            -0.65,
            -0.9,
            "green: forward value     red: ∂f/∂(node), from the backward pass",
            color="0.3",
            va="bottom",
        )
        self.value_text, self.grad_text = {}, {}
        for name, ((px, py), _) in self.NODES.items():
            self.value_text[name] = ax.text(px, py + 0.33, "", ha="center", va="bottom", color=_GREEN)
            self.grad_text[name] = ax.text(px, py - 0.33, "", ha="center", va="top", color=_RED)

    def dynamic(self):
        """Only the numbers move: the graph, its labels and the legend are drawn once (see base.py)."""
        return [t for name in self.NODES for t in (self.value_text[name], self.grad_text[name])]

    def draw(self, x, y, z):
        g = example_graph(x, y, z)
        for name in self.NODES:
            self.value_text[name].set_text(f"{float(g[name]):.4g}")
            self.grad_text[name].set_text(f"{float(g['d' + name]):.4g}")

    def readout(self, x, y, z):
        g = example_graph(x, y, z)
        v = {k: float(val) for k, val in g.items()}
        return (
            f"<tt>forward: q = {v['q']:.4g}, r = {v['r']:.4g}, f = {v['f']:.4g}<br>"
            f"backward: ∂f/∂r = 2r = {v['dr']:.4g}; ∂f/∂q = z·∂f/∂r = {v['dq']:.4g}; "
            f"∂f/∂z = q·∂f/∂r = {v['dz']:.4g}; ∂f/∂x = ∂f/∂y = ∂f/∂q = {v['dx']:.4g}</tt>"
        )


class GradientDepth(Picture):
    """Mean |∂loss/∂Z_l| per layer (log scale) for a deep network: pick depth, activation and weight scale."""

    figsize = (6.0, 3.5)
    MAX_DEPTH = 20
    COLOURS: ClassVar[dict[str, str]] = {"sigmoid": "#1f77b4", "tanh": "#ff7f0e", "relu": "#2ca02c"}

    def controls(self):
        return {
            "activation": widgets.Dropdown(
                options=list(ACTIVATION_NAMES),
                value="sigmoid",
                description="activation",
                layout=widgets.Layout(width="200px"),
            ),
            "depth": widgets.IntSlider(
                value=10, min=2, max=self.MAX_DEPTH, step=1, description="layers", continuous_update=True
            ),
            "scale": widgets.FloatSlider(
                value=1.0,
                min=0.5,
                max=2.0,
                step=0.05,
                readout_format=".2f",
                description="weight std ×√n",
                continuous_update=True,
                style={"description_width": "initial"},
            ),
        }

    boxes = ((0.15, 0.16, 0.82, 0.8),)

    def _axes(self):
        ax = self.axes[0]
        ax.set_yscale("log")
        ax.set_xlim(0.5, self.MAX_DEPTH + 0.5)
        ax.set_ylim(1e-21, 1e3)
        return ax

    def draw_static(self):
        from matplotlib.lines import Line2D

        ax = self.ax = self._axes()
        ax.set_xlabel("layer l (1 = nearest the input)")
        ax.set_ylabel("mean |∂loss/∂Z_l|")
        ax.set_xticks(range(2, self.MAX_DEPTH + 1, 2))
        ticks = range(-21, 4, 3)
        ax.set_yticks([10.0**k for k in ticks], [f"1e{k}" for k in ticks])
        ax.minorticks_off()
        ax.grid(True, which="major", alpha=0.3)
        handles = [Line2D([], [], color=self.COLOURS[n], label=n) for n in ACTIVATION_NAMES]
        handles.append(Line2D([], [], ls=":", color="0.3", lw=1.2, label="× 0.25 per layer"))
        ax.legend(handles=handles, loc="lower right", ncol=2)
        self.lines = {}
        for name in ACTIVATION_NAMES:
            (self.lines[name],) = ax.plot([], [], "o-", ms=3, color=self.COLOURS[name])
        (self.quarter,) = ax.plot([], [], ":", color="0.3", lw=1.2)

    def dynamic(self):
        """The curves by zorder (the chosen one on top); axes, ticks and legend are drawn once (see base.py)."""
        return sorted([*self.lines.values(), self.quarter], key=lambda line: line.get_zorder())

    def draw(self, activation, depth, scale):
        layers = np.arange(1, depth + 1)
        for name, line in self.lines.items():
            g = gradient_per_layer(name, depth, round(float(scale), 4))
            line.set_data(layers, g)
            chosen = name == activation
            line.set_linewidth(2.4 if chosen else 0.8)
            line.set_alpha(1.0 if chosen else 0.3)
            line.set_zorder(3 if chosen else 1)
        top = gradient_per_layer(activation, depth, round(float(scale), 4))[-1]
        self.quarter.set_data(layers, top * 0.25 ** (depth - layers))

    def readout(self, activation, depth, scale):
        g = gradient_per_layer(activation, depth, round(float(scale), 4))
        ratio = g[0] / g[-1]
        return (
            f"<tt>{activation}, {depth} layers, weight std {scale:.2f}/√n: the gradient reaching layer 1 is "
            f"{ratio:.2e} times the one at layer {depth}.</tt>"
        )
