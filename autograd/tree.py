"""The graph as an indented text tree, for the terminal: data and gradient on every node's line.

>>> from autograd import Value
>>> x = Value(2.0, label='x'); w = Value(-3.0, label='w'); b = Value(6.5, label='b')
>>> n = x * w + b; n.label = 'n'
>>> o = n.tanh(); o.label = 'o'
>>> o.backward()
>>> o.tree()
                      data     grad
o = tanh(n)         0.4621   1.0000
└── n = (x*w) + b   0.5000   0.7864
    ├── x*w        -6.0000   0.7864
    │   ├── x       2.0000  -2.3593
    │   └── w      -3.0000   1.5729
    └── b           6.5000   0.7864

A sub-expression used more than once is printed once, numbered, and referred to after; a
gradient not computed yet (before ``backward()``) is left blank.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from typing import Any

from .display import (
    SMALL,
    check_size,
    ellipsis,
    expression,
    is_computed,
    needs_grad,
    node_names,
    printable,
    settings,
    shape_text,
    summary,
    unicode_out,
    visible,
)
from .graph import shown_gradients, topological_order

MAX_NODES = 500
NAMES_WIDTH = 24  # the least room for the names column before a gradient's note goes on a row of its own


class TextTree(str):
    """The tree's text; it shows as itself in the REPL (not as a quoted string)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def _cap(prefix: str, limit: int, cut: str) -> str:
    """Keep deep trees readable: past ``limit`` characters of indentation, keep its right end
    (after ``cut``, the ellipsis)."""
    return prefix if len(prefix) <= limit else cut + prefix[len(prefix) - limit + len(cut):]


