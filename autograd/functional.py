"""``grad(f)``: the gradient of a scalar function as a function, in the style of JAX and HIPS autograd."""

from __future__ import annotations

import functools
import numbers
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from .graph import gradients, topological_order
from .mode import enable_grad
from .ops import data_of
from .value import Value


def as_leaf(x: Any) -> tuple[Any, bool]:
    """``(node, was_node)``: a node is used as it is; a number (or array), or a constant Tensor
    (data, as an array is), becomes a new leaf."""
    if hasattr(x, "parents"):
        if getattr(x, "requires_grad", True) is False and not x.parents:  # (its numbers: numbers out)
            return (x.__class__(x.data, requires_grad=True) if isinstance(x.data, np.ndarray)
                    else Value(x.data)), False
        return x, True
    if isinstance(x, np.ndarray | list):
        from .tensor import Tensor  # arrays go to Tensor; imported late to keep Value standalone

        return Tensor(x, requires_grad=True), False
    return Value(x), False


def grad(f: Callable[..., Any]) -> Callable[..., Any]:
    """``grad(f)(*args)`` is the gradient of the scalar ``f`` at ``args``: one per argument,
    a single one when there is one argument.

    Numbers in give numbers out.  Nodes in give nodes out, built with ``create_graph=True``,
    so ``grad`` nests for higher derivatives; so does the gradient of an ``f`` that uses an outer
    ``grad``'s variable (a closure over its ``x``), which depends on it:

    >>> from autograd import grad
    >>> f = lambda x: x ** 3
    >>> grad(f)(2.0)
    12.0
    >>> grad(grad(f))(2.0), grad(grad(grad(f)))(2.0)
    (12.0, 6.0)
    >>> grad(lambda x, y: x * y)(3.0, 4.0)
    (4.0, 3.0)
    >>> grad(lambda x: x * grad(lambda y: x * y)(1.0))(2.0)   # d/dx x*x, as torch.func gives
    4.0
    """

    @functools.wraps(f)
    def gradient_of_f(*args: Any) -> Any:
        if not args:
            raise TypeError(f"grad({getattr(f, '__name__', 'f')}) needs at least one argument")
        leaves, was_node = zip(*(as_leaf(a) for a in args))
        _ENCLOSING.stack.append({id(leaf) for leaf in leaves})
        try:  # (a gradient is asked for: recorded inside no_grad() too, as torch.func.grad's)
            with enable_grad():
                out = f(*leaves)
        finally:
            _ENCLOSING.stack.pop()
        outer = False
        if not hasattr(out, "parents"):  # f ignored its inputs: a constant has zero gradient
            if not isinstance(out, numbers.Real | np.ndarray):
                raise TypeError(
                    f"grad(f) needs f to return a number or a node, got {type(out).__name__} "
                    f"{out!r:.40}" + (" (does f forget to return its result?)" if out is None else "")
                )
            _check_scalar(out)
            results = [leaf._zero_grad() for leaf in leaves]
        else:
            _check_scalar(out)
            # an enclosing grad's variable in f's graph (a closure over its x): the gradient depends
            # on it, so it stays a node of its graph (as a number it was cut off from it:
            # grad(lambda x: x * grad(lambda y: x * y)(1.0))(2.0) was 2.0, not 4.0)
            enclosing = set().union(*_ENCLOSING.stack)
            outer = bool(enclosing) and any(id(n) in enclosing for n in topological_order(out, leaves=True)
                                            if not n.parents)
            with enable_grad():
                results = gradients(out, leaves, create_graph=any(was_node) or outer)
        results = [r if node or outer else data_of(r) for r, node in zip(results, was_node)]
        return results[0] if len(results) == 1 else tuple(results)

    return gradient_of_f


class _Enclosing(threading.local):
    def __init__(self) -> None:
        self.stack: list[set[int]] = []  # the argument leaves of each grad whose f is running


_ENCLOSING = _Enclosing()


def _check_scalar(out: Any) -> None:
    shape = getattr(out, "shape", ())
    if shape not in ((), (1,)) and getattr(out, "size", 1) != 1:
        raise ValueError(f"grad(f) needs f to return a scalar, got shape {shape}")
