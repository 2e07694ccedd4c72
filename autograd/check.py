"""``gradcheck``: compare backward with central differences, and find the op that is wrong."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from .array_ops import sum_to
from .display import differential
from .functional import as_leaf
from .graph import gradients, topological_order
from .mode import no_grad
from .ops import data_of, is_node


class GradcheckError(AssertionError):
    """Backward disagrees with central differences; the message has the table."""


def _values_at(evaluate: Callable[[], Any], leaf: Any, index: tuple, steps: tuple,
               errors: list | None = None) -> list[float]:
    """``sum(evaluate())`` with one element of ``leaf.data`` moved by each of ``steps`` in turn;
    ``leaf.data`` is put back after.  Where a moved input is outside f's domain (a Value op
    raises there, numpy gives nan) the value is nan, and the error is added to ``errors``."""
    original = leaf.data
    base = np.array(original, dtype=np.float64)
    values = []
    try:
        for step in steps:
            moved = base.copy()
            moved[index] += step
            leaf.data = float(moved) if isinstance(original, float) else moved.astype(original.dtype)
            try:
                with np.errstate(all="ignore"):  # (nan outside the domain is reported, not warned)
                    values.append(float(np.sum(evaluate())))
            except (ArithmeticError, ValueError) as err:  # e.g. "sqrt of negative value"
                values.append(math.nan)
                if errors is not None:
                    errors.append(f"{type(err).__name__}: {err}")
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


def _pole(evaluate: Callable[[], Any], holder: Any, index: tuple, eps: float, values: tuple) -> bool:
    """f changes sign across x +- eps, is largest at x, and grows towards the sign change: a
    pole between (1/x near 0).  Where it shrinks towards it, it is a root (x*x - 1e-12)."""
    below, at, above = values
    if not (below * above < 0 and abs(at) > max(abs(below), abs(above))):
        return False
    far, step = (below, -eps / 2) if below * at < 0 else (above, eps / 2)  # the side that changes sign
    (middle,) = _values_at(evaluate, holder, index, (step,))
    return abs(middle) > abs(far)


def _advice(evaluate: Callable[[], Any], holder: Any, index: tuple, eps: float) -> str:
    """What to do where central differences with ``eps`` cannot check: a 1000 times smaller
    eps, if f is smooth enough there to be checked with it, else move the input."""
    small = eps / 1000
    values = tuple(_values_at(evaluate, holder, index, (-small, 0.0, small)))
    if all(map(math.isfinite, values)) and not _pole(evaluate, holder, index, small, values):
        return f"pass a smaller eps (eps={small:g} can check it there)"
    return f"move the input away (it is within {small:g} of the singularity or the edge of the domain)"


def _local_mismatch(node: Any, eps: float, atol: float, rtol: float, names: dict) -> tuple[str, str] | None:
    """Check one op's backward against central differences of its own forward: None if they
    agree, else ``('wrong', why)``, or ``('kink', why)`` where central differences cannot check it
    (a kink, a pole, a nan within eps).
    ``names``: node -> its name in gradcheck's table (``input 1``), for its unlabelled inputs."""
    op, ctx = node._op, node._ctx
    # forward may save what backward needs in a mutable ctx (CrossEntropy keeps its softmax):
    # run it on a copy, or the graph's node would be left holding a perturbed input's data
    if isinstance(ctx, (list, dict)):
        ctx = ctx.copy()
    xs = [p.data for p in node.parents]
    rng = np.random.default_rng(0)
    out = np.asarray(op.forward(ctx, *xs), dtype=np.float64)
    # (not 1 for a number either: a backward that forgets to multiply by g would pass; its
    # numbers are then shown per unit of g, the derivatives themselves)
    g = rng.standard_normal(out.shape) if out.shape else np.float64(rng.uniform(1.5, 2.5))
    unit = 1.0 if out.shape else float(g)
    g_raw = float(g) if isinstance(node.data, float) else g.astype(node.data.dtype)
    analytic = op.backward(ctx, g_raw, node.data, *xs)
    for k, (parent, x, a) in enumerate(zip(node.parents, xs, analytic)):
        if a is None:  # the op was told this input needs no gradient (a constant)
            continue
        holder = _Holder(x)

        def evaluate(k: int = k, holder: _Holder = holder) -> Any:
            args = list(xs)
            args[k] = holder.data
            return np.sum(g * np.asarray(op.forward(ctx, *args), dtype=np.float64)) / unit

        numeric = _numeric_gradient(evaluate, holder, eps)
        a = np.asarray(data_of(a), dtype=np.float64) / unit
        if np.broadcast_shapes(a.shape, numeric.shape) != numeric.shape:
            a = sum_to(a, numeric.shape)  # the input was broadcast: its gradient adds up
        a = np.broadcast_to(a, numeric.shape)
        bad = ~np.isclose(a, numeric, atol=atol, rtol=rtol, equal_nan=True)
        if not bad.any():
            continue
        name = parent.label or names.get(parent) or f"input {k} of '{node.op}'"
        where = f"op '{node.op}' at node {node.label or '<unlabelled>'}"
        excuses = []  # why central differences cannot check each disagreeing element, if they cannot
        for index in zip(*np.nonzero(np.atleast_1d(bad))):
            index = tuple(map(int, index)) if numeric.ndim else ()
            x_at = f"{name}{list(index) if index else ''} = {float(np.asarray(x)[index]):.6g}"
            if not np.isfinite(numeric[index]):  # its forward is nan (or raises) within eps
                excuses.append(
                    f"{where} is nan or undefined within "
                    f"eps={eps:g} of {x_at} (too near a singularity or the edge of its domain), so "
                    "central differences cannot check it there; " + _advice(evaluate, holder, index, eps))
                continue
            below, at, above = _values_at(evaluate, holder, index, (-eps, 0.0, eps))
            if _pole(evaluate, holder, index, eps, (below, at, above)):
                excuses.append(
                    f"{where} changes sign within eps={eps:g} "
                    f"of {x_at} and is largest at it: a pole (a singularity) lies between, where central "
                    "differences cannot check backward; " + _advice(evaluate, holder, index, eps))
                continue
            left, right = (at - below) / eps, (above - at) / eps
            # a kink: the slopes differ, and backward took one of them (else backward is wrong:
            # a curved function's one-sided slopes also differ, by about f'' * eps)
            if not np.isclose(left, right, atol=atol, rtol=rtol) and any(
                    np.isclose(a[index], side, atol=atol, rtol=rtol) for side in (left, right)):
                of = ("" if isinstance(node.data, float)
                      else " of sum(g * forward), g a random upstream gradient,")
                excuses.append(
                    f"{where} is not smooth within "
                    f"eps={eps:g} of {x_at} (slope{of} {left:.6g} from the left, {right:.6g} from the "
                    f"right): at a kink central differences cannot check backward (which gives "
                    f"{float(a[index]):.6g}); move the input away")
                continue
            excuses = []  # an element where backward is simply wrong: the op is to blame
            break
        if excuses:
            return "kink", excuses[0]
        forgot_g = not out.shape and np.allclose(a * unit, numeric, rtol=rtol, atol=atol)
        if forgot_g:  # (a number's op is sent a g other than 1, so that this shows)
            shown = (f"sent the upstream gradient g = {unit:.6g}, its backward returned {_show(a * unit)}, "
                     f"which is d/{differential(name)} itself (central differences give {_show(numeric)}), "
                     f"not g times it: does it forget to multiply by g?")
        elif not out.shape:  # (a number's: per unit of g, the derivatives themselves)
            shown = (f"its backward gives d/{differential(name)} = {_show(a)}, central differences give "
                     f"{_show(numeric)}")
        else:  # what is compared: g . d out/d input for a random upstream gradient g (one pass)
            shown = (f"with a random upstream gradient g, its backward gives g . d/{differential(name)} = "
                     f"{_show(a)}, central differences of sum(g * forward) give {_show(numeric)}")
        formula = f", formula: {op.rule(node)}" if op.formula else ""
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


