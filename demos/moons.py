"""micrograd's classic: two moons separated by an MLP of Values.

Every weight is a Value and every multiplication a node of the graph, as in Andrej Karpathy's
micrograd demo: its MLP(2, [16, 16, 1]) of ReLU units, labels -1 and +1, the max-margin
(hinge) loss plus L2 regularisation, and a learning rate that decays from 1.0 to 0.1.  Two
differences: micrograd steps on all 100 points each time, this lesson on mini-batches of 32
(stochastic gradient descent, the lecture's topic; the optimizers lesson sets full batches
against mini-batches on the digits); and the moons are this package's own (``nn.data.moons``),
not scikit-learn's.  Slow on purpose: you can draw any of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.ticker import PercentFormatter

import nn
from autograd import no_grad, topological_order
from nn.losses import hinge
from nn.optim import SGD

from .figures import decision_regions, figure, save

TITLE = "micrograd's moons: an MLP of Values draws a curved decision boundary"
TOPIC = "supervised learning and loss, gradient descent, SGD / mini-batch (micrograd's demo)"

ALPHA = 1e-4  # L2 regularisation strength, as in micrograd's demo


def scores(net: nn.MLP, X: np.ndarray) -> np.ndarray:
    """The network's score for each row of ``X`` (class +1 where it is positive)."""
    with no_grad():
        return np.array([net(x).data for x in X.tolist()])


def run(out: Path, quick: bool = False, **_: Any) -> dict:
    """Train micrograd's network on the moons; plot the boundary and the loss."""
    X, labels = nn.data.moons(100, noise=0.1, seed=0)
    y = 2 * labels - 1  # hinge loss wants -1 / +1
    steps, batch = (20, 16) if quick else (100, 32)
    net = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    params = net.parameters()
    print(f"{net!r}\n")
    opt = SGD(params, lr=1.0)
    rng = np.random.default_rng(0)
    losses, accuracies = [], []
    for k in range(steps):
        idx = rng.permutation(len(X))[:batch]
        out_b = [net(x) for x in X[idx].tolist()]
        loss = hinge(out_b, y[idx]) + ALPHA * sum(p * p for p in params)
        if k == 0:
            print(f"one step's graph: {len(topological_order(loss)):,} Values "
                  f"for {batch} samples and {len(params)} parameters\n")
        opt.zero_grad()
        loss.backward()
        opt.param_groups[0]["lr"] = 1.0 - 0.9 * k / steps  # micrograd's linear decay
        opt.step()
        losses.append(loss.data)
        accuracies.append(float(np.mean(np.sign([o.data for o in out_b]) == y[idx])))
        if k % 10 == 0 or k == steps - 1:
            print(f"  step {k:>3}  loss {loss.data:.4f}  batch accuracy {accuracies[-1]:.0%}")
    accuracy = float(np.mean(np.sign(scores(net, X)) == y))
    print(f"\naccuracy on all {len(X)} points, the training set itself (no test set here, as in "
          f"micrograd's demo): {accuracy:.0%}")

    fig, ax = figure(figsize=(6, 4.5))
    decision_regions(ax, lambda P: scores(net, P), X, labels, steps=25 if quick else 60,
                     title=f"MLP(2, [16, 16, 1]) of Values: {accuracy:.0%} of its training points right")
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles, ["y = -1", "y = +1"], loc="lower left")  # the labels the hinge loss takes
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    save(fig, out / "moons_boundary.png")

    fig, axes = figure(1, 2, figsize=(10, 3.5))
    axes[0].plot(losses, color="C0")
    axes[0].set_ylabel("loss (hinge + L2)")
    axes[1].plot(accuracies, color="C1")
    axes[1].set_ylabel("accuracy on the batch")
    axes[1].yaxis.set_major_formatter(PercentFormatter(1.0))
    for ax in axes:
        ax.set_xlabel("step")
        ax.grid(alpha=0.3)
    fig.suptitle(f"training on mini-batches of {batch}: each step's batch")
    save(fig, out / "moons_training.png")
    return {"loss": losses[-1], "accuracy": accuracy, "steps": steps}
