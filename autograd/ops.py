"""The ops: each one's forward and backward side by side, with its local derivative in words.

An op is a class used as a shared, stateless unit: a graph node points at it (``node._op``)
instead of carrying a closure of its own, so nodes are small and form no reference cycles.

``forward(ctx, *xs)`` gets plain numbers.  ``backward(ctx, g, out, *xs)`` gets the gradient
``g`` of the output, the output ``out`` and the inputs ``xs``, and returns a tuple with one
gradient per input.  It is written with ordinary operators, so the same code runs on plain
numbers (a normal ``backward()``) and on graph nodes (``backward(create_graph=True)``, which is
how second derivatives work).  ``ctx`` holds an op's constant parameter (the ``3`` of ``x**3``), else None;
an op may also keep there what its forward computed and its backward needs again (the softmax
of cross-entropy).  Unlike PyTorch's ``ctx.save_for_backward``, what is kept there is numbers:
for ``create_graph=True`` a backward must compute from its node arguments (as cross-entropy's
does), else a second derivative takes those numbers for constants.
"""

from __future__ import annotations

import math
import numbers
import operator
import warnings
from typing import Any

import numpy as np


class Op:
    """Base of all ops: a short ``name`` and a human ``formula`` for the local derivative."""

    name = "?"
    formula = ""
    # True where every local derivative is -1, 0 or 1 by the rule (a + b, relu), so that a step
    # writes it as a whole number, n.grad * 1; where it is a number of the inputs (x * w, w = 1.0)
    # it reads 1.0000, not 1 as if it were a rule
    whole_slopes = False

    @classmethod
    def display(cls, ctx: Any) -> str:
        """The op's short name as shown on a node (``'**3'`` for a power by a constant)."""
        return cls.name

    @classmethod
    def settings(cls, ctx: Any) -> tuple[str, ...]:
        """The op's settings as a call writes them after its inputs (``padding=1`` of
        ``conv2d(x, w, padding=1)``), so that a node's name says all it was made with; none for
        most ops.

        >>> import numpy as np
        >>> from autograd import Tensor, conv2d, max_pool2d
        >>> x = Tensor(np.ones((1, 1, 4, 4)), requires_grad=True)
        >>> y = conv2d(x, np.ones((1, 1, 3, 3)), padding=1)
        >>> y._op.settings(y._ctx), (x * 2)._op.settings(None)
        (('padding=1',), ())
        """
        return ()

    @classmethod
    def at_kink(cls, ctx: Any, *inputs: Any) -> bool:
        """True where the op (made with ``ctx``) has no derivative at these input numbers (relu
        at 0, clip at a bound) and takes one by convention, which a step then states: ``dr/dx = 0``
        alone would look like a mistake.

        >>> ReLU.at_kink(None, 0.0), ReLU.at_kink(None, 0.5), Tanh.at_kink(None, 0.0)
        (True, False, False)
        """
        return False

    @classmethod
    def rule(cls, node: Any) -> str:
        """The ``formula`` for one ``node`` of this op: with the numbers of its ``ctx`` in it where
        the formula has letters for them, or for its inputs' shapes (what a step shows).

        >>> from autograd import Value
        >>> cube = Value(2.0) ** 3
        >>> cube._op.formula, cube._op.rule(cube)
        ('d(a**n)/da = n * a**(n-1)', 'd(a**3)/da = 3 * a**2')
        """
        return cls.formula

    @staticmethod
    def forward(ctx: Any, *xs: Any) -> Any:  # pragma: no cover - every op overrides it
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Any, g: Any, out: Any, *xs: Any) -> tuple:  # pragma: no cover
        raise NotImplementedError


# -- helpers that work on plain numbers and on graph nodes alike -------------------------------

def is_node(x: Any) -> bool:
    """True for graph nodes (Value, Tensor), False for plain numbers and arrays."""
    return type(x) is not float and hasattr(x, "parents")


