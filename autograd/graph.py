"""The graph core: topological order and the chain rule, written once for every node type.

A node is anything with ``data``, ``grad``, ``parents`` (a tuple), ``label``, ``_op`` (an
:class:`~autograd.ops.Op` class, None for a leaf) and ``_ctx``, plus what says how its kind of
gradient starts and adds up: ``_grad_zero`` (what ``.grad`` restarts from each pass),
``_accumulate_grad(g, passed_through)``, ``_seed_grad(gradient, create_graph)`` and ``_zero_grad()`` (a zero
gradient of the node's shape).  :class:`~autograd.value.Value` and
:class:`~autograd.tensor.Tensor` both are.

Nothing here recurses, so a chain of a million nodes is fine.
"""

from __future__ import annotations

import math
import numbers
import operator
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

from .mode import MODE, AnomalyError, enable_grad
from .ops import Op, data_of

_BOOLS = (bool, np.bool_)
_data = operator.attrgetter("data")  # a node's numbers, without a Python frame per node


def topological_order(root: Any, leaves: bool = True) -> list:
    """Every node under ``root``, each after all of its parents (so ``root`` comes last).

    Iterative depth-first search, the same order on every run.  The last argument's subgraph
    is listed first, so that backward, which walks this list from the end, meets each op's
    inputs in argument order: the ``x1*w1`` term before the ``x2*w2`` term.
    ``leaves=False`` lists only the op nodes (what a backward pass visits), in the same order.

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); b = Value(3.0, label='b')
    >>> c = a * b; c.label = 'c'
    >>> [n.label for n in topological_order(c + a)]
    ['a', 'b', 'c', '']
    >>> [n.label for n in topological_order(c + a, leaves=False)]
    ['c', '']
    """
    if not hasattr(root, "parents"):
        raise TypeError(
            f"expected a graph node (a Value or a Tensor), got {type(root).__name__} {root!r:.40}"
            + (" (.data and .grad are plain numbers, not nodes)" if isinstance(root, float) else "")
        )
    order = []
    done = set()
    stack = [root]
    push, pop, extend, append, mark = stack.append, stack.pop, stack.extend, order.append, done.add
    while stack:
        node = pop()
        if node is None:  # marker: everything above it (the node's parents) is finished
            append(pop())
            continue
        parents = node.parents
        if not parents:  # a leaf is finished at once
            if leaves and node not in done:
                mark(node)
                append(node)
            continue
        if node in done:
            continue
        mark(node)
        push(node)
        push(None)
        extend(parents)  # the last parent is finished first, so backward meets the first first
    return order


def apply(op: Any, *inputs: Any, ctx: Any = None) -> Any:
    """Run ``op`` forward on the nodes ``inputs`` and record the result in the graph.

    This is how to add an op of your own: a class with ``forward(ctx, *xs)`` and
    ``backward(ctx, g, out, *xs)`` (see :mod:`autograd.ops`), then ``apply`` it.

    >>> from autograd import Value, gradcheck
    >>> from autograd.ops import Op
    >>> class Cube(Op):
    ...     name = "cube"
    ...     formula = "d/da a**3 = 3 * a**2"
    ...     @staticmethod
    ...     def forward(ctx, a):
    ...         return a * a * a
    ...     @staticmethod
    ...     def backward(ctx, g, out, a):
    ...         return (g * 3 * a * a,)
    >>> x = Value(2.0)
    >>> y = apply(Cube, x); y.backward()
    >>> y.data, y.op, x.grad
    (8.0, 'cube', 12.0)
    >>> gradcheck(lambda x: apply(Cube, x), 0.7)
    True

    ``ctx`` is passed to both (None unless given): to keep numbers from forward for backward, pass
    a list or a dict, ``apply(Cube, x, ctx={})``, and store into it (``ctx['e'] = ...``).
    """
    if not (isinstance(op, type) and issubclass(op, Op)):  # (else a drawing or a step fails, later)
        raise TypeError(f"apply: op must be a subclass of autograd.ops.Op, with forward(ctx, *xs) and "
                        f"backward(ctx, g, out, *xs), got {op!r:.60}")
    if not inputs or not all(hasattr(x, "parents") for x in inputs):  # (an array has .data too)
        given = ", ".join(type(x).__name__ + ("" if hasattr(x, "parents") else f" {x!r:.20}")
                          for x in inputs) or "nothing"
        raise TypeError(f"apply({op.__name__}, ...): the inputs must be graph nodes (Values or Tensors), "
                        f"got {given}; make a number a node first, Value(2.0) or Tensor(...)")
    try:
        return type(inputs[0])._record(op, op.forward(ctx, *map(_data, inputs)), inputs, ctx)
    except AttributeError as err:
        if ctx is None and getattr(err, "obj", 0) is None:  # (something None was used: ctx, maybe)
            raise AttributeError(f"{err}: if {op.__name__}.forward stores into or reads from ctx, that is "
                                 f"None unless given: pass apply({op.__name__}, ..., ctx={{}}) (or a list) "
                                 "and store into it, ctx['name'] = ...") from err
        raise


