"""The graph core: topological order, deep graphs, memory, gradients(), grad(f), the stepper."""

from __future__ import annotations

import gc
import math
import tracemalloc
import weakref
from collections import Counter

import numpy as np
import pytest
from conftest import square_op

import autograd.graph
from autograd import Backprop, Step, Tensor, Value, grad, gradients, topological_order
from autograd.graph import apply
from autograd.ops import Op
from autograd.value import _result


def network(x, y):
    """A small graph with fan-out: ``a`` and ``x`` are used several times."""
    a = x * y
    a.label = "a"
    b = a.tanh()
    b.label = "b"
    c = a * a + b * x - (y ** 2).sigmoid()
    c.label = "c"
    out = c / (a.exp() + 1) + b
    out.label = "out"
    return out


def leaves_xy():
    return Value(0.7, label="x"), Value(-1.3, label="y")


def all_nodes(root):
    seen, stack = set(), [root]
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(n.parents)
    return seen


# -- topological order -------------------------------------------------------------------------

def test_topological_order_is_valid():
    out = network(*leaves_xy())
    order = topological_order(out)
    position = {n: i for i, n in enumerate(order)}
    assert len(order) == len(position) == len(all_nodes(out))  # every node, once
    assert order[-1] is out
    for n in order:
        for p in n.parents:
            assert position[p] < position[n]


def test_topological_order_is_deterministic():
    first = network(*leaves_xy())
    order = topological_order(first)
    assert topological_order(first) == order
    again = [(n.label, n.op, n.data) for n in topological_order(network(*leaves_xy()))]
    assert again == [(n.label, n.op, n.data) for n in order]


# -- deep and wide graphs ----------------------------------------------------------------------

def test_backward_through_a_chain_of_a_million_nodes():
    n = 1_000_000
    x = Value(0.5, label="x")
    y = x
    for _ in range(n):
        y = y + 1
    bp = Backprop(y)
    assert len(bp) == n  # one step per op node: the pass is linear in the graph
    bp.run()  # = y.backward(), and no RecursionError
    assert x.grad == 1.0 and y.data == n + 0.5
    del bp, y  # freeing a deep chain must not overflow the C stack either


def test_relu_chain_backward_is_iterative():
    x = Value(2.0)
    y = x
    for _ in range(100_000):
        y = y.relu()
    y.backward()
    assert x.grad == 1.0


def test_backward_visits_each_node_once(monkeypatch):
    """A ladder of diamonds: naive recursion without memo would visit 2**40 paths."""
    calls = []
    real = autograd.graph.run_pass

    def counting(nodes, create_graph=False):
        calls.extend(nodes)
        return real(nodes, create_graph)

    monkeypatch.setattr(autograd.graph, "run_pass", counting)  # the loop of backward()
    x = Value(0.3)
    a = x
    for _ in range(40):
        a = a.sin() * a.cos() + a
    a.backward()
    op_nodes = [n for n in topological_order(a) if n.op]
    assert len(op_nodes) == 4 * 40
    assert Counter(calls) == Counter(op_nodes)  # each op node once, no leaf, nothing else
    assert calls[0] is a


# -- memory: no reference cycles ---------------------------------------------------------------

class Scale(Op):
    """A tiny custom op whose ctx is an object, so a weakref can watch the graph die."""

    name = "scale"
    formula = "d(k*a)/da = k"

    @staticmethod
    def forward(ctx, a):
        return ctx.k * a

    @staticmethod
    def backward(ctx, g, out, a):
        return (g * ctx.k,)


class Factor:
    def __init__(self, k):
        self.k = k


def scale(x, factor):
    return _result(Scale, Scale.forward(factor, x.data), (x,), factor)


def build_graph(size):
    """A graph of about ``4 * size`` nodes with fan-out, with a custom-op node in the middle."""
    x = Value(0.1, label="x")
    y = x
    for i in range(size):
        y = (y * 0.5).tanh() + y
        if i == size // 2:
            factor = Factor(0.9)
            y = scale(y, factor)
    return x, y, weakref.ref(factor)


