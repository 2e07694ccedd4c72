"""Universal approximation: one hidden layer of sigmoids can draw any continuous curve.

Two steep sigmoids, one switched on at a and the other at b, subtract to a bump of height h
on [a, b].  N hidden units make N/2 bumps side by side: a staircase that follows any
continuous f as closely as we like (Nielsen, chapter 4).  We build that network by hand,
with no training at all, then let gradient descent (Adam) find its own weights for the same
curve, and measure the error against N for both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import nn
from autograd import no_grad
from nn.losses import mse
from nn.optim import Adam

from .figures import figure, save

TITLE = "Universal approximation: a curve from N sigmoid hidden units"
TOPIC = "hidden layers, universal approximation"

STEEPNESS = 1000.0  # weight of the hand-built units: sigmoid(1000 (x - a)) is a step at a


def target(x: np.ndarray) -> np.ndarray:
    """The curve to approximate on [0, 1] (Nielsen's example, without its fastest wiggle)."""
    return 0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x)


def one_hidden_layer(units: int, seed: int) -> nn.Sequential:
    """x -> ``units`` sigmoids -> a weighted sum: the network of the theorem."""
    rng = np.random.default_rng(seed)
    return nn.Sequential(nn.Linear(1, units, seed=rng), nn.Sigmoid(), nn.Linear(units, 1, seed=rng))


def bumps_network(units: int) -> nn.Sequential:
    """The network built by hand: ``units // 2`` bumps on equal slices of [0, 1], each as high
    as the target at the middle of its slice."""
    bumps = units // 2
    edges = np.linspace(0.0, 1.0, bumps + 1)
    starts = np.repeat(edges[:-1], 2)
    starts[1::2] = edges[1:]  # unit 2j switches on at the bump's left edge, 2j+1 at its right
    starts[0], starts[-1] = -1.0, 2.0  # the end bumps reach past [0, 1]: no half-height step at 0 or 1
    heights = target((edges[:-1] + edges[1:]) / 2)
    net = one_hidden_layer(2 * bumps, seed=0)
    net[0].weight.data[:] = STEEPNESS
    net[0].bias.data[:] = -STEEPNESS * starts
    net[2].weight.data[:] = np.stack([heights, -heights], axis=1).reshape(1, -1)
    net[2].bias.data[:] = 0.0
    return net


def trained_network(units: int, x: np.ndarray, steps: int, seed: int) -> nn.Sequential:
    """The same architecture fitted by Adam to the target, from steps at random places."""
    net = one_hidden_layer(units, seed)
    rng = np.random.default_rng(seed)
    slope = rng.normal(0.0, 15.0, units)  # steep enough to bend, each centred somewhere in [0, 1]
    net[0].weight.data[:] = slope[:, None]
    net[0].bias.data[:] = -slope * rng.uniform(0.0, 1.0, units)
    opt = Adam(net.parameters(), lr=0.03)
    y = target(x)
    for _ in range(steps):
        loss = mse(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return net


def rms_error(net: nn.Sequential, x: np.ndarray) -> float:
    """Root-mean-square distance between the network and the target on the points ``x``."""
    with no_grad():
        return float(np.sqrt(np.mean((net(x).data - target(x)) ** 2)))


def contributions(net: nn.Sequential, x: np.ndarray) -> np.ndarray:
    """Each hidden unit's share of the output, ``v_j * sigmoid(w_j x + b_j)``: (points, units)."""
    with no_grad():
        return net[1](net[0](x)).data * net[2].weight.data[0]


def run(out: Path, quick: bool = False, **_: Any) -> dict:
    """Hand-built bumps and trained networks for several N; pictures and errors."""
    x = np.linspace(0.0, 1.0, 400)[:, None]
    built_sizes = [2, 4, 8, 16, 32, 64]
    trained_sizes = [2, 8] if quick else [1, 2, 4, 8, 16, 32]
    steps = 300 if quick else 2000

    built = {n: rms_error(bumps_network(n), x) for n in built_sizes}
    print("Built by hand (pairs of steep sigmoids make bumps), RMS error against the target:")
    for n, err in built.items():
        print(f"  N = {n:>2} hidden units = {n // 2:>2} bump{'s' if n // 2 > 1 else ' '}: {err:.4f}")
    print(f"\nTrained with Adam (lr 0.03, {steps} full-batch steps on 400 points):")
    trained, nets = {}, {}
    for n in trained_sizes:
        nets[n] = trained_network(n, x, steps, seed=n)
        trained[n] = rms_error(nets[n], x)
        print(f"  N = {n:>2} hidden units: {trained[n]:.4f}")
    if trained[8] < built[8] / 2:  # what the full run shows (--quick trains too briefly to)
        print("\nTraining places and shapes each sigmoid to fit the curve, so it needs far fewer units\n"
              "than the staircase; the staircase shows that enough units always suffice.")
    else:
        print(f"\n{steps} steps are too few for training to beat the staircase here; the full run\n"
              "(without --quick) trains longer, and there training wins with far fewer units.")

    fig, axes = figure(1, 2, figsize=(11, 4))
    ax = axes[0]
    shown = 10
    parts = contributions(bumps_network(shown), x)
    for j in range(shown // 2):
        ax.fill_between(x[:, 0], parts[:, 2 * j] + parts[:, 2 * j + 1], alpha=0.35)
    ax.plot(x, target(x), "k--", lw=1.5, label="target f(x)")
    ax.plot(x, parts.sum(axis=1), "C3", lw=1.5, label=f"sum of {shown // 2} bumps")
    ax.set_title(f"built by hand: {shown} sigmoids = {shown // 2} bumps")
    ax.set_ylabel("f(x) and the network's output")
    ax.legend(loc="upper left")
    ax = axes[1]
    n = 8
    parts = contributions(nets[n], x)
    ax.plot(x, parts, lw=1, alpha=0.7)
    bias = float(nets[n][2].bias.data[0])
    ax.plot(x, parts.sum(axis=1) + bias, "C3", lw=2, label="their sum + bias")
    ax.plot(x, target(x), "k--", lw=1.5, label="target f(x)")
    ax.set_title(f"trained: the {n} units' contributions $v_j\\,\\sigma(w_j x + b_j)$")
    ax.set_ylabel("the output, and each unit's share of it")
    ax.legend(loc="upper left")
    for ax in axes:
        ax.set_xlabel("x")
    save(fig, out / "approximation_bumps.png")

    fig, ax = figure(figsize=(7, 4))
    ax.plot(x, target(x), "k--", lw=2, label="target")
    with no_grad():
        for n, net in nets.items():
            ax.plot(x, net(x).data, lw=1.3, label=f"N = {n}")
    ax.set_xlabel("x")
    ax.set_ylabel("the network's output y")
    ax.set_title("trained networks with N hidden sigmoid units")
    ax.legend(ncol=2)
    save(fig, out / "approximation_fits.png")

    fig, ax = figure(figsize=(6, 4))
    ax.loglog(list(built), list(built.values()), "o-", label="built by hand (bumps)")
    ax.loglog(list(trained), list(trained.values()), "s-", label="trained (Adam)")
    ax.set_xlabel("N hidden units")
    ax.set_ylabel("RMS error")
    ax.set_title("more hidden units, smaller error (not at every step)")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    save(fig, out / "approximation_error.png")
    return {"built_error": built, "trained_error": trained}
