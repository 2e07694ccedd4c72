"""Sigmoid against ReLU: saturation and vanishing gradients, made visible.

A sigmoid's slope is at most 1/4 and nearly 0 once its input is far from 0: a saturated
neuron learns slowly however wrong it is (Nielsen's one-neuron example, chapter 3).  Backprop
multiplies one such slope per layer, so in a deep sigmoid network the gradient shrinks layer by
layer on its way back: here the first of five sigmoid hidden layers gets about a quarter of what
the last one gets, so with one learning rate for all its weights move a quarter as fast (Nielsen's
"speed of learning", chapter 5).  ReLU's slope is exactly 1
wherever it is active, so its hidden layers all get gradients of about one size.  (The linear
output layer, after them, has no activation of its own and starts from other weights: it is
shown, but the ratio compares hidden layers with hidden layers.)
All derivatives here come from autograd itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import nn
from autograd import Tensor, Value
from nn.losses import cross_entropy
from nn.optim import SGD

from .figures import figure, save, whole_ticks

TITLE = "Sigmoid vs ReLU: saturation and vanishing gradients"
TOPIC = "sigmoid and ReLU, backpropagation by the chain rule (vanishing gradients)"

DEPTH, WIDTH = 5, 30  # the deep networks: 5 hidden layers of 30 units
INITS = {"sigmoid": "normal", "relu": "he"}  # how each deep network starts (see deep_network)


def slopes(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The activation ``name`` at ``z`` and its derivative, by backward() through a Tensor."""
    x = Tensor(z, requires_grad=True)
    y = getattr(x, name)()
    y.sum().backward()  # d(sum)/dz_i = f'(z_i): each input only touches its own output
    return y.data, x.grad


def one_neuron(w: float, b: float, epochs: int, lr: float = 0.15) -> list[float]:
    """Nielsen's slowdown experiment: a sigmoid neuron taught to output 0 for input 1 with
    the quadratic cost; returns its output at the start and after each epoch."""
    w, b = Value(w, label="w"), Value(b, label="b")
    opt = SGD([w, b], lr=lr)
    outputs = []
    for _ in range(epochs):
        a = (w * 1.0 + b).sigmoid()
        outputs.append(a.data)
        cost = 0.5 * (a - 0.0) ** 2
        opt.zero_grad()
        cost.backward()
        opt.step()
    outputs.append((w * 1.0 + b).sigmoid().data)  # after the last epoch's step
    return outputs


def deep_network(activation: str, seed: int = 0) -> nn.Sequential:
    """DEPTH hidden layers of WIDTH units with ``activation`` and a linear output of 10 scores.
    Sigmoid layers start as Nielsen's, N(0, 1) (INITS below): with Xavier's smaller weights the
    signal itself dies on the way forward (every digit gives the last hidden layer nearly the same
    outputs), so not even the output layer can learn, which is another lesson.  ReLU layers
    start as He's, the usual for them."""
    rng = np.random.default_rng(seed)
    act = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU}[activation]
    init = INITS[activation]
    widths = [64] + [WIDTH] * DEPTH
    layers: list[nn.Module] = []
    for nin, nout in zip(widths[:-1], widths[1:]):
        layers += [nn.Linear(nin, nout, init=init, seed=rng), act()]
    return nn.Sequential(*layers, nn.Linear(WIDTH, 10, seed=rng))


def layer_gradients(net: nn.Sequential, X: np.ndarray, y: np.ndarray) -> list[float]:
    """The size (Frobenius norm) of the loss's gradient for each Linear layer's weights."""
    loss = cross_entropy(net(X), y)
    net.zero_grad()
    loss.backward()
    return [float(np.linalg.norm(layer.weight.grad)) for layer in net if isinstance(layer, nn.Linear)]