def test_dropping_the_root_frees_the_graph_without_the_garbage_collector():
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        x, root, factor = build_graph(5000)
        root.backward()
        built = tracemalloc.get_traced_memory()[0]
        assert factor() is not None
        del root
        assert factor() is None  # freed by reference counting alone
        unreachable = gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        gc.enable()
    assert unreachable == 0
    assert built - before > 1_000_000  # the graph was big...
    assert after - before < (built - before) / 100  # ...and its memory came back
    assert x.grad != 0.0  # the leaf the user still holds is alive and has its gradient


def test_backward_with_create_graph_makes_cycles_as_in_pytorch():
    """``backward(create_graph=True)`` stores in each ``.grad`` a graph that runs back through
    the node itself (``x.grad`` is built from ``x``; ``tanh``'s gradient from its output).

    Those are reference cycles, as PyTorch warns for its ``backward(create_graph=True)``: the
    garbage collector frees them, not reference counting.  ``grad()`` and ``gradients()``
    change no ``.grad``, so their higher-order gradients make no cycle.
    """
    gc.collect()
    gc.disable()
    try:
        x, root, factor = build_graph(10)
        root.backward(create_graph=True)
        assert isinstance(x.grad, Value) and x in all_nodes(x.grad)
        del x, root
        assert factor() is not None  # kept alive by cycles such as x -> x.grad -> ... -> x
        assert gc.collect() > 0
        assert factor() is None  # the collector does free it
    finally:
        gc.enable()


def test_higher_order_gradients_through_grad_and_gradients_make_no_cycles():
    gc.collect()
    gc.disable()
    try:
        x, root, factor = build_graph(10)
        (dx,) = gradients(root, [x], create_graph=True)
        (ddx,) = gradients(dx, [x], create_graph=True)
        assert isinstance(ddx, Value) and x.grad == 0.0
        del x, root, dx, ddx
        assert factor() is None
        assert gc.collect() == 0

        f = lambda x: scale((x * 0.5).tanh() * x, Factor(2.0)).sin()  # noqa: E731
        assert grad(grad(grad(f)))(0.3) != 0.0
        assert gc.collect() == 0
    finally:
        gc.enable()


# -- gradients() and grad(f) -------------------------------------------------------------------

@pytest.mark.parametrize("create_graph", [False, True])
def test_gradients_leaves_every_grad_untouched(create_graph):
    """Every node keeps its .grad, intermediate ones too: else they would show gradients()'s
    pass (under create_graph, graphs whose references keep the pass alive)."""
    x, y = leaves_xy()
    out = network(x, y)
    nodes = topological_order(out)
    for i, n in enumerate(nodes):  # a distinct float per node, leaves and intermediate ones
        n.grad = 100.0 + i
    before = [n.grad for n in nodes]
    dx, dy = gradients(out, [x, y], create_graph=create_graph)
    assert all(n.grad is g for n, g in zip(nodes, before, strict=True))
    ref_x, ref_y = leaves_xy()
    network(ref_x, ref_y).backward()
    if create_graph:
        assert isinstance(dx, Value) and isinstance(dy, Value)
        dx, dy = dx.data, dy.data
    assert (dx, dy) == (ref_x.grad, ref_y.grad)


def test_gradients_of_one_input_leave_other_leaves_alone():
    x, y = leaves_xy()
    x.grad, y.grad = 3.0, 7.0
    (dx,) = gradients(network(x, y), [x])
    assert y.grad == 7.0 and x.grad == 3.0
    ref_x, ref_y = leaves_xy()
    network(ref_x, ref_y).backward()
    assert dx == ref_x.grad != 0.0  # the same gradient as backward() gives


def test_gradients_of_an_unused_input_is_zero():
    x, y = leaves_xy()
    z = Value(4.0)
    assert gradients(x * 3, [x, z]) == [3.0, 0.0]


