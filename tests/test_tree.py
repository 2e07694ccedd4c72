"""The text tree: one line per node, shared sub-expressions once, width-limited, deep graphs."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

import autograd
from autograd import Backprop, GraphTooLargeError, Tensor, Value, topological_order, tree
from autograd.display import node_names


def neuron():
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.5, label="b")
    n = x * w + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def test_tree_lines_have_data_and_grad_after_backward():
    o = neuron()
    o.backward()
    lines = str(o.tree()).splitlines()
    assert lines[0].split() == ["data", "grad"]
    assert lines[1].split() == ["o", "=", "tanh(n)", "0.4621", "1.0000"]
    assert lines[2].split() == ["└──", "n", "=", "(x*w)", "+", "b", "0.5000", "0.7864"]
    assert lines[4].split() == ["│", "├──", "x", "2.0000", "-2.3593"]
    assert len(lines) == 7
    assert str(autograd.tree(o)) == str(o.tree())


def test_gradients_not_computed_yet_are_blank_not_zero():
    o = neuron()
    text = str(o.tree())
    assert "0.0000" not in text
    assert text.splitlines()[1].split() == ["o", "=", "tanh(n)", "0.4621"]
    assert "0.0000" in str(tree(o, show_grads=True))


def test_repl_shows_the_tree_itself():
    o = neuron()
    assert repr(o.tree()) == str(o.tree())


def test_a_shared_sub_expression_is_printed_once_and_referenced():
    a = Value(3.0, label="a")
    c = a.tanh()
    c.label = "c"
    d = (c * c + c) * c
    text = str(d.tree())
    assert text.count("c {1} = tanh(a)") == 1
    assert text.count("c {1} (see above)") == 3
    lines = [line.lstrip("│ └├─") for line in text.splitlines()[1:]]
    names = [line.split()[0] for line in lines[:-1]]
    assert names == ["((c*c)+c)*c", "(c*c)+c", "c*c", "c", "a", "c", "c", "c"]
    # marked {1}, not [1], which reads as indexing (c[1]), and said what the mark means
    assert lines[-1] == "({1}: a node used more than once, written out where it is first used)"


def test_width_limits_every_line():
    a = Value(1.0, label="a_rather_long_label_for_an_input_" * 3)
    y = a
    for _ in range(30):
        y = (y * 2.0).tanh()
    y.backward()
    for width in (40, 60, 100):
        lines = str(tree(y, width=width)).splitlines()
        assert max(len(line) for line in lines) <= width
        assert all(len(line.split()) >= 3 for line in lines[1:])  # name, data and grad on each
        assert lines[1].split()[-2:] == ["0.9575", "1.0000"]


def test_deep_chain_works_with_max_nodes_raised_and_errors_by_default():
    x = Value(0.5, label="x")
    y = x
    for _ in range(19_999):
        y = y.tanh()
    with pytest.raises(GraphTooLargeError, match=r"20000 nodes, more than max_nodes=500.*max_nodes=20000"):
        tree(y)
    y.backward()
    lines = str(tree(y, max_nodes=20_000, width=80)).splitlines()
    # (a #k node whose definition does not fit beside it has it on a row of its own)
    definitions = [line for line in lines if line.lstrip("│ └├─…").startswith("= ")]
    assert len(lines) - len(definitions) == 20_001
    assert max(len(line) for line in lines) <= 80
    assert lines[-1].lstrip("│ └├─…").startswith("x")


def test_tensor_nodes_show_shape_and_summary():
    W = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="W")
    v = Tensor([1.0, -1.0, 2.0], label="v")
    out = (W @ v).sum()
    out.label = "out"
    text = str(tree(out))
    assert "W (2x3)" in text and "2.5000 [0.0000, 5.0000]" in text  # mean [min, max], as the legend says
    assert text.splitlines()[-1] == "(an array of more than 4 numbers is shown as: mean [min, max])"
    assert "[1.0000, -1.0000, 2.0000]" in text
    out.backward()
    text = str(tree(out))
    assert "out = sum(W@v)" in text
    w_line = next(line for line in text.splitlines() if "W (2x3)" in line)
    assert w_line.rstrip().endswith("  0.6667 [-1.0000, 2.0000]")
    v_line = next(line for line in text.splitlines() if "v (3)" in line)
    assert v_line.rstrip().endswith("2.0000]")  # data only: v needs no gradient


def test_labels_print_as_they_are():
    a = Value(1.0, label='a "q" {x|y} <z> \\ é')
    b = a * 2
    b.label = "b"
    assert 'a "q" {x|y} <z> \\ é' in str(b.tree())


def test_tensor_nodes_have_tree_and_draw_and_one_line_summaries():
    import numpy as np

    from autograd import Tensor

    w = Tensor(np.ones((2, 2)), requires_grad=True, label="W")
    y = (w * 2).sum()
    y.label = "y"
    y.backward()
    text = str(y.tree())
    assert len(text.splitlines()) == 5  # header + 4 nodes: no array wraps onto a second line
    # a small array's numbers in one flat list (its shape is in the name): narrow columns
    assert "├── W (2x2)" in text and "[2.0000, 2.0000, 2.0000, 2.0000]" in text and "[[" not in text
    assert "W" in y.draw().source


def test_a_newline_in_a_label_shows_as_backslash_n_and_keeps_the_columns():
    # it broke the row in two, the data and grad columns out of line
    x = Value(2.0, label="two\nlines")
    y = x * 3
    y.label = "tab\there"
    y.backward()
    lines = str(y.tree()).splitlines()
    assert len(lines) == 4
    assert lines[1].split() == ["tab\\there", "=", "(two\\nlines)", "*", "3", "6.0000", "1.0000"]
    assert lines[2].split() == ["├──", "two\\nlines", "2.0000", "3.0000"]
    assert len(lines[1]) == len(lines[2])
    assert lines[3].split() == ["└──", "3", "3.0000"]  # a constant: no gradient to show
    assert lines[3].index("3.0000") == lines[2].index("2.0000")


def spelled_out(net, x):
    """``net(x)`` with each Linear layer written out as a learner first writes it, ``x @ W.T + b``
    (three nodes; the layer itself makes one ``linear`` node): a deeper tree, named as the model
    names its parameters."""
    import nn

    net(x)  # (the model names its parameters at its first call)
    for layer in net:
        x = x @ layer.weight.T + layer.bias if isinstance(layer, nn.Linear) else layer(x)
    return x


def test_a_tensor_mlp_tree_fits_whole_names_and_its_indentation_in_100_columns():
    """Wide summaries ("mean ... in [...]") left 34 columns for the names: a 2-layer MLP's tree
    came out with names cut and its deepest rows' indentation cut short ("… │   │"), and a
    fallback-named sum repeated its own expression ("#2+2.bias = #2 + 2.bias")."""
    import nn
    from nn.losses import cross_entropy

    net = nn.Sequential(nn.Linear(4, 5, seed=0), nn.ReLU(), nn.Linear(5, 3, seed=1))
    x = Tensor(np.random.default_rng(0).random((6, 4)))
    loss = cross_entropy(spelled_out(net, x), [0, 1, 2, 0, 1, 2])
    loss.backward()
    lines = str(tree(loss, width=100)).splitlines()
    assert max(map(len, lines)) <= 100
    rows = lines[1:-1]
    assert not any(row.startswith("…") for row in rows)  # no indentation cut short
    for leaf in ("0.weight (5x4)", "0.bias (5)", "2.weight (3x5)", "2.bias (3)", "tensor<6x4> (6x4)"):
        assert any(f"── {leaf}  " in row for row in rows), leaf  # whole, not cut with "…"
    assert "── #2 + 2.bias (6x3)  " in rows[1]  # spaced: #2+2.bias read as (#2+2).bias
    assert "── #2 (6x3)  " in rows[2]  # a bare number is still spelled out, on a row of its own (too long)
    assert rows[3] == "    │   │   = relu(#1 + 0.bias) @ transpose(2.weight)"


def test_a_mean_within_rounding_of_zero_is_shown_as_zero():
    """A cross-entropy gradient's rows sum to 0: its mean was shown as -9.2519e-18, and as another
    such number after a transpose, as if they meant something."""
    from autograd.display import summary

    z = np.random.default_rng(0).standard_normal((6, 3))
    g = (np.exp(z) / np.exp(z).sum(1, keepdims=True) - np.eye(3)[[0, 1, 2, 0, 1, 2]]) / 6  # d CE / d z
    assert g.mean() != g.T.copy().mean() and g.mean() != 0  # rounding: -3.85e-18 and -3.08e-18
    assert summary(g).startswith("mean 0.0000 in [") and summary(g.T.copy()) == summary(g)
    tiny = np.array([1e-20, 2e-20, 3e-20, 4e-20, 5e-20])
    assert summary(tiny).startswith("mean 3.0000e-20")  # small, but not noise


def test_backward_steps_takes_create_graph_as_backward_does():
    x = Value(0.5, label="x")
    y = (x * x).tanh()
    steps = y.backward_steps(create_graph=True)
    steps.run()
    assert isinstance(x.grad, Value)  # a graph, for a second derivative
    assert x.grad.data == pytest.approx(2 * 0.5 * (1 - np.tanh(0.25) ** 2))


def test_an_index_reads_as_indexing_and_an_unlabelled_output_starts_the_walkthrough_in_words():
    from autograd.walkthrough import _start_text

    x = Tensor(np.arange(4.0), requires_grad=True, label="x")
    loss = (x[1:3] * 2).sum()
    assert "sum(x[1:3]*2)" in str(tree(loss))  # it read "[](x)", then "sum(x[…]*2)"
    start = _start_text(loss.backward_steps())
    assert "its derivative by itself is 1" in start and "dsum(" not in start
    loss.label = "L"
    assert "dL/dL = 1" in _start_text(loss.backward_steps())
    loss.label = "dist"
    assert "d(dist)/d(dist) = 1" in _start_text(loss.backward_steps())  # not ddist/ddist


def test_the_walkthrough_and_the_first_step_say_where_the_gradient_1_comes_from():
    """The REPL's first step never said why the output's gradient is 1 (the lecture's dL/dL = 1);
    the page wrote (a*a)+1.grad = 1 for ((a*a)+1).grad, and 'Each of the 0 steps' for a leaf."""
    from autograd.walkthrough import _start_text

    a = Value(2.0, label="a")
    out = a * a + 1
    assert "so ((a*a)+1).grad = 1." in _start_text(out.backward_steps())
    assert "The step takes one node" in _start_text((a * 3).backward_steps())
    leaf = _start_text(a.backward_steps())
    assert "a is a leaf" in leaf and "0 steps" not in leaf and "first step" not in leaf
    out.label = "L"
    first = str(out.backward_steps().step()).splitlines()
    assert first[1] == "  start:  L.grad = 1.0000   (dL/dL = 1: backprop starts at the output)"
    x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    given = str((x * 3).backward_steps(np.array([1.0, 0.5])).step()).splitlines()
    assert given[1] == "  start:  (x*3).grad = [1.0000, 0.5000]   (the gradient it was given)"
    given = str(out.backward_steps(1.0).step()).splitlines()  # a 1 given is given too
    assert given[1] == "  start:  L.grad = 1.0000   (the gradient it was given)"


def test_a_reduction_or_softmax_along_an_axis_is_named_with_it():
    """sum(M, axis=0), max(M, axis=1) and softmax(M, axis=0) all read sum(M), max(M), softmax(M)
    in the tree and the step headers, as if over every element; only the rule said the axis."""
    M = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="M")
    parts = [M.sum(axis=0), M.max(axis=1), M.mean(), M.softmax(axis=0), M.log_softmax(),
             M.softmax(axis=None)]
    names = node_names(topological_order(sum(p.sum() for p in parts)))
    assert [names[p] for p in parts] == ["sum(M, axis=0)", "max(M, axis=1)", "mean(M)",
                                         "softmax(M, axis=0)", "log_softmax(M, axis=1)",
                                         "softmax(M, axis=None)"]
    r = M.sum(axis=0)
    r.label = "r"
    assert "r (3) = sum(M, axis=0)" in str(tree(r.sum()))
    assert "Step 2/2  r = sum(M, axis=0)" in "\n".join(map(str, r.sum().backward_steps()))
    assert "#1 (2x1) = max(M, axis=1, keepdims=True)" in str(tree(M.max(axis=1, keepdims=True).sum()))


def test_each_indexing_is_named_by_its_index_in_the_tree_and_the_steps():
    """Four indexings of one array read x[0], x[:, 1:], x[[0, 1], [2, 0]], (x*3)[1, ::2]: before,
    all were x[…], so neither the tree nor the steps told them apart."""
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="x")
    parts = [x[0], x[:, 1:], x[np.array([0, 1]), np.array([2, 0])], (x * 3)[1, ::2],
             x[np.arange(2).repeat(3)]]
    names = node_names(topological_order(sum(p.sum() for p in parts)))
    assert [names[p] for p in parts] == ["x[0]", "x[:, 1:]", "x[[0, 1], [2, 0]]", "(x*3)[1, ::2]",
                                         "x[<6 indices>]"]
    masked = [x[x.data > 0], x[np.array([False, True])]]  # a 2-D mask read x[<5 indices>, <5 indices>]
    names = node_names(topological_order(sum(p.sum() for p in masked)))
    assert [names[p] for p in masked] == ["x[<2x3 mask>]", "x[[False, True]]"]
    v = Tensor(np.arange(4.0).reshape(2, 2), requires_grad=True, label="v")  # a mask inside a tuple
    inside = [v[1, np.array([True, False])], v[..., np.array([False, True])], v[:1, v.data[0] > 0]]
    names = node_names(topological_order(sum(p.sum() for p in inside)))  # read v[1, [0]], v[:1, [1]]
    assert [names[p] for p in inside] == ["v[1, [True, False]]", "v[..., [False, True]]",
                                          "v[:1, [False, True]]"]
    import copy
    import pickle

    for twin in (copy.deepcopy(masked[0].sum()), pickle.loads(pickle.dumps(masked[0].sum())),
                 pickle.loads(pickle.dumps(inside[2].sum()))):
        twin.backward()  # the index rebuilt from its mask (it was rebuilt from the index: IndexError)
        want = [[0.0, 1.0, 1.0], [1.0, 1.0, 1.0]] if twin.parents[0].shape == (5,) else [[0, 1], [0, 0]]
        assert twin.parents[0].parents[0].grad.tolist() == want
    steps = (parts[0] * 2).sum().backward_steps()
    text = "\n".join(str(step) for step in steps)
    assert "x[0].grad += [2.0000, 2.0000, 2.0000]" in text  # an index binds as a name: no brackets
    assert "d x[0] / d x = 1 there, 0 elsewhere" in text  # the rule says which elements
    # in the learner's names also for a long index (the rule, written with the index twice, came
    # back in letters past 80 characters), and for indexing after indexing or after a call
    long = x[np.array([0, 1]), np.array([2, 0])]
    assert "d x[[0, 1], [2, 0]] / d x = 1 there" in "\n".join(map(str, long.sum().backward_steps()))
    xs = Tensor(np.arange(16.0).reshape(4, 4), requires_grad=True, label="xs")  # over 80 with names, but
    longer = xs[np.arange(4), np.array([3, 2, 1, 0])]  # shorter than the letters with "(a is xs)"
    assert "d xs[[0, 1, 2, 3], [3, 2, 1, 0]] / d xs = 1" in "\n".join(map(str, longer.sum().backward_steps()))
    many = x[np.arange(2).repeat(3)][0]  # "indices" in the name's index once clashed with the rule's words
    assert "d x[<6 indices>][0] / d x[<6 indices>] = 1" in "\n".join(map(str, many.sum().backward_steps()))
    chained = x.tanh()[0][1:]
    text = "\n".join(str(step) for step in (chained * 3).sum().backward_steps())
    assert "tanh(x)[0][1:].grad += " in text and "tanh(x)[0].grad += " in text


def test_a_convolution_and_a_pooling_are_named_with_their_settings():
    """conv2d(x, w) said nothing of its padding, so the shapes could not be rebuilt from the names."""
    from autograd import conv1d, conv2d, max_pool2d

    x = Tensor(np.ones((1, 1, 6, 6)), requires_grad=True, label="x")
    w = Tensor(np.ones((1, 1, 3, 3)), requires_grad=True, label="w")
    s, k = Tensor(np.ones((1, 1, 5)), label="s"), Tensor(np.ones((1, 1, 2)), requires_grad=True, label="k")
    cases = [(conv2d(x, w), "conv2d(x, w)"), (conv2d(x, w, padding=1), "conv2d(x, w, padding=1)"),
             (max_pool2d(x, 2), "max_pool2d(x, 2)"), (max_pool2d(x, (3, 2)), "max_pool2d(x, (3, 2))"),
             (conv1d(s, k, stride=2), "conv1d(s, k, stride=2)")]
    for node, name in cases:
        assert node_names(topological_order(node))[node] == name
    # a name past 24 characters is #1, and the tree says what #1 is
    long = conv2d(x, w, stride=(2, 1), padding=(1, 1))
    assert "#1 (1x1x3x6) = conv2d(x, w, stride=(2, 1), padding=1)" in str(tree(long))
    assert "#1 (1x1x4x5) = max_pool2d(x, (3, 2), stride=1)" in str(tree(max_pool2d(x, (3, 2), stride=1)))
    padded = conv2d(x, w, padding=1)
    step = " ".join(str(list(padded.sum().backward_steps())[1]).split())  # (a long line wraps)
    assert "(windows of x padded with zeros: padding=1)" in step  # (and the zeros' gradient dropped)


def test_a_long_definition_gets_a_row_of_its_own_instead_of_being_cut():
    """An nn.Linear MLP's tree at 100 columns cut its layers' definitions: "#2 (5x3) =
    linear(tanh(#1)…", "#1 (5x4) = linear(te…", and the root's "cross_entropy(#2, <5 lab…"."""
    import nn
    from nn.losses import cross_entropy

    net = nn.Sequential(nn.Linear(3, 4, seed=0), nn.Tanh(), nn.Linear(4, 3, seed=1))
    loss = cross_entropy(net(Tensor(np.random.default_rng(0).random((5, 3)))), [0, 1, 2, 0, 1])
    loss.backward()
    lines = str(tree(loss, width=100)).splitlines()
    assert max(map(len, lines)) <= 100 and not any("…" in line for line in lines)
    assert lines[1].startswith("#3 ") and lines[2] == "│  = cross_entropy(#2, <5 labels>)"
    assert lines[3].startswith("└─ #2 (5x3)  ") and lines[4] == "   │  = linear(tanh(#1), 2.weight, 2.bias)"
    assert "   │     │  = linear(tensor<5x3>, 0.weight, 0.bias)" in lines  # under #1, its children's line on
    wide = str(tree(loss, width=200))  # room enough: on the node's own row, as before
    assert "└── #2 (5x3) = linear(tanh(#1), 2.weight, 2.bias)  " in wide and "│  = " not in wide


def test_a_definition_row_comes_after_a_note_row_and_is_never_cut_narrower_than_the_tree():
    """A mid-pass note went under the definition row, away from the gradient it qualifies; and at a
    width too narrow for the other rows, a definition was cut to nothing ('│ = …')."""
    from autograd import Backprop

    a = Value(3.0, label="a_rather_long_label_name")
    c = a * a
    c.label = "c_intermediate_long_name"
    d = c * c + c
    bp = Backprop(d)
    bp.step()
    rows = str(bp.tree(width=30)).splitlines()
    at = next(i for i, row in enumerate(rows) if "c_interm" in row and "1.0000" in row)
    assert rows[at + 1].endswith("(1 of 3 in)") and rows[at + 2].lstrip("│ ").startswith("= a_rather")
    d.backward()
    narrow = str(tree(d, width=5)).splitlines()
    wide = max(map(len, narrow[:2]))  # the tree's own width (more than 5: its columns need it)
    assert all(len(row) <= wide for row in narrow[:-1])  # a definition as wide as the tree, no wider
    assert f"│ │ │ = {'a_rather_long_label_name * a_rather'[:wide - 9]}…" in narrow  # cut there, not to 5


def test_a_linear_node_says_the_layer_equations_for_the_inputs_that_need_them():
    """One step a layer, with the gradients of the layer's input, weight and bias, in the shape
    of its input: one sample, a batch, or a batch of batches; a constant input gets no clause."""
    from autograd import linear

    w = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    b = Tensor(np.zeros(2), requires_grad=True, label="b")
    cases = [((3,), "W.grad += outer(y.grad, x)", "b.grad += y.grad chain:"),
             ((4, 3), "W.grad += y.grad.T @ x,", "b.grad += y.grad summed over the rows"),
             ((2, 4, 3), "W.grad += y.grad.T @ x (the rows of every batch stacked),",
              "b.grad += y.grad summed over all but its last axis")]
    for shape, weight_rule, bias_rule in cases:
        for learn in (False, True):
            x = Tensor(np.ones(shape), requires_grad=learn, label="x")
            y = linear(x, w, b)
            y.label = "y"
            step = " ".join(str(list(y.sum().backward_steps())[1]).split())  # (a long line wraps)
            assert step.startswith("Step 2/2 y = linear(x, W, b) (op linear) local: ")
            assert weight_rule in step and bias_rule in step
            assert ("x.grad += y.grad @ W," in step) is learn  # only an input that needs it
    frozen = linear(Tensor(np.ones((4, 3)), label="x"), Tensor(np.ones((2, 3)), label="W"),
                    Tensor(np.zeros(2), requires_grad=True, label="b"))
    frozen.label = "h"
    assert frozen._op.rule(frozen) == "c.grad += g summed over the rows"  # a frozen layer's bias alone
    step = " ".join(str(list(frozen.sum().backward_steps())[1]).split())
    assert "local: b.grad += h.grad summed over the rows chain:" in step  # in names, not c and g


def test_the_tree_is_as_wide_as_the_terminal_and_at_least_100(monkeypatch):
    """After backward a CNN's tree cut its names at 100 columns in a 200-column terminal."""
    import nn

    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, seed=0), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(8, 3, seed=1))
    loss = nn.losses.cross_entropy(net(Tensor(np.ones((2, 1, 4, 4)), label="x")), [0, 2])
    loss.backward()
    monkeypatch.setenv("COLUMNS", "200")
    wide = str(loss.tree())
    assert "…" not in wide and "#1 (2x2x4x4) = conv2d(x, 0.weight, 0.bias, padding=1)" in wide
    monkeypatch.setenv("COLUMNS", "60")
    narrow = str(loss.tree())
    assert max(map(len, narrow.splitlines())) <= 100  # 100 at least; a long definition on a row of its own
    assert "│   = conv2d(x, 0.weight, 0.bias, padding=1)" in narrow
    assert str(tree(loss, width=200)) == wide


def test_the_zero_rule_leaves_infinite_and_genuinely_small_means_alone():
    """The rule first scaled with the range and with sqrt(size): an array with an inf showed mean
    0.0000, and a float32 million with true mean 1e-4 showed 0.0000 too."""
    from autograd.display import summary

    assert summary(np.array([np.inf, 1.0, 2.0, 3.0, 4.0])) == "mean inf in [1.0000, inf]"
    small = np.full(10**6, 1e-4, dtype=np.float32)
    small[:2] = 1.0, -1.0
    assert summary(small).startswith("mean 1.0000e-04 in [")


def test_a_deep_tree_narrows_its_indentation_instead_of_cutting_it():
    """At 100 columns a 2-layer tanh MLP's deepest rows were cut to "…  │   │", which put
    `tensor<5x3>` and `0.weight` at the column of their parent, read as its siblings."""
    import nn
    from nn.losses import cross_entropy

    net = nn.Sequential(nn.Linear(3, 4, seed=0), nn.Tanh(), nn.Linear(4, 3, seed=1))
    loss = cross_entropy(spelled_out(net, Tensor(np.random.default_rng(0).random((5, 3)))), [0, 1, 2, 0, 1])
    loss.backward()
    rows = str(tree(loss, width=100)).splitlines()[1:-1]
    assert max(map(len, rows)) <= 100 and not any("…" in row[:20] for row in rows)

    def column(text):  # where the row's name starts: its depth
        row = next(r for r in rows if text in r)
        return row.index(text)

    assert column("#1 (5x4)") < column("tensor<5x3> (5x3)") < column("0.weight (4x3)")
    assert column("0.bias (4)") == column("#1 (5x4)")  # siblings, at one column
    assert column("tensor<5x3> (5x3)") - column("#1 (5x4)") == 2  # two characters a level
    wide = str(tree(loss, width=200))
    assert "    │   │       │       └── 0.weight (4x3)" in wide  # room enough: four a level, as ever


def test_a_shared_deep_chain_printed_once_keeps_four_characters_a_level():
    """The indentation was narrowed by the longest path through the graph, though a shared node's
    second use prints as "(see above)": 28 tanh in two halves came out 2 characters a level."""
    x = Value(0.5, label="x")
    c = x
    for _ in range(14):
        c = c.tanh()
    d = c
    for _ in range(14):
        d = d.tanh()
    rows = str((c + d).tree(width=100)).splitlines()
    assert rows[3].startswith("│   └── tanh(#3)") and not any(row.startswith("…") for row in rows)


def _stdout(monkeypatch, encoding):
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding=encoding))


