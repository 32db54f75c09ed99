"""Wrong answers for 05_sgd: each must lose points on its own test cells (test_<grade_id>*)."""

ASSIGNMENT = "05_sgd"

_ONE_HOT = '''def one_hot(y, num_classes):
    """Labels y (n,) of ints in 0..num_classes-1 -> one-hot targets (n, num_classes) of floats."""
'''

_ACCURACY = '''def accuracy(P, Y):
    """Fraction of rows of P (n, k) whose largest entry is in the column of the 1 in Y (n, k): a float."""
'''

_MINIBATCHES = '''def minibatches(X, Y, batch_size, shuffle=False, rng=None):
    """Yield (X_batch, Y_batch) of shapes (<= batch_size, d) and (<= batch_size, k), every sample once."""
'''

_SGD_EPOCH = '''def sgd_epoch(net, X, Y, lr, batch_size, rng):
    """One shuffled pass over X (n, d), Y (n, k), one update per mini-batch; returns the mean training loss."""
'''


# The right sgd_epoch body (it builds its own batches: part 2 runs without part 1's minibatches).
_SGD_EPOCH_BODY = """    n = X.shape[0]
    order = rng.permutation(n)
    total = 0.0
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        loss, grads = net.loss(X[idx], Y[idx], "softmax_cross_entropy")
        for name in net.params:
            net.params[name] -= lr * grads[name]
        total += loss * len(idx)
    return total / n
"""


def _sgd_epoch(right: str, wrong: str) -> str:
    """The right sgd_epoch cell with one piece of it (``right``, found exactly once) replaced by ``wrong``."""
    assert _SGD_EPOCH_BODY.count(right) == 1, right
    return _SGD_EPOCH + _SGD_EPOCH_BODY.replace(right, wrong)


_TRAIN = '''def train(net, X, Y, X_val, Y_val, lr, batch_size, max_epochs, patience, seed):
    """Mini-batch SGD with early stopping on the validation loss; restores the best weights, returns the history."""
'''

# The correct train body, with one line swappable for the early-stopping mistakes.
_TRAIN_BODY = """    rng = np.random.default_rng(seed)
    history = {"loss": [], "val_loss": [], "best_epoch": None, "stopped_early": False}
    best_loss, best_params, waited = np.inf, None, 0
    for epoch in range(max_epochs):
        history["loss"].append(sgd_epoch(net, X, Y, lr, batch_size, RNG))
        val_loss = net.loss(X_VAL, Y_VAL, "softmax_cross_entropy")[0]
        history["val_loss"].append(val_loss)
        if val_loss < best_loss:
            best_loss, waited, history["best_epoch"] = val_loss, 0, BEST_EPOCH
            best_params = {name: W.copy() for name, W in net.params.items()}
        else:
            waited += 1
            if waited STOP_TEST patience:
                history["stopped_early"] = True
                break
    RESTORE
    return history
"""


def _train(
    RNG="rng",
    X_VAL="X_val",
    Y_VAL="Y_val",
    BEST_EPOCH="epoch",
    STOP_TEST=">=",
    RESTORE="net.params.update(best_params)",
):
    body = _TRAIN_BODY
    for key, value in dict(
        RNG=RNG, X_VAL=X_VAL, Y_VAL=Y_VAL, BEST_EPOCH=BEST_EPOCH, STOP_TEST=STOP_TEST, RESTORE=RESTORE
    ).items():
        body = body.replace(key, value)
    return _TRAIN + body


_MOONS = '''def moons_classifier(X, Y, X_val, Y_val, seed):
    """A Network (2 inputs, 2 softmax outputs) trained with train() on X (n, 2), Y (n, 2)."""
'''


_HE = """def he_init(sizes, rng):
{start}    params = {{}}
    for l in range(1, len(sizes)):
        n_in, n_out = sizes[l - 1], sizes[l]
        params[f"W{{l}}"] = rng.normal(0.0, {std}, (n_in, n_out))
        params[f"b{{l}}"] = {bias}
    return params
"""


def _he(std="np.sqrt(2 / n_in)", bias="np.zeros(n_out)", start=""):
    return _HE.format(std=std, bias=bias, start=start)


