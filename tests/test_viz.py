"""Drawing: the DOT that draw() builds, real SVG and PNG from both renderers, draw_network.

Rendering runs with Graphviz's ``dot`` and with the ``graphviz-pure`` binary from PyPI, each
where installed; under ``CI=true`` a missing renderer is a failure, not a skip.
"""

from __future__ import annotations

import math
import os
import re
import runpy
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from conftest import require  # noqa: E402

require("graphviz", "pip install -e '.[viz]' for the drawing tests")

import nn  # noqa: E402
from autograd import (  # noqa: E402
    Backprop,
    GraphTooLargeError,
    RendererNotFound,
    RenderError,
    Tensor,
    Value,
    draw,
    draw_network,
    viz_render,
)

PNG = b"\x89PNG\r\n\x1a\n"
NASTY = 'a "quoted" {x|y} <b>tag</b> \\ back & amp\'s'
SVG_NS = "{http://www.w3.org/2000/svg}"


def _renderer(name):
    """Renderer ``name`` (its program's path); skipped where missing, except under CI=true."""
    try:
        return viz_render.find_program(name)[1]
    except RendererNotFound as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"renderer {name} is missing under CI=true: {err}")
        pytest.skip(f"{name} is not installed")


@pytest.fixture(params=["dot", "graphviz-pure"])
def program(request):
    """Each renderer in turn; skipped where missing, except under CI=true."""
    _renderer(request.param)
    return request.param


def neuron():
    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    x2, w2 = Value(0.0, label="x2"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def svg_texts(svg):
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{SVG_NS}text")]


def svg_nodes(svg):
    root = ET.fromstring(svg)
    return [g for g in root.iter(f"{SVG_NS}g") if "node" in (g.get("class") or "").split()]


# -- the DOT ------------------------------------------------------------------------------------

def test_one_record_per_value_and_a_node_per_op():
    o = neuron()
    o.backward()
    src = draw(o).source
    assert src.count("class=op") == 5  # * * + + tanh
    assert len(re.findall(r'class="value[^"]*"|class=value', src)) == 10  # 5 inputs, 5 results
    assert "<B>x1</B></TD><TD>data 2.0000</TD>" in src
    assert "grad -1.5000" in src and "grad 1.0000" in src
    assert "rankdir=LR" in src


def test_gradients_not_computed_yet_are_blank():
    o = neuron()
    src = draw(o).source
    assert "grad 0.0000" not in src and src.count('ALIGN="LEFT">grad</TD>') == 10
    assert src.count("grad 0.0000") == 0
    assert draw(o, show_grads=True).source.count("grad 0.0000") == 10
    o.backward()
    assert 'ALIGN="LEFT">grad</TD>' not in draw(o).source
    assert draw(o, show_grads=False).source.count('ALIGN="LEFT">grad</TD>') == 10


def test_highlight_colour_by_grad_and_edge_derivatives():
    o = neuron()
    o.backward()
    n = o.parents[0]
    src = draw(o, highlight=[n]).source
    assert src.count("highlight") == 2  # the value and its op
    plain = draw(o).source
    coloured = draw(o, color_by_grad=True).source
    fills = set(re.findall(r'BGCOLOR="(#[0-9a-f]{6})"', coloured))
    assert len(fills) >= 4 and fills != set(re.findall(r'BGCOLOR="(#[0-9a-f]{6})"', plain))
    src = draw(o, edge_derivatives=True).source
    assert "do/dn = 0.5000" in src and "dn/db = 1" in src
    assert re.search(r"label=<d\(x1\*w1\)/dx1 = -3.0000>", src)


def test_edge_derivatives_bracket_what_follows_d_unless_it_is_a_name():
    x, w = Value(2.0, label="x"), Value(3.0, label="w")
    o = 2 / (x * w).tanh()
    o.label = "o"
    o.backward()
    src = draw(o, edge_derivatives=True).source
    assert "label=<do/d(2) = 1.0000>" in src  # it read do/d2, as a second derivative
    assert "label=<do/d(tanh(x*w)) = -2.0000>" in src and "label=<d(x*w)/dx = 3.0000>" in src


def test_unlabelled_constants_show_their_numbers():
    x = Value(2.0, label="x")
    y = x * 3 + 1
    src = draw(y).source
    assert "data 3.0000" in src and "data 1.0000" in src


def test_tensor_nodes_show_shape_and_a_summary():
    W = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="W")
    v = Tensor([1.0, -1.0, 2.0], label="v")
    out = (W @ v).relu().sum()
    src = draw(out).source
    assert "shape 2x3" in src and "mean 2.5000 in [0.0000, 5.0000]" in src
    assert "data [1.0000, -1.0000, 2.0000]" in src
    out.backward()
    src = draw(out).source
    assert "grad mean 0.6667 in [-1.0000, 2.0000]" in src
    # v is data: said so, and grey, not a blank grad in a parameter's blue (as if still to come)
    assert re.search(r'BGCOLOR="#eeeeee"><TR><TD><B>v</B></TD><TD>shape 3</TD><TD>data [^<]*</TD>'
                     r"<TD[^>]*>no grad \(constant\)</TD>", src)
    assert re.search(r'BGCOLOR="#dbeafe"><TR><TD><B>W</B>', src)