def _describe_inputs(node: Any) -> str:
    return ", ".join(f"{p.label or 'input'}={_short(p.data)}" for p in node.parents)


def _short(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.6g}"
    shape = getattr(x, "shape", None)
    if shape is None:
        return repr(x)
    bad = [f"{n} {name}" for name, n in (("nan", np.isnan(x).sum()), ("inf", np.isinf(x).sum())) if n]
    return f"array{tuple(shape)}" + (f" with {' and '.join(bad)}" if bad else "")


def _is_finite(x: Any) -> bool:
    if x is None:  # an input that needs no gradient
        return True
    x = data_of(x)
    if isinstance(x, float):
        return math.isfinite(x)
    return bool(np.all(np.isfinite(x)))


def check_forward(node: Any) -> None:
    """Inside ``detect_anomaly()``: raise if ``node``'s value is nan or inf."""
    if not _is_finite(node.data):
        raise AnomalyError(
            f"forward of '{node.op}' gave {_short(node.data)} from inputs {_describe_inputs(node)}"
        )


def propagate(node: Any, create_graph: bool = False) -> tuple:
    """Apply the chain rule at one node: add ``node.grad * d node / d parent`` to each parent.

    Returns the contribution sent to each parent, in argument order (what the stepper
    shows).  The rule itself is written once, in :func:`run_pass`.
    """
    return run_pass((node,), create_graph)


def _check_backward(node: Any, grads: Any, anomaly: bool) -> None:
    """What backward returned: a tuple (a bare array would be taken apart row by row, silently),
    and inside ``detect_anomaly()`` finite gradients."""
    if type(grads) is not tuple:
        raise _not_a_tuple(node, grads)
    if not anomaly:
        return
    for parent, g in zip(node.parents, grads):
        if not getattr(parent, "requires_grad", True):  # a constant's gradient is thrown away
            continue
        if not _is_finite(g):
            raise AnomalyError(
                f"backward of '{node.op}' at node {node.label or '<unlabelled>'} gave a "
                f"non-finite gradient {_short(data_of(g))} "
                f"for input {parent.label or '<unlabelled>'}; inputs {_describe_inputs(node)}"
            )


def _not_a_tuple(node: Any, grads: Any) -> TypeError:
    return TypeError(f"backward of '{node.op}' must return a tuple with one gradient per input "
                     f"({len(node.parents)}), got {type(grads).__name__} {grads!r:.60}")


def start_pass(root: Any, gradient: Any = None, create_graph: bool = False) -> list:
    """Prepare one backward pass; return the op nodes to visit, root first.

    Intermediate nodes start from zero (so their ``.grad`` shows this pass), leaves keep
    what they have and accumulate (as in PyTorch), and the root is seeded with ``gradient``
    (1 for a scalar).
    """
    ops = topological_order(root, leaves=False)
    ops.reverse()
    seed_pass(root, ops, seed_gradient(root, gradient, create_graph))
    return ops


def seed_gradient(root: Any, gradient: Any = None, create_graph: bool = False) -> Any:
    """The gradient a pass starts ``root`` from: ``gradient``, checked, or 1 for a scalar.

    >>> from autograd import Value
    >>> seed_gradient(Value(2.0) * 3.0), seed_gradient(Value(2.0) * 3.0, 0.5)
    (1.0, 0.5)
    """
    if gradient is not None and (  # backward(True) meant create_graph=True (a bool array neither)
            isinstance(gradient, _BOOLS) or getattr(getattr(gradient, "dtype", None), "kind", "") == "b"):
        raise TypeError("backward(True): the first argument is the gradient (as in PyTorch); "
                        "for gradients that are graphs themselves pass create_graph=True")
    seed = root._seed_grad(gradient, create_graph)
    if create_graph and root.label and gradient is None:  # a node of the gradients' graphs
        from .display import differential  # (display imports this module)

        d = differential(root.label)
        seed.label = f"{d}/{d}"  # ((do/do) * (1-(o*o)))*w, where (1*(1-(o*o)))*w had two 1s
    return seed


