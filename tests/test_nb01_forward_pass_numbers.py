"""Every number the prose of 01_forward_pass states, recomputed independently (plain Python, closed forms).

The assignment has two notebooks: part1_neurons (one neuron, activations, layers, XOR) and part2_networks
(ReLU curves, softmax, the forward pass, the perceptron). Each test asserts that the stated string really
appears in the markdown of the part that states it, so the prose and this check cannot drift apart.
"""

import math
import re

import pytest

from conftest import source_notebooks, stated

ASSIGNMENT = "01_forward_pass"


def _prose(nb):
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


@pytest.fixture(scope="module")
def parts():
    nbs = source_notebooks(ASSIGNMENT)
    assert len(nbs) == 2, f"01_forward_pass should have two notebooks (part 1, part 2), has {len(nbs)}"
    return nbs


@pytest.fixture(scope="module")
def part1(parts):
    """The prose of part1_neurons."""
    prose = _prose(parts[0])
    assert prose.startswith("# 01 · The forward pass, part 1 of 2:")
    return prose


@pytest.fixture(scope="module")
def part2(parts):
    """The prose of part2_networks."""
    prose = _prose(parts[1])
    assert prose.startswith("# 01 · The forward pass, part 2 of 2:")
    return prose


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_and_neuron_sums(part1):
    sums = [1 * a + 1 * b - 1.2 for a, b in [(0, 0), (0, 1), (1, 0), (1, 1)]]
    text = ", ".join(f"${s:.1f}$" for s in sums[:3]) + f" and ${sums[3]:.1f}$"
    assert text == "$-1.2$, $-0.2$, $-0.2$ and $0.8$"
    stated(part1, "are $-1.2$, $-0.2$, $-0.2$ and $0.8$")
    assert [s >= 0 for s in sums] == [False, False, False, True]


def test_activation_values(part1):
    assert f"{_sigmoid(1.0):.10f}" == "0.7310585786"
    stated(part1, r"$\sigma(1) = 0.7310585786$")
    e = math.e
    assert f"{(e - 1 / e) / (e + 1 / e):.9f}" == "0.761594156"
    stated(part1, r"$\tanh(1) = 0.761594156$")
    assert f"{math.log(1 + math.exp(0.0)):.10f}" == "0.6931471806"
    stated(part1, r"softplus$(0) = \log 2 = 0.6931471806$")
    stated(part1, r"$\sigma(0) = 0.5$")
    slopes = [_sigmoid(k / 100) * (1 - _sigmoid(k / 100)) for k in range(-500, 501)]
    assert max(slopes) == 0.25 and slopes.index(max(slopes)) == 500  # at z = 0
    stated(part1, "largest at $z = 0$, where it is $0.25$")


def test_linear_layers_collapse(part1):
    def net(x1, x2):  # the lecture's three linear layers, written out
        h11, h21 = 1 * x1, 2 * x2
        h12, h22 = 2 * h11 + 3 * h21, 2 * h11 + 1 * h21
        return 3 * h12 + 1 * h22

    assert (net(1, 0), net(0, 1)) == (8, 20)
    assert net(0.3, -1.7) == pytest.approx(8 * 0.3 + 20 * -1.7)
    stated(part1, r"$\hat y = 8 x_1 + 20 x_2$")


def test_lecture_xor_network(part1):
    rows = []
    for x1, x2 in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        h = 1 if x1 + x2 >= 1.2 else 0
        rows.append(round(x1 + x2 - 2 * h - 0.6, 10))
    assert rows == [-0.6, 0.4, 0.4, -0.6]
    stated(part1, "For 01 and 10 the output's weighted sum is $0.4$ (fires); for 00 it is $-0.6$")
    stated(part1, "pulls the sum down to $-0.6$ again")


def test_xor_band_of_the_model_answer(part1):
    """Part 1's model answer: the hint's network (OR line 0.5, AND line 1.2) fires on a band that is exactly XOR."""
    for x1, x2 in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        h_or, h_and = int(x1 + x2 - 0.5 >= 0), int(x1 + x2 - 1.2 >= 0)
        out = int(h_or - 2 * h_and - 0.5 >= 0)  # the solution's W2 = (1, -2), b2 = -0.5
        assert out == (0.5 <= x1 + x2 < 1.2) == (x1 != x2)
    stated(part1, "the OR line $x_1 + x_2 = 0.5$ and the AND line\n$x_1 + x_2 = 1.2$")
    stated(part1, "on the band $0.5 \\le x_1 + x_2 < 1.2$ between the two lines")


