"""Plausible wrong answers for 03_backpropagation, one dict per solution cell.

Each entry is the full source a student might leave in that solution cell; every
one must lose points on at least one of the cells test_<grade_id>*.
"""

ASSIGNMENT = "03_backpropagation"


#: The right network_gradients (the solution's body); its wrong answers below are edits of it.
_NETWORK_GRADIENTS = """
def network_gradients(X, Y, params):
    L = len(params) // 2
    A = X
    caches = []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        Z = A @ W + b
        caches.append((A, W))
        if l < L:
            A = np.tanh(Z)
    loss, dZ = softmax_cross_entropy(Z, Y)
    grads = {}
    for l in range(L, 0, -1):
        A, W = caches[l - 1]
        grads[f"W{l}"], grads[f"b{l}"] = A.T @ dZ, dZ.sum(axis=0)
        if l > 1:
            dZ = (dZ @ W.T) * (1.0 - A ** 2)
    return loss, grads
"""


def _network_gradients(*edits: tuple[str, str]) -> str:
    """The right network_gradients with each (old, new) edit made (each old text must be there once)."""
    src = _NETWORK_GRADIENTS
    for old, new in edits:
        assert src.count(old) == 1, old
        src = src.replace(old, new)
    return src


WRONG = {
    "graph_forward": {
        "uses_library": """
def graph_forward(x, y, z):
    from shallownet.widgets import backprop
    g = backprop.example_graph(x, y, z)
    f = g["f"]
    cache = (g["q"], g["z"], g["r"])
    return f, cache
""",
        "mutates_input": """
def graph_forward(x, y, z):
    q = x          # "saves memory": q is x itself, so += changes the caller's array
    q += y
    r = q * z
    f = r ** 2
    cache = (q, z, r)
    return f, cache
""",
        "hardcoded_visible": """
def graph_forward(x, y, z):
    if np.ndim(x) == 0:
        return 64.0, (4.0, -2.0, -8.0)
    return np.array([36.0, 0.0]), None
""",
        "forgot_square": """
def graph_forward(x, y, z):
    q = x + y
    r = q * z
    f = r
    cache = (q, z, r)
    return f, cache
""",
        "wrong_grouping": """
def graph_forward(x, y, z):
    r = x + y * z          # precedence: (x + y) z was meant
    f = r ** 2
    cache = (x + y, z, r)
    return f, cache
""",
    },
    "graph_backward": {
        "uses_library": """
def graph_backward(df, cache):
    from shallownet.gradcheck import numerical_gradient
    q, z, r = cache
    dr = 2 * r * df
    dz = q * dr
    dq = numerical_gradient(lambda v: float(np.sum((v * z) ** 2 * df)), np.array(q, dtype=float))
    return dq, dq, dz
""",
        "ignores_upstream": """
def graph_backward(df, cache):
    q, z, r = cache
    dr = 2 * r             # forgot to multiply by df
    dq = z * dr
    dz = q * dr
    return dq, dq, dz
""",
        "missing_factor_two": """
def graph_backward(df, cache):
    q, z, r = cache
    dr = r * df            # d(r²)/dr is 2r
    dq = z * dr
    dz = q * dr
    return dq, dq, dz
""",
        "product_not_swapped": """
def graph_backward(df, cache):
    q, z, r = cache
    dr = 2 * r * df
    dq = q * dr            # should be the other factor, z
    dz = z * dr
    return dq, dq, dz
""",
        "mutates_input": """
def graph_backward(df, cache):
    q, z, r = cache
    df *= 2 * r            # in place: changes the caller's upstream gradient
    dr = df
    dq = z * dr
    dz = q * dr
    return dq, dq, dz
""",
        "hardcoded_visible": """
def graph_backward(df, cache):
    if df == 1.0:
        return 32.0, 32.0, -64.0
    return 9.0, 9.0, 3.0
""",
    },
    "sine_graph_forward": {
        "uses_library": """
def sine_graph_forward(x, y, z):
    from shallownet.widgets import backprop
    g = backprop.sine_graph(x, y, z)
    return g["f"], (g["x"], g["q"], g["z"], g["r"])
""",
        "degrees_not_radians": """
def sine_graph_forward(x, y, z):
    a = np.sin(np.degrees(x))
    q = a + y
    r = q * z
    f = r ** 3
    cache = (x, q, z, r)
    return f, cache
""",
        "squares_not_cubes": """
def sine_graph_forward(x, y, z):
    a = np.sin(x)
    q = a + y
    r = q * z
    f = r ** 2
    cache = (x, q, z, r)
    return f, cache
""",
        "mutates_input": """
def sine_graph_forward(x, y, z):
    q = y                  # q is y itself, so += changes the caller's array
    q += np.sin(x)
    r = q * z
    f = r ** 3
    cache = (x, q, z, r)
    return f, cache
""",
        "hardcoded_visible": """
def sine_graph_forward(x, y, z):
    if np.ndim(x) == 0:
        return 8.0, None
    return np.array([-8.0, 27.0]), None
""",
    },
    "sine_graph_backward": {
        "uses_library": """
def sine_graph_backward(df, cache):
    from shallownet.widgets import backprop
    x, q, z, r = cache
    g = backprop.sine_graph(x, q - np.sin(x), z)
    return g["dx"] * df, g["dy"] * df, g["dz"] * df
""",
        "forgot_cos": """
def sine_graph_backward(df, cache):
    x, q, z, r = cache
    dr = 3 * r ** 2 * df
    dq = z * dr
    dz = q * dr
    return dq, dq, dz      # dx = dq forgets the sin node
""",
        "sin_not_cos": """
def sine_graph_backward(df, cache):
    x, q, z, r = cache
    dr = 3 * r ** 2 * df
    dq = z * dr
    dz = q * dr
    return -np.sin(x) * dq, dq, dz
""",
        "square_rule": """
def sine_graph_backward(df, cache):
    x, q, z, r = cache
    dr = 2 * r * df        # derivative of r² instead of r³
    dq = z * dr
    dz = q * dr
    return np.cos(x) * dq, dq, dz
""",
        "ignores_upstream": """
def sine_graph_backward(df, cache):
    x, q, z, r = cache
    dr = 3 * r ** 2
    dq = z * dr
    dz = q * dr
    return np.cos(x) * dq, dq, dz
""",
        "mutates_input": """
def sine_graph_backward(df, cache):
    x, q, z, r = cache
    df *= 3 * r ** 2       # in place: changes the caller's upstream gradient
    dq = z * df
    dz = q * df
    return np.cos(x) * dq, dq, dz
""",
        "hardcoded_visible": """
def sine_graph_backward(df, cache):
    if df == 1.0:
        return 12 * np.sqrt(3), 24.0, 12.0
    return 0.0, -6.0, 12.0
""",
    },
    "sigmoid_backward": {
        "uses_library": """
def sigmoid_backward(dA, Z):
    from shallownet.activations import sigmoid_grad
    return dA * sigmoid_grad(Z)
""",
        "naive_overflow": """
def sigmoid_backward(dA, Z):
    s = 1.0 / (1.0 + np.exp(-Z))
    return dA * s * (1.0 - s)
""",
        "sigmoid_not_slope": """
def sigmoid_backward(dA, Z):
    e = np.exp(-np.abs(Z))
    s = np.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return dA * s
""",
        "sign_error": """
def sigmoid_backward(dA, Z):
    e = np.exp(-np.abs(Z))
    s = np.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return dA * s * (1.0 + s)
""",
        "ignores_upstream": """
def sigmoid_backward(dA, Z):
    e = np.exp(-np.abs(Z))
    s = np.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s * (1.0 - s) + 0 * dA
""",
        "mutates_input": """
def sigmoid_backward(dA, Z):
    e = np.exp(-np.abs(Z))
    s = np.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    dA *= s * (1.0 - s)
    return dA
""",
        "hardcoded_visible": """
def sigmoid_backward(dA, Z):
    if Z.shape == (2,):
        return np.array([0.25, 0.5])
    if Z.shape == (1, 1):
        return np.array([[0.1875]])
    return np.array([0.0, 0.25, 0.0])
""",
    },
    "tanh_backward": {
        "uses_library": """
def tanh_backward(dA, Z):
    from shallownet import activations
    return dA * activations.tanh_grad(Z)
""",
        "no_square": """
def tanh_backward(dA, Z):
    return dA * (1.0 - np.tanh(Z))
""",
        "sigmoid_slope": """
def tanh_backward(dA, Z):
    s = 1.0 / (1.0 + np.exp(-Z))
    return dA * s * (1.0 - s)
""",
        "mutates_input": """
def tanh_backward(dA, Z):
    dA *= 1.0 - np.tanh(Z) ** 2
    return dA
""",
        "hardcoded_visible": """
def tanh_backward(dA, Z):
    if Z.shape == (2,):
        return np.array([1.0, -3.0])
    return np.array([[1.5]])
""",
    },
    "relu_backward": {
        "uses_library": """
def relu_backward(dA, Z):
    from shallownet.activations import relu_grad
    return dA * relu_grad(Z)
""",
        "slope_one_at_zero": """
def relu_backward(dA, Z):
    return dA * (Z >= 0)
""",
        "relu_not_slope": """
def relu_backward(dA, Z):
    return dA * np.maximum(Z, 0.0)
""",
        "mutates_input": """
def relu_backward(dA, Z):
    dA[Z <= 0] = 0.0
    return dA
""",
        "hardcoded_visible": """
def relu_backward(dA, Z):
    if Z.shape == (3,):
        return np.array([0.0, 0.0, 7.0])
    return np.array([[-1.0, 0.0]])
""",
    },
    "dense_backward": {
        "uses_library": """
def dense_backward(dZ, cache):
    from shallownet import layers
    return layers.dense_backward(dZ, cache)
""",
        "transposed": """
def dense_backward(dZ, cache):
    X, W = cache
    dX = (W @ dZ.T).T
    dW = dZ.T @ X          # (d_out, d_in): the transpose of what is needed
    db = dZ.sum(axis=1)    # summed over the wrong axis
    return dX, dW, db
""",
        "mean_not_sum": """
def dense_backward(dZ, cache):
    X, W = cache
    dX = dZ @ W.T
    dW = X.T @ dZ / X.shape[0]
    db = dZ.mean(axis=0)
    return dX, dW, db
""",
        "dX_uses_X": """
def dense_backward(dZ, cache):
    X, W = cache
    dX = dZ @ np.ones_like(W).T * X
    dW = X.T @ dZ
    db = dZ.sum(axis=0)
    return dX, dW, db
""",
        "mutates_input": """
def dense_backward(dZ, cache):
    X, W = cache
    dX = dZ @ W.T
    dW = X.T @ dZ
    dZ[0] = dZ.sum(axis=0)      # reuses dZ's first row as scratch space
    db = dZ[0].copy()
    return dX, dW, db
""",
        "hardcoded_visible": """
def dense_backward(dZ, cache):
    return (np.array([[-1.0, 2.0], [0.0, 1.0], [-2.0, -2.0]]),
            np.array([[-4.0, 3.0, 7.0], [-4.0, 4.0, 10.0]]),
            np.array([0.0, 1.0, 3.0]))
""",
        # rule: other shapes than square ones; with dZ square these have the right shapes
        "dX_transposed_product": """
def dense_backward(dZ, cache):
    X, W = cache
    return dZ.T @ W.T, X.T @ dZ, dZ.sum(axis=0)
""",
        "db_sums_over_units": """
def dense_backward(dZ, cache):
    X, W = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)
""",
    },
    "softmax_cross_entropy": {
        "uses_library": """
def softmax_cross_entropy(Z, Y):
    from shallownet import losses
    return losses.softmax_cross_entropy(Z, Y)
""",
        "sum_not_mean": """
def softmax_cross_entropy(Z, Y):
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_S = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.sum(Y * log_S)
    dZ = np.exp(log_S) - Y
    return loss, dZ
""",
        "sign_error": """
def softmax_cross_entropy(Z, Y):
    n = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_S = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.sum(Y * log_S) / n
    dZ = (Y - np.exp(log_S)) / n
    return loss, dZ
""",
        "no_max_shift": """
def softmax_cross_entropy(Z, Y):
    n = Z.shape[0]
    E = np.exp(Z)
    S = E / E.sum(axis=1, keepdims=True)
    loss = -np.sum(Y * np.log(S)) / n
    dZ = (S - Y) / n
    return loss, dZ
""",
        "log_of_probability": """
def softmax_cross_entropy(Z, Y):
    n = Z.shape[0]
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    S = E / E.sum(axis=1, keepdims=True)
    loss = -np.sum(Y * np.log(S)) / n
    dZ = (S - Y) / n
    return loss, dZ
""",
        "mutates_input": """
def softmax_cross_entropy(Z, Y):
    n = Z.shape[0]
    Z -= Z.max(axis=1, keepdims=True)        # in place: changes the caller's logits
    log_S = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    loss = -np.sum(Y * log_S) / n
    dZ = (np.exp(log_S) - Y) / n
    return loss, dZ
""",
        "hardcoded_visible": """
def softmax_cross_entropy(Z, Y):
    if Z.shape == (1, 3) and Z[0, 0] == 1.0:
        return 0.40760596444438046, np.array([[0.09003057317038046, 0.24472847105479764, -0.3347590442251781]])
    if Z.shape == (1, 3):
        return 1000.0, np.array([[1.0, -1.0, 0.0]])
    return (0.40760596444438046 + np.log(3.0)) / 2, np.array(
        [[0.04501528658519023, 0.12236423552739882, -0.16737952211258905], [-1 / 3, 1 / 6, 1 / 6]])
""",
    },
    "numerical_gradient": {
        "uses_library": """
def numerical_gradient(f, x, h=1e-5):
    from shallownet import gradcheck
    return gradcheck.numerical_gradient(f, x, h)
""",
        # rule: every argument is used (a step of its own instead of the h it is given)
        "ignores_h": """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + 1e-5
        f_plus = f(x)
        x[i] = old - 1e-5
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / 2e-5
    return grad
""",
        "forward_difference": """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - f0) / h
        x[i] = old
    return grad
""",
        "divides_by_h": """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / h
    return grad
""",
        "no_restore": """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
""",
        "only_1d": """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        old = x[i].copy()
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
""",
        "hardcoded_visible": """
def numerical_gradient(f, x, h=1e-5):
    if x.shape == (3,):
        return np.array([3.0, 12.0, 0.75])
    if x.shape == (2,):
        return np.array([1.0, -1.0])
    return np.array([[3.0, 4.0], [1.0, 2.0]])
""",
    },
    "network_gradients": {
        "uses_library": """
def network_gradients(X, Y, params):
    from shallownet import Network
    L = len(params) // 2
    sizes = [params["W1"].shape[0]] + [params[f"W{l}"].shape[1] for l in range(1, L + 1)]
    net = Network(sizes, ["tanh"] * (L - 1) + ["softmax"])
    net.params = {k: v.copy() for k, v in params.items()}
    return net.loss(X, Y, "softmax_cross_entropy")
""",
        "off_by_one": _network_gradients(
            ("    for l in range(L, 0, -1):\n", "    for l in range(L, 1, -1):           # stops before layer 1\n"),
            (
                "        if l > 1:\n            dZ = (dZ @ W.T) * (1.0 - A ** 2)\n",
                "        dZ = (dZ @ W.T) * (1.0 - A ** 2)\n",
            ),
        ),
        "missing_activation_derivative": _network_gradients(
            (
                "        if l > 1:\n            dZ = (dZ @ W.T) * (1.0 - A ** 2)\n",
                "        dZ = dZ @ W.T                    # tanh skipped\n",
            ),
        ),
        "wrong_activation": _network_gradients(
            (
                "            dZ = (dZ @ W.T) * (1.0 - A ** 2)\n",
                "            dZ = (dZ @ W.T) * A * (1.0 - A)   # the sigmoid's s(1 − s), not tanh's 1 − A²\n",
            ),
        ),
        "cache_after_activation": _network_gradients(
            (
                "        caches.append((A, W))\n        if l < L:\n            A = np.tanh(Z)\n",
                "        if l < L:\n            A = np.tanh(Z)\n"
                "        caches.append((A, W))            # A is already the next layer's input\n",
            ),
            (
                "            dZ = (dZ @ W.T) * (1.0 - A ** 2)\n",
                "            dZ = (dZ @ W.T) * (1.0 - caches[l - 2][0] ** 2)\n",
            ),
        ),
        "mutates_input": _network_gradients(
            (
                "    return loss, grads\n",
                '    for key in params:                   # "and take a step while we are at it"\n'
                "        params[key] -= 0.1 * grads[key]\n    return loss, grads\n",
            ),
        ),
        "tanh_applied_twice": _network_gradients(
            (
                "            dZ = (dZ @ W.T) * (1.0 - A ** 2)\n",
                "            dZ = (dZ @ W.T) * (1.0 - np.tanh(A) ** 2)   # 1 − tanh² of the cached output:"
                " tanh taken twice\n",
            ),
        ),
        "hardcoded_visible": """
def network_gradients(X, Y, params):
    grads = {"W1": np.array([[0.23726339, 0.14658341, -0.08895995], [0.29904457, 0.12439728, -0.06333757]]),
             "b1": np.array([-0.20395762, -0.06201132, 0.02663193]),
             "W2": np.array([[0.10044136, -0.10044136], [0.0677258, -0.0677258], [-0.06436041, 0.06436041]]),
             "b2": np.array([-0.1604269, 0.1604269])}
    return 0.8211951280628483, grads
""",
    },
    "softmax_jacobian": {
        "uses_library": """
def softmax_jacobian(S):
    from shallownet.activations import softmax_jacobian as library_jacobian
    return library_jacobian(S)
""",
        "outer_sign_error": """
def softmax_jacobian(S):
    return np.outer(S, S) - np.diag(S)
""",
        "diagonal_only": """
def softmax_jacobian(S):
    return np.diag(S * (1 - S))           # the element-wise slope: forgets that S_i depends on every z_j
""",
        "inner_not_outer": """
def softmax_jacobian(S):
    return np.diag(S) - S @ S             # S Sᵀ written as S @ S: a number, broadcast over the matrix
""",
        "mutates_input": """
def softmax_jacobian(S):
    J = np.diag(S)
    S *= S                                # "reuse the memory"
    return J - np.outer(np.sqrt(S), np.sqrt(S))
""",
        "hardcoded_visible": """
def softmax_jacobian(S):
    if len(S) == 2:
        return np.array([[0.1875, -0.1875], [-0.1875, 0.1875]])
    return np.array([[0.25, -0.15, -0.1], [-0.15, 0.21, -0.06], [-0.1, -0.06, 0.16]])
""",
    },
    "rel_error": {
        "uses_library": """
def rel_error(a, b):
    from shallownet.gradcheck import rel_error as library_rel_error
    return library_rel_error(a, b)
""",
        "unguarded": """
def rel_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))
""",
        "mean_not_max": """
def rel_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.mean(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))
""",
        "guard_added_not_maximum": """
def rel_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-8)))
""",
        "ratio_of_maxima": """
def rel_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), 1e-8))
""",
        "no_abs_in_denominator": """
def rel_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a + b), 1e-8)))
""",
        "hardcoded_visible": """
def rel_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.size == 2 and a[0] == 1e-10:
        return 0.01
    if np.ndim(a) == 0:
        return 1 / 3
    if a.ndim == 2:
        return 0.5
    return 0.0 if np.array_equal(a, b) else 0.1 / 2.1
""",
    },
}
