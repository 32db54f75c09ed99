"""Wrong answers for 04_gradient_descent: each must lose points on its own test cells (test_<grade_id>*)."""

ASSIGNMENT = "04_gradient_descent"

_GD_STEP = '''def gd_step(w, grad, lr):
    """One step of gradient descent.  w, grad: arrays of the same shape; lr: float -> new w (same shape)."""
'''

_DESCEND = '''def descend(loss_fn, grad_fn, w0, lr, steps, max_loss=1e6):
    """Gradient descent from w0 (d,) -> (path (k+1, d), losses (k+1,), diverged: bool)."""
'''

# The correct descend body with named holes for the loop's mistakes.
_DESCEND_BODY = """    w = START
    path, losses = [w.copy()], [float(loss_fn(w))]
    for _ in range(RANGE):
        STEP
        value = float(loss_fn(w))
        CHECK
        path.append(w.copy())
        losses.append(value)
    return np.array(path), np.array(losses), False
"""
_CHECK = """if not np.isfinite(value) or value > max_loss:
            return np.array(path), np.array(losses), True"""


def _descend(start="np.array(w0, dtype=float)", rng="steps", step="w = w - lr * grad_fn(w)", check=_CHECK):
    body = _DESCEND_BODY.replace("START", start).replace("RANGE", rng).replace("STEP", step).replace("CHECK", check)
    return _DESCEND + body


_DECAYED_LR = '''def decayed_lr(lr0, decay, step):
    """Learning rate at a step: lr0 / (1 + decay * step).  step: int or array -> float or array."""
'''

_MOMENTUM = '''def momentum_step(w, m, grad, lr, mu):
    """One momentum step.  w, m, grad: arrays of one shape; lr, mu: floats -> (w_new, m_new)."""
'''

_WEIGHT_DECAY = '''def weight_decay_step(w, grad, lr, lam):
    """Gradient step with weight decay.  w, grad: arrays of one shape; lr, lam: floats -> new w."""
'''

_TRAIN = '''def train(net, X, Y, lr, steps, momentum=0.0):
    """Full-batch gradient descent with momentum on net's MSE.  X (n, d_in), Y (n, d_out) -> losses (steps,)."""
'''

_TRAIN_BODY = """    velocity = {name: np.zeros_like(value) for name, value in net.params.items()}
    losses = np.zeros(steps)
    for t in range(RANGE):
        LOSS
        RECORD
        for name in net.params:
            net.params[name], velocity[name] = momentum_step(net.params[name], velocity[name],
                                                             grads[name], lr, momentum)
        AFTER
    return losses
"""

_SINE = """SINE = {"hidden": 8, "activation": "tanh", "lr": 0.03, "momentum": 0.95, "steps": 1000}
"""


def _train(
    rng="steps", loss='loss, grads = net.loss(X, Y, "mse")', record="losses[t] = loss", after="pass", sine=_SINE
):
    body = _TRAIN_BODY.replace("RANGE", rng).replace("LOSS", loss).replace("RECORD", record).replace("AFTER", after)
    return _TRAIN + body + "\n\n" + sine


