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
import re
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
        raise AssertionError(
            f"{name} should be a number or a numpy array of numbers, got {type(got).__name__}"
            f"{' of dtype ' + str(arr.dtype) if isinstance(got, np.ndarray) else ''}."
        )
    return arr


def check_shape(got, shape, name: str) -> None:
    """Fail unless ``got`` is an array of exactly ``shape``."""
    arr = _as_numbers(got, name)
    shape = tuple(shape)
    if arr.shape != shape:
        if shape == ():
            raise AssertionError(f"{name} should be a single number, got an array of shape {arr.shape}.")
        raise AssertionError(f"{name} should have shape {shape}, got {arr.shape}.")


def check_close(got, expected, name: str, rtol: float = 1e-7, atol: float = 1e-9, dtype: str | None = "auto") -> None:
    """Fail unless ``got`` has expected's shape, a float dtype where expected is float, no NaN, and close values.

    dtype='auto': a float ``expected`` demands a float result (an integer or bool
    array means something was rounded or compared). None skips the dtype check.
    """
    exp = np.asarray(expected, dtype=np.float64)
    arr = _as_numbers(got, name)
    check_shape(arr, exp.shape, name)
    if (
        dtype == "auto"
        and np.issubdtype(np.asarray(expected).dtype, np.floating)
        and not np.issubdtype(arr.dtype, np.floating)
    ):
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
        raise AssertionError(f"{name}, entry {_idx(i)}, should be {_fmt(exp[i])}, got {_fmt(arr[i])}{more}.")


def check_equal(got, expected, name: str) -> None:
    """Fail unless ``got`` equals ``expected`` exactly (ints, bools, strings, tuples or arrays)."""
    if (
        isinstance(expected, (str, tuple, list, dict))
        and not isinstance(expected, np.ndarray)
        and not (isinstance(expected, (tuple, list)) and expected and isinstance(expected[0], (int, float)))
    ):
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
        raise AssertionError(f"{name}, entry {_idx(i)}, should be {_fmt(exp[i])}, got {_fmt(arr[i])}.")


def check_true(condition, message: str) -> None:
    """Fail with ``message`` (one sentence) unless ``condition`` holds."""
    if not condition:
        raise AssertionError(message)


def check_unchanged(after, before, name: str, func: str, restored: bool = False) -> None:
    """Fail if the argument ``name`` of ``func`` was modified in place (``before`` is a copy taken earlier).

    restored=True: ``func`` is allowed to change the argument while it works but must put every entry back
    exactly (numerical_gradient); the message then names the first entry and says how to restore it.
    """
    a, b = np.asarray(after), np.asarray(before)
    if a.shape == b.shape and np.array_equal(a, b):
        return
    if restored and a.shape == b.shape:
        i = tuple(np.argwhere(a != b)[0]) if a.ndim else ()
        where = f", entry {_idx(i)}," if a.ndim else ""
        raise AssertionError(
            f"{func} left its argument {name}{where} at {float(a[i])!r} instead of "
            f"{float(b[i])!r}: save the entry first (old = x[i]) and put it back with x[i] = old; "
            f"adding and subtracting h again does not give the old number exactly (round-off)."
        )
    raise AssertionError(f"{func} changed its argument {name} in place; build a new array instead.")


@contextlib.contextmanager
def no_warnings(name: str):
    """Fail with a plain sentence if the code inside emits a warning (an overflow in exp, say).

    Overflow, division by zero and invalid operations warn; underflow stays silent
    (numpy's default): exp(−1000) rounding to 0 is what every stable formula relies on.
    """
    with (
        warnings.catch_warnings(record=True) as caught,
        np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"),
    ):
        warnings.simplefilter("always")
        yield
    if caught:
        w = caught[0]
        raise AssertionError(f"{name} raised a {w.category.__name__} ({w.message}); use a numerically stable formula.")


@contextlib.contextmanager
def own_code(name: str, allow=()):
    """Fail if the code inside calls into the course library ``shallownet`` (except names in ``allow``,
    together with whatever an allowed function calls in turn).

    Graded functions must be the student's own: ``return shallownet.sigmoid(z)``
    scores nothing. Catches every route (module attribute, ``from … import``,
    aliases) because it watches the calls themselves.
    """
    called = []
    allowed = set(allow)
    inside: list = []  # the allowed library frame being run: what it calls in turn is its own business

    def profiler(frame, event, arg):
        if event == "call":
            if inside:
                return
            fn = frame.f_code.co_filename
            code = frame.f_code
            if fn.startswith(_PACKAGE_DIR) and os.path.abspath(fn) != _THIS_FILE and not code.co_name.startswith("<"):
                if code.co_name in allowed:
                    inside.append(frame)
                else:
                    called.append(getattr(code, "co_qualname", code.co_name))  # GradientDescent.__init__
        elif event == "return" and inside and frame is inside[-1]:
            inside.pop()

    old = sys.getprofile()
    sys.setprofile(profiler)
    try:
        yield
    finally:
        sys.setprofile(old)
    if called:
        raise AssertionError(
            f"{name} called the course library's {called[0]}(); "
            "the graded function must be written with numpy, not by calling shallownet."
        )


