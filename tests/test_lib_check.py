"""shallownet.check: every failure is one plain sentence naming what was wrong."""

import re

import numpy as np
import pytest

import shallownet
from shallownet.check import (
    call,
    check_close,
    check_equal,
    check_shape,
    check_true,
    check_unchanged,
    network_calls,
    no_warnings,
    own_code,
)


def fails_with(pattern):
    """pytest.raises for an AssertionError whose message is one sentence on one line matching pattern."""
    return pytest.raises(AssertionError, match=re.compile(pattern, re.DOTALL))


def one_sentence(excinfo):
    msg = str(excinfo.value)
    assert "\n" not in msg and msg.endswith(".") and msg[0].isalpha(), msg


def test_close_values_pass():
    check_close(np.array([0.5, 1.0]), [0.5, 1.0 + 1e-12], "sigmoid([0, 1000])")
    check_close(0.25, 0.25, "slope")
    check_close(np.float64(2.0), 2.0, "x")


def test_wrong_value_names_the_index_expected_and_got():
    with fails_with(
        r"^sigmoid\(z\), entry \[1\], should be 0\.7310585786, got 0\.5 "
        r"\(1 of 3 entries are wrong\)\.$"
    ) as e:
        check_close(np.array([0.5, 0.5, 0.8807970780]), [0.5, 0.7310585786300049, 0.8807970779778823], "sigmoid(z)")
    one_sentence(e)
    with fails_with(r"^E should be 0\.298371109, got 0\.3\.$") as e:
        check_close(0.3, 0.298371109, "E")
    one_sentence(e)
    with fails_with(r"^W, entry \[1, 0\], should be 3, got 4 \(1 of 4 entries are wrong\)\.$"):
        check_close(np.array([[1.0, 2.0], [4.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 4.0]]), "W")


def test_wrong_shape_nan_dtype_none_and_type():
    with fails_with(r"^dW should have shape \(3, 2\), got \(2, 3\)\.$") as e:
        check_close(np.zeros((2, 3)), np.zeros((3, 2)), "dW")
    one_sentence(e)
    with fails_with(r"^loss should be a single number, got an array of shape \(2,\)\.$"):
        check_close(np.zeros(2), 0.0, "loss")
    with fails_with(r"^softmax\(z\) contains NaN at index \[0, 1\] where 0\.5 was expected\.$") as e:
        check_close(np.array([[0.5, np.nan]]), [[0.5, 0.5]], "softmax(z)")
    one_sentence(e)
    with fails_with(r"^relu\(z\) should hold floats, got dtype int64\.$"):
        check_close(np.array([0, 1]), np.array([0.0, 1.0]), "relu(z)")
    with fails_with(r"^sigmoid returned None: did you forget a return statement\?$"):
        check_close(None, 0.5, "sigmoid")
    with fails_with(r"^f should be a number or a numpy array of numbers, got str\.$"):
        check_close("0.5", 0.5, "f")


def test_check_equal_check_shape_and_check_true():
    check_equal(np.array([0, 1, 1, 0]), [0, 1, 1, 0], "xor labels")
    check_equal("relu", "relu", "name")
    with fails_with(r"^xor labels, entry \[3\], should be 0, got 1\.$"):
        check_equal(np.array([0, 1, 1, 1]), [0, 1, 1, 0], "xor labels")
    with fails_with(r"^name should be 'relu', got 'tanh'\.$"):
        check_equal("tanh", "relu", "name")
    check_shape(np.zeros((4, 2)), (4, 2), "X")
    with fails_with(r"^X should have shape \(4, 2\), got \(2, 4\)\.$"):
        check_shape(np.zeros((2, 4)), (4, 2), "X")
    check_true(True, "never shown.")
    with fails_with(r"^the loss should fall\.$"):
        check_true(False, "the loss should fall.")


def test_check_unchanged():
    a = np.array([1.0, 2.0])
    check_unchanged(a, a.copy(), "z", "sigmoid")
    with fails_with(r"^sigmoid changed its argument z in place; build a new array instead\.$"):
        check_unchanged(np.array([1.0, 3.0]), a, "z", "sigmoid")