# numpy's ufuncs that a node answers with its own operator or method, keeping the graph
UFUNC_OPERATORS = {np.add: operator.add, np.subtract: operator.sub, np.multiply: operator.mul,
                   np.true_divide: operator.truediv, np.power: operator.pow, np.matmul: operator.matmul}
UFUNC_COMPARISONS = {np.less: operator.lt, np.less_equal: operator.le,  # `np.float64(0.5) > loss`
                     np.greater: operator.gt, np.greater_equal: operator.ge}
UFUNC_METHODS = {np.exp: "exp", np.log: "log", np.sqrt: "sqrt", np.tanh: "tanh", np.sin: "sin",
                 np.cos: "cos", np.absolute: "abs", np.negative: "__neg__"}


def equality(node: Any, other: Any, equal: bool) -> Any:
    """``node == other`` (``equal``) or ``!=``: identity between graph nodes (they are dict and set
    keys); against a number or an array, a TypeError (it would be an identity test, always False:
    ``out == 1`` for a Value of 1.0, while ``out >= 1`` held); anything else, Python's default.

    >>> from autograd import Value
    >>> v = Value(1.0)
    >>> v == v, v != Value(1.0), v == None
    (True, True, False)
    >>> v == 1
    Traceback (most recent call last):
    ...
    TypeError: == between a Value and a number would be an identity test (always False): ...
    """
    if is_node(other):
        return (node is other) == equal
    if isinstance(other, numbers.Number | np.generic | np.ndarray):
        kind = type(node).__name__
        numbers_ = "numbers, t.data == x (an array of bools)" if kind == "Tensor" else "number, v.data == x"
        raise TypeError(f"== between a {kind} and a number would be an identity test (always False): compare "
                        f"the {numbers_}; between {kind}s == is identity")
    return NotImplemented


def apply_ufunc(ufunc: Any, method: str, inputs: tuple, kwargs: dict, convert: Any,
                comparisons: bool = False, methods: str = ".exp(), .tanh(), .relu()") -> Any:
    """numpy's ``ufunc`` called with graph nodes among ``inputs`` (``np.exp(t)``, ``x + t`` with
    ``x`` an array): the node's own method or operator, so the graph is kept; the other inputs
    go through ``convert`` first.  ``==`` and ``!=`` are :func:`equality`'s (identity between
    nodes, refused against numbers); ``<`` and the like only where the node type has them
    (``comparisons``).
    Anything else is a TypeError naming ``methods`` to use instead."""
    if ufunc is np.equal or ufunc is np.not_equal:  # (np.float64(1) == v: numpy asks the node first)
        node, other = (inputs[0], inputs[-1]) if is_node(inputs[0]) else (inputs[-1], inputs[0])
        same = equality(node, other, ufunc is np.equal)
        return (node is other) == (ufunc is np.equal) if same is NotImplemented else same
    if method == "__call__" and not kwargs:
        name = UFUNC_METHODS.get(ufunc)
        if name is not None and len(inputs) == 1:
            return getattr(inputs[0], name)()
        op = UFUNC_OPERATORS.get(ufunc) or (UFUNC_COMPARISONS.get(ufunc) if comparisons else None)
        if op is not None:
            return op(*(x if is_node(x) else convert(x) for x in inputs))
    kind = type(next(x for x in inputs if is_node(x))).__name__
    raise TypeError(f"numpy's {ufunc.__name__}{'' if method == '__call__' else '.' + method} of a {kind}: "
                    f"use the {kind}'s own methods ({methods}, ...), or numpy on its numbers, .data")


NAN_OPERAND = "an operand is nan; a graph built on nan gives nan everywhere"


def to_float(x: Any, what: str) -> float:
    """``float(x)``, where an int past a float's range is an error naming ``what``.

    >>> to_float(3, "the exponent"), to_float(10**400, "the exponent")
    Traceback (most recent call last):
    ...
    OverflowError: the exponent is an int too large for a float (401 digits; ...
    """
    try:
        return float(x)
    except OverflowError:
        raise int_too_large(x, what) from None


