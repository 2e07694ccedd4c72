"""``python -m autograd``: a worked example of backprop through one neuron, step by step."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import Backprop, Value
from .examples import neuron


def main(argv: Sequence[str] = ()) -> None:
    """Print the example; ``argv``, the command's arguments (none but -h), as ``sys.argv[1:]``."""
    argparse.ArgumentParser(  # no options: -h says what it does, a typo is an error, not the example
        prog="python -m autograd",
        description="Backprop through one neuron, o = tanh(x1*w1 + x2*w2 + b), one node at a time: "
                    "each step's local derivatives and chain rule with the actual numbers.",
    ).parse_args(list(argv))
    o = neuron()
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
    main(sys.argv[1:])
