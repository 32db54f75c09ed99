"""The worked example (COURSE.md item 2) reproduced by the library.

The expected numbers are computed here, independently of shallownet, with
plain Python floats and the network written out neuron by neuron, exactly as
the lecture does it. They are then compared with (a) the figures the lecture
prints and (b) what shallownet computes, to 1e-9 or better.
"""

import math

import numpy as np
import pytest

from shallownet import worked_example as we
from shallownet.losses import half_sse
from shallownet.optim import GradientDescent

I1, I2 = 0.05, 0.10
T1, T2 = 0.01, 0.99
W0 = {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55}
B1, B2 = 0.35, 0.60
LR = 0.5


def logistic(x):
    return 1.0 / (1.0 + math.exp(-x))


def forward_by_hand(w):
    """Node by node: net and out of h1, h2, o1, o2 and the total error E."""
    net_h1 = w["w1"] * I1 + w["w2"] * I2 + B1
    net_h2 = w["w3"] * I1 + w["w4"] * I2 + B1
    out_h1, out_h2 = logistic(net_h1), logistic(net_h2)
    net_o1 = w["w5"] * out_h1 + w["w6"] * out_h2 + B2
    net_o2 = w["w7"] * out_h1 + w["w8"] * out_h2 + B2
    out_o1, out_o2 = logistic(net_o1), logistic(net_o2)
    E = 0.5 * (T1 - out_o1) ** 2 + 0.5 * (T2 - out_o2) ** 2
    return {"out_h1": out_h1, "out_h2": out_h2, "out_o1": out_o1, "out_o2": out_o2, "E": E}


def gradients_by_hand(w):
    """The chain rule written out for each of the eight weights (biases fixed)."""
    f = forward_by_hand(w)
    h1, h2, o1, o2 = f["out_h1"], f["out_h2"], f["out_o1"], f["out_o2"]
    # dE/dout_o * dout_o/dnet_o for each output neuron
    delta_o1 = (o1 - T1) * o1 * (1.0 - o1)
    delta_o2 = (o2 - T2) * o2 * (1.0 - o2)
    # a hidden neuron feeds both outputs: the two paths add up
    delta_h1 = (delta_o1 * w["w5"] + delta_o2 * w["w7"]) * h1 * (1.0 - h1)
    delta_h2 = (delta_o1 * w["w6"] + delta_o2 * w["w8"]) * h2 * (1.0 - h2)
    return {
        "w1": delta_h1 * I1,
        "w2": delta_h1 * I2,
        "w3": delta_h2 * I1,
        "w4": delta_h2 * I2,
        "w5": delta_o1 * h1,
        "w6": delta_o1 * h2,
        "w7": delta_o2 * h1,
        "w8": delta_o2 * h2,
    }


def step_by_hand(w):
    g = gradients_by_hand(w)
    return {k: w[k] - LR * g[k] for k in w}


def decimals(figure: str) -> int:
    mantissa = figure.lower().split("e")[0]
    exp = int(figure.lower().split("e")[1]) if "e" in figure.lower() else 0
    return len(mantissa.split(".")[1]) - exp


def close_to_printed(value: float, figure: str) -> bool:
    """True if value rounds to the printed figure (half a unit in its last printed digit)."""
    return abs(value - float(figure)) <= 0.5 * 10.0 ** -decimals(figure) + 1e-15


# ---------------------------------------------------------------- the hand computation vs the lecture


def test_hand_computation_matches_the_lecture():
    """The independent computation reproduces every figure printed in the lecture."""
    f = forward_by_hand(W0)
    assert close_to_printed(f["out_h1"], "0.593269992")
    assert close_to_printed(f["out_o1"], "0.75136507")
    assert close_to_printed(f["E"], "0.298371109")
    g = gradients_by_hand(W0)
    # the chain for w5: dE/dout_o1 x dout_o1/dnet_o1 x dnet_o1/dw5
    o1 = f["out_o1"]
    assert close_to_printed(o1 - T1, "0.74136507")
    assert close_to_printed(o1 * (1 - o1), "0.186815602")
    assert close_to_printed(g["w5"], "0.082167041")
    assert close_to_printed(g["w1"], "0.000438568")
    new = step_by_hand(W0)
    printed = {
        "w5": "0.35891648",
        "w6": "0.408666186",
        "w7": "0.511301270",
        "w8": "0.561370121",
        "w1": "0.149780716",
        "w2": "0.19956143",
        "w3": "0.24975114",
        "w4": "0.29950229",
    }
    for name, figure in printed.items():
        assert close_to_printed(new[name], figure), (name, new[name], figure)


# ---------------------------------------------------------------- the library vs the hand computation


