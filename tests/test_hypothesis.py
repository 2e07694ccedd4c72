"""Random expression graphs with shared subexpressions, against PyTorch and central differences.

A program is a list of leaf values and a list of steps; each step applies an op to one or two
earlier nodes (leaves or results), so later nodes reuse earlier ones: a DAG, not a tree.  The
ops are chosen so that no input gives a domain error (``log(x*x + 1)``, ``a / (b*b + 1)``...).
The root is the sum of every op node, so each one matters.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autograd import Backprop, Value, gradcheck, topological_order

SMOOTH_UNARY = {
    "neg": lambda x: -x,
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "sin": lambda x: x.sin(),
    "cos": lambda x: x.cos(),
    "exp_tanh": lambda x: x.tanh().exp(),
    "log_sq": lambda x: (x * x + 1).log(),
    "sqrt_sq": lambda x: (x * x + 1).sqrt(),
    "square": lambda x: x ** 2,
    "cube": lambda x: 0.5 * x ** 3,
    "affine": lambda x: 1.5 - 2 * x,
    "recip": lambda x: 2 / (x * x + 1),
}
KINKED_UNARY = {
    "relu": lambda x: x.relu(),
    "abs": lambda x: abs(x),
    "log_abs": lambda x: (x.abs() + 1).log(),
}
SMOOTH_BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
    "pow": lambda a, b: (a * a + 1) ** b.tanh(),
    "hypot": lambda a, b: (a * a + b * b + 1).sqrt(),
}
SMOOTH = {**{k: (1, f) for k, f in SMOOTH_UNARY.items()}, **{k: (2, f) for k, f in SMOOTH_BINARY.items()}}
ALL = {**SMOOTH, **{k: (1, f) for k, f in KINKED_UNARY.items()}}

EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@st.composite
def programs(draw, ops):
    n_leaves = draw(st.integers(1, 4))
    leaves = draw(st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=n_leaves,
                           max_size=n_leaves))
    steps = []
    for k in range(draw(st.integers(1, 12))):
        name = draw(st.sampled_from(sorted(ops)))
        arity = ops[name][0]
        steps.append((name, tuple(draw(st.integers(0, n_leaves + k - 1)) for _ in range(arity))))
    return leaves, steps


def build(steps, leaves, ops):
    """Run a program on leaves (Values or torch tensors): (root, every node)."""
    nodes = list(leaves)
    for name, args in steps:
        nodes.append(ops[name][1](*(nodes[i] for i in args)))
    root = nodes[len(leaves)]
    for node in nodes[len(leaves) + 1:]:
        root = root + node
    return root, nodes


def ours(program, ops):
    values, steps = program
    leaves = [Value(v, label=f"x{i}") for i, v in enumerate(values)]
    try:
        root, nodes = build(steps, leaves, ops)
    except OverflowError:  # x**2 of 1e200, after enough squaring: not a graph to compare
        assume(False)
    return leaves, root, nodes


def tame(nodes):
    """Keep to graphs whose numbers stay moderate, where a relative tolerance means something."""
    return all(abs(n.data) < 1e3 for n in nodes)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-10, abs_tol=1e-10)


@pytest.mark.torch
@EXAMPLES
@given(program=programs(ALL))
def test_random_graphs_match_pytorch(torch, program):
    leaves, root, nodes = ours(program, ALL)
    assume(tame(nodes))
    root.backward()

    values, steps = program
    xs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]
    t_root, _ = build(steps, xs, ALL)
    t_grads = torch.autograd.grad(t_root, xs, allow_unused=True)

    assert close(root.data, t_root.item()), (root.data, t_root.item())
    for leaf, g in zip(leaves, t_grads):
        expected = 0.0 if g is None else g.item()
        assert close(leaf.grad, expected), (leaf.label, leaf.grad, expected)


@EXAMPLES
@given(program=programs(SMOOTH))
def test_random_graphs_pass_gradcheck(program):
    values, steps = program
    _, _, nodes = ours(program, SMOOTH)
    assume(tame(nodes))
    assert gradcheck(lambda *xs: build(steps, xs, SMOOTH)[0], *values)


@EXAMPLES
@given(program=programs(ALL))
def test_stepping_through_backprop_equals_backward(program):
    _, ref, ref_nodes = ours(program, ALL)
    ref.backward()
    _, root, nodes = ours(program, ALL)
    bp = Backprop(root)
    steps = 0
    while not bp.done:
        bp.step()
        steps += 1
    assert steps == len(bp) == sum(1 for n in topological_order(root) if n.op)
    ours_grads = [n.grad for n in topological_order(root)]
    ref_grads = [n.grad for n in topological_order(ref)]
    assert ours_grads == ref_grads  # every node, leaves and intermediate, exactly


@EXAMPLES
@given(program=programs(ALL))
def test_topological_order_of_op_nodes_is_the_full_order_without_leaves(program):
    """backward() visits topological_order(root, leaves=False): the same op nodes in the same
    order as the full order, which the stepper, tree and drawings show."""
    _, root, nodes = ours(program, ALL)
    full = topological_order(root)
    assert topological_order(root, leaves=False) == [n for n in full if n.parents]
    position = {n: i for i, n in enumerate(full)}
    assert all(position[p] < position[n] for n in full for p in n.parents)  # parents first


@EXAMPLES
@given(program=programs(ALL))
def test_distinct_op_nodes_get_distinct_names(program):
    """Two nodes that read alike (tanh(x0) twice) are #k, and so are their children in turn: a
    name never stands for two nodes, which the steps would read as one node used twice."""
    from autograd.display import node_names

    _, root, _ = ours(program, ALL)
    names = node_names(topological_order(root))
    ops = [node for node in names if node.parents]
    assert len({names[node] for node in ops}) == len(ops)
