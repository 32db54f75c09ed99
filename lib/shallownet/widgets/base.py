"""The one widget pattern every notebook picture uses.

A ``Picture`` owns one matplotlib figure (Agg, no GUI backend needed) shown as
an ``ipywidgets.Image``. Controls are ordinary ipywidgets; moving any of them
calls ``update(**values)``, which changes the existing artists in place
(``set_data``, ``set_text``…) and re-renders the PNG. Subclasses implement:

    controls()            -> dict name -> ipywidgets control
    draw_static()         build axes and artists once (called by __init__)
    draw(**values)        update the artists for the control values
    readout(**values)     optional text shown under the picture (HTML)

and, to redraw only what moves (opt-in, used by every picture of the course):

    dynamic()             -> the artists ``draw`` changes, in drawing order
    background_key(**values)  what the static part depends on (default None: nothing)
    background_values()   control values whose backgrounds are drawn up front (default: none)
    keyed()               the static artists that depend on the key (default None: all may)

The layout is solved once, before the first render, for the starting values changed by
``layout_values()`` (the values whose labels need the most room), and then frozen; a picture whose
axes sit at fixed places lists them in ``boxes`` instead (no layout engine at all). With
``dynamic()`` defined, the rest of the figure (axes, ticks, labels, legends, fixed
curves: most of the drawing time is text) is drawn once per background key and
kept as pixels; a render restores those pixels, draws the dynamic artists on top
in the order given and encodes the PNG. So a dynamic artist is always drawn above
every static one: list an overlapping static artist (a frame over an image, a
legend over a curve) among the dynamic ones, after what it covers. A static part
that depends on a control (axis limits, which contours are shown) is named by
``background_key``; one background is kept per key (at most ``max_backgrounds``),
drawn the first time the key comes up, or at construction for the values that
``background_values`` lists. A new key redraws the whole figure, unless ``keyed()``
names the few static artists that depend on it (an axis whose limits follow a
control, a title): then the rest is drawn once as a base and a new key only draws
those artists over it (they are drawn above the other static artists). Without
``dynamic()`` every render draws the whole figure.

Headless use (benchmarks, tests): ``p = MyPicture(); p.update(w1=0.3)`` and
``p.sweep()`` yields value dicts that move each control across its range.
"""

from __future__ import annotations

import importlib
import io
import os
import time
from typing import Any, ClassVar, Literal


class lazy:
    """A module imported on first use of one of its attributes: ``widgets = lazy("ipywidgets")``.

    matplotlib and ipywidgets cost about half a second to import; while nbgrader grades,
    no picture is drawn (see ``drawing_skipped``) and neither is ever imported.
    """

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


widgets = lazy("ipywidgets")


def drawing_skipped() -> bool:
    """True while nbgrader autogrades or validates a notebook (it sets NBGRADER_EXECUTION).

    Nobody sees a picture then, and drawing them was a third of the time spent on each
    notebook: the picture cells show a one-line note instead (in the feedback too).
    """
    return os.environ.get("NBGRADER_EXECUTION") in ("autograde", "validate")


class NotDrawn:
    """What a picture cell shows while nbgrader grades: its name and where to see it."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return (
            f"[{self.name}: an interactive picture, not drawn while nbgrader grades; open the notebook in JupyterLab]"
        )


#: The smallest text of every picture, in CSS points at the size the notebook shows it (issue 16: 9 pt).
#: tests/test_widgets_readable.py measures every drawn text of every picture against it.
MIN_TEXT_PT = 9.0
#: CSS pixels per CSS point: CSS fixes 96 px and 72 pt to the inch.
CSS_PX_PER_PT = 96 / 72
#: The pictures' resolution: a figure inch is ``DPI`` PNG pixels, shown one PNG pixel per CSS pixel.
DPI = 72


def text_size(dpi: float, shown_pt: float = MIN_TEXT_PT) -> float:
    """The matplotlib font size (points of 1/72 figure inch) drawn at ``dpi`` that measures ``shown_pt``
    CSS points when the PNG is shown one image pixel per CSS pixel: 12 at 72 dpi, 9 at 96 dpi."""
    return shown_pt * CSS_PX_PER_PT * 72.0 / dpi


def figure_key(fig, handles: list, **placement):
    """The figure's key (a legend without a frame, in the pictures' text size) for ``handles``, placed by
    matplotlib's legend arguments (``loc``, ``bbox_to_anchor``, ``ncol``, spacing)."""
    return fig.legend(handles=handles, frameon=False, **placement)