def test_no_warnings_catches_an_overflow():
    with no_warnings("sigmoid"):
        shallownet.sigmoid(np.array([-1000.0, 1000.0]))
    with no_warnings("stable sigmoid"):  # exp(-1000) underflowing to 0 is fine, not a warning
        z = np.array([-1000.0, 0.0, 1000.0])
        e = np.exp(-np.abs(z))
        np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    with no_warnings("softmax"):
        shallownet.softmax(np.array([[1000.0, -1000.0]]))
    with fails_with(r"^log raised a RuntimeWarning \(divide by zero encountered in log\)"):
        with no_warnings("log"):
            np.log(np.array([0.0]))
    with fails_with(
        r"^naive sigmoid raised a RuntimeWarning \(overflow encountered in exp\); "
        r"use a numerically stable formula\.$"
    ) as e:
        with no_warnings("naive sigmoid"):
            1.0 / (1.0 + np.exp(-np.array([-1000.0])))
    one_sentence(e)


def test_own_code_spots_calls_into_the_library():
    def students_sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    def borrowed_sigmoid(z):
        return shallownet.sigmoid(z)

    with own_code("sigmoid"):
        students_sigmoid(np.zeros(2))
    with fails_with(
        r"^sigmoid called the course library's sigmoid\(\); the graded function must be written "
        r"with numpy, not by calling shallownet\.$"
    ) as e:
        with own_code("sigmoid"):
            borrowed_sigmoid(np.zeros(2))
    one_sentence(e)
    with own_code("sigmoid", allow=("sigmoid", "_sigmoid", "_z", "as_float_array")):
        borrowed_sigmoid(np.zeros(2))


# --- call: one student call checked against every rule of the hidden tests ---------------------------


def test_call_returns_the_result_and_passes_a_correct_function():
    def dense(X, W, b):
        return X @ W + b

    X, W, b = np.ones((4, 3)), np.ones((3, 2)), np.zeros(2)
    np.testing.assert_array_equal(call(dense, X, W, b), np.full((4, 2), 3.0))
    assert call(lambda: 7) == 7


def test_call_names_the_arguments_of_a_matmul_or_broadcast_error():
    def dense(X, W, b):
        return X @ W + b

    with fails_with(
        r"^dense\(X, W, b\): X @ W needs X's columns \(3\) to match W's rows \(2\); "
        r"got X \(4, 3\), W \(2, 3\), b \(3,\)\.$"
    ) as e:
        call(dense, np.ones((4, 3)), np.ones((2, 3)), np.ones(3))
    one_sentence(e)
    with fails_with(r"^dense\(X, W, b\): arrays of shapes \(4, 2\) and \(3,\) cannot be combined entry by entry"):
        call(dense, np.ones((4, 3)), np.ones((3, 2)), np.ones(3))

    def dot(A, B):
        return np.dot(A, B)

    with fails_with(r"^dot\(A, B\): A @ B needs A's columns \(3\) to match B's rows \(2\)"):
        call(dot, np.ones((4, 3)), np.ones((2, 3)))


def test_call_explains_math_on_arrays():
    import math

    def sigmoid(z):
        return 1 / (1 + math.exp(-z))

    with fails_with(
        r"^sigmoid\(z\): math\.exp, math\.log and the other functions of the math module take one "
        r"number at a time, but were given an array \(z \(3,\)\); use np\.exp"
    ) as e:
        call(sigmoid, np.zeros(3))
    one_sentence(e)
    assert call(sigmoid, 0.0) == 0.5  # a single number is fine
    with pytest.raises(ZeroDivisionError):  # any other error is the student's own traceback
        call(lambda z: 1 / z, 0)


def test_call_names_a_function_this_notebook_does_not_define():
    """Part 2 of an assignment runs on its own: a student who calls part 1's dense is told so in one sentence."""

    def forward(X, params):
        return dense(X, params["W1"], params["b1"])  # noqa: F821 (defined in another notebook)

    with fails_with(
        r"^forward\(X, params\) uses the name `dense`, which this notebook does not define: a cell that "
        r"defines it has not been run, or it belongs to another notebook"
    ) as e:
        call(forward, np.ones((2, 2)), {"W1": np.eye(2), "b1": np.zeros(2)})
    one_sentence(e)