def test_grad_single_argument():
    assert grad(lambda x: x ** 3)(2.0) == 12.0
    assert grad(lambda x: x.tanh())(0.5) == pytest.approx(1 - math.tanh(0.5) ** 2, rel=1e-15)
    assert type(grad(lambda x: x * x)(3.0)) is float


def test_grad_multiple_arguments():
    dx, dy = grad(lambda x, y: x * y + y.exp())(3.0, 0.5)
    assert dx == 0.5 and dy == pytest.approx(3.0 + math.exp(0.5), rel=1e-15)
    x, y = leaves_xy()
    assert grad(network)(0.7, -1.3) == tuple(gradients(network(x, y), [x, y]))


def test_grad_nests_for_second_and_third_derivatives():
    f = lambda x: x.sin() * x  # noqa: E731
    x = 0.7
    assert grad(f)(x) == pytest.approx(math.cos(x) * x + math.sin(x), rel=1e-15)
    assert grad(grad(f))(x) == pytest.approx(2 * math.cos(x) - x * math.sin(x), rel=1e-14)
    assert grad(grad(grad(f)))(x) == pytest.approx(-3 * math.sin(x) - x * math.cos(x), rel=1e-14)
    assert grad(grad(grad(lambda x: x ** 3)))(5.0) == 6.0


def test_grad_of_value_arguments_gives_values():
    x = Value(2.0)
    dx = grad(lambda x: x ** 3)(x)
    assert isinstance(dx, Value) and dx.data == 12.0 and x.grad == 0.0


@pytest.mark.parametrize(
    "f", [lambda x: 3.0, lambda x: Value(3.0), lambda x: x * 0 + 1], ids=["float", "Value", "x*0+1"]
)
def test_grad_of_a_constant_function_is_zero(f):
    assert grad(f)(2.0) == 0.0
    assert grad(grad(f))(2.0) == 0.0  # its second derivative too
    assert grad(lambda x: x * 2 + f(x))(1.0) == 2.0  # and it adds nothing to another's gradient


@pytest.mark.parametrize("out", [None, [1.0], "x"])
def test_grad_of_a_function_returning_no_number_raises(out):
    with pytest.raises(TypeError, match="return a number or a node"):  # not a silent 0.0
        grad(lambda x: out)(2.0)


def test_gradients_takes_one_node_and_refuses_a_number():
    a = Value(2.0)
    assert gradients(a * a, a) == [4.0]  # was: 'Value' object is not iterable
    with pytest.raises(TypeError, match="gradients\\(\\) takes graph nodes as inputs, got float 2.0"):
        gradients(a * a, [2.0])  # was: 'float' object has no attribute '_zero_grad'


def test_grad_without_arguments_raises():
    with pytest.raises(TypeError, match="at least one argument"):
        grad(lambda: Value(1.0))()


# -- the stepper -------------------------------------------------------------------------------

def snapshot(root):
    return [(n.label, n.op, n.grad) for n in topological_order(root)]


def test_stepping_gives_the_same_grads_as_backward():
    ref = network(*leaves_xy())
    ref.backward()
    out = network(*leaves_xy())
    bp = Backprop(out)
    steps = []
    while not bp.done:
        steps.append(bp.step())
    assert snapshot(out) == snapshot(ref)  # every .grad, leaves and intermediate nodes
    assert [s.index for s in steps] == list(range(1, len(bp) + 1))
    assert all(isinstance(s, Step) and s.total == len(bp) for s in steps)


def test_stepping_a_node_used_several_times():
    x = Value(1.5, label="x")
    a = x * x
    a.label = "a"
    out = a * a + a + a.tanh() * a
    out.label = "out"
    bp = out.backward_steps()
    assert isinstance(bp, Backprop)
    visited = [step.node for step in bp]
    assert len(visited) == len(set(visited)) == len(bp)
    assert visited.index(a) == len(visited) - 1  # a waits for all its users
    t = math.tanh(2.25)
    da = 2 * 2.25 + 1 + t + (1 - t * t) * 2.25
    assert a.grad == pytest.approx(da, rel=1e-15)
    assert x.grad == pytest.approx(da * 3.0, rel=1e-15)


