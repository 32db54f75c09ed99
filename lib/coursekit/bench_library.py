"""Speed of shallownet against scikit-learn's MLPClassifier: `make bench`.

    python -m coursekit.bench_library [--repeats 3] [--quick]

Both libraries train the same MLP (same layer sizes, activations, loss,
learning rate, epochs and batch size; plain SGD: no momentum, no Nesterov,
no L2 penalty, constant learning rate, shuffling on, no early stopping) on
the same data in this one process. Each fit is repeated and the best wall
time of each is kept; the ratio shallownet / scikit-learn is printed per
case and in total. Goal: ratio <= 1.0 (shallownet no slower).

scikit-learn is not a course dependency: `make bench` installs it from
requirements-extra.txt.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings

import numpy as np

from shallownet import data
from shallownet.network import Network
from shallownet.optim import GradientDescent
from shallownet.train import accuracy, fit


def _blobs(n: int, d: int, k: int, seed: int):
    """k Gaussian blobs in d dimensions: X (n, d), y (n,) in 0..k-1."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 2.0, (k, d))
    y = rng.integers(0, k, n)
    return centres[y] + rng.normal(0.0, 1.0, (n, d)), y


def cases(quick: bool = False):
    """The benchmark cases: name, X, y, hidden sizes, hidden activation, lr, epochs, batch size."""
    scale = 4 if quick else 1
    Xm, ym = data.two_moons(2000, noise=0.2, seed=0)
    Xm = data.standardize(Xm)[0]
    Xb, yb = _blobs(4000, 20, 4, seed=1)
    Xb = data.standardize(Xb)[0]
    return [
        # binary: one sigmoid output unit with binary cross-entropy (what MLPClassifier builds for 2 classes)
        dict(
            name="two moons  2-32-1  tanh", X=Xm, y=ym, hidden=(32,), act="tanh", lr=0.1, epochs=60 // scale, batch=32
        ),
        # multi-class: softmax output with cross-entropy
        dict(
            name="4 blobs   20-64-4  relu", X=Xb, y=yb, hidden=(64,), act="relu", lr=0.05, epochs=30 // scale, batch=64
        ),
    ]


_SK_ACT = {"tanh": "tanh", "relu": "relu", "sigmoid": "logistic", "identity": "identity"}


def run_shallownet(case, seed: int):
    """Train with shallownet; return (seconds, training accuracy)."""
    X, y = case["X"], case["y"]
    k = int(y.max()) + 1
    t0 = time.perf_counter()
    if k == 2:
        Y = y.reshape(-1, 1).astype(np.float64)
        net = Network(
            [X.shape[1], *case["hidden"], 1],
            [case["act"]] * len(case["hidden"]) + ["sigmoid"],
            seed=seed,
            init="xavier",
        )
        loss = "binary_cross_entropy"
    else:
        Y = data.one_hot(y, k)
        net = Network(
            [X.shape[1], *case["hidden"], k],
            [case["act"]] * len(case["hidden"]) + ["softmax"],
            seed=seed,
            init="xavier",
        )
        loss = "softmax_cross_entropy"
    fit(
        net,
        X,
        Y,
        loss,
        GradientDescent(case["lr"]),
        epochs=case["epochs"],
        batch_size=case["batch"],
        shuffle=True,
        seed=seed,
    )
    seconds = time.perf_counter() - t0
    return seconds, accuracy(net.predict(X), Y)


def run_sklearn(case, seed: int):
    """Train MLPClassifier with the same settings; return (seconds, training accuracy)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, y = case["X"], case["y"]
    t0 = time.perf_counter()
    clf = MLPClassifier(
        hidden_layer_sizes=case["hidden"],
        activation=_SK_ACT[case["act"]],
        solver="sgd",
        alpha=0.0,
        batch_size=case["batch"],
        learning_rate="constant",
        learning_rate_init=case["lr"],
        max_iter=case["epochs"],
        shuffle=True,
        random_state=seed,
        tol=0.0,
        momentum=0.0,
        nesterovs_momentum=False,
        early_stopping=False,
        n_iter_no_change=case["epochs"] + 1,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter reached is the point here
        clf.fit(X, y)
    seconds = time.perf_counter() - t0
    assert clf.n_iter_ == case["epochs"], "scikit-learn stopped early"
    return seconds, float(np.mean(clf.predict(X) == y))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m coursekit.bench_library", description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3, help="fits per library and case; the best time counts")
    ap.add_argument("--quick", action="store_true", help="a quarter of the epochs (a smoke run)")
    args = ap.parse_args(argv)
    try:
        import sklearn
    except ImportError:
        print("scikit-learn is not installed: run `make bench` (it installs requirements-extra.txt).", file=sys.stderr)
        return 2
    print(
        f"shallownet vs scikit-learn {sklearn.__version__} MLPClassifier (solver='sgd'), "
        f"numpy {np.__version__}, best of {args.repeats}"
    )
    print(f"{'case':28s} {'epochs':>6s} {'batch':>5s} {'shallownet':>11s} {'sklearn':>9s} {'ratio':>6s}  accuracy")
    total_sn = total_sk = 0.0
    for case in cases(args.quick):
        sn_runs, sk_runs = [], []
        for r in range(args.repeats):  # interleaved, so load on the machine hits both alike
            sn_runs.append(run_shallownet(case, seed=r))
            sk_runs.append(run_sklearn(case, seed=r))
        t_sn, t_sk = min(t for t, _ in sn_runs), min(t for t, _ in sk_runs)
        total_sn += t_sn
        total_sk += t_sk
        print(
            f"{case['name']:28s} {case['epochs']:6d} {case['batch']:5d} {t_sn:10.3f}s {t_sk:8.3f}s "
            f"{t_sn / t_sk:6.2f}  {sn_runs[0][1]:.3f} / {sk_runs[0][1]:.3f}"
        )
    ratio = total_sn / total_sk
    print(f"{'total':28s} {'':6s} {'':5s} {total_sn:10.3f}s {total_sk:8.3f}s {ratio:6.2f}")
    print(f"ratio shallownet/sklearn = {ratio:.2f} ({'goal met: ' if ratio <= 1.0 else 'SLOWER than '}ratio <= 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
