"""The stepper: what each step says, sums over fan-out, names, and the pictures of a pass."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from conftest import require

from autograd import Backprop, Tensor, Value, concatenate, stack, topological_order
from autograd.array_ops import Conv
from autograd.backprop import STEP_WIDTH
from autograd.display import node_names
from autograd.examples import NEURON_BIAS, neuron
from autograd.tensor import conv1d
from nn.losses import cross_entropy, mse, quadratic

B = NEURON_BIAS



def unwrapped(step) -> str:
    """A step's text with its long lines joined again (they go on at 12 spaces), and a long rule's
    clauses (one a line, at 10 spaces, after a , or ;) and its letters' legend on one line again."""
    text = re.sub(r"(?<=[,;])\n {10}(?=\S)", "  ", re.sub(r"\n {12}", " ", str(step)))
    return re.sub(r"\n {10}(?=\([abcg] is )", "   ", text)

def grads(root):
    return [(n.label, n.op, n.grad) for n in topological_order(root)]


def test_a_step_reads_like_the_lecture():
    x1, w1, b = Value(2.0, label="x1"), Value(-3.0, label="w1"), Value(B, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    n = x1w1 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    bp = Backprop(o)
    assert str(bp.step()) == (
        "Step 1/3  o = tanh(n)   (op tanh)\n"
        "  start:  o.grad = 1.0000   (do/do = 1: backprop starts at the output)\n"  # (was unexplained)
        "  local:  do/dn = 0.5000\n"
        "  chain:  n.grad += o.grad * 0.5000 = 1.0000 * 0.5000 = 0.5000"
    )
    assert str(bp.step()) == (
        "Step 2/3  n = x1w1 + b   (op +)\n"
        "  local:  dn/dx1w1 = 1      dn/db = 1\n"
        "  chain:  x1w1.grad += n.grad * 1 = 0.5000 * 1 = 0.5000\n"
        "          b.grad    += n.grad * 1 = 0.5000 * 1 = 0.5000"
    )
    assert repr(bp) == "<Backprop of o: 2/3 steps done, next: x1w1 (op *)>"
    assert str(bp.step()) == (
        "Step 3/3  x1w1 = x1 * w1   (op *)\n"
        "  local:  dx1w1/dx1 = -3.0000      dx1w1/dw1 = 2.0000\n"
        "  chain:  x1.grad += x1w1.grad * -3.0000 = 0.5000 * -3.0000 = -1.5000\n"
        "          w1.grad += x1w1.grad * 2.0000 = 0.5000 * 2.0000 = 1.0000"
    )
    assert repr(bp) == "<Backprop of o: finished, 3/3 steps>"


def test_a_slope_is_a_whole_number_only_where_the_rule_makes_it_one():
    """The neuron's x2*w2 with w2 = 1.0 read 'dx2w2/dx2 = 1', x2.grad * 1, as if by the rule of +;
    its slope is the number w2, 1.0000.  A sum's 1 and relu's 1 stay whole: they are the rule's."""
    text = "\n".join(map(str, neuron().backward_steps()))
    assert "dn/ds = 1      dn/db = 1" in text and "s.grad += n.grad * 1 = " in text
    assert "dx2w2/dx2 = 1.0000      dx2w2/dw2 = 0.0000" in text
    assert "x2.grad += x2w2.grad * 1.0000 = 0.5000 * 1.0000 = 0.5000" in text
    assert "w2.grad += x2w2.grad * 0.0000 = 0.5000 * 0.0000 = 0.0000" in text
    r = Value(0.5, label="s").relu()
    r.label = "r"
    assert "dr/ds = 1\n" in "\n".join(map(str, r.backward_steps()))
    t = Tensor(0.0, requires_grad=True, label="t")
    assert "d(sum(t*t))/d(t*t) = 1\n" in "\n".join(map(str, (t * t).sum().backward_steps()))
    assert "d(t*t)/dt = 0.0000" in "\n".join(map(str, (t * t).sum().backward_steps()))


def a_times_a_plus_a():
    """d = c + a with c = a * a, a = 3: a used three times."""
    a = Value(3.0, label="a")
    c = a * a
    c.label = "c"
    d = c + a
    d.label = "d"
    return d


def test_a_node_used_several_times_sums_its_contributions():
    d = a_times_a_plus_a()
    first, second = list(Backprop(d))
    assert str(first).endswith(
        "  sum:    a.grad = 1.0000 so far   (a is used 3 times: 1 of 3 contributions in)")
    assert str(second).splitlines()[2:] == [
        "  chain:  a.grad += c.grad * 3.0000 = 1.0000 * 3.0000 = 3.0000",
        "          a.grad += c.grad * 3.0000 = 1.0000 * 3.0000 = 3.0000",
        "  sum:    a.grad = 1.0000 + 3.0000 + 3.0000 = 7.0000   (a is used 3 times: 3 of 3 contributions in)",
    ]
    assert d.parents[1].grad == 7.0  # a
    assert second.sums == (("a", (1.0, 3.0, 3.0), 7.0, 3, 3, False),)


def test_a_leaf_shows_what_earlier_passes_left_in_it():
    x = Value(3.0, label="x")
    y = x**3
    y.label = "y"
    y.backward()
    (step,) = list(Backprop(y))
    assert step.sums[0][1] == (27.0, 27.0)
    assert "x.grad = 27.0000 + 27.0000 = 54.0000" in str(step)
    assert "a leaf adds to what it had before this pass: 27.0000" in unwrapped(step)
    assert x.grad == 54.0


def test_stepping_gives_every_grad_backward_gives():
    def graphs():
        yield neuron
        yield lambda: _fanout()
        yield lambda: _mixed()

    for build in graphs():
        ref = build()
        ref.backward()
        out = build()
        steps = list(Backprop(out))
        assert grads(out) == grads(ref)
        assert [s.index for s in steps] == list(range(1, len(steps) + 1))


def _fanout():
    x, y = Value(0.7, label="x"), Value(-1.3, label="y")
    s = x * y
    t = s.sigmoid() + s * s - x / y
    return (t * s + (x**y.abs()).log() + s.relu()).tanh()


def _mixed():
    x = Value(1.5)
    a = x * x
    return a * a + a + a.tanh() * a - 2 / a + (-a).exp()


def test_unlabelled_nodes_get_readable_names():
    x = Value(2.0, label="x")
    y = (x * 2 + 1).tanh()
    names = node_names(topological_order(y))
    assert sorted(names.values()) == sorted(["x", "2", "1", "x*2", "(x*2)+1", "tanh((x*2)+1)"])
    step = next(iter(Backprop(y)))
    assert str(step).splitlines()[0] == "Step 1/3  tanh((x*2)+1)   (op tanh)"  # its name is its formula
    assert "((x*2)+1).grad += tanh((x*2)+1).grad * " in str(step)
    # a constant leaf shows its number; a long expression becomes #k
    z = x
    for i in range(8):
        z = z * (i + 2) + x
    names = node_names(topological_order(z))
    assert "#1" in names.values() and "3" in names.values()
    assert max(len(name) for name in names.values()) <= 24


def test_iterating_then_run_and_repr():
    out = neuron()
    bp = out.backward_steps()
    assert repr(bp) == "<Backprop of o: 0/5 steps done, next: o (op tanh)>"
    bp.step()
    assert [s.index for s in bp] == [2, 3, 4, 5]
    assert list(bp) == [] and bp.done
    with pytest.raises(StopIteration):
        bp.step()


def test_tensor_steps_show_formulas_and_summaries():
    W = Tensor(np.arange(6.0).reshape(2, 3) / 10, requires_grad=True, label="W")
    v = Tensor([1.0, 2.0, 3.0], label="v")
    out = (W @ v).tanh().sum()
    out.label = "out"
    steps = list(Backprop(out))
    text = "\n\n".join(map(str, steps))
    assert "Step 1/3  out = sum(tanh(W@v))   (op sum)" in text
    # the rule, with the names (v is 1-D: W's gradient is an outer product, not numpy's g @ v.T)
    assert "local:  W.grad += outer((W@v).grad, v),  v.grad += W.T @ (W@v).grad" in text
    assert "local:  d/d(W@v) tanh(W@v) = 1 - tanh(W@v)**2" in text
    assert "v needs no gradient (a constant: requires_grad is False)" in text
    ref_w = W.grad.copy()
    W.grad = None
    (W @ v).tanh().sum().backward()
    np.testing.assert_array_equal(W.grad, ref_w)
    assert f"W.grad += mean {ref_w.mean():.4f}" in text


def test_tensor_formulas_name_the_inputs_even_when_they_are_called_b_and_a():
    """The formulas are written for inputs a and b: for b * a the step said d(a*b)/da = b and
    then b.grad += (the numbers of a), which reads as the opposite of what it did."""
    b = Tensor([1.0, 2.0], requires_grad=True, label="b")
    a = Tensor([3.0, 4.0], requires_grad=True, label="a")

    def local(root, k):  # the local line of the k-th step
        lines = unwrapped(list(root.backward_steps())[k]).splitlines()
        return next(line for line in lines if line.startswith("  local:"))

    assert local((b * a).sum(), 1) == "  local:  d(b*a)/db = a,  d(b*a)/da = b"
    assert local((b * a).abs().sum(), 1) == "  local:  d/d(b*a) |b*a| = sign(b*a)  (0 at (b*a) = 0)"
    # the gradient arriving (g in the rules) is named as the node's: a tensor called g is no clash
    g = Tensor(np.ones((2, 2)), requires_grad=True, label="g")
    assert local((g @ g).sum(), 1) == "  local:  g.grad += (g@g).grad @ g.T,  g.grad += g.T @ (g@g).grad"
    # a name that shares a word with the formula (n here), or one that would make the line too
    # long: the formula as written, saying what the letters are
    n = Tensor([1.0, 2.0], requires_grad=True, label="n")
    assert local(n.mean(), 0) == (
        "  local:  d/da mean(a) = 1/n for every element (n = 2, how many are averaged)   (a is n)")
    # conv's letters are a, b, c (input, weight, bias): a long line is given as letters and what
    # they are, where that is the shorter; with the names quoted when one is a letter too (b is a
    # would mislead) the names themselves are the shorter
    x = Tensor(np.ones((1, 1, 3)), requires_grad=True, label="x")
    bias = Tensor([0.5], requires_grad=True, label="c")
    w = Tensor(np.ones((1, 1, 2)), requires_grad=True, label="w")
    assert local(conv1d(x, w, bias).sum(), 1) == (
        f"  local:  {Conv.formula}   (a is x, b is w, c is c, g is conv1d(x, w, c).grad)")
    w = Tensor(np.ones((1, 1, 2)), requires_grad=True, label="a")
    assert local(conv1d(x, w, bias).sum(), 1) == (
        "  local:  a.grad += conv1d(x, a, c).grad times each window of x, summed;  x.grad += "
        "conv1d(x, a, c).grad times a, added back where each window was;  "
        "c.grad += conv1d(x, a, c).grad summed")
    w = Tensor(np.ones((1, 1, 2)), requires_grad=True, label="w")  # no bias: no c in the rule
    assert local(conv1d(x, w).sum(), 1) == (
        "  local:  w.grad += conv1d(x, w).grad times each window of x, summed;  x.grad += conv1d(x, w).grad "
        "times w, added back where each window was")
    data = Tensor(np.ones((1, 1, 3)), label="x")  # a constant input: its clause went on to say how
    assert local(conv1d(data, w).sum(), 1) == (  # x.grad is made, then the step said x needs none
        "  local:  w.grad += conv1d(x, w).grad times each window of x, summed")
    d = Tensor([1.0, 2.0], requires_grad=True, label="d")  # d is the derivative's d too, as in dd/dc
    assert local((d * a).sum(), 1) == "  local:  d(d*a)/dd = a,  d(d*a)/da = d"
    batch = Tensor(np.ones((2, 2, 2)), requires_grad=True, label="B")  # (the article a is no letter)
    assert local((batch @ a).sum(), 1) == (
        "  local:  B.grad += (B@a).grad @ a.mT,  a.grad += B.mT @ (B@a).grad, summed over broadcast batches  "
        "(1-D a and (B@a).grad taken as columns)")  # (two spaces before the note, as the rule has them)
    long = Tensor([1.0, 2.0], requires_grad=True, label="a_rather_long_input_name")
    w = Tensor([3.0, 4.0], requires_grad=True, label="w")
    assert local((long * w).sum(), 1) == (
        "  local:  d(a*b)/da = b,  d(a*b)/db = a   (a is a_rather_long_input_name, b is w)")


@pytest.mark.parametrize(("shapes", "rule"), [
    (((3,), (3,)), "x.grad += (x@W).grad * W,  W.grad += (x@W).grad * x"),
    (((3,), (3, 2)), "x.grad += W @ (x@W).grad,  W.grad += outer(x, (x@W).grad)"),
    (((2, 3), (3,)), "x.grad += outer((x@W).grad, W),  W.grad += x.T @ (x@W).grad"),
    (((2, 3), (3, 2)), "x.grad += (x@W).grad @ W.T,  W.grad += x.T @ (x@W).grad"),
    (((3,), (2, 3, 2)), "x.grad += (x@W).grad @ W.mT,  W.grad += x.mT @ (x@W).grad, summed over broadcast "
                        "batches  (1-D x and (x@W).grad taken as rows)"),
], ids=str)
def test_matmul_rules_hold_in_numpy_for_vectors_and_batches(shapes, rule):
    """As written for matrices, g @ b.T is a number for a 1-D b, not b's gradient."""
    x = Tensor(np.ones(shapes[0]), requires_grad=True, label="x")
    W = Tensor(np.ones(shapes[1]), requires_grad=True, label="W")
    assert unwrapped(list((x @ W).sum().backward_steps())[1]).splitlines()[1].endswith(rule)


@pytest.mark.parametrize(("n", "rule"), [(0, "d(x**0)/dx = 0"), (1, "d(x**1)/dx = 1"),
                                         (2, "d(x**2)/dx = 2 * x"), (-1.5, "d(x**-1.5)/dx = -1.5 * x**-2.5")])
def test_a_power_rule_has_its_exponent_in_it(n, rule):
    x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    assert unwrapped(list((x ** n).sum().backward_steps())[1]).splitlines()[1] == "  local:  " + rule


def test_reduction_and_softmax_rules_say_their_axis_and_long_lines_wrap():
    """max(h, axis=1) said "1 at the maximum" where each row has one; softmax along axis 0 gave
    a rule that, read over the whole array, is false between columns; a line ran to 400 characters."""
    h = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="h")

    def rule(root):
        return unwrapped(list(root.sum().backward_steps())[1]).splitlines()[1][len("  local:  "):]

    assert rule(h.sum(axis=0)) == "d/dh sum(h, axis=0) = 1 for every element"
    assert rule(h.mean(axis=1)) == (
        "d/dh mean(h, axis=1) = 1/n for every element (n = 3, how many are averaged)")
    assert "1 at each maximum along axis 1, 0 elsewhere" in rule(h.max(axis=1))
    assert "i and j along axis 0 (0 for i, j in different slices)" in rule(h.softmax(axis=0))
    assert "along axis" not in rule(h.max()) and "along axis" not in rule(h[0].softmax())
    a = Value(3.0, label="a")
    y = a
    for _ in range(12):
        y = y + a * a
    *_, last = y.backward_steps()
    lines = str(last).splitlines()
    assert max(map(len, lines)) <= STEP_WIDTH and lines[-1].startswith(" " * 12)  # (past a chain line's 10)
    assert unwrapped(last).endswith("= 73.0000   (a is used 25 times: 25 of 25 contributions in)")


