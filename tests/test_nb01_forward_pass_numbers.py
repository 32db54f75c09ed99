"""Every number the prose of 01_forward_pass states, recomputed independently (plain Python, closed forms).

Each test also asserts that the stated string really appears in the source notebook's markdown,
so the prose and this check cannot drift apart.
"""

import math
import re

import pytest

from conftest import markdown, source_notebook, stated

ASSIGNMENT = "01_forward_pass"


@pytest.fixture(scope="module")
def nb():
    return source_notebook(ASSIGNMENT)


@pytest.fixture(scope="module")
def prose():
    return markdown(ASSIGNMENT)


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_and_neuron_sums(prose):
    sums = [1 * a + 1 * b - 1.2 for a, b in [(0, 0), (0, 1), (1, 0), (1, 1)]]
    text = ", ".join(f"${s:.1f}$" for s in sums[:3]) + f" and ${sums[3]:.1f}$"
    assert text == "$-1.2$, $-0.2$, $-0.2$ and $0.8$"
    stated(prose, "are $-1.2$, $-0.2$, $-0.2$ and $0.8$")
    assert [s >= 0 for s in sums] == [False, False, False, True]


def test_activation_values(prose):
    assert f"{_sigmoid(1.0):.10f}" == "0.7310585786"
    stated(prose, r"$\sigma(1) = 0.7310585786$")
    e = math.e
    assert f"{(e - 1 / e) / (e + 1 / e):.9f}" == "0.761594156"
    stated(prose, r"$\tanh(1) = 0.761594156$")
    assert f"{math.log(1 + math.exp(0.0)):.10f}" == "0.6931471806"
    stated(prose, r"softplus$(0) = \log 2 = 0.6931471806$")
    stated(prose, r"$\sigma(0) = 0.5$")
    slopes = [_sigmoid(k / 100) * (1 - _sigmoid(k / 100)) for k in range(-500, 501)]
    assert max(slopes) == 0.25 and slopes.index(max(slopes)) == 500  # at z = 0
    stated(prose, "largest at $z = 0$, where it is $0.25$")


def test_linear_layers_collapse(prose):
    def net(x1, x2):  # the lecture's three linear layers, written out
        h11, h21 = 1 * x1, 2 * x2
        h12, h22 = 2 * h11 + 3 * h21, 2 * h11 + 1 * h21
        return 3 * h12 + 1 * h22

    assert (net(1, 0), net(0, 1)) == (8, 20)
    assert net(0.3, -1.7) == pytest.approx(8 * 0.3 + 20 * -1.7)
    stated(prose, r"$\hat y = 8 x_1 + 20 x_2$")


def test_lecture_xor_network(prose):
    rows = []
    for x1, x2 in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        h = 1 if x1 + x2 >= 1.2 else 0
        rows.append(round(x1 + x2 - 2 * h - 0.6, 10))
    assert rows == [-0.6, 0.4, 0.4, -0.6]
    stated(prose, "For 01 and 10 the output's weighted sum is $0.4$ (fires); for 00 it is $-0.6$")
    stated(prose, "pulls the sum down to $-0.6$ again")


def test_softmax_of_1_2_3(prose):
    exps = [math.exp(v) for v in (1, 2, 3)]
    probs = [v / sum(exps) for v in exps]
    text = "(" + ", ".join(f"{p:.8f}" for p in probs) + ")"
    assert text == "(0.09003057, 0.24472847, 0.66524096)"
    stated(prose, "the softmax is $" + text + "$")


def test_three_relu_units_sine_error(prose):
    n = 200
    total = 0.0
    for i in range(n):
        x = 2 * math.pi * i / (n - 1)
        if x <= math.pi / 2:  # the broken line through (0, 0), (π/2, 1), (3π/2, -1), (2π, 0)
            y = 2 * x / math.pi
        elif x <= 3 * math.pi / 2:
            y = 2 - 2 * x / math.pi
        else:
            y = 2 * x / math.pi - 4
        total += (y - math.sin(x)) ** 2
    assert f"{total / n:.5f}" == "0.02265"
    stated(prose, "its mean\nsquared error against $\\sin x$ is 0.02265")


def _perceptron(samples, labels, epochs_max=100):
    w1 = w2 = b = 0
    ends = []
    for epoch in range(1, epochs_max + 1):
        wrong = 0
        for (x1, x2), t in zip(samples, labels, strict=True):
            out = 1 if w1 * x1 + w2 * x2 + b >= 0 else 0
            if out != t:
                w1, w2, b = w1 + (t - out) * x1, w2 + (t - out) * x2, b + (t - out)
                wrong += 1
        ends.append((w1, w2, b))
        if wrong == 0:
            return True, epoch, ends
    return False, epochs_max, ends


def test_perceptron_and_and_xor(prose):
    bits = [(0, 0), (0, 1), (1, 0), (1, 1)]
    converged, epochs, ends = _perceptron(bits, [0, 0, 0, 1])
    assert (converged, epochs, ends[-1]) == (True, 6, (2, 1, -3))
    stated(prose, "it learns AND in 6 epochs")
    stated(prose, r"$\mathbf{w} = (2, 1)$, $b = -3$")
    stated(prose, "AND in 6 epochs")
    converged, epochs, ends = _perceptron(bits, [0, 1, 1, 0])
    assert not converged and epochs == 100
    assert ends[0] != (-1, 0, 0) and set(ends[1:]) == {(-1, 0, 0)}  # epoch 2 ends there, and every later epoch
    stated(prose, "epoch 2 ends at\n$\\mathbf{w} = (-1, 0)$, $b = 0$, and from then on every epoch ends there again")


def test_exercise_points_match_grading(nb, prose):
    points = {}
    for c in nb["cells"]:
        meta = c["metadata"].get("nbgrader", {})
        if meta.get("grade") and c["cell_type"] == "code":
            gid = meta["grade_id"]
            points[gid] = meta["points"]
    headers = re.findall(r"### Exercise (\d) · .*?\((\d) points\)", prose)
    assert len(headers) == 7
    stated(prose, "the seven exercises")
    groups = [
        "test_activations_",
        "test_activation_grads_",
        "test_dense_",
        "test_xor_network",
        "test_softmax_",
        "test_forward_",
        "test_perceptron_",
    ]
    for (number, stated_points), prefix in zip(headers, groups, strict=True):
        total = sum(p for gid, p in points.items() if gid.startswith(prefix))
        assert total == int(stated_points), f"exercise {number} states {stated_points} points, its tests give {total}"
    reflection = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "reflection")
    stated(prose, f"## Reflection ({reflection['metadata']['nbgrader']['points']} points, graded by hand)")
