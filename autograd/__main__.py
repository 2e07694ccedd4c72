"""``python -m autograd``: a worked example of backprop through one neuron, step by step."""

from __future__ import annotations

from . import Backprop, Value


def neuron_example() -> Value:
    """The neuron of the lectures: o = tanh(x1*w1 + x2*w2 + b)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    s = x1w1 + x2w2
    s.label = "x1w1+x2w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def main() -> None:
    o = neuron_example()
    print("Forward: o = tanh(x1*w1 + x2*w2 + b)")
    print(f"  {o!r}\n")
    print("Backward, one node at a time (the chain rule with the actual numbers):\n")
    for step in Backprop(o):
        print(step, end="\n\n")
    print("Gradients of the inputs:")
    for leaf in ("x1", "w1", "x2", "w2", "b"):
        node = next(p for p in _leaves(o) if p.label == leaf)
        print(f"  d o / d {leaf:<2} = {node.grad:+.4f}")


def _leaves(root: Value) -> list[Value]:
    from .graph import topological_order

    return [n for n in topological_order(root) if not n.parents]


if __name__ == "__main__":
    main()