def new_figure(figsize, dpi: int, layout: Literal["constrained", "compressed", "tight"] | None = None):
    """A matplotlib Figure drawn by Agg (no GUI backend)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout=layout)
    FigureCanvasAgg(fig)
    return fig


class Picture:
    """Base class: figure + controls + in-place redraw, displayed as a VBox."""

    figsize = (6.0, 4.0)
    #: PNG pixels per figure inch; every text is sized for it (see ``_style``), so a picture with
    #: another dpi keeps its text at ``MIN_TEXT_PT`` when shown.
    dpi = DPI
    #: Axes placed by hand: [left, bottom, width, height] in figure fractions, one per axes, created in
    #: ``self.axes`` before ``draw_static``. None: the picture adds its own axes and matplotlib's
    #: constrained layout places them once, before the first render (see ``_freeze_layout``).
    boxes: tuple | None = None
    #: matplotlib settings the picture is built and drawn under, with ``font.size`` set from ``dpi`` (see
    #: ``_style``). Glyphs unhinted: the text (most of a redraw) renders in half the time of the default
    #: auto-hinter; antialiased, the difference does not show at these sizes. Titles, tick labels, axis
    #: labels and legends all take ``font.size``, the smallest size allowed: a text that must stand out
    #: says so with a larger relative size ("large"), never a number. Titles stand 8 pt above the frame
    #: (default 6): a title wider than its axes then clears the top tick label of the y axis.
    rc: ClassVar[dict[str, Any]] = {
        "text.hinting": "no_hinting",
        "axes.titlepad": 8.0,
        "axes.titlesize": "medium",
        "figure.titlesize": "medium",
        "axes.labelsize": "medium",
        "xtick.labelsize": "medium",
        "ytick.labelsize": "medium",
        "legend.fontsize": "medium",
    }
    #: Backgrounds kept at most (one per ``background_key`` value); the oldest is dropped first.
    max_backgrounds = 32

    def __new__(cls, *args, **kwargs):
        if drawing_skipped():
            return NotDrawn(cls.__name__)
        return super().__new__(cls)

    def __init__(self):
        with self._style():  # text sizes are fixed when an artist is made: build under the picture's rc
            self._build()
        self.widget = widgets.VBox(
            [
                widgets.HBox(list(self.controls_.values()), layout=widgets.Layout(flex_flow="row wrap")),
                self.image,
                self.text,
            ]
        )

    def _build(self) -> None:
        if self.boxes is None:  # laid out by matplotlib, once (see _freeze_layout)
            self.fig = new_figure(self.figsize, self.dpi, layout="constrained")
            self.axes = []
        else:  # placed by hand: no layout engine at all
            self.fig = new_figure(self.figsize, self.dpi)
            self.axes = [self.fig.add_axes(box) for box in self.boxes]
        # Shown at its own pixel size (one PNG pixel per CSS pixel): stretched, the PNG would be blurred
        # and its text would no longer measure what the rc says.
        w, h = self.fig.canvas.get_width_height(physical=True)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{w}px", height=f"{h}px"))
        self.text = widgets.HTML()
        self.controls_ = self.controls()
        for name, control in self.controls_.items():
            control.description = control.description or name
            if hasattr(control, "style") and hasattr(control.style, "description_width"):
                control.style.description_width = "initial"  # long labels keep the slider track usable
            if not control.layout.width and isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
                control.layout.width = "320px"
            control.observe(self._on_change, names="value")
        self.draw_static()
        self._backgrounds: dict[Any, Any] = {}
        self._base = None  # pixels without the keyed artists (see keyed())
        self.last_render_s = 0.0
        self._freeze_layout()
        start = self.values()
        for values in self.background_values():  # backgrounds wanted up front (only with dynamic())
            values = {**start, **values}
            self.draw(**values)
            key = self.background_key(**values)
            if key not in self._backgrounds:
                self._draw_background(key)
        self.update()

    # --- to implement -------------------------------------------------
    def controls(self) -> dict:
        raise NotImplementedError

    def draw_static(self) -> None:
        raise NotImplementedError

    def draw(self, *args: Any, **values: Any) -> None:
        raise NotImplementedError

    def readout(self, *args: Any, **values: Any) -> str:
        return ""

    # --- optional: redraw only what moves -----------------------------
    def dynamic(self) -> list | None:
        """The artists ``draw`` changes, in drawing order (None: no background, draw the whole figure)."""
        return None

    def background_key(self, **values):
        """What the static part of the figure depends on (None: nothing); one background per value."""
        return None

    def background_values(self) -> list:
        """Dicts of control values (the others at their start) whose backgrounds are drawn by ``__init__``."""
        return []

    def keyed(self) -> list | None:
        """The static artists that depend on ``background_key`` (None: any may; a new key redraws everything)."""
        return None

    def layout_values(self) -> dict:
        """Control values (the others at their start) the frozen layout makes room for: those whose tick
        labels or titles are widest (default: none, the starting values)."""
        return {}

    # --- machinery ----------------------------------------------------
    def values(self) -> dict:
        """Current value of every control."""
        return {name: c.value for name, c in self.controls_.items()}

    def _on_change(self, _change) -> None:
        self.update()

    def _freeze_layout(self) -> None:
        """Solve the layout engine once for the starting values (changed by ``layout_values``), then fix
        the axes where they are.

        Re-solving a constrained layout on every slider move costs more than the drawing itself.
        """
        from matplotlib.layout_engine import PlaceHolderLayoutEngine

        engine = self.fig.get_layout_engine()
        if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
            self.draw(**{**self.values(), **self.layout_values()})  # titles and labels at their widest
            self.fig.draw_without_rendering()
        self.fig.set_layout_engine(None)  # None, not "none": no placeholder engine left

    def update(self, **values) -> float:
        """Set the given control values (others unchanged), redraw, return seconds taken."""
        t0 = time.perf_counter()
        if values:
            for name, value in values.items():
                c = self.controls_[name]
                c.unobserve(self._on_change, names="value")
                try:
                    c.value = value
                finally:
                    c.observe(self._on_change, names="value")
        current = self.values()
        with self._style():
            self.draw(**current)
            self.text.value = self.readout(**current)
            self.image.value = self._render()
        self.last_render_s = time.perf_counter() - t0
        return self.last_render_s

    def _style(self):
        """A context in which matplotlib builds and draws the picture: ``rc``, and a ``font.size`` that is
        ``MIN_TEXT_PT`` CSS points at the size shown (``text_size(dpi)``)."""
        import matplotlib

        return matplotlib.rc_context({**self.rc, "font.size": text_size(self.dpi)})

    def render(self) -> bytes:
        """Draw the figure with Agg and encode it as PNG (light compression: speed over bytes).

        With ``dynamic()`` defined: restore the background for the current key (drawing
        and keeping it the first time), then draw only the dynamic artists on top.
        """
        with self._style():
            return self._render()

    def _render(self) -> bytes:
        canvas = self.fig.canvas
        moving = self.dynamic()
        if moving is None:
            canvas.draw()
        else:
            key = self.background_key(**self.values())
            background = self._backgrounds.get(key)
            if background is None:
                self._draw_background(key)
            else:
                canvas.restore_region(background)
            for a in moving:
                if a.get_visible():
                    self.fig.draw_artist(a)
        w, h = canvas.get_width_height(physical=True)
        from PIL import Image as PILImage

        img = PILImage.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        img.save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def _draw_background(self, key) -> None:
        """Draw the figure without the dynamic artists into the canvas and keep those pixels under ``key``."""
        canvas = self.fig.canvas
        keyed = self.keyed() or []
        moving = self.dynamic()
        if moving is None:
            raise TypeError(
                f"{type(self).__name__} keeps backgrounds, so it must define dynamic(): the artists drawn on them"
            )
        for a in [*moving, *keyed]:  # animated artists are left out of canvas.draw()
            a.set_animated(True)
        if not keyed:
            canvas.draw()
        else:  # the base once, then only what the key changes
            if self._base is None:
                canvas.draw()
                self._base = canvas.copy_from_bbox(self.fig.bbox)
            else:
                canvas.restore_region(self._base)
            for a in keyed:
                if a.get_visible():
                    self.fig.draw_artist(a)
        if len(self._backgrounds) >= self.max_backgrounds:
            del self._backgrounds[next(iter(self._backgrounds))]
        self._backgrounds[key] = self.fig.canvas.copy_from_bbox(self.fig.bbox)

    def sweep(self, points: int = 5):
        """Yield dicts {name: value} moving one control at a time across its range."""
        for name, c in self.controls_.items():
            if hasattr(c, "options") and c.options:
                opts = [o[1] if isinstance(o, tuple) else o for o in c.options]
                for v in opts:
                    yield {name: v}
            elif hasattr(c, "min") and hasattr(c, "max"):
                lo, hi = c.min, c.max
                for k in range(points):
                    v = lo + (hi - lo) * k / (points - 1)
                    if isinstance(c.value, int) and not isinstance(c.value, bool):
                        v = round(v)
                    yield {name: v}
            elif isinstance(c.value, bool):
                yield {name: not c.value}
                yield {name: c.value}

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