def test_a_conv_and_a_pool_op_node_shows_its_settings():
    """The op nodes read conv2d and max_pool2d: the drawing did not say how the shapes came about."""
    from autograd import conv2d, max_pool2d

    x = Tensor(np.ones((1, 1, 4, 4)), requires_grad=True, label="x")
    w = Tensor(np.ones((1, 1, 3, 3)), requires_grad=True, label="w")
    src = draw(max_pool2d(conv2d(x, w, padding=1), 2).sum()).source
    assert "label=<conv2d, padding=1>" in src and "label=<max_pool2d, 2>" in src and "label=<sum>" in src


def test_a_summary_mean_stays_in_its_range_when_the_sum_overflows():
    # the sum overflowed: "mean inf in [1.0000e+308, 1.0000e+308]"
    from autograd.display import magnitude, summary

    big = Tensor(np.full(6, 1e308), label="big")
    assert "data mean 1.0000e+308 in [1.0000e+308, 1.0000e+308]" in draw(big).source
    mixed = np.array([1e308, 1e308, -1e308, 1e308, 1e308, 1e308])
    assert summary(mixed) == "mean 6.6667e+307 in [-1.0000e+308, 1.0000e+308]"
    assert summary(np.full(5, 3e38, dtype=np.float32)) == "mean 3.0000e+38 in [3.0000e+38, 3.0000e+38]"
    assert magnitude(-big.data) == 1e308  # colour_by_grad's scale: finite too


class FakeNode:
    """Any object with the node protocol can be drawn: here one holding a numpy array."""

    def __init__(self, data, parents=(), op="", label="", grad=None):
        self.data, self.parents, self.op, self.label, self.grad = data, parents, op, label, grad
        self._op = None


def test_any_node_with_the_protocol_and_array_data_draws(program):
    a = FakeNode(np.ones((4, 5)), label="a", grad=np.full((4, 5), 0.5))
    b = FakeNode(np.zeros(3), label="b")
    c = FakeNode(np.array([1.0, 2.0]), parents=(a, b), op="mix", label="c", grad=np.ones(2))
    d = draw(c, program=program)
    assert "shape 4x5" in d.source and "grad mean 0.5000 in [0.5000, 0.5000]" in d.source
    texts = svg_texts(d.svg())
    assert "mix" in texts and "shape 4x5" in texts and "grad" in texts  # b's grad: blank


def test_deep_graphs_draw_iteratively_and_big_ones_say_how_to_raise_the_limit():
    x = Value(0.5, label="x")
    y = x
    for _ in range(19_999):
        y = y.tanh()
    with pytest.raises(GraphTooLargeError, match=r"20000 nodes.*Pass max_nodes=20000"):
        draw(y)
    src = draw(y, max_nodes=20_000).source
    assert src.count("class=op") == 19_999


# -- rendering -----------------------------------------------------------------------------------

def test_nasty_labels_render(program, tmp_path):
    a = Value(1.5, label=NASTY)
    b = a * Value(2.0, label="}|{<>")
    b.label = "\\n not a newline"
    b.backward()
    d = draw(b, program=program, edge_derivatives=True)
    texts = svg_texts(d.svg())
    assert NASTY in texts and "}|{<>" in texts and "\\n not a newline" in texts
    assert d.pipe(format="png").startswith(PNG)


