"""Every number the prose of 04_gradient_descent states, recomputed independently (plain math, closed forms).

Each test also asserts that the number, written as in the prose, really appears in the
markdown of source/04_gradient_descent/gradient_descent.ipynb, so text and check cannot drift.
The last test checks what the imports cell puts into the student's namespace.
"""

from __future__ import annotations

import ast
import itertools
import math

import pytest

from conftest import markdown, source_notebook, stated

ASSIGNMENT = "04_gradient_descent"


@pytest.fixture(scope="module")
def prose() -> str:
    return markdown(ASSIGNMENT)


def test_first_step_on_the_parabola(prose):
    # L(w) = (w - 3)^2 from w = 0 with lr 0.1: slope -6, new w 0.6, loss 9 -> 5.76, factor 1 - 2 lr = 0.8
    w = 0.0 - 0.1 * 2 * (0.0 - 3)
    assert w == pytest.approx(0.6)
    assert (w - 3) ** 2 == pytest.approx(5.76)
    assert (w - 3) / (0 - 3) == pytest.approx(0.8)
    stated(prose, r"0 - 0.1 \cdot (-6) = 0.6")
    stated(prose, "(0.6 - 3)^2 = 5.76")
    stated(prose, r"$1 - 2\alpha = 0.8$")


def _steps_within(lr: float, tol: float = 0.01) -> int | None:
    """Closed form: the distance to the minimum after t steps is 3 |1 - 2 lr|^t."""
    q = abs(1 - 2 * lr)
    if q == 0:
        return 1
    if q >= 1:
        return None
    t = math.ceil(math.log(tol / 3) / math.log(q))
    return t if 3 * q**t < tol else t + 1


@pytest.mark.parametrize(
    "lr, text",
    [
        (0.01, "283 steps"),
        (0.1, "26 steps"),
        (0.5, "in 1 step"),
        (0.9, "still converges: 26 steps"),
        (1.1, "**diverges**"),
    ],
)
def test_learning_rate_table(prose, lr, text):
    expected = {"283 steps": 283, "26 steps": 26, "in 1 step": 1, "still converges: 26 steps": 26, "**diverges**": None}
    assert _steps_within(lr) == expected[text]
    stated(prose, text)
    stated(prose, f"| {lr} | {1 - 2 * lr:.2g} |".replace("-", "−"))


def test_stability_limit_of_the_bowl(prose):
    # curvatures 1 and 10: converge iff lr < 2 / 10; the flat direction then shrinks by 1 - 0.2
    assert 2 / 10 == pytest.approx(0.2)
    stated(prose, r"$\alpha < 0.2$")
    stated(prose, "$1 - 0.2 = 0.8$")


def test_decay_schedule(prose):
    assert 1.0 / (1 + 0.1 * 10) == pytest.approx(0.5)
    assert f"{1.0 / (1 + 0.1 * 19):.4f}" == "0.3448"
    stated(prose, "halved to 0.5 at step 10")
    stated(prose, "0.3448 at step 19")


def _bowl_steps(lr: float, mu: float, tol: float = 1e-6) -> int:
    """Momentum descent on ½(a² + 10 b²) from (-2, 1) in plain floats: steps until the loss < tol."""
    a, b, ma, mb = -2.0, 1.0, 0.0, 0.0
    for t in range(100_000):
        if 0.5 * (a * a + 10 * b * b) < tol:
            return t
        ma, mb = mu * ma - lr * a, mu * mb - lr * 10 * b
        a, b = a + ma, b + mb
    raise AssertionError("no convergence")


def test_momentum_on_the_bowl(prose):
    assert _bowl_steps(0.02, 0.0) == 360
    assert _bowl_steps(0.02, 0.8) == 70
    stated(prose, "plain descent needs 360 steps")
    stated(prose, "with momentum 0.8 it needs 70")


def test_weight_decay_moves_the_minimum(prose):
    # d/dw [(w - 3)^2 + lam/2 w^2] = 2(w - 3) + lam w = 0  ->  w = 6 / (2 + lam)
    assert 6 / (2 + 0.5) == pytest.approx(2.4)
    stated(prose, "at $w = 2.4$ instead of 3")


def _cubic_roots():
    """Roots of 4x³ − 6x + 1 = 0 (x³ − 1.5x + 0.25 = 0) by the trigonometric formula, ascending."""
    p, q = -1.5, 0.25
    r = 2 * math.sqrt(-p / 3)
    phi = math.acos(3 * q / (2 * p) * math.sqrt(-3 / p)) / 3
    return sorted(r * math.cos(phi - 2 * math.pi * k / 3) for k in range(3))


