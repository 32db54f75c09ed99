"""shallownet: the course's reference implementation of shallow neural networks in numpy.

Modules (one idea each):
    kernels        every formula once, unchecked: what the modules below, Network, fit and the pictures run
    activations    element-wise activations and their derivatives, stable softmax (checked)
    losses         ½Σ(t−o)², MSE, binary and softmax cross-entropy, each with its gradient
    layers         the layer contract: dense_forward/backward, activation_forward/backward
    network        Network: any depth, params W1, b1, …, forward/backward with caches
    optim          GradientDescent: plain, momentum, lr decay, weight decay, frozen params
    train          minibatches, train_val_split, accuracy, fit (validation, early stopping)
    gradcheck      numerical_gradient (central differences), rel_error
    data           truth tables, sine, two clouds, two moons, two spirals, parabola vs random, one_hot
    surfaces       the two-parameter loss surfaces of notebook 04 and the descent path on them
    graphs         the computational graphs of notebook 03, the gradient per layer of a deep network
    worked_example the 2-2-2 network with inputs 0.05/0.10 and targets 0.01/0.99, its training history
    check          the helper behind every notebook test cell
    widgets        the notebook pictures (one module per notebook)

The instructor's toolkit (release, grading, sandbox, demo, benchmarks) is the separate
package ``coursekit`` beside this one; students never need it.
"""

from . import activations, data, gradcheck, graphs, kernels, layers, losses, optim, surfaces, train, worked_example
from .activations import heaviside, identity, leaky_relu, relu, sigmoid, softmax, softplus, tanh
from .gradcheck import numerical_gradient, rel_error
from .layers import activation_backward, activation_forward, dense_backward, dense_forward
from .network import Network
from .optim import GradientDescent
from .train import accuracy, fit, minibatches, train_val_split

__all__ = [
    "GradientDescent",
    "Network",
    "accuracy",
    "activation_backward",
    "activation_forward",
    "activations",
    "data",
    "dense_backward",
    "dense_forward",
    "fit",
    "gradcheck",
    "graphs",
    "heaviside",
    "identity",
    "kernels",
    "layers",
    "leaky_relu",
    "losses",
    "minibatches",
    "numerical_gradient",
    "optim",
    "rel_error",
    "relu",
    "sigmoid",
    "softmax",
    "softplus",
    "surfaces",
    "tanh",
    "train",
    "train_val_split",
    "worked_example",
]
