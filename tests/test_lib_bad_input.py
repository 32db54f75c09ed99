"""Bad input: every public function rejects wrong shapes, NaNs and wrong types with a
ValueError/TypeError whose message names the argument and the shapes. Never a bare
numpy broadcasting error, never a silent broadcast.
"""

import numpy as np
import pytest

from shallownet import (
    GradientDescent,
    Network,
    accuracy,
    activations,
    data,
    fit,
    losses,
    minibatches,
    train_val_split,
    worked_example,
)
from shallownet.gradcheck import numerical_gradient, numerical_gradient_array, rel_error
from shallownet.layers import activation_backward, activation_forward, dense_backward, dense_forward

NAN = np.array([[0.0, np.nan]])
ELEMENTWISE = ["identity", "heaviside", "sigmoid", "tanh", "relu", "leaky_relu", "softplus"]


# ------------------------------------------------------------------ activations


@pytest.mark.parametrize("fn", ELEMENTWISE + [n + "_grad" for n in ELEMENTWISE] + ["softmax", "log_softmax"])
def test_activations_reject_nan_and_non_numbers(fn):
    f = getattr(activations, fn)
    with pytest.raises(ValueError, match=r"z contains NaN .*index \(0, 1\).*shape \(1, 2\)"):
        f(NAN)
    with pytest.raises(ValueError, match=r"z contains NaN or infinite"):
        f(np.array([[np.inf, 1.0]]))
    with pytest.raises(TypeError, match=r"z must be a number or an array of numbers, got str"):
        f("1.0")
    with pytest.raises(TypeError, match=r"z must hold numbers, got an array of dtype object"):
        f(np.array([1.0, None]))
    with pytest.raises(TypeError, match=r"z must be a number or an array of numbers, got NoneType"):
        f(None)
    with pytest.raises(TypeError, match=r"z must hold real numbers"):
        f(np.array([1 + 2j]))
    with pytest.raises(TypeError, match=r"z must be .*ragged list"):
        f([[1.0, 2.0], [3.0]])


def test_softmax_rejects_three_dimensions():
    for f in (activations.softmax, activations.log_softmax):
        with pytest.raises(ValueError, match=r"z must be 1-D or 2-D, got shape \(2, 2, 2\)"):
            f(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"s must be 1-D, got shape \(1, 3\)"):
        activations.softmax_jacobian(np.ones((1, 3)) / 3)


def test_leaky_relu_alpha_is_checked():
    with pytest.raises(TypeError, match="alpha must be a real number, got str"):
        activations.leaky_relu(1.0, alpha="0.1")
    with pytest.raises(ValueError, match="alpha must be finite"):
        activations.leaky_relu_grad(1.0, alpha=float("nan"))