@pytest.mark.parametrize("label, shown", [("\r", "\\r"), ("\t", "\\t"), ("w\x07", "w\\x07"),
                                          ("a\x00b", "a\\x00b"), ("\ufffe", "\\ufffe")])
def test_control_characters_in_labels_render_escaped(program, label, shown):
    # dot failed on them with a syntax error ("not well-formed (invalid token)")
    x = Value(2.0, label=label)
    y = x * Value(3.0, label="two\nlines")  # a newline still breaks the line
    texts = svg_texts(draw(y, program=program).svg())
    assert shown in texts and "two" in texts and "lines" in texts


def test_save_by_format_with_either_renderer(program, tmp_path):
    o = neuron()
    o.backward()
    d = draw(o, program=program)
    svg = d.write(tmp_path / "g.svg").read_text(encoding="utf-8")
    assert "x1" in svg_texts(svg) and "grad -1.5000" in svg_texts(svg)
    assert d.write(tmp_path / "g.png").read_bytes().startswith(PNG)
    assert d.write(tmp_path / "g.gv").read_text(encoding="utf-8") == d.source
    out = d.render(tmp_path / "r", format="png")  # graphviz's own API, same renderer
    assert out.endswith("r.png") and open(out, "rb").read().startswith(PNG)
    out = d.render(outfile=tmp_path / "o.svg")
    assert out.endswith("o.svg") and (tmp_path / "o.gv").exists()