# --- one call of a student's function, checked against every rule the hidden tests hold it to ---------


def _arrays(value, label):
    """(label, array) for every numpy array in value, looking inside dicts, lists and tuples."""
    if isinstance(value, np.ndarray):
        yield label, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _arrays(v, f"{label}[{k!r}]")
    elif isinstance(value, (list, tuple)):
        for k, v in enumerate(value):
            yield from _arrays(v, f"{label}[{k}]")


def _snapshot(value):
    """A deep copy of the arrays, dicts, lists and tuples in value (other objects as they are)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return (
            type(value)(_snapshot(v) for v in value) if isinstance(value, list) else tuple(_snapshot(v) for v in value)
        )
    return value


def _unchanged(after, before, label, func, restored):
    if isinstance(before, np.ndarray):
        check_unchanged(after, before, label, func, restored)
    elif isinstance(before, dict):
        if not isinstance(after, dict) or sorted(map(str, after)) != sorted(map(str, before)):
            raise AssertionError(
                f"{func} added or removed entries of its argument {label}; "
                "leave the dictionary as it is and build a new one."
            )
        for k in before:
            _unchanged(after[k], before[k], f"{label}[{k!r}]", func, restored)
    elif isinstance(before, (list, tuple)):
        if len(after) != len(before):
            raise AssertionError(f"{func} added or removed entries of its argument {label}; build a new list.")
        for k, (a, b) in enumerate(zip(after, before, strict=True)):
            _unchanged(a, b, f"{label}[{k}]", func, restored)
    elif isinstance(before, (int, float)) and after != before:
        base = label.split("[")[0]
        raise AssertionError(
            f"{func} changed {label} in place (an entry of its argument {base}); build a new "
            f"dict instead (new_{base} = dict({base}), then change new_{base})."
        )


def _shape(value) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.shape}"
    if isinstance(value, (bool, int, float, np.number)):
        return "a number"
    return type(value).__name__


def _plain_error(err: Exception, func: str, named: list) -> str | None:
    """A sentence for the numpy and math errors students hit, or None for any other error."""
    msg = str(err)
    arrays = [(n, v) for n, v in named if isinstance(v, np.ndarray)]
    got = "; got " + ", ".join(f"{n} {_shape(v)}" for n, v in named if not callable(v)) if named else ""
    sizes = (
        re.search(r"size (\d+) is different from (\d+)", msg)
        if "matmul" in msg
        else re.search(r"(\d+) \(dim \d+\) != (\d+) \(dim \d+\)", msg)
        if "not aligned" in msg
        else None
    )
    if sizes:
        if "matmul" in msg:
            rows, cols = int(sizes.group(1)), int(sizes.group(2))
        else:
            cols, rows = int(sizes.group(1)), int(sizes.group(2))
        pairs = [
            (a, b)
            for a, x in arrays
            for b, y in arrays
            if a != b and x.ndim >= 1 and y.ndim >= 1 and x.shape[-1] == cols and y.shape[0] == rows
        ]
        pairs = [(a, b) for a, b in pairs if dict(arrays)[a].ndim == 2 and dict(arrays)[b].ndim == 2]
        if len(pairs) == 1:
            a, b = pairs[0]
            return f"{func}: {a} @ {b} needs {a}'s columns ({cols}) to match {b}'s rows ({rows}){got}."
        return (
            f"{func}: a matrix product A @ B needs A's columns to match B's rows, and one product in it had "
            f"{cols} columns against {rows} rows{got}."
        )
    shapes = re.search(r"could not be broadcast together with (?:remapped )?shapes (.*?)\s*$", msg)
    if shapes:
        found = " and ".join(
            str(tuple(int(k) for k in t.strip("()").split(",") if k))
            for t in re.findall(r"\([\d,]*\)", shapes.group(1))
        )
        return (
            f"{func}: arrays of shapes {found} cannot be combined entry by entry (numpy only stretches axes "
            f"of size 1){got}."
        )
    if isinstance(err, TypeError) and (
        "arrays can be converted to Python scalars" in msg or "must be real number" in msg
    ):
        return (
            f"{func}: math.exp, math.log and the other functions of the math module take one number at a "
            f"time, but were given an array ({got[len('; got ') :]}); use np.exp, np.log, ..., which work "
            f"entry by entry on whole arrays."
        )
    return None


_NETWORK_CALLS: set = set()


def network_calls() -> set:
    """Names of the library functions a shallownet Network runs for its own methods (loss, predict, copy).

    A graded function that receives or builds a Network may use those methods; ``own_code(..., allow=
    network_calls())`` still fails on fit, an optimiser's step, minibatches, accuracy and the like.
    """
    if not _NETWORK_CALLS:
        from .network import Network

        seen = set()
        old = sys.getprofile()
        sys.setprofile(lambda frame, event, arg: seen.add(frame.f_code.co_name) if event == "call" else None)
        try:
            for act in ("relu", "tanh", "sigmoid", "leaky_relu", "softplus", "identity", "linear"):
                probe = Network([2, 3, 2], [act, "softmax"], seed=0)
                probe.loss(np.ones((2, 2)), np.eye(2), "softmax_cross_entropy")
                probe.loss(np.ones((2, 2)), np.eye(2), "mse")
                probe.predict(np.ones((2, 2)))
                probe.copy()
        finally:
            sys.setprofile(old)
        _NETWORK_CALLS.update(seen - {"fit", "minibatches", "step", "accuracy", "train_val_split", "one_hot"})
    return set(_NETWORK_CALLS)


def call(func, *args, allow=(), restored=(), fresh=True, **kwargs):
    """Call a student's function under every rule the hidden tests hold it to, and return its result.

        got = call(dense, X, W, b)
        check_close(got, expected, "dense(X, W, b)")

    - own code: a call into shallownet fails (own_code; names in ``allow`` may be called);
    - no warnings: an overflow or a division by zero fails (no_warnings);
    - arguments unchanged: every array passed (also inside dicts, lists and tuples) must hold the same
      numbers afterwards; names in ``restored`` may change while the function works but must be put back
      exactly (the message then says how);
    - new arrays: with ``fresh`` (the default) no array returned may share memory with an argument, so that
      writing into the result can never change an input (fresh=False where a cache of the inputs is returned);
    - a generator is run to the end inside these checks and its items are returned as a list;
    - functions passed as arguments (a loss, its gradient) may be called, and so may the methods of a
      shallownet Network passed in (``network_calls``): the rule is about the student's own formulas;
    - a matrix-product or broadcasting ValueError, or a math-module TypeError, becomes one plain sentence
      naming the arguments and their shapes; a NameError (a function of another notebook, a cell not run)
      names the missing name.
    """
    import inspect

    fname = getattr(func, "__name__", "the function")
    try:
        bound = inspect.signature(func).bind(*args, **kwargs)
        named = list(bound.arguments.items())
    except (TypeError, ValueError):
        named = [(f"argument {k}", a) for k, a in enumerate(args)] + list(kwargs.items())
    sig = f"{fname}({', '.join(n for n, _ in named)})"
    before = [_snapshot(v) for _, v in named]
    allow = set(allow) | {getattr(v, "__name__", "") for _, v in named if callable(v)}
    if any(type(v).__module__.startswith("shallownet.") for _, v in named if hasattr(v, "params")):
        allow |= network_calls()
    with own_code(fname, allow=allow), no_warnings(fname):
        try:
            result = func(*args, **kwargs)
            if inspect.isgenerator(result):
                result = list(result)
        except (ValueError, TypeError) as err:
            sentence = _plain_error(err, sig, named)
            if sentence is None:
                raise
            raise AssertionError(sentence) from err
        except NameError as err:
            missing = getattr(err, "name", None) or str(err)
            raise AssertionError(
                f"{sig} uses the name `{missing}`, which this notebook does not define: a cell that defines it "
                "has not been run, or it belongs to another notebook (each part runs on its own); run that cell, "
                "or write the step with numpy here."
            ) from err
    for (name, value), old in zip(named, before, strict=True):
        _unchanged(value, old, name, fname, name in restored)
    if fresh:
        inputs = [(n, a) for name, v in named for n, a in _arrays(v, name)]
        for label, out in _arrays(result, "its result"):
            for name, a in inputs:
                if np.shares_memory(out, a):
                    what = "returned" if label == "its result" else f"returned, in {label[len('its result') :]},"
                    raise AssertionError(
                        f"{fname} {what} an array that shares memory with its argument {name} "
                        "(the argument itself, or a view of it): writing into the result would "
                        "change the argument; return a new array (np.array(...), .copy(), or "
                        "a computed expression)."
                    )
    return result