def test_a_broadcast_input_is_said_to_get_its_gradient_summed_over_the_axes_it_was_stretched_along():
    """d(x*w)/dw = x is a 3x4 array, but w.grad got 4 numbers: the step did not say it summed."""
    x = Tensor(np.ones((3, 4)), label="x")
    w = Tensor(np.arange(4.0), requires_grad=True, label="w")
    b = Tensor(np.ones((3, 1)), requires_grad=True, label="b")
    c = Tensor(np.ones((1, 1)), requires_grad=True, label="c")
    steps = [unwrapped(s) for s in ((x * w + b) + c).sum().backward_steps()]
    assert "c.grad         += [[12.0000]]   (summed over axes 0, 1, along which c was broadcast)" in steps[1]
    assert ("b.grad     += [[4.0000], [4.0000], [4.0000]]   (summed over axis 1, along which b was "
            "broadcast)") in steps[2]
    assert ("w.grad += [3.0000, 3.0000, 3.0000, 3.0000]   (summed over axis 0, along which w was "
            "broadcast)") in steps[3]
    assert "summed" not in steps[0] + steps[2].split("b.grad")[0]  # (x*w)+b: no input broadcast


def test_rules_name_a_loss_target_and_put_numbers_in_and_d_brackets_what_it_would_misread():
    """The squared error's formula named its target y whatever it was called (a prediction
    called y read 2 (y - y)); a power's and a clip's said n, lo and hi, not their numbers;
    d glued to a name read d2 (a second derivative) and dtanh(x*w)."""
    def local(root, k):
        lines = unwrapped(list(root.backward_steps())[k]).splitlines()
        return next(line for line in lines if line.startswith("  local:"))

    y = Tensor([1.0, 2.0], requires_grad=True, label="y")
    t = Tensor([0.5, 1.0], label="t")
    assert local(mse(y, t), 0) == (
        "  local:  d/dy mean((y - t)**2) = 2 (y - t) / n,  d/dt = -2 (y - t) / n,  n = 2")
    assert local(quadratic(Tensor(2.0, requires_grad=True, label="p"), 1.0), 0).endswith(
        "= (p - 1) / n,  d/d(1) = -(p - 1) / n,  n = 1")  # (not len(p): a 0-d p has none)
    assert local((y ** 3).sum(), 1) == "  local:  d(y**3)/dy = 3 * y**2"
    assert local(y.clip(-1, 0.5).sum(), 1) == "  local:  d/dy clip(y, -1, 0.5) = 1 if -1 <= y <= 0.5 else 0"
    x, w = Value(2.0, label="x"), Value(3.0, label="w")
    o = 2 / (x * w).tanh()
    o.label = "o"
    assert local(o, 0).startswith("  local:  do/d(2) = ") and "do/d(tanh(x*w)) = " in local(o, 0)
    assert local(o, 1).startswith("  local:  d(tanh(x*w))/d(x*w) = ")