def _check_options(**options: Any) -> None:
    """eps a small positive number, the tolerances numbers >= 0: else nothing can be compared."""
    for name, v in options.items():
        if not isinstance(v, numbers.Real) or isinstance(v, bool):
            raise TypeError(f"gradcheck: {name} must be a number, got {type(v).__name__} {v!r:.40}")
        least = "> 0" if name == "eps" else ">= 0"
        if not math.isfinite(v) or v < 0 or (name == "eps" and v == 0):
            raise ValueError(f"gradcheck: {name} must be a finite number {least}, got {v}")


def _outside_domain(out: Any, value: np.ndarray) -> str:
    """f is nan or inf at the inputs: say where it first became so, not that an op is wrong."""
    kind = "nan" if np.isnan(value).any() else "inf"
    where = ""
    for node in topological_order(out):
        if node._op is not None and not np.isfinite(node.data).all() and all(
                np.isfinite(p.data).all() for p in node.parents):
            where = (f" (first at op '{node.op}', node {node.label or '<unlabelled>'}, which gives "
                     f"{'nan' if np.isnan(node.data).any() else 'inf'} from finite inputs)")
            break
    return (f"gradcheck: f is {kind} at the inputs{where}: they are outside f's domain (or it overflows "
            "there), so it has no derivative to check; pick inputs where f is finite")