def test_unlabelled_arrays_of_one_shape_are_numbered_in_reading_order():
    """Both read tensor<2x3>: a * exp(b) was written tensor<2x3> * exp(tensor<2x3>), as if x*exp(x),
    and each step's tensor<2x3>.grad looked like one leaf's."""
    a, b, c = (Tensor(np.full((2, 3), v), requires_grad=True) for v in (1.0, 2.0, 3.0))
    two = Tensor(np.ones(2), requires_grad=True)  # the only one of its shape: no number
    root = (a * b.exp() + c).sum() + (two * 2).sum()
    text = str(tree(root))
    assert "#1 (2x3) = tensor<2x3>_1 * exp(tensor<2x3>_2)" in text and "tensor<2x3>_3 (2x3)" in text
    assert "tensor<2> (2)" in text and "tensor<2>_" not in text
    assert "  chain:  tensor<2x3>_1.grad " in str(list(root.backward_steps())[3])


def test_a_stdout_that_cannot_print_box_lines_gets_the_tree_in_ascii(monkeypatch):
    """Windows gives a program whose output is redirected cp1252, which has no box-drawing
    characters: print(tree(y)) raised UnicodeEncodeError there.  ASCII lines stand in, as the
    tree command's, and every row keeps its width, cut ones too ("..." for "…")."""
    x = Value(0.5, label="x")
    y = x
    for _ in range(20):  # deep enough at 60 columns for indentation and names to be cut
        y = (y + 1.0).tanh()
    y.backward()
    _stdout(monkeypatch, "utf-8")
    fancy = str(tree(y, width=60)).splitlines()
    _stdout(monkeypatch, "cp1252")
    plain = str(tree(y, width=60)).splitlines()
    print("\n".join(plain))  # no error
    "\n".join(plain).encode("ascii")
    # 2 characters a level, and a branch is not a bar ("| "): siblings apart from children
    assert [line[:6] for line in plain[2:5]] == ["`-tanh", "  |-ta", "  | `-"]
    assert [len(line) for line in plain] == [len(line) for line in fancy]
    assert [line.find("`-") for line in plain] == [line.find("└ ") for line in fancy]  # same indentation
    whole = [line for line in plain if "..." not in line]
    assert 5 < len(whole) < len(plain)  # rows of both kinds
    ascii_lines = str.maketrans({"├": "|-", "└": "`-", "│": "|"})
    assert whole == [line.replace("├ ", "├").replace("└ ", "└").translate(ascii_lines) for line in fancy
                     if "…" not in line]