def seed_pass(root: Any, ops: Sequence[Any], seed: Any) -> None:
    """Start a pass over ``ops`` (from :func:`start_pass`): their gradients from zero, the
    root's from ``seed`` (added to what a leaf root has, as every leaf accumulates).

    >>> from autograd import Value
    >>> x = Value(2.0); y = x * 3.0; y.grad = 7.0
    >>> seed_pass(y, [y], 1.0); y.grad
    1.0
    """
    if OPEN_STEPPERS:  # a stepper part-way through a pass over these nodes would add into this one's
        for key, ref in list(OPEN_STEPPERS.items()):
            stepper = ref()
            if stepper is not None and not stepper.visits.isdisjoint(ops):
                stepper.interrupted = True
                del OPEN_STEPPERS[key]
    zero = root._grad_zero  # (a graph holds one kind of node)
    for n in ops:
        n.grad = zero
    if root._op is None:
        root._accumulate_grad(seed, False)
    else:
        root.grad = seed


# The steppers (Backprop) whose pass has started and not finished: a pass started over any of
# their nodes (a backward(), another stepper) sets their gradients back to zero under them, so
# it stops them (``interrupted``); they say so at their next step rather than add up wrong sums.
# id -> weak reference, gone with the stepper (a dict: backward() tests it at C speed).
OPEN_STEPPERS: dict = {}


def open_stepper(stepper: Any) -> None:
    """Count ``stepper`` among the :data:`OPEN_STEPPERS` until it finishes (``close_stepper``),
    a pass stops it, or it is dropped.

    >>> from autograd import Value
    >>> y = Value(2.0) * 3
    >>> bp = y.backward_steps(); bp.step().index, id(bp) in OPEN_STEPPERS   # a step starts the pass
    (1, False)
    >>> bp = (y * y).backward_steps(); _ = bp.step(); id(bp) in OPEN_STEPPERS   # part-way
    True
    >>> y.backward(); bp.interrupted, id(bp) in OPEN_STEPPERS   # a pass through its nodes stops it
    (True, False)
    """
    key = id(stepper)
    OPEN_STEPPERS[key] = weakref.ref(stepper, lambda _: OPEN_STEPPERS.pop(key, None))


def close_stepper(stepper: Any) -> None:
    OPEN_STEPPERS.pop(id(stepper), None)


def shown_gradients(nodes: Sequence[Any], grads: Any, notes: Any, show_grads: Any) -> tuple:
    """``(grads, notes)`` for a picture of ``nodes`` (a tree, a drawing): as given, unless neither
    is asked for and a stepper is part-way through a pass over some of them.  Mid-pass, ``.grad``
    holds zeros not reached yet and partial sums, so the picture shows what that stepper knows
    (``bp.tree()``'s gradients; blank for the nodes outside its pass), with ``notes`` given kept."""
    if grads is None and show_grads is None:
        for ref in list(OPEN_STEPPERS.values()):
            stepper = ref()
            if stepper is not None and any(map(stepper.holds, nodes)):
                known, known_notes = stepper.known()
                return known, {**known_notes, **(notes or {})}
    return grads, notes


def run_pass(nodes: Sequence[Any], create_graph: bool = False) -> tuple:
    """Apply the chain rule at each of ``nodes`` in turn (op nodes from ``start_pass``, root
    first): the loop of ``backward()``, of ``Backprop.run()`` and, one node at a time, of
    :func:`propagate`.  This is the only place the chain rule is applied.  Returns what the
    last node sent to its parents.
    """
    grads: tuple = ()
    anomaly = MODE.special and MODE.anomaly  # (special: a slot, False unless a mode is on somewhere)
    for node in nodes:  # the hot loop of every backward pass: written out, no call per node
        parents = node.parents
        try:
            if create_graph:
                grads = node._op.backward(node._ctx, node.grad, node, *parents)
            elif len(parents) == 2:  # binary and unary ops spelled out
                a, b = parents
                grads = node._op.backward(node._ctx, node.grad, node.data, a.data, b.data)
                ga, gb = grads
                if type(ga) is float and type(gb) is float and not anomaly:
                    a.grad += ga  # the scalar fast path of Value._accumulate_grad
                    b.grad += gb
                    continue
            elif len(parents) == 1:
                a = parents[0]
                grads = node._op.backward(node._ctx, node.grad, node.data, a.data)
                if type(grads[0]) is float and not anomaly:
                    a.grad += grads[0]
                    continue
            else:
                grads = node._op.backward(node._ctx, node.grad, node.data, *map(_data, parents))
        except (ArithmeticError, ValueError) as err:
            raise type(err)(
                f"backward of '{node.op}' (node {node.label or '<unlabelled>'}, inputs "
                f"{_describe_inputs(node)}) failed: {err}"
            ) from err
        except (TypeError, IndexError) as err:
            # raised here, taking apart what this node's backward returned: it was no tuple
            if err.__traceback__.tb_next is None and type(grads) is not tuple:
                raise _not_a_tuple(node, grads) from None
            raise
        if anomaly or type(grads) is not tuple:  # (one test in the hot loop for both)
            _check_backward(node, grads, anomaly)
        upstream = node.grad
        try:
            for parent, g in zip(parents, grads):
                if g is None:  # the op skipped an input that needs no gradient
                    continue
                if parent.grad is None and parent._op is not None and g.shape == parent.data.shape:
                    # an intermediate array node's first contribution, as it is (zero_d_array, inline:
                    # the hot loop makes no call per node)
                    parent.grad = np.asarray(g) if isinstance(g, np.generic) else g
                else:  # an op like + hands node.grad itself on: a leaf must not keep it unshared
                    parent._accumulate_grad(g, g is upstream)
        except ValueError as err:  # (a try costs nothing until it catches)
            wrong = _wrong_shape(node, grads)
            if wrong is None:
                raise
            raise wrong from err
    return grads