def _too_near(evaluate: Callable[[], Any], leaf: Any, name: str, numeric: np.ndarray, eps: float) -> str:
    """f is finite at the inputs but not within eps of one: too near a singularity for eps."""
    index = tuple(int(i) for i in np.argwhere(~np.isfinite(np.atleast_1d(numeric)))[0])
    index = index if numeric.ndim else ()
    errors: list = []
    up, down = _values_at(evaluate, leaf, index, (eps, -eps), errors)
    x_at = f"{name}{list(index) if index else ''}"
    if not math.isfinite(up) or not math.isfinite(down):
        sign, value = ("+", up) if not math.isfinite(up) else ("-", down)
        what = f"undefined ({errors[0]})" if errors else ("nan" if math.isnan(value) else str(value))
        at = f"{what} at {x_at} {sign} eps"
    else:  # both finite, their difference is not: f jumps by more than a float holds
        at = f"too steep at {x_at} (f({x_at} + eps) - f({x_at} - eps) overflows)"
    x = float(np.asarray(leaf.data, dtype=np.float64)[index])
    return (f"gradcheck: f is finite at the inputs but {at} ({x_at} = {x:.6g}, eps = {eps:g}): the input is "
            "too near a singularity or the edge of f's domain for central differences; "
            + _advice(evaluate, leaf, index, eps))


def _check_result(out: Any) -> None:
    """f must give one number as a graph node: gradcheck compares the gradient of that number."""
    if not is_node(out):
        raise TypeError(f"gradcheck: f must return a Value or Tensor computed from its inputs, got "
                        f"{type(out).__name__} {out!r:.40}")
    if np.size(out.data) != 1:  # as backward() without a gradient
        raise ValueError(f"gradcheck: f must return a scalar, got a Tensor of shape {out.shape}: reduce "
                         "it (e.g. .sum()), or check one element at a time")


def gradcheck(f: Callable[..., Any], *inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3) -> bool:
    """True if the gradients of scalar ``f`` at ``inputs`` match central differences.

    Otherwise raises :class:`GradcheckError` with a table of the mismatches and the first
    node (inputs first) whose own local derivative is wrong, which is where to look.
    Raises ValueError where nothing can be checked: f is nan or inf at the inputs (outside its
    domain) or within ``eps`` of one (too near a singularity), or ``eps``, ``atol``, ``rtol``
    are not finite numbers (``eps > 0``, the tolerances ``>= 0``).

    >>> from autograd import gradcheck
    >>> gradcheck(lambda x, y: (x * y).tanh() + x ** 2, 0.3, -1.2)
    True
    """
    _check_options(eps=eps, atol=atol, rtol=rtol)
    if not inputs:  # with nothing to vary, every check would pass
        raise ValueError("gradcheck needs the inputs to check f at: gradcheck(f, x, y, ...)")
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
    _check_result(out)
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
    if not np.isfinite(first).all():
        raise ValueError(_outside_domain(out, first))
    rows = []
    for i, (leaf, a) in enumerate(zip(leaves, analytic)):
        numeric = _numeric_gradient(evaluate, leaf, eps)
        if not np.isfinite(numeric).all():
            raise ValueError(_too_near(evaluate, leaf, leaf.label or f"input {i}", numeric, eps))
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
    names = {leaf: f"input {i}" for i, leaf in enumerate(leaves) if not leaf.label}
    wrong = kink = None
    for node in topological_order(out):
        if node._op is not None:
            found = _local_mismatch(node, eps, atol, rtol, names)
            if found and found[0] == "wrong":
                wrong = wrong or found[1]
            elif found:
                kink = kink or found[1]
            if wrong and kink:
                break
    if wrong:  # the op to fix first; a kink may explain other rows of the table
        lines.extend([wrong] + ([f"also, {kink}"] if kink else []))
    elif kink:
        lines.append(f"no op's local derivative is found wrong, but {kink}")
    else:
        lines.append(
            "every op's local derivative agrees. Look for a kink (relu, abs, step) within eps of an input, "
            "or for a number that depends on an input but is not in the graph: one kept in an op's ctx, "
            "or taken out with .data or .item() (to a derivative it is a constant)")
    raise GradcheckError("\n".join(lines))
