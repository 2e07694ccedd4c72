"""``gradcheck``: compare backward with central differences, and find the op that is wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .array_ops import sum_to
from .functional import as_leaf
from .graph import gradients, topological_order
from .mode import no_grad
from .ops import data_of


class GradcheckError(AssertionError):
    """Backward disagrees with central differences; the message has the table."""


def _values_at(evaluate: Callable[[], Any], leaf: Any, index: tuple, steps: tuple) -> list[float]:
    """``sum(evaluate())`` with one element of ``leaf.data`` moved by each of ``steps`` in turn;
    ``leaf.data`` is put back after."""
    original = leaf.data
    base = np.array(original, dtype=np.float64)
    values = []
    try:
        for step in steps:
            moved = base.copy()
            moved[index] += step
            leaf.data = float(moved) if isinstance(original, float) else moved.astype(original.dtype)
            values.append(float(np.sum(evaluate())))
    finally:
        leaf.data = original
    return values


def _numeric_gradient(evaluate: Callable[[], Any], leaf: Any, eps: float) -> np.ndarray:
    """d evaluate() / d leaf.data by central differences, one element at a time."""
    numeric = np.zeros(np.shape(leaf.data))
    for index in np.ndindex(numeric.shape):
        up, down = _values_at(evaluate, leaf, index, (eps, -eps))
        numeric[index] = (up - down) / (2 * eps)
    return numeric


def _local_mismatch(node: Any, eps: float, atol: float, rtol: float) -> tuple[str, str] | None:
    """Check one op's backward against central differences of its own forward: None if they
    agree, else ``('wrong', why)``, or ``('kink', why)`` where the forward has no derivative."""
    op, ctx = node._op, node._ctx
    # forward may save what backward needs in a mutable ctx (CrossEntropy keeps its softmax):
    # run it on a copy, or the graph's node would be left holding a perturbed input's data
    if isinstance(ctx, (list, dict)):
        ctx = ctx.copy()
    xs = [p.data for p in node.parents]
    rng = np.random.default_rng(0)
    out = np.asarray(op.forward(ctx, *xs), dtype=np.float64)
    g = rng.standard_normal(out.shape) if out.shape else np.float64(1.0)
    g_raw = float(g) if isinstance(node.data, float) else g.astype(node.data.dtype)
    analytic = op.backward(ctx, g_raw, node.data, *xs)
    for k, (parent, x, a) in enumerate(zip(node.parents, xs, analytic)):
        if a is None:  # the op was told this input needs no gradient (a constant)
            continue
        holder = _Holder(x)

        def evaluate(k: int = k, holder: _Holder = holder) -> Any:
            args = list(xs)
            args[k] = holder.data
            return np.sum(g * np.asarray(op.forward(ctx, *args), dtype=np.float64))

        numeric = _numeric_gradient(evaluate, holder, eps)
        a = np.asarray(data_of(a), dtype=np.float64)
        if np.broadcast_shapes(a.shape, numeric.shape) != numeric.shape:
            a = sum_to(a, numeric.shape)  # the input was broadcast: its gradient adds up
        a = np.broadcast_to(a, numeric.shape)
        bad = ~np.isclose(a, numeric, atol=atol, rtol=rtol, equal_nan=True)
        if not bad.any():
            continue
        name = parent.label or f"input {k}"
        where = f"op '{node.op}' at node {node.label or '<unlabelled>'}"
        for index in zip(*np.nonzero(np.atleast_1d(bad))):
            index = index if numeric.ndim else ()
            below, at, above = _values_at(evaluate, holder, index, (-eps, 0.0, eps))
            left, right = (at - below) / eps, (above - at) / eps
            # a kink: the slopes differ, and backward took one of them (else backward is wrong:
            # a curved function's one-sided slopes also differ, by about f'' * eps)
            kink = not np.isclose(left, right, atol=atol, rtol=rtol) and any(
                np.isclose(a[index], side, atol=atol, rtol=rtol) for side in (left, right))
            if kink:
                x_at = f"{name}{list(map(int, index)) if index else ''}"
                of = ("" if isinstance(node.data, float)
                      else " of sum(g * forward), g a random upstream gradient,")
                return "kink", (
                    f"no op's local derivative is wrong, but {where} is not smooth within "
                    f"eps={eps:g} of {x_at} = {float(np.asarray(x)[index]):.6g} (slope{of} {left:.6g} "
                    f"from the left, {right:.6g} from the right): at a kink central differences "
                    f"cannot check backward (which gives {float(a[index]):.6g}); move the input away")
        if isinstance(node.data, float):
            shown = f"its backward gives d/d{name} = {_show(a)}, central differences give {_show(numeric)}"
        else:  # what is compared: g . d out/d input for a random upstream gradient g (one pass)
            shown = (f"with a random upstream gradient g, its backward gives g . d/d{name} = "
                     f"{_show(a)}, central differences of sum(g * forward) give {_show(numeric)}")
        formula = f", formula: {op.formula}" if op.formula else ""
        return "wrong", (f"first node whose local derivative disagrees: node {node.label or '<unlabelled>'} "
                         f"(op '{node.op}'{formula}): {shown}")
    return None


class _Holder:
    """Something with a ``data`` attribute, to perturb a raw op input in place."""

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        self.data = data


def _show(a: np.ndarray) -> str:
    return f"{float(a):.6g}" if a.ndim == 0 else np.array2string(a, precision=6)


def gradcheck(f: Callable[..., Any], *inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3) -> bool:
    """True if the gradients of scalar ``f`` at ``inputs`` match central differences.

    Otherwise raises :class:`GradcheckError` with a table of the mismatches and the first
    node (inputs first) whose own local derivative is wrong, which is where to look.

    >>> from autograd import gradcheck
    >>> gradcheck(lambda x, y: (x * y).tanh() + x ** 2, 0.3, -1.2)
    True
    """
    leaves = [as_leaf(x)[0] for x in inputs]
    for i, leaf in enumerate(leaves):
        dtype = getattr(leaf.data, "dtype", np.dtype(np.float64))
        if dtype.itemsize < 8:  # central differences with eps=1e-6 drown in float32 rounding
            raise TypeError(
                f"gradcheck needs float64 inputs; input {i} is {dtype}, whose rounding (about "
                f"{float(np.finfo(dtype).eps):.0e}) swamps central differences with eps={eps:g}: "
                "pass it as float64"
            )
    out = f(*leaves)
    analytic = gradients(out, leaves)

    def evaluate() -> Any:
        with no_grad():
            return data_of(f(*leaves))

    first, again = np.asarray(evaluate(), dtype=np.float64), np.asarray(evaluate(), dtype=np.float64)
    if not np.array_equal(first, again, equal_nan=True):  # random data or dropout inside f
        raise GradcheckError(
            f"f gives different results for the same inputs ({_show(first)}, then {_show(again)}): "
            "central differences need a function of its inputs alone; fix its random numbers (a seed, "
            "data drawn once outside f, a model in eval mode)"
        )
    rows = []
    for i, (leaf, a) in enumerate(zip(leaves, analytic)):
        numeric = _numeric_gradient(evaluate, leaf, eps)
        a = np.asarray(data_of(a), dtype=np.float64)
        bad = ~np.isclose(a, numeric, atol=atol, rtol=rtol, equal_nan=True)
        for index in zip(*np.nonzero(np.atleast_1d(bad))):
            idx = tuple(int(i) for i in index) if a.ndim else ()
            rows.append((leaf.label or f"input {i}", idx, float(a[idx]), float(numeric[idx])))
    if not rows:
        return True
    lines = ["gradient check failed:",
             f"  {'input':<12}{'index':<10}{'backward':>14}{'numeric':>14}{'abs error':>12}"]
    for name, idx, a, n in rows:
        lines.append(f"  {name:<12}{str(idx or ''):<10}{a:>14.6g}{n:>14.6g}{abs(a - n):>12.3g}")
    kink = None
    for node in topological_order(out):
        if node._op is not None:
            found = _local_mismatch(node, eps, atol, rtol)
            if found and found[0] == "wrong":
                lines.append(found[1])
                break
            kink = kink or (found and found[1])
    else:
        lines.append(kink or "every op's local derivative agrees; check for a kink (relu, abs, step) "
                     "within eps of an input")
    raise GradcheckError("\n".join(lines))