def test_a_render_that_cannot_be_done_leaves_every_file_as_it_was(tmp_path):
    """render() saved the DOT source first: an unknown format replaced the user's net.gv with the
    drawing's source, and an outfile naming a folder wrote sub.gv beside it; then it failed."""
    pytest.importorskip("graphviz")
    d = draw(neuron())
    mine = tmp_path / "net.gv"
    mine.write_text("my own notes\n", encoding="utf-8")
    with pytest.raises(RenderError):
        d.render(outfile=tmp_path / "net.xyz")
    assert mine.read_text(encoding="utf-8") == "my own notes\n" and not (tmp_path / "net.xyz").exists()
    (tmp_path / "sub").mkdir()
    for folder in (tmp_path / "sub", f"{tmp_path / 'sub'}/"):
        with pytest.raises(IsADirectoryError):
            d.render(outfile=folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.gv", "sub"]
    with pytest.raises(RenderError):  # nor a folder made for it, nor the drawing's file name changed
        d.render("net", directory=tmp_path / "missing", format="xyz")
    assert not (tmp_path / "missing").exists() and (d.filename, d.directory) != ("net", tmp_path / "missing")
    out = d.render(tmp_path / "new" / "r", format="gv")  # a missing folder is made, as graphviz does
    assert out.endswith("r.gv") and (tmp_path / "new" / "r").read_text(encoding="utf-8") == d.source


def test_jupyter_display_with_either_renderer(program):
    d = draw(neuron(), program=program)
    bundle = d._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"] and bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert d._repr_svg_() == bundle["image/svg+xml"]
    assert d.copy().program == program


def test_graphviz_pure_writes_no_pdf_and_says_what_it_can():
    _renderer("graphviz-pure")
    with pytest.raises(RenderError, match="graphviz-pure cannot write 'pdf'.*png.*svg"):
        draw(neuron(), program="graphviz-pure").pipe(format="pdf")


def test_the_environment_chooses_the_renderer(monkeypatch):
    _renderer("graphviz-pure")
    monkeypatch.setenv(viz_render.ENV, "graphviz-pure")
    name, path = viz_render.find_program()
    assert name == "graphviz-pure" and os.access(path, os.X_OK)
    monkeypatch.setenv(viz_render.ENV, path)  # a path works too
    assert viz_render.find_program() == ("graphviz-pure", path)


def test_a_renderer_that_cannot_be_run_is_a_render_error(tmp_path):
    """A file marked executable that is no program here raised a bare OSError (Exec format error)."""
    fake = tmp_path / "dot"
    fake.write_bytes(b"\x00\x01 not a program")
    fake.chmod(0o755)
    with pytest.raises(RenderError, match=r"could not be run: Exec format error"):
        viz_render.render("digraph { a }", program=str(fake))


def test_without_any_renderer_the_error_says_how_to_install_one(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(viz_render.ENV, raising=False)
    monkeypatch.setattr(viz_render, "_pure_path", lambda: None)
    with pytest.raises(RendererNotFound) as err:
        draw(neuron()).svg()
    message = str(err.value)
    assert "pip install graphviz-pure" in message and "apt-get install graphviz" in message
    with pytest.raises(RendererNotFound, match="`dot` is not on PATH"):
        viz_render.find_program("dot")


def test_stepper_pictures_render(program):
    bp = Backprop(neuron())
    bp.step()
    svg = bp.draw(program=program).svg()
    (node,) = [g for g in svg_nodes(svg) if "highlight" in g.get("class").split() and
               "value" in g.get("class").split()]
    assert "o" in [t.text for t in node.iter(f"{SVG_NS}text")]


# -- networks ------------------------------------------------------------------------------------

def test_draw_network_of_an_mlp(program):
    net = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    d = draw_network(net, program=program, weights=True)
    src = d.source
    assert src.count("class=weight") == 2 * 3 + 3 * 1
    assert src.count("class=neuron") == 4 and src.count("class=input") == 2
    w = net.layers[0].neurons[0].w[0].data
    assert f"{w:+.2f}" in src
    colours = re.findall(r'color="(#[0-9a-f]{6})"', src)
    assert "#1f77b4" in colours and "#d62728" in colours  # both signs among 9 random weights
    texts = svg_texts(d.svg())
    assert "tanh" in texts and "x1" in texts and "b +0.00" in texts


def test_draw_network_writes_each_weight_by_its_arrows_head(program):
    """Mid-edge, the numbers of two crossing arrows sat together at the crossing (the xor lesson's
    -3.56 and +2.86), each readable as either's; by the head, where the arrows into one neuron fan
    apart, each number is nearer its own arrow's end than to any other arrow's middle."""
    net = nn.MLP(2, [2, 1], activation="tanh", seed=0)
    root = ET.fromstring(draw_network(net, program=program, weights=True).svg())
    edges = [g for g in root.iter(f"{SVG_NS}g") if "weight" in (g.get("class") or "").split()]
    assert len(edges) == 6
    ends, middles = [], []
    for g in edges:
        points = [float(v) for v in re.findall(r"-?\d+\.?\d*", g.find(f"{SVG_NS}path").get("d"))]
        start, end = points[:2], points[-2:]
        ends.append(end)
        middles.append([(a + b) / 2 for a, b in zip(start, end)])
    for k, g in enumerate(edges):
        text = g.find(f"{SVG_NS}text")
        at = (float(text.get("x")), float(text.get("y")))
        assert text.get("fill") == g.find(f"{SVG_NS}path").get("stroke")  # in its arrow's colour
        to_end = math.dist(at, ends[k])
        assert to_end < min(math.dist(at, m) for m in middles), text.text


def test_draw_network_of_a_perceptron_and_a_sequential():
    p = nn.Perceptron(3, seed=1)
    src = draw_network(p).source
    assert src.count("class=weight") == 3 and "step" in src
    seq = nn.Sequential(nn.Linear(4, 5, seed=0), nn.ReLU(), nn.Linear(5, 2, seed=1), nn.Sigmoid())
    src = draw_network(seq).source
    assert src.count("class=weight") == 4 * 5 + 5 * 2 and "relu" in src and "sigmoid" in src
    weights = np.concatenate([abs(seq.layers[k].weight.data).ravel() for k in (0, 2)])
    widths = sorted(float(x) for x in re.findall(r"penwidth=([0-9.]+)", src))
    expected = sorted(round(0.4 + 3.6 * w / weights.max(), 2) for w in weights)  # as thick as |w|
    assert widths == pytest.approx(expected, abs=0.006) and max(widths) == 4.0


def test_draw_network_refuses_what_it_cannot_draw():
    with pytest.raises(TypeError, match="draw_network draws a Perceptron.*got Conv2d"):
        draw_network(nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten()))
    with pytest.raises(ValueError, match="max_neurons=874"):
        draw_network(nn.Sequential(nn.Linear(784, 30), nn.Linear(30, 60)))


def test_the_readme_picture_is_what_the_code_draws(program):
    """docs/stepper.svg is made by docs/draw_stepper.py: the same texts (layout may differ by
    renderer); remake it with ``python docs/draw_stepper.py`` when drawing changes."""
    docs = Path(__file__).resolve().parent.parent / "docs"
    script = runpy.run_path(str(docs / "draw_stepper.py"))
    fresh = svg_texts(script["stepper_drawing"](program=program).svg())
    committed = svg_texts((docs / "stepper.svg").read_text(encoding="utf-8"))
    assert sorted(fresh) == sorted(committed)
    assert "grad 0.5000" in committed and "ds/dx1w1 = 1" in committed


def test_draw_highlight_takes_one_node_too():
    a = Value(2.0, label="a")
    b = a * 3
    assert draw(b, highlight=a).source == draw(b, highlight=[a]).source  # was: not iterable


@pytest.mark.parametrize("root", [3.0, None, np.ones(2)], ids=["float", "None", "ndarray"])
def test_draw_tree_and_stepper_refuse_a_non_node_clearly(root):
    # a .grad after backward() is a plain float: was AttributeError / IndexError deep in the graph walk
    from autograd import tree

    for show in (draw, Backprop, tree):
        with pytest.raises(TypeError, match="expected a graph node"):
            show(root)


def test_draw_network_refuses_layers_that_do_not_fit_together():
    # was drawn, with arrows from neurons that do not exist (graphviz made stray nodes for them)
    model = nn.Sequential(nn.Linear(2, 3, seed=0), nn.ReLU(), nn.Linear(4, 1, seed=1))
    with pytest.raises(ValueError, match="dense layer 1 has 3 outputs but dense layer 2 takes 4 inputs"):
        draw_network(model)


def test_colour_by_grad_takes_inf_and_nan_gradients():
    # an inf gradient made the scale inf / inf = nan: "cannot convert float NaN to integer"
    x, w, b = Value(1.0, label="x"), Value(2.0, label="w"), Value(3.0, label="b")
    y = x * w + b
    y.label = "y"
    src = draw(y, grads={y: 1.0, b: 0.5, x: float("inf"), w: float("nan")}, color_by_grad=True).source
    fill = {name: re.search(rf'BGCOLOR="(#[0-9a-f]{{6}})"><TR><TD><B>{name}</B>', src)[1] for name in "ybxw"}
    assert fill["y"] == fill["x"] == "#e6550d"  # the largest finite gradient, and inf: strongest
    assert fill["b"] not in ("#e6550d", "#ffffff", "#fff5eb")  # half way
    assert fill["w"] == "#ffffff"  # nan: no colour


def test_draw_network_scales_by_the_finite_weights_and_marks_nan():
    # a nan weight gave every arrow penwidth=nan and was drawn red, as if negative
    model = nn.Sequential(nn.Linear(2, 2, seed=0), nn.ReLU(), nn.Linear(2, 1, seed=1))
    weight = model.layers[0].weight.data
    weight[0, 0], weight[0, 1] = np.nan, -np.inf
    src = draw_network(model).source
    edges = {m[0]: m[1] for m in re.findall(r"(n\d_\d -> n\d_\d) \[(.*)\]", src)}
    widths = [float(w) for w in re.findall(r"penwidth=([^ \]]+)", src)]
    assert len(widths) == 6 and all(0.4 <= w <= 4.0 for w in widths)
    assert 'color="#999999"' in edges["n0_0 -> n1_0"] and "style=dashed" in edges["n0_0 -> n1_0"]
    assert 'color="#d62728" penwidth=4.00' in edges["n0_1 -> n1_0"]  # -inf: the thickest, red
    finite = [w for e, w in zip(edges, widths) if e not in ("n0_0 -> n1_0", "n0_1 -> n1_0")]
    assert max(finite) == pytest.approx(4.0)  # the largest finite weight is as thick as -inf
    model.layers[0].bias.data[1] = np.nan
    labelled = draw_network(model, weights=True).source
    assert "headlabel=nan " in labelled and 'headlabel="-inf"' in labelled and "+nan" not in labelled
    assert "b nan" in labelled  # (its bias too)


def test_a_drawing_in_the_terminal_says_how_to_see_it():
    assert repr(draw(neuron())) == (
        "<Drawing 'graph': .write('graph.svg') saves it, .svg() gives its SVG text; Jupyter shows it>"
    )


def test_a_node_the_steps_call_by_number_carries_that_number_in_the_drawing():
    """The steps say "#3.grad += ..." for a node too long to spell out; the drawing showed it
    with no name, so a learner could not match a step to a box."""
    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, seed=0), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(8, 3, seed=1))
    loss = nn.losses.cross_entropy(net(Tensor(np.ones((2, 1, 4, 4)))), [0, 2])
    steps = "\n".join(str(s) for s in loss.backward_steps())
    numbered = sorted(set(re.findall(r"#\d+", steps)))
    assert numbered == ["#1", "#2", "#3", "#4"]  # (the loss too: cross_entropy(#3, [0, 2]) is long)
    assert sorted(re.findall(r"<I>(#\d+)</I>", draw(loss).source)) == numbered
    assert "<I>" not in draw(Value(3.0) * 12.0 + Value(15.0)).source  # constants are named by their number