def test_draw_shows_the_pass_so_far():
    require("graphviz", "pip install -e '.[viz]' to draw")
    out = neuron()
    bp = Backprop(out)
    src = bp.draw().source
    assert "grad 1.0000" in src and src.count("grad 0.5000") == 0  # only the seed is known
    assert "highlight" not in src
    bp.step()
    bp.step()
    src = bp.draw().source
    assert src.count('class="value highlight"') == 1 and 'class="op highlight"' in src
    assert src.count("grad 0.5000") == 3  # n, s and b; the products and leaves are blank
    assert "grad -1.5000" not in src
    bp.run()  # finished without recording: everything known, the last node highlighted
    src = bp.draw().source
    assert "grad -1.5000" in src and "highlight" in src


def test_draw_marks_partial_sums():
    require("graphviz", "pip install -e '.[viz]' to draw")
    a = Value(3.0, label="a")
    c = a * a
    c.label = "c"
    d = c + a
    d.label = "d"
    bp = Backprop(d)
    bp.step()
    assert "grad 1.0000 (1 of 3 in)" in bp.draw().source
    bp.step()
    assert "grad 7.0000<" in bp.draw().source  # complete: no note


def test_states_replay_the_pass():
    out = neuron()
    bp = Backprop(out)
    list(bp)
    states = list(bp.states())
    assert len(states) == len(bp) + 1
    assert states[0][0] is None and list(states[0][1].values()) == [1.0]
    last = states[-1][1]
    assert {n.label: g for n, g in last.items()} == {n.label: n.grad for n in topological_order(out)}


