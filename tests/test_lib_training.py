"""Optimisers, mini-batches, the fit loop and the data sets; and training actually learns.

Update rules are checked against the formulas applied by hand to scalars.
"""

import math

import numpy as np
import pytest

from shallownet import GradientDescent, Network, accuracy, data, fit, minibatches, train_val_split
from shallownet.losses import mse
from shallownet.optim import decayed_lr

# ------------------------------------------------------------------ optimiser


def one_param(value=1.0):
    return {"W1": np.array([[value]]), "b1": np.array([value])}


def grads_of(value):
    return {"W1": np.array([[value]]), "b1": np.array([value])}


def test_plain_gradient_descent_is_w_minus_lr_g():
    p = one_param(1.0)
    GradientDescent(0.1).step(p, grads_of(2.0))
    assert p["W1"][0, 0] == pytest.approx(1.0 - 0.1 * 2.0, abs=1e-15)
    assert p["b1"][0] == pytest.approx(0.8, abs=1e-15)


def test_momentum_accumulates_velocity():
    """m ← μm − lr·g, W ← W + m: three steps with constant g, written out."""
    p = one_param(0.0)
    opt = GradientDescent(0.1, momentum=0.9)
    w, m = 0.0, 0.0
    for _ in range(3):
        opt.step(p, grads_of(1.0))
        m = 0.9 * m - 0.1 * 1.0
        w = w + m
        assert p["W1"][0, 0] == pytest.approx(w, abs=1e-15)
    assert w == pytest.approx(-0.1 - 0.19 - 0.271)


def test_learning_rate_decay_lr0_over_one_plus_decay_step():
    opt = GradientDescent(1.0, decay=0.5)
    p = one_param(0.0)
    w = 0.0
    for t in range(4):
        assert opt.lr == pytest.approx(1.0 / (1.0 + 0.5 * t))
        opt.step(p, grads_of(1.0))
        w -= 1.0 / (1.0 + 0.5 * t)
        assert p["W1"][0, 0] == pytest.approx(w, abs=1e-15)
    assert decayed_lr(0.2, 0.1, 10) == pytest.approx(0.1)


def test_weight_decay_skips_biases_unless_asked():
    p = one_param(2.0)
    GradientDescent(0.1, weight_decay=0.5).step(p, grads_of(0.0))
    assert p["W1"][0, 0] == pytest.approx(2.0 - 0.1 * 0.5 * 2.0)
    assert p["b1"][0] == 2.0
    p = one_param(2.0)
    GradientDescent(0.1, weight_decay=0.5, decay_biases=True).step(p, grads_of(0.0))
    assert p["b1"][0] == pytest.approx(1.9)


@pytest.mark.parametrize("frozen", [("b1",), ["b1"], {"b1"}, "b1"])
def test_frozen_parameters_never_move(frozen):
    """A single name as a string freezes that name (not its letters)."""
    p = one_param(1.0)
    opt = GradientDescent(0.1, momentum=0.5, frozen=frozen)
    for _ in range(3):
        opt.step(p, {"W1": np.array([[1.0]])})  # no gradient needed for a frozen name
    assert p["b1"][0] == 1.0
    assert p["W1"][0, 0] < 1.0
    assert opt.t == 3


def test_step_updates_in_place():
    p = one_param(1.0)
    W = p["W1"]
    GradientDescent(0.5).step(p, grads_of(1.0))
    assert p["W1"] is W and W[0, 0] == 0.5


# ------------------------------------------------------------------ batches and splits


def test_minibatches_cover_every_sample_once_and_are_seeded():
    X = np.arange(20.0).reshape(10, 2)
    Y = np.arange(10.0).reshape(10, 1)
    batches = list(minibatches(X, Y, 3, rng=0))
    assert [len(b[0]) for b in batches] == [3, 3, 3, 1]
    seen = np.concatenate([b[1][:, 0] for b in batches])
    assert sorted(seen) == list(range(10)) and list(seen) != list(range(10))  # shuffled
    for Xb, Yb in batches:  # rows stay paired
        np.testing.assert_array_equal(Xb[:, 0], 2 * Yb[:, 0])
    again = np.concatenate([b[1][:, 0] for b in minibatches(X, Y, 3, rng=0)])
    np.testing.assert_array_equal(seen, again)
    ordered = np.concatenate([b[1][:, 0] for b in minibatches(X, Y, 4, shuffle=False)])
    np.testing.assert_array_equal(ordered, np.arange(10.0))
    gen = np.random.default_rng(5)
    assert len(list(minibatches(X, Y, 10, rng=gen))) == 1


