"""Every number the prose of 02_worked_example states, recomputed independently with plain Python.

The network is re-derived here from the lecture's description (lists indexed
by neuron, the chain rule written out), not with shallownet and not with the
notebook's code; each stated string must also appear in the notebook's markdown,
so the text and this check cannot drift apart.
"""

from __future__ import annotations

import functools
import math

import pytest

from conftest import markdown
from conftest import stated as in_prose

ASSIGNMENT = "02_worked_example"

IN = [0.05, 0.10]
T = [0.01, 0.99]
W = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]  # w1..w8
LR = 0.5


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def run(w, b_hidden, b_out):
    """Hidden and output (net, out) per neuron for the 2-2-2 network; w = [w1..w8]."""
    # into h_j come w(2j+1) from i1 and w(2j+2) from i2; into o_j come w(2j+5) from h1 and w(2j+6) from h2
    net_h = [w[2 * j] * IN[0] + w[2 * j + 1] * IN[1] + b_hidden[j] for j in range(2)]
    out_h = [logistic(z) for z in net_h]
    net_o = [w[4 + 2 * j] * out_h[0] + w[5 + 2 * j] * out_h[1] + b_out[j] for j in range(2)]
    out_o = [logistic(z) for z in net_o]
    return net_h, out_h, net_o, out_o


def error(out_o):
    return sum((t - o) ** 2 for t, o in zip(T, out_o, strict=True)) / 2


def gradients(w, b_hidden, b_out):
    """(dE/dw list, output deltas, hidden deltas, dE/dout_h) by the chain rule, all at the weights w."""
    _, out_h, _, out_o = run(w, b_hidden, b_out)
    d_o = [(out_o[j] - T[j]) * out_o[j] * (1 - out_o[j]) for j in range(2)]
    # out_h[k] reaches o_j through w[4 + 2j + k]
    de_dh = [sum(d_o[j] * w[4 + 2 * j + k] for j in range(2)) for k in range(2)]
    d_h = [de_dh[k] * out_h[k] * (1 - out_h[k]) for k in range(2)]
    g = [
        d_h[0] * IN[0],
        d_h[0] * IN[1],
        d_h[1] * IN[0],
        d_h[1] * IN[1],
        d_o[0] * out_h[0],
        d_o[0] * out_h[1],
        d_o[1] * out_h[0],
        d_o[1] * out_h[1],
    ]
    return g, d_o, d_h, de_dh


@functools.cache
def descend(steps, train_biases=False, stale=False):
    """Weights, biases and the error history after `steps` full-batch steps from the lecture's start."""
    w, bh, bo = list(W), [0.35, 0.35], [0.60, 0.60]
    history = [error(run(w, bh, bo)[3])]
    for _ in range(steps):
        g, d_o, d_h, _ = gradients(w, bh, bo)
        if stale:  # output weights first, hidden gradients through the new ones
            w_out = [w[k] - LR * g[k] for k in range(4, 8)]
            _, out_h, _, _ = run(w, bh, bo)  # old activations, new w5..w8
            de_dh = [sum(d_o[j] * w_out[2 * j + k] for j in range(2)) for k in range(2)]
            d_hs = [de_dh[k] * out_h[k] * (1 - out_h[k]) for k in range(2)]
            g_hidden = [d_hs[0] * IN[0], d_hs[0] * IN[1], d_hs[1] * IN[0], d_hs[1] * IN[1]]
            w = [w[k] - LR * g_hidden[k] for k in range(4)] + w_out
        else:
            w = [wk - LR * gk for wk, gk in zip(w, g, strict=True)]
        if train_biases:
            bh = [bh[k] - LR * d_h[k] for k in range(2)]
            bo = [bo[k] - LR * d_o[k] for k in range(2)]
        history.append(error(run(w, bh, bo)[3]))
    return w, bh, bo, history


@pytest.fixture(scope="module")
def prose() -> str:
    return markdown(ASSIGNMENT)


def stated(prose: str, text: str, value: float, digits: int | None = None, sig: int | None = None) -> None:
    """`text` appears in the prose and is `value` rounded to `digits` decimals (or `sig` significant digits)."""
    in_prose(prose, text)
    number = float(text.replace("−", "-"))
    if sig is not None:
        assert float(f"{value:.{sig - 1}e}") == pytest.approx(number, rel=1e-12), f"{text} vs {value!r}"
    else:
        assert round(value, digits) == pytest.approx(number, abs=10.0 ** -(digits + 3)), f"{text} vs {value!r}"


def test_forward_numbers(prose):
    net_h, out_h, net_o, out_o = run(W, [0.35, 0.35], [0.60, 0.60])
    stated(prose, "0.3775", net_h[0], 4)
    stated(prose, "0.593269992", out_h[0], 9)
    stated(prose, "0.3925", net_h[1], 4)
    stated(prose, "0.596884378", out_h[1], 9)
    stated(prose, "1.105905967", net_o[0], 9)
    stated(prose, "0.75136507", out_o[0], 8)
    stated(prose, "0.772928465", out_o[1], 9)
    stated(prose, "0.274811083", (T[0] - out_o[0]) ** 2 / 2, 9)
    stated(prose, "0.023560026", (T[1] - out_o[1]) ** 2 / 2, 9)
    stated(prose, "0.298371109", error(out_o), 9)


