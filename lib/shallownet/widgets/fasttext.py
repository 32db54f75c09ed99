"""Faster plain text for the pictures' Agg renderer: a speed-up, not course material.

Matplotlib's Agg text path shapes every string anew and renders it glyph by glyph through
FreeType: with a few dozen changing numbers on a picture that is most of a redraw. The
renderer of every Picture draws plain, horizontal, antialiased text from cached glyph
bitmaps instead (same font, size and hinting; the same advances and kerning as matplotlib's
layout; glyph positions rounded to 1/4 pixel) and keeps the last strings it composed; text
extents (for alignment and boxes) come from the same cached glyph boxes (within 1/2 pixel).
Anything else (mathtext, rotated text, a character the font lacks, font features) goes
through matplotlib's own draw_text.

It uses matplotlib's font objects (pinned version, see requirements.txt); on any
error the text is drawn by matplotlib itself.
"""
from __future__ import annotations

import math
import types
from collections import OrderedDict

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import Kerning, RenderMode


_SUBPIXEL = 4
_IDENTITY = np.array([[0x10000, 0], [0, 0x10000]])     # FreeType's 16.16 unit matrix
# font key: (font file, size, dpi, hinting flags)
_glyphs: dict = {}                       # (*font key, glyph, fx, fy) -> (alpha, left, top)
_advances: dict = {}                     # (*font key, char) -> (glyph index, advance px, bbox)
_kerning: dict = {}                      # (*font key, left glyph, right glyph) -> px
_strings: OrderedDict = OrderedDict()    # (*font key, string, fx, fy) -> (alpha, left, top)
_fonts: dict = {}                        # hash(FontProperties) -> FT2Font
_heights: dict = {}                      # (hash(FontProperties), dpi) -> (ascent, descent, line gap)
_MAX_STRINGS = 2048
_MAX_GLYPHS = 50_000


def _subpixel(v: float) -> tuple[int, int]:
    """Whole pixels and quarter pixels (0.._SUBPIXEL-1) of a coordinate."""
    q = math.floor(v * _SUBPIXEL + 0.5)
    return q // _SUBPIXEL, q % _SUBPIXEL


def _font(renderer, prop):
    """The FT2Font for ``prop`` at its size (RendererAgg._prepare_font without its font look-up every call)."""
    key = hash(prop)
    font = _fonts.get(key)
    if font is None:
        font = _fonts[key] = get_font(fontManager._find_fonts_by_props(prop))
    font.set_size(prop.get_size_in_points(), renderer.dpi)
    return font


def _font_height_metrics(self, prop):
    """(ascent, descent, line gap) of a font in px, as Text._get_layout computes them, cached."""
    key = (hash(prop), self.dpi)
    m = _heights.get(key)
    if m is None:
        font = _font(self, prop)
        m = (None, None, None)
        for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                                 ("hhea", "lineGap", "ascent", "descent")):
            table = font.get_sfnt_table(table_name)
            if table is not None:
                scale = prop.get_size_in_points() * self.dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
                m = (table[ascent] * scale, -table[descent] * scale, table[gap] * scale)
                break
        _heights[key] = m
    return m


def _glyph_info(font, fkey, ch, flags):
    """(glyph index, hinted advance px, hinted bbox (xmin, ymin, xmax, ymax) in 1/64 px) or None if missing."""
    info = _advances.get((*fkey, ch))
    if info is None:
        gi = font.get_char_index(ord(ch))
        if gi == 0:
            return None
        font._set_transform(_IDENTITY, [0, 0])          # a glyph drawn before may have left a shift
        g = font.load_glyph(gi, flags)
        info = _advances[(*fkey, ch)] = (gi, g.horiAdvance / 64, tuple(g.bbox))
    return info


def _kern(font, fkey, left, right) -> float:
    """Kerning in px between two glyphs, as matplotlib's layout applies it."""
    k = _kerning.get((*fkey, left, right))
    if k is None:
        k = _kerning[(*fkey, left, right)] = font.get_kerning(left, right, Kerning.UNFITTED) / 64
    return k