def test_to_html_after_run_explains_what_to_do(tmp_path):
    bp = Backprop(neuron())
    bp.run()
    with pytest.raises(ValueError, match=r"step through a new one: bp = Backprop\(root\)"):
        bp.to_html(tmp_path / "x.html")


def test_create_graph_steps_explain_too():
    x = Value(0.5, label="x")
    y = x.tanh() * x
    y.label = "y"
    steps = list(Backprop(y, create_graph=True))
    assert "Step 1/2  y = tanh(x) * x" in str(steps[0])
    t = math.tanh(0.5)
    assert x.grad.data == pytest.approx((1 - t * t) * 0.5 + t)


def test_stepping_a_tensor_graph_whose_leaf_already_has_a_gradient():
    w = Tensor(np.ones(3), requires_grad=True, label="w")
    (w * w).sum().backward()
    y = (w * w).sum()
    y.label = "y"
    text = "\n".join(str(step) for step in Backprop(y))
    assert "w.grad = [2.0000, 2.0000, 2.0000] + [1.0000, 1.0000, 1.0000] + [1.0000, 1.0000, 1.0000]" in text
    np.testing.assert_array_equal(w.grad, [4.0, 4.0, 4.0])


def test_tensor_steps_show_what_each_parent_really_gets():
    # a broadcast input gets the summed gradient, and a constant gets none (both were shown raw:
    # "b.grad += [2, 2, ...]" while b.grad became [12], and "2.grad += ..." for a constant)
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="x")
    b = Tensor([10.0], requires_grad=True, label="b")
    y = ((x + b) * 2).sum()
    steps = list(y.backward_steps())
    assert steps[1].contributions[1] is None
    assert "2 needs no gradient (a constant: requires_grad is False)" in str(steps[1])
    assert steps[2].contributions[1].shape == (1,) and b.grad.tolist() == [12.0]
    assert "b.grad += [12.0000]" in str(steps[2])


@pytest.mark.parametrize("name", ["mse", "quadratic", "cross_entropy"])
def test_stepping_through_a_fused_loss(name):
    """The fused losses are one step each: its formula, no gradient for a constant target, the
    same gradients as backward(), and a pass the pictures can replay."""
    from nn import losses

    rng = np.random.default_rng(0)
    x = Tensor(rng.normal(size=(4, 3)), requires_grad=True, label="x")
    target = [0, 2, 1, 1] if name == "cross_entropy" else rng.normal(size=(4, 3))
    loss = getattr(losses, name)(x.tanh(), target)
    bp = Backprop(loss)
    steps = list(bp)
    assert [s.node.op for s in steps] == [name, "tanh"]
    assert loss._op.rule(loss) in unwrapped(steps[0])
    if name != "cross_entropy":  # the target is a constant input: no gradient, and it says so
        assert steps[0].contributions[1] is None and loss.parents[1].grad is None
        assert "needs no gradient (a constant: requires_grad is False)" in str(steps[0])
    stepped = x.grad.copy()
    x.grad = None
    loss.backward()
    np.testing.assert_array_equal(stepped, x.grad)
    assert len(list(bp.states())) == 3  # before the pass, and after each step
    require("graphviz", "pip install -e '.[viz]' to draw")
    assert loss.op in bp.draw().source


