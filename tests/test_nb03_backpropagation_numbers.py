"""Every number the prose of 03_backpropagation states, recomputed independently (plain math, closed forms).

Each test also asserts that the number, written as in the prose, really appears in the
markdown of the part that states it (source/03_backpropagation/part1_graphs.ipynb or
part2_networks.ipynb), so text and check cannot drift.
"""

from __future__ import annotations

import math
import random

import pytest

from conftest import source_notebooks, stated

ASSIGNMENT = "03_backpropagation"


def _markdown(notebook: dict) -> str:
    return "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")


@pytest.fixture(scope="module")
def parts() -> list[str]:
    notebooks = source_notebooks(ASSIGNMENT)
    assert len(notebooks) == 2, f"03_backpropagation should have two parts, has {len(notebooks)}"
    return [_markdown(nb) for nb in notebooks]


@pytest.fixture(scope="module")
def part1(parts) -> str:
    """Part 1: computational graphs, the activations' backward passes, the dense layer."""
    return parts[0]


@pytest.fixture(scope="module")
def part2(parts) -> str:
    """Part 2: the softmax Jacobian, softmax + cross-entropy, gradient checking, a network, vanishing gradients."""
    return parts[1]


def test_example_graph_forward_and_backward(part1):
    x, y, z = 1.0, 3.0, -2.0
    stated(part1, "$x = 1$, $y = 3$, $z = -2$")
    q, r = x + y, (x + y) * z
    f = r * r
    assert (q, r, f) == (4.0, -8.0, 64.0)
    stated(part1, "$q = 4$, $r = -8$, $f = 64$")
    # closed forms of the partial derivatives of ((x + y) z)²
    df_dr = 2 * (x + y) * z
    df_dx = 2 * (x + y) * z * z
    df_dz = 2 * (x + y) * z * (x + y)
    assert (df_dr, df_dx, df_dz) == (-16.0, 32.0, -64.0)
    stated(part1, r"$\partial f/\partial r = 2 \cdot (-8) = -16$")
    stated(part1, r"$\partial f/\partial q = z \cdot (-16) = 32$")
    stated(part1, r"$\partial f/\partial z = q \cdot (-16) = -64$")
    stated(part1, r"$\partial f/\partial x = \partial f/\partial y = 32$")
    stated(part1, r"$\partial f/\partial z = 2 \cdot (-8) \cdot 4 = -64$")
    # and a finite difference of the formula itself agrees
    F = lambda x, y, z: ((x + y) * z) ** 2  # noqa: E731
    h = 1e-6
    assert abs((F(x, y, z + h) - F(x, y, z - h)) / (2 * h) - df_dz) < 1e-5
    assert abs((F(x + h, y, z) - F(x - h, y, z)) / (2 * h) - df_dx) < 1e-5


def test_sine_exercise_point(part1):
    stated(part1, r"$x = \pi/6$, $y = 1/2$, $z = 2$")
    stated(part1, r"$\sin x = 1/2$ and $\cos x = \sqrt 3/2$")
    assert math.isclose(math.sin(math.pi / 6), 0.5, rel_tol=1e-12)
    assert math.isclose(math.cos(math.pi / 6), math.sqrt(3) / 2, rel_tol=1e-12)


def test_activation_slopes(part1):
    stated(part1, "| 0.25, at $z = 0$ |")
    stated(part1, "| 1, at $z = 0$ |")
    # sigmoid slope s(1 − s) is at most 1/4 (AM-GM), reached at s = 1/2, i.e. z = 0
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    slopes = [sig(k / 100) * (1 - sig(k / 100)) for k in range(-1000, 1001)]
    assert max(slopes) == 0.25 and slopes.index(0.25) == 1000
    assert max(1 - math.tanh(k / 100) ** 2 for k in range(-1000, 1001)) == 1.0


def _softmax(z):
    e = [math.exp(v - max(z)) for v in z]
    return [v / sum(e) for v in e]


def test_softmax_numbers(part2):
    S = _softmax([1.0, 2.0, 3.0])
    text = ", ".join(f"{s:.8f}" for s in S)
    assert text == "0.09003057, 0.24472847, 0.66524096"
    stated(part2, f"$S = ({text})$")
    # rows of diag(S) − S Sᵀ sum to S_i − S_i ΣS = 0
    for i in range(3):
        assert abs(sum((S[i] if i == j else 0.0) - S[i] * S[j] for j in range(3))) < 1e-15