# ------------------------------------------------------------------ losses


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_losses_reject_mismatched_shapes_without_broadcasting(name):
    fn = losses.get(name)
    first = (
        "p" if name in ("binary_cross_entropy", "cross_entropy") else ("z" if name.startswith("softmax") else "y_hat")
    )
    with pytest.raises(
        ValueError,
        match=rf"{first} has shape \(4, 1\) but y has shape \(4,\)|"
        rf"y must be 2-D, got shape \(4,\)",
    ):
        fn(np.full((4, 1), 0.5), np.ones(4))  # (4, 1) against (4,) would broadcast to (4, 4)
    with pytest.raises(ValueError, match=rf"{first} has shape \(3, 2\) but y has shape \(2, 3\)"):
        fn(np.full((3, 2), 0.5), np.full((2, 3), 0.5))


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_losses_reject_nan_and_wrong_types(name):
    fn = losses.get(name)
    first = (
        "p" if name in ("binary_cross_entropy", "cross_entropy") else ("z" if name.startswith("softmax") else "y_hat")
    )
    with pytest.raises(ValueError, match=rf"{first} contains NaN .*shape \(1, 2\)"):
        fn(NAN, np.array([[0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"y contains NaN .*shape \(1, 2\)"):
        fn(np.array([[0.5, 0.5]]), NAN)
    with pytest.raises(TypeError, match=rf"{first} must be a number or an array of numbers, got str"):
        fn("a", np.array([[0.0, 1.0]]))
    with pytest.raises(TypeError, match=r"y must hold numbers"):
        fn(np.array([[0.5, 0.5]]), np.array([["a", "b"]]))


def test_clipping_eps_is_checked():
    with pytest.raises(ValueError, match=r"eps must be below 0\.5"):
        losses.binary_cross_entropy(np.full((1, 1), 0.5), np.ones((1, 1)), eps=0.7)
    with pytest.raises(TypeError, match="eps must be a real number"):
        losses.cross_entropy(np.full((1, 2), 0.5), np.ones((1, 2)), eps="small")


# ------------------------------------------------------------------ layers


def test_dense_forward_names_the_mismatch():
    with pytest.raises(
        ValueError,
        match=r"X has shape \(4, 3\) but W has shape \(2, 5\): "
        r"the layer expects 2 inputs per sample, got 3",
    ):
        dense_forward(np.zeros((4, 3)), np.zeros((2, 5)), np.zeros(5))
    with pytest.raises(ValueError, match=r"b has shape \(4,\) but W has shape \(2, 5\): expected b of shape \(5,\)"):
        dense_forward(np.zeros((4, 2)), np.zeros((2, 5)), np.zeros(4))
    with pytest.raises(ValueError, match=r"b must be 1-D, got shape \(1, 5\)"):
        dense_forward(np.zeros((4, 2)), np.zeros((2, 5)), np.zeros((1, 5)))
    with pytest.raises(ValueError, match=r"X must be 2-D, got shape \(2,\)"):
        dense_forward(np.zeros(2), np.zeros((2, 5)), np.zeros(5))  # a single sample is not silently reshaped
    with pytest.raises(ValueError, match=r"W must be 2-D, got shape \(2,\)"):
        dense_forward(np.zeros((1, 2)), np.zeros(2), np.zeros(5))
    with pytest.raises(ValueError, match=r"W contains NaN .*shape \(2, 2\)"):
        dense_forward(np.zeros((1, 2)), np.array([[1.0, np.nan], [0.0, 0.0]]), np.zeros(2))
    with pytest.raises(TypeError, match=r"X must hold numbers"):
        dense_forward(np.array([["a", "b"]]), np.zeros((2, 5)), np.zeros(5))


def test_dense_backward_names_the_mismatch():
    _, cache = dense_forward(np.zeros((4, 2)), np.zeros((2, 5)), np.zeros(5))
    with pytest.raises(ValueError, match=r"dZ has shape \(4, 4\) but the layer's output has shape \(4, 5\)"):
        dense_backward(np.zeros((4, 4)), cache)
    with pytest.raises(ValueError, match=r"dZ contains NaN"):
        dense_backward(np.full((4, 5), np.nan), cache)
    with pytest.raises(TypeError, match=r"cache must be the \(X, W\) pair"):
        dense_backward(np.zeros((4, 5)), None)


def test_activation_layer_names_the_mismatch():
    _, cache = activation_forward(np.zeros((3, 2)), "relu")
    with pytest.raises(ValueError, match=r"dA has shape \(2, 3\) but the activation's input has shape \(3, 2\)"):
        activation_backward(np.zeros((2, 3)), cache)
    _, cache = activation_forward(np.zeros((3, 2)), "softmax")
    with pytest.raises(ValueError, match=r"dA has shape \(3, 1\) but the softmax output has shape \(3, 2\)"):
        activation_backward(np.zeros((3, 1)), cache)
    with pytest.raises(ValueError, match=r"Z contains NaN .*shape \(1, 2\)"):
        activation_forward(NAN, "softmax")
    with pytest.raises(ValueError, match=r"Z contains NaN .*shape \(1, 2\)"):
        activation_forward(NAN, "tanh")
    with pytest.raises(ValueError, match=r"unknown activation 'tanhh'"):
        activation_forward(np.zeros((1, 2)), "tanhh")
    with pytest.raises(TypeError, match=r"cache must be the \(name, Z, A\) triple"):
        activation_backward(np.zeros((1, 2)), "tanh")


# ------------------------------------------------------------------ network


def test_network_constructor_checks_its_arguments():
    with pytest.raises(ValueError, match=r"sizes must be a list of at least two layer sizes, got \[3\]"):
        Network([3], [])
    with pytest.raises(TypeError, match=r"sizes\[1\] must be an integer, got float"):
        Network([2, 2.5, 1], "tanh")
    with pytest.raises(ValueError, match=r"sizes\[2\] must be at least 1, got 0"):
        Network([2, 3, 0], "tanh")
    with pytest.raises(ValueError, match=r"got 1 activations for 2 layers \(sizes \[2, 3, 1\]\)"):
        Network([2, 3, 1], ["tanh"])
    with pytest.raises(ValueError, match=r"unknown activation 'sigmod'"):
        Network([2, 3, 1], ["sigmod", "tanh"])
    with pytest.raises(ValueError, match=r"unknown init 'glorot'"):
        Network([2, 3, 1], "tanh", init="glorot")


def test_network_forward_names_the_shapes():
    net = Network([3, 4, 2], "tanh", seed=0)
    with pytest.raises(
        ValueError,
        match=r"X has shape \(5, 2\): this network expects 3 inputs per sample "
        r"\(sizes \[3, 4, 2\]\), got 2",
    ):
        net.forward(np.zeros((5, 2)))
    with pytest.raises(ValueError, match=r"X must be 2-D, got shape \(3,\)"):
        net.predict(np.zeros(3))
    with pytest.raises(ValueError, match=r"X contains NaN .*shape \(2, 3\)"):
        net.predict(np.array([[0.0, 0.0, 0.0], [0.0, np.nan, 0.0]]))
    with pytest.raises(TypeError, match=r"X must hold numbers"):
        net.predict(np.array([["1", "2", "3"]]))


def test_network_checks_its_params_before_use():
    net = Network([3, 4, 2], "tanh", seed=0)
    net.params["W2"] = np.zeros((2, 4))
    with pytest.raises(
        ValueError, match=r"params\['W2'\] has shape \(2, 4\) but sizes \[3, 4, 2\] need shape \(4, 2\)"
    ):
        net.predict(np.zeros((1, 3)))
    net = Network([3, 4, 2], "tanh", seed=0)
    net.params["b1"][2] = np.nan
    with pytest.raises(ValueError, match=r"params\['b1'\] contains NaN .*index \(2,\)"):
        net.predict(np.zeros((1, 3)))
    del net.params["b1"]
    with pytest.raises(ValueError, match=r"params has no entry 'b1'"):
        net.predict(np.zeros((1, 3)))


def test_network_backward_and_loss_name_the_shapes():
    net = Network([3, 4, 2], ["tanh", "sigmoid"], seed=0)
    _, cache = net.forward(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"dout has shape \(5, 1\) but the network's output has shape \(5, 2\)"):
        net.backward(np.zeros((5, 1)), cache)
    with pytest.raises(ValueError, match=r"dout contains NaN"):
        net.backward(np.full((5, 2), np.nan), cache)
    with pytest.raises(TypeError, match=r"cache must be the list returned by this network's forward"):
        net.backward(np.zeros((5, 2)), None)
    with pytest.raises(
        ValueError, match=r"Y has shape \(5, 1\) but X has shape \(5, 3\) and the network has 2 outputs"
    ):
        net.loss(np.zeros((5, 3)), np.zeros((5, 1)), "mse")
    with pytest.raises(ValueError, match=r"Y has shape \(4, 2\) but X has shape \(5, 3\)"):
        net.loss(np.zeros((5, 3)), np.zeros((4, 2)), "mse")
    with pytest.raises(ValueError, match=r"Y contains NaN"):
        net.loss(np.zeros((1, 3)), NAN, "mse")
    with pytest.raises(ValueError, match=r"unknown loss 'l2'"):
        net.loss(np.zeros((1, 3)), np.zeros((1, 2)), "l2")
    with pytest.raises(ValueError, match=r"needs the output activation 'softmax', this network ends with 'sigmoid'"):
        net.loss(np.zeros((1, 3)), np.zeros((1, 2)), "softmax_cross_entropy")


# ------------------------------------------------------------------ optimiser


def test_optimizer_checks_its_settings():
    with pytest.raises(ValueError, match=r"lr must be at least 0.0, got -0.1"):
        GradientDescent(-0.1)
    with pytest.raises(TypeError, match=r"lr must be a real number, got str"):
        GradientDescent("0.1")
    with pytest.raises(ValueError, match=r"lr must be finite"):
        GradientDescent(float("nan"))
    with pytest.raises(ValueError, match=r"momentum must be below 1"):
        GradientDescent(0.1, momentum=1.0)
    with pytest.raises(ValueError, match=r"decay must be at least 0"):
        GradientDescent(0.1, decay=-1)
    with pytest.raises(ValueError, match=r"weight_decay must be at least 0"):
        GradientDescent(0.1, weight_decay=-1e-3)
    with pytest.raises(TypeError, match=r"frozen must be a collection of parameter names"):
        GradientDescent(0.1, frozen=3)


def test_optimizer_step_names_the_bad_entry_and_changes_nothing():
    params = {"W1": np.ones((2, 2)), "b1": np.zeros(2)}
    opt = GradientDescent(0.1)
    with pytest.raises(ValueError, match=r"grads\['b1'\] has shape \(3,\) but params\['b1'\] has shape \(2,\)"):
        opt.step(params, {"W1": np.ones((2, 2)), "b1": np.ones(3)})
    with pytest.raises(ValueError, match=r"grads has no entry for \['b1'\]"):
        opt.step(params, {"W1": np.ones((2, 2))})
    with pytest.raises(ValueError, match=r"grads\['b1'\] contains NaN"):
        opt.step(params, {"W1": np.ones((2, 2)), "b1": np.array([np.nan, 0.0])})
    with pytest.raises(TypeError, match=r"grads\['W1'\] must hold numbers"):
        opt.step(params, {"W1": np.array([["a", "b"], ["c", "d"]]), "b1": np.ones(2)})
    with pytest.raises(TypeError, match=r"params must be a dict"):
        opt.step([np.ones(2)], {"W1": np.ones(2)})
    with pytest.raises(TypeError, match=r"grads must be a dict"):
        opt.step(params, [np.ones((2, 2)), np.ones(2)])
    with pytest.raises(TypeError, match=r"params\['W'\] must be a float64 numpy array .*got list"):
        opt.step({"W": [1.0, 2.0]}, {"W": np.ones(2)})
    np.testing.assert_array_equal(params["W1"], np.ones((2, 2)))  # untouched by the failed steps
    np.testing.assert_array_equal(params["b1"], np.zeros(2))
    assert opt.t == 0


# ------------------------------------------------------------------ training helpers


def test_minibatches_checks_at_the_call():
    with pytest.raises(ValueError, match=r"X has 4 samples \(shape \(4, 2\)\) but Y has 3 \(shape \(3, 1\)\)"):
        minibatches(np.zeros((4, 2)), np.zeros((3, 1)), 2)  # raises before any batch is asked for
    with pytest.raises(ValueError, match=r"Y must be 2-D, got shape \(4,\)"):
        minibatches(np.zeros((4, 2)), np.zeros(4), 2)
    with pytest.raises(ValueError, match=r"batch_size must be at least 1, got 0"):
        minibatches(np.zeros((4, 2)), np.zeros((4, 1)), 0)
    with pytest.raises(TypeError, match=r"batch_size must be an integer, got float"):
        minibatches(np.zeros((4, 2)), np.zeros((4, 1)), 2.0)
    with pytest.raises(TypeError, match=r"rng must be a numpy Generator, an int seed or None, got str"):
        minibatches(np.zeros((4, 2)), np.zeros((4, 1)), 2, rng="seed")
    with pytest.raises(ValueError, match=r"X contains NaN"):
        minibatches(NAN, np.zeros((1, 1)), 1)


def test_split_and_accuracy_check_their_arguments():
    with pytest.raises(ValueError, match=r"val_fraction must be between 0 and 1, got 1.5"):
        train_val_split(np.zeros((10, 2)), np.zeros((10, 1)), 1.5)
    with pytest.raises(ValueError, match=r"val_fraction 0.01 of 10 samples leaves an empty split"):
        train_val_split(np.zeros((10, 2)), np.zeros((10, 1)), 0.01)
    with pytest.raises(ValueError, match=r"X has 10 samples .* but Y has 9"):
        train_val_split(np.zeros((10, 2)), np.zeros((9, 1)))
    with pytest.raises(ValueError, match=r"Y_hat has shape \(4, 1\) but Y has shape \(4, 2\)"):
        accuracy(np.zeros((4, 1)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"Y_hat must be 2-D, got shape \(4,\)"):
        accuracy(np.zeros(4), np.zeros((4, 1)))
    with pytest.raises(ValueError, match=r"Y_hat contains NaN"):
        accuracy(np.full((1, 1), np.nan), np.zeros((1, 1)))


def test_fit_checks_everything_before_training():
    net = Network([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    before = {k: v.copy() for k, v in net.params.items()}
    X, Y = np.zeros((4, 2)), np.zeros((4, 1))
    opt = GradientDescent(0.1)
    with pytest.raises(ValueError, match=r"X has shape \(4, 3\): the network expects 2 inputs per sample"):
        fit(net, np.zeros((4, 3)), Y, "mse", opt, epochs=1)
    with pytest.raises(ValueError, match=r"Y has shape \(4, 2\): the network has 1 outputs"):
        fit(net, X, np.zeros((4, 2)), "mse", opt, epochs=1)
    with pytest.raises(ValueError, match=r"X_val has shape \(2, 5\)"):
        fit(net, X, Y, "mse", opt, epochs=1, validation=(np.zeros((2, 5)), np.zeros((2, 1))))
    with pytest.raises(TypeError, match=r"validation must be a pair \(X_val, Y_val\)"):
        fit(net, X, Y, "mse", opt, epochs=1, validation=np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"unknown loss 'l1'"):
        fit(net, X, Y, "l1", opt, epochs=1)
    with pytest.raises(ValueError, match=r"early stopping \(patience\) needs validation data"):
        fit(net, X, Y, "mse", opt, epochs=1, patience=3)
    with pytest.raises(ValueError, match=r"epochs must be at least 1, got 0"):
        fit(net, X, Y, "mse", opt, epochs=0)
    with pytest.raises(TypeError, match=r"optimizer must have a step\(params, grads\) method, got float"):
        fit(net, X, Y, "mse", 0.1, epochs=1)
    with pytest.raises(ValueError, match=r"Y contains NaN"):
        fit(net, X, np.full((4, 1), np.nan), "mse", opt, epochs=1)
    for k in before:
        np.testing.assert_array_equal(net.params[k], before[k])


# ------------------------------------------------------------------ gradient checking, data, worked example


def test_gradcheck_checks_its_arguments():
    with pytest.raises(TypeError, match=r"x must be a float64 numpy array .*got list"):
        numerical_gradient(lambda v: 0.0, [1.0, 2.0])
    with pytest.raises(TypeError, match=r"x must be a float64 numpy array .*of dtype int64"):
        numerical_gradient(lambda v: 0.0, np.array([1, 2]))
    with pytest.raises(TypeError, match=r"f must be a function"):
        numerical_gradient(3.0, np.zeros(2))
    with pytest.raises(ValueError, match=r"h must be positive"):
        numerical_gradient(lambda v: 0.0, np.zeros(2), h=0.0)
    with pytest.raises(ValueError, match=r"dout has shape \(3,\) but f\(x\) has shape \(2,\)"):
        numerical_gradient_array(lambda v: v * 2, np.zeros(2), np.ones(3))
    with pytest.raises(ValueError, match=r"a has shape \(2,\) but b has shape \(3,\)"):
        rel_error(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"b contains NaN"):
        rel_error(np.zeros(2), np.array([0.0, np.nan]))


def test_data_generators_check_their_arguments():
    with pytest.raises(ValueError, match=r"op must be one of \['and', 'nand', 'or', 'xor'\], got 'nor'"):
        data.truth_table("nor")
    with pytest.raises(ValueError, match=r"n must be at least 2, got 1"):
        data.sine(1)
    with pytest.raises(TypeError, match=r"n must be an integer, got float"):
        data.two_moons(100.0)
    with pytest.raises(ValueError, match=r"noise must be at least 0.0"):
        data.two_spirals(100, noise=-1.0)
    with pytest.raises(ValueError, match=r"order must be 'parabola_first', 'random_first' or 'shuffled'"):
        data.parabola_vs_random(10, order="sorted")
    with pytest.raises(
        ValueError, match=r"y must be a 1-D array of integer labels, got dtype float64 and shape \(3,\)"
    ):
        data.one_hot(np.array([0.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match=r"labels must lie in 0..1, got values from 0 to 2"):
        data.one_hot(np.array([0, 1, 2]), num_classes=2)
    with pytest.raises(ValueError, match=r"y is empty"):
        data.one_hot(np.array([], dtype=int))
    with pytest.raises(TypeError, match=r"y must be a 1-D array of integer labels, got str"):
        data.one_hot("012")
    with pytest.raises(ValueError, match=r"X contains NaN"):
        data.standardize(np.array([[1.0, np.nan]]))
    with pytest.raises(ValueError, match=r"mean has shape \(3,\) but X has shape \(4, 2\): expected shape \(2,\)"):
        data.standardize(np.zeros((4, 2)), mean=np.zeros(3))
    with pytest.raises(ValueError, match=r"std must be positive"):
        data.standardize(np.zeros((4, 2)), mean=np.zeros(2), std=np.array([1.0, 0.0]))


def test_worked_example_network_rejects_unknown_names():
    with pytest.raises(ValueError, match=r"unknown names \['w9'\]: weights are w1..w8, biases b1 and b2"):
        worked_example.network(weights={"w9": 1.0})
