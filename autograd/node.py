"""What every node type offers on top of its numbers: stepping, the text tree and drawing.

``Value`` and ``Tensor`` both inherit this, so the views of a graph are written once.
"""

from __future__ import annotations

from typing import Any

from .backprop import Backprop
from .ops import equality


class Node:
    """Mixin for graph nodes (no state of its own: ``__slots__`` stay the subclass's)."""

    __slots__ = ()
    __hash__ = object.__hash__  # (by identity: nodes are dict and set keys)

    def __eq__(self, other: Any) -> Any:
        return equality(self, other, True)

    def __ne__(self, other: Any) -> Any:
        return equality(self, other, False)

    # -- x op= y: a new node, as micrograd's c += c + 1, but never silently on a parameter -------

    def _in_place_refused(self) -> str:
        """What this node is, when ``op=`` on it would rebind a parameter's name to a new node and
        leave the parameter as it was (training would silently do nothing); else ''."""
        raise NotImplementedError

    def _in_place(self, symbol: str, op: Any, other: Any) -> Any:
        result = op(other)  # (an operand it cannot take is that operator's own error)
        what = self._in_place_refused() if result is not NotImplemented else ""
        if what:
            raise RuntimeError(f"'{symbol}=' on {what} would make a new graph node and leave it unchanged: "
                               f"update its numbers (p.data {symbol}= ...) or use an optimizer")
        return result

    def __iadd__(self, other: Any) -> Any:
        return self._in_place("+", self.__add__, other)

    def __isub__(self, other: Any) -> Any:
        return self._in_place("-", self.__sub__, other)

    def __imul__(self, other: Any) -> Any:
        return self._in_place("*", self.__mul__, other)

    def __itruediv__(self, other: Any) -> Any:
        return self._in_place("/", self.__truediv__, other)

    def __ipow__(self, other: Any) -> Any:
        return self._in_place("**", self.__pow__, other)

    def backward_steps(self, gradient: Any = None, create_graph: bool = False) -> Backprop:
        """A :class:`~autograd.Backprop` to step through this node's backward pass (with
        ``create_graph``, the pass of ``backward(create_graph=True)``)."""
        return Backprop(self, gradient, create_graph)

    def tree(self, width: int | None = None, max_nodes: int = 500) -> Any:
        """The graph under this node as an indented text tree (see :func:`autograd.tree`).

        >>> from autograd import Value
        >>> x = Value(2.0, label='x'); y = x * x; y.label = 'y'
        >>> y.tree()
                     data  grad
        y = x * x  4.0000
        ├── x      2.0000
        └── x      2.0000
        """
        from .tree import tree

        return tree(self, width=width, max_nodes=max_nodes)

    def draw(self, **options: Any) -> Any:
        """The graph under this node as a ``graphviz.Digraph`` (see :func:`autograd.draw`)."""
        from .viz import draw

        return draw(self, **options)
