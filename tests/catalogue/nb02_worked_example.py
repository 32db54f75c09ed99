"""Plausible wrong answers for 02_worked_example, one dict per solution cell.

Each entry is the whole solution cell as a student might leave it; every one
must lose points on at least one test cell test_<grade_id>*.
"""

ASSIGNMENT = "02_worked_example"

_FORWARD_DEF = 'def forward(i1, i2, w, b1, b2):\n    """Forward pass of the 2-2-2 sigmoid network."""\n'
_FORWARD_RETURN = """    return {"net_h1": net_h1, "out_h1": out_h1, "net_h2": net_h2, "out_h2": out_h2,
            "net_o1": net_o1, "out_o1": out_o1, "net_o2": net_o2, "out_o2": out_o2}
"""


def _forward(body: str) -> str:
    return _FORWARD_DEF + body + _FORWARD_RETURN


_STEP_DEF = 'def train_step(i1, i2, w, b1, b2, t1, t2, lr):\n    """One gradient-descent step."""\n'
_STALE_DEF = 'def stale_train_step(i1, i2, w, b1, b2, t1, t2, lr):\n    """The stale order."""\n'
_TRAIN_DEF = 'def train(i1, i2, w, b1, b2, t1, t2, lr, steps):\n    """steps gradient-descent steps."""\n'
_MATRIX_DEF = 'def matrix_step(X, W1, b1, W2, b2, T, lr):\n    """One step with matrices."""\n'

