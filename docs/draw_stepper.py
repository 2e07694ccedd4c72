"""Remake ``docs/stepper.svg``, the README's picture of backprop half done.

    python docs/draw_stepper.py            # writes docs/stepper.svg

The neuron o = tanh(x1*w1 + x2*w2 + b) after 3 of its 5 backprop steps: the node just
processed is highlighted, the gradients known so far are filled in, the rest are blank.
"""

from __future__ import annotations

from pathlib import Path

from autograd import Backprop
from autograd.examples import neuron

HERE = Path(__file__).resolve().parent


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