@pytest.mark.parametrize("kind", ["value", "tensor"])
def test_a_stepper_made_before_backward_starts_its_pass_at_its_first_step(kind):
    """A learner makes the stepper, peeks at the answer with backward(), then steps: the steps
    are a second pass (leaves accumulate to twice the gradient), not added onto the first."""
    if kind == "value":
        x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    else:
        x = Tensor([2.0, 1.0], requires_grad=True, label="x")
        w = Tensor([-3.0, 0.5], requires_grad=True, label="w")
    n = x * w + 6.5
    n.label = "n"
    o = n.tanh().sum() if kind == "tensor" else n.tanh()
    o.label = "o"
    bp = o.backward_steps()
    o.backward()
    once = np.copy(x.grad), np.copy(n.grad)
    steps = list(bp)
    np.testing.assert_allclose(x.grad, 2 * once[0], rtol=1e-15)
    np.testing.assert_allclose(n.grad, once[1], rtol=1e-15)  # this pass's, not the sum of two
    assert steps[-1].sums and steps[-1].sums[0][-1]  # the leaf's earlier gradient is named as such
    assert "what it had before this pass" in str(steps[-1]) and "n.grad" not in str(steps[-1])


def test_a_pass_started_under_a_stepper_part_way_stops_it():
    """A backward() (or a second stepper) in the middle of a stepper's pass set the intermediate
    gradients back to zero; stepping on added into that pass's: "(x*w).grad = 0.7864 + 0.7864"
    called a sum of two passes one node's gradient, and the leaves got three passes' worth."""
    x, w, b = Value(1.5, label="x"), Value(-0.5, label="w"), Value(0.3, label="b")
    n = x * w + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    other = (Value(1.0) * 2.0).tanh()
    unrelated = other.backward_steps()
    unrelated.step()  # a stepper of another graph: untouched by passes through this one
    bp = o.backward_steps()
    bp.step()
    o.backward()
    for resume in (bp.step, bp.run, lambda: next(bp)):
        with pytest.raises(RuntimeError, match=r"stopped after 1 of 3 steps: another pass \(a backward\(\)"):
            resume()
    assert repr(bp) == "<Backprop of o: stopped after 1/3 steps by another pass through its nodes>"
    once = x.grad, w.grad, b.grad  # one whole pass
    first, second = o.backward_steps(), o.backward_steps()
    first.step()
    second.step()  # its pass starts: the first is stopped
    with pytest.raises(RuntimeError, match="stopped after 1 of 3 steps"):
        first.step()
    second.run()
    assert (x.grad, w.grad, b.grad) == tuple(2 * g for g in once)  # two passes, not three
    unrelated.run()
    from autograd import gradients

    going = o.backward_steps()
    going.step()
    gradients(o, [x])  # gives every .grad back: the stepper goes on
    going.run()
    x.grad = w.grad = 0.0
    shared = (x * w + x).backward_steps()  # x gets a contribution at each of its 2 steps; a pass
    shared.step()                           # sharing only x (another graph of it) adds in between:
    (x * 5.0).backward()                    # the sum at x would no longer add up ("2 + 3 = 10")
    with pytest.raises(RuntimeError, match="stopped after 1 of 2 steps: another pass"):
        shared.step()
    finished = o.backward_steps()
    finished.run()
    o.backward()  # after a stepper's end, a pass takes nothing from it
    assert repr(finished) == "<Backprop of o: finished, 3/3 steps>"
    from autograd.graph import OPEN_STEPPERS

    dropped = o.backward_steps()
    dropped.step()
    key = id(dropped)
    assert key in OPEN_STEPPERS
    del dropped  # a stepper left part-way is not kept alive by the list of open ones
    assert key not in OPEN_STEPPERS


def test_two_steppers_on_one_graph_are_two_passes():
    x = Value(2.0, label="x")
    o = (x * -3.0 + 6.5).tanh()
    o.backward()
    once = x.grad
    x.grad = 0.0
    first, second = o.backward_steps(), o.backward_steps()
    first.run()
    second.run()
    assert x.grad == pytest.approx(2 * once, rel=1e-15)


def tanh_of_x_times_w_plus(bias):
    """o = tanh(n), n = x*w + bias, with x = 2 and w = -3: the lecture's neuron with one input."""
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    n = x * w + bias
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def test_the_stepper_tree_shows_only_the_gradients_known_so_far():
    o = tanh_of_x_times_w_plus(6.5)
    bp = Backprop(o)
    bp.step()
    lines = bp.tree().splitlines()
    assert lines[1].endswith("1.0000") and lines[2].endswith("0.7864")  # o, then n
    assert all(line.endswith(("-6.0000", "2.0000", "-3.0000", "6.5000")) for line in lines[3:])
    assert "0.0000" not in bp.tree()  # x.grad is 0.0 now, but not known yet: blank
    bp.run()
    assert bp.tree() == o.tree()  # finished: every gradient, as after backward()


def test_a_tree_or_drawing_of_a_node_mid_pass_shows_what_the_stepper_knows():
    """o.tree() after one step showed x*w, x and w with gradient 0.0000 (their .grad, set to zero
    for the pass), where the README says a gradient not computed yet is blank."""
    from autograd import draw

    o = tanh_of_x_times_w_plus(6.5)
    bp = Backprop(o)
    bp.step()
    assert o.tree() == bp.tree() and "0.0000" not in o.tree()
    n = o.parents[0]
    assert n.tree().splitlines()[1].endswith("0.7864") and "0.0000" not in n.tree()  # a node inside too
    assert "grad 0.0000" not in draw(o).source and "grad 0.7864" in draw(o).source
    assert "grad 0.0000" in draw(o, show_grads=True).source  # (asked for: .grad as it is)
    o.backward()  # a pass of its own stops the stepper: .grad is every gradient again
    assert bp.interrupted and "-2.3593" in o.tree()
    d = a_times_a_plus_a()  # a leaf, a graph around the stepper's, notes given
    a = d.parents[1]
    bp = Backprop(d)
    bp.step()
    assert a.tree().splitlines()[1].endswith("1.0000 (1 of 3 in)")  # (its .grad, 1.0000, said nothing)
    assert bp.known() == list(bp.states())[-1][1:]
    above = d.tanh()  # above the stepper's root: not in its pass, blank
    assert above.tree().splitlines()[1].split() == ["tanh(d)", "1.0000"] and "1 of 3 in" in above.tree()
    assert "mine" in draw(d, notes={a: "mine"}).source  # (a note given is kept)