def test_a_tensor_graph_is_drawn_top_to_bottom_and_a_graph_of_numbers_left_to_right():
    """A CNN's loss drawn left to right was 4843pt wide (its records are wide): in the
    walkthrough's page its text came out 4 px high.  Top to bottom it is about a third as wide."""
    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, seed=0), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(8, 3, seed=1))
    loss = nn.losses.cross_entropy(net(Tensor(np.ones((2, 1, 4, 4)))), [0, 2])
    assert "rankdir=TB" in draw(loss).source and "rankdir=LR" in draw(loss, rankdir="LR").source
    x = Value(2.0)
    assert "rankdir=LR" in draw(x * x).source


def test_draws_options_are_checked(tmp_path):
    """rankdir='lr' fell back to top-to-bottom without a word, rankdir=5 and max_nodes=None
    failed deep inside ('expected string', "'>' not supported"), 'no' counted as True, a
    highlighted node of another graph was ignored, and a misspelt to_html option was found only
    once the pass had been stepped through."""
    from autograd import Backprop, tree

    x = Value(1.0, label="x")
    y = x * 2
    for options, error, message in [
        (dict(rankdir="lr"), ValueError, r"rankdir must be one of 'TB', 'LR', 'BT', 'RL', got 'lr'"),
        (dict(rankdir=5), ValueError, r"rankdir must be one of .* got 5"),
        (dict(max_nodes=None), TypeError, r"max_nodes \(the most nodes to draw\) must be an int"),
        (dict(max_nodes=0), ValueError, r"max_nodes \(the most nodes to draw\) must be at least 1"),
        (dict(edge_derivatives="no"), TypeError, r"draw: edge_derivatives must be True or False"),
        (dict(show_grads="yes"), TypeError, r"draw: show_grads must be True or False"),
        (dict(highlight=[Value(3.0)]), ValueError, r"highlight holds a node that is not in the graph"),
    ]:
        with pytest.raises(error, match=message):
            draw(y, **options)
    with pytest.raises(TypeError, match=r"max_nodes \(the most nodes to print\) must be an int"):
        tree(y, max_nodes="3")
    bp = Backprop(y)
    with pytest.raises(TypeError, match=r"to_html: .*unexpected keyword argument 'edge_derivative'"):
        bp.to_html(tmp_path / "w.html", edge_derivative=True)
    assert bp.position == 0  # found before any step
    assert draw(y, rankdir="LR", highlight=[x], max_nodes=3, edge_derivatives=True).source


def test_an_edge_derivative_too_long_to_write_out_sits_at_its_input():
    """Cut to its number, each label sat mid-edge, where two numbers at one op read as either's."""
    a = Value(2.0, label="a_rather_long_name_theta")
    b = Value(0.5, label="another_long_name_here")
    y = a * b
    y.label = "product_of_the_two"
    src = draw(y, edge_derivatives=True).source
    ids = {label: re.search(rf"(v\d+) \[label=<<TABLE[^\n]*<B>{label}</B>", src)[1]
           for label in (a.label, b.label)}
    assert f"{ids[a.label]} -> v2op [taillabel=<0.5000>]" in src  # d y / d a = b
    assert f"{ids[b.label]} -> v2op [taillabel=<2.0000>]" in src
    short = Value(3.0, label="x") * Value(4.0, label="w")
    assert "label=<d(x*w)/dx = 4.0000>" in draw(short, edge_derivatives=True).source  # written out