def test_iteration_yields_the_remaining_steps_and_run_finishes():
    out = network(*leaves_xy())
    bp = Backprop(out)
    total = len(bp)
    first = bp.step()
    rest = list(bp)
    assert first.index == 1 and [s.index for s in rest] == list(range(2, total + 1))
    assert list(bp) == []

    ref = network(*leaves_xy())
    ref.backward()
    out = network(*leaves_xy())
    bp = Backprop(out)
    bp.step()
    bp.step()
    bp.run()
    assert bp.done and snapshot(out) == snapshot(ref)


def test_step_after_done_raises_stop_iteration():
    x = Value(2.0)
    bp = Backprop(x * 3)
    bp.run()
    with pytest.raises(StopIteration):
        bp.step()
    leaf_only = Backprop(Value(1.0))
    assert len(leaf_only) == 0 and leaf_only.done
    with pytest.raises(StopIteration):
        leaf_only.step()


def test_step_str_and_repr_show_the_numbers():
    x, w = Value(3.0, label="x"), Value(-2.0, label="w")
    y = x * w
    y.label = "y"
    z = y.tanh()
    z.label = "z"
    bp = Backprop(z)
    assert "0/2" in repr(bp) and "z" in repr(bp)
    step = bp.step()
    text = str(step)
    assert "tanh" in text and "z" in text and "y.grad" in text
    assert f"{1 - math.tanh(-6.0) ** 2:.4e}" in text  # 2.4577e-05
    assert "1/2" in repr(bp)
    step = bp.step()
    assert "-2.0000" in str(step) and "x.grad" in str(step) and "w.grad" in str(step)
    assert "2/2" in repr(bp) and "finished" in repr(bp)
    assert "Step 2/2" in repr(step)


_BareSquare = square_op(lambda ctx, g, out, a: g * 2 * a, name="sq")  # backward forgot the tuple


@pytest.mark.parametrize("x", [Value(3.0), Tensor(3.0, requires_grad=True),
                               Tensor([1.0, 2.0, 3.0], requires_grad=True)], ids=["Value", "0-d", "array"])
def test_a_backward_that_returns_no_tuple_is_named_not_taken_apart(x):
    """An array was taken apart row by row: its first element became the whole gradient."""
    y = apply(_BareSquare, x)
    with pytest.raises(TypeError, match="backward of 'sq' must return a tuple with one gradient per input"):
        (y.sum() if isinstance(y, Tensor) and y.ndim else y).backward()



_TooWide = square_op(lambda ctx, g, out, a: (np.ones(a.shape + (2,)),), name="too_wide")


@pytest.mark.parametrize("shape", [(2, 3), (3,), (1, 3)])
def test_a_backward_that_returns_a_gradient_of_the_wrong_shape_is_named(shape):
    """A learner's op: numpy's 'cannot reshape' from deep inside the sum over broadcast axes."""
    x = Tensor(np.ones(shape), requires_grad=True)
    y = apply(_TooWide, x) * 1.0  # an intermediate node, not the root: the loop's usual case
    with pytest.raises(ValueError, match=rf"backward of 'too_wide' .* returned a gradient of shape "
                                         rf"\({', '.join(map(str, shape + (2,)))}\) for input 0, of shape "):
        y.sum().backward()
    with pytest.raises(ValueError, match="returned a gradient of shape"):
        y.sum().backward_steps().run()  # the stepper's pass is the same loop


@pytest.mark.parametrize("sent", [np.ones(3), [1.0], 1 + 2j, np.complex128(1 + 2j), "2", True],
                         ids=["array", "list", "complex", "numpy complex", "str", "bool"])