def test_a_label_such_stdout_cannot_print_is_written_as_its_escape(monkeypatch):
    """A Greek label (θ, as machine learning writes its parameters) raised UnicodeEncodeError
    when the tree or a step was printed to a cp1252 pipe."""
    _stdout(monkeypatch, "cp1252")
    theta = Tensor(np.ones(3), requires_grad=True, label="θ")
    loss = (theta * 2).sum()
    loss.backward()
    text = str(loss.tree())
    steps = [str(s) for s in loss.backward_steps()]
    print(text, *steps, sep="\n")  # no error
    assert "`-- \\u03b8*2 (3)" in text and "\\u03b8.grad += [2.0000, 2.0000, 2.0000]" in steps[1]
    _stdout(monkeypatch, "utf-8")
    assert "└── θ*2 (3)" in str(loss.tree())


def test_an_odd_stdout_whose_encoding_is_no_codec_gets_ascii_not_an_error(monkeypatch):
    from unittest import mock

    from autograd.display import unicode_out

    for stream in (mock.MagicMock(), type("Odd", (), {"encoding": b"utf-8"})(), None):
        monkeypatch.setattr(sys, "stdout", stream)
        assert unicode_out() is (stream is None)  # (None, as under pythonw: nothing shows, UTF-8 assumed)


