"""A hidden layer solves XOR, and what the hidden units compute.

Two tanh hidden units and a sigmoid output (an MLP of Values, 9 weights in all) are trained
by gradient descent on the four XOR cases.  Each hidden unit draws one line across the plane;
in the space of the two hidden outputs the four cases become separable by a single line,
which is all the output unit can draw.  Training uses SGD with momentum 0.9, which the
optimizers lesson explains (a running sum of past gradients: where they agree, steps up to ten
times lr); plain gradient descent at lr 5.0 solves this start too.

With only two hidden units some random starts get stuck: two cases with different targets land
on the same corner of the hidden space, both tanh units saturated at +-1, so the output unit
cannot tell them apart and answers 0.5 to both (loss 0.125), and the flat tanh passes back
almost no gradient to pull them apart.  More steps do not help: the stuck starts of the survey
below are still at loss 0.125 after 10,000 steps.  More hidden units make it rare.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import nn
from autograd import no_grad
from nn.losses import mse
from nn.optim import SGD

from .figures import CLASS_COLOURS, decision_regions, figure, plane, save
from .graphs import save_network

TITLE = "A hidden layer solves XOR; what the hidden units compute"
TOPIC = "the XOR problem, hidden layers"

SEED = 1  # a start from which two hidden units find the solution (see the seed survey below)
LR, MOMENTUM = 0.5, 0.9


def train(hidden: int, seed: int, steps: int, lr: float = LR, momentum: float = MOMENTUM
          ) -> tuple[nn.MLP, float]:
    """An MLP(2, [hidden, 1]) trained on XOR by SGD (with momentum unless told otherwise);
    returns it and its last loss."""
    X, y = nn.data.gate("xor")
    net = nn.MLP(2, [hidden, 1], activation="tanh", out_activation="sigmoid", seed=seed)
    opt = SGD(net.parameters(), lr=lr, momentum=momentum)
    for _ in range(steps):
        loss = mse([net(x) for x in X.tolist()], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return net, loss.data


def solves(net: nn.MLP) -> bool:
    """True when every XOR case is on the right side of 0.5."""
    X, y = nn.data.gate("xor")
    with no_grad():
        return all(round(net(x).data) == t for x, t in zip(X.tolist(), y))


def _outputs(f: Any, points: np.ndarray) -> np.ndarray:
    with no_grad():
        return np.array([[v.data for v in np.atleast_1d(f(p))] for p in points.tolist()])


def run(out: Path, quick: bool = False, **_: Any) -> dict:
    """Train the 2-2-1 network, picture its hidden units, and survey random starts."""
    steps = 150 if quick else 300
    X, y = nn.data.gate("xor")
    net, loss = train(2, SEED, steps)
    hidden_layer = net.layers[0]
    print(f"MLP(2, [2, 1]) after {steps} steps of SGD (lr {LR}, momentum {MOMENTUM}): loss {loss:.5f}")
    with no_grad():
        for x, t in zip(X.tolist(), y):
            h = [v.data for v in hidden_layer(x)]
            print(f"  x = {x}  hidden = [{h[0]:+.3f}, {h[1]:+.3f}]  output = {net(x).data:.3f}  target {t}")
    for i, neuron in enumerate(hidden_layer.neurons, 1):
        w1, w2 = (v.data for v in neuron.w)
        print(f"  hidden unit {i}: tanh({w1:+.2f} x1 {w2:+.2f} x2 {neuron.b.data:+.2f}), "
              "one line across the plane")

    network_svg = save_network(net, out / "xor_network.svg", weights=True)  # the 9 weights, blue + and red -

    fig, axes = figure(1, 3, figsize=(11, 3.6))
    xx, yy, points = plane(X, steps=60)
    hidden = _outputs(hidden_layer, points)
    for i, ax in enumerate(axes[:2]):
        # purple/orange for the unit's output, so that red and blue mean the class alone
        im = ax.contourf(xx, yy, hidden[:, i].reshape(xx.shape), levels=20, cmap="PuOr_r", vmin=-1, vmax=1)
        ax.scatter(X[:, 0], X[:, 1], c=[CLASS_COLOURS[t] for t in y], s=50, edgecolors="k", zorder=3)
        ax.set_title(f"hidden unit {i + 1}")
    fig.colorbar(im, ax=axes[:2], shrink=0.8, label="tanh output")
    decision_regions(axes[2], lambda P: _outputs(net, P)[:, 0], X, y, threshold=0.5, steps=60,
                     title="the network's output > 0.5")
    axes[2].legend(loc="center", fontsize=8)
    for ax in axes:
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
    save(fig, out / "xor_hidden_units.png")

    fig, ax = figure(figsize=(4.8, 4.2))
    H = _outputs(hidden_layer, X)
    decision_regions(ax, lambda P: _outputs(net.layers[1], P)[:, 0], H, y, threshold=0.5, steps=60,
                     title="the four cases in hidden space:\none line separates them")
    # (0, 0) and (1, 1) land almost on one point: that is the trick; label them apart.
    for (h1, h2), x, dy in zip(H, X.astype(int).tolist(), (8, 8, 8, -14)):
        ax.annotate(f"x = {tuple(x)}", (h1, h2), textcoords="offset points", xytext=(6, dy), fontsize=8)
    ax.set_xlabel("hidden unit 1")
    ax.set_ylabel("hidden unit 2")
    save(fig, out / "xor_hidden_space.png")

    starts = 6 if quick else 20
    print(f"\nHow often does training from a random start solve XOR?  ({starts} seeds, {steps} steps each)")
    survey, stuck = {}, []
    for hidden in (2, 4):
        runs = [train(hidden, seed, steps) for seed in range(starts)]
        survey[hidden] = sum(solves(n) for n, _ in runs)
        print(f"  {hidden} hidden units: {survey[hidden]}/{starts} starts solve it")
        if hidden == 2:
            stuck = [seed for seed, (n, _) in enumerate(runs) if not solves(n)]
            two_unit_runs = runs
    result = {"loss": loss, "solved": solves(net), "network_svg": network_svg, "starts": starts,
              "solved_2_hidden": survey[2], "solved_4_hidden": survey[4], "stuck_seeds": stuck}
    if stuck:  # show why the first of them is stuck
        seed = stuck[0]
        net, loss = two_unit_runs[seed]
        print(f"A stuck start, seed {seed}: loss {loss:.4f} (0.125 = (0.5^2 + 0.5^2) / 4: two outputs "
              "at 0.5, two right)")
        rows = []
        with no_grad():
            for x, t in zip(X.tolist(), y):
                h, o = [v.data for v in net.layers[0](x)], net(x).data
                rows.append((h, o))
                print(f"  x = {x}  hidden = [{h[0]:+.3f}, {h[1]:+.3f}]  output = {o:.3f}  target {t}")
        print("  two cases with different targets share one saturated corner of the hidden space:"
              " one output for both")
        result["stuck_example"] = {"seed": seed, "loss": loss, "hidden": [h for h, _ in rows],
                                   "outputs": [o for _, o in rows]}
    return result
