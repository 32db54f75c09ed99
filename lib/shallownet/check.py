"""The check helper for notebook test cells: one plain sentence when something is wrong.

    from shallownet.check import check_close, own_code, no_warnings
    with own_code("sigmoid"), no_warnings("sigmoid"):
        got = sigmoid(np.array([0.0, 1000.0]))
    check_close(got, [0.5, 1.0], "sigmoid([0, 1000])")

Every failure is an AssertionError whose message is one sentence naming what
was checked, what was expected and what was got: wrong type, wrong shape,
wrong dtype, NaN, or the first wrong entry with its index.
"""
from __future__ import annotations

import contextlib
import os
import sys
import warnings

import numpy as np

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_THIS_FILE = os.path.abspath(__file__)


def _fmt(x) -> str:
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.10g}"
    arr = np.asarray(x)
    if arr.ndim == 0:
        return _fmt(arr.item())
    with np.printoptions(precision=6, suppress=True, threshold=12, edgeitems=3):
        return np.array2string(arr, separator=", ").replace("\n", "")


def _idx(i) -> str:
    return "[" + ", ".join(str(int(k)) for k in i) + "]"


def _as_numbers(got, name):
    if got is None:
        raise AssertionError(f"{name} returned None: did you forget a return statement?")
    try:
        arr = np.asarray(got)
    except Exception:  # ragged lists and the like
        raise AssertionError(f"{name} should be a number or a numpy array, got {type(got).__name__}.") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise AssertionError(f"{name} should be a number or a numpy array of numbers, got {type(got).__name__}"
                             f"{' of dtype ' + str(arr.dtype) if isinstance(got, np.ndarray) else ''}.")
    return arr


def check_shape(got, shape, name: str) -> None:
    """Fail unless ``got`` is an array of exactly ``shape``."""
    arr = _as_numbers(got, name)
    shape = tuple(shape)
    if arr.shape != shape:
        if shape == ():
            raise AssertionError(f"{name} should be a single number, got an array of shape {arr.shape}.")
        raise AssertionError(f"{name} should have shape {shape}, got {arr.shape}.")


def check_close(got, expected, name: str, rtol: float = 1e-7, atol: float = 1e-9,
                dtype: str | None = "auto") -> None:
    """Fail unless ``got`` has expected's shape, a float dtype where expected is float, no NaN, and close values.

    dtype='auto': a float ``expected`` demands a float result (an integer or bool
    array means something was rounded or compared). None skips the dtype check.
    """
    exp = np.asarray(expected, dtype=np.float64)
    arr = _as_numbers(got, name)
    check_shape(arr, exp.shape, name)
    if dtype == "auto" and np.issubdtype(np.asarray(expected).dtype, np.floating) \
            and not np.issubdtype(arr.dtype, np.floating):
        raise AssertionError(f"{name} should hold floats, got dtype {arr.dtype}.")
    arr = arr.astype(np.float64)
    bad_nan = np.isnan(arr) & ~np.isnan(exp)
    if bad_nan.any():
        i = np.argwhere(bad_nan)[0]
        where = f" at index {_idx(i)}" if arr.ndim else ""
        e = exp[tuple(i)] if exp.ndim else exp
        raise AssertionError(f"{name} contains NaN{where} where {_fmt(e)} was expected.")
    wrong = ~np.isclose(arr, exp, rtol=rtol, atol=atol, equal_nan=True)
    if wrong.any():
        if arr.ndim == 0:
            raise AssertionError(f"{name} should be {_fmt(exp)}, got {_fmt(arr)}.")
        i = tuple(np.argwhere(wrong)[0])
        n_wrong, n = int(wrong.sum()), wrong.size
        more = f" ({n_wrong} of {n} entries are wrong)" if n > 1 else ""
        raise AssertionError(f"{name}{_idx(i)} should be {_fmt(exp[i])}, got {_fmt(arr[i])}{more}.")


def check_equal(got, expected, name: str) -> None:
    """Fail unless ``got`` equals ``expected`` exactly (ints, bools, strings, tuples or arrays)."""
    if isinstance(expected, (str, tuple, list, dict)) and not isinstance(expected, np.ndarray) \
            and not (isinstance(expected, (tuple, list)) and expected and isinstance(expected[0], (int, float))):
        if got != expected:
            raise AssertionError(f"{name} should be {expected!r}, got {got!r}.")
        return
    exp = np.asarray(expected)
    arr = _as_numbers(got, name)
    check_shape(arr, exp.shape, name)
    wrong = arr != exp
    if np.any(wrong):
        if arr.ndim == 0:
            raise AssertionError(f"{name} should be {_fmt(exp)}, got {_fmt(arr)}.")
        i = tuple(np.argwhere(wrong)[0])
        raise AssertionError(f"{name}{_idx(i)} should be {_fmt(exp[i])}, got {_fmt(arr[i])}.")


def check_true(condition, message: str) -> None:
    """Fail with ``message`` (one sentence) unless ``condition`` holds."""
    if not condition:
        raise AssertionError(message)


def check_unchanged(after, before, name: str, func: str) -> None:
    """Fail if the argument ``name`` of ``func`` was modified in place (``before`` is a copy taken earlier)."""
    if not np.array_equal(np.asarray(after), np.asarray(before)):
        raise AssertionError(f"{func} changed its argument {name} in place; build a new array instead.")


@contextlib.contextmanager
def no_warnings(name: str):
    """Fail with a plain sentence if the code inside emits a warning (an overflow in exp, say).

    Overflow, division by zero and invalid operations warn; underflow stays silent
    (numpy's default): exp(−1000) rounding to 0 is what every stable formula relies on.
    """
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
        warnings.simplefilter("always")
        yield
    if caught:
        w = caught[0]
        raise AssertionError(f"{name} raised a {w.category.__name__} ({w.message}); "
                             "use a numerically stable formula.")


@contextlib.contextmanager
def own_code(name: str, allow=()):
    """Fail if the code inside calls into the course library ``shallownet`` (except names in ``allow``).

    Graded functions must be the student's own: ``return shallownet.sigmoid(z)``
    scores nothing. Catches every route (module attribute, ``from … import``,
    aliases) because it watches the calls themselves.
    """
    called = []
    allowed = set(allow)

    def profiler(frame, event, arg):
        if event == "call":
            fn = frame.f_code.co_filename
            if fn.startswith(_PACKAGE_DIR) and os.path.abspath(fn) != _THIS_FILE \
                    and frame.f_code.co_name not in allowed and not frame.f_code.co_name.startswith("<"):
                called.append(frame.f_code.co_name)

    old = sys.getprofile()
    sys.setprofile(profiler)
    try:
        yield
    finally:
        sys.setprofile(old)
    if called:
        raise AssertionError(f"{name} called the course library's {called[0]}(); "
                             "the graded function must be written with numpy, not by calling shallownet.")
