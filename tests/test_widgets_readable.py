"""Every picture is readable: text no smaller than 9 pt at the size shown, labelled axes, a key for every colour.

"At the size shown": a picture is displayed as a PNG whose width on the page is set by its widget
(``image.layout.width``); a text of s points is drawn s·dpi/72 pixels high, so at the size shown it
measures s · dpi/72 · (shown width / PNG width) points of 1/72 inch of PNG pixels.
Every Axes has an x and a y label, or is a colour bar with a label, or is a diagram (``ax.diagram``,
no axes drawn) with a key (a legend or ``ax.key``). Every line, image and contour set in a plotting
axes is explained by a legend entry of its colour (or one named like its label or gid: lines of many
colours under one entry), a colour bar, or is a reference line (gid "guide", such as z = 0).
"""

from __future__ import annotations

import pytest

pytest.importorskip("matplotlib")

from matplotlib.collections import Collection
from matplotlib.colors import to_rgba
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from coursekit.bench_widgets import pictures, widget_modules
from shallownet.widgets.base import Picture

MIN_PT = 9.0
ALL = [cls for module in widget_modules() for cls in pictures(module)]


def _shown_scale(p: Picture) -> float:
    """Shown width / PNG width (1.0 when the widget shows the PNG at its own pixel size)."""
    png_w = p.fig.canvas.get_width_height(physical=True)[0]
    width = p.image.layout.width
    assert width and width.endswith("px"), f"{type(p).__name__}: the image widget should have a pixel width"
    return float(width[:-2]) / png_w


def _rgb(c):
    return tuple(round(v, 3) for v in to_rgba(c)[:3])


def _legend_keys(fig):
    """Colours of every legend handle in the figure, and the legend's entries (texts)."""
    colours, entries = set(), set()
    for legend in fig.findobj(Legend):
        entries |= {t.get_text() for t in legend.get_texts()}
        for h in legend.legend_handles:
            if h is None:
                continue
            if isinstance(h, Line2D):
                colours |= {_rgb(h.get_color()), _rgb(h.get_markerfacecolor()), _rgb(h.get_markeredgecolor())}
            elif isinstance(h, Patch):
                colours |= {_rgb(h.get_facecolor()), _rgb(h.get_edgecolor())}
    return colours, entries


def problems(p: Picture) -> list[str]:
    """Everything that makes the picture hard to read, as sentences (empty: readable)."""
    out = []
    name = type(p).__name__
    scale = _shown_scale(p) * p.fig.dpi / 72.0
    p.fig.canvas.draw()
    for t in p.fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        if t.axes is not None and not t.axes.get_visible():
            continue
        shown = t.get_fontsize() * scale
        if shown < MIN_PT - 1e-9:
            out.append(f"{name}: text {t.get_text()!r} is {shown:.1f} pt at the size shown (at least {MIN_PT:g})")
    colours, entries = _legend_keys(p.fig)
    has_colourbar = any(ax.get_label() == "<colorbar>" for ax in p.fig.axes)
    for ax in p.fig.axes:
        if not ax.get_visible():
            continue
        if ax.get_label() == "<colorbar>":
            if not (ax.get_ylabel() or ax.get_xlabel()):
                out.append(f"{name}: a colour bar without a label")
            continue
        if getattr(ax, "diagram", False):
            if ax.get_legend() is None and getattr(ax, "key", None) is None:
                out.append(f"{name}: a diagram without a key")
            continue
        if not ax.get_xlabel():
            out.append(f"{name}: an axes without an x label")
        if not ax.get_ylabel():
            out.append(f"{name}: an axes without a y label")
        for line in ax.lines:
            if line.get_gid() == "guide":
                continue
            keyed = (
                _rgb(line.get_color()) in colours
                or _rgb(line.get_markerfacecolor()) in colours
                or line.get_gid() in entries
                or line.get_label() in entries
            )
            if not keyed:
                out.append(f"{name}: a line of colour {line.get_color()!r} has no legend entry")
        if (
            ax.images
            and not has_colourbar
            and not any(isinstance(h, Patch) for lg in p.fig.findobj(Legend) for h in lg.legend_handles)
        ):
            out.append(f"{name}: an image without a colour bar or a legend of its colours")
        if any(isinstance(c, Collection) for c in ax.collections) and not colours:
            out.append(f"{name}: contours or points without a legend")
    return out


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_every_picture_is_readable(cls):
    p = cls()
    assert problems(p) == []
    for values in list(p.sweep(3))[::2]:  # still readable after the controls move
        p.update(**values)
    assert problems(p) == []


def test_there_are_pictures_to_check():
    assert len(ALL) >= 11


class _Unreadable(Picture):
    """A picture breaking every rule above: small text, an unlabelled axes, an unexplained line."""

    figsize = (3.0, 2.0)

    def controls(self):
        from shallownet.widgets.base import widgets

        return {"a": widgets.FloatSlider(value=0.0, min=0.0, max=1.0)}

    def draw_static(self):
        self.ax = self.fig.add_subplot(1, 1, 1)
        self.ax.set_xlabel("x", fontsize=7)
        (self.line,) = self.ax.plot([0, 1], [0, 1], color="tab:green")

    def draw(self, a):
        self.line.set_ydata([a, 1.0])


def test_the_check_finds_small_text_missing_labels_and_unexplained_lines():
    found = problems(_Unreadable())
    assert any("text 'x' is 7.0 pt" in f for f in found), found
    assert any("without a y label" in f for f in found), found
    assert any("no legend entry" in f for f in found), found
