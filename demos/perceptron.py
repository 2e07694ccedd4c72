"""The perceptron: AND and OR learned by Rosenblatt's rule, XOR not (the "XOR affair").

A McCulloch-Pitts unit fires (1) when w . x + b >= 0.  Rosenblatt's rule nudges w and
b towards every sample it gets wrong, and stops after a pass with no mistakes: it always
gets there when a straight line separates the classes.  No line separates XOR's classes, so
the rule cycles for ever; Minsky and Papert's 1969 book made this famous.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import nn

from .figures import decision_regions, figure, save, whole_ticks

TITLE = "Rosenblatt's perceptron learns AND and OR, and cannot learn XOR"
TOPIC = "perceptron (McCulloch-Pitts, Rosenblatt), linear classifiers, the XOR problem"

GATES = ("and", "or", "xor")


def run(out: Path, quick: bool = False, **_: Any) -> dict:
    """Fit one perceptron per gate, plot the lines they found and their mistakes per epoch."""
    epochs = 10 if quick else 30
    fits, units = {}, {}
    for gate in GATES:
        X, y = nn.data.gate(gate)
        unit = nn.Perceptron(2)  # starts at w = 0, b = 0, as in the textbook
        fit = unit.fit(X, y, epochs=epochs, lr=1.0)
        fits[gate], units[gate] = fit, unit
        w = [round(v.data, 2) for v in unit.w]
        wrong = int((unit.predict(X) != y).sum())
        verdict = (f"converged after {len(fit.errors)} epochs: w = {w}, b = {unit.b.data:g}"
                   if fit.converged else f"did NOT converge in {epochs} epochs (still "
                   f"{fit.errors[-1]} mistakes in the last pass, counted as each one moved the "
                   f"line; the final line gets {wrong} of {len(y)} wrong)")
        more = " ..." if len(fit.errors) > 12 else ""
        print(f"  {gate.upper():<4} mistakes per epoch {fit.errors[:12]}{more}")
        print(f"       {verdict}; predicts {unit.predict(X).tolist()} for targets {y.tolist()}")

    fig, axes = figure(1, 3, figsize=(11, 3.8))
    for ax, gate in zip(axes, GATES):
        X, y = nn.data.gate(gate)
        unit = units[gate]
        w = np.array([v.data for v in unit.w])
        verdict = "separated" if fits[gate].converged else "no line works"
        # the unit fires on the line itself (w . x + b >= 0), so shade from just below 0
        decision_regions(ax, lambda P, w=w, b=unit.b.data: P @ w + b, X, y, threshold=-1e-9,
                         title=f"{gate.upper()}: {verdict}")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle("the unit outputs 1 where $w \\cdot x + b \\geq 0$: a point on the line is on the 1 side",
                 fontsize=10)
    save(fig, out / "perceptron_boundaries.png")

    fig, ax = figure(figsize=(6, 3.8))
    for gate in GATES:
        errors = fits[gate].errors
        ax.plot(range(1, len(errors) + 1), errors, marker="o", ms=4, label=gate.upper())
    ax.set_xlabel("epoch (one pass over the 4 samples)")
    ax.set_ylabel("mistakes in the epoch")
    whole_ticks(ax, axis="both")
    ax.set_title("Rosenblatt's rule: AND and OR reach 0 mistakes, XOR never does")
    ax.legend()
    ax.grid(alpha=0.3)
    save(fig, out / "perceptron_errors.png")
    print("\nA single line cannot split XOR; the next lesson (xor) adds a hidden layer.")
    return {f"{gate}_converged": fits[gate].converged for gate in GATES} | {
        f"{gate}_epochs": len(fits[gate].errors) for gate in GATES
    }