def test_a_rule_too_long_for_one_line_gives_each_input_a_line_of_its_own():
    """A layer's rule was wrapped at 100 columns, in the middle of a clause ("2.bias.grad" on one
    line, "+= #2.grad summed over the rows" on the next)."""
    import nn

    net = nn.Sequential(nn.Linear(3, 4, seed=0), nn.Tanh(), nn.Linear(4, 3, seed=1))
    loss = cross_entropy(net(Tensor(np.random.default_rng(0).random((5, 3)))), [0, 1, 2, 0, 1])
    steps = list(loss.backward_steps())
    assert str(steps[1]).splitlines()[1:4] == ["  local:  tanh(#1).grad += #2.grad @ 2.weight,",
                                               "          2.weight.grad += #2.grad.T @ tanh(#1),",
                                               "          2.bias.grad += #2.grad summed over the rows"]
    rule = str(list(mse(Tensor(np.ones((5, 3)), requires_grad=True, label="a_long_prediction").tanh(),
                        np.zeros((5, 3))).backward_steps())[0]).splitlines()[2:5]
    assert rule == ["  local:  d/da mean((a - b)**2) = 2 (a - b) / n,",  # n = 15 is no input's clause,
                    "          d/db = -2 (a - b) / n,  n = 15",  # and the letters' legend a line of its own
                    "          (a is tanh(a_long_prediction), b is tensor<5x3>)"]
    short = str(steps[3]).splitlines()[1]  # (the first layer's data needs no clause: one line fits)
    assert short == ("  local:  0.weight.grad += #1.grad.T @ tensor<5x3>,  "
                     "0.bias.grad += #1.grad summed over the rows")


def test_the_stepper_tree_says_which_gradients_are_still_partial_sums():
    """a is used 3 times: after the first step its 1.0000 is 1 of 3 contributions, not its gradient."""
    d = a_times_a_plus_a()
    bp = d.backward_steps()
    bp.step()
    rows = bp.tree().splitlines()
    assert rows[2].endswith("c = a * a   9.0000              1.0000")
    assert all(row.endswith("3.0000  1.0000 (1 of 3 in)") for row in rows[3:])
    bp.step()
    assert bp.tree() == d.tree() and "in)" not in bp.tree()


def test_an_unlabelled_step_names_its_node_once_and_next_steps():
    t = Tensor(np.ones((2, 2)), requires_grad=True)
    bp = Backprop(t.tanh().sum())
    first = next(bp)  # next(bp) is bp.step()
    assert str(first).splitlines()[0] == "Step 1/2  sum(tanh(tensor<2x2>))   (op sum)"
    assert str(next(bp)).startswith("Step 2/2  tanh(tensor<2x2>)   (op tanh)")
    with pytest.raises(StopIteration):
        next(bp)


def test_a_picture_before_the_first_step_does_not_start_the_pass():
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    o = (x * w + 6.5).tanh()
    bp = o.backward_steps()
    assert bp.tree().splitlines()[1].endswith("1.0000")  # the seed is shown ...
    o.backward()  # ... but not given: a backward() may still come first
    once = x.grad
    x.grad = w.grad = 0.0
    list(bp)
    assert x.grad == once


def test_stepping_a_leaf_gives_it_its_seed_as_backward_does():
    x = Value(3.0)
    assert list(Backprop(x)) == [] and x.grad == 1.0
    y = Value(3.0)
    bp = Backprop(y)
    with pytest.raises(StopIteration):
        bp.step()
    assert y.grad == 1.0


# -- what a step prints adds up, and names what it is ------------------------------------------


def test_small_numbers_keep_four_significant_digits_so_the_arithmetic_adds_up():
    """Four decimals printed `0.0002 * -3.0000 = -0.0005` (0.0002 * -3 is -0.0006)."""
    o = tanh_of_x_times_w_plus(1)
    text = "\n".join(map(str, o.backward_steps()))
    assert "(x*w).grad * -3.0000 = 0.0001816 * -3.0000 = -0.0005447" in text
    g = 1 - math.tanh(-5.0) ** 2
    assert f"{g:.7f}" == "0.0001816" and f"{-3 * g:.7f}" == "-0.0005447"


def test_a_zero_shows_without_a_sign():
    """-0.0 (a step's 0 slope times a negative gradient, relu's mask times -1) printed -0.0000."""
    a = Value(0.3, label="a")
    s = a.step()
    s.label = "s"
    y = -s
    y.label = "y"
    assert "a.grad += s.grad * 0 = -1.0000 * 0 = 0.0000" in "\n".join(map(str, y.backward_steps()))
    t = Tensor([1.0, -3.0], requires_grad=True, label="t")
    last = list((t.relu() * Tensor([-1.0, -1.0])).sum().backward_steps())[-1]
    assert "t.grad += [-1.0000, 0.0000]" in str(last)


def test_a_negated_operand_is_put_in_brackets():
    """`-a.grad` and `dy/d-a` read as minus a's gradient."""
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    y = (-a) * b
    y.label = "y"
    first, second = (str(s) for s in y.backward_steps())
    assert first.startswith("Step 1/2  y = (-a) * b")
    assert "dy/d(-a) = 3.0000" in first and "(-a).grad += y.grad * 3.0000" in first
    assert "a.grad += (-a).grad * -1 = 3.0000 * -1 = -3.0000" in second
    z = a * -3.0
    z.label = "z"
    assert str(next(iter(z.backward_steps()))).startswith("Step 1/1  z = a * (-3)")


