"""Pictures for notebook 01 (the forward pass). Each is a ``Picture`` (see base.py).

    NeuronExplorer     one neuron a(w1·x1 + w2·x2 + b) over the input plane, its decision
                       line z = 0 and the blue/orange points of a small two-class data set
    ActivationGallery  an activation and its derivative, with the tangent at a chosen z
    ReluSine           a sine-like curve on [0, 2π] built by hand from four ReLU units

They use only the reference library, never the student's functions, so they work
in the untouched release notebook.
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

import numpy as np

from .. import activations as act
from .. import data
from .base import Picture, figure_key, lazy, widgets

#: Activations offered by the pictures (name -> label shown in the drop-down).
ACTIVATION_LABELS = {
    "heaviside": "Heaviside step",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU (0.01)",
    "softplus": "softplus",
    "identity": "identity",
}

BLUE, ORANGE = "#1f77b4", "#ff7f0e"
#: gid of a reference line (z = 0, y = 0) that needs no key
GUIDE = "guide"
colors = lazy("matplotlib.colors")


@lru_cache(maxsize=1)
def _pale():
    """Pale orange (low output) -> white -> pale blue (high output): the points stay readable on top."""
    return colors.LinearSegmentedColormap.from_list("pale_orange_blue", ["#fdd0a2", "#f7f7f7", "#9ecae1"])


def _slider(value, lo, hi, step, description):
    return widgets.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=True,
        readout_format=".2f",
        layout=widgets.Layout(width="300px"),
    )


def _signed(v: float) -> str:
    """'+ 1.20' or '− 1.20': a term of a sum as it is printed."""
    return f"{'−' if v < 0 else '+'} {abs(v):.2f}"


def _activation_dropdown(value):
    return widgets.Dropdown(
        options=[(label, name) for name, label in ACTIVATION_LABELS.items()],
        value=value,
        description="activation",
        layout=widgets.Layout(width="260px"),
    )


def _datasets():
    """The data sets of the neuron picture: three truth tables and two clouds (1 = blue, 0 = orange)."""
    return {**{op.upper(): data.truth_table(op) for op in ("and", "or", "xor")}, "two clouds": data.two_clouds()}


class NeuronExplorer(Picture):
    """One neuron out = a(w1·x1 + w2·x2 + b) over the input plane [−0.5, 1.5]².

    The colour is the neuron's output; the black line is the decision line
    z = w1·x1 + w2·x2 + b = 0 (blue side: z ≥ 0). Points are coloured by their
    class (blue = 1, orange = 0); a point whose side is wrong gets a red ring.
    """

    figsize = (7.20, 4.32)
    lim = (-0.5, 1.5)
    #: colour range per activation (fixed, so the colour bar is static; larger outputs saturate)
    CLIM: ClassVar[dict[str, tuple[float, float]]] = {
        "heaviside": (0.0, 1.0),
        "sigmoid": (0.0, 1.0),
        "tanh": (-1.0, 1.0),
        "relu": (0.0, 3.0),
        "leaky_relu": (-0.03, 3.0),
        "softplus": (0.0, 3.0),
        "identity": (-3.0, 3.0),
    }
    grid = 121

    def __init__(
        self, w1: float = 1.0, w2: float = 1.0, b: float = -1.2, activation: str = "heaviside", data: str = "AND"
    ):
        self._init = dict(w1=w1, w2=w2, b=b, activation=activation, data=data)
        self.datasets = _datasets()
        super().__init__()

    def controls(self):
        i = self._init
        return {
            "w1": _slider(i["w1"], -3.0, 3.0, 0.05, "w1"),
            "w2": _slider(i["w2"], -3.0, 3.0, 0.05, "w2"),
            "b": _slider(i["b"], -3.0, 3.0, 0.05, "b"),
            "activation": _activation_dropdown(i["activation"]),
            "data": widgets.Dropdown(
                options=list(self.datasets), value=i["data"], description="data", layout=widgets.Layout(width="200px")
            ),
        }

    def draw_static(self):
        lo, hi = self.lim
        g = np.linspace(lo, hi, self.grid)
        self.G1, self.G2 = np.meshgrid(g, g)
        ax = self.ax = self.fig.add_subplot(1, 1, 1)
        self.im = ax.imshow(
            np.zeros((self.grid, self.grid)),
            origin="lower",
            extent=(lo, hi, lo, hi),
            cmap=_pale(),
            vmin=0.0,
            vmax=1.0,
            interpolation="nearest",
            aspect="equal",
        )
        self.cbar = self.fig.colorbar(self.im, ax=ax, shrink=0.9, label="neuron output")
        (self.line,) = ax.plot([], [], color="black", lw=2, label="decision line z = 0")
        # points as line markers of the areas scatter(s=60) and scatter(s=150) drew: one draw call each
        dot = dict(ls="none", marker="o", ms=np.sqrt(60), mec="white", mew=1.0, zorder=3)
        (self.pts_blue,) = ax.plot([], [], color=BLUE, **dot)
        (self.pts_orange,) = ax.plot([], [], color=ORANGE, **dot)
        (self.pts_wrong,) = ax.plot(
            [], [], ls="none", marker="o", ms=np.sqrt(150), mfc="none", mec="red", mew=1.8, zorder=4
        )
        self.arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0), arrowprops=dict(arrowstyle="->", color="black", lw=1.5))
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        self.title = ax.set_title("")
        from matplotlib.lines import Line2D

        key = [
            Line2D([], [], color=BLUE, **{**dot, "zorder": None}, label="class 1 (blue)"),
            Line2D([], [], color=ORANGE, **{**dot, "zorder": None}, label="class 0 (orange)"),
            Line2D(
                [],
                [],
                ls="none",
                marker="o",
                ms=np.sqrt(150),
                mfc="none",
                mec="red",
                mew=1.8,
                label="on the wrong side",
            ),
            Line2D([], [], color="black", lw=2, label="decision line z = 0"),
            Line2D([], [], color="black", lw=1.5, marker=">", ms=6, label="weight vector (w1, w2)"),
        ]
        figure_key(self.fig, key, loc="outside lower center", ncol=3)

    def _decision_line(self, w1, w2, b):
        lo, hi = self.lim
        if abs(w2) > 1e-12:
            xs = np.array([lo, hi])
            return xs, -(w1 * xs + b) / w2
        if abs(w1) > 1e-12:
            x = -b / w1
            return np.array([x, x]), np.array([lo, hi])
        return np.array([]), np.array([])

    def draw(self, w1, w2, b, activation, data):
        f, _ = act.get(activation)
        Z = w1 * self.G1 + w2 * self.G2 + b
        out = f(Z)
        self.im.set_data(out)
        if self.im.get_clim() != self.CLIM[activation]:  # a new clim redraws the colour bar's solids
            self.im.set_clim(*self.CLIM[activation])
        self.line.set_data(*self._decision_line(w1, w2, b))
        X, y = self.datasets[data]
        self.pts_blue.set_data(*X[y == 1].T)
        self.pts_orange.set_data(*X[y == 0].T)
        pred = (X @ np.array([w1, w2]) + b >= 0).astype(int)
        self.pts_wrong.set_data(*X[pred != y].T)
        # the weight vector, drawn from the point of the line closest to the centre of the plot
        norm2 = w1 * w1 + w2 * w2
        if norm2 > 1e-12:
            c = np.array([0.5, 0.5])
            zc = w1 * c[0] + w2 * c[1] + b
            foot = c - zc * np.array([w1, w2]) / norm2
            tip = foot + 0.35 * np.array([w1, w2]) / np.sqrt(norm2)
            self.arrow.xy, self.arrow.xyann = tuple(tip), tuple(foot)
            self.arrow.set_visible(True)
        else:
            self.arrow.set_visible(False)
        self._score = int((pred == y).sum()), len(y)
        self.title.set_text(f"{ACTIVATION_LABELS[activation]}({w1:.2f}·x1 {_signed(w2)}·x2 {_signed(b)})")

    def background_key(self, activation, **_):
        return activation

    def keyed(self):
        """Only the colour bar's ticks follow the activation (its colours span the bar whatever the range)."""
        return [self.cbar.ax.yaxis]

    def background_values(self):
        return [{"activation": name} for name in ACTIVATION_LABELS]

    def layout_values(self):
        """tanh's colour bar has the widest tick labels ("−0.75"): the layout leaves room for them."""
        return {"activation": "tanh"}

    def dynamic(self):
        return [
            self.im,
            *self.ax.spines.values(),
            self.line,
            self.pts_orange,
            self.pts_blue,
            self.pts_wrong,
            self.arrow,
            self.title,
        ]

    def readout(self, w1, w2, b, activation, data):
        right, n = self._score
        verdict = "every point is on its side" if right == n else f"{n - right} point(s) on the wrong side (red rings)"
        return (
            f"<b>{data}</b>: {right} of {n} points classified correctly (blue where z ≥ 0); {verdict}. "
            f"The arrow is the weight vector (w1, w2): it points to the blue side."
        )