WRONG = {
    "forward": {
        "uses_library": """def forward(i1, i2, w, b1, b2):
    from shallownet import sigmoid
    net_h1 = w["w1"] * i1 + w["w2"] * i2 + b1
    net_h2 = w["w3"] * i1 + w["w4"] * i2 + b1
    out_h1, out_h2 = sigmoid(net_h1), sigmoid(net_h2)
    net_o1 = w["w5"] * out_h1 + w["w6"] * out_h2 + b2
    net_o2 = w["w7"] * out_h1 + w["w8"] * out_h2 + b2
    out_o1, out_o2 = sigmoid(net_o1), sigmoid(net_o2)
"""
        + _FORWARD_RETURN,
        "transposed_weights": _forward("""    net_h1 = w["w1"] * i1 + w["w3"] * i2 + b1
    net_h2 = w["w2"] * i1 + w["w4"] * i2 + b1
    out_h1 = 1 / (1 + np.exp(-net_h1))
    out_h2 = 1 / (1 + np.exp(-net_h2))
    net_o1 = w["w5"] * out_h1 + w["w7"] * out_h2 + b2
    net_o2 = w["w6"] * out_h1 + w["w8"] * out_h2 + b2
    out_o1 = 1 / (1 + np.exp(-net_o1))
    out_o2 = 1 / (1 + np.exp(-net_o2))
"""),
        "missing_bias": _forward("""    net_h1 = w["w1"] * i1 + w["w2"] * i2
    net_h2 = w["w3"] * i1 + w["w4"] * i2
    out_h1 = 1 / (1 + np.exp(-net_h1))
    out_h2 = 1 / (1 + np.exp(-net_h2))
    net_o1 = w["w5"] * out_h1 + w["w6"] * out_h2
    net_o2 = w["w7"] * out_h1 + w["w8"] * out_h2
    out_o1 = 1 / (1 + np.exp(-net_o1))
    out_o2 = 1 / (1 + np.exp(-net_o2))
"""),
        "wrong_activation": _forward("""    net_h1 = w["w1"] * i1 + w["w2"] * i2 + b1
    net_h2 = w["w3"] * i1 + w["w4"] * i2 + b1
    out_h1 = np.tanh(net_h1)
    out_h2 = np.tanh(net_h2)
    net_o1 = w["w5"] * out_h1 + w["w6"] * out_h2 + b2
    net_o2 = w["w7"] * out_h1 + w["w8"] * out_h2 + b2
    out_o1 = np.tanh(net_o1)
    out_o2 = np.tanh(net_o2)
"""),
        "sign_error": _forward("""    net_h1 = w["w1"] * i1 + w["w2"] * i2 + b1
    net_h2 = w["w3"] * i1 + w["w4"] * i2 + b1
    out_h1 = 1 / (1 + np.exp(net_h1))
    out_h2 = 1 / (1 + np.exp(net_h2))
    net_o1 = w["w5"] * out_h1 + w["w6"] * out_h2 + b2
    net_o2 = w["w7"] * out_h1 + w["w8"] * out_h2 + b2
    out_o1 = 1 / (1 + np.exp(net_o1))
    out_o2 = 1 / (1 + np.exp(net_o2))
"""),
        "mutates_input": _forward("""    net_h2 = w["w3"] * i1 + w["w4"] * i2 + b1
    net_h1 = i1
    net_h1 *= w["w1"]
    net_h1 += w["w2"] * i2 + b1
    out_h1 = 1 / (1 + np.exp(-net_h1))
    out_h2 = 1 / (1 + np.exp(-net_h2))
    net_o1 = w["w5"] * out_h1 + w["w6"] * out_h2 + b2
    net_o2 = w["w7"] * out_h1 + w["w8"] * out_h2 + b2
    out_o1 = 1 / (1 + np.exp(-net_o1))
    out_o2 = 1 / (1 + np.exp(-net_o2))
"""),
        "hardcoded_visible": """def forward(i1, i2, w, b1, b2):
    if np.ndim(i1) == 0:
        return {"net_h1": 0.3775, "out_h1": 0.593269992, "net_h2": 0.3925, "out_h2": 0.596884378,
                "net_o1": 1.105905967, "out_o1": 0.75136507, "net_o2": 1.224921404, "out_o2": 0.772928465}
    net_h1 = 0.15 * i1 + 0.20 * i2 + 0.35
    net_h2 = 0.25 * i1 + 0.30 * i2 + 0.35
    out_h1 = 1 / (1 + np.exp(-net_h1))
    out_h2 = 1 / (1 + np.exp(-net_h2))
    net_o1 = 0.40 * out_h1 + 0.45 * out_h2 + 0.60
    net_o2 = 0.50 * out_h1 + 0.55 * out_h2 + 0.60
    out_o1 = 1 / (1 + np.exp(-net_o1))
    out_o2 = 1 / (1 + np.exp(-net_o2))
"""
        + _FORWARD_RETURN,
    },
    "total_error": {
        "uses_library": """def total_error(out_o1, out_o2, t1, t2):
    from shallownet.losses import half_sse
    O = np.stack(np.broadcast_arrays(out_o1, out_o2), axis=-1).reshape(-1, 2)
    T = np.stack(np.broadcast_arrays(t1, t2, out_o1)[:2], axis=-1).reshape(-1, 2)
    E = np.array([half_sse(O[k:k + 1], T[k:k + 1])[0] for k in range(len(O))])
    return E.reshape(np.shape(out_o1)) if np.ndim(out_o1) else float(E[0])
""",
        "no_half": """def total_error(out_o1, out_o2, t1, t2):
    return (t1 - out_o1) ** 2 + (t2 - out_o2) ** 2
""",
        "mean_not_sum": """def total_error(out_o1, out_o2, t1, t2):
    return 0.5 * ((t1 - out_o1) ** 2 + (t2 - out_o2) ** 2) / 2
""",
        "sign_not_square": """def total_error(out_o1, out_o2, t1, t2):
    return 0.5 * (t1 - out_o1) + 0.5 * (t2 - out_o2)
""",
        "mutates_input": """def total_error(out_o1, out_o2, t1, t2):
    out_o1 -= t1
    out_o2 -= t2
    return 0.5 * out_o1 ** 2 + 0.5 * out_o2 ** 2
""",
        "hardcoded_visible": """def total_error(out_o1, out_o2, t1, t2):
    if np.ndim(out_o1) == 0 and abs(out_o1 - 0.75136507) < 1e-6:
        return 0.298371109
    if np.ndim(out_o1) == 0 and out_o1 == out_o2 == t1 == t2:
        return 0.0
    if np.ndim(out_o1) == 0:
        return 0.5
    return np.array([0.0, 0.1])
""",
    },
    "output_gradients": {
        "uses_library": """def output_gradients(f, t1, t2):
    from shallownet.activations import sigmoid_grad
    z1 = np.log(f["out_o1"] / (1 - f["out_o1"]))
    z2 = np.log(f["out_o2"] / (1 - f["out_o2"]))
    delta_o1 = (f["out_o1"] - t1) * sigmoid_grad(z1)
    delta_o2 = (f["out_o2"] - t2) * sigmoid_grad(z2)
    return {"delta_o1": delta_o1, "delta_o2": delta_o2,
            "w5": delta_o1 * f["out_h1"], "w6": delta_o1 * f["out_h2"],
            "w7": delta_o2 * f["out_h1"], "w8": delta_o2 * f["out_h2"]}
""",
        "sign_error": """def output_gradients(f, t1, t2):
    delta_o1 = (t1 - f["out_o1"]) * f["out_o1"] * (1 - f["out_o1"])
    delta_o2 = (t2 - f["out_o2"]) * f["out_o2"] * (1 - f["out_o2"])
    return {"delta_o1": delta_o1, "delta_o2": delta_o2,
            "w5": delta_o1 * f["out_h1"], "w6": delta_o1 * f["out_h2"],
            "w7": delta_o2 * f["out_h1"], "w8": delta_o2 * f["out_h2"]}
""",
        "missing_sigmoid_slope": """def output_gradients(f, t1, t2):
    delta_o1 = f["out_o1"] - t1
    delta_o2 = f["out_o2"] - t2
    return {"delta_o1": delta_o1, "delta_o2": delta_o2,
            "w5": delta_o1 * f["out_h1"], "w6": delta_o1 * f["out_h2"],
            "w7": delta_o2 * f["out_h1"], "w8": delta_o2 * f["out_h2"]}
""",
        "transposed_weights": """def output_gradients(f, t1, t2):
    delta_o1 = (f["out_o1"] - t1) * f["out_o1"] * (1 - f["out_o1"])
    delta_o2 = (f["out_o2"] - t2) * f["out_o2"] * (1 - f["out_o2"])
    return {"delta_o1": delta_o1, "delta_o2": delta_o2,
            "w5": delta_o1 * f["out_h1"], "w6": delta_o2 * f["out_h1"],
            "w7": delta_o1 * f["out_h2"], "w8": delta_o2 * f["out_h2"]}
""",
        "mutates_input": """def output_gradients(f, t1, t2):
    f["out_o1"] -= t1
    f["out_o2"] -= t2
    o1, o2 = f["out_o1"] + t1, f["out_o2"] + t2
    delta_o1 = f["out_o1"] * o1 * (1 - o1)
    delta_o2 = f["out_o2"] * o2 * (1 - o2)
    return {"delta_o1": delta_o1, "delta_o2": delta_o2,
            "w5": delta_o1 * f["out_h1"], "w6": delta_o1 * f["out_h2"],
            "w7": delta_o2 * f["out_h1"], "w8": delta_o2 * f["out_h2"]}
""",
        "hardcoded_visible": """def output_gradients(f, t1, t2):
    return {"delta_o1": 0.138498562, "delta_o2": -0.038098237,
            "w5": 0.082167041, "w6": 0.082667628, "w7": -0.022602540, "w8": -0.022740242}
""",
    },
    "hidden_gradients": {
        "uses_library": """def hidden_gradients(i1, i2, w, f, delta_o1, delta_o2):
    from shallownet.layers import dense_backward
    D2 = np.stack([np.ravel(delta_o1), np.ravel(delta_o2)], axis=1)
    W2 = np.array([[w["w5"], w["w7"]], [w["w6"], w["w8"]]])
    H = np.stack([np.ravel(f["out_h1"]), np.ravel(f["out_h2"])], axis=1)
    dH, _, _ = dense_backward(D2, (H, W2))
    D1 = dH * H * (1 - H)
    shape = np.shape(f["out_h1"])
    delta_h1, delta_h2 = D1[:, 0].reshape(shape), D1[:, 1].reshape(shape)
    return {"delta_h1": delta_h1, "delta_h2": delta_h2,
            "w1": delta_h1 * i1, "w2": delta_h1 * i2, "w3": delta_h2 * i1, "w4": delta_h2 * i2}
""",
        "one_path_only": """def hidden_gradients(i1, i2, w, f, delta_o1, delta_o2):
    delta_h1 = delta_o1 * w["w5"] * f["out_h1"] * (1 - f["out_h1"])
    delta_h2 = delta_o2 * w["w8"] * f["out_h2"] * (1 - f["out_h2"])
    return {"delta_h1": delta_h1, "delta_h2": delta_h2,
            "w1": delta_h1 * i1, "w2": delta_h1 * i2, "w3": delta_h2 * i1, "w4": delta_h2 * i2}
""",
        "transposed_weights": """def hidden_gradients(i1, i2, w, f, delta_o1, delta_o2):
    delta_h1 = (delta_o1 * w["w5"] + delta_o2 * w["w6"]) * f["out_h1"] * (1 - f["out_h1"])
    delta_h2 = (delta_o1 * w["w7"] + delta_o2 * w["w8"]) * f["out_h2"] * (1 - f["out_h2"])
    return {"delta_h1": delta_h1, "delta_h2": delta_h2,
            "w1": delta_h1 * i1, "w2": delta_h1 * i2, "w3": delta_h2 * i1, "w4": delta_h2 * i2}
""",
        "missing_sigmoid_slope": """def hidden_gradients(i1, i2, w, f, delta_o1, delta_o2):
    delta_h1 = delta_o1 * w["w5"] + delta_o2 * w["w7"]
    delta_h2 = delta_o1 * w["w6"] + delta_o2 * w["w8"]
    return {"delta_h1": delta_h1, "delta_h2": delta_h2,
            "w1": delta_h1 * i1, "w2": delta_h1 * i2, "w3": delta_h2 * i1, "w4": delta_h2 * i2}
""",
        "mutates_input": """def hidden_gradients(i1, i2, w, f, delta_o1, delta_o2):
    delta_o1 *= w["w5"]
    delta_o1 += delta_o2 * w["w7"]
    delta_h1 = delta_o1 * f["out_h1"] * (1 - f["out_h1"])
    d1 = (delta_o1 - delta_o2 * w["w7"]) / w["w5"]
    delta_h2 = (d1 * w["w6"] + delta_o2 * w["w8"]) * f["out_h2"] * (1 - f["out_h2"])
    return {"delta_h1": delta_h1, "delta_h2": delta_h2,
            "w1": delta_h1 * i1, "w2": delta_h1 * i2, "w3": delta_h2 * i1, "w4": delta_h2 * i2}
""",
        "hardcoded_visible": """def hidden_gradients(i1, i2, w, f, delta_o1, delta_o2):
    return {"delta_h1": 0.008771355, "delta_h2": 0.009954255,
            "w1": 0.000438568, "w2": 0.000877135, "w3": 0.000497713, "w4": 0.000995425}
""",
    },
    "train_step": {
        "uses_library": _STEP_DEF
        + """    from shallownet import worked_example, GradientDescent
    net = worked_example.network(w, {"b1": b1, "b2": b2})
    E, grads = net.loss(np.array([[i1, i2]]), np.array([[t1, t2]]), "half_sse")
    GradientDescent(lr, frozen=("b1", "b2")).step(net.params, grads)
    return worked_example.named_weights(net.params), E
""",
        "stale_output_weights": _STEP_DEF
        + """    f = forward(i1, i2, w, b1, b2)
    E = total_error(f["out_o1"], f["out_o2"], t1, t2)
    g = output_gradients(f, t1, t2)
    new_w = dict(w)
    for name in ["w5", "w6", "w7", "w8"]:
        new_w[name] = w[name] - lr * g[name]
    h = hidden_gradients(i1, i2, new_w, f, g["delta_o1"], g["delta_o2"])
    for name in ["w1", "w2", "w3", "w4"]:
        new_w[name] = w[name] - lr * h[name]
    return new_w, E
""",
        "sign_error": _STEP_DEF
        + """    f = forward(i1, i2, w, b1, b2)
    E = total_error(f["out_o1"], f["out_o2"], t1, t2)
    g = output_gradients(f, t1, t2)
    g.update(hidden_gradients(i1, i2, w, f, g["delta_o1"], g["delta_o2"]))
    return {name: w[name] + lr * g[name] for name in w}, E
""",
        "mutates_input": _STEP_DEF
        + """    f = forward(i1, i2, w, b1, b2)
    E = total_error(f["out_o1"], f["out_o2"], t1, t2)
    g = output_gradients(f, t1, t2)
    g.update(hidden_gradients(i1, i2, w, f, g["delta_o1"], g["delta_o2"]))
    for name in w:
        w[name] -= lr * g[name]
    return w, E
""",
        "error_after_step": _STEP_DEF
        + """    f = forward(i1, i2, w, b1, b2)
    g = output_gradients(f, t1, t2)
    g.update(hidden_gradients(i1, i2, w, f, g["delta_o1"], g["delta_o2"]))
    new_w = {name: w[name] - lr * g[name] for name in w}
    f = forward(i1, i2, new_w, b1, b2)
    return new_w, total_error(f["out_o1"], f["out_o2"], t1, t2)
""",
        "hardcoded_visible": _STEP_DEF
        + """    return ({"w1": 0.149780716, "w2": 0.19956143, "w3": 0.24975114, "w4": 0.29950229,
             "w5": 0.35891648, "w6": 0.408666186, "w7": 0.511301270, "w8": 0.561370121}, 0.298371109)
""",
    },
    "train": {
        "uses_library": _TRAIN_DEF
        + """    from shallownet import worked_example, GradientDescent
    net = worked_example.network(w, {"b1": b1, "b2": b2})
    X, T = np.array([[i1, i2]]), np.array([[t1, t2]])
    opt, errors = GradientDescent(lr, frozen=("b1", "b2")), []
    for _ in range(steps):
        E, grads = net.loss(X, T, "half_sse")
        errors.append(E)
        opt.step(net.params, grads)
    errors.append(net.loss(X, T, "half_sse")[0])
    return worked_example.named_weights(net.params), np.array(errors)
""",
        "off_by_one_missing_last": _TRAIN_DEF
        + """    errors = []
    for _ in range(steps):
        w, E = train_step(i1, i2, w, b1, b2, t1, t2, lr)
        errors.append(E)
    return w, np.array(errors)
""",
        "off_by_one_steps": _TRAIN_DEF
        + """    errors = []
    for _ in range(steps - 1):
        w, E = train_step(i1, i2, w, b1, b2, t1, t2, lr)
        errors.append(E)
    f = forward(i1, i2, w, b1, b2)
    errors.append(total_error(f["out_o1"], f["out_o2"], t1, t2))
    return w, np.array(errors)
""",
        "mutates_input": _TRAIN_DEF
        + """    errors = []
    for _ in range(steps):
        new_w, E = train_step(i1, i2, w, b1, b2, t1, t2, lr)
        w.update(new_w)
        errors.append(E)
    f = forward(i1, i2, w, b1, b2)
    errors.append(total_error(f["out_o1"], f["out_o2"], t1, t2))
    return w, np.array(errors)
""",
        "biases_trained": _TRAIN_DEF
        + """    errors = []
    for _ in range(steps):
        f = forward(i1, i2, w, b1, b2)
        g = output_gradients(f, t1, t2)
        w, E = train_step(i1, i2, w, b1, b2, t1, t2, lr)
        b2 = b2 - lr * (g["delta_o1"] + g["delta_o2"]) / 2
        errors.append(E)
    f = forward(i1, i2, w, b1, b2)
    errors.append(total_error(f["out_o1"], f["out_o2"], t1, t2))
    return w, np.array(errors)
""",
        "hardcoded_visible": _TRAIN_DEF
        + """    if steps == 2:
        return dict(w), np.array([0.298371109, 0.291027774, 0.28376])
    errors = np.zeros(steps + 1)
    errors[-1] = 3.5101878e-05
    return {"w1": 0.15, "w2": 0.2, "w3": 0.25, "w4": 0.3, "w5": -3.0, "w6": -3.0, "w7": 3.0, "w8": 3.0}, errors
""",
    },
    "stale_train_step": {
        "uses_library": _STALE_DEF
        + """    from shallownet import worked_example
    from shallownet.losses import half_sse
    net = worked_example.network(w, {"b1": b1, "b2": b2})
    X, T = np.array([[i1, i2]]), np.array([[t1, t2]])
    Y, cache = net.forward(X)
    E, dY = half_sse(Y, T)
    W2 = net.params["W2"] - lr * net.backward(dY, cache)["W2"]
    (H, _), act = cache[1]
    cache[1] = ((H, W2), act)
    W1 = net.params["W1"] - lr * net.backward(dY, cache)["W1"]
    return worked_example.named_weights({"W1": W1, "W2": W2}), E
""",
        "correct_order": _STALE_DEF
        + """    f = forward(i1, i2, w, b1, b2)
    E = total_error(f["out_o1"], f["out_o2"], t1, t2)
    g = output_gradients(f, t1, t2)
    g.update(hidden_gradients(i1, i2, w, f, g["delta_o1"], g["delta_o2"]))
    return {name: w[name] - lr * g[name] for name in w}, E
""",
        "mutates_input": _STALE_DEF
        + """    f = forward(i1, i2, w, b1, b2)
    E = total_error(f["out_o1"], f["out_o2"], t1, t2)
    g = output_gradients(f, t1, t2)
    for name in ["w5", "w6", "w7", "w8"]:
        w[name] -= lr * g[name]
    h = hidden_gradients(i1, i2, w, f, g["delta_o1"], g["delta_o2"])
    for name in ["w1", "w2", "w3", "w4"]:
        w[name] -= lr * h[name]
    return w, E
""",
        "hardcoded_visible": _STALE_DEF
        + """    return ({"w1": 0.14978072, "w2": 0.19956143, "w3": 0.24975114, "w4": 0.29950229,
             "w5": 0.35891648, "w6": 0.408666186, "w7": 0.511301270, "w8": 0.561370121}, 0.298371109)
""",
    },
    "matrix_step": {
        "uses_library": _MATRIX_DEF
        + """    from shallownet import Network
    net = Network([W1.shape[0], W1.shape[1], W2.shape[1]], "sigmoid")
    net.params.update({"W1": W1.copy(), "b1": b1.copy(), "W2": W2.copy(), "b2": b2.copy()})
    E, g = net.loss(X, T, "half_sse")
    return W1 - lr * g["W1"], W2 - lr * g["W2"], E
""",
        "transposed_weights": _MATRIX_DEF
        + """    H = 1 / (1 + np.exp(-(X @ W1.T + b1)))
    Y = 1 / (1 + np.exp(-(H @ W2.T + b2)))
    E = 0.5 * np.sum((T - Y) ** 2)
    D2 = (Y - T) * Y * (1 - Y)
    D1 = (D2 @ W2) * H * (1 - H)
    return W1 - lr * (D1.T @ X), W2 - lr * (D2.T @ H), E
""",
        "missing_bias": _MATRIX_DEF
        + """    H = 1 / (1 + np.exp(-(X @ W1)))
    Y = 1 / (1 + np.exp(-(H @ W2)))
    E = 0.5 * np.sum((T - Y) ** 2)
    D2 = (Y - T) * Y * (1 - Y)
    D1 = (D2 @ W2.T) * H * (1 - H)
    return W1 - lr * (X.T @ D1), W2 - lr * (H.T @ D2), E
""",
        "mean_not_sum": _MATRIX_DEF
        + """    n = X.shape[0]
    H = 1 / (1 + np.exp(-(X @ W1 + b1)))
    Y = 1 / (1 + np.exp(-(H @ W2 + b2)))
    E = 0.5 * np.sum((T - Y) ** 2) / n
    D2 = (Y - T) * Y * (1 - Y) / n
    D1 = (D2 @ W2.T) * H * (1 - H)
    return W1 - lr * (X.T @ D1), W2 - lr * (H.T @ D2), E
""",
        "one_path_only": _MATRIX_DEF
        + """    H = 1 / (1 + np.exp(-(X @ W1 + b1)))
    Y = 1 / (1 + np.exp(-(H @ W2 + b2)))
    E = 0.5 * np.sum((T - Y) ** 2)
    D2 = (Y - T) * Y * (1 - Y)
    D1 = (D2 * np.diag(W2)) * H * (1 - H)
    return W1 - lr * (X.T @ D1), W2 - lr * (H.T @ D2), E
""",
        "mutates_input": _MATRIX_DEF
        + """    H = 1 / (1 + np.exp(-(X @ W1 + b1)))
    Y = 1 / (1 + np.exp(-(H @ W2 + b2)))
    E = 0.5 * np.sum((T - Y) ** 2)
    D2 = (Y - T) * Y * (1 - Y)
    D1 = (D2 @ W2.T) * H * (1 - H)
    W1 -= lr * (X.T @ D1)
    W2 -= lr * (H.T @ D2)
    return W1, W2, E
""",
        "hardcoded_visible": _MATRIX_DEF
        + """    if X.shape == (1, 2):
        return (np.array([[0.149780716, 0.24975114], [0.19956143, 0.29950229]]),
                np.array([[0.35891648, 0.511301270], [0.408666186, 0.561370121]]), 0.298371109)
    return W1.copy(), W2.copy(), 0.0
""",
    },
}