def int_too_large(x: int, what: str) -> OverflowError:
    """The error for an int past a float's range (Python's says only "int too large to convert").

    >>> str(int_too_large(10**400, "an operand"))
    'an operand is an int too large for a float (401 digits; the largest float is about 1.8e308)'
    """
    return OverflowError(f"{what} is an int too large for a float ({len(str(abs(x)))} digits; the largest "
                         "float is about 1.8e308)")


def mixed_nodes_error() -> TypeError:
    """A Value met a Tensor: the two kinds of graph do not mix."""
    return TypeError("a Value and a Tensor do not mix in one graph: use Tensors for arrays "
                     "(Tensor(v.data) for a Value's number), or Values for numbers (t.item() for a "
                     "one-element Tensor's)")


def zero_d_array(g: Any) -> Any:
    """``g``, a numpy scalar made a 0-d array again (numpy's arithmetic on 0-d arrays gives
    scalars), so that a 0-d node's ``.grad`` is an array like its data.

    >>> type(np.array(1.0) + np.array(2.0)).__name__, type(zero_d_array(np.array(1.0) + np.array(2.0)))
    ('float64', <class 'numpy.ndarray'>)
    """
    return np.asarray(g) if isinstance(g, np.generic) else g


def check_flag(owner: str, name: str, value: Any) -> None:
    """A switch is True or False (or 0 or 1): a str such as 'no' would count as True.

    >>> check_flag("SGD", "nesterov", "no")
    Traceback (most recent call last):
    ...
    TypeError: SGD: nesterov must be True or False, got 'no'
    """
    if not (isinstance(value, numbers.Integral | np.bool_) and value in (0, 1)):  # (bool is an Integral)
        raise TypeError(f"{owner}: {name} must be True or False, got {value!r}")


def refuse_text_or_none(x: Any, kind: str) -> None:
    """A str or None next to a Value or Tensor (``kind``) is a mistake, not a type another class
    may handle: say so, where Python would say "unsupported operand type(s)" (or for ``'ab' * v``
    "can't multiply sequence by non-int").

    >>> refuse_text_or_none("2.5", "Value")
    Traceback (most recent call last):
    ...
    TypeError: a Value's arithmetic takes numbers and Values, got str '2.5' (a number read as text? ...
    """
    if isinstance(x, str | bytes) or x is None:
        hint = " (a number read as text? float() it first)" if x is not None else ""
        raise TypeError(f"a {kind}'s arithmetic takes numbers and {kind}s, got {type(x).__name__} "
                        f"{x!r:.40}{hint}")


def warn_off_the_graph(node: Any) -> None:
    """``float()`` of a node that needs a gradient (``math.exp(v)`` calls it): a plain number,
    from which nothing sends a gradient back.  Said, as PyTorch says it, since the gradient
    then silently stays 0; the number alone is ``v.data`` (``t.item()``), without a word.

    >>> import math, warnings
    >>> from autograd import Value
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     _ = math.exp(Value(1.0)), math.exp(Value(1.0).detach())
    >>> [str(w.message)[:52] for w in said]
    ['float() of a Value that needs a gradient gives a pla']
    """
    if node.requires_grad:
        kind = type(node).__name__
        v, number = ("v", "v.data") if kind == "Value" else ("t", "t.item()")  # (as a learner names it)
        warnings.warn(
            f"float() of a {kind} that needs a gradient gives a plain number, off the graph: what is "
            f"computed from it (math.exp({v}), math.tanh({v}), ...) sends no gradient back. Use the "
            f"{kind}'s own ops ({v}.exp(), {v}.tanh()) to backpropagate; {number} is the number alone",
            stacklevel=3)


def data_of(x: Any) -> Any:
    """The raw number (or array) inside a node, or ``x`` itself if it is already raw."""
    return x.data if is_node(x) else x


def constant_like(x: Any, raw: Any) -> Any:
    """``raw`` as a constant of the same kind as ``x``: a number for numbers, a leaf for nodes.

    Used for the parts of a derivative that are themselves flat (a sign, a 0/1 mask), so a
    second derivative sees them as constants, as PyTorch does.
    """
    return type(x)._constant(raw) if is_node(x) else raw