def run(out: Path, quick: bool = False, **_: Any) -> dict:
    """Curves and slopes; a saturated neuron; gradients per layer and training of deep nets."""
    z = np.linspace(-6, 6, 241)
    fig, axes = figure(1, 2, figsize=(10, 3.6))
    for name in ("sigmoid", "tanh", "relu"):
        value, slope = slopes(name, z)
        axes[0].plot(z, value, label=name)
        axes[1].plot(z, slope, label=f"{name}'")
    print(f"largest slope of sigmoid: {slopes('sigmoid', np.zeros(1))[1][0]:.2f} (at 0); "
          f"at 5: {slopes('sigmoid', np.array([5.0]))[1][0]:.4f}; ReLU's: 1 wherever it is on")
    axes[0].set_title("activation")
    axes[1].set_title("its derivative (by autograd)")
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend()
        ax.set_xlabel("z")
    save(fig, out / "activations_curves.png")

    epochs = 150 if quick else 300
    starts = {"w = 0.6, b = 0.9 (not saturated)": (0.6, 0.9), "w = 2.0, b = 2.0 (saturated)": (2.0, 2.0)}
    print(f"\nOne sigmoid neuron learning to output 0 (quadratic cost, lr 0.15, {epochs} epochs):")
    runs = {}
    for name, (w, b) in starts.items():
        runs[name] = one_neuron(w, b, epochs)
        r = runs[name]
        print(f"  {name:<34} output {r[0]:.3f} -> {r[epochs // 2]:.3f} (epoch {epochs // 2}) -> {r[-1]:.3f} "
              f"(epoch {epochs})")
    fig, ax = figure(figsize=(6, 3.6))
    for name, r in runs.items():
        ax.plot(range(epochs + 1), r, label=name)
    ax.set_xlabel("epoch (0: the start)")
    ax.set_ylabel("output (target 0)")
    ax.set_title("a saturated sigmoid starts learning slowly")
    ax.grid(alpha=0.3)
    ax.legend()
    save(fig, out / "activations_saturation.png")

    data = nn.data.digits()
    grads = {act: layer_gradients(deep_network(act), data.X_train[:500], data.y_train[:500])
             for act in ("sigmoid", "relu")}
    print(f"\nGradient size per layer at the start, deep networks (64, {DEPTH} x {WIDTH}, 10) on digits "
          f"(weights from: sigmoid N(0, 1), ReLU He):")
    print(f"  {'':<8} " + "  ".join(f"{f'hidden {i}':>8}" for i in range(1, DEPTH + 1)) + "    output")
    for act, g in grads.items():  # g[-1] is the output layer's: a linear layer, not a hidden one
        print(f"  {act:<8} " + "  ".join(f"{v:8.1e}" for v in g[:-1]) + f"  {g[-1]:8.1e}"
              + f"   first/last hidden = {g[0] / g[-2]:.2f}")
    epochs = 3 if quick else 10
    histories = {}
    for act in ("sigmoid", "relu"):
        net = deep_network(act)
        histories[act] = nn.fit(net, "cross_entropy", SGD(net.parameters(), lr=0.1), data.train,
                                epochs=epochs, test_data=data.test, seed=0, progress=False)
        print(f"  {act:<8} after {epochs} epochs of SGD (lr 0.1): train loss "
              f"{histories[act].train_loss[-1]:.3f}, test accuracy {histories[act].test_accuracy[-1]:.1%}")

    fig, axes = figure(1, 2, figsize=(11, 3.8))
    layers = np.arange(1, DEPTH + 2)
    for i, (act, g) in enumerate(grads.items()):
        axes[0].bar(layers + (i - 0.5) * 0.38, g, width=0.38, label=act)
        axes[1].plot(range(1, epochs + 1), histories[act].train_loss, "o-", ms=3, label=act)
    axes[0].set_yscale("log")
    axes[0].set_xticks(layers, [str(n) for n in layers[:-1]] + ["out"])
    axes[0].axvline(DEPTH + 0.5, color="0.5", ls=":", lw=1)  # hidden layers | the linear output layer
    axes[0].set_xlabel("hidden layer (1 = next to the input); out: the linear output layer")
    axes[0].set_ylabel("|dLoss/dW| at the start")
    ratio = grads["sigmoid"][0] / grads["sigmoid"][DEPTH - 1]
    axes[0].set_title(f"sigmoids: hidden layer 1 gets {ratio:.2f}x layer {DEPTH}'s gradient")
    axes[1].set_xlabel("epoch")
    whole_ticks(axes[1])
    axes[1].set_ylabel("training loss")
    axes[1].set_title(f"{DEPTH} hidden layers, same optimizer (sigmoid N(0, 1) init, ReLU He)", fontsize=10)
    for ax in axes:
        ax.legend()
        ax.grid(alpha=0.3, axis="y")
    save(fig, out / "activations_vanishing.png")
    return {"gradient_ratio": {act: g[0] / g[-2] for act, g in grads.items()},  # first / last hidden
            "layer_gradients": grads,
            "saturated_output": runs["w = 2.0, b = 2.0 (saturated)"][-1],
            "unsaturated_output": runs["w = 0.6, b = 0.9 (not saturated)"][-1],
            "train_loss": {act: h.train_loss[-1] for act, h in histories.items()},
            "train_losses": {act: list(h.train_loss) for act, h in histories.items()}}
