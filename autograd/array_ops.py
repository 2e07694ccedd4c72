"""Ops on arrays, for :class:`~autograd.tensor.Tensor`.

Elementwise ops reuse the scalar ops' backward (it is written with operators, so it runs on
arrays as it is) and only swap in a numpy forward.  Broadcasting is undone in one place,
``Tensor._accumulate_grad``, which sums a gradient back to its input's shape.

Every backward here uses only what ndarrays and Tensors both have (operators, ``.sum``,
``.reshape``, ``.transpose``, indexing and the helpers below), so ``create_graph=True``
works for Tensors too.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from . import ops
from .display import index_text, shape_text
from .graph import apply
from .ops import Op, call, constant_like, data_of, is_node

# what ndarray.sum, .max and .min call, without numpy's Python wrappers around them
_add_reduce, _max_reduce, _min_reduce = np.add.reduce, np.maximum.reduce, np.minimum.reduce
# the dtype a loss sums in, where not its own: float16 in float32, as np.mean (and torch's
# mse_loss) do, so that a sum of many float16 terms does not overflow at 65504 (their mean does not)
_SUM_DTYPE = {np.dtype(np.float16): np.dtype(np.float32)}

# -- helpers that run on arrays and on Tensors ----------------------------------------------------


def _summed(x: Any, axis: Any, keepdims: bool = True) -> Any:
    """``x.sum(axis, keepdims)``, float16 arrays added up in float32 (as np.mean and torch do: in
    float16 a sum stops growing once its spacing passes the terms, 256 for 4000 * 0.1)."""
    if type(x) is not np.ndarray:  # a Tensor (create_graph): its own sum, which widens too
        return x.sum(axis=axis, keepdims=keepdims)
    wide = _SUM_DTYPE.get(x.dtype)
    total = _add_reduce(x, axis, wide, keepdims=keepdims)
    return total if wide is None else total.astype(x.dtype)


def sum_to(g: Any, shape: tuple) -> Any:
    """Sum ``g`` over the axes that broadcasting added or stretched, to get ``shape`` back."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    if g.shape[lead:] == shape:  # only leading axes were added (a bias): one plain sum
        total = _summed(g, tuple(range(lead)) if lead > 1 else 0, keepdims=False)
        return total if shape or type(g) is not np.ndarray else np.asarray(total)  # (numpy gives a scalar)
    summed = _summed(g, broadcast_axes(g.shape, shape)) if lead >= 0 else g
    if summed.shape[lead:] != shape:  # g is no broadcast of shape: a reshape would scramble it
        raise ValueError(f"a gradient of shape {g.shape} cannot be summed back to shape {shape}")
    return summed.reshape(shape)


def broadcast_axes(wide: tuple, shape: tuple) -> tuple:
    """The axes of ``wide`` that broadcasting added to ``shape`` or stretched it along: what
    :func:`sum_to` sums over.

    >>> broadcast_axes((4, 2, 3), (2, 1))
    (0, 2)
    """
    lead = len(wide) - len(shape)
    return tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and wide[lead + i] != 1)


def broadcast_to(g: Any, shape: tuple) -> Any:
    """``g`` stretched to ``shape``: a new array (writeable, unlike numpy's view), or a graph
    op for Tensors."""
    if g.shape == shape:
        return g
    if is_node(g):
        return g.broadcast_to(shape)
    out = np.empty(shape, dtype=g.dtype)
    out[...] = g
    return out