def _valley_end(w: float, mu: float, lr: float = 0.01, steps: int = 300) -> float:
    m = 0.0
    for _ in range(steps):
        m = mu * m - lr * (4 * w**3 - 6 * w + 1)
        w += m
    return w


def test_two_valleys(prose):
    low, _ridge, high = _cubic_roots()

    def L(x):
        return x**4 - 3 * x**2 + x

    assert f"{low:.4f}" == "-1.3008" and f"{L(low):.4f}" == "-3.5139"
    assert f"{high:.4f}" == "1.1309" and f"{L(high):.4f}" == "-1.0702"
    assert L(low) < L(high)  # the left valley is the deep one
    assert _valley_end(2.0, 0.0) == pytest.approx(high, abs=1e-6)  # plain descent from 2: trapped
    assert _valley_end(-2.0, 0.0) == pytest.approx(low, abs=1e-6)
    assert _valley_end(2.0, 0.9) == pytest.approx(low, abs=1e-4)  # momentum 0.9 crosses the ridge
    stated(prose, "$w_1 = -1.3008$ (loss $-3.5139$)")
    stated(prose, "$w_1 = 1.1309$ (loss $-1.0702$)")


def test_newton_against_descent(prose):
    # Newton on ½(a² + 10 b²): H = diag(1, 10), grad = (a, 10 b): w − H⁻¹ grad = 0 from anywhere
    a, b = -2.0, 1.0
    assert (a - a / 1.0, b - 10 * b / 10.0) == (0.0, 0.0)
    # descent with lr 0.1: b -> 0 after one step, a shrinks by 0.9: loss 2 · 0.81^t for t >= 1
    t = math.ceil(math.log(1e-6 / 2) / math.log(0.81))
    assert 2 * 0.81**t < 1e-6 <= 2 * 0.81 ** (t - 1)
    assert t == 69
    stated(prose, "plain descent with learning rate 0.1 needs 69 steps")


def test_best_straight_line_through_the_sine(prose):
    n = 100
    xs = [2 * math.pi * i / (n - 1) for i in range(n)]
    ys = [math.sin(x) for x in xs]
    mx, my = sum(xs) / n, sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    icept = my - slope * mx
    mse = sum((slope * x + icept - y) ** 2 for x, y in zip(xs, ys, strict=True)) / n
    assert f"{mse:.4f}" == "0.2032"
    stated(prose, "mean squared error of 0.2032")


def test_where_the_diverging_descend_stops():
    """The visible and hidden checks of descend's max_loss, from closed forms.

    Bowl ½(w1² + 10 w2²) from (2, 1) with lr 0.25: each step multiplies w1 by 0.75 and w2 by −1.5, so the loss
    after k steps is 2·0.5625^k + 5·2.25^k. On w·w from w = 1 with lr 1.05 each step is w ← −1.1 w, the loss
    1.21^k. A path keeps the points up to the last one whose loss is at most max_loss.
    """
    cells = {c["id"]: "".join(c["source"]) for c in source_notebook(ASSIGNMENT)["cells"]}
    test = cells["test_descend_diverge"]

    def rows(loss, max_loss):
        return next(k for k in itertools.count() if loss(k) > max_loss)

    def bowl_loss(k):
        return 2 * 0.5625**k + 5 * 2.25**k

    assert rows(bowl_loss, 1e6) == 16 and "(16, 2)" in test and "(16,)" in test
    assert bowl_loss(15) == pytest.approx(958755.2965215846, rel=1e-12) and "958755.2965215846" in test
    assert rows(bowl_loss, 1e3) == 7 and "max_loss=1e3)" in test and "(7, 2)" in test
    assert [rows(lambda k: 1.21**k, m) for m in (50.0, 1e4)] == [21, 49]
    assert "[(50.0, 21), (1e4, 49)]" in test


def test_the_namespace_holds_no_library_piece_a_student_does_not_need():
    """No function the student writes needs the library's Network or its data module: the imports cell binds
    them under ref_ names only, and no cell of the notebook uses the bare names."""
    cells = [c for c in source_notebook(ASSIGNMENT)["cells"] if c["cell_type"] == "code"]
    imports = next(c for c in cells if c["id"] == "imports")
    bound = {
        a.asname or a.name
        for node in ast.walk(ast.parse("".join(imports["source"])))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for a in node.names
    }
    assert {"ref_data", "ref_network"} <= bound and not bound & {"Network", "data"}, bound
    used = {
        (c["id"], node.id)
        for c in cells
        for node in ast.walk(ast.parse("".join(c["source"])))
        if isinstance(node, ast.Name) and node.id in {"Network", "data"}
    }
    assert not used, f"cells use names the imports cell no longer binds: {sorted(used)}"