def test_cross_entropy_numbers(part2):
    S = _softmax([1.0, 2.0, 3.0])
    loss = math.log(math.exp(1) + math.exp(2) + math.exp(3)) - 3.0  # −log S_3 via log-sum-exp
    assert f"{loss:.8f}" == "0.40760596"
    stated(part2, "$L = -\\log 0.66524096 = 0.40760596$")
    dz = [S[0], S[1], S[2] - 1.0]
    text = ", ".join(f"{v:.8f}" for v in dz)
    assert text == "0.09003057, 0.24472847, -0.33475904"
    stated(part2, f"$dZ = ({text})$")


def test_exp_overflow_threshold(part2):
    stated(part2, r"$e^{z}$ overflows for $z \approx 710$")
    assert 709 < math.log(1.7976931348623157e308) < 710
    with pytest.raises(OverflowError):
        math.exp(710)


def test_difference_quotient_errors(part2):
    h = 1e-5
    stated(part2, "$h = 10^{-5}$")
    one_sided = abs((math.sin(1 + h) - math.sin(1)) / h - math.cos(1))
    assert f"{one_sided:.1e}" == "4.2e-06"
    # the truncation error of the one-sided quotient is about h/2 · |f''(1)| = h/2 · sin 1
    assert math.isclose(one_sided, h / 2 * math.sin(1), rel_tol=1e-3)
    stated(part2, "off by about 4.2e-06, the central one by less than 1e-10")
    central = abs((math.sin(1 + h) - math.sin(1 - h)) / (2 * h) - math.cos(1))
    assert central < 1e-10


def test_vanishing_factor(part2):
    assert 0.25**9 == 3.814697265625e-06 == 1 / 4**9 == 1 / 262144  # ten layers: nine slopes between them
    stated(part2, r"$0.25^{9} = 3.814697265625 \times 10^{-6}$")
    stated(part2, "nine sigmoid slopes")
    stated(part2, "about four millionths")
    assert f"{0.25**9:.1e}" == "3.8e-06"  # the reflection's mark scheme rounds it
    stated(part2, "0.25^9 ≈ 3.8e-6")


def _deep_gradient_ratio(activation, depth, scale, width=32, n=64, seed=0):
    """|δ_1| / |δ_depth| for a random deep network, written with plain Python lists."""
    rnd = random.Random(seed)
    Ws = [[[rnd.gauss(0, scale / math.sqrt(width)) for _ in range(width)] for _ in range(width)] for _ in range(depth)]
    f = {"sigmoid": lambda z: 1 / (1 + math.exp(-z)), "relu": lambda z: max(z, 0.0)}[activation]
    df = {"sigmoid": lambda z: f(z) * (1 - f(z)), "relu": lambda z: 1.0 if z > 0 else 0.0}[activation]
    total = [0.0] * depth
    for _ in range(n):
        a = [rnd.gauss(0, 1) for _ in range(width)]
        zs = []
        for layer, W in enumerate(Ws):
            z = [sum(a[k] * W[k][j] for k in range(width)) for j in range(width)]
            zs.append(z)
            a = [f(v) for v in z] if layer < depth - 1 else z
        d = [rnd.gauss(0, 1) for _ in range(width)]
        for layer in range(depth - 1, -1, -1):
            dz = d if layer == depth - 1 else [d[j] * df(zs[layer][j]) for j in range(width)]
            total[layer] += sum(abs(v) for v in dz)
            d = [sum(dz[j] * Ws[layer][k][j] for j in range(width)) for k in range(width)]
    return total[0] / total[-1]


def test_depth_picture_claims(part2):
    stated(part2, "scale near 1.41 = √2")
    assert f"{math.sqrt(2):.2f}" == "1.41"
    # ReLU with std √2/√n keeps the gradient level; ten sigmoid layers lose several orders of magnitude
    assert 0.1 < _deep_gradient_ratio("relu", 10, math.sqrt(2), width=16, n=8) < 10
    assert _deep_gradient_ratio("sigmoid", 10, 1.0, width=16, n=8) < 1e-4