def sign(v: Any) -> Any:
    """-1, 0 or 1 (0 at 0, as PyTorch), for a number or elementwise for an array."""
    if isinstance(v, np.ndarray):
        return np.sign(v)
    return 1.0 if v > 0 else (-1.0 if v < 0 else 0.0)


def positive(v: Any) -> Any:
    """1 where v > 0 else 0: relu's derivative, for a number or an array (same dtype); 1 at nan,
    which relu passes on, as torch's does (its gradient is not lost without a trace)."""
    if isinstance(v, np.ndarray):
        return np.logical_not(v <= 0).astype(v.dtype)
    return 0.0 if v <= 0 else 1.0


def call(x: Any, name: str) -> Any:
    """The function ``name`` of ``x``: the node's method for a node, numpy's for an array,
    ``math``'s for a number."""
    if is_node(x):
        return getattr(x, name)()
    if isinstance(x, np.ndarray):
        return getattr(np, name)(x)
    return getattr(math, name)(x)


def _fmt(v: float) -> str:
    return f"{v:.6g}"


# -- arithmetic --------------------------------------------------------------------------------

class Add(Op):
    name = "+"
    whole_slopes = True
    formula = "d(a+b)/da = 1,  d(a+b)/db = 1"

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, g, out, a, b):
        return g, g


class Sub(Op):
    name = "-"
    whole_slopes = True
    formula = "d(a-b)/da = 1,  d(a-b)/db = -1"

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, g, out, a, b):
        return g, -g


class Mul(Op):
    name = "*"
    formula = "d(a*b)/da = b,  d(a*b)/db = a"

    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, g, out, a, b):
        return g * b, g * a


class Div(Op):
    name = "/"
    formula = "d(a/b)/da = 1/b,  d(a/b)/db = -a/b**2"

    @staticmethod
    def forward(ctx, a, b):
        if b == 0:
            raise ZeroDivisionError(f"division by zero in '/': {_fmt(a)} / {_fmt(b)}")
        return a / b

    @staticmethod
    def backward(ctx, g, out, a, b):
        return g / b, -g * (out / b)  # = -a/b**2 without b*b, which underflows for tiny b


class Neg(Op):
    name = "neg"
    whole_slopes = True
    formula = "d(-a)/da = -1"

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, g, out, a):
        return (-g,)


class PowConst(Op):
    """``a ** n`` for a constant number ``n`` (kept in ctx, not as a node)."""

    name = "**"
    formula = "d(a**n)/da = n * a**(n-1)"

    @classmethod
    def display(cls, ctx):
        return f"**{ctx:g}"

    @classmethod
    def rule(cls, node):
        n = node._ctx
        slope = f"{n:g}" if n in (0, 1) else f"{n:g} * " + ("a" if n == 2 else f"a**{n - 1:g}")
        return f"d(a**{n:g})/da = {slope}"

    @staticmethod
    def forward(n, a):
        if a == 0 and n < 0:
            raise ZeroDivisionError(f"'**{n:g}' of 0 is a division by zero")
        if a < 0 and math.isfinite(n) and n != int(n):  # (±inf is a power of any number: Python's)
            raise ValueError(f"'**{n:g}' of negative {_fmt(a)} has no real value")
        try:
            return a**n
        except OverflowError:
            raise OverflowError(f"'**{n:g}' of {_fmt(a)} is too large for a float") from None

    @staticmethod
    def backward(n, g, out, a):
        if n == 2:  # the square, as in every squared error: a**1 is a itself
            return (g * 2.0 * a,)
        if n == 0:  # a**0 is the constant 1: its derivative is 0, also at a = 0 (no 0**-1)
            return (g * 0.0,)
        return (g * n * _slope_power(a, n - 1),)