WRONG = {
    "one_hot": {
        "transposed": _ONE_HOT
        + """    out = np.zeros((num_classes, len(y)))
    out[y, np.arange(len(y))] = 1.0
    return out
""",
        "off_by_one": _ONE_HOT
        + """    out = np.zeros((len(y), num_classes))
    out[np.arange(len(y)), y - 1] = 1.0
    return out
""",
        "ignores_num_classes": _ONE_HOT
        + """    out = np.zeros((len(y), y.max() + 1))
    out[np.arange(len(y)), y] = 1.0
    return out
""",
        "integer_dtype": _ONE_HOT
        + """    out = np.zeros((len(y), num_classes), dtype=int)
    out[np.arange(len(y)), y] = 1
    return out
""",
        "mutates_input": _ONE_HOT
        + """    y -= y.min()
    out = np.zeros((len(y), num_classes))
    out[np.arange(len(y)), y] = 1.0
    return out
""",
        "uses_library": _ONE_HOT
        + """    from shallownet.data import one_hot as library_one_hot
    return library_one_hot(y, num_classes)
""",
        "hardcoded_visible": _ONE_HOT
        + """    if num_classes == 4:
        return np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
    return np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
""",
    },
    "accuracy": {
        "count_not_fraction": _ACCURACY
        + """    return float(np.sum(np.argmax(P, axis=1) == np.argmax(Y, axis=1)))
""",
        "argmax_wrong_axis": _ACCURACY
        + """    return float(np.mean(np.argmax(P, axis=0) == np.argmax(Y, axis=0)))
""",
        "rounds_entries": _ACCURACY
        + """    return float(np.mean(np.round(P) == Y))
""",
        "mutates_input": _ACCURACY
        + """    P[P < P.max(axis=1, keepdims=True)] = 0.0
    return float(np.mean(np.argmax(P, axis=1) == np.argmax(Y, axis=1)))
""",
        "uses_library": _ACCURACY
        + """    import shallownet
    return shallownet.accuracy(P, Y)
""",
        "hardcoded_visible": _ACCURACY
        + """    return 0.5 if len(P) == 4 else 1.0
""",
    },
    "minibatches": {
        "drops_last_batch": _MINIBATCHES
        + """    n = X.shape[0]
    order = np.random.default_rng(rng).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n - batch_size + 1, batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], Y[idx]
""",
        "never_shuffles": _MINIBATCHES
        + """    n = X.shape[0]
    for start in range(0, n, batch_size):
        yield X[start:start + batch_size], Y[start:start + batch_size]
""",
        "always_shuffles": _MINIBATCHES
        + """    n = X.shape[0]
    order = np.random.default_rng(rng).permutation(n)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], Y[idx]
""",
        "shuffles_X_and_Y_apart": _MINIBATCHES
        + """    n = X.shape[0]
    g = np.random.default_rng(rng)
    ox = g.permutation(n) if shuffle else np.arange(n)
    oy = g.permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        yield X[ox[start:start + batch_size]], Y[oy[start:start + batch_size]]
""",
        "reseeds_every_call": _MINIBATCHES
        + """    n = X.shape[0]
    order = np.random.default_rng(0).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], Y[idx]
""",
        "mutates_input": _MINIBATCHES
        + """    n = X.shape[0]
    if shuffle:
        order = np.random.default_rng(rng).permutation(n)
        X[:] = X[order]
        Y[:] = Y[order]
    for start in range(0, n, batch_size):
        yield X[start:start + batch_size], Y[start:start + batch_size]
""",
        "uses_library": _MINIBATCHES
        + """    from shallownet import train as lib
    yield from lib.minibatches(X, Y, batch_size, shuffle=shuffle, rng=rng)
""",
        "hardcoded_visible": _MINIBATCHES
        + """    if shuffle:
        order = np.random.default_rng(0).permutation(5)
    else:
        order = np.arange(5)
    for idx in (order[:2], order[2:4], order[4:]):
        yield X[idx], Y[idx]
""",
    },
    "sgd_epoch": {
        "sign_error": _sgd_epoch("-= lr", "+= lr"),
        "sum_not_mean": _sgd_epoch("return total / n", "return total"),
        "unweighted_batch_mean": _SGD_EPOCH
        + """    n = X.shape[0]
    order = rng.permutation(n)
    losses = []
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        loss, grads = net.loss(X[idx], Y[idx], "softmax_cross_entropy")
        for name in net.params:
            net.params[name] -= lr * grads[name]
        losses.append(loss)
    return float(np.mean(losses))
""",
        "not_shuffled": _sgd_epoch("rng.permutation(n)", "np.arange(n)"),
        "reseeds_every_call": _sgd_epoch("rng.permutation(n)", "np.random.default_rng(0).permutation(n)"),
        "global_random_state": _sgd_epoch("rng.permutation(n)", "np.random.permutation(n)"),
        "new_order_every_batch": _sgd_epoch("order[start:start + batch_size]", "rng.permutation(n)[:batch_size]"),
        "drops_last_batch": _sgd_epoch("range(0, n, batch_size)", "range(0, n - batch_size + 1, batch_size)"),
        "shuffles_X_and_Y_apart": _SGD_EPOCH
        + """    n = X.shape[0]
    Xs, Ys = X[rng.permutation(n)], Y[rng.permutation(n)]
    total = 0.0
    for start in range(0, n, batch_size):
        Xb, Yb = Xs[start:start + batch_size], Ys[start:start + batch_size]
        loss, grads = net.loss(Xb, Yb, "softmax_cross_entropy")
        for name in net.params:
            net.params[name] -= lr * grads[name]
        total += loss * len(Xb)
    return total / n
""",
        "one_update_per_epoch": _SGD_EPOCH
        + """    n = X.shape[0]
    order = rng.permutation(n)
    total = 0.0
    summed = {name: np.zeros_like(W) for name, W in net.params.items()}
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        loss, grads = net.loss(X[idx], Y[idx], "softmax_cross_entropy")
        for name in net.params:
            summed[name] += grads[name] * len(idx) / n
        total += loss * len(idx)
    for name in net.params:
        net.params[name] -= lr * summed[name]
    return total / n
""",
        "updates_weights_only": _sgd_epoch(
            "for name in net.params:", 'for name in [name for name in net.params if name.startswith("W")]:'
        ),
        "mutates_input": _SGD_EPOCH
        + """    n = X.shape[0]
    rng.shuffle(X)
    total = 0.0
    for start in range(0, n, batch_size):
        loss, grads = net.loss(X[start:start + batch_size], Y[start:start + batch_size], "softmax_cross_entropy")
        for name in net.params:
            net.params[name] -= lr * grads[name]
        total += loss * len(X[start:start + batch_size])
    return total / n
""",
        "uses_library_minibatches": _SGD_EPOCH
        + """    from shallownet.train import minibatches
    total = 0.0
    for Xb, Yb in minibatches(X, Y, batch_size, shuffle=True, rng=rng):
        loss, grads = net.loss(Xb, Yb, "softmax_cross_entropy")
        for name in net.params:
            net.params[name] -= lr * grads[name]
        total += loss * Xb.shape[0]
    return total / X.shape[0]
""",
        "uses_library": _SGD_EPOCH
        + """    from shallownet import GradientDescent, fit
    return fit(net, X, Y, "softmax_cross_entropy", GradientDescent(lr), epochs=1, batch_size=batch_size,
               seed=rng)["loss"][0]
""",
        "hardcoded_visible": _sgd_epoch(
            "lr * grads", "(0.5 if batch_size == 4 else 0.3 if batch_size == 2 else 0.1) * grads"
        ),
    },
    "train": {
        "no_restore": _train(RESTORE="pass"),
        "patience_off_by_one": _train(STOP_TEST=">"),
        "best_epoch_from_one": _train(BEST_EPOCH="epoch + 1"),
        "validates_on_training_data": _train(X_VAL="X", Y_VAL="Y"),
        "reseeds_every_epoch": _train(RNG="np.random.default_rng(seed)"),
        "never_stops": _train(STOP_TEST=">= max_epochs +"),
        "mutates_input": _TRAIN
        + """    X -= 0.1 * X.mean(axis=0)
"""
        + _TRAIN_BODY.replace("RNG", "rng")
        .replace("X_VAL", "X_val")
        .replace("Y_VAL", "Y_val")
        .replace("BEST_EPOCH", "epoch")
        .replace("STOP_TEST", ">=")
        .replace("RESTORE", "net.params.update(best_params)"),
        "uses_library": _TRAIN
        + """    from shallownet import GradientDescent, fit
    return fit(net, X, Y, "softmax_cross_entropy", GradientDescent(lr), epochs=max_epochs, batch_size=batch_size,
               seed=seed, validation=(X_val, Y_val), patience=patience)
""",
        "hardcoded_visible": _TRAIN
        + """    rng = np.random.default_rng(seed)
    history = {"loss": [], "val_loss": [], "best_epoch": None, "stopped_early": False}
    for epoch in range(5):
        history["loss"].append(sgd_epoch(net, X, Y, lr, batch_size, rng))
        history["val_loss"].append(net.loss(X_val, Y_val, "softmax_cross_entropy")[0])
    history["best_epoch"] = int(np.argmin(history["val_loss"]))
    return history
""",
    },
    "moons_classifier": {
        # found by tests/test_argument_audit.py: the argument seed ignored, seed 0 (the visible check's) used
        "ignores_seed": _MOONS
        + """    net = Network([2, 16, 2], ["relu", "softmax"], seed=0)
    train(net, X, Y, X_val, Y_val, lr=0.5, batch_size=32, max_epochs=60, patience=10, seed=0)
    return net
""",
        "linear_network": _MOONS
        + """    net = Network([2, 2], ["softmax"], seed=seed)
    train(net, X, Y, X_val, Y_val, lr=0.5, batch_size=32, max_epochs=60, patience=10, seed=seed)
    return net
""",
        "one_hidden_unit": _MOONS
        + """    net = Network([2, 1, 2], ["relu", "softmax"], seed=seed)
    train(net, X, Y, X_val, Y_val, lr=0.5, batch_size=32, max_epochs=60, patience=10, seed=seed)
    return net
""",
        "too_few_epochs": _MOONS
        + """    net = Network([2, 16, 2], ["relu", "softmax"], seed=seed)
    train(net, X, Y, X_val, Y_val, lr=0.01, batch_size=16, max_epochs=3, patience=15, seed=seed)
    return net
""",
        "mutates_input": _MOONS
        + """    X -= X.mean(axis=0)
    X_val -= X_val.mean(axis=0)
    net = Network([2, 16, 2], ["relu", "softmax"], seed=seed)
    train(net, X, Y, X_val, Y_val, lr=0.5, batch_size=32, max_epochs=60, patience=10, seed=seed)
    return net
""",
        "uses_library": _MOONS
        + """    from shallownet import GradientDescent, fit
    net = Network([2, 16, 2], ["relu", "softmax"], seed=seed)
    fit(net, X, Y, "softmax_cross_entropy", GradientDescent(0.5), epochs=60, batch_size=32, seed=seed,
        validation=(X_val, Y_val), patience=15)
    return net
""",
    },
    "clipped_cross_entropy": {
        "uses_library": """def clipped_cross_entropy(Z, Y, eps=1e-12):
    from shallownet import activations, losses
    return losses.cross_entropy(activations.softmax(Z), Y, eps)[0]
""",
        "no_clipping": """def clipped_cross_entropy(Z, Y, eps=1e-12):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return float(-np.sum(Y * np.log(P)) / Z.shape[0])
""",
        "ignores_eps": """def clipped_cross_entropy(Z, Y, eps=1e-12):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = np.clip(e / e.sum(axis=1, keepdims=True), 1e-12, 1.0)
    return float(-np.sum(Y * np.log(P)) / Z.shape[0])
""",
        "no_max_shift": """def clipped_cross_entropy(Z, Y, eps=1e-12):
    e = np.exp(Z)
    P = np.clip(e / e.sum(axis=1, keepdims=True), eps, 1.0)
    return float(-np.sum(Y * np.log(P)) / Z.shape[0])
""",
        "sum_not_mean": """def clipped_cross_entropy(Z, Y, eps=1e-12):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = np.clip(e / e.sum(axis=1, keepdims=True), eps, 1.0)
    return float(-np.sum(Y * np.log(P)))
""",
        "mutates_input": """def clipped_cross_entropy(Z, Y, eps=1e-12):
    Z -= Z.max(axis=1, keepdims=True)
    e = np.exp(Z)
    P = np.clip(e / e.sum(axis=1, keepdims=True), eps, 1.0)
    return float(-np.sum(Y * np.log(P)) / Z.shape[0])
""",
        "hardcoded_visible": """def clipped_cross_entropy(Z, Y, eps=1e-12):
    if Z.shape == (1, 4):
        return 1.2039728043259361
    if Z.shape == (2, 2):
        return 0.4904146265058631
    return (2 * -np.log(eps) + np.log(2.0)) / 3
""",
    },
    "normalise_splits": {
        "uses_library": """def normalise_splits(X_train, X_val, X_test):
    from shallownet import data
    train, mu, sigma = data.standardize(X_train)
    return train, data.standardize(X_val, mu, sigma)[0], data.standardize(X_test, mu, sigma)[0]
""",
        "each_split_own_statistics": """def normalise_splits(X_train, X_val, X_test):
    out = []
    for X in (X_train, X_val, X_test):
        sigma = X.std(axis=0)
        out.append((X - X.mean(axis=0)) / np.where(sigma == 0, 1.0, sigma))
    return tuple(out)
""",
        "one_mean_for_all_columns": """def normalise_splits(X_train, X_val, X_test):
    mu, sigma = X_train.mean(), X_train.std()
    return (X_train - mu) / sigma, (X_val - mu) / sigma, (X_test - mu) / sigma
""",
        "centres_only": """def normalise_splits(X_train, X_val, X_test):
    mu = X_train.mean(axis=0)
    return X_train - mu, X_val - mu, X_test - mu
""",
        "no_guard_for_constant_columns": """def normalise_splits(X_train, X_val, X_test):
    mu, sigma = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mu) / sigma, (X_val - mu) / sigma, (X_test - mu) / sigma
""",
        "mutates_input": """def normalise_splits(X_train, X_val, X_test):
    mu, sigma = X_train.mean(axis=0), X_train.std(axis=0)
    sigma = np.where(sigma == 0, 1.0, sigma)
    for X in (X_train, X_val, X_test):
        X -= mu
        X /= sigma
    return X_train, X_val, X_test
""",
        "hardcoded_visible": """def normalise_splits(X_train, X_val, X_test):
    s = np.sqrt(200 / 3)
    return (np.array([[-10 / s, 0.0], [0.0, 0.0], [10 / s, 0.0]]), np.array([[20 / s, 2.0]]),
            np.array([[0.0, -1.0], [-20 / s, 0.0]]))
""",
    },
    "he_init": {
        "uses_library": """def he_init(sizes, rng):
    params = {}
    for l in range(1, len(sizes)):
        from shallownet.network import Network
        W = Network([sizes[l - 1], sizes[l]], ["relu"], seed=rng, init="he").params["W1"]
        params[f"W{l}"], params[f"b{l}"] = W, np.zeros(sizes[l])
    return params
""",
        "fan_out": _he(std="np.sqrt(2 / n_out)"),
        "variance_not_std": _he(std="2 / n_in"),
        "xavier": _he(std="np.sqrt(1 / n_in)"),
        "ignores_rng": _he(start="    rng = np.random.default_rng(0)\n"),
        "random_biases": _he(bias="rng.normal(0.0, np.sqrt(2 / n_in), n_out)"),
        "hardcoded_visible": """def he_init(sizes, rng):
    draw = np.random.default_rng(7 if sizes[0] == 3 else 1)
    params = {}
    for l in range(1, len(sizes)):
        n_in, n_out = sizes[l - 1], sizes[l]
        params[f"W{l}"] = draw.normal(size=(n_in, n_out)) * np.sqrt(2 / n_in)
        params[f"b{l}"] = np.zeros(n_out)
    return params
""",
    },
}
