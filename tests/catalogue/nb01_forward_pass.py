"""Wrong answers for 01_forward_pass: each must lose points on its own test cells (test_<grade_id>*)."""

ASSIGNMENT = "01_forward_pass"

# The correct activations cell, one function per block, so a wrong answer can swap one of them.
_ACT = {
    "heaviside": """def heaviside(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1.0, 0.0)
""",
    "sigmoid": """def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
""",
    "tanh": """def tanh(z):
    return np.tanh(np.asarray(z, dtype=float))
""",
    "relu": """def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)
""",
    "leaky_relu": """def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)
""",
    "softplus": """def softplus(z):
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
""",
}


def _activations(**swap):
    return "\n\n".join(swap.get(name, src) for name, src in _ACT.items())


_GRAD = {
    "sigmoid_grad": """def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1.0 - s)
""",
    "tanh_grad": """def tanh_grad(z):
    t = np.tanh(np.asarray(z, dtype=float))
    return 1.0 - t * t
""",
    "relu_grad": """def relu_grad(z):
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, 0.0)
""",
    "leaky_relu_grad": """def leaky_relu_grad(z, alpha=0.01):
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, alpha)
""",
    "softplus_grad": """def softplus_grad(z):
    return sigmoid(z)
""",
}


def _grads(**swap):
    return "\n\n".join(swap.get(name, src) for name, src in _GRAD.items())


_DENSE = """def dense(X, W, b):
    return {body}
"""

_XOR = """def xor_network():
    W1 = np.array({W1})
    b1 = np.array({b1})
    W2 = np.array({W2})
    b2 = np.array({b2})
    return W1, b1, W2, b2
"""


def _xor(W1="[[1.0, 1.0], [1.0, 1.0]]", b1="[-0.5, -1.2]", W2="[[1.0], [-2.0]]", b2="[-0.5]"):
    return _XOR.format(W1=W1, b1=b1, W2=W2, b2=b2)


_SOFTMAX = """def softmax(Z):
{body}
"""

_FORWARD = """def forward(X, params, activations):
    A = X
    for l, f in enumerate(activations, start=1):
{body}
    return A
"""

_PERCEPTRON = """def perceptron(X, y, lr=1.0, max_epochs=100):
    w = np.zeros(X.shape[1])
    b = 0.0
    for epoch in range(1, max_epochs + 1):
        mistakes = 0
        for x_i, y_i in zip(X, y):
            y_hat = {predict}
            if y_hat != y_i:
{update}
                mistakes += 1
        if mistakes == 0:
            return w, float(b), True, {epochs}
    return w, float(b), {failed}, max_epochs
"""


def _perceptron(
    predict="1.0 if x_i @ w + b >= 0 else 0.0",
    update="                w = w + lr * (y_i - y_hat) * x_i\n                b = b + lr * (y_i - y_hat)",
    epochs="epoch",
    failed="False",
):
    return _PERCEPTRON.format(predict=predict, update=update, epochs=epochs, failed=failed)