def _slope_power(a: Any, e: Any) -> Any:
    """``a ** e`` in a power's slope: for floats, IEEE's infinity where Python raises (``0 ** -0.5``,
    a power too large for a float), as PyTorch's (the slope of ``a**b`` at 0 for ``b < 1`` is
    infinite).  For Value nodes (``create_graph``) the same number, as a node of
    :class:`SlopePowConst` or :class:`SlopePow`; a Tensor's power is numpy's, IEEE's already."""
    if type(a) is float:
        try:
            return a**e
        except (ZeroDivisionError, OverflowError):
            with np.errstate(divide="ignore", over="ignore"):
                return float(np.power(a, e))
    if type(data_of(a)) is float:  # a Value: its own ** raises where the slope is infinite
        if is_node(e):
            return type(a)._record(SlopePow, _slope_power(a.data, e.data), (a, e), None)
        return type(a)._record(SlopePowConst, _slope_power(a.data, e), (a,), e)
    return a**e


class Pow(Op):
    """``a ** b`` where the exponent ``b`` is a node too; its derivatives are the Tensor's
    (:class:`autograd.array_ops.Pow`), to the second order, at a zero or negative base too."""

    name = "**"
    formula = "d(a**b)/da = b * a**(b-1),  d(a**b)/db = a**b * log(a)"

    @staticmethod
    def forward(ctx, a, b):
        return PowConst.forward(b, a)

    @staticmethod
    def backward(ctx, g, out, a, b):
        base = data_of(a)
        if base > 0:
            dexp = g * out * call(a, "log")
        elif base == 0 and data_of(b) >= 0:  # a**b * log(a) -> 0 as a -> 0, as PyTorch has it:
            # log(1 + 0*a), flat in a, as the Tensor's, so second derivatives through it are the same
            dexp = g * (out * call(constant_like(a, 1.0) + a * constant_like(a, 0.0), "log"))
        elif base == 0:  # 0**b is inf for b < 0 (in a slope, under create_graph): log(0) = -inf
            dexp = g * out * constant_like(a, -math.inf)
        else:  # log(a) is undefined for a < 0: nan, but its slope 1/a all the same (PyTorch's)
            dexp = g * out * (call(-a, "log") + constant_like(a, math.nan))
        if data_of(b) == 0:  # a**0 is flat in a, also at a = 0 (no 0**-1), whatever g is
            return constant_like(a, 0.0) * b * _slope_power(a, b), dexp  # (PyTorch's where)
        return g * b * _slope_power(a, b - 1), dexp


class SlopePowConst(PowConst):
    """``a ** n`` inside a derivative that is a graph (``create_graph``): IEEE's inf where
    ``PowConst`` raises, so that the slope of ``a ** 0.5`` at 0 is inf, as without
    ``create_graph`` and as in PyTorch, and its own derivative is -inf."""

    @staticmethod
    def forward(n, a):
        return _slope_power(a, n)


class SlopePow(Pow):
    """``a ** b`` (``b`` a node) inside a derivative that is a graph: IEEE's inf where ``Pow`` raises."""

    @staticmethod
    def forward(ctx, a, b):
        return _slope_power(a, b)


# -- functions ---------------------------------------------------------------------------------

class Exp(Op):
    name = "exp"
    formula = "d/da exp(a) = exp(a)"

    @staticmethod
    def forward(ctx, a):
        try:
            return math.exp(a)
        except OverflowError:
            raise OverflowError(f"exp({_fmt(a)}) is too large for a float (max ~709.78)") from None

    @staticmethod
    def backward(ctx, g, out, a):
        return (g * out,)


class Log(Op):
    name = "log"
    formula = "d/da log(a) = 1/a"

    @staticmethod
    def forward(ctx, a):
        if a <= 0:
            raise ValueError(f"log of non-positive value {_fmt(a)}: log is defined for a > 0")
        return math.log(a)

    @staticmethod
    def backward(ctx, g, out, a):
        return (g / a,)