def test_train_val_split_sizes_pairs_and_seed():
    X = np.arange(40.0).reshape(20, 2)
    Y = np.arange(20.0).reshape(20, 1)
    Xtr, Ytr, Xv, Yv = train_val_split(X, Y, 0.25, seed=1)
    assert Xtr.shape == (15, 2) and Xv.shape == (5, 2) and Ytr.shape == (15, 1) and Yv.shape == (5, 1)
    assert sorted(np.concatenate([Ytr[:, 0], Yv[:, 0]])) == list(range(20))
    np.testing.assert_array_equal(Xtr[:, 0], 2 * Ytr[:, 0])
    np.testing.assert_array_equal(train_val_split(X, Y, 0.25, seed=1)[3], Yv)


def test_accuracy_threshold_and_argmax():
    assert accuracy(np.array([[0.2], [0.7], [0.5]]), np.array([[0.0], [1.0], [0.0]])) == pytest.approx(2 / 3)
    assert accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), np.array([[0.0, 1.0], [0.0, 1.0]])) == 0.5


# ------------------------------------------------------------------ fit


def test_fit_history_and_full_batch_equals_manual_steps():
    """Full-batch fit for 3 epochs = 3 manual loss/step calls; history holds the mean loss per epoch."""
    X, y = data.truth_table("xor")
    Y = y.reshape(-1, 1).astype(float)
    a = Network([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    b = a.copy()
    hist = fit(a, X, Y, "mse", GradientDescent(0.5), epochs=3, shuffle=False)
    opt = GradientDescent(0.5)
    losses_by_hand = []
    for _ in range(3):
        value, grads = b.loss(X, Y, "mse")
        losses_by_hand.append(value)
        opt.step(b.params, grads)
    for k in a.params:
        np.testing.assert_allclose(a.params[k], b.params[k], rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(hist["loss"], losses_by_hand, rtol=1e-14)
    assert hist["epochs_run"] == 3 and hist["val_loss"] == [] and hist["stopped_early"] is False


def test_fit_is_reproducible_with_a_seed():
    X, y = data.two_moons(60, seed=0)
    Y = y.reshape(-1, 1).astype(float)
    runs = []
    for _ in range(2):
        net = Network([2, 5, 1], ["tanh", "sigmoid"], seed=1)
        runs.append(fit(net, X, Y, "binary_cross_entropy", GradientDescent(0.1), epochs=3, batch_size=8, seed=7))
    assert runs[0]["loss"] == runs[1]["loss"]


def test_early_stopping_restores_the_best_parameters():
    """With a learning rate that makes validation loss rise, training stops and the best epoch is restored."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 1))
    Y = 2 * X
    Xv = rng.normal(size=(10, 1))
    Yv = -2 * Xv  # the opposite relation: validation loss only grows
    net = Network([1, 1], ["identity"], seed=0, init="zeros")
    hist = fit(net, X, Y, "mse", GradientDescent(0.05), epochs=50, validation=(Xv, Yv), patience=3)
    assert hist["stopped_early"] is True
    assert hist["best_epoch"] == 0 and hist["epochs_run"] == 4
    assert len(hist["val_loss"]) == 4 and hist["val_loss"][0] == min(hist["val_loss"])
    value, _ = net.loss(Xv, Yv, "mse")
    assert value == pytest.approx(hist["val_loss"][0], rel=1e-14)


def test_fit_accepts_any_object_with_step():
    class Halve:
        def step(self, params, grads):
            for k in params:
                params[k] -= 0.5 * grads[k]

    X, y = data.truth_table("and")
    Y = y.reshape(-1, 1).astype(float)
    net = Network([2, 1], ["sigmoid"], seed=0)
    hist = fit(net, X, Y, "binary_cross_entropy", Halve(), epochs=200)
    assert hist["loss"][-1] < hist["loss"][0]
    assert accuracy(net.predict(X), Y) == 1.0


# ------------------------------------------------------------------ it learns


def test_xor_reaches_100_percent():
    X, y = data.truth_table("xor")
    Y = y.reshape(-1, 1).astype(float)
    net = Network([2, 4, 1], ["tanh", "sigmoid"], seed=0)
    hist = fit(net, X, Y, "binary_cross_entropy", GradientDescent(0.5), epochs=1000, seed=0)
    assert accuracy(net.predict(X), Y) == 1.0
    assert hist["loss"][-1] < 0.05


def test_two_moons_above_95_percent_on_held_out_data():
    X, y = data.two_moons(600, noise=0.15, seed=0)
    Y = y.reshape(-1, 1).astype(float)
    Xtr, Ytr, Xv, Yv = train_val_split(X, Y, 0.25, seed=0)
    net = Network([2, 16, 1], ["tanh", "sigmoid"], seed=0)
    fit(net, Xtr, Ytr, "binary_cross_entropy", GradientDescent(0.3, momentum=0.9), epochs=60, batch_size=32, seed=0)
    assert accuracy(net.predict(Xv), Yv) > 0.95


def test_two_moons_with_softmax_output():
    X, y = data.two_moons(400, noise=0.1, seed=3)
    Y = data.one_hot(y)
    Xtr, Ytr, Xv, Yv = train_val_split(X, Y, 0.25, seed=3)
    net = Network([2, 16, 2], ["relu", "softmax"], seed=3)
    fit(net, Xtr, Ytr, "softmax_cross_entropy", GradientDescent(0.1, momentum=0.9), epochs=60, batch_size=32, seed=3)
    assert accuracy(net.predict(Xv), Yv) > 0.95


def test_sine_fit_mse_below_0_01():
    x, y = data.sine(200)
    xs = x / np.pi - 1.0  # [0, 2π] -> [-1, 1]
    net = Network([1, 16, 1], ["tanh", "identity"], seed=0)
    fit(net, xs, y, "mse", GradientDescent(0.1, momentum=0.9), epochs=200, batch_size=20, seed=0)
    assert mse(net.predict(xs), y)[0] < 0.01


def test_a_linear_network_cannot_fit_the_sine():
    """Without a non-linearity the best is a straight line: MSE stays far above 0.01."""
    x, y = data.sine(200)
    xs = x / np.pi - 1.0
    net = Network([1, 16, 1], ["identity", "identity"], seed=0)
    fit(net, xs, y, "mse", GradientDescent(0.05, momentum=0.9), epochs=100, batch_size=20, seed=0)
    # least-squares line through sin on [0, 2π] has MSE ≈ 0.196
    assert mse(net.predict(xs), y)[0] > 0.15


# ------------------------------------------------------------------ data sets


def test_truth_tables():
    X, y = data.truth_table("XOR")
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert list(y) == [0, 1, 1, 0]
    assert list(data.truth_table("and")[1]) == [0, 0, 0, 1]
    assert list(data.truth_table("or")[1]) == [0, 1, 1, 1]
    assert list(data.truth_table("nand")[1]) == [1, 1, 1, 0]


def test_sine_on_zero_to_two_pi():
    x, y = data.sine(5)
    np.testing.assert_allclose(x[:, 0], [0, math.pi / 2, math.pi, 3 * math.pi / 2, 2 * math.pi])
    np.testing.assert_allclose(y[:, 0], [0, 1, 0, -1, 0], atol=1e-15)
    xn, yn = data.sine(50, noise=0.1, seed=0)
    assert 0.05 < np.std(yn - np.sin(xn)) < 0.15
    np.testing.assert_array_equal(data.sine(50, noise=0.1, seed=0)[1], yn)


@pytest.mark.parametrize("make", [data.two_moons, data.two_spirals])
def test_two_class_sets_are_seeded_and_balanced(make):
    X, y = make(101, seed=4)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert set(y) == {0, 1} and abs(int(y.sum()) - 50) <= 1
    X2, y2 = make(101, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(make(101, seed=5)[0], X)


def test_two_moons_without_noise_lie_on_the_half_circles():
    X, y = data.two_moons(50, noise=0.0, seed=0)
    upper = X[y == 0]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-12)
    lower = X[y == 1]
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0, atol=1e-12)


def test_parabola_vs_random():
    X, y = data.parabola_vs_random(1000, seed=0)
    assert X.shape == (1000, 2)
    assert list(y[:500]) == [0] * 500 and list(y[500:]) == [1] * 500
    np.testing.assert_allclose(X[:500, 1], X[:500, 0] ** 2)
    assert X[:, 0].min() >= 0 and X[:, 0].max() <= 100 and X[500:, 1].max() <= 10_000
    _, yr = data.parabola_vs_random(1000, seed=0, order="random_first")
    assert list(yr[:500]) == [1] * 500
    _, ys = data.parabola_vs_random(1000, seed=0, order="shuffled")
    assert 0 < ys[:500].sum() < 500 and ys.sum() == 500


def test_one_hot_and_standardize():
    np.testing.assert_array_equal(data.one_hot(np.array([2, 0, 1])), [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert data.one_hot(np.array([0, 1]), num_classes=4).shape == (2, 4)
    X = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 10.0]])
    Z, mean, std = data.standardize(X)
    np.testing.assert_allclose(mean, [3.0, 10.0])
    np.testing.assert_allclose(Z[:, 0], [-math.sqrt(1.5), 0, math.sqrt(1.5)])
    np.testing.assert_array_equal(Z[:, 1], 0.0)  # a constant column is left at 0
    np.testing.assert_allclose(Z * std + mean, X)  # undo
    Z2, _, _ = data.standardize(np.array([[7.0, 10.0]]), mean, std)
    np.testing.assert_allclose(Z2, [[(7.0 - 3.0) / math.sqrt(8 / 3), 0.0]])