def test_mapping_of_w1_to_w8_onto_params():
    """w1..w8, b1, b2 land where worked_example's docstring says (Z = XW + b, W[i, j]: unit i -> unit j)."""
    net = we.network()
    W1, W2 = net.params["W1"], net.params["W2"]
    np.testing.assert_array_equal(W1, [[W0["w1"], W0["w3"]], [W0["w2"], W0["w4"]]])
    np.testing.assert_array_equal(W2, [[W0["w5"], W0["w7"]], [W0["w6"], W0["w8"]]])
    np.testing.assert_array_equal(net.params["b1"], [B1, B1])
    np.testing.assert_array_equal(net.params["b2"], [B2, B2])
    assert we.named_weights(net.params) == W0
    assert net.sizes == [2, 2, 2] and net.activations == ["sigmoid", "sigmoid"]


def test_forward_values_and_error():
    """Forward pass: hidden and output values and E equal the hand computation to 1e-12."""
    f = forward_by_hand(W0)
    net = we.network()
    out, cache = net.forward(we.INPUTS)
    assert out.shape == (1, 2)
    assert out[0, 0] == pytest.approx(f["out_o1"], abs=1e-12)
    assert out[0, 1] == pytest.approx(f["out_o2"], abs=1e-12)
    # the hidden layer's output is the input of the second dense layer
    (X2, _W2), _ = cache[1]
    assert X2[0, 0] == pytest.approx(f["out_h1"], abs=1e-12)
    assert X2[0, 1] == pytest.approx(f["out_h2"], abs=1e-12)
    E, _ = half_sse(out, we.TARGETS)
    assert E == pytest.approx(f["E"], abs=1e-12)
    assert abs(E - 0.298371109) < 1e-9


def test_every_gradient():
    """All eight gradients equal the hand chain rule (dE/dw5 = 0.082167041, dE/dw1 = 0.000438568)."""
    expected = gradients_by_hand(W0)
    net = we.network()
    _, grads = net.loss(we.INPUTS, we.TARGETS, "half_sse")
    got = we.named_weights(grads)
    for name in W0:
        assert abs(got[name] - expected[name]) < 1e-12, name
    assert abs(got["w5"] - 0.082167041) < 1e-9
    assert abs(got["w1"] - 0.000438568) < 1e-9
    assert set(grads) == {"W1", "b1", "W2", "b2"}


def test_one_step_updates_all_eight_weights():
    """One step at learning rate 0.5: the eight updated weights to 1e-9 (biases fixed)."""
    expected = step_by_hand(W0)
    net = we.network()
    opt = GradientDescent(we.LEARNING_RATE, frozen=("b1", "b2"))
    _, grads = net.loss(we.INPUTS, we.TARGETS, "half_sse")
    opt.step(net.params, grads)
    got = we.named_weights(net.params)
    for name in W0:
        assert abs(got[name] - expected[name]) < 1e-12, name
    for name, figure in {
        "w5": 0.35891648,
        "w6": 0.408666186,
        "w7": 0.511301270,
        "w8": 0.561370121,
        "w1": 0.149780716,
        "w2": 0.19956143,
        "w3": 0.24975114,
        "w4": 0.29950229,
    }.items():
        assert abs(got[name] - figure) < 5e-9, name  # the lecture prints 8 or 9 decimals
    np.testing.assert_array_equal(net.params["b1"], [B1, B1])
    np.testing.assert_array_equal(net.params["b2"], [B2, B2])


def test_ten_thousand_steps_with_fixed_biases():
    """10,000 steps: E = 3.5101878e-05, outputs 0.015913620 / 0.984064274, to 1e-9."""
    w = dict(W0)
    for _ in range(10_000):
        w = step_by_hand(w)
    f = forward_by_hand(w)
    assert close_to_printed(f["E"], "3.5101878e-05")
    assert close_to_printed(f["out_o1"], "0.015913620")
    assert close_to_printed(f["out_o2"], "0.984064274")

    net = we.network()
    opt = GradientDescent(we.LEARNING_RATE, frozen=("b1", "b2"))
    for _ in range(10_000):
        _, grads = net.loss(we.INPUTS, we.TARGETS, "half_sse")
        opt.step(net.params, grads)
    E, _ = net.loss(we.INPUTS, we.TARGETS, "half_sse")
    out = net.predict(we.INPUTS)
    assert abs(E - f["E"]) < 1e-12
    assert abs(out[0, 0] - f["out_o1"]) < 1e-9
    assert abs(out[0, 1] - f["out_o2"]) < 1e-9
    assert abs(E - 3.5101878e-05) < 1e-9
    assert abs(out[0, 0] - 0.015913620) < 1e-9
    assert abs(out[0, 1] - 0.984064274) < 1e-9
    got = we.named_weights(net.params)
    for name in W0:
        assert abs(got[name] - w[name]) < 1e-9, name


def test_network_accepts_other_weights():
    """worked_example.network(weights=...) overrides single weights by lecture name."""
    net = we.network(weights={"w5": 1.25}, biases={"b2": 0.0})
    assert we.named_weights(net.params)["w5"] == 1.25
    assert net.params["W2"][0, 0] == 1.25
    np.testing.assert_array_equal(net.params["b2"], [0.0, 0.0])