def test_softmax_of_1_2_3(part2):
    exps = [math.exp(v) for v in (1, 2, 3)]
    probs = [v / sum(exps) for v in exps]
    text = "(" + ", ".join(f"{p:.8f}" for p in probs) + ")"
    assert text == "(0.09003057, 0.24472847, 0.66524096)"
    stated(part2, "the softmax is $" + text + "$")


def test_three_relu_units_sine_error(part2):
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
    stated(part2, "its mean\nsquared error against $\\sin x$ is 0.02265")


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


def test_perceptron_and_and_xor(part2):
    bits = [(0, 0), (0, 1), (1, 0), (1, 1)]
    converged, epochs, ends = _perceptron(bits, [0, 0, 0, 1])
    assert (converged, epochs, ends[-1]) == (True, 6, (2, 1, -3))
    stated(part2, "it learns AND in 6 epochs")
    stated(part2, r"$\mathbf{w} = (2, 1)$, $b = -3$")
    stated(part2, "AND in 6 epochs")
    converged, epochs, ends = _perceptron(bits, [0, 1, 1, 0])
    assert not converged and epochs == 100
    assert ends[0] != (-1, 0, 0) and set(ends[1:]) == {(-1, 0, 0)}  # epoch 2 ends there, and every later epoch
    stated(part2, "epoch 2 ends at\n$\\mathbf{w} = (-1, 0)$, $b = 0$, and from then on every epoch ends there again")


def test_three_relu_units_sine_error_in_the_summary(part2):
    stated(part2, "three units follow $\\sin x$ on $[0, 2\\pi]$ to a mean squared\n  error of 0.02265")


# the exercises of each part, in order: the grade-id prefix of its test cells
EXERCISES = {
    0: ["test_activations_", "test_activation_grads_", "test_dense_", "test_xor_network"],
    1: ["test_softmax_", "test_forward_", "test_perceptron_"],
}


@pytest.mark.parametrize("k", [0, 1], ids=["part1", "part2"])
def test_exercise_points_match_grading(parts, k):
    nb = parts[k]
    prose = _prose(nb)
    points = {}
    for c in nb["cells"]:
        meta = c["metadata"].get("nbgrader", {})
        if meta.get("grade") and c["cell_type"] == "code":
            points[meta["grade_id"]] = meta["points"]
    headers = re.findall(r"### Exercise (\d) · .*?\((\d) points\)", prose)
    groups = EXERCISES[k]
    assert [int(n) for n, _ in headers] == list(range(1, len(groups) + 1)), "exercises numbered 1, 2, ... in each part"
    stated(prose, f"the {['four', 'three'][k]} exercises")
    for (number, stated_points), prefix in zip(headers, groups, strict=True):
        total = sum(p for gid, p in points.items() if gid.startswith(prefix))
        assert total == int(stated_points), f"exercise {number} states {stated_points} points, its tests give {total}"
    assert sum(points.values()) == sum(points[g] for g in points if any(g.startswith(p) for p in groups))
    grade_id = ["reflection", "reflection_2"][k]
    reflection = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)
    stated(prose, f"## Reflection ({reflection['metadata']['nbgrader']['points']} points, graded by hand)")


def test_grade_ids_unique_across_the_assignment(parts):
    ids = [c["metadata"]["nbgrader"]["grade_id"] for nb in parts for c in nb["cells"] if "nbgrader" in c["metadata"]]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize("k", [0, 1], ids=["part1", "part2"])
def test_estimated_time_adds_up(parts, k):
    """The stated total is the sum of the sections' minutes, at most 2.5 hours; one entry per section + reflection."""
    prose = _prose(parts[k])
    paragraph = next(p for p in prose.split("\n\n") if p.startswith("**Estimated time:**"))
    total = re.match(r"\*\*Estimated time:\*\* about (\d+) minutes, in one or two sittings: (.*)\.$", paragraph, re.S)
    assert total, paragraph
    entries = total.group(2).split("; ")
    minutes = [int(re.fullmatch(r".* (\d+) min", e, re.S).group(1)) for e in entries]
    assert sum(minutes) == int(total.group(1)) <= 150
    sections = re.findall(r"^## (\d+) · ", prose, re.M)
    assert [e.split(" (")[0] for e in entries] == [f"section {n}" for n in sections] + ["reflection 10 min"]