def test_a_number_in_a_formula_is_a_constant_with_no_gradient_as_in_a_tensor_graph():
    """The two 2s of (x + 2) * 2 were explained as variables: `2.grad += 4` in one step,
    `2.grad += 2` in the next, read as one 2 with gradient 6; a Tensor graph says a constant
    needs none."""
    x = Value(2.0, label="x")
    y = (x + 2) * 2
    y.label = "y"
    steps = [str(s) for s in y.backward_steps()]
    assert all("2 needs no gradient (a constant: requires_grad is False)" in s for s in steps)
    assert not any("2.grad" in s for s in steps)
    assert x.grad == 2.0
    rows = str(y.tree(width=100)).splitlines()
    assert [r.split()[-2:] for r in rows if r.endswith("2.0000") and "── 2 " in r] == [["2", "2.0000"]] * 2
    y.backward()
    cells = [line for line in y.draw().source.splitlines() if "<TD>data 2.0000</TD>" in line]
    assert len(cells) == 3 and sum('>no grad (constant)</TD>' in c for c in cells) == 2  # x's shows 4
    assert (x.requires_grad, y.requires_grad, y.parents[1].requires_grad) == (True, True, False)
    x = Value(3.0, label="x")
    y = x * x.detach()  # stop-gradient, as torch's detach: only the first x gets one
    assert not y.parents[1].requires_grad and "needs no gradient" in str(next(iter(y.backward_steps())))
    assert x.grad == 3.0


def test_a_neuron_of_0d_tensors_is_explained_in_numbers_as_the_same_neuron_of_values():
    """A Tensor step printed only the op's formula and the contribution: no upstream gradient,
    no local derivative, so the bridge from Values to Tensors could not be checked by hand."""
    def build(kind):
        x1, w1 = kind(2.0, label="x1"), kind(-3.0, label="w1")
        x2, w2 = kind(0.0, label="x2"), kind(1.0, label="w2")
        b = kind(B, label="b")
        nodes = {"x1w1": x1 * w1, "x2w2": x2 * w2}
        nodes["s"] = nodes["x1w1"] + nodes["x2w2"]
        nodes["n"] = nodes["s"] + b
        nodes["o"] = nodes["n"].tanh()
        for name, node in nodes.items():
            node.label = name
        return nodes["o"]

    as_values = [str(s) for s in build(Value).backward_steps()]
    tensor_leaf = lambda v, label: Tensor(v, requires_grad=True, label=label)  # noqa: E731
    as_tensors = [str(s) for s in build(tensor_leaf).backward_steps()]
    assert as_tensors == as_values
    assert "n.grad += o.grad * 0.5000 = 1.0000 * 0.5000 = 0.5000" in as_tensors[0]


def test_a_number_in_a_formula_reads_the_same_in_value_and_0d_tensor_steps():
    """The constant's line said "(a constant)" for a Value, "(requires_grad=False)" for a Tensor."""
    x, t = Value(3.0, label="x"), Tensor(3.0, requires_grad=True, label="x")
    assert str(next(iter((x * 2).backward_steps()))) == str(next(iter((t * 2).backward_steps())))


def test_numbers_that_round_up_a_decade_keep_four_significant_digits():
    """0.09999995 printed 0.10000 (five digits) where 0.1 prints 0.1000."""
    from autograd.display import number

    assert [number(v) for v in (0.09999995, 0.00999995, 0.000999995, -0.0999996, 0.099994)] == [
        "0.1000", "0.01000", "0.001000", "-0.1000", "0.09999"]


def test_a_step_at_a_kink_says_the_convention_it_takes():
    """relu at exactly 0 printed dr/dx = 0 with no reason: a learner reads it as a mistake."""
    x = Value(0.0, label="x")
    r = x.relu()
    r.label = "r"
    assert "local:  dr/dx = 0   (d/dx relu(x) = 1 if x > 0 else 0)" in str(r.backward_steps().step())
    a = abs(x)
    a.label = "a"
    assert "local:  da/dx = 0   (d/dx |x| = sign(x)  (0 at x = 0))" in str(a.backward_steps().step())
    away = Value(1.5, label="x").relu()  # off the kink: the number says it all
    assert str(away.backward_steps().step()).splitlines()[2].endswith("= 1")


def test_a_walkthrough_of_a_graph_too_big_to_draw_is_refused_before_any_step(tmp_path):
    """It stepped the whole pass first (filling every gradient), then said to pass max_nodes:
    for a page that draws the graph once per step, 1,201 pictures of 2,401 nodes."""
    from autograd.display import GraphTooLargeError

    big = Value(1.0, label="a")
    for _ in range(300):
        big = big * 1.0001 + 0.1
    bp = big.backward_steps()
    with pytest.raises(GraphTooLargeError, match=r"has 1201 nodes, more than max_nodes=500, too many to walk "
                                                 r"through usefully.* once per step: 601 pictures"):
        bp.to_html(tmp_path / "big.html")
    assert bp.position == 0 and not (tmp_path / "big.html").exists()


def test_a_mid_pass_picture_says_what_a_leaf_had_before_this_pass():
    """x held 5 from an earlier backward(): after one step the picture showed 'grad 6.0000 (1 of
    3 in)', where the only edge so far brings 1, and only the step's text said why."""
    x = Value(2.0, label="x")
    y = x * x + x
    y.label = "y"
    y.backward()
    bp = Backprop(y)
    bp.step()
    assert "x  " in str(bp.tree()) and "6.0000 (1 of 3 in; 5.0000 before this pass)" in str(bp.tree())
    bp.step()
    assert "10.0000 (5.0000 before this pass)" in str(bp.tree())
    fresh = Value(2.0, label="x")
    z = fresh * fresh + fresh
    steps = Backprop(z)
    steps.step()
    assert "before this pass" not in str(steps.tree())  # nothing before: nothing said


