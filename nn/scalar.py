"""Networks of single numbers: every weight is a ``Value``, every neuron is drawn in the graph.

Slow, and meant to be: each multiplication is a node you can look at.  For real data use the
tensor layers in :mod:`nn.layers`.

    >>> from nn import MLP
    >>> net = MLP(2, [4, 4, 1], seed=0)
    >>> net
    MLP(2 -> [4, 4, 1], activation='relu')  # 37 parameters
      (layers.0): Layer(2 -> 4, relu)  # 12 parameters
      (layers.1): Layer(4 -> 4, relu)  # 20 parameters
      (layers.2): Layer(4 -> 1, linear)  # 5 parameters
    >>> y = net([1.0, -2.0])
    >>> y.backward()
    >>> type(y).__name__, len(net.parameters())
    ('Value', 37)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from autograd.graph import _is_finite, _short
from autograd.ops import check_flag, is_node
from autograd.value import Value

from . import init
from .checks import check_epochs, check_number, real_array
from .data import as_array
from .module import Module

ACTIVATIONS = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "step": Value.step,
    "linear": None,
}


def _check_activation(name: str) -> str:
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}; got {name!r}")
    return name


def _check_width(n: Any, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{what} must be a positive int, got {n!r}")
    return int(n)


def _check_sample(model: Module, x: Any, hint: str = "") -> None:
    """A scalar network takes one sample, a list of numbers or Values.  A Tensor, or a batch
    (an array or list of rows), is named as such: else the error is a count of inputs that
    matches nothing the user typed ("takes 2 inputs, got 4" for 4 rows of 2)."""
    name = type(model).__name__
    if is_node(x) and not isinstance(x, Value):  # a Tensor
        one = " (or pass one sample as a list: net(x.data.tolist()))" if x.data.ndim == 1 else ""
        raise TypeError(
            f"{name}({model.extra_repr()}) is a scalar model: it takes numbers or Values, got a "
            f"{type(x).__name__} of shape {x.shape}; for Tensors use nn.Linear / nn.Sequential{one}"
        ) from None
    if (isinstance(x, np.ndarray) and x.ndim > 1) or (
        isinstance(x, (list, tuple)) and x and isinstance(x[0], (list, tuple, np.ndarray))
    ):
        try:
            shape = str(np.shape(x))
        except ValueError:  # ragged rows
            shape = f"({len(x)}, ...)"
        raise ValueError(
            f"{name}({model.extra_repr()}) got a batch of shape {shape}; the scalar {name} takes "
            f"one sample: [net(x) for x in X]{hint}"
        ) from None


def _micrograds(nonlin: Any, activation: str | bool | None, owner: str) -> str:
    """The activation, from ``activation`` (default ReLU) or micrograd's ``nonlin`` switch (True
    is ReLU, False linear), also given where micrograd puts it, after ``nin``: Neuron(3, False)."""
    if isinstance(activation, bool | np.bool_) and nonlin is None:
        activation, nonlin = None, activation
    if nonlin is None:
        return "relu" if activation is None else activation
    check_flag(owner, "nonlin", nonlin)
    if activation is not None:
        raise ValueError(f"{owner}: give activation= or micrograd's nonlin=, not both (got activation="
                         f"{activation!r}, nonlin={nonlin!r})")
    return "relu" if nonlin else "linear"


class Neuron(Module):
    """One unit: ``activation(w . x + b)``, weights uniform on [-1, 1] (as micrograd), bias 0.

    ``activation`` is ``'relu'``, ``'tanh'``, ``'sigmoid'``, ``'step'`` or ``'linear'``;
    micrograd's ``nonlin=True``/``False`` means ``'relu'``/``'linear'``.

    >>> n = Neuron(2, activation='tanh', seed=0)
    >>> n
    Neuron(2, tanh)  # 3 parameters
    >>> out = n([1.0, 0.5])
    >>> out.op, round(out.data, 4)
    ('tanh', 0.0437)
    """

    def __init__(
        self, nin: int, activation: str | None = None, seed: int | np.random.Generator | None = None,
        *, nonlin: bool | None = None,
    ) -> None:
        nin = _check_width(nin, "nin")
        self.activation = _check_activation(_micrograds(nonlin, activation, "Neuron"))
        self.w = [Value(float(x)) for x in init.uniform((nin,), 1.0, seed)]
        self.b = Value(0.0)

    def forward(self, x: Sequence[Any]) -> Value:
        if not hasattr(x, "__len__") or len(x) != len(self.w):
            _check_sample(self, x)  # a batch or a Tensor is named as such
        if not hasattr(x, "__len__"):
            raise TypeError(
                f"{self._name()} takes a list of {len(self.w)} inputs, got {type(x).__name__} {x!r:.40}"
            )
        if len(x) != len(self.w):
            raise ValueError(f"{self._name()} takes {len(self.w)} inputs, got {len(x)}")
        try:
            act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        except TypeError:  # rows of a batch, or a Tensor's elements, met a Value
            _check_sample(self, x)
            raise
        f = ACTIVATIONS[self.activation]
        return f(act) if f is not None else act

    def _name(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"

    def extra_repr(self) -> str:
        return f"{len(self.w)}, {self.activation}"


class Layer(Module):
    """``nout`` neurons, all reading the same ``nin`` inputs.

    Returns a list of Values, or a single Value when ``nout == 1`` (as micrograd does).

    >>> layer = Layer(3, 2, activation='sigmoid', seed=0)
    >>> [round(v.data, 4) for v in layer([1.0, 2.0, 3.0])]
    [0.0323, 0.9406]
    """

    _repr_children = False

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str | None = None,
        seed: int | np.random.Generator | None = None,
        *,
        nonlin: bool | None = None,
    ) -> None:
        nout = _check_width(nout, "nout")
        activation = _micrograds(nonlin, activation, "Layer")
        rng = init.generator(seed)
        self.neurons = [Neuron(nin, activation, seed=rng) for _ in range(nout)]

    def forward(self, x: Sequence[Any]) -> Value | list[Value]:
        try:
            out = [n(x) for n in self.neurons]
        except (TypeError, ValueError):  # checked only on failure: a forward pays nothing for it
            _check_sample(self, x)
            raise
        return out[0] if len(out) == 1 else out

    def extra_repr(self) -> str:
        n = self.neurons[0]
        return f"{len(n.w)} -> {len(self.neurons)}, {n.activation}"


class MLP(Module):
    """A multi-layer perceptron of Values: ``MLP(nin, [sizes...])``.

    Hidden layers use ``activation``; the last layer uses ``out_activation`` (linear by
    default, as micrograd).  Returns a single Value when the last size is 1.

    >>> net = MLP(3, [4, 2], activation='tanh', out_activation='sigmoid', seed=1)
    >>> [round(v.data, 4) for v in net([0.5, -1.0, 2.0])]
    [0.6064, 0.6426]
    >>> net([[0.5, -1.0, 2.0], [1.0, 0.0, 0.0]])
    Traceback (most recent call last):
    ...
    ValueError: MLP(...) got a batch of shape (2, 3); the scalar MLP takes one sample: [net(x) for x in X]
    """

    def __init__(
        self,
        nin: int,
        sizes: Sequence[int],
        activation: str = "relu",
        out_activation: str = "linear",
        seed: int | np.random.Generator | None = None,
    ) -> None:
        if isinstance(sizes, (int, np.integer)) or not len(sizes):
            raise ValueError(f"sizes must be a non-empty list of layer widths, got {sizes!r}")
        _check_activation(activation)
        _check_activation(out_activation)
        rng = init.generator(seed)
        widths = [nin, *sizes]
        acts = [activation] * (len(sizes) - 1) + [out_activation]
        self.layers = [Layer(widths[i], widths[i + 1], acts[i], seed=rng) for i in range(len(sizes))]
        self.activation = activation
        self.out_activation = out_activation

    def forward(self, x: Sequence[Any]) -> Value | list[Value]:
        sample = x
        try:
            for layer in self.layers:
                x = layer(x)
                if isinstance(x, Value):
                    x = [x]
        except (TypeError, ValueError):  # a batch or a Tensor: named by the outermost model
            _check_sample(self, sample)
            raise
        return x[0] if len(x) == 1 else x

    def extra_repr(self) -> str:
        nin = len(self.layers[0].neurons[0].w)
        sizes = [len(layer.neurons) for layer in self.layers]
        out = "" if self.out_activation == "linear" else f", out_activation={self.out_activation!r}"
        return f"{nin} -> {sizes}, activation={self.activation!r}{out}"


class PerceptronFit(NamedTuple):
    """What :meth:`Perceptron.fit` did: misclassified samples per epoch, and whether it
    reached an epoch without a mistake (the last entry of ``errors`` is then 0)."""

    errors: list[int]
    converged: bool


class Perceptron(Module):
    """Rosenblatt's perceptron: the McCulloch-Pitts unit ``y = step(w . x + b)`` (1 if
    ``w . x + b >= 0``, else 0), trained by the perceptron learning rule, not by gradients::

        for each sample x with label y (0 or 1):
            error = y - step(w . x + b)        # -1, 0 or +1
            w += lr * error * x
            b += lr * error

    It finds a separating line whenever there is one (the perceptron convergence theorem),
    and never can for XOR:

    >>> from nn.data import gate
    >>> p = Perceptron(2)
    >>> X, y = gate('and')
    >>> p.fit(X, y, epochs=20)
    PerceptronFit(errors=[2, 3, 3, 2, 1, 0], converged=True)
    >>> p.predict(X).tolist()
    [0, 0, 0, 1]
    >>> Perceptron(2).fit(*gate('xor'), epochs=20).converged
    False

    Weights start at 0 unless ``seed`` is given (then uniform on [-1, 1]).
    """

    def __init__(self, nin: int, seed: int | np.random.Generator | None = None) -> None:
        nin = _check_width(nin, "nin")
        start = np.zeros(nin) if seed is None else init.uniform((nin,), 1.0, seed)
        self.w = [Value(float(x)) for x in start]
        self.b = Value(0.0)

    def forward(self, x: Sequence[Any]) -> Value:
        """The unit as a graph: ``step(w . x + b)`` (its gradient is 0 everywhere)."""
        _check_sample(self, x, ", or p.predict(X) for the 0/1 predictions")
        if len(x) != len(self.w):
            raise ValueError(f"Perceptron takes {len(self.w)} inputs, got {len(x)}")
        return sum((wi * xi for wi, xi in zip(self.w, x)), self.b).step()

    def _weights(self) -> tuple[np.ndarray, float]:
        return np.array([w.data for w in self.w]), self.b.data

    def _inputs(self, X: Any, what: str) -> np.ndarray:
        # (complex: numpy drops the imaginary parts with a warning only; Values, Fractions: numbers)
        X = np.atleast_2d(real_array(as_array(X, f"Perceptron.{what}: X"), f"Perceptron.{what}: X"))
        if not _is_finite(X):  # nan or inf turns every weight nan, and every prediction 0
            raise ValueError(f"Perceptron.{what}: X must be finite numbers, got {_short(X)}")
        return X

    def predict(self, X: Any) -> np.ndarray:
        """0/1 predictions for the rows of ``X`` (one row gives a 1-element array)."""
        X = self._inputs(X, "predict")
        if X.shape[1] != len(self.w):
            raise ValueError(f"Perceptron takes {len(self.w)} inputs, got rows of {X.shape[1]}")
        w, b = self._weights()
        return (X @ w + b >= 0).astype(int)

    def fit(self, X: Any, y: Any, epochs: int = 100, lr: float = 1.0) -> PerceptronFit:
        """Rosenblatt's rule, sample by sample in order, for at most ``epochs`` passes; stops
        after the first pass with no mistake.  ``lr`` must be a finite number > 0."""
        check_epochs("Perceptron.fit", epochs)
        check_number("Perceptron.fit", "lr", lr, "> 0", lambda v: v > 0)  # nan: every weight nan
        X = self._inputs(X, "fit")
        y = np.asarray(y).reshape(-1)
        if X.shape != (len(y), len(self.w)):
            raise ValueError(
                f"X must have shape (samples, {len(self.w)}) and y one label per row; "
                f"got X {X.shape} and y {y.shape}"
            )
        if not np.isin(y, (0, 1)).all():
            raise ValueError(f"labels must be 0 or 1, got {sorted(set(y.tolist()))}")
        y = y.astype(np.int64)  # unsigned labels (uint8, as image files store them) would wrap at 0 - 1
        w, b = self._weights()
        errors = []
        for _ in range(epochs):
            mistakes = 0
            for xi, yi in zip(X, y):
                error = yi - (1 if xi @ w + b >= 0 else 0)
                if error:
                    w = w + lr * error * xi
                    b = b + lr * error
                    mistakes += 1
            errors.append(mistakes)
            if mistakes == 0:
                break
        for wv, x in zip(self.w, w):
            wv.data = float(x)
        self.b.data = float(b)
        return PerceptronFit(errors, bool(errors) and errors[-1] == 0)

    def extra_repr(self) -> str:
        return f"{len(self.w)}"


__all__ = ["ACTIVATIONS", "Layer", "MLP", "Neuron", "Perceptron", "PerceptronFit"]