WRONG = {
    "activations": {
        "naive_sigmoid": _activations(
            sigmoid="""def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 1.0 / (1.0 + np.exp(-z))
"""
        ),
        "naive_softplus": _activations(
            softplus="""def softplus(z):
    z = np.asarray(z, dtype=float)
    return np.log(1.0 + np.exp(z))
"""
        ),
        "tanh_from_exponentials": _activations(
            tanh="""def tanh(z):
    z = np.asarray(z, dtype=float)
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
"""
        ),
        "heaviside_strict_threshold": _activations(
            heaviside="""def heaviside(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, 0.0)
"""
        ),
        "heaviside_returns_bools": _activations(
            heaviside="""def heaviside(z):
    return np.asarray(z) >= 0
"""
        ),
        "leaky_relu_ignores_alpha": _activations(
            leaky_relu="""def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.01 * z)
"""
        ),
        "wrong_activation_softplus_is_relu": _activations(
            softplus="""def softplus(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)
"""
        ),
        "relu_keeps_integers": _activations(
            relu="""def relu(z):
    return np.maximum(z, 0)
"""
        ),
        "mutates_input": _activations(
            relu="""def relu(z):
    z = np.asarray(z, dtype=float)
    z[z < 0] = 0.0
    return z
"""
        ),
        "hardcoded_visible": _activations(
            sigmoid="""def sigmoid(z):
    return np.array([0.11920292202211755, 0.5, 0.7310585786300049])
"""
        ),
        "uses_library": """import shallownet.activations as _lib

def heaviside(z):
    return _lib.heaviside(z)

def sigmoid(z):
    return _lib.sigmoid(z)

def tanh(z):
    return _lib.tanh(z)

def relu(z):
    return _lib.relu(z)

def leaky_relu(z, alpha=0.01):
    return _lib.leaky_relu(z, alpha)

def softplus(z):
    return _lib.softplus(z)
""",
    },
    "activation_grads": {
        "sigmoid_grad_sign_error": _grads(
            sigmoid_grad="""def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1.0 + s)
"""
        ),
        "naive_sigmoid_grad": _grads(
            sigmoid_grad="""def sigmoid_grad(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-z) / (1.0 + np.exp(-z)) ** 2
"""
        ),
        "tanh_grad_forgets_square": _grads(
            tanh_grad="""def tanh_grad(z):
    return 1.0 - np.tanh(np.asarray(z, dtype=float))
"""
        ),
        "relu_grad_one_at_zero": _grads(
            relu_grad="""def relu_grad(z):
    return np.where(np.asarray(z, dtype=float) >= 0, 1.0, 0.0)
"""
        ),
        "leaky_relu_grad_zero_on_left": _grads(
            leaky_relu_grad="""def leaky_relu_grad(z, alpha=0.01):
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, 0.0)
"""
        ),
        "wrong_activation_grad_is_function": _grads(
            sigmoid_grad="""def sigmoid_grad(z):
    return sigmoid(z)
"""
        ),
        "mutates_input": _grads(
            relu_grad="""def relu_grad(z):
    z = np.asarray(z, dtype=float)
    z[z > 0] = 1.0
    z[z <= 0] = 0.0
    return z
"""
        ),
        "hardcoded_visible": _grads(
            tanh_grad="""def tanh_grad(z):
    return np.array([0.07065082485316443, 1.0, 0.41997434161402614])
"""
        ),
        "uses_library": """import shallownet.activations as _lib

def sigmoid_grad(z):
    return _lib.sigmoid_grad(z)

def tanh_grad(z):
    return _lib.tanh_grad(z)

def relu_grad(z):
    return _lib.relu_grad(z)

def leaky_relu_grad(z, alpha=0.01):
    return _lib.leaky_relu_grad(z, alpha)

def softplus_grad(z):
    return _lib.softplus_grad(z)
""",
    },
    "dense": {
        "transposed_weights": _DENSE.format(body="X @ W.T + b"),
        "missing_bias": _DENSE.format(body="X @ W"),
        "bias_sign_error": _DENSE.format(body="X @ W - b"),
        "output_transposed": _DENSE.format(body="W.T @ X.T + b[:, None]"),
        "mutates_input": """def dense(X, W, b):
    W *= 2.0
    return X @ W / 2.0 + b
""",
        "hardcoded_visible": _DENSE.format(body="np.array([[5.5, -3.0], [-1.5, 12.0]])"),
        "uses_library": """import shallownet

def dense(X, W, b):
    Z, _ = shallownet.dense_forward(X, W, b)
    return Z
""",
    },
    "xor_network": {
        "computes_or": _xor(W2="[[1.0], [0.0]]"),
        "computes_and": _xor(W2="[[0.0], [1.0]]"),
        "sign_error": _xor(W2="[[-1.0], [2.0]]"),
        "missing_bias": _xor(b1="[0.0, 0.0]"),
        "transposed_weights": _xor(W2="[[1.0, -2.0]]"),
        "lecture_skip_connection": _xor(W1="[[1.0], [1.0]]", b1="[-1.2]", W2="[[1.0], [1.0], [-2.0]]", b2="[-0.6]"),
        "uses_library": """import shallownet

def xor_network():
    X, y = shallownet.data.truth_table("xor")
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([-0.5, -1.2])
    W2 = np.array([[1.0], [-2.0]])
    b2 = np.array([-0.5])
    return W1, b1, W2, b2
""",
    },
    "softmax": {
        "no_max_shift": _SOFTMAX.format(body="    e = np.exp(Z)\n    return e / e.sum(axis=1, keepdims=True)"),
        "global_max_shift": _SOFTMAX.format(
            body="    e = np.exp(Z - Z.max())\n    return e / e.sum(axis=1, keepdims=True)"
        ),
        "normalises_columns": _SOFTMAX.format(
            body="    e = np.exp(Z - Z.max(axis=1, keepdims=True))\n    return e / e.sum(axis=0, keepdims=True)"
        ),
        "max_without_keepdims": _SOFTMAX.format(
            body="    e = np.exp(Z - Z.max(axis=1))\n    return e / e.sum(axis=1, keepdims=True)"
        ),
        "wrong_activation_sigmoid": _SOFTMAX.format(body="    return 1.0 / (1.0 + np.exp(-Z))"),
        "mutates_input": _SOFTMAX.format(
            body="    Z -= Z.max(axis=1, keepdims=True)\n    e = np.exp(Z)\n    return e / e.sum(axis=1, keepdims=True)"
        ),
        "hardcoded_visible": _SOFTMAX.format(
            body="    return np.array([[0.09003057317038046, 0.24472847105479767, 0.6652409557748219]])"
        ),
        "uses_library": """import shallownet

def softmax(Z):
    return shallownet.softmax(Z)
""",
    },
    "forward": {
        "off_by_one_skips_last_layer": """def forward(X, params, activations):
    A = X
    for l in range(1, len(activations)):
        A = activations[l - 1](A @ params[f"W{l}"] + params[f"b{l}"])
    return A
""",
        "no_output_activation": """def forward(X, params, activations):
    A = X
    L = len(activations)
    for l in range(1, L + 1):
        A = A @ params[f"W{l}"] + params[f"b{l}"]
        if l < L:
            A = activations[l - 1](A)
    return A
""",
        "activation_before_layer": _FORWARD.format(body='        A = f(A) @ params[f"W{l}"] + params[f"b{l}"]'),
        "same_weights_every_layer": _FORWARD.format(body='        A = f(A @ params["W1"] + params["b1"])'),
        "transposed_weights": _FORWARD.format(body='        A = f(A @ params[f"W{l}"].T + params[f"b{l}"])'),
        "missing_bias": _FORWARD.format(body='        A = f(A @ params[f"W{l}"])'),
        "mutates_input": _FORWARD.format(
            body='        A = f(A @ params[f"W{l}"] + params[f"b{l}"])\n        params[f"A{l}"] = A'
        ),
        "hardcoded_visible": """def forward(X, params, activations):
    if len(activations) == 2:
        return np.array([[5.5], [1.5]])
    A = X
    for l, f in enumerate(activations, start=1):
        A = f(A @ params[f"W{l}"] + params[f"b{l}"])
    return A
""",
        # part 1's dense is not defined in part 2's kernel: the exercise says to write A @ W + b out
        "calls_part1_dense": _FORWARD.format(body='        A = f(dense(A, params[f"W{l}"], params[f"b{l}"]))'),
        "uses_library": """import shallownet

def forward(X, params, activations):
    A = X
    for l, f in enumerate(activations, start=1):
        Z, _ = shallownet.dense_forward(A, params[f"W{l}"], params[f"b{l}"])
        A = f(Z)
    return A
""",
    },
    "perceptron": {
        "sign_error": _perceptron(
            update="                w = w - lr * (y_i - y_hat) * x_i\n                b = b - lr * (y_i - y_hat)"
        ),
        "bias_never_updated": _perceptron(update="                w = w + lr * (y_i - y_hat) * x_i"),
        "strict_threshold": _perceptron(predict="1.0 if x_i @ w + b > 0 else 0.0"),
        "off_by_one_epochs": _perceptron(epochs="epoch - 1"),
        "never_reports_failure": _perceptron(failed="True"),
        "updates_once_per_epoch": """def perceptron(X, y, lr=1.0, max_epochs=100):
    w = np.zeros(X.shape[1])
    b = 0.0
    for epoch in range(1, max_epochs + 1):
        y_hat = (X @ w + b >= 0).astype(float)
        if np.all(y_hat == y):
            return w, float(b), True, epoch
        w = w + lr * (y - y_hat) @ X
        b = b + lr * np.sum(y - y_hat)
    return w, float(b), False, max_epochs
""",
        "random_start": _perceptron().replace(
            "w = np.zeros(X.shape[1])", "w = np.random.default_rng(0).normal(size=X.shape[1])"
        ),
        "mutates_input": """def perceptron(X, y, lr=1.0, max_epochs=100):
    y[y == 0] = -1                      # labels as -1 / +1, in place
    w = np.zeros(X.shape[1])
    b = 0.0
    for epoch in range(1, max_epochs + 1):
        mistakes = 0
        for x_i, y_i in zip(X, y):
            if y_i * (x_i @ w + b) <= 0 and not (y_i > 0 and x_i @ w + b == 0):
                w = w + lr * y_i * x_i
                b = b + lr * y_i
                mistakes += 1
        if mistakes == 0:
            return w, float(b), True, epoch
    return w, float(b), False, max_epochs
""",
        "hardcoded_visible": """def perceptron(X, y, lr=1.0, max_epochs=100):
    return np.array([2.0, 1.0]), -3.0, True, 6
""",
        "uses_library": _perceptron(predict="float(shallownet.heaviside(x_i @ w + b))"),
    },
}