def test_output_gradients(prose):
    _, _, _, out_o = run(W, [0.35, 0.35], [0.60, 0.60])
    g, d_o, _, _ = gradients(W, [0.35, 0.35], [0.60, 0.60])
    stated(prose, "0.74136507", out_o[0] - T[0], 8)
    stated(prose, "0.186815602", out_o[0] * (1 - out_o[0]), 9)
    stated(prose, "0.138498562", d_o[0], 9)
    stated(prose, "−0.038098237", d_o[1], 9)
    stated(prose, "0.082167041", g[4], 9)
    stated(prose, "0.082667628", g[5], 9)
    stated(prose, "−0.022602540", g[6], 9)
    stated(prose, "−0.022740242", g[7], 9)
    # the product as the lecture writes it, with the rounded factors
    assert "0.74136507 × 0.186815602 × 0.593269992 = 0.082167041" in prose
    assert round(0.74136507 * 0.186815602 * 0.593269992, 9) == pytest.approx(0.082167041, abs=1e-12)


def test_hidden_gradients(prose):
    _, out_h, _, _ = run(W, [0.35, 0.35], [0.60, 0.60])
    g, _, d_h, de_dh = gradients(W, [0.35, 0.35], [0.60, 0.60])
    stated(prose, "0.036350306", de_dh[0], 9)
    stated(prose, "0.241300709", out_h[0] * (1 - out_h[0]), 9)
    stated(prose, "0.008771355", d_h[0], 9)
    for text, value in zip(["0.000438568", "0.000877135", "0.000497713", "0.000995425"], g[:4], strict=True):
        stated(prose, text, value, 9)


def test_hidden_gradients_are_smaller(prose):
    g = gradients(W, [0.35, 0.35], [0.60, 0.60])[0]
    ratios = [abs(out) / abs(hid) for out in g[4:] for hid in g[:4]]
    in_prose(prose, "between 22.7 and 188.5 times smaller")
    assert (round(min(ratios), 1), round(max(ratios), 1)) == (22.7, 188.5)
    in_prose(prose, "23 to 190 times smaller")  # the mark scheme, rounded
    assert 22.5 < min(ratios) and max(ratios) < 190


def test_one_step(prose):
    g = gradients(W, [0.35, 0.35], [0.60, 0.60])[0]
    new = [w - LR * gk for w, gk in zip(W, g, strict=True)]
    texts = [
        "0.149780716",
        "0.19956143",
        "0.24975114",
        "0.29950229",
        "0.35891648",
        "0.408666186",
        "0.511301270",
        "0.561370121",
    ]
    for text, value in zip(texts, new, strict=True):
        stated(prose, text, value, len(text.split(".")[1]))
    assert "0.40 − 0.5 × 0.082167041 = 0.35891648" in prose
    stated(prose, "0.291027774", error(run(new, [0.35, 0.35], [0.60, 0.60])[3]), 9)


def test_ten_thousand_steps(prose):
    w, bh, bo, history = descend(10_000)
    out_o = run(w, bh, bo)[3]
    stated(prose, "3.5101878e-05", history[-1], sig=8)
    stated(prose, "0.015913620", out_o[0], 9)
    stated(prose, "0.984064274", out_o[1], 9)


def test_stale_order(prose):
    _, _, _, history = descend(1, stale=True)
    stated(prose, "0.291027924", history[1], 9)
    w, bh, bo, history = descend(10_000, stale=True)
    stated(prose, "0.000035085", history[-1], 9)
    out_o = run(w, bh, bo)[3]
    stated(prose, "0.015912196", out_o[0], 9)  # the blog's outputs come from the stale order too
    stated(prose, "0.984065734", out_o[1], 9)
    in_prose(prose, "some\ncopies print 0.0000351085")
    # the reflection's mark scheme: the two orders differ by 1.5e-7 after one step
    assert "1.5e-7" in prose
    assert round(history[1] - descend(1)[3][1], 8) == pytest.approx(1.5e-7, abs=1e-12)


def test_slide_lines(prose):
    stated(prose, "0.3825", 0.05 * 0.15 + 0.10 * 0.25 + 0.35, 4)
    stated(prose, "0.3900", 0.05 * 0.20 + 0.10 * 0.30 + 0.35, 4)
    stated(prose, "1.1357", 0.5932 * 0.40 + 0.5968 * 0.50 + 0.60, 4)
    stated(prose, "0.0799", 0.7414 * 0.1816 * 0.5932, 4)
    # the slides' own results, which are right: 0.3775, 0.3925, 1.1059, 0.0821 (truncated 0.082167)
    for text in ["= 0.3775", "= 0.3925", "= 1.1059", "= 0.0821"]:
        assert text in prose


def test_biases_trained(prose):
    _, _, _, fixed = descend(10_000)
    _, bh, bo, trained = descend(10_000, train_biases=True)
    stated(prose, "2.4475622e-06", trained[-1], sig=8)
    assert "fourteen times" in prose and round(fixed[-1] / trained[-1]) == 14
    first = next(k for k, e in enumerate(trained) if e <= fixed[-1])
    assert f"after {first} steps" in prose and first == 3371
    assert "near −2.34 and 2.17" in prose and (round(bo[0], 2), round(bo[1], 2)) == (-2.34, 2.17)
    assert "about 1.00 and 0.98" in prose and (round(bh[0], 2), round(bh[1], 2)) == (1.00, 0.98)
