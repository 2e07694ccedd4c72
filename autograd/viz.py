"""Drawing: a computation graph (``draw``) and a network's architecture (``draw_network``).

Both return a :class:`~autograd.viz_drawing.Drawing`, a ``graphviz.Digraph`` that shows inline
in Jupyter and saves with ``.write('graph.svg')`` (or ``.png``).  Rendering uses the system
``dot`` when it is on PATH, else the ``graphviz-pure`` binary from PyPI, else says how to
install either (:mod:`autograd.viz_render`).

>>> from autograd import Value, draw
>>> x = Value(2.0, label='x'); w = Value(-3.0, label='w')
>>> y = (x * w).tanh(); y.label = 'y'
>>> d = draw(y)                       # before backward(): no gradient is known, all blank
>>> 'data 2.0000' in d.source, 'grad 0.0000' in d.source
(True, False)
>>> y.backward()
>>> 'grad 1.0000' in draw(y).source
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from .display import (
    check_size,
    differential,
    factor,
    is_computed,
    magnitude,
    needs_grad,
    node_names,
    settings,
    shape_text,
    summary,
    visible,
)
from .graph import shown_gradients, topological_order
from .ops import check_flag, data_of

MAX_NODES = 500
RANKDIRS = ("TB", "LR", "BT", "RL")  # graphviz's directions: top to bottom, left to right, ...

FONT = "Helvetica"
HIGHLIGHT = "#d62728"  # border of the highlighted nodes
HIGHLIGHT_FILL = "#ffe066"
LEAF_FILL = "#dbeafe"  # inputs and parameters
CONSTANT_FILL = "#eeeeee"  # data and constants: no gradient
ROOT_FILL = "#dcfce7"  # the output
NODE_FILL = "#ffffff"
OP_FILL = "#f3f4f6"
POSITIVE = "#1f77b4"  # weights > 0 in draw_network
NEGATIVE = "#d62728"
NAN_WEIGHT = "#999999"  # drawn dashed
ACTIVATIONS = ("relu", "sigmoid", "tanh", "softmax", "logsoftmax", "step")


def _drawing(**kwargs: Any) -> Any:
    try:
        from .viz_drawing import Drawing
    except ImportError as err:
        raise ImportError(
            "drawing needs the graphviz package: pip install graphviz graphviz-pure "
            "(or pip install -e \".[viz]\" in this repository)"
        ) from err
    return Drawing(**kwargs)


def _html(text: str) -> str:
    """Text for an HTML-like graphviz label: quotes, braces, pipes, <, >, & and \\ all safe;
    a newline breaks the line, other control characters (which dot rejects) show escaped."""
    return visible(escape(str(text), quote=True), keep="\n").replace("\n", "<BR/>")


def _blend(t: float, low: str = "#fff5eb", high: str = "#e6550d") -> str:
    """The colour ``t`` of the way (0..1) from ``low`` to ``high``."""
    t = min(max(t, 0.0), 1.0)
    a = [int(low[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(high[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def highlighted(highlight: Any, what: str) -> list:
    """``highlight`` (a node, or an iterable of nodes) as a list, or a TypeError saying what came.

    >>> from autograd import Value
    >>> x = Value(1.0)
    >>> highlighted(x, "draw") == [x]
    True
    >>> highlighted(5, "draw")
    Traceback (most recent call last):
    ...
    TypeError: draw: highlight takes a node or a list of nodes, got int 5
    """
    if hasattr(highlight, "parents"):
        return [highlight]
    try:
        items = [highlight] if isinstance(highlight, str | bytes) else list(highlight)
    except TypeError:  # not iterable: one thing that is not a node
        items = [highlight]
    for item in items:
        if not hasattr(item, "parents"):
            raise TypeError(f"{what}: highlight takes a node or a list of nodes, got "
                            f"{type(item).__name__} {item!r:.40}")
    return items


def draw(
    root: Any,
    highlight: Iterable[Any] = (),
    *,
    grads: Mapping | None = None,
    notes: Mapping | None = None,
    show_grads: bool | None = None,
    color_by_grad: bool = False,
    edge_derivatives: bool = False,
    rankdir: str | None = None,
    max_nodes: int = MAX_NODES,
    program: str | None = None,
) -> Any:
    """The computation graph under ``root`` as a ``graphviz.Digraph`` (a :class:`Drawing`).

    One record per node (label | data | grad), each op as a small node of its own, left to
    right (``rankdir='LR'``) for a graph of numbers, top to bottom (``'TB'``) for one of
    Tensors, whose wider records would make a row too long for a page.  A gradient not computed
    yet is blank, not 0: before ``backward()`` (the root's gradient still 0 or None) all are
    blank; ``show_grads=True``/``False`` overrides that.
    Tensor nodes show their shape and a short summary of their values.

    - ``highlight``: nodes (or one node) to emphasise (a red border; their op too).
    - ``grads``: a mapping node -> gradient to show instead of ``.grad``; the nodes missing
      from it are blank (the stepper uses this).  ``notes``: node -> a short remark after the
      gradient (``'1 of 2 in'``).
    - ``color_by_grad``: fill each node by its gradient's magnitude (white -> orange), relative
      to the largest finite one; an infinite gradient is the strongest orange, a nan one white.
    - ``edge_derivatives``: write on each edge into an op the local derivative d out / d input
      (of numbers: a Tensor op's local derivative is a whole Jacobian, so its edges stay bare).
    - ``max_nodes``: a bigger graph raises :class:`~autograd.display.GraphTooLargeError`.
    - ``program``: ``'dot'``, ``'graphviz-pure'`` or a path (see :mod:`autograd.viz_render`).

    >>> from autograd import Value
    >>> a = Value(2.0, label='a "quoted" {a|b} <c> \\\\ d')
    >>> b = a * 3; b.backward()
    >>> d = draw(b, highlight=[b], edge_derivatives=True)
    >>> 'a &quot;quoted&quot; {a|b} &lt;c&gt;' in d.source, 'class="value root highlight"' in d.source
    (True, True)
    >>> d.svg().startswith('<?xml')
    True
    """
    nodes = topological_order(root)
    check_size(nodes, max_nodes, root.label or "this node", "draw")
    for name, flag in (("color_by_grad", color_by_grad), ("edge_derivatives", edge_derivatives)):
        check_flag("draw", name, flag)  # ('no' would count as True)
    if show_grads is not None:
        check_flag("draw", "show_grads", show_grads)
    if rankdir is not None and rankdir not in RANKDIRS:  # (dot would fall back to 'TB' without a word)
        raise ValueError(f"draw: rankdir must be one of {', '.join(map(repr, RANKDIRS))}, "
                         f"got {rankdir!r:.40}")
    marked = set(highlighted(highlight, "draw"))
    if not marked <= set(nodes):  # (it would be drawn as if nothing were asked)
        raise ValueError("draw: highlight holds a node that is not in the graph under "
                         f"{root.label or 'this node'}: highlight nodes of the graph drawn")
    grads, notes = shown_gradients(nodes, grads, notes, show_grads)  # (mid-pass: a stepper's)
    if grads is None:
        known = is_computed(root.grad) if show_grads is None else show_grads

        def grad_of(n: Any) -> Any:
            return n.grad if known and needs_grad(n) else None
    else:
        grad_of = grads.get
    notes = notes or {}
    names = node_names(nodes)  # (the text's names: a node the steps call #2 says so here too)
    sizes = {n: magnitude(grad_of(n)) for n in nodes} if color_by_grad else {}
    biggest = max((m for m in sizes.values() if math.isfinite(m)), default=0.0)

    g = _drawing(name="graph", program=program)
    if rankdir is None:
        rankdir = "LR" if all(isinstance(n.data, float) for n in nodes) else "TB"
    g.attr(rankdir=rankdir, bgcolor="white", nodesep="0.25", ranksep="0.35")
    g.attr("node", fontname=FONT, fontsize="11")
    g.attr("edge", fontname=FONT, fontsize="9", color="#555555", arrowsize="0.6")
    ids = {}
    for i, n in enumerate(nodes):
        ids[n] = f"v{i}"
    for n in nodes:
        nid = ids[n]
        grad = grad_of(n)
        fill = ROOT_FILL if n is root else (LEAF_FILL if not n.parents else NODE_FILL)
        if not n.parents and not needs_grad(n):
            fill = CONSTANT_FILL  # (grey: not a parameter waiting for its gradient)
        if color_by_grad and grad is not None:
            m = sizes[n]  # inf / biggest is inf, which _blend clamps to the strongest colour
            fill = NODE_FILL if math.isnan(m) else _blend(m / biggest if biggest else float(m > 0))
        classes = "value" + (" leaf" if not n.parents else "") + (" root" if n is root else "")
        border = 'BORDER="0"'
        if n in marked:
            classes += " highlight"
            border = f'BORDER="3" COLOR="{HIGHLIGHT}"'
            if not color_by_grad:
                fill = HIGHLIGHT_FILL
        cells = []
        if n.label:
            cells.append(f"<B>{_html(n.label)}</B>")
        elif names[n].startswith("#") and names[n][1:].isdigit():  # the number the steps and tree() use
            cells.append(f"<I>{names[n]}</I>")
        shape = getattr(n.data, "shape", None)
        if shape is not None and getattr(n.data, "ndim", 0) > 0:
            cells.append(f"shape {shape_text(shape)}")
        cells.append(f"data {_html(summary(n.data))}")
        text = summary(grad)
        note = notes.get(n)
        if note and text:
            text += f" ({note})"
        if not text and not needs_grad(n):  # data, or a number of the formula: no gradient to come
            cells.append("no grad (constant)")
        else:
            cells.append(f"grad {_html(text)}" if text else "grad")
        # the grad cell keeps a width when blank, so the layout moves little as gradients arrive
        label = (f'<<TABLE {border} CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" '
                 f'BGCOLOR="{fill}"><TR>'
                 + "".join(f"<TD>{c}</TD>" for c in cells[:-1])
                 + f'<TD WIDTH="80" ALIGN="LEFT">{cells[-1]}</TD></TR></TABLE>>')
        g.node(nid, label=label, shape="plain", **{"class": classes})
        if n.parents:
            op_id = nid + "op"
            op_attrs = {"class": "op highlight" if n in marked else "op", "style": "filled",
                        "fillcolor": HIGHLIGHT_FILL if n in marked else OP_FILL}
            if n in marked:
                op_attrs.update(color=HIGHLIGHT, penwidth="3")
            op_text = ", ".join([n.op] + settings(n))  # conv2d, padding=1
            g.node(op_id, label=f"<{_html(op_text)}>", shape="ellipse", margin="0.04,0.02",
                   width="0.3", height="0.3", **op_attrs)
            g.edge(op_id, nid)
            derivs = _local_derivatives(n) if edge_derivatives else (None,) * len(n.parents)
            for p, d in zip(n.parents, derivs):
                if d is None:
                    g.edge(ids[p], op_id)
                else:
                    slope = factor(d, n._op.whole_slopes)
                    text = f"{differential(names[n])}/{differential(names[p])} = {slope}"
                    if len(text) > 28:  # the number alone, at the input's end of its edge (two bare
                        g.edge(ids[p], op_id, taillabel=f"<{_html(slope)}>")  # numbers mid-edge
                    else:                                                        # read as either's)
                        g.edge(ids[p], op_id, label=f"<{_html(text)}>")
    return g


def _local_derivatives(node: Any) -> tuple:
    from .backprop import local_derivatives

    return local_derivatives(node)


# -- networks ----------------------------------------------------------------------------------

def _array(x: Any) -> Any:
    import numpy as np

    return np.asarray(data_of(x), dtype=float)


def _neuron_params(neuron: Any) -> tuple:
    import numpy as np

    return np.array([float(_array(w)) for w in neuron.w]), float(_array(neuron.b))


def _dense_layers(model: Any) -> list:
    """``[(W (out x in), b (out,) or None, activation)]`` of a Perceptron, Neuron, Layer, MLP,
    Linear or Sequential of Linear layers and activations, read off their attributes."""
    import numpy as np

    kind = type(model).__name__
    if hasattr(model, "w") and hasattr(model, "b"):  # Neuron, Perceptron
        w, b = _neuron_params(model)
        act = getattr(model, "activation", "step" if kind == "Perceptron" else "")
        return [(w[None, :], np.array([b]), act)]
    if hasattr(model, "neurons"):  # Layer
        rows = [_neuron_params(n) for n in model.neurons]
        act = getattr(model.neurons[0], "activation", "") if model.neurons else ""
        return [(np.stack([w for w, _ in rows]), np.array([b for _, b in rows]), act)]
    if hasattr(model, "weight") and _array(model.weight).ndim == 2:  # Linear (not a convolution)
        bias = getattr(model, "bias", None)
        return [(_array(model.weight), None if bias is None else _array(bias), "")]
    if hasattr(model, "layers"):  # MLP (of Layers) or Sequential
        out: list = []
        for layer in model.layers:
            if hasattr(layer, "neurons") or hasattr(layer, "weight") or hasattr(layer, "layers"):
                out.extend(_dense_layers(layer))
            elif _parameters(layer):  # a convolution, say: not a column of neurons
                raise TypeError(_network_error(layer))
            elif out and type(layer).__name__.lower() in ACTIVATIONS:
                w, b, _ = out[-1]
                out[-1] = (w, b, type(layer).__name__.lower())
            # Identity, Dropout, Flatten: nothing to draw
        if not out:
            raise TypeError(_network_error(model))
        return out
    raise TypeError(_network_error(model))


def _parameters(layer: Any) -> list:
    params = getattr(layer, "parameters", None)
    return list(params()) if callable(params) else []


def _network_error(model: Any) -> str:
    return (f"draw_network draws a Perceptron, Neuron, Layer, MLP, Linear, or a Sequential of "
            f"Linear layers and activations; got {type(model).__name__}")


def draw_network(
    model: Any,
    *,
    weights: bool = False,
    max_neurons: int = 200,
    program: str | None = None,
) -> Any:
    """The architecture picture of the lectures: neurons as circles in columns (inputs on the
    left), one arrow per weight, blue for positive and red for negative, as thick as the
    weight is large (an infinite weight as thick as the largest finite one; a nan weight
    grey and dashed); each neuron shows its bias and activation.

    ``weights=True`` also writes each weight on its arrow (for small networks).

    >>> import nn
    >>> d = draw_network(nn.MLP(2, [3, 1], seed=0))
    >>> d.source.count('class=weight'), d.source.count('class=neuron')
    (9, 4)
    """
    import numpy as np

    check_flag("draw_network", "weights", weights)
    layers = _dense_layers(model)
    for k in range(1, len(layers)):
        if layers[k][0].shape[1] != layers[k - 1][0].shape[0]:
            raise ValueError(
                f"{type(model).__name__} does not fit together: dense layer {k} has "
                f"{layers[k - 1][0].shape[0]} outputs but dense layer {k + 1} takes "
                f"{layers[k][0].shape[1]} inputs"
            )
    widths = [layers[0][0].shape[1]] + [w.shape[0] for w, _, _ in layers]
    if sum(widths) > max_neurons:
        raise ValueError(
            f"{type(model).__name__} has {sum(widths)} neurons (inputs included), more than "
            f"max_neurons={max_neurons}, too many to draw usefully. Pass max_neurons={sum(widths)} "
            "to draw it anyway."
        )
    finite = [abs(w[np.isfinite(w)]) for w, _, _ in layers]  # one diverged weight must not flatten the rest
    biggest = max((float(a.max()) for a in finite if a.size), default=0.0) or 1.0
    g = _drawing(name="network", program=program)
    g.attr(rankdir="LR", splines="line", nodesep="0.15", ranksep="1.2", bgcolor="white")
    g.attr("node", fontname=FONT, fontsize="10", shape="circle", fixedsize="true", width="0.75",
           style="filled")
    g.attr("edge", arrowsize="0.5", fontname=FONT, fontsize="8")
    for col, width in enumerate(widths):
        with g.subgraph(name=f"cluster_{col}") as column:
            title = "inputs" if col == 0 else ("output" if col == len(widths) - 1 else f"hidden {col}")
            column.attr(label=title, color="white", fontname=FONT, fontsize="10", rank="same")
            for i in range(width):
                if col == 0:
                    column.node(f"n{col}_{i}", label=f"x{i + 1}", fillcolor=LEAF_FILL,
                                **{"class": "input"})
                    continue
                _, b, act = layers[col - 1]
                lines = [act or "linear"]
                if b is not None:
                    lines.append(f"b {_signed(b[i])}")
                column.node(f"n{col}_{i}", label="<" + "<BR/>".join(_html(t) for t in lines) + ">",
                            fillcolor=ROOT_FILL if col == len(widths) - 1 else NODE_FILL,
                            **{"class": "neuron"})
    for col, (w, _, _) in enumerate(layers):
        for j in range(w.shape[0]):
            for i in range(w.shape[1]):
                v = float(w[j, i])
                attrs = {"color": POSITIVE if v >= 0 else NEGATIVE,
                         "penwidth": f"{0.4 + 3.6 * min(abs(v) / biggest, 1.0):.2f}", "class": "weight"}
                if math.isnan(v):
                    attrs.update(color=NAN_WEIGHT, style="dashed", penwidth="1")
                if weights:  # near the arrow's head, where arrows into one neuron fan apart (mid-edge,
                    attrs.update(headlabel=_signed(v), labeldistance="2.6", labelangle="18",  # crossing
                                 labelfontcolor=attrs["color"])  # arrows' numbers read as either's)
                g.edge(f"n{col}_{i}", f"n{col + 1}_{j}", **attrs)
    return g


def _signed(v: float) -> str:
    """A weight as a label: its sign always written, ``+0.50``; nan as it is (``+nan`` reads as a
    positive number)."""
    return "nan" if math.isnan(v) else f"{v:+.2f}"


__all__ = ["MAX_NODES", "draw", "draw_network"]
