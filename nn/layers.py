"""Tensor layers: whole arrays per step, samples along the first axis, PyTorch's names and shapes.

    >>> import numpy as np
    >>> from nn import Sequential, Linear, ReLU
    >>> net = Sequential(Linear(64, 32, seed=0), ReLU(), Linear(32, 10, seed=1))
    >>> net
    Sequential()  # 2,410 parameters
      (0): Linear(64 -> 32)  # 2,080 parameters
      (1): ReLU()
      (2): Linear(32 -> 10)  # 330 parameters
    >>> net(np.zeros((5, 64))).shape
    (5, 10)
    >>> [name for name, _ in net.named_parameters()]
    ['0.weight', '0.bias', '2.weight', '2.bias']

A layer takes a ``Tensor`` (or an array, which becomes a constant Tensor) and returns a
``Tensor``.  Weights are stored as PyTorch stores them (``Linear.weight`` is
``(out_features, in_features)``), so state dicts carry over name for name.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from typing import Any

import numpy as np

from autograd.tensor import Tensor, int_tuple, linear, max_pool2d, pool_options

from .init import generator, init_weights
from .module import Module, ParameterName


def as_tensor(x: Any, dtype: Any = None) -> Tensor:
    """``x`` itself if it is a Tensor, else a constant Tensor of it.

    With ``dtype`` (a layer's), data that is not a graph node is cast to it, so a float32 layer
    given float64 arrays (numpy's default) still computes in float32, as a Keras layer casts
    its inputs (PyTorch raises instead).  A graph node of another dtype is used as it is.

    >>> as_tensor(np.ones(2), dtype=np.float32).dtype
    dtype('float32')
    """
    if not isinstance(x, Tensor):
        same = dtype is None or getattr(x, "dtype", None) == dtype
        return Tensor(x) if same else Tensor(x, dtype=dtype)  # one conversion, one nan check
    if dtype is None or x.requires_grad or x.data.dtype == dtype:
        return x
    return x.astype(dtype)


def parameter(data: np.ndarray, dtype: Any, name: str) -> Tensor:
    """A layer's parameter, labelled ``name`` until the model that holds it names it in full."""
    return Tensor(data, requires_grad=True, label=ParameterName(name), dtype=dtype)


def _positive(n: Any, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{what} must be a positive int, got {n!r}")
    return int(n)


class Linear(Module):
    """A fully connected layer: ``y = x @ weight.T + bias``.

    ``init`` chooses the starting weights (see :mod:`nn.init`): ``'xavier'`` (default),
    ``'he'`` (for ReLU networks), ``'normal'`` (Nielsen's N(0, 1) weights and biases) or
    ``'torch'`` (PyTorch's default).  ``seed`` makes them repeatable.

    >>> layer = Linear(3, 2, seed=0)
    >>> layer.weight.shape, layer.bias.shape
    ((2, 3), (2,))
    >>> layer([[1.0, 2.0, 3.0]]).shape
    (1, 2)
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        init: str = "xavier",
        seed: int | np.random.Generator | None = None,
        dtype: Any = np.float64,
    ) -> None:
        self.in_features = _positive(in_features, "in_features")
        self.out_features = _positive(out_features, "out_features")
        self.init = init
        shape = (self.out_features, self.in_features)
        w, b = init_weights(shape, self.in_features, self.out_features, init, seed)
        self.weight = parameter(w, dtype, "weight")
        self.bias = parameter(b, dtype, "bias") if bias else None

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x, self.weight.dtype)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"Linear({self.in_features} -> {self.out_features}) got input of shape {x.shape}; "
                f"its last axis must be {self.in_features}"
            )
        return linear(x, self.weight, self.bias)  # one node: x @ weight.T + bias

    def extra_repr(self) -> str:
        extra = "" if self.bias is not None else ", bias=False"
        return f"{self.in_features} -> {self.out_features}{extra}"


def _check_layer(layer: Any, what: str) -> None:
    if isinstance(layer, type):  # ReLU for ReLU(): callable, but calling it makes a new layer
        raise TypeError(f"Sequential: {what} is the class {layer.__name__}, not a layer; "
                        f"write {layer.__name__}() with its arguments")
    if not callable(layer):
        raise TypeError(f"Sequential: {what} is a {type(layer).__name__}, not a layer")


class Sequential(Module):
    """Layers applied one after the other; indexable like a list.  Parameter names are
    ``'0.weight'``, ``'0.bias'``, ... as in PyTorch.

    >>> from nn import Tanh
    >>> net = Sequential(Linear(2, 3, seed=0), Tanh())
    >>> len(net), type(net[1]).__name__
    (2, 'Tanh')
    """

    def __init__(self, *layers: Module) -> None:
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            _check_layer(layer, f"item {i}")
        self.layers = list(layers)

    _numbers: list[int] | None = None  # a slice's layers keep their numbers: net[2:] starts at 2

    def _layer_numbers(self) -> list[int]:
        numbers = self._numbers
        if numbers is None or len(numbers) != len(self.layers):  # (.layers resized by hand: 0, 1, ...)
            return list(range(len(self.layers)))
        return numbers

    def _numbered(self) -> Iterator[tuple[str, Any]]:
        return ((str(k), layer) for k, layer in zip(self._layer_numbers(), self.layers))

    def _members(self) -> Iterator[tuple[str, Any]]:
        for name, value in vars(self).items():
            if name not in ("layers", "_numbers"):
                yield name, value
        yield from self._numbered()

    def _parts(self) -> Iterator[tuple[str, Any]]:
        return self._numbered()  # functions too, by name

    def forward(self, x: Any) -> Any:
        for i, layer in enumerate(self.layers):
            try:
                x = layer(x)
            except (ValueError, TypeError) as err:
                if type(err) not in (ValueError, TypeError):  # (a subclass may take other arguments)
                    raise
                name = (f"{type(layer).__name__}({layer.extra_repr()})" if isinstance(layer, Module)
                        else getattr(layer, "__name__", type(layer).__name__))
                kind = name.split("(")[0]  # most layers' messages start "Linear(...)" or "Conv2d:"
                named = str(err).startswith((kind + "(", kind + ":"))
                where = f"Sequential item {i}" + ("" if named else f", {name}")
                raise type(err)(f"{where}: {err}") from err
        return x

    def __getitem__(self, i: int | slice) -> Any:
        """A layer, or a slice as a Sequential whose layers keep their names (``net[2:]``'s
        first layer's weight is ``2.weight``, as in PyTorch and in the labels ``net`` gave)."""
        if not isinstance(i, slice):
            return self.layers[i]
        part = Sequential(*self.layers[i])
        part._numbers = self._layer_numbers()[i]
        return part

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.layers)

    def append(self, layer: Module) -> Sequential:
        """Add a layer at the end; returns self."""
        _check_layer(layer, f"item {len(self.layers)}")
        if self._numbers is not None:  # the next free number: net[::-1] holds 2, 1, 0
            self._numbers = self._layer_numbers() + [max(self._layer_numbers(), default=-1) + 1]
        self.layers.append(layer)
        self.layers = self.layers  # (a change of parts: the next call labels the new layer's parameters)
        return self


class ReLU(Module):
    """``max(0, x)`` elementwise.

    >>> ReLU()(np.array([-2.0, 0.0, 3.0])).data
    array([0., 0., 3.])
    """

    def forward(self, x: Any) -> Tensor:
        return as_tensor(x).relu()


class Sigmoid(Module):
    """``1 / (1 + e**-x)`` elementwise.

    >>> Sigmoid()(np.array([0.0])).data
    array([0.5])
    """

    def forward(self, x: Any) -> Tensor:
        return as_tensor(x).sigmoid()


class Tanh(Module):
    """``tanh(x)`` elementwise.

    >>> Tanh()(np.array([0.0, 100.0])).data
    array([0., 1.])
    """

    def forward(self, x: Any) -> Tensor:
        return as_tensor(x).tanh()


class Softmax(Module):
    """``exp(x) / sum(exp(x))`` along ``axis`` (the classes, by default the last axis;
    None: over every element, as ``Tensor.softmax``).

    Train on raw scores with ``cross_entropy`` (which includes the softmax); use this layer
    to turn scores into probabilities.

    >>> Softmax()(np.array([[0.0, np.log(3.0)]])).data
    array([[0.25, 0.75]])
    """

    def __init__(self, axis: int | None = -1) -> None:
        self.axis = axis

    def forward(self, x: Any) -> Tensor:
        return as_tensor(x).softmax(axis=self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class LogSoftmax(Module):
    """``log(softmax(x))`` along ``axis``, computed stably.

    >>> LogSoftmax()(np.array([[0.0, 0.0]])).data.round(4)
    array([[-0.6931, -0.6931]])
    """

    def __init__(self, axis: int | None = -1) -> None:
        self.axis = axis

    def forward(self, x: Any) -> Tensor:
        return as_tensor(x).log_softmax(axis=self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class Identity(Module):
    """Passes its input through unchanged.

    >>> t = Tensor([1.0]); Identity()(t) is t
    True
    """

    def forward(self, x: Any) -> Any:
        return x


class Flatten(Module):
    """Flatten the axes from ``start_dim`` to ``end_dim`` into one (by default every axis but the
    sample axis 0), as PyTorch's.

    >>> Flatten()(np.zeros((2, 3, 4, 5))).shape, Flatten(1, 2)(np.zeros((2, 3, 4, 5))).shape
    ((2, 60), (2, 12, 5))
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        for name, dim in (("start_dim", start_dim), ("end_dim", end_dim)):
            if not isinstance(dim, numbers.Integral) or isinstance(dim, bool):
                raise TypeError(f"Flatten: {name} must be an int, got {type(dim).__name__} {dim!r:.40}")
        self.start_dim = int(start_dim)
        self.end_dim = int(end_dim)

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        n = max(x.ndim, 1)  # a 0-d input flattens to shape (1,), as torch's
        # refused, as torch: taken modulo, Flatten(2) of (N, features) merged the samples into
        # one row, and Flatten() of one sample (features,) returned it unchanged
        for name, dim in (("start_dim", self.start_dim), ("end_dim", self.end_dim)):
            if not -n <= dim < n:
                hint = "; Flatten keeps the batch axis 0: for one sample pass x.reshape(1, -1)"
                hint = hint if x.ndim < 2 else ""
                raise ValueError(f"Flatten: {name}={dim} is out of range for input of shape {x.shape}{hint}")
        start, end = self.start_dim % n, self.end_dim % n
        if start > end:
            raise ValueError(f"Flatten: start_dim={self.start_dim} comes after end_dim={self.end_dim} for "
                             f"input of shape {x.shape}")
        # the size written out: of 0 samples, numpy cannot infer a -1
        return x.reshape(x.shape[:start] + (math.prod(x.shape[start:end + 1]),) + x.shape[end + 1:])

    def extra_repr(self) -> str:
        dims = [f"start_dim={self.start_dim}"] if self.start_dim != 1 else []
        return ", ".join(dims + ([f"end_dim={self.end_dim}"] if self.end_dim != -1 else []))


class Dropout(Module):
    """In training mode, zero each element with probability ``p`` and scale the rest by
    ``1 / (1 - p)`` (so the expected value is unchanged); in eval mode, do nothing.

    >>> drop = Dropout(0.5, seed=0)
    >>> drop(np.ones((1, 6))).data
    array([[2., 0., 0., 0., 2., 2.]])
    >>> drop.eval()(np.ones((1, 6))).data
    array([[1., 1., 1., 1., 1., 1.]])
    """

    def __init__(self, p: float = 0.5, seed: int | np.random.Generator | None = None) -> None:
        if not isinstance(p, numbers.Real) or isinstance(p, bool):
            raise TypeError(f"Dropout: p must be a number in [0, 1), got {type(p).__name__} {p!r:.40}")
        if not 0 <= p < 1:
            raise ValueError(f"Dropout: p must be in [0, 1), got {p!r}")
        self.p = float(p)
        self._rng = generator(seed) if seed is not None else None

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        if not self.training or self.p == 0:
            return x
        rng = self._rng if self._rng is not None else generator(None)
        keep = rng.random(x.shape) >= self.p
        return x * Tensor(keep / (1.0 - self.p), dtype=x.dtype)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class MaxPool2d(Module):
    """The largest value of each ``kernel_size`` window (stride = kernel by default), as
    PyTorch's; input ``(N, C, H, W)``.

    >>> MaxPool2d(2)(np.arange(16.0).reshape(1, 1, 4, 4)).data
    array([[[[ 5.,  7.],
             [13., 15.]]]])
    """

    def __init__(
        self, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None,
        padding: Any = 0, dilation: Any = 1, return_indices: bool = False, ceil_mode: bool = False,
    ) -> None:  # (PyTorch's arguments in its order: the ones not supported here say so, now)
        int_tuple(kernel_size, 2, "MaxPool2d: kernel_size", 1)  # checked now, as Conv2d's, not at the call
        if stride is not None:
            int_tuple(stride, 2, "MaxPool2d: stride", 1)
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride  # (as torch's attribute)
        pool_options(padding, dilation, ceil_mode, return_indices)

    def forward(self, x: Any) -> Tensor:
        return max_pool2d(as_tensor(x), self.kernel_size, self.stride)

    def extra_repr(self) -> str:
        extra = "" if self.stride == self.kernel_size else f", stride={self.stride}"
        return f"kernel_size={self.kernel_size}{extra}"


__all__ = [
    "Dropout",
    "Flatten",
    "Identity",
    "Linear",
    "LogSoftmax",
    "MaxPool2d",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "as_tensor",
]