def tree(root: Any, width: int | None = None, max_nodes: int = MAX_NODES, show_grads: bool | None = None,
         grads: Mapping | None = None, notes: Mapping | None = None) -> TextTree:
    """The graph under ``root`` as an indented tree, one node per line, at most ``width``
    characters wide (by default the terminal's width, at least 100; a tree that fits in fewer is
    no wider than it needs).  A node's definition (``#2 = linear(...)``) too long to fit beside
    it goes on a line of its own under it.  A shared sub-expression is printed once, numbered
    (``{1}``), and referred to after; a gradient not computed yet is blank (``show_grads``
    overrides).  ``grads`` (node -> gradient) is shown instead of ``.grad``, the nodes missing
    from it blank, and ``notes`` (node -> text) after a gradient: what the stepper's
    ``Backprop.tree()`` gives, mid-pass (``1.0000 (1 of 3 in)`` for a partial sum).

    Over ``max_nodes`` nodes raises :class:`~autograd.display.GraphTooLargeError`.

    >>> from autograd import Value
    >>> a = Value(3.0, label='a')
    >>> c = a * a; c.label = 'c'
    >>> d = c * c + c
    >>> print(tree(d))
                              data  grad
    (c*c)+c                    90.0000
    ├── c*c                    81.0000
    │   ├── c {1} = a * a       9.0000
    │   │   ├── a               3.0000
    │   │   └── a               3.0000
    │   └── c {1} (see above)   9.0000
    └── c {1} (see above)       9.0000
    ({1}: a node used more than once, written out where it is first used)
    """
    if width is None:  # (a notebook or a pipe has no terminal: 100)
        width = max(100, shutil.get_terminal_size((100, 24)).columns)
    nodes = topological_order(root)
    check_size(nodes, max_nodes, root.label or "this node", "print")
    grads, notes = shown_gradients(nodes, grads, notes, show_grads)  # (mid-pass: a stepper's)
    # a '\n' would break the row; a label such as θ, on a cp1252 pipe, is written as its escape
    raw_names = {n: visible(name) for n, name in node_names(nodes).items()}
    names = {n: printable(name) for n, name in raw_names.items()}
    known = (is_computed(root.grad) if show_grads is None else show_grads) and grads is None
    uses: dict = {}
    for n in nodes:
        for p in n.parents:
            uses[p] = uses.get(p, 0) + 1
    data_text = {n: summary(n.data, short=True) for n in nodes}
    grad_text = {n: summary(n.grad, short=True) if known and needs_grad(n) else "" for n in nodes}
    if grads is not None:
        grad_text = {n: summary(grads[n], short=True) if n in grads else "" for n in nodes}
    dw = max(4, *map(len, data_text.values()))
    note_of = {n: f"({note})" for n, note in (notes or {}).items()}
    inline = {n: f"{grad_text[n]} {note_of[n]}" if n in note_of else grad_text[n] for n in nodes}
    gw = max(4, *map(len, inline.values()))
    if width - dw - gw - 4 < NAMES_WIDTH:  # a note would squeeze the names: it gets a row of its own
        gw = max(4, *map(len, grad_text.values()))
    else:
        grad_text, note_of = inline, {}
    names_width = max(width - dw - gw - 4, 12)
    indent_limit = max(names_width - 16, names_width // 2, 4)  # (room for a short name after it)
    # box-drawing lines, or ASCII ones (as the tree command's) where standard output cannot print them
    fancy = unicode_out()
    tee_, corner_, bar_, line_ = "├└│─" if fancy else "|`|-"
    cut = ellipsis()
    def rows_at(unit: int) -> tuple[list, int]:
        """(left, data, grad) for each row, ``unit`` characters of indentation per level; and how
        many levels deep the rows go (a shared node is printed once, so less than its depth)."""
        line = line_ * (unit - 2)
        tee, corner, bar = f"{tee_}{line} ", f"{corner_}{line} ", bar_ + " " * (unit - 1)
        if unit == 2 and not fancy:  # "| " would be a branch and a bar alike
            tee, corner = "|-", "`-"
        rows = []
        refs: dict = {}  # shared op node -> its number, once printed
        stack = [(root, "", "", "", 0)]
        deepest = 0
        while stack:
            node, prefix, branch, more, level = stack.pop()
            deepest = max(deepest, level)
            name = names[node]
            shape = getattr(node.data, "shape", None)
            if shape is not None and getattr(node.data, "ndim", 0) > 0:
                name += f" ({shape_text(shape)})"
            data, grad = data_text[node], grad_text[node]
            shared = bool(node.parents) and uses.get(node, 0) > 1
            # a note's row under its node's (data None), the tree's lines drawn on through it
            note = [((prefix + more).rstrip(), None, note_of[node])] if node in note_of else []
            if shared and node in refs:
                rows.append((f"{prefix}{branch}{names[node]} {{{refs[node]}}} (see above)", data, grad))
                rows.extend(note)
                continue
            if shared:
                refs[node] = len(refs) + 1
                name += f" {{{refs[node]}}}"  # (not [1]: that would read as indexing)
            inner = _cap(prefix + more, indent_limit, cut)
            definition = []
            if node.parents and (node.label or names[node][1:].isdigit()):  # else the name (x*w) says it
                arguments = [raw_names[p] for p in node.parents] + settings(node)
                # (escaped after it is made: a backslash would bracket θ[1:])
                formula = "= " + printable(expression(node.op, arguments, spaced=True))
                if len(prefix + branch + name) + 1 + len(formula) <= names_width:
                    name += " " + formula
                else:  # too long for the names column: on a row of its own, as wide as the tree
                    definition = [(inner + bar + formula, None, None)]
            rows.append((prefix + branch + name, data, grad))
            rows.extend(note)  # (under the gradient it qualifies)
            rows.extend(definition)
            kids = node.parents
            for i in range(len(kids) - 1, -1, -1):
                last = i == len(kids) - 1
                down = (inner, corner if last else tee, " " * unit if last else bar, level + 1)
                stack.append((kids[i], *down))
        return rows, deepest

    for unit in (4, 3, 2):  # a deep tree narrows its indentation before it cuts any (with "…")
        rows, deepest = rows_at(unit)
        if deepest * unit <= indent_limit:
            break
    col = min(max(len(left) for left, _, _ in rows), names_width)
    lines = [f"{'':<{col}}  {'data':>{dw}}  {'grad':>{gw}}".rstrip()]
    full = max(width, col + dw + gw + 4)  # (what the other rows take, where width is too narrow for them)
    for left, data, grad in rows:
        if grad is None:  # what a long-named node is, under it: the whole width is its own
            lines.append(left if len(left) <= full else left[:full - len(cut)] + cut)
            continue
        if len(left) > col:
            left = left[:col - len(cut)] + cut
        if data is None:  # a note, under its node's gradient (and left of it, if long)
            lines.append(left + f"{grad:>{col + dw + gw + 4 - len(left)}}")
            continue
        lines.append(f"{left:<{col}}  {data:>{dw}}  {grad:>{gw}}".rstrip())
    if any(getattr(x, "size", 0) > SMALL for n in nodes for x in (n.data, n.grad)):
        lines.append(f"(an array of more than {SMALL} numbers is shown as: mean [min, max])")
    if any(left.endswith(" (see above)") for left, _, _ in rows):
        lines.append("({1}: a node used more than once, written out where it is first used)")
    return TextTree("\n".join(lines))


__all__ = ["MAX_NODES", "TextTree", "tree"]