def test_a_value_op_that_returns_an_array_gradient_is_named(sent):
    """x.grad became the array (or the list, or '2' read as 2.0) without a word; a complex number
    lost its imaginary part with numpy's warning, or raised float()'s TypeError naming no op."""
    arrays = square_op(lambda ctx, g, out, a: (sent,), name="arrays")
    x = Value(2.0)
    with pytest.raises(ValueError, match=r"'arrays' .* input 0, a Value: its gradient is one real number"):
        (apply(arrays, x) * 1.0).backward()


def test_a_value_op_may_return_numpy_numbers_and_ints_and_the_gradient_stays_a_float():
    for sent in (np.float64(2.5), np.array(2.5), 2):
        x = Value(2.0)
        (apply(square_op(lambda ctx, g, out, a, sent=sent: (sent,)), x) * 1.0).backward()
        assert type(x.grad) is float and x.grad == float(sent)

class _NoOutCube(Op):
    """A backward that forgot the ``out`` argument."""

    name = "cube"

    @staticmethod
    def forward(ctx, a):
        return a * a * a

    @staticmethod
    def backward(ctx, g, a):
        return (g * 3 * a * a,)


def test_a_type_error_that_is_not_about_the_tuple_keeps_its_own_message():
    with pytest.raises(TypeError, match="positional argument"):  # not "must return a tuple"
        (apply(_NoOutCube, Value(2.0)) * 2.0).backward()
    a = Value(2.0)
    a.grad = None  # the PyTorch habit; Value gradients start at 0.0
    with pytest.raises(TypeError) as info:
        (a * 3.0 + 1.0).backward()
    assert "must return a tuple" not in str(info.value)


def test_a_bool_gradient_is_refused_also_as_an_array():
    for seed in (np.array(True), np.array([True, False])):
        t = Tensor(1.0 if seed.ndim == 0 else [1.0, 2.0], requires_grad=True)
        with pytest.raises(TypeError, match="create_graph=True"):
            (t * 2).backward(seed)


def test_grad_of_a_function_closing_over_an_outer_grads_variable_matches_torch_func(torch):
    """The inner grad took its number argument as 'numbers in, numbers out' and cut its result off
    from the outer x it closed over: 2.0 where torch.func.grad gives 4.0, 0.0 for 4.0, [0, 0] for
    [4, 24], silently."""
    from torch.func import grad as tgrad

    one, pair = torch.tensor(1.0, dtype=torch.float64), torch.tensor([1.0, 2.0], dtype=torch.float64)
    cases = [
        (lambda x: x * grad(lambda y: x * y)(1.0), lambda x: x * tgrad(lambda y: x * y)(one), 2.0),
        (lambda x: grad(lambda y: (x * y) ** 2)(1.0), lambda x: tgrad(lambda y: (x * y) ** 2)(one), 1.0),
        (lambda x: grad(lambda y: ((x * y) ** 2).sum())(np.array([1.0, 2.0])).sum(),
         lambda x: tgrad(lambda y: ((x * y) ** 2).sum())(pair).sum(), np.array([1.0, 3.0])),
    ]
    for ours, theirs, at in cases:
        expected = tgrad(theirs)(torch.tensor(at, dtype=torch.float64))
        np.testing.assert_allclose(grad(ours)(at), expected.numpy(), rtol=1e-14)
    w = Value(3.0)  # a variable of no enclosing grad: numbers in, numbers out, as before
    assert grad(lambda x: x * w)(2.0) == 3.0 and grad(grad(lambda x: x ** 3))(2.0) == 12.0
    with pytest.raises(ValueError, match=r"needs f to return a scalar, got shape \(2,\)"):
        grad(lambda x: np.array([1.0, 2.0]))(1.0)  # (it gave 0.0)