class ActivationGallery(Picture):
    """An activation f(z) (left) and its derivative f'(z) (right); the tangent of f at z0 has slope f'(z0)."""

    figsize = (6.4, 3.0)
    zmax = 6.0

    def __init__(self, activation: str = "sigmoid", z0: float = 1.0):
        self._init = dict(activation=activation, z0=z0)
        super().__init__()

    def controls(self):
        return {
            "activation": _activation_dropdown(self._init["activation"]),
            "z0": _slider(self._init["z0"], -self.zmax + 1, self.zmax - 1, 0.05, "z0"),
        }

    def draw_static(self):
        self.z = np.linspace(-self.zmax, self.zmax, 481)
        self.ax_f, self.ax_d = self.fig.subplots(1, 2)
        # the layout is solved once, for the starting activation: leave room between the axes for the
        # widest tick labels of the derivative's axis ("−0.25", "1.00") whichever activation comes next
        self.fig.get_layout_engine().set(wspace=0.08)
        self.zero_lines = []
        for ax in (self.ax_f, self.ax_d):
            self.zero_lines.append(ax.axhline(0, color="0.7", lw=0.8, gid=GUIDE))
            ax.axvline(0, color="0.7", lw=0.8, gid=GUIDE)
            ax.set_xlim(-self.zmax, self.zmax)
            ax.set_xlabel("z")
        (self.curve_f,) = self.ax_f.plot([], [], color=BLUE, lw=2)
        (self.tangent,) = self.ax_f.plot([], [], color=ORANGE, lw=1.5, ls="--")
        (self.dot_f,) = self.ax_f.plot([], [], "o", color=ORANGE)
        (self.curve_d,) = self.ax_d.plot([], [], color=BLUE, lw=2)
        (self.dot_d,) = self.ax_d.plot([], [], "o", color=ORANGE)
        self.ax_f.set_title("f(z)")
        self.ax_d.set_title("f'(z)")
        self.ax_f.set_ylabel("f(z)")
        self.ax_d.set_ylabel("f'(z)")
        from matplotlib.lines import Line2D

        key = [
            Line2D([], [], color=BLUE, lw=2, label="f (left), its derivative f' (right)"),
            Line2D([], [], color=ORANGE, lw=1.5, ls="--", marker="o", label="tangent at z0, slope f'(z0)"),
        ]
        figure_key(self.fig, key, loc="outside lower center", ncol=2)

    def draw(self, activation, z0):
        f, df = act.get(activation)
        fz, dz = f(self.z), df(self.z)
        y0, s0 = float(f(z0)), float(df(z0))
        self.curve_f.set_data(self.z, fz)
        self.curve_d.set_data(self.z, dz)
        half = 1.5
        self.tangent.set_data([z0 - half, z0 + half], [y0 - half * s0, y0 + half * s0])
        self.dot_f.set_data([z0], [y0])
        self.dot_d.set_data([z0], [s0])
        lo, hi = float(fz.min()), float(fz.max())
        pad = 0.1 * max(hi - lo, 1.0)
        self.ax_f.set_ylim(lo - pad, hi + pad)
        dlo, dhi = min(float(dz.min()), 0.0), max(float(dz.max()), 0.3)
        self.ax_d.set_ylim(dlo - 0.1 * (dhi - dlo), dhi + 0.1 * (dhi - dlo))
        self.ax_f.set_title(f"{ACTIVATION_LABELS[activation]}  f(z)")
        self._vals = (y0, s0)

    def background_key(self, activation, **_):
        return activation

    def keyed(self):
        """What the activation changes in the static part: the y axes, the lines y = 0, the title."""
        return [self.ax_f.yaxis, self.ax_d.yaxis, *self.zero_lines, self.ax_f.title]

    def background_values(self):
        return [{"activation": name} for name in ACTIVATION_LABELS]

    def dynamic(self):
        return [self.curve_f, self.tangent, self.dot_f, self.curve_d, self.dot_d]

    def readout(self, activation, z0):
        y0, s0 = self._vals
        return f"f({z0:.2f}) = {y0:.4f},  f'({z0:.2f}) = {s0:.4f} (the slope of the dashed tangent)"


