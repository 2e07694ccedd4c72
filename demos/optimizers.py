"""Gradient descent, momentum and Adam: the same gradients, three ways to walk.

First a long, narrow valley, f(x, y) = (0.02 x^2 + 2 y^2) / 2, a hundred times steeper
across than along.  Plain gradient descent must keep its step below 2 / 2 = 1.0 or the steep
direction blows up, so it crawls along the floor.  Momentum (Polyak's heavy ball) gathers
speed where successive gradients agree; Adam (Kingma & Ba) divides each coordinate's step by
a running measure of that coordinate's gradients, so both directions move at a similar pace.
Then the same three optimizers train one network on the digits: loss per epoch.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import nn
from autograd import Value
from nn.optim import SGD, Adam

from .figures import figure, save

TITLE = "Gradient descent, momentum and Adam on a narrow valley and on digits"
TOPIC = "gradient descent, SGD / mini-batch, momentum, Adam (Kingma & Ba)"

START = (-9.0, 2.0)

# name -> how to make the optimizer for some parameters; the rates suit each method
VALLEY_OPTIMIZERS: dict[str, Callable[[list], Any]] = {
    "gradient descent (lr 0.9)": lambda p: SGD(p, lr=0.9),
    "momentum (lr 0.3, 0.9)": lambda p: SGD(p, lr=0.3, momentum=0.9),
    "Adam (lr 0.5)": lambda p: Adam(p, lr=0.5),
}
DIGITS_OPTIMIZERS: dict[str, Callable[[list], Any]] = {
    "SGD (lr 0.05)": lambda p: SGD(p, lr=0.05),
    "SGD + momentum (lr 0.05, 0.9)": lambda p: SGD(p, lr=0.05, momentum=0.9),
    "Adam (lr 0.005)": lambda p: Adam(p, lr=0.005),
}


def valley(x: Any, y: Any) -> Any:
    """The ill-conditioned loss; works on Values (to train) and on arrays (to draw contours)."""
    return 0.5 * (0.02 * x * x + 2 * y * y)


def descend(make_optimizer: Callable[[list], Any], steps: int) -> np.ndarray:
    """The path of (x, y) from START under the optimizer: (steps + 1, 2)."""
    x, y = Value(START[0], label="x"), Value(START[1], label="y")
    opt = make_optimizer([x, y])
    path = [(x.data, y.data)]
    for _ in range(steps):
        loss = valley(x, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        path.append((x.data, y.data))
    return np.array(path)


def digits_mlp(seed: int = 0) -> nn.Sequential:
    """A small ReLU network for the 8x8 digits; the same start for every optimizer."""
    rng = np.random.default_rng(seed)
    return nn.Sequential(nn.Linear(64, 32, init="he", seed=rng), nn.ReLU(), nn.Linear(32, 10, seed=rng))


def run(out: Path, quick: bool = False, **_: Any) -> dict:
    """Race the optimizers on the valley and on the digits; plot paths and loss curves."""
    steps = 30 if quick else 60
    print(f"The valley, {steps} steps from {START}:")
    paths, final = {}, {}
    for name, make in VALLEY_OPTIMIZERS.items():
        paths[name] = descend(make, steps)
        final[name] = float(valley(*paths[name][-1]))
        x, y = paths[name][-1]
        print(f"  {name:<28} ends at ({x:+.3f}, {y:+.3f}), loss {final[name]:.5f}")

    fig, axes = figure(1, 2, figsize=(12, 4.2), width_ratios=[1.6, 1])
    xx, yy = np.meshgrid(np.linspace(-10, 3, 200), np.linspace(-2.6, 2.6, 200))
    axes[0].contour(xx, yy, valley(xx, yy), levels=np.geomspace(0.01, 8, 14), colors="0.7", linewidths=0.8)
    for name, path in paths.items():
        axes[0].plot(path[:, 0], path[:, 1], "o-", ms=2.5, lw=1, label=name)
        axes[1].semilogy([valley(*p) for p in path], label=name)
    axes[0].plot(*START, "k*", ms=12)
    axes[0].plot(0, 0, "kx", ms=9)
    axes[0].set_title("f(x, y) = (0.02 x² + 2 y²) / 2: paths from ★ to the minimum ×")
    axes[0].legend(loc="lower right", fontsize=8)
    axes[1].set_xlabel("step")
    axes[1].set_ylabel("loss")
    axes[1].set_title("loss per step")
    axes[1].grid(alpha=0.3)
    save(fig, out / "optimizers_valley.png")

    epochs = 3 if quick else 15
    data = nn.data.digits()
    print(f"\nDigits: the same network [64, 32, 10] (ReLU, cross-entropy), the same start, {epochs} epochs:")
    histories = {}
    for name, make in DIGITS_OPTIMIZERS.items():
        net = digits_mlp()
        histories[name] = nn.fit(net, "cross_entropy", make(net.parameters()), data.train,
                                 epochs=epochs, test_data=data.test, batch_size=32, seed=0, progress=False)
        h = histories[name]
        print(f"  {name:<30} train loss {h.train_loss[-1]:.4f}, test accuracy {h.test_accuracy[-1]:.1%}")

    fig, axes = figure(1, 2, figsize=(11, 3.8))
    for name, h in histories.items():
        epochs_axis = range(1, h.epochs + 1)
        axes[0].plot(epochs_axis, h.train_loss, "o-", ms=3, label=name)
        axes[1].plot(epochs_axis, h.test_accuracy, "o-", ms=3, label=name)
    axes[0].set_yscale("log")
    axes[0].set_ylabel("training loss (cross-entropy)")
    axes[1].set_ylabel("test accuracy")
    for ax in axes:
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("one network on the 8x8 digits, three optimizers")
    save(fig, out / "optimizers_digits.png")
    return {"valley_loss": final,
            "digits_train_loss": {name: h.train_loss[-1] for name, h in histories.items()},
            "digits_test_accuracy": {name: h.test_accuracy[-1] for name, h in histories.items()}}