def test_an_index_reads_in_ascii_on_such_a_stdout(monkeypatch):
    _stdout(monkeypatch, "cp1252")
    x = Tensor(np.arange(4.0), requires_grad=True, label="x")
    loss = (x[1:3] * 2).sum()
    assert "sum(x[1:3]*2)" in str(tree(loss))  # (an index is written out: no ellipsis to encode)
    steps = loss.backward_steps()
    print(*steps, sep="\n")  # no error
    theta = Tensor(np.arange(4.0), requires_grad=True, label="\u03b8")
    r = theta[1:] * 2
    r.label = "r"
    assert "r (3) = \\u03b8[1:] * 2" in str(tree(r.sum()))  # as the steps write it: not (\u03b8[1:]) * 2


def test_a_second_order_graph_names_its_seed_after_the_output():
    """The gradient's own graph showed its seed as a bare 1: (1*(1-(o*o)))*w, where the first 1
    is do/do and the second the 1 of 1 - tanh**2, and nothing told them apart."""
    x, w = Value(0.5, label="x"), Value(2.0, label="w")
    n = x * w
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward(create_graph=True)
    text = str(tree(x.grad))
    assert text.splitlines()[1].startswith("((do/do) * (1-(o*o)))*w ")
    assert o.grad.label == "do/do" and o.grad.data == 1.0
    from autograd import gradients

    (gx,) = gradients(o, [x], create_graph=True)  # (o.grad is not set there: do/do is still true)
    assert str(tree(gx)).splitlines()[1].startswith("((do/do) * (1-(o*o)))*w ")
    o.backward(2.0, create_graph=True)  # a gradient given is not do/do
    assert o.grad.label == ""
    y = Tensor([1.0, 2.0], requires_grad=True, label="y")
    s = (y * y).sum()  # unlabelled: no name to give its seed
    s.backward(create_graph=True)
    assert s.grad.label == ""


