"""shallownet.check: every failure is one plain sentence naming what was wrong."""

import re

import numpy as np
import pytest

import shallownet
from shallownet.check import check_close, check_equal, check_shape, check_true, check_unchanged, no_warnings, own_code


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
    with fails_with(r"^sigmoid\(z\)\[1\] should be 0\.7310585786, got 0\.5 \(1 of 3 entries are wrong\)\.$") as e:
        check_close(np.array([0.5, 0.5, 0.8807970780]), [0.5, 0.7310585786300049, 0.8807970779778823], "sigmoid(z)")
    one_sentence(e)
    with fails_with(r"^E should be 0\.298371109, got 0\.3\.$") as e:
        check_close(0.3, 0.298371109, "E")
    one_sentence(e)
    with fails_with(r"^W\[1, 0\] should be 3, got 4 \(1 of 4 entries are wrong\)\.$"):
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
    with fails_with(r"^xor labels\[3\] should be 0, got 1\.$"):
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
