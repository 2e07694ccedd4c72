"""``Value``: one number in a computation graph.

    >>> from autograd import Value
    >>> x = Value(2.0, label='x')
    >>> y = x * x + 3 * x; y.label = 'y'
    >>> y.backward()
    >>> y, x
    (Value(data=10.0000, grad=1.0000, label='y', op='+'), Value(data=2.0000, grad=7.0000, label='x'))
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from . import ops
from .backprop import reraise_clearer
from .display import number
from .graph import backward, check_forward
from .mode import MODE
from .node import Node
from .ops import apply_ufunc, is_node, mixed_nodes_error, refuse_text_or_none, warn_off_the_graph

_new = object.__new__


def _to_float(data: Any, what: str = "Value()") -> float:
    """Check user input: a real number (not nan) becomes a float; anything else is a TypeError."""
    if isinstance(data, Value):
        raise TypeError(f"{what} got a Value; Value(v.data) makes a new variable (v.detach() a constant)")
    if isinstance(data, np.ndarray | np.generic) and data.ndim == 0:  # a number, as beside an operator
        data = data.item()
    if isinstance(data, numbers.Real):
        value = ops.to_float(data, f"the number {what} got")  # (10**400: past a float's range)
    elif hasattr(data, "shape") or isinstance(data, (list, tuple)):
        shape = getattr(data, "shape", None)
        kind = f"{type(data).__name__}" + (f" of shape {tuple(shape)}" if shape is not None else "")
        raise TypeError(f"{what} takes one real number, got a {kind}; use Tensor for arrays")
    else:
        raise TypeError(f"{what} takes one real number, got {type(data).__name__} {data!r:.40}")
    if value != value:
        raise ValueError(f"{what} got nan; a graph built on nan gives nan everywhere")
    return value


def _result(op: type, data: float, parents: tuple, ctx: Any = None) -> Value:
    """A new op node: the hot path of every forward op, so it does as little as possible."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v.parents = parents
    v._op = op
    v._ctx = ctx
    if MODE.special:
        if MODE.anomaly:
            check_forward(v)
        if not MODE.grad_enabled:
            return _leaf(data, _NO_GRAD)
    return v


# what a leaf's _ctx (otherwise unused) says when it is a constant: a result made under no_grad(),
# or a number written into a formula (the 2 of x * 2)
_NO_GRAD = "made under no_grad()"
_CONSTANT = "a number in a formula"