class Sqrt(Op):
    name = "sqrt"
    formula = "d/da sqrt(a) = 1 / (2*sqrt(a))"

    @staticmethod
    def forward(ctx, a):
        if a < 0:
            raise ValueError(f"sqrt of negative value {_fmt(a)}: sqrt is defined for a >= 0")
        return math.sqrt(a)

    @staticmethod
    def backward(ctx, g, out, a):
        number = data_of(out)  # (a Tensor's g / 0 is numpy's inf already)
        if type(number) is float and number == 0.0:  # an infinite slope: IEEE's g / 0, as PyTorch
            return (g * math.inf,) if type(out) is float else (g * 0.5 * _slope_power(out, -1.0),)
        return (g / (2 * out),)


class Tanh(Op):
    name = "tanh"
    formula = "d/da tanh(a) = 1 - tanh(a)**2"

    @staticmethod
    def forward(ctx, a):
        return math.tanh(a)

    @staticmethod
    def backward(ctx, g, out, a):
        return (g * (1 - out * out),)


class Sigmoid(Op):
    name = "sigmoid"
    formula = "d/da sigmoid(a) = sigmoid(a) * (1 - sigmoid(a))"

    @staticmethod
    def forward(ctx, a):
        if a >= 0:  # two forms so exp never overflows
            return 1.0 / (1.0 + math.exp(-a))
        e = math.exp(a)
        return e / (1.0 + e)

    @staticmethod
    def backward(ctx, g, out, a):
        return (g * out * (1 - out),)


@classmethod
def _zero_is_a_kink(cls: type, ctx: Any, a: Any) -> bool:
    """``Op.at_kink`` of relu, abs and step: no slope at 0 (a number there: the local derivative
    of a Value, or of a Tensor of one number, which a step says as a number)."""
    return a == 0


class ReLU(Op):
    name = "relu"
    whole_slopes = True
    formula = "d/da relu(a) = 1 if a > 0 else 0"

    at_kink = _zero_is_a_kink

    @staticmethod
    def forward(ctx, a):
        return 0.0 if a <= 0 else a  # (nan stays nan, as torch's and np.maximum's: not a silent 0)

    @staticmethod
    def backward(ctx, g, out, a):
        if type(a) is float:  # the scalar case, spelled out: relu is in every scalar MLP
            return (0.0 if a <= 0 else g,)
        if type(a) is np.ndarray:  # the array case: the mask becomes the gradient, no temporary
            mask = positive(a)  # (np.where(a > 0, g, 0) would branch on every element: 8x slower)
            mask *= g
            return (mask,)
        return (g * constant_like(a, positive(data_of(a))),)


class Abs(Op):
    name = "abs"
    whole_slopes = True
    formula = "d/da |a| = sign(a)  (0 at a = 0)"

    at_kink = _zero_is_a_kink

    @staticmethod
    def forward(ctx, a):
        return abs(a)

    @staticmethod
    def backward(ctx, g, out, a):
        return (g * constant_like(a, sign(data_of(a))),)


class Sin(Op):
    name = "sin"
    formula = "d/da sin(a) = cos(a)"

    @staticmethod
    def forward(ctx, a):
        if math.isinf(a):
            raise ValueError(f"sin({_fmt(a)}) has no value (it would be nan)")
        return math.sin(a)

    @staticmethod
    def backward(ctx, g, out, a):
        return (g * call(a, "cos"),)


class Cos(Op):
    name = "cos"
    formula = "d/da cos(a) = -sin(a)"

    @staticmethod
    def forward(ctx, a):
        if math.isinf(a):
            raise ValueError(f"cos({_fmt(a)}) has no value (it would be nan)")
        return math.cos(a)

    @staticmethod
    def backward(ctx, g, out, a):
        return (-g * call(a, "sin"),)


class Step(Op):
    """Heaviside step, the perceptron's activation: 1 if a >= 0 else 0."""

    name = "step"
    whole_slopes = True
    formula = "d/da step(a) = 0  (flat on both sides; undefined at 0, taken as 0)"

    at_kink = _zero_is_a_kink

    @staticmethod
    def forward(ctx, a):
        return 1.0 if a >= 0 else 0.0

    @staticmethod
    def backward(ctx, g, out, a):
        return (g * 0.0,)