def _fast_text_metrics(self, s, prop, ismath):
    """RendererAgg.get_text_width_height_descent for plain text from cached glyph boxes (within 1/2 px)."""
    if ismath or not s:
        return RendererAgg.get_text_width_height_descent(self, s, prop, ismath)
    font = _font(self, prop)
    flags = get_hinting_flag()
    fkey = (font.fname, prop.get_size_in_points(), self.dpi, flags)
    x, prev = 0.0, None
    x0, y0, x1, y1 = 0.0, math.inf, 0.0, -math.inf
    try:
        for ch in s:
            info = _glyph_info(font, fkey, ch, flags)
            if info is None:
                return RendererAgg.get_text_width_height_descent(self, s, prop, ismath)
            gi, advance, (bx0, by0, bx1, by1) = info
            if prev is not None:
                x += _kern(font, fkey, prev, gi)
            x0, x1 = min(x0, x + bx0 / 64), max(x1, x + bx1 / 64)
            y0, y1 = min(y0, by0 / 64), max(y1, by1 / 64)
            x += advance
            prev = gi
    except Exception:                                    # private FreeType API changed: matplotlib's path
        return RendererAgg.get_text_width_height_descent(self, s, prop, ismath)
    if y0 > y1:
        y0 = y1 = 0.0
    return max(x1, x) - x0, y1 - y0, -y0


def _compose(font, fkey, s: str, fx: int, fy: int, flags):
    """Alpha bitmap of one line of text whose origin is at (fx, fy) quarter pixels; None if not possible.

    Returns (alpha (h, w) uint8, left, top): pixel offsets of the bitmap from the origin's whole pixel.
    """
    if len(_glyphs) > _MAX_GLYPHS:
        _glyphs.clear()
    parts = []
    x = fx / _SUBPIXEL
    prev = None
    for ch in s:
        info = _glyph_info(font, fkey, ch, flags)
        if info is None:
            return None                                  # not in this font: let matplotlib use a fallback font
        gi, advance, _ = info
        if prev is not None:
            x += _kern(font, fkey, prev, gi)
        ix, qx = _subpixel(x)
        g = _glyphs.get((*fkey, gi, qx, fy))
        if g is None:
            font._set_transform(_IDENTITY, [qx * 0x40 // _SUBPIXEL, fy * 0x40 // _SUBPIXEL])
            bm = font._render_glyph(gi, flags, RenderMode.NORMAL)
            font._set_transform(_IDENTITY, [0, 0])
            g = _glyphs[(*fkey, gi, qx, fy)] = (np.array(bm.buffer, dtype=np.uint8), bm.left, bm.top)
        alpha, left, top = g
        if alpha.size:
            parts.append((alpha, ix + left, top))
        x += advance
        prev = gi
    if not parts:
        return np.zeros((0, 0), np.uint8), 0, 0
    L = min(p[1] for p in parts)
    R = max(p[1] + p[0].shape[1] for p in parts)
    T = max(p[2] for p in parts)
    B = min(p[2] - p[0].shape[0] for p in parts)
    out = np.zeros((T - B, R - L), np.uint8)
    for alpha, left, top in parts:
        h, w = alpha.shape
        r0, c0 = T - top, left - L
        view = out[r0:r0 + h, c0:c0 + w]
        np.maximum(view, alpha, out=view)
    return out, L, T


def _fast_draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
    """RendererAgg.draw_text for plain horizontal text from cached glyphs (see above)."""
    if (ismath or angle or not gc.get_antialiased()
            or (mtext is not None and (mtext.get_fontfeatures() is not None
                                       or mtext.get_language() is not None))):
        return RendererAgg.draw_text(self, gc, x, y, s, prop, angle, ismath, mtext)
    font = _font(self, prop)
    flags = get_hinting_flag()
    fkey = (font.fname, prop.get_size_in_points(), self.dpi, flags)
    ix, fx = _subpixel(x)
    iy, fy = _subpixel(self.height - y)                  # FreeType's y is upwards
    key = (*fkey, s, fx, fy)
    hit = _strings.get(key)
    if hit is None:
        try:
            hit = _compose(font, fkey, s, fx, fy, flags)
        except Exception:                                # private FreeType API changed: matplotlib's path
            hit = None
        if hit is None:
            return RendererAgg.draw_text(self, gc, x, y, s, prop, angle, ismath, mtext)
        _strings[key] = hit
        if len(_strings) > _MAX_STRINGS:
            _strings.popitem(last=False)
    else:
        _strings.move_to_end(key)
    alpha, left, top = hit
    if alpha.size:
        self._renderer.draw_text_image(alpha, ix + left, int(self.height) - (iy + top) + alpha.shape[0], 0, gc)


def install(renderer) -> None:
    """Give one Agg renderer the cached-glyph text path (idempotent)."""
    if "draw_text" not in vars(renderer):
        renderer.draw_text = types.MethodType(_fast_draw_text, renderer)
        renderer.get_text_width_height_descent = types.MethodType(_fast_text_metrics, renderer)
        renderer._get_font_height_metrics = types.MethodType(_font_height_metrics, renderer)