def _leaf(data: float, ctx: Any = None) -> Value:
    """A constant leaf, made without the checks of ``Value()`` (the number is known good)."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v.parents = ()
    v._op = None
    v._ctx = ctx
    return v


class Value(Node):
    """A scalar node: ``data`` (float), ``grad`` (float), ``label``, ``op`` and ``parents``.

    Build expressions with ``+ - * / **``, unary ``-``, numbers on either side, and the
    methods ``exp log sqrt tanh sigmoid relu abs sin cos step``; then call ``backward()``.
    """

    __slots__ = ("data", "grad", "parents", "label", "_op", "_ctx")

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """numpy meets a Value: a numpy number with it is an ordinary operand (``np.float64(2) * v``);
        an array is a TypeError, where numpy would build an array of Values, one per number."""
        arrays = [x for x in inputs if not is_node(x) and np.ndim(x) > 0]
        if arrays:
            raise _array_operand_error(arrays[0])
        return apply_ufunc(ufunc, method, inputs, kwargs, _python_number, comparisons=True)

    def __init__(self, data: float, label: str = "") -> None:
        if type(data) is not float or data != data:
            data = _to_float(data)
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self.parents = ()
        self._op = None
        self._ctx = None

    # -- the node protocol (see autograd.graph) -------------------------------------------------

    @property
    def op(self) -> str:
        """The op that made this node (``'+'``, ``'tanh'``, ``'**3'``...), ``''`` for a leaf."""
        return self._op.display(self._ctx) if self._op is not None else ""

    @staticmethod
    def _constant(raw: float) -> Value:
        return _leaf(float(raw), _CONSTANT)

    @property
    def requires_grad(self) -> bool:
        """False for a constant, which needs no gradient: a number written into a formula (the
        2 of ``x * 2``), a result computed under ``no_grad()`` or ``v.detach()``; True for every
        other node (``Value(3.0)`` is a variable).

        >>> x = Value(3.0)
        >>> y = x * 2
        >>> x.requires_grad, y.requires_grad, y.parents[1].requires_grad
        (True, True, False)
        """
        return self._op is not None or self._ctx is None

    _grad_zero = 0.0  # what .grad restarts from at each backward pass
    _record = staticmethod(_result)  # how autograd.apply records an op's result

    @staticmethod
    def _zero_grad() -> float:
        return 0.0

    def _accumulate_grad(self, g: Any, passed_through: bool = False) -> None:
        if type(g) is float:
            self.grad += g
        elif not isinstance(g, Value):  # a user op's numpy number or int: the gradient stays a float
            if np.ndim(g) or not isinstance(np.asarray(g)[()], numbers.Real):  # (run_pass names the op)
                raise ValueError(f"a Value's gradient is one real number, got {type(g).__name__} "
                                 f"{g!r:.40}")
            self.grad += float(g)
        elif type(self.grad) is float and self.grad == 0.0:
            self.grad = g  # first contribution of a create_graph pass: no `0 + g` node
        else:
            self.grad = self.grad + g

    def _seed_grad(self, gradient: Any, create_graph: bool) -> Any:
        # as a Tensor made there, and PyTorch's (==: a pickled copy holds an equal str, not this one);
        # a constant's backward is fine: a derivative that came out constant has zero derivatives
        if self._op is None and self._ctx == _NO_GRAD:
            raise RuntimeError("backward() of a Value computed under no_grad(): it is a constant, with no "
                               "graph back to what it was computed from (their .grad would stay 0); "
                               "compute it outside no_grad() to backpropagate")
        if isinstance(gradient, Value):  # a node: with create_graph, the gradients depend on it too
            return gradient if create_graph else gradient.data
        seed = 1.0 if gradient is None else _to_float(gradient, "backward(gradient)")
        return Value._constant(seed) if create_graph else seed

    # -- backprop -------------------------------------------------------------------------------

    def backward(self, gradient: float | None = None, create_graph: bool = False) -> None:
        """Fill ``.grad`` on every node under this one with d self / d node.

        Leaves accumulate across calls, as in PyTorch; intermediate nodes show this pass.
        With ``create_graph=True`` the gradients are Values themselves, so they can be
        differentiated again.  Each ``.grad`` then refers back into the graph (``x.grad`` is
        built from ``x``): reference cycles, as with PyTorch's ``backward(create_graph=True)``,
        that only the garbage collector frees; ``grad()`` and ``gradients()`` give higher
        derivatives without them.

        >>> x = Value(3.0)
        >>> y = x ** 3
        >>> y.backward(); x.grad
        27.0
        >>> y.backward(); x.grad
        54.0
        """
        try:
            backward(self, gradient, create_graph)
        except TypeError as err:  # (costs nothing unless raised) a leaf's grad set to None?
            reraise_clearer(err, self)

    def detach(self) -> Value:
        """A new leaf with the same number and no history: a constant, as a detached Tensor and
        PyTorch's (so ``x * x.detach()`` sends a gradient to the first ``x`` only); ``Value(v.data)``
        is a new variable."""
        return Value._constant(self.data)

    def __float__(self) -> float:
        warn_off_the_graph(self)
        return self.data

    # comparisons read the numbers (no graph: they have no derivative), so `loss < 0.01`,
    # `max(values)` and `sorted(values)` work; == is identity between nodes, and refused against
    # numbers (ops.equality, in Node)
    def __bool__(self) -> bool:
        """The number's truth (``if v:``), as a 0-d tensor's: a Value of 0.0 is False."""
        return bool(self.data)

    def __lt__(self, other: Any) -> bool:
        return self.data < _number(other)

    def __le__(self, other: Any) -> bool:
        return self.data <= _number(other)

    def __gt__(self, other: Any) -> bool:
        return self.data > _number(other)

    def __ge__(self, other: Any) -> bool:
        return self.data >= _number(other)

    def __format__(self, spec: str) -> str:
        """``f'{loss:.4f}'`` formats the number (as for a 0-d torch tensor); ``f'{v}'`` is the repr."""
        return format(self.data, spec) if spec else repr(self)

    def __repr__(self) -> str:
        grad = self.grad
        grad = (f"Value({number(grad)})" if isinstance(grad, Value) else
                "None" if grad is None else number(grad))
        extra = f", label={self.label!r}" if self.label else ""
        extra += f", op={self.op!r}" if self._op is not None else ""
        data = number(self.data) if isinstance(self.data, numbers.Real) else repr(self.data)  # (a node)
        return f"Value(data={data}, grad={grad}{extra})"

    # -- arithmetic: numbers on either side ----------------------------------------------------

    def _in_place_refused(self) -> str:
        """``v op= ...`` on a variable leaf that has a gradient, a parameter after backward(), is
        refused (``p -= lr * p.grad``); an op node (micrograd's ``c += c + 1``) or a running
        total without a gradient is rebound to the new node."""
        parameter = self._op is None and self.requires_grad and bool(self.grad)
        return "a Value that has a gradient (a parameter?)" if parameter else ""

    def __add__(self, other: Any) -> Value:
        if type(other) is not Value:
            other = _lift(other)
            if other is NotImplemented:
                return other
        return _result(ops.Add, self.data + other.data, (self, other))

    def __radd__(self, other: Any) -> Value:
        other = _lift(other)
        if other is NotImplemented:
            return other
        return _result(ops.Add, other.data + self.data, (other, self))

    def __sub__(self, other: Any) -> Value:
        if type(other) is not Value:
            other = _lift(other)
            if other is NotImplemented:
                return other
        return _result(ops.Sub, self.data - other.data, (self, other))

    def __rsub__(self, other: Any) -> Value:
        other = _lift(other)
        return other if other is NotImplemented else other - self

    def __mul__(self, other: Any) -> Value:
        if type(other) is not Value:
            other = _lift(other)
            if other is NotImplemented:
                return other
        return _result(ops.Mul, self.data * other.data, (self, other))

    def __rmul__(self, other: Any) -> Value:
        other = _lift(other)
        if other is NotImplemented:
            return other
        return _result(ops.Mul, other.data * self.data, (other, self))

    def __truediv__(self, other: Any) -> Value:
        other = _lift(other)
        if other is NotImplemented:
            return other
        return _result(ops.Div, ops.Div.forward(None, self.data, other.data), (self, other))

    def __rtruediv__(self, other: Any) -> Value:
        other = _lift(other)
        return other if other is NotImplemented else other / self

    def __pow__(self, other: Any) -> Value:
        if isinstance(other, Value):
            return _result(ops.Pow, ops.Pow.forward(None, self.data, other.data), (self, other))
        if not isinstance(other, numbers.Real):
            refuse_text_or_none(other, "Value")
            return NotImplemented
        n = ops.to_float(other, "the exponent")
        if n != n:
            raise ValueError("the exponent is nan; a graph built on nan gives nan everywhere")
        return _result(ops.PowConst, ops.PowConst.forward(n, self.data), (self,), n)

    def __rpow__(self, other: Any) -> Value:
        other = _lift(other)
        return other if other is NotImplemented else other**self

    def __neg__(self) -> Value:
        return _result(ops.Neg, -self.data, (self,))

    def __abs__(self) -> Value:
        return self._unary(ops.Abs)

    # -- functions ------------------------------------------------------------------------------

    def _unary(self, op: type) -> Value:
        return _result(op, op.forward(None, self.data), (self,))

    def exp(self) -> Value:
        """e ** self."""
        return self._unary(ops.Exp)

    def log(self) -> Value:
        """Natural log; a clear ValueError for data <= 0."""
        return self._unary(ops.Log)

    def sqrt(self) -> Value:
        return self._unary(ops.Sqrt)

    def tanh(self) -> Value:
        return self._unary(ops.Tanh)

    def sigmoid(self) -> Value:
        """1 / (1 + e ** -self), computed without overflow."""
        return self._unary(ops.Sigmoid)

    def relu(self) -> Value:
        return self._unary(ops.ReLU)

    def abs(self) -> Value:
        return self._unary(ops.Abs)

    def sin(self) -> Value:
        return self._unary(ops.Sin)

    def cos(self) -> Value:
        return self._unary(ops.Cos)

    def step(self) -> Value:
        """Heaviside step, the perceptron's activation: 1.0 if data >= 0 else 0.0; gradient 0."""
        return self._unary(ops.Step)


def _lift(x: Any) -> Any:
    """A number on the other side of an operator becomes a constant leaf; others decline."""
    if (type(x) is float and x == x) or type(x) is int:  # the common case, quickly
        try:
            return _leaf(float(x), _CONSTANT)
        except OverflowError:
            raise ops.int_too_large(x, "an operand") from None
    if isinstance(x, Value):
        return x
    if isinstance(x, np.ndarray) and x.ndim == 0:  # a 0-d array is a number, as on the left
        x = x.item()
    if isinstance(x, numbers.Real):
        if x != x:
            raise ValueError(ops.NAN_OPERAND)
        return Value._constant(x)
    if isinstance(x, np.ndarray | list | tuple):  # numpy would make an array of Values, one per number
        raise _array_operand_error(x)
    if is_node(x):  # a Tensor
        raise mixed_nodes_error()
    refuse_text_or_none(x, "Value")
    return NotImplemented


def _python_number(x: Any) -> Any:
    """A numpy number (or 0-d array) as Python's; a Python number as it is."""
    return x.item() if hasattr(x, "item") else x


def _number(x: Any) -> float:
    """The number to compare a Value with: another Value's, or a real number."""
    if isinstance(x, Value):
        return x.data
    if type(x) is float or type(x) is int:
        return x
    if isinstance(x, numbers.Real | np.bool_) or (isinstance(x, np.ndarray) and x.ndim == 0):
        return _python_number(x)  # so that the comparison gives a bool
    raise TypeError(f"a Value compares with numbers and Values, not {type(x).__name__} {x!r:.40}")


def _array_operand_error(x: Any) -> TypeError:
    return TypeError(f"a Value holds one number, the other operand is an array of shape "
                     f"{np.shape(x)}: use Tensor for arrays (or the Values' .data)")