def test_a_leafs_stepper_says_it_has_no_steps_and_what_its_pass_does():
    """It read 'finished, 0/0 steps', before and after a run that set its grad to 1."""
    a = Value(2.0, label="a")
    bp = a.backward_steps()
    assert repr(bp) == "<Backprop of a: a leaf, no steps: its pass adds 1 to its grad>"
    assert list(bp) == [] and a.grad == 1.0
    assert "adds the gradient given" in repr(Value(2.0, label="b").backward_steps(0.5))


def test_a_saved_step_keeps_what_it_added_when_the_grad_is_changed_in_place_later():
    """A leaf's first contribution was its .grad array itself: `W.grad *= 0` rewrote the old step."""
    W = Tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True, label="W")
    bp = Backprop((Tensor([[2.0, 1.0]], label="x") @ W).tanh().sum())
    last = list(bp)[-1]
    shown = str(last)
    assert "W.grad += [[0.0532, 0.8399], [0.0266, 0.4200]]" in shown
    W.grad *= 0
    assert str(last) == shown and last.contributions[-1] is not W.grad


def test_two_op_nodes_that_read_alike_get_two_names_in_reading_order():
    """x.tanh() * x.tanh() read tanh(x)*tanh(x), and its steps as one node used twice."""
    x = Tensor([1.0, -2.0], requires_grad=True, label="x")
    first, second = x.tanh(), x.tanh()
    root = (first * second).sum()
    names = node_names(topological_order(root))
    assert (names[first], names[second], names[root]) == ("#1", "#2", "sum(#1*#2)")
    text = "\n".join(map(str, Backprop(root)))
    assert "#1 = tanh(x)" in text and "#2 = tanh(x)" in text
    h = x.tanh()  # one node used twice keeps its expression, and the steps add its two uses
    assert node_names(topological_order(h * h))[h] == "tanh(x)"
    a = Value(2.0, label="a")  # and the scalar engine, where a*2 and a*2 are two nodes too
    assert str((a * 2 + a * 2).tree()).splitlines()[1].startswith("#1+#2")


def test_stack_concatenate_and_transpose_say_their_axes():
    """stack(p, q, axis=1) read stack(p, q): a reader assuming axis 0 expected other slices."""
    p, q = (Tensor([1.0, 2.0], requires_grad=True, label=n) for n in "pq")
    step = list(Backprop(stack([p, q], axis=1).sum()))[-1]
    assert "stack(p, q, axis=1)" in str(step) and "slice of the output's gradient, along axis 1" in str(step)
    assert "concatenate(p, q, axis=0)" in str(list(Backprop(concatenate([p, q]).sum()))[-1])
    B = Tensor(np.ones((2, 3, 4)), requires_grad=True, label="B")
    step = list(Backprop(B.transpose(1, 2, 0).sum()))[-1]
    assert "transpose(B, axes=(1, 2, 0))" in str(step)
    assert step.node._op.rule(step.node).endswith("back (axes=(2, 0, 1), the inverse of axes=(1, 2, 0))")
    assert "transpose(B)" in str(list(Backprop(B.T.sum()))[-1])  # .T reverses: nothing to say


def test_clip_reads_as_a_call_and_says_its_convention_at_a_bound():
    """clip[0, 1](x) read like a curried call, and at a bound dc/dx = 1 stood without its rule."""
    x = Tensor(1.0, requires_grad=True, label="x")
    (step,) = Backprop(x.clip(0, 1))
    assert "clip(x, 0, 1)   (op clip)" in str(step)
    assert "= 1   (d/dx clip(x, 0, 1) = 1 if 0 <= x <= 1 else 0)" in str(step)
    (inside,) = Backprop(Tensor(0.5, requires_grad=True, label="x").clip(0, 1))
    assert "if 0 <=" not in str(inside)  # inside the bounds the slope needs no convention


def test_cross_entropy_shows_its_labels_or_how_many():
    z = Tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]], requires_grad=True, label="z")
    assert "cross_entropy(z, [1, 2])" in str(list(Backprop(cross_entropy(z, np.array([1, 2]))))[0])
    many = Tensor(np.zeros((64, 10)), requires_grad=True, label="z")
    assert "cross_entropy(z, <64 labels>)" in str(cross_entropy(many, np.zeros(64, int)).tree())


def test_the_walkthrough_says_what_a_step_does_with_arrays_without_calling_it_a_product():
    from autograd.walkthrough import _start_text

    W = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    assert "as the op's rule says" in _start_text(Backprop((W @ np.ones(3)).sum()))
    assert "multiplies its gradient by the local derivative" in _start_text(Backprop(Value(2.0) * 3))


def test_a_step_at_the_repl_shows_its_explanation():
    """`bp.step()` typed at the REPL showed `<Step 1/4 at L (op sum)>`: the learner had to print it."""
    x = Value(2.0, label="x")
    step = (x * x).backward_steps().step()
    assert repr(step) == str(step) and repr(step).startswith("Step 1/1  ")


def test_a_step_whose_explanation_fails_still_has_a_repr():
    """A user op's hook written to an older signature made repr(step), and so a bare bp.step() at
    the REPL, raise: a repr shows the short form then."""
    from autograd import apply
    from autograd.ops import Op

    class OldHook(Op):
        name = "old"

        @staticmethod
        def forward(ctx, a):
            return 2 * a

        @staticmethod
        def backward(ctx, g, out, a):
            return (2 * g,)

        @classmethod
        def at_kink(cls, a):  # (before at_kink took the op's ctx)
            return False

    step = apply(OldHook, Value(1.0, label="x")).backward_steps().step()
    with pytest.raises(TypeError):
        str(step)
    assert repr(step) == "<Step 1/1 at old(x) (op old)>"