def test_a_long_note_gets_a_row_of_its_own_instead_of_squeezing_the_names():
    """A leaf with a gradient before the pass read 'weigh…': the note took the names' room."""
    W = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="weights")
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True, label="inputs")
    (W @ x).sum().backward()
    bp = Backprop((W @ x).sum())
    list(bp)
    lines = str(bp.tree(width=100)).splitlines()
    assert all(len(line) <= 100 for line in lines) and "…" not in "".join(lines)
    at = next(i for i, line in enumerate(lines) if "weights (2x3)" in line)
    note = lines[at + 1]
    assert note.startswith("    │ ") and note.endswith("(2.0000 [1.0000, 3.0000] before this pass)")
    assert lines[at].endswith("4.0000 [2.0000, 6.0000]")  # the gradient, right-aligned with its note


def test_a_small_number_in_an_array_keeps_its_digits():
    """0.000134 read 0.0001 among other numbers, where 9e-05 read 9.0000e-05."""
    from autograd.display import summary

    assert summary(np.array([0.7616, -0.000134, 9e-5, 0.00134])) == "[0.7616, -0.0001340, 9.0000e-05, 0.0013]"


def test_a_notes_row_keeps_the_tree_lines_of_its_node_also_where_the_indentation_is_cut():
    """In a deep, narrow tree a note's row re-cut its indentation: its lines sat a level off."""
    x = Value(0.5, label="x")
    x.grad = 0.125  # a gradient before the pass: every x gets a note
    y = x
    for i in range(40):
        y = (y * x).tanh() if i % 2 else y.tanh() + x
    bp = y.backward_steps()
    list(bp)
    lines = str(bp.tree(width=50)).splitlines()
    notes = [i for i, line in enumerate(lines) if line.endswith("before this pass)")]
    assert len(notes) > 10 and any(lines[i].startswith("…") for i in notes)
    for i in notes:
        node_row = lines[i - 1]
        branch = min(k for k in (node_row.find("└"), node_row.find("├")) if k >= 0)
        assert lines[i][:branch] == node_row[:branch], (node_row, lines[i])