def _wrong_shape(node: Any, grads: tuple) -> ValueError | None:
    """The error for a gradient that does not fit its input (a user op's backward): an array that
    cannot be summed back to the input's shape, or anything but one real number for a Value;
    naming the op.  None if every gradient fits."""
    for i, (parent, g) in enumerate(zip(node.parents, grads)):
        if g is None:
            continue
        got = np.shape(data_of(g))
        if hasattr(parent.data, "shape"):
            try:
                fits = np.broadcast_shapes(got, parent.data.shape) == got  # broadcasting stretched it
            except ValueError:
                fits = False
            sent = f"a gradient of shape {got}"
            rule = (f"of shape {parent.data.shape}: each gradient has its input's shape (or one "
                    "broadcasting stretched it to)")
        else:  # (a 0-d array is one number too)
            fits = not got and isinstance(np.asarray(data_of(g))[()], numbers.Real)
            sent = f"a gradient of shape {got}" if got else f"{type(g).__name__} {g!r:.40}"
            rule = "a Value: its gradient is one real number"
        if not fits:
            return ValueError(
                f"backward of '{node.op}' (node {node.label or '<unlabelled>'}, inputs "
                f"{_describe_inputs(node)}) returned {sent} for input {i}, {rule}"
            )
    return None


def backward(root: Any, gradient: Any = None, create_graph: bool = False) -> None:
    """Fill ``.grad`` on every node under ``root``: what ``Backprop(root).run()`` does (the
    stepper, run to the end), without keeping a stepper object.  With ``create_graph`` the pass
    records its graph also inside ``no_grad()``, as PyTorch's does (else the gradient was a
    constant there)."""
    if create_graph and not MODE.grad_enabled:
        with enable_grad():
            backward(root, gradient, create_graph)
        return
    run_pass(start_pass(root, gradient, create_graph), create_graph)


def gradients(root: Any, inputs: Sequence[Any], create_graph: bool = False) -> list:
    """d root / d input for each of ``inputs``, like ``torch.autograd.grad``.

    No ``.grad`` changes: leaves keep their accumulated gradients and intermediate nodes
    what they showed (so a ``create_graph`` result makes no reference cycle through them).
    An input that ``root`` does not depend on gets a zero gradient.
    """
    if hasattr(inputs, "parents"):  # one node, as torch.autograd.grad takes one tensor
        inputs = [inputs]
    for k, x in enumerate(inputs):
        if not hasattr(x, "parents"):
            raise TypeError(f"gradients() takes graph nodes as inputs, got {type(x).__name__} {x!r:.40}")
        if not getattr(x, "requires_grad", True):
            raise ValueError(f"gradients(): input {k} ({x.label or 'unlabelled'}) does not require grad (a "
                             "constant), so it gets none: make it a variable, Tensor(..., "
                             "requires_grad=True) or Value(v.data)")
    nodes = topological_order(root)
    in_graph = set(nodes)
    saved = [(n, n.grad) for n in nodes]
    wanted = set(inputs)
    for n in nodes:
        if n._op is None and n in wanted:
            n.grad = n._grad_zero
    open_steppers = dict(OPEN_STEPPERS)  # every .grad is given back: a stepper part-way may go on
    OPEN_STEPPERS.clear()
    try:
        backward(root, create_graph=create_graph)
        return [x.grad if x in in_graph else _zero_gradient(x, create_graph) for x in inputs]
    finally:
        for n, g in saved:
            n.grad = g
        OPEN_STEPPERS.update((key, ref) for key, ref in open_steppers.items() if ref() is not None)


def _zero_gradient(x: Any, create_graph: bool) -> Any:
    """The gradient of an input the root does not depend on: zero, as a constant node under
    ``create_graph`` (as every gradient is then)."""
    zero = x._zero_grad()
    return type(x)(zero) if create_graph else zero


__all__ = [
    "apply",
    "topological_order",
    "propagate",
    "run_pass",
    "start_pass",
    "seed_pass",
    "seed_gradient",
    "backward",
    "gradients",
    "check_forward",
]