WRONG = {
    "gd_step": {
        "uses_library": _GD_STEP
        + """    from shallownet.optim import GradientDescent
    params = {"w": np.array(w, dtype=float)}
    GradientDescent(lr).step(params, {"w": grad})
    return params["w"]
""",
        "sign_error": _GD_STEP + "    return w + lr * grad\n",
        # rule: results are new arrays; at a stationary point it hands back w itself, so writing into
        # the result changes the caller's weights
        "returns_input_at_stationary_point": _GD_STEP
        + """    if not np.any(grad):
        return w
    return w - lr * grad
""",
        "mutates_input": _GD_STEP + "    w -= lr * grad\n    return w\n",
        "hardcoded_visible": _GD_STEP
        + """    if np.shape(w) == (1,):
        return np.array([0.6])
    return np.array([0.95, -1.9])
""",
        "forgets_lr": _GD_STEP + "    return w - grad\n",
    },
    "descend": {
        "uses_library": _descend(
            step="""from shallownet.optim import GradientDescent
        params = {"w": w}
        GradientDescent(lr).step(params, {"w": grad_fn(w)})"""
        ),
        "mutates_input": _descend(start="w0", step="w -= lr * grad_fn(w)"),
        "hardcoded_visible": _DESCEND
        + """    if lr == 0.25:
        return np.zeros((16, 2)), np.full(16, 1e5), True
    path = np.array([[2.0, 1.0], [1.8, 0.0], [1.62, 0.0], [1.458, 0.0]])
    return path, np.array([7.0, 1.62, 1.3122, 1.062882]), False
""",
        "sign_error": _descend(step="w = w + lr * grad_fn(w)"),
        "off_by_one": _descend(rng="steps - 1"),
        "no_divergence_check": _descend(check="pass"),
        "keeps_diverged_point": _descend(
            check="""if not np.isfinite(value) or value > max_loss:
            path.append(w.copy())
            losses.append(value)
            return np.array(path), np.array(losses), True"""
        ),
        "ignores_max_loss": _descend(
            check="""if not np.isfinite(value):
            return np.array(path), np.array(losses), True"""
        ),
        # found by tests/test_argument_audit.py: the argument max_loss ignored, the default 1e6 used instead
        "fixed_max_loss": _descend(
            check="""if not np.isfinite(value) or value > 1e6:
            return np.array(path), np.array(losses), True"""
        ),
    },
    "decayed_lr": {
        "uses_library": _DECAYED_LR
        + """    from shallownet import optim
    return optim.decayed_lr(lr0, decay, step)
""",
        "missing_one": _DECAYED_LR + "    return lr0 / (decay * step + 1e-12)\n",
        # rule: arrays as well as numbers (the docstring promises an array of steps works)
        "scalars_only": _DECAYED_LR
        + """    import math
    return lr0 * math.pow(1.0 + decay * step, -1.0)
""",
        "off_by_one": _DECAYED_LR + "    return lr0 / (1.0 + decay * (step + 1))\n",
        "linear_decay": _DECAYED_LR + "    return lr0 * (1.0 - decay * step)\n",
        "multiplies": _DECAYED_LR + "    return lr0 * (1.0 + decay * step)\n",
        "hardcoded_visible": _DECAYED_LR
        + """    if step == 10:
        return 0.5
    return lr0
""",
    },
    "momentum_step": {
        "uses_library": _MOMENTUM
        + """    from shallownet.optim import GradientDescent
    opt = GradientDescent(lr, momentum=mu)
    opt.velocity["w"] = np.array(m, dtype=float)
    params = {"w": np.array(w, dtype=float)}
    opt.step(params, {"w": grad})
    return params["w"], opt.velocity["w"]
""",
        "mutates_input": _MOMENTUM
        + """    m *= mu
    m -= lr * grad
    w += m
    return w, m
""",
        "hardcoded_visible": _MOMENTUM
        + """    if np.allclose(m, 0):
        return np.array([0.9, 2.1]), np.array([-0.1, 0.1])
    return np.array([1.35, 1.9]), np.array([0.35, -0.1])
""",
        "sign_error": _MOMENTUM
        + """    m_new = mu * m + lr * grad
    return w + m_new, m_new
""",
        "uses_old_velocity": _MOMENTUM
        + """    m_new = mu * m - lr * grad
    return w + m, m_new
""",
        "forgets_mu": _MOMENTUM
        + """    m_new = m - lr * grad
    return w + m_new, m_new
""",
        "no_state": _MOMENTUM
        + """    m_new = -lr * grad
    return w + m_new, m_new
""",
    },
    "weight_decay_step": {
        "uses_library": _WEIGHT_DECAY
        + """    from shallownet.optim import GradientDescent
    params = {"w": np.array(w, dtype=float)}
    GradientDescent(lr, weight_decay=lam).step(params, {"w": grad})
    return params["w"]
""",
        "mutates_input": _WEIGHT_DECAY + "    w -= lr * (grad + lam * w)\n    return w\n",
        "hardcoded_visible": _WEIGHT_DECAY
        + """    if lam == 0:
        return np.array([1.95, -1.05])
    return np.array([1.85, -1.0])
""",
        "sign_error": _WEIGHT_DECAY + "    return w - lr * (grad - lam * w)\n",
        "decay_outside_lr": _WEIGHT_DECAY + "    return w - lr * grad - lam * w\n",
        "half_lambda": _WEIGHT_DECAY + "    return w - lr * (grad + 0.5 * lam * w)\n",
    },
    "train": {
        "uses_library": _TRAIN
        + """    from shallownet.optim import GradientDescent
    opt = GradientDescent(lr, momentum=momentum)
    losses = []
    for _ in range(steps):
        loss, grads = net.loss(X, Y, "mse")
        losses.append(loss)
        opt.step(net.params, grads)
    return np.array(losses)


"""
        + _SINE,
        "mutates_input": _train(loss='X /= 1.0 + 1e-3\n        loss, grads = net.loss(X, Y, "mse")'),
        "hardcoded_visible": _TRAIN
        + """    net.params["W"] = np.array([[2.242740740741]])
    net.params["b"] = np.array([1.517111111111])
    return np.array([11.666666666667, 3.207407407407, 0.040378600823])


"""
        + _SINE,
        "off_by_one": _train(rng="steps - 1"),
        "loss_after_update": _train(record="pass", after='losses[t] = net.loss(X, Y, "mse")[0]'),
        "no_momentum_state": _train(after="velocity = {name: np.zeros_like(v) for name, v in velocity.items()}"),
        "linear_activation": _train(sine=_SINE.replace('"tanh"', '"linear"').replace("0.03", "0.002")),
        "too_few_steps": _train(sine=_SINE.replace('"steps": 1000', '"steps": 100')),
        "over_budget": _train(sine=_SINE.replace('"steps": 1000', '"steps": 3000')),
        "diverging_lr": _train(sine=_SINE.replace('"lr": 0.03', '"lr": 0.5')),
    },
}
