"""The one widget pattern every notebook picture uses.

A ``Picture`` owns one matplotlib figure (Agg, no GUI backend needed) shown as
an ``ipywidgets.Image``. Controls are ordinary ipywidgets; moving any of them
calls ``update(**values)``, which changes the existing artists in place
(``set_data``, ``set_text``…) and re-renders the PNG. Subclasses implement:

    controls()            -> dict name -> ipywidgets control
    draw_static()         build axes and artists once (called by __init__)
    draw(**values)        update the artists for the control values
    readout(**values)     optional text shown under the picture (HTML)

Headless use (benchmarks, tests): ``p = MyPicture(); p.update(w1=0.3)`` and
``p.sweep()`` yields value dicts that move each control across its range.
"""
from __future__ import annotations

import io
import time

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage


class Picture:
    """Base class: figure + controls + in-place redraw, displayed as a VBox."""

    figsize = (6.0, 4.0)
    dpi = 72

    def __init__(self):
        self.fig = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(self.fig)
        self.image = widgets.Image(format="png")
        self.text = widgets.HTML()
        self.controls_ = self.controls()
        for name, control in self.controls_.items():
            control.description = control.description or name
            control.observe(self._on_change, names="value")
        self.draw_static()
        self.last_render_s = 0.0
        self.update()
        # The layout is solved once, on the first draw; later redraws keep the axes where they are
        # (re-solving a constrained layout on every slider move costs more than the drawing itself).
        self.fig.set_layout_engine("none")
        self.widget = widgets.VBox([
            widgets.HBox(list(self.controls_.values()), layout=widgets.Layout(flex_flow="row wrap")),
            self.image, self.text])

    # --- to implement -------------------------------------------------
    def controls(self) -> dict:
        raise NotImplementedError

    def draw_static(self) -> None:
        raise NotImplementedError

    def draw(self, **values) -> None:
        raise NotImplementedError

    def readout(self, **values) -> str:
        return ""

    # --- machinery ----------------------------------------------------
    def values(self) -> dict:
        """Current value of every control."""
        return {name: c.value for name, c in self.controls_.items()}

    def _on_change(self, _change) -> None:
        self.update()

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
        self.draw(**current)
        self.text.value = self.readout(**current)
        self.image.value = self.render()
        self.last_render_s = time.perf_counter() - t0
        return self.last_render_s

    def render(self) -> bytes:
        """Draw the figure with Agg and encode it as PNG (light compression: speed over bytes)."""
        canvas = self.fig.canvas
        canvas.draw()
        w, h = canvas.get_width_height(physical=True)
        img = PILImage.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        img.save(buf, format="png", compress_level=1)
        return buf.getvalue()

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
                        v = int(round(v))
                    yield {name: v}
            elif isinstance(c.value, bool):
                yield {name: not c.value}
                yield {name: c.value}

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)