class ReluSine(Picture):
    """y(x) = Σ_k a_k · relu(x − c_k) for four hand-set units, against sin x on [0, 2π].

    Unit k is a hinge at x = c_k: flat to the left, slope a_k to the right.
    Adding them, the slope of y changes by a_k at every hinge. Each unit is one
    hidden ReLU neuron with input weight 1 and bias −c_k; the a_k are the
    output weights.
    """

    figsize = (7.2, 3.4)
    units = 4
    n = 200

    def __init__(self, hinges=(0.0, 1.5, 3.0, 5.0), slopes=(0.8, -0.8, -0.5, 0.0), show_units: bool = True):
        self._init = dict(hinges=tuple(hinges), slopes=tuple(slopes), show_units=show_units)
        super().__init__()

    def controls(self):
        c = {}
        for k in range(self.units):
            c[f"c{k + 1}"] = _slider(self._init["hinges"][k], 0.0, 2 * np.pi, 0.05, f"hinge c{k + 1}")
            c[f"a{k + 1}"] = _slider(self._init["slopes"][k], -2.0, 2.0, 0.02, f"slope a{k + 1}")
        c["show_units"] = widgets.Checkbox(value=self._init["show_units"], description="show each unit")
        return c

    def draw_static(self):
        self.x = np.linspace(0.0, 2 * np.pi, self.n)
        self.target = np.sin(self.x)
        ax = self.ax = self.fig.add_subplot(1, 1, 1)
        ax.plot(self.x, self.target, color="0.4", ls="--", lw=1.5, label="sin x")
        colours = ["#9467bd", "#2ca02c", "#8c564b", "#e377c2"]
        self.unit_lines = [ax.plot([], [], color=colours[k], lw=1, alpha=0.7)[0] for k in range(self.units)]
        self.hinge_lines = [ax.axvline(0, color=colours[k], lw=0.8, ls=":") for k in range(self.units)]
        self.hinge_dots = [ax.plot([], [], "o", color=colours[k], ms=6)[0] for k in range(self.units)]
        (self.total,) = ax.plot([], [], color=BLUE, lw=2.5, label="y: sum of the units")
        ax.axhline(0, color="0.8", lw=0.8, gid=GUIDE)
        ax.set_xlim(0, 2 * np.pi)
        ax.set_ylim(-2.0, 2.0)
        ax.set_xticks([0, np.pi / 2, np.pi, 3 * np.pi / 2, 2 * np.pi], ["0", "π/2", "π", "3π/2", "2π"])
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        from matplotlib.lines import Line2D

        key = [
            *ax.get_lines()[:1],
            self.total,
            *(
                Line2D(
                    [], [], color=colours[k], lw=1, marker="o", ms=5, label=f"unit {k + 1}: a{k + 1}·relu(x − c{k + 1})"
                )
                for k in range(self.units)
            ),
            Line2D([], [], color="0.3", lw=0.8, ls=":", label="hinges x = c_k (unit colours)"),
        ]
        figure_key(self.fig, key, loc="outside right upper")

    def curve(self, **values):
        """(total (n,), per-unit contributions (units, n)) for the control values."""
        parts = np.array(
            [values[f"a{k + 1}"] * np.maximum(self.x - values[f"c{k + 1}"], 0.0) for k in range(self.units)]
        )
        return parts.sum(axis=0), parts

    def draw(self, **values):
        total, parts = self.curve(**values)
        show = values["show_units"]
        for k in range(self.units):
            c = values[f"c{k + 1}"]
            self.unit_lines[k].set_data(self.x, parts[k])
            self.unit_lines[k].set_visible(show)
            self.hinge_lines[k].set_xdata([c, c])
            self.hinge_dots[k].set_data([c], [np.interp(c, self.x, total)])
        self.total.set_data(self.x, total)
        self._mse = float(np.mean((total - self.target) ** 2))

    def dynamic(self):
        return [*self.unit_lines, *self.hinge_lines, *self.hinge_dots, self.total]

    def readout(self, **values):
        terms = " ".join(
            f"{_signed(values[f'a{k + 1}'])}·relu(x − {values[f'c{k + 1}']:.2f})" for k in range(self.units)
        )
        return f"y = {terms}<br>mean squared error against sin x ({self.n} points): <b>{self._mse:.4f}</b>"
