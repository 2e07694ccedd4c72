"""The tour: one neuron forward and backward, step by step, then a network that reads digits.

1. Forward: the neuron of the lectures, o = tanh(x1*w1 + x2*w2 + b), built from Values, one
   graph node per operation.
2. Backward, one node at a time: the Backprop stepper applies the chain rule at each node and
   says what it did, with the actual numbers.  gradcheck then confirms every gradient by
   nudging each input a little (central differences).
3. The graph, drawn with every value and gradient (SVG), and an HTML page that walks through
   the steps with Previous/Next.
4. The same machinery at scale: a Tensor MLP [64, 64, 10] learns the 8x8 handwritten digits,
   with the training loop written out (forward, loss, zero_grad, backward, step).  It ends
   with the test accuracy and the digits it still gets wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

import nn
from autograd import Backprop, Value, gradcheck, no_grad, topological_order, tree
from autograd.examples import neuron
from nn.losses import cross_entropy
from nn.optim import Adam

from .figures import digit_grid, figure, save, whole_ticks
from .graphs import save_graph, save_walkthrough

TITLE = "The tour: backprop through one neuron, step by step, then an MLP reads digits"
TOPIC = "backpropagation by the chain rule, supervised learning and loss, digit recognition"

SEED = 0


def indent(text: str) -> str:
    """``text`` moved two spaces right, to set it apart from the lesson's own lines."""
    return "  " + text.replace("\n", "\n  ")


def neuron_inputs(o: Value) -> dict[str, Value]:
    """The leaves of the neuron's graph by label: x1, w1, x2, w2, b."""
    return {n.label: n for n in topological_order(o) if not n.parents}


def train_digits(epochs: int, out: Path) -> dict:
    """Part 4: the training loop, written out, with a tqdm progress bar over the epochs."""
    data = nn.data.digits(seed=SEED)
    rng = np.random.default_rng(SEED)
    model = nn.Sequential(nn.Linear(64, 64, init="he", seed=rng), nn.ReLU(), nn.Linear(64, 10, seed=rng))
    optimizer = Adam(model.parameters(), lr=0.005)
    print(f"{model!r}\n")
    print(f"{len(data.X_train):,} training and {len(data.X_test):,} test digits; "
          f"cross-entropy loss, Adam (lr 0.005), mini-batches of 32, {epochs} epochs")
    losses = []
    bar = tqdm(range(epochs), desc="training", unit="epoch")
    for _ in bar:
        total = 0.0
        for X, y in nn.data.batches(data.X_train, data.y_train, batch_size=32, seed=rng):
            loss = cross_entropy(model(X), y)  # forward: scores, then how wrong they are
            optimizer.zero_grad()              # forget the previous batch's gradients
            loss.backward()                    # the chain rule, through every layer
            optimizer.step()                   # move every weight a little downhill
            total += loss.item() * len(X)
        losses.append(total / len(data.X_train))
        bar.set_postfix(loss=f"{losses[-1]:.4f}")
    bar.close()
    with no_grad():
        predicted = model(data.X_test).data.argmax(axis=1)
    accuracy = float(np.mean(predicted == data.y_test))
    wrong = np.flatnonzero(predicted != data.y_test)
    print(f"\ntest accuracy: {accuracy:.2%} ({len(data.X_test) - len(wrong)} of {len(data.X_test)} "
          f"test digits right; {len(wrong)} wrong)")

    fig, ax = figure(figsize=(5.5, 3.3))
    ax.plot(range(1, epochs + 1), losses, "o-", ms=3)
    ax.set_xlabel("epoch")
    whole_ticks(ax)
    ax.set_ylabel("training loss (cross-entropy)")
    ax.set_yscale("log")
    ax.set_title("the MLP learning the digits")
    ax.grid(alpha=0.3)
    save(fig, out / "tour_loss.png")
    shown = wrong[:16]
    captions = [f"{data.y_test[i]} read as {predicted[i]}" for i in shown]
    save(digit_grid(data.X_test[shown], captions, cols=8,
                    title=f"the test digits the MLP gets wrong ({len(wrong)} of {len(data.X_test)})"),
         out / "tour_misclassified.png")
    return {"test_accuracy": accuracy, "wrong": int(len(wrong)), "final_loss": losses[-1]}


def run(out: Path, quick: bool = False, **_: Any) -> dict:
    """The four parts; returns the neuron's gradients and the digits accuracy."""
    print("[1/4] Forward: o = tanh(x1*w1 + x2*w2 + b)\n")
    o = neuron()
    print(indent(tree(o)))  # each node with its value; no gradient known yet

    print("\n[2/4] Backward, one node at a time (o.backward() does exactly these steps):\n")
    bp = Backprop(o)
    print(f"  {bp!r}\n")
    for step in bp:
        print(indent(str(step)), end="\n\n")
    print("Every gradient is now known (the same tree, with a grad column):\n")
    print(indent(tree(o)))
    leaves = neuron_inputs(o)
    args = [leaves[name].data for name in ("x1", "w1", "x2", "w2", "b")]
    checked = gradcheck(lambda x1, w1, x2, w2, b: (x1 * w1 + x2 * w2 + b).tanh(), *args)
    print(f"\n  gradcheck (backward vs central differences): {'agree' if checked else 'DISAGREE'}")

    print("\n[3/4] The graph, drawn:\n")
    svg = save_graph(o, out / "neuron_graph.svg", edge_derivatives=True)  # d out/d in on each edge
    html = save_walkthrough(neuron(), out / "neuron_backprop.html")
    if html is not None:
        print(f"  open {html} in a browser and press -> to step through backprop")

    print("\n[4/4] A Tensor MLP learns the 8x8 handwritten digits:\n")
    digits = train_digits(epochs=4 if quick else 20, out=out)
    return {"gradients": {name: leaves[name].grad for name in ("x1", "w1", "x2", "w2", "b")},
            "gradcheck": checked, "steps": len(bp), "graph_svg": svg, "walkthrough_html": html} | digits