def _keepdims_shape(shape: tuple, axis: Any) -> tuple:
    """The shape a reduction over ``axis`` has with keepdims=True."""
    if axis is None:
        return (1,) * len(shape)
    axes = {a % len(shape) for a in (axis if isinstance(axis, tuple) else (axis,))}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def scatter(g: Any, index: Any, shape: tuple) -> Any:
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeats add up): the adjoint of ``x[index]``."""
    if is_node(g):
        return apply(ScatterAdd, g, ctx=(index, shape))
    return ScatterAdd.forward((index, shape), g)


# -- elementwise: numpy forward, the scalar op's backward -------------------------------------


class Div(ops.Div):
    @staticmethod
    def forward(ctx, a, b):
        return a / b  # IEEE, as numpy and PyTorch: 1/0 is inf (detect_anomaly() catches it)


class PowConst(ops.PowConst):
    @staticmethod
    def forward(n, a):
        return a**n


class Pow(ops.Pow):
    """``a ** b``, ``b`` a tensor: derivatives as PyTorch's, to every order, except at a = 0
    with b >= 0 beyond the first derivative (below).

    d/db a**b = a**b log(a), with log(a) as PyTorch has it: nan below 0 (its own slope 1/a all
    the same), -inf at 0 where b < 0 (there a**b is inf).  At a = 0 with b >= 0 it is the limit
    0, as PyTorch's, taken as flat in a: the second derivatives through it are then the limits
    (0) for b > 1; for 0 < b < 1 the mixed ones are nan, as PyTorch's, and d2/db2 is 0 (PyTorch:
    nan); at b = 0 all are 0 (PyTorch: nan); at b = 1 exactly they come out 1 and 0 where the
    limit is -inf (PyTorch: nan).  d/da is 0 where b = 0, whatever gradient comes in
    (PyTorch's ``where``), since a**0 is flat, also at a = 0.
    """

    @staticmethod
    def forward(ctx, a, b):
        return a**b

    @staticmethod
    def backward(ctx, g, out, a, b):
        base, power = data_of(a), data_of(b)
        kind = base.dtype
        below, limit = base < 0, (base == 0) & (power >= 0)
        safe = a  # what the log is taken of: a, |a| below 0 (slope 1/a), 1 at the limit (slope 0)
        if below.any() or limit.any():
            sign = np.where(limit, 0, np.where(below, -1, 1)).astype(kind)
            safe = a * constant_like(a, sign)
            if limit.any():
                safe = constant_like(a, limit.astype(kind)) + safe
        with np.errstate(divide="ignore"):  # log(0) = -inf where 0**b is inf (b < 0), as PyTorch
            log = call(safe, "log")
        if below.any():  # log of a negative number: nan, and nan in every derivative built on it
            log = log + constant_like(a, np.where(below, np.nan, 0).astype(kind))
        dexp = g * (out * log)
        flat = power == 0
        if flat.any():  # a**0: d/da = 0, no 0**-1 at a = 0 and no nan * 0 from g (PyTorch's where)
            g = _zero_where(g, flat)
            return g * b * a ** (b - 1 + constant_like(b, flat.astype(power.dtype))), dexp
        return g * b * a ** (b - 1), dexp


def _zero_where(x: Any, mask: np.ndarray) -> Any:
    """``x`` with 0 where ``mask`` (broadcast to x's shape) is True, whatever ``x`` holds there (nan
    too), as ``where(mask, 0, x)``; for a node, a graph op that sends no gradient to those places."""
    mask = np.broadcast_to(mask, x.shape)
    if not is_node(x):
        return np.where(mask, np.zeros((), x.dtype), x)
    keep = np.flatnonzero(~mask)
    return scatter(x.reshape(-1)[keep], keep, (x.size,)).reshape(x.shape)


def _numpy(op: type[Op], fn: Any) -> type[Op]:
    """The scalar op ``op`` with ``fn`` as its forward: same name, formula and backward."""
    return type(op.__name__, (op,), {"forward": staticmethod(lambda ctx, a: fn(a)),
                                     "__module__": __name__})


# the largest exponent whose exp is finite, per dtype (just below log of the largest number)
_EXP_MAX = {np.dtype(t): np.nextafter(np.log(np.finfo(t).max), 0).astype(t) for t in (np.float32, np.float64)}


class Sigmoid(ops.Sigmoid):
    @staticmethod
    def forward(ctx, a):
        """PyTorch's formula, 1 / (1 + exp(-a)), in one buffer.

        exp(-a) must not overflow (numpy would warn), so -a is capped at the largest exponent
        with a finite exp: below a = -709.78 (float64; -88.72 in float32) the result is
        5.6e-309 (2.9e-39), a subnormal number where the exact value is smaller still and
        PyTorch has 0.  Other float dtypes, whose cap would be too coarse, let exp overflow to
        inf (result 0).
        """
        out = np.negative(a) if a.ndim else np.negative(a, out=np.empty_like(a))  # (an array, not a scalar)
        cap = _EXP_MAX.get(a.dtype)
        if cap is not None:
            np.minimum(out, cap, out=out)
            np.exp(out, out=out)
        else:
            with np.errstate(over="ignore"):
                np.exp(out, out=out)
        out += 1
        return np.reciprocal(out, out=out)


Exp = _numpy(ops.Exp, np.exp)
Log = _numpy(ops.Log, np.log)
Sqrt = _numpy(ops.Sqrt, np.sqrt)
Tanh = _numpy(ops.Tanh, np.tanh)
ReLU = _numpy(ops.ReLU, lambda a: np.maximum(a, 0))
Abs = _numpy(ops.Abs, np.abs)
Sin = _numpy(ops.Sin, np.sin)
Cos = _numpy(ops.Cos, np.cos)
Step = _numpy(ops.Step, lambda a: (a >= 0).astype(a.dtype))


class Clip(Op):
    name = "clip"
    whole_slopes = True
    formula = "d/da clip(a, lo, hi) = 1 if lo <= a <= hi else 0"

    @staticmethod
    def _bounds(ctx):
        """The bounds as they read: a number, or an array as its numbers or its shape (a bound
        per element)."""
        def nums(a):  # (as written, in the dtype's own digits: 0.1, not float32's 0.10000000149011612)
            return f"{a:g}" if a.ndim == 0 else "[" + ", ".join(nums(x) for x in a) + "]"

        return [f"{b:g}" if isinstance(b, float) else f"<{shape_text(b.shape)} bounds>" if b.size > 4 else
                nums(b) for b in ctx]

    @classmethod
    def settings(cls, ctx):
        return tuple(cls._bounds(ctx))

    @classmethod
    def at_kink(cls, ctx, a):  # at a bound: no slope, 1 by convention (as PyTorch's clamp)
        return bool(np.any(a == ctx[0]) or np.any(a == ctx[1]))  # (no bound is -inf or inf by now)

    @classmethod
    def rule(cls, node):
        lo, hi = cls._bounds(node._ctx)
        each = "" if all(isinstance(b, float) for b in node._ctx) else ", element by element"
        return f"d/da clip(a, {lo}, {hi}) = 1 if {lo} <= a <= {hi} else 0{each}"

    @staticmethod
    def forward(ctx, a):
        return np.clip(a, ctx[0], ctx[1])

    @staticmethod
    def backward(ctx, g, out, a):
        x = data_of(a)
        return (g * constant_like(a, ((x >= ctx[0]) & (x <= ctx[1])).astype(x.dtype)),)


# -- linear algebra ------------------------------------------------------------------------------


def _swap(x: Any) -> Any:
    """Swap the last two axes (the matrix transpose of a batch of matrices)."""
    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return x.transpose(axes)


class MatMul(Op):
    """``a @ b`` with numpy's rules: 1-D operands are promoted, batch dimensions broadcast.

    ``ctx`` says which inputs need a gradient, so a constant input (the data in ``x @ W``)
    costs no second matrix product.
    """

    name = "@"
    formula = "a.grad += g @ b.T,  b.grad += a.T @ g"
    # the same products in numpy's terms where an operand is 1-D (a vector) or there are batches
    _RULES = {(1, 1): "a.grad += g * b,  b.grad += g * a",
              (1, 2): "a.grad += b @ g,  b.grad += outer(a, g)",
              (2, 1): "a.grad += outer(g, b),  b.grad += a.T @ g"}

    @classmethod
    def rule(cls, node):
        ndims = tuple(min(p.data.ndim, 3) for p in node.parents)
        if ndims == (2, 2):
            return cls.formula
        rule = cls._RULES.get(ndims, "a.grad += g @ b.mT,  b.grad += a.mT @ g, summed over broadcast batches")
        if ndims == (1, 3):  # (numpy's rule: a vector is a matrix of one row here, one column there)
            return rule + "  (1-D a and g taken as rows)"
        return rule + ("  (1-D b and g taken as columns)" if ndims == (3, 1) else "")

    @staticmethod
    def forward(ctx, a, b):
        return a @ b

    @staticmethod
    def backward(ctx, g, out, a, b):
        need_a, need_b = ctx
        if a.ndim == 2 and b.ndim == 2:  # the common case, without the promotions below
            return (g @ b.T if need_a else None), (a.T @ g if need_b else None)
        a2 = a.reshape((1,) + a.shape) if a.ndim == 1 else a
        b2 = b.reshape(b.shape + (1,)) if b.ndim == 1 else b
        g2 = g  # give g the promoted operands' matrix axes back
        if a.ndim == 1:
            g2 = g2.reshape(g2.shape[:-1] + (1,) + g2.shape[-1:]) if b.ndim > 1 else g2.reshape((1,))
        if b.ndim == 1:
            g2 = g2.reshape(g2.shape + (1,))
        ga = sum_to(g2 @ _swap(b2), a2.shape).reshape(a.shape) if need_a else None
        gb = sum_to(_swap(a2) @ g2, b2.shape).reshape(b.shape) if need_b else None
        return ga, gb


class Linear(Op):
    """``a @ b.T + c``, a layer's inputs ``a`` (..., in) times its weight ``b`` (out, in) plus its
    bias ``c`` (out,), as one op, as ``torch.nn.functional.linear``: the stepper shows one step
    per layer, whose three gradients are the lectures' equations for a layer (the error of the
    layer's input, the weights' and the biases' gradients), and the engine makes one node where
    ``@``, ``.T`` and ``+`` make three.

    ``ctx`` says which inputs need a gradient (the data in ``linear(x, W, b)`` needs none).
    """

    name = "linear"
    formula = "a.grad += g @ b,  b.grad += g.T @ a,  c.grad += g summed over the rows"

    @classmethod
    def rule(cls, node):
        """The formula for the inputs that need a gradient, in the shapes of this node's input."""
        clauses = cls.formula.split(",  ")
        ndim = node.parents[0].data.ndim
        if ndim == 1:  # one sample: no rows to sum over
            clauses[1:] = ["b.grad += outer(g, a)", "c.grad += g"]
        elif ndim > 2:  # a batch of row-blocks: every row of every block is a sample
            clauses[1:] = ["b.grad += g.T @ a  (the rows of every batch stacked)",
                           "c.grad += g summed over all but its last axis"]
        return ",  ".join(c for c, need in zip(clauses, node._ctx) if need) or "no input needs a gradient"

    @staticmethod
    def forward(ctx, a, b, *c):
        y = a @ b.T
        if not c:
            return y
        if c[0].dtype == y.dtype:  # y is this op's own new array: add in place
            y += c[0]
            return y
        return y + c[0]  # (a bias of another dtype may widen it, as + would)

    @staticmethod
    def backward(ctx, g, out, a, b, *c):
        ga = g @ b if ctx[0] else None
        gb = None
        if ctx[1]:  # every row of a (and of g) is a sample: one product over all of them
            rows = math.prod(a.shape[:-1])  # (not -1: numpy cannot infer it beside a 0-size axis)
            rows_g = g if g.ndim == 2 else g.reshape((rows, b.shape[0]))
            rows_a = a if a.ndim == 2 else a.reshape((rows, b.shape[1]))
            gb = rows_g.T @ rows_a
        if not c:
            return ga, gb
        return ga, gb, (sum_to(g, c[0].shape) if ctx[2] else None)


# -- reductions -----------------------------------------------------------------------------------


class Reduction(Op):
    """An op that reduces along ``axis`` with numpy's ``reduce``; ctx is ``(axis, keepdims)``."""

    whole_slopes = True  # (a reduction of one number, where its slope is a number: 1)
    reduce = staticmethod(_add_reduce)

    @classmethod
    def settings(cls, ctx):
        axis, keepdims = ctx
        return (() if axis is None else (f"axis={axis}",)) + (("keepdims=True",) if keepdims else ())

    @classmethod
    def rule(cls, node):
        """The formula, saying the axis: ``sum(a, axis=1)``, ``at each maximum along axis 1``."""
        axis = node._ctx[0]
        if axis is None:
            return cls.formula
        return (cls.formula.replace(f"{cls.name}(a)", f"{cls.name}(a, axis={axis})")
                .replace("at the maximum", f"at each maximum along axis {axis}")
                .replace("at the minimum", f"at each minimum along axis {axis}"))

    @classmethod
    def forward(cls, ctx, a):
        axis, keepdims = ctx
        wide = _SUM_DTYPE.get(a.dtype)  # float16 adds up in float32 (as np.mean does, and PyTorch)
        if wide is None:
            return np.asarray(cls.reduce(a, axis=axis, keepdims=keepdims))
        return np.asarray(cls.reduce(a, axis=axis, keepdims=keepdims, dtype=wide)).astype(a.dtype)


class Sum(Reduction):
    name = "sum"
    formula = "d/da sum(a) = 1 for every element"

    @staticmethod
    def backward(ctx, g, out, a):
        axis, keepdims = ctx
        if not keepdims and axis is not None:  # (a sum of everything broadcasts as it is)
            g = g.reshape(_keepdims_shape(a.shape, axis))
        return (broadcast_to(g, a.shape),)


class Mean(Sum):
    name = "mean"
    formula = "d/da mean(a) = 1/n for every element (n: how many are averaged)"
    reduce = staticmethod(np.mean)

    @staticmethod
    def averaged(ctx, a):
        """How many elements of ``a`` each mean averages (0 along an empty axis)."""
        axis = ctx[0]
        if axis is None:
            return a.size
        return int(np.prod([a.shape[i] for i in ((axis,) if isinstance(axis, int) else axis)]))

    @classmethod
    def rule(cls, node):
        n = cls.averaged(node._ctx, node.parents[0].data)
        return super().rule(node).replace("(n: how many are averaged)", f"(n = {n}, how many are averaged)")

    @staticmethod
    def backward(ctx, g, out, a):  # (n = 0: a is empty, and so is its gradient)
        return Sum.backward(ctx, g * (1.0 / max(Mean.averaged(ctx, a), 1)), out, a)


class Max(Reduction):
    """Largest element (along ``axis``); ties share the gradient equally, as ``torch.amax``."""

    name = "max"
    formula = "d/da max(a) = 1 at the maximum, 0 elsewhere (split equally between ties)"
    reduce = staticmethod(_max_reduce)

    @staticmethod
    def backward(ctx, g, out, a):
        axis, keepdims = ctx
        x = data_of(a)
        kept = _keepdims_shape(x.shape, axis)
        hit = x == data_of(out).reshape(kept)
        share = (hit / hit.sum(axis=axis, keepdims=True)).astype(x.dtype)
        if not keepdims:
            g = g.reshape(kept)
        return (broadcast_to(g, x.shape) * constant_like(a, share),)


class Min(Max):
    name = "min"
    formula = "d/da min(a) = 1 at the minimum, 0 elsewhere (split equally between ties)"
    reduce = staticmethod(_min_reduce)


class Softmax(Op):
    name = "softmax"
    formula = "d softmax(a)[i] / d a[j] = softmax(a)[i] * (1[i=j] - softmax(a)[j])"

    @classmethod
    def settings(cls, axis):
        return (f"axis={axis}",)  # (the default, the last axis, is a number by now: said too)

    @classmethod
    def rule(cls, node):
        """The formula, saying along which axis i and j run (each slice is normalised alone)."""
        axis = node._ctx
        if axis is None or node.data.ndim < 2:
            return cls.formula
        return f"{cls.formula}, i and j along axis {axis} (0 for i, j in different slices)"

    @staticmethod
    def forward(axis, a):
        e = np.exp(a - a.max(axis=axis, keepdims=True, initial=-np.inf))  # (initial: no rows, no error)
        return e / _summed(e, axis)

    @staticmethod
    def backward(axis, g, out, a):
        return (out * (g - _summed(g * out, axis)),)


class LogSoftmax(Op):
    name = "log_softmax"
    formula = "d log_softmax(a)[i] / d a[j] = 1[i=j] - softmax(a)[j]"
    rule = classmethod(Softmax.rule.__func__)  # (the same words, with this class's formula)
    settings = Softmax.settings

    @staticmethod
    def forward(axis, a):
        shifted = a - a.max(axis=axis, keepdims=True, initial=-np.inf)
        if not a.size:  # no rows: nothing to normalise (and no log of an empty sum's 0)
            return shifted
        return shifted - np.log(_summed(np.exp(shifted), axis))

    @staticmethod
    def backward(axis, g, out, a):
        return (g - call(out, "exp") * _summed(g, axis),)


class SquaredError(Op):
    """A sum of squared differences ``sum((a - t)**2)``, scaled, as one op (as torch's
    ``mse_loss`` is one node): its gradient ``2 * scale * (a - t)`` costs one product.

    ``ctx`` is ``[n, t needs a gradient, None]``; forward keeps ``a - t`` in the last place
    for backward.  Subclasses say how the sum is scaled by ``n``, in the same floating-point
    steps as the spelled-out loss, so both give the same numbers to the last digit (float16
    sums in float32, as np.mean: a batch of float16 squares can add up past 65504).
    """

    formula = "d/da scale * sum((a - b)**2) = 2 * scale * (a - b),  d/db = -(that)"

    @classmethod
    def rule(cls, node):
        """The formula with this node's ``n`` in it (``n = 10``, where it says ``n = len(a)``)."""
        head, sep, _ = cls.formula.rpartition("n = ")
        return f"{head}{sep}{node._ctx[0]}" if sep else cls.formula

    @classmethod
    def forward(cls, ctx, a, t):
        d = a - t
        ctx[2] = d
        squares = d * d
        total = _add_reduce(squares, None, _SUM_DTYPE.get(squares.dtype))
        return np.asarray(cls.scale(total, ctx[0]), dtype=squares.dtype)

    @classmethod
    def backward(cls, ctx, g, out, a, t):
        n, t_needs_grad, d = ctx
        if is_node(a):  # create_graph: the same formula, built from graph ops
            d = a - t
        else:  # g is 0-d: its number scales in scalar arithmetic (the same rounding), no ufunc call
            g = g[()]
        ga = d * (cls.scale_grad(g, n) * 2.0)
        return ga, (-ga if t_needs_grad else None)


class Quadratic(SquaredError):
    """The lectures' quadratic cost ``sum((a - y)**2) / (2 n)`` for ``n`` samples."""

    name = "quadratic"
    formula = "d/da sum((a - b)**2) / (2n) = (a - b) / n,  d/db = -(a - b) / n,  n = len(a)"

    @staticmethod
    def scale(total, n):
        return total * (0.5 / n)

    scale_grad = scale


class MeanSquaredError(SquaredError):
    """``mean((a - y)**2)`` over all ``n`` elements."""

    name = "mse"
    formula = "d/da mean((a - b)**2) = 2 (a - b) / n,  d/db = -2 (a - b) / n,  n = a.size"

    @staticmethod
    def scale(total, n):
        return total / n

    @staticmethod
    def scale_grad(g, n):
        return g * (1.0 / n)


class CrossEntropy(Op):
    """Softmax cross-entropy of logits (samples, classes) against integer labels, averaged over
    the samples, as one op, as ``torch.nn.functional.cross_entropy`` is: its gradient is the
    lectures' result, and it costs far less than log_softmax, indexing and mean as three ops.

    ``ctx`` is ``[labels, None, None]``; forward keeps the softmax it computes on the way, and
    the row numbers it indexes with, in the other two places, for backward (what PyTorch's
    ``ctx.save_for_backward`` is for).
    """

    name = "cross_entropy"
    formula = "d/da cross_entropy(a, labels) = (softmax(a) - one_hot(labels)) / len(a)"

    @classmethod
    def settings(cls, ctx):  # the labels, a constant: as numbers, or how many when many
        labels = ctx[0]
        if labels.size > 4:
            return (f"<{labels.size} labels>",)
        return ("[" + ", ".join(map(str, labels.tolist())) + "]",)

    @staticmethod
    def forward(ctx, z):
        labels = ctx[0]
        rows = ctx[2] = np.arange(len(labels))
        shifted = z - _max_reduce(z, -1, keepdims=True)
        e = np.exp(shifted)
        total = _add_reduce(e, -1, keepdims=True)
        e /= total
        ctx[1] = e  # the softmax, for backward
        losses = np.log(total[:, 0])
        losses -= shifted[rows, labels]  # -log softmax at each label, without log of a tiny number
        total = _add_reduce(losses, 0, _SUM_DTYPE.get(losses.dtype))
        return np.asarray(total / len(labels), dtype=losses.dtype)

    @staticmethod
    def backward(ctx, g, out, z):
        labels, probs, rows = ctx
        if is_node(z):  # create_graph: the same formula, built from graph ops
            one_hot = np.zeros(z.shape, dtype=z.data.dtype)
            one_hot[rows, labels] = 1
            return ((z.softmax(-1) - constant_like(z, one_hot)) * (g * (1.0 / len(labels))),)
        scale = g[()] * (1.0 / len(labels))  # g is 0-d: scalar arithmetic, no ufunc call
        d = probs * scale  # a new array: probs stays as forward left it, for another pass
        d[rows, labels] -= scale
        return (d,)


# -- shape ------------------------------------------------------------------------------------------


class AsType(Op):
    """The same numbers in another float dtype (``ctx``), as numpy's ``astype``; the gradient goes
    back in the input's dtype, as through PyTorch's ``.to(dtype)``."""

    name = "astype"
    whole_slopes = True
    formula = "d astype(a) / da = 1 (the gradient is cast back to a's dtype)"

    @classmethod
    def settings(cls, dtype):  # astype(x, float32), as np.astype(x, dtype) writes it
        return (dtype.name,)

    @staticmethod
    def forward(dtype, a):
        return a.astype(dtype)

    @staticmethod
    def backward(dtype, g, out, a):
        return (g.astype(a.dtype),)


class Reshape(Op):
    name = "reshape"
    whole_slopes = True
    formula = "reshape moves numbers, so the gradient is reshaped back"

    @staticmethod
    def forward(shape, a):
        return a.reshape(shape)

    @staticmethod
    def backward(shape, g, out, a):
        return (g.reshape(a.shape),)


class Transpose(Op):
    name = "transpose"
    whole_slopes = True
    formula = "transpose moves numbers, so the gradient is transposed back"

    @classmethod
    def settings(cls, axes):  # (none for .T, which reverses the axes)
        return () if axes == tuple(range(len(axes)))[::-1] else (f"axes={axes}",)

    @classmethod
    def rule(cls, node):
        axes = node._ctx
        if not cls.settings(axes):
            return cls.formula
        back = tuple(int(i) for i in np.argsort(axes))
        return f"{cls.formula} (axes={back}, the inverse of axes={axes})"

    @staticmethod
    def forward(axes, a):
        return a.transpose(axes)

    @staticmethod
    def backward(axes, g, out, a):
        return (g.transpose(tuple(np.argsort(axes))),)


class BroadcastTo(Op):
    name = "broadcast_to"
    whole_slopes = True
    formula = "each input element is copied to many outputs: their gradients add up"

    @staticmethod
    def forward(shape, a):
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(shape, g, out, a):
        return (sum_to(g, a.shape),)


class GetItem(Op):
    name = "[]"
    whole_slopes = True
    formula = "d a[i] / d a = 1 at i, 0 elsewhere (repeated indices add up)"

    @classmethod
    def display(cls, ctx):
        return f"[{index_text(ctx)}]"

    @classmethod
    def rule(cls, node):
        return f"d a{cls.display(node._ctx)} / d a = 1 there, 0 elsewhere (repeats add up)"

    @staticmethod
    def forward(index, a):
        return np.asarray(a[index])

    @staticmethod
    def backward(index, g, out, a):
        return (scatter(g, index, a.shape),)


class ScatterAdd(Op):
    """Zeros of a shape with the input added at an index: the adjoint of indexing."""

    name = "scatter_add"
    formula = "d/da scatter(a) at i = 1"

    @staticmethod
    def forward(ctx, g):
        index, shape = ctx
        out = np.zeros(shape, dtype=g.dtype)
        np.add.at(out, index, g)
        return out

    @staticmethod
    def backward(ctx, g, out, a):
        index, shape = ctx
        return (g[index],)


class Pad(Op):
    name = "pad"
    formula = "padding adds constants: the gradient of the original part is passed through"

    @staticmethod
    def forward(pad_width, a):
        return np.pad(a, pad_width)

    @staticmethod
    def backward(pad_width, g, out, a):
        return (g[tuple(slice(lo, lo + n) for (lo, _), n in zip(pad_width, a.shape))],)


class Concatenate(Op):
    name = "concatenate"
    formula = "each input's gradient is its slice of the output's gradient"

    @classmethod
    def settings(cls, axis):
        return (f"axis={axis}",)

    @classmethod
    def rule(cls, node):
        return f"{cls.formula}, along axis {node._ctx}"

    @staticmethod
    def forward(axis, *xs):
        return np.concatenate(xs, axis=axis)

    @staticmethod
    def backward(axis, g, out, *xs):
        edges = np.cumsum([0] + [x.shape[axis] for x in xs])
        lead = (slice(None),) * (axis % out.ndim)
        return tuple(g[lead + (slice(lo, hi),)] for lo, hi in zip(edges[:-1], edges[1:]))


class Stack(Concatenate):
    name = "stack"

    @staticmethod
    def forward(axis, *xs):
        return np.stack(xs, axis=axis)

    @staticmethod
    def backward(axis, g, out, *xs):
        lead = (slice(None),) * (axis % out.ndim)
        return tuple(g[lead + (i,)] for i in range(len(xs)))


# -- convolution and pooling: windows as a strided view, im2col, and Fold back ---------------------


class Unfold(Op):
    """Every ``kernel``-sized window of the last ``len(kernel)`` axes, taken every ``stride``.

    Shape ``(..., *spatial)`` becomes ``(..., *out_spatial, *kernel)``; a strided view in
    forward (no Python loop over positions), the matching ``Fold`` in backward.
    """

    name = "unfold"
    formula = "each input element gets the gradients of the windows it is in, added up"

    @staticmethod
    def forward(ctx, a):
        kernel, stride = ctx
        d = len(kernel)
        windows = np.lib.stride_tricks.sliding_window_view(a, kernel, axis=tuple(range(-d, 0)))
        picks = (Ellipsis,) + tuple(slice(None, None, s) for s in stride) + (slice(None),) * d
        return windows[picks]

    @staticmethod
    def backward(ctx, g, out, a):
        kernel, stride = ctx
        if is_node(g):
            return (apply(Fold, g, ctx=(kernel, stride, a.shape)),)
        return (Fold.forward((kernel, stride, a.shape), g),)


class Fold(Op):
    """The adjoint of Unfold: add every window back where it came from."""

    name = "fold"
    formula = "d fold / d window = 1 where the window came from"

    @staticmethod
    def forward(ctx, g):
        kernel, stride, shape = ctx
        d = len(kernel)
        out = np.zeros(shape, dtype=g.dtype)
        out_spatial = g.shape[-2 * d:-d]
        for offset in itertools.product(*(range(k) for k in kernel)):
            target = (Ellipsis,) + tuple(
                slice(o, o + s * (n - 1) + 1, s) for o, s, n in zip(offset, stride, out_spatial)
            )
            out[target] += g[(Ellipsis,) + offset]
        return out

    @staticmethod
    def backward(ctx, g, out, a):
        kernel, stride, shape = ctx
        if is_node(g):
            return (apply(Unfold, g, ctx=(kernel, stride)),)
        return (Unfold.forward((kernel, stride), g),)


def _windows_as_columns(x: Any, kernel: tuple, stride: tuple) -> Any:
    """im2col, one matrix per sample: every window of ``x`` (N, C, *spatial) as one column,
    (N, C * kernel size, positions).  Then a convolution is the weight (O, C * kernel size) times
    each sample's matrix, and comes out as (N, O, positions): already (N, O, *out), with no
    transpose after.  Arrays or Tensors (``create_graph``)."""
    d = len(kernel)
    windows = x.unfold(kernel, stride) if is_node(x) else Unfold.forward((kernel, stride), x)
    positions = windows.shape[2:2 + d]
    # unfold's (N, C, *positions, *kernel) as (N, C, *kernel, *positions): a window per column
    by_kernel = windows.transpose((0, 1) + tuple(range(2 + d, 2 + 2 * d)) + tuple(range(2, 2 + d)))
    return by_kernel.reshape(x.shape[0], x.shape[1] * int(np.prod(kernel)), int(np.prod(positions)))


def _weight_gradient(g_columns: Any, columns: Any) -> Any:
    """A convolution's weight gradient, (O, C * kernel size): each sample's g (O, positions)
    times its windows (positions, C * kernel size), summed over the samples."""
    if is_node(g_columns) or is_node(columns):  # create_graph: the batched product, as graph ops
        return (g_columns @ columns.transpose((0, 2, 1))).sum(axis=0)
    # For arrays, a batched product of positions // O samples at a time (at least one): their
    # (samples, O, C * kernel size) products are then no bigger than one sample's windows (or
    # one sample's product, where O > positions).  All at once, a layer of 128 channels at 6x6
    # positions would hold 13x the memory of the rest of its backward.
    (n, o, _), per_product = g_columns.shape, max(1, columns.shape[2] // g_columns.shape[1])
    total = np.zeros((o, columns.shape[1]), dtype=np.result_type(g_columns, columns))
    for start in range(0, n, per_product):
        some = slice(start, start + per_product)
        products = g_columns[some] @ columns[some].transpose((0, 2, 1))
        total += products.sum(axis=0) if len(products) > 1 else products[0]  # (a sum of one: a copy)
    return total


class Conv(Op):
    """Cross-correlation of ``x`` (N, C, *spatial) with ``w`` (O, C, *kernel), plus a bias ``b``
    (O,) when given: one op, as torch's ``conv1d``/``conv2d``, so that the stepper shows one
    step.  Inside, im2col (:func:`_windows_as_columns`) and one matrix product per sample; in
    backward the same product's two gradients, and Fold to add each window's gradient back to
    the input.

    ``ctx`` is ``[stride, padding, needs, columns]``: ``needs`` says which inputs need a gradient
    (a constant image costs no Fold), ``columns`` keeps forward's im2col for the weight's gradient.
    """

    name = "conv"
    formula = ("b.grad += g times each window of a, summed;  a.grad += g times b, added back where "
               "each window was;  c.grad += g summed")

    @classmethod
    def display(cls, ctx):
        return f"conv{len(ctx[0])}d"

    @classmethod
    def settings(cls, ctx):
        stride, padding = ctx[0], ctx[1]
        return tuple(f"{word}={_setting(value)}" for word, value, default in
                     [("stride", stride, 1), ("padding", padding, 0)] if set(value) != {default})

    @classmethod
    def rule(cls, node):
        """The formula for the inputs that need a gradient (as the formula orders them: the
        weight b first, then the input a, then the bias c)."""
        clauses = dict(zip("bac", cls.formula.split(";  ")))
        needs = dict(zip("abc", node._ctx[2]))  # (x, w, b: the inputs a, b, c)
        rule = ";  ".join(clauses[k] for k in "bac" if needs.get(k)) or "no input needs a gradient"
        padding = node._ctx[1]
        if any(padding):  # (the zeros' share of the gradient is dropped)
            rule += f"  (windows of a padded with zeros: padding={_setting(padding)})"
        return rule

    @staticmethod
    def forward(ctx, x, w, *b):
        stride, padding = ctx[0], ctx[1]
        d, o = len(stride), w.shape[0]
        if any(padding):
            x = np.pad(x, ((0, 0), (0, 0)) + tuple((p, p) for p in padding))
        columns = _windows_as_columns(x, w.shape[2:], stride)
        if ctx[2][1]:  # kept for the weight's gradient only if it needs one (a frozen layer's are freed)
            ctx[3] = columns
        out = tuple((n - k) // s + 1 for n, k, s in zip(x.shape[2:], w.shape[2:], stride))
        y = (w.reshape(o, -1) @ columns).reshape((x.shape[0], o) + out)
        if not b:
            return y
        bias = b[0].reshape((1, o) + (1,) * d)
        # y is this op's own new array: add in place, unless the bias's dtype would widen it
        return np.add(y, bias, out=y) if np.result_type(y, bias) == y.dtype else y + bias

    @staticmethod
    def backward(ctx, g, out, x, w, *b):
        stride, padding, needs, columns = ctx
        d, (n, c), o, kernel = len(stride), x.shape[:2], w.shape[0], w.shape[2:]
        spatial = tuple(range(2, 2 + d))
        g_columns = g.reshape(n, o, int(np.prod(g.shape[2:])))  # (N, O, positions), as forward made it
        grads = []
        if needs[0]:  # each window's gradient, w.T @ g, added back where the window came from
            g_windows = (w.reshape(o, -1).T @ g_columns).reshape((n, c) + kernel + g.shape[2:])
            # (N, C, *kernel, *positions) back to unfold's (N, C, *positions, *kernel)
            g_windows = g_windows.transpose((0, 1) + tuple(range(2 + d, 2 + 2 * d)) + spatial)
            padded = (n, c) + tuple(m + 2 * p for m, p in zip(x.shape[2:], padding))
            fold = (kernel, stride, padded)
            gx = apply(Fold, g_windows, ctx=fold) if is_node(g_windows) else Fold.forward(fold, g_windows)
            inner = (slice(None),) * 2 + tuple(slice(p, p + m) for p, m in zip(padding, x.shape[2:]))
            grads.append(gx[inner] if any(padding) else gx)
        else:
            grads.append(None)
        if needs[1]:
            if is_node(g):  # create_graph: the windows as a graph of x, for derivatives through x
                xp = x.pad(((0, 0), (0, 0)) + tuple((p, p) for p in padding)) if any(padding) else x
                columns = _windows_as_columns(xp, kernel, stride)
            grads.append(_weight_gradient(g_columns, columns).reshape(w.shape))
        else:
            grads.append(None)
        if b:
            grads.append(g.sum(axis=(0,) + spatial) if needs[2] else None)
        return tuple(grads)


def _setting(value: tuple) -> str:
    """A per-axis setting as a call writes it: ``2`` for (2, 2), ``(2, 3)`` otherwise."""
    return str(value[0]) if len(set(value)) == 1 else str(value)


def _largest_in_windows(windows: np.ndarray, width: int, nan: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each window's pick, as its offset in a flattened image of ``width`` columns (row * width +
    column), and the running maximum; ``windows`` (N, C, *out, kernel rows, kernel columns).

    One pass over all windows per kernel offset, not a Python loop over windows.  As in torch's
    loop, a later element takes the window's place if it is larger, or (``nan``) a nan: ties go
    to the first, and a window with a nan picks its last.
    """
    offsets = itertools.product(*(range(k) for k in windows.shape[-2:]))
    largest = windows[(Ellipsis,) + next(offsets)].copy()
    pick = np.zeros(largest.shape, dtype=np.intp)
    for row, column in offsets:
        candidate = windows[..., row, column]
        wins = candidate > largest
        if nan:
            wins |= np.isnan(candidate)
        # pick = row * width + column where the candidate wins: that only grows along the
        # window, so it is max(pick, wins * (row * width + column)) (faster than a masked copy)
        np.maximum(pick, wins * (row * width + column), out=pick)
        np.maximum(largest, candidate, out=largest)  # the running maximum, for the comparisons
    return pick, largest


class MaxPool(Op):
    """The largest value of each window (N, C, *windows): one op, as torch's ``max_pool2d``;
    the gradient goes to the element picked: the first largest of the window, or its last nan
    (as torch's loop: a later element takes the place if it is larger or nan).  ``ctx`` is
    ``[kernel, stride, pick]``, ``pick`` each window's pick as a flat index into x."""

    name = "max_pool2d"
    formula = ("a.grad += g at the largest element of each window (the first, if tied; the last nan, "
               "if any), 0 elsewhere")

    @classmethod
    def settings(cls, ctx):
        kernel, stride = ctx[0], ctx[1]
        return (_setting(kernel),) + ((f"stride={_setting(stride)}",) if stride != kernel else ())

    @staticmethod
    def forward(ctx, x):
        kernel, stride = ctx[0], ctx[1]
        n, c, height, width = x.shape
        windows = Unfold.forward((kernel, stride), x)  # (N, C, *out, *kernel), a view
        pick, largest = _largest_in_windows(windows, width, nan=False)
        if np.isnan(largest).any():  # (the running maximum keeps a nan) a window holds a nan: pick it
            pick, largest = _largest_in_windows(windows, width, nan=True)
        out_h, out_w = largest.shape[2:]
        pick += (np.arange(out_h, dtype=np.intp).reshape(-1, 1) * (stride[0] * width)
                 + np.arange(out_w, dtype=np.intp) * stride[1])  # + the window's corner in its image
        pick += np.arange(n * c, dtype=np.intp).reshape(n, c, 1, 1) * (height * width)  # + the image's start
        ctx[2] = pick
        # The output is read at the picks, the very elements the gradient goes to (the running
        # maximum may hold the other zero of a tie between -0.0 and 0.0).
        return np.ravel(x)[pick]

    @staticmethod
    def backward(ctx, g, out, x):
        # each window's g added at its pick (overlapping windows may pick an element twice);
        # graph ops for create_graph, whose own gradient reads g back at the picks
        return (scatter(g.reshape(-1), ctx[2].reshape(-1), (x.size,)).reshape(x.shape),)
