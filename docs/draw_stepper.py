"""Remake ``docs/stepper.svg``, the README's picture of backprop half done.

    python docs/draw_stepper.py            # writes docs/stepper.svg

The neuron o = tanh(x1*w1 + x2*w2 + b) after 3 of its 5 backprop steps: the node just
processed is highlighted, the gradients known so far are filled in, the rest are blank.
"""

from __future__ import annotations

from pathlib import Path

from autograd import Backprop, Value

HERE = Path(__file__).resolve().parent


def neuron() -> Value:
    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    x2, w2 = Value(0.0, label="x2"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    s = x1w1 + x2w2
    s.label = "s"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def stepper_drawing(program: str | None = None):  # noqa: ANN201 - a graphviz Digraph
    """The drawing the README shows: the neuron's Backprop after 3 steps."""
    bp = Backprop(neuron())
    for _ in range(3):
        bp.step()
    return bp.draw(edge_derivatives=True, program=program)


def main() -> None:
    path = stepper_drawing().write(HERE / "stepper.svg")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
