"""Neural networks on the autograd engine: the perceptron, MLPs and CNNs of the lectures.

Scalar networks (every weight a ``Value``, every step visible) and tensor layers (numpy
``Tensor``s, fast enough for real digits), with PyTorch's names::

    >>> import nn
    >>> from nn.optim import SGD
    >>> from nn.losses import mse
    >>> net = nn.MLP(2, [8, 1], activation='tanh', seed=0)
    >>> X, y = nn.data.gate('xor')
    >>> opt = SGD(net.parameters(), lr=0.1, momentum=0.9)
    >>> for step in range(100):
    ...     loss = mse([net(x) for x in X.tolist()], y)
    ...     opt.zero_grad()
    ...     loss.backward()
    ...     opt.step()
    >>> [round(net(x).data) for x in X.tolist()]
    [0, 1, 1, 0]

- :mod:`nn.module`: ``Module`` (parameters, zero_grad, train/eval, state_dict, save/load)
- :mod:`nn.scalar`: ``Neuron``, ``Layer``, ``MLP``, ``Perceptron`` on Values
- :mod:`nn.layers`, :mod:`nn.conv`: ``Linear``, ``Sequential``, activations, ``Conv1d``,
  ``Conv2d``, ``MaxPool2d``, ``Dropout``, ``Flatten`` on Tensors
- :mod:`nn.losses`, :mod:`nn.optim`, :mod:`nn.data`, :mod:`nn.train` (``fit``, ``History``)
"""

from . import data, init, losses, optim
from .conv import Conv1d, Conv2d
from .init import manual_seed
from .layers import (
    Dropout,
    Flatten,
    Identity,
    Linear,
    LogSoftmax,
    MaxPool2d,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)
from .module import Module
from .scalar import MLP, Layer, Neuron, Perceptron
from .train import History, evaluate, fit

__all__ = [
    "MLP",
    "Conv1d",
    "Conv2d",
    "Dropout",
    "Flatten",
    "History",
    "Identity",
    "Layer",
    "Linear",
    "LogSoftmax",
    "MaxPool2d",
    "Module",
    "Neuron",
    "Perceptron",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "data",
    "evaluate",
    "fit",
    "init",
    "losses",
    "manual_seed",
    "optim",
]
