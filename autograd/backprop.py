"""Backprop, one node at a time: the engine behind ``backward()`` and the REPL stepper.

``Backprop(root).run()`` *is* ``root.backward()``; ``step()`` does the same work for one node
and returns a :class:`Step` whose ``str()`` explains it with the actual numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .graph import propagate, start_pass


def _name(node: Any) -> str:
    return node.label or f"<{node.op or 'leaf'}>"


def _num(x: Any) -> str:
    x = getattr(x, "data", x)
    if isinstance(x, float):
        return f"{x:.4f}" if x == 0 or 1e-4 <= abs(x) < 1e6 else f"{x:.4e}"
    shape = getattr(x, "shape", None)
    return f"<array {tuple(shape)}>" if shape is not None else str(x)


class Step:
    """What one step of backprop did at one node: the local derivatives and the chain rule."""

    __slots__ = ("index", "total", "node", "grad", "locals", "contributions", "before")

    def __init__(self, index: int, total: int, node: Any, grad: Any, locals_: tuple,
                 contributions: tuple, before: tuple) -> None:
        self.index = index  # 1-based
        self.total = total
        self.node = node
        self.grad = grad  # node.grad when the step ran
        self.locals = locals_  # d node / d parent, per parent (None where not a number)
        self.contributions = contributions  # grad * local, per parent
        self.before = before  # each parent's grad before this step

    def __str__(self) -> str:
        node = self.node
        names = [_name(p) for p in node.parents]
        head = f"Step {self.index}/{self.total}  {_name(node)} = {self._expression(names)}   (op {node.op})"
        local = "  ".join(
            f"d{_name(node)}/d{n} = {_num(v)}" for n, v in zip(names, self.locals) if v is not None
        )
        width = max((len(n) for n in names), default=0)
        lines = [head, f"  local:  {local}" if local else f"  local:  {node._op.formula}"]
        for i, (parent, n, loc, c, old) in enumerate(
            zip(node.parents, names, self.locals, self.contributions, self.before)
        ):
            prefix = "  chain:  " if i == 0 else "          "
            rhs = (f"{_name(node)}.grad * {_num(loc)} = {_num(self.grad)} * {_num(loc)} = {_num(c)}"
                   if loc is not None else _num(c))
            sums = f"   (now {_num(old)} + {_num(c)} = {_num(parent.grad)})" if _nonzero(old) else ""
            lines.append(f"{prefix}{n.ljust(width)}.grad += {rhs}{sums}")
        return "\n".join(lines)

    def _expression(self, names: list) -> str:
        op = self.node.op
        if len(names) == 2 and self.node._op.name in "+-*/**":
            return f"{names[0]} {op} {names[1]}"
        if len(names) == 1 and op.startswith("**"):
            return f"{names[0]}{op}"
        return f"{op}({', '.join(names)})"

    def __repr__(self) -> str:
        return f"<Step {self.index}/{self.total} at {_name(self.node)} (op {self.node.op})>"


def _nonzero(x: Any) -> bool:
    x = getattr(x, "data", x)
    try:
        return bool(x != 0) if isinstance(x, float) else x is not None
    except (TypeError, ValueError):
        return True


class Backprop:
    """Step through ``backward()`` one node at a time.

    >>> from autograd import Value
    >>> x = Value(3.0, label='x'); w = Value(-2.0, label='w')
    >>> y = x * w; y.label = 'y'
    >>> bp = Backprop(y)
    >>> print(bp.step())
    Step 1/1  y = x * w   (op *)
      local:  dy/dx = -2.0000  dy/dw = 3.0000
      chain:  x.grad += y.grad * -2.0000 = 1.0000 * -2.0000 = -2.0000
              w.grad += y.grad * 3.0000 = 1.0000 * 3.0000 = 3.0000
    >>> x.grad, w.grad
    (-2.0, 3.0)
    """

    def __init__(self, root: Any, gradient: Any = None, create_graph: bool = False) -> None:
        self.root = root
        self.create_graph = create_graph
        self.nodes = start_pass(root, gradient, create_graph)  # op nodes, root first
        self.position = 0  # how many nodes are done

    @property
    def done(self) -> bool:
        return self.position >= len(self.nodes)

    def step(self) -> Step:
        """Apply the chain rule at the next node and explain it; StopIteration when done."""
        if self.done:
            raise StopIteration("backprop is finished: every node has been stepped")
        node = self.nodes[self.position]
        before = tuple(p.grad for p in node.parents)
        grad = node.grad
        contributions = propagate(node, self.create_graph)
        self.position += 1
        return Step(self.position, len(self.nodes), node, grad, self._locals(node),
                    contributions, before)

    @staticmethod
    def _locals(node: Any) -> tuple:
        """d node / d parent per parent, when these are plain numbers (scalar nodes)."""
        if not isinstance(node.data, float):
            return (None,) * len(node.parents)
        return tuple(node._op.backward(node._ctx, 1.0, node.data, *[p.data for p in node.parents]))

    def run(self) -> None:
        """Finish: apply the chain rule at every remaining node (this is ``backward()``)."""
        create_graph = self.create_graph
        nodes = self.nodes
        for i in range(self.position, len(nodes)):
            propagate(nodes[i], create_graph)
        self.position = len(nodes)

    def __iter__(self) -> Iterator[Step]:
        while not self.done:
            yield self.step()

    def __len__(self) -> int:
        return len(self.nodes)

    def __repr__(self) -> str:
        total = len(self.nodes)
        if self.done:
            return f"<Backprop of {_name(self.root)}: finished, {total}/{total} steps>"
        nxt = self.nodes[self.position]
        return (f"<Backprop of {_name(self.root)}: {self.position}/{total} steps done, "
                f"next: {_name(nxt)} (op {nxt.op})>")