def test_call_catches_in_place_changes_views_library_calls_and_warnings():
    def softmax(Z):
        Z -= Z.max(axis=1, keepdims=True)
        return np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)

    with fails_with(r"^softmax changed its argument Z in place; build a new array instead\.$"):
        call(softmax, np.array([[1.0, 2.0]]))

    def relu(z):
        return z.clip(0) if z.min() < 0 else z

    with fails_with(r"^relu returned an array that shares memory with its argument z"):
        call(relu, np.array([1.0, 2.0]))
    call(relu, np.array([1.0, 2.0]), fresh=False)

    def forward(X, params):
        params["extra"] = 1
        return X @ params["W"]

    with fails_with(r"^forward added or removed entries of its argument params"):
        call(forward, np.ones((1, 2)), {"W": np.ones((2, 2))})

    def update(w, grads):
        grads["w"] *= 2
        return w - grads["w"]

    with fails_with(r"^update changed its argument grads\['w'\] in place"):
        call(update, np.ones(2), {"w": np.ones(2)})

    def sigmoid(z):
        return shallownet.sigmoid(z)

    with fails_with(r"^sigmoid called the course library's sigmoid\(\)"):
        call(sigmoid, np.zeros(2))

    def naive(z):
        return 1 / (1 + np.exp(-z))

    with fails_with(r"^naive raised a RuntimeWarning"):
        call(naive, np.array([-1000.0]))


def test_call_allows_functions_passed_in_and_a_networks_own_methods():
    def descend(loss, grad, w):
        return w - 0.1 * grad(w), loss(w)

    call(descend, shallownet.sigmoid, shallownet.activations.sigmoid_grad, np.zeros(2))

    def evaluate(net, X):
        return net.predict(X)

    net = shallownet.Network([2, 3, 2], ["relu", "softmax"], seed=0)
    call(evaluate, net, np.ones((4, 2)))
    assert "fit" not in network_calls() and "predict" in network_calls()

    def cheat(net, X, Y):
        shallownet.fit(net, X, Y, "softmax_cross_entropy", shallownet.GradientDescent(0.1), epochs=1, batch_size=2)
        return net

    with fails_with(r"^cheat called the course library's fit\(\)"):
        call(cheat, net, np.ones((4, 2)), np.eye(2)[[0, 1, 0, 1]])


def test_call_runs_a_generator_inside_the_checks():
    def batches(X):
        for i in range(len(X)):
            X[i] += 1  # the change happens while the generator runs
            yield X[i]

    with fails_with(r"^batches changed its argument X in place"):
        call(batches, np.zeros(3))
    assert len(call(lambda X: (x for x in X.copy()), np.zeros(3))) == 3


def test_exact_restoration_message_says_how():
    def numerical_gradient(f, x, h=1e-5):
        g = np.zeros_like(x)
        for i in range(x.size):
            x[i] += h
            up = f(x)
            x[i] -= 2 * h
            down = f(x)
            x[i] += h
            g[i] = (up - down) / (2 * h)
        return g

    x = np.array([0.5, 0.3, 0.7, 0.1])
    with fails_with(
        r"^numerical_gradient left its argument x, entry \[\d\], at .* instead of .*: save the entry "
        r"first \(old = x\[i\]\) and put it back with x\[i\] = old"
    ) as e:
        call(numerical_gradient, lambda v: float(np.sum(v**2)), x, restored=("x",))
    one_sentence(e)


def test_call_names_a_changed_dict_entry():
    def train_step(w, lr):
        w["w5"] -= lr
        return w, 0.0

    with fails_with(
        r"^train_step changed w\['w5'\] in place \(an entry of its argument w\); build a new dict "
        r"instead \(new_w = dict\(w\), then change new_w\)\.$"
    ) as e:
        call(train_step, {"w5": 0.4}, 0.5)
    one_sentence(e)


def test_own_code_names_a_method_with_its_class():
    def gd_step(w, grad, lr):
        params = {"w": w.copy()}
        shallownet.GradientDescent(lr).step(params, {"w": grad})
        return params["w"]

    with fails_with(r"^gd_step called the course library's GradientDescent\.__init__\(\);"):
        call(gd_step, np.ones(2), np.ones(2), 0.1)