def test_no_grad_decorates_generator_functions_and_bare_and_create_graph_records_inside_it():
    """@no_grad() on a generator set the mode only while the generator object was made, so its body
    recorded graphs; bare @no_grad was a TypeError; backward(create_graph=True) inside no_grad()
    gave a constant gradient (PyTorch's engine records it)."""
    from autograd import enable_grad, is_grad_enabled, no_grad

    @no_grad()
    def batches():
        yield is_grad_enabled()
        x = Value(2.0)
        yield (x * x).parents

    assert list(batches()) == [False, ()] and is_grad_enabled()

    @no_grad
    def plain():
        return is_grad_enabled()

    @enable_grad
    def inside():
        return is_grad_enabled()

    assert plain() is False and is_grad_enabled()
    with no_grad():
        assert inside() is True and not is_grad_enabled()
    x = Value(2.0)
    y = x ** 3
    with no_grad():
        (slope,) = gradients(y, [x], create_graph=True)
    assert slope.data == 12.0 and slope.parents  # a graph: d2y/dx2 = 12 follows
    assert grad(lambda v: gradients(v ** 3, [v], create_graph=True)[0])(2.0) == 12.0


def test_one_no_grad_object_entered_in_two_threads_restores_each_threads_mode():
    """Its open blocks were one list for all threads: the thread that left first closed the other's
    block, and stayed in no_grad itself while the other recorded graphs inside its block."""
    import threading

    from autograd import is_grad_enabled, no_grad

    shared, seen = no_grad(), {}
    a_inside, b_inside, a_left = threading.Event(), threading.Event(), threading.Event()

    def a():
        with shared:
            a_inside.set()
            b_inside.wait(5)
        seen["a after"] = is_grad_enabled()
        a_left.set()

    def b():
        a_inside.wait(5)
        with shared:
            b_inside.set()
            a_left.wait(5)
            seen["b inside"] = is_grad_enabled()
        seen["b after"] = is_grad_enabled()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"a after": True, "b inside": False, "b after": True}
    with pytest.raises(TypeError, match="cannot decorate an async function"):
        @no_grad()
        async def step():
            return is_grad_enabled()


def test_apply_says_what_is_wrong_with_the_call():
    """apply(Cube, 2.0) raised "type object 'float' has no attribute '_record'"; an op class that is
    no Op failed only when drawn ("no attribute 'display'"); ctx.e = ... in forward (torch's habit)
    gave "'NoneType' object has no attribute 'e'"."""
    from autograd import Value, apply

    square = square_op(lambda ctx, g, out, a: (g * 2 * a,), name="sq")
    keep = type("Keep", (square,), {"forward": staticmethod(lambda ctx, a: setattr(ctx, "e", a))})
    broken = type("Broken", (square,), {"forward": staticmethod(lambda ctx, a: a.no_such_thing)})
    with pytest.raises(TypeError, match=r"apply\(Square, \.\.\.\): the inputs must be graph nodes \(Values "
                                        r"or Tensors\), got float 2\.0; make a number a node first"):
        apply(square, 2.0)
    with pytest.raises(TypeError, match=r"got Value, float 3\.0;"):
        apply(square, Value(1.0), 3.0)
    with pytest.raises(TypeError, match=r"apply: op must be a subclass of autograd\.ops\.Op"):
        apply(type("Plain", (), {"forward": staticmethod(lambda ctx, a: a)}), Value(1.0))
    with pytest.raises(AttributeError, match=r"if Keep\.forward stores into or reads from ctx, that is None "
                                             r"unless given: pass apply\(Keep, \.\.\., ctx=\{\}\)") as said:
        apply(keep, Value(1.0))
    assert "'NoneType' object has no attribute 'e'" in str(said.value) and said.value.__cause__ is not None
    with pytest.raises(TypeError, match=r"got Value, ndarray array\(\[1\.\]\);"):  # (an array has .data too)
        apply(square, Value(1.0), np.array([1.0]))
    assert apply(square, Value(3.0)).data == 9.0
    with pytest.raises(AttributeError, match="no_such_thing"):  # the op's own mistake, as it is
        apply(broken, Value(1.0))
