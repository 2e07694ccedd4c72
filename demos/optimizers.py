"""Gradient descent, momentum and Adam: the same gradients, three ways to walk.

Gradient descent steps against the gradient g of the loss:  w <- w - lr * g.
Momentum (Polyak's heavy ball, written as torch's SGD does it) keeps a velocity v:
    v <- mu * v + g;   w <- w - lr * v
Unrolled, v = g_t + mu g_(t-1) + mu^2 g_(t-2) + ...: a running sum of past gradients, the older
ones weighted less.  Where they agree, v grows to g / (1 - mu), so the step becomes lr / (1 - mu):
ten times lr at mu = 0.9.  Where they flip sign from step to step (across a steep valley), they
cancel and v stays small.
Adam (Kingma & Ba) keeps two running averages for each weight (its v is not momentum's v):
    m <- beta1 * m + (1 - beta1) * g        the mean of recent gradients: Adam's own momentum
    v <- beta2 * v + (1 - beta2) * g^2      the mean of their squares: how big they have been
beta1 and beta2 set how far back each average reaches, about 1 / (1 - beta) steps: at the
defaults, 10 for m and 1000 for v.  Both start at 0, so early on they are too small; dividing
by 1 - beta^t (t, the steps so far) undoes that (bias correction):
    m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t), and then
    w <- w - lr * m_hat / (sqrt(v_hat) + eps)      (beta1 0.9, beta2 0.999, eps 1e-8 by default)
so every weight steps about lr where its gradients agree, whatever their size, and less where
they disagree.

First these rules on one weight, with the numbers from the optimizers themselves.  Then a long,
narrow valley, f(x, y) = (0.02 x^2 + 2 y^2) / 2, a hundred times steeper across than along:
plain gradient descent must keep its step below 2 / 2 = 1.0 or the steep direction blows up,
so it crawls along the floor, while momentum and Adam move on.  Then one network on the digits:
SGD, momentum and Adam, each momentum run beside plain SGD with its long-run step lr / (1 - mu),
so that what momentum adds is not mistaken for a larger step.  Last, full-batch gradient descent
against mini-batch SGD on the digits.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import nn
from autograd import Value, no_grad
from nn.losses import cross_entropy
from nn.optim import SGD, Adam

from .figures import figure, save, whole_ticks

TITLE = "Gradient descent, momentum and Adam on a narrow valley and on digits"
TOPIC = "gradient descent, SGD / mini-batch, momentum, Adam (Kingma & Ba)"

START = (-9.0, 2.0)
MU = 0.9  # momentum everywhere in this lesson

# name -> how to make the optimizer for some parameters; the rates suit each method
VALLEY_OPTIMIZERS: dict[str, Callable[[list], Any]] = {
    "gradient descent (lr 0.9)": lambda p: SGD(p, lr=0.9),
    "momentum (lr 0.3, 0.9)": lambda p: SGD(p, lr=0.3, momentum=MU),
    "Adam (lr 0.5)": lambda p: Adam(p, lr=0.5),
}
# Each momentum run beside plain SGD at its long-run step lr / (1 - mu), so that what momentum
# adds is not mistaken for what a larger step does.
DIGITS_OPTIMIZERS: dict[str, Callable[[list], Any]] = {
    "SGD (lr 0.05)": lambda p: SGD(p, lr=0.05),
    "SGD + momentum (lr 0.05, 0.9)": lambda p: SGD(p, lr=0.05, momentum=MU),
    "SGD (lr 0.5)": lambda p: SGD(p, lr=0.5),
    "SGD + momentum (lr 0.2, 0.9)": lambda p: SGD(p, lr=0.2, momentum=MU),
    "SGD (lr 2.0)": lambda p: SGD(p, lr=2.0),
    "Adam (lr 0.005)": lambda p: Adam(p, lr=0.005),
}
BATCH_LR = 0.2  # full batch against mini-batches: plain SGD, one rate for both


def long_run_step(opt: Any) -> float | None:
    """lr / (1 - momentum) for SGD (lr itself without momentum); None for other optimizers."""
    if not isinstance(opt, SGD):
        return None
    group = opt.param_groups[0]
    return group["lr"] / (1 - group["momentum"])


def momentum_buffer(gradients: list[float], mu: float = MU) -> list[float]:
    """Momentum's v after each step on one weight given these gradients, read from SGD's state."""
    w = Value(0.0)
    opt = SGD([w], lr=0.1, momentum=mu)
    vs = []
    for g in gradients:
        w.grad = g
        opt.step()
        vs.append(opt.state[w]["momentum_buffer"])
    return vs


def adam_first_step(gradients: tuple[float, ...], lr: float = 0.1) -> tuple[list[float], list[float]]:
    """One Adam step on weights with these gradients: their m afterwards, and how far each moved."""
    ws = [Value(0.0) for _ in gradients]
    opt = Adam(ws, lr=lr)
    for w, g in zip(ws, gradients):
        w.grad = g
    opt.step()
    return [opt.state[w]["exp_avg"] for w in ws], [abs(w.data) for w in ws]


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


def train_in_batches(data: nn.data.Split, batch_size: int, epochs: int, lr: float = BATCH_LR) -> list[float]:
    """Plain SGD on ``digits_mlp()`` in batches of ``batch_size``; the loss on the whole training
    set at the start and after every update (the same start and shuffling for every batch size)."""
    net = digits_mlp()
    opt = SGD(net.parameters(), lr=lr)
    rng = np.random.default_rng(0)

    def whole_loss() -> float:
        with no_grad():
            return cross_entropy(net(data.X_train), data.y_train).item()

    losses = [whole_loss()]
    for _ in range(epochs):
        for X, y in nn.data.batches(data.X_train, data.y_train, batch_size=batch_size, seed=rng):
            loss = cross_entropy(net(X), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(whole_loss())
    return losses


def rules_on_one_weight() -> dict:
    """Part 1: momentum's v as a running sum, Adam's bias correction, in numbers."""
    print(f"Momentum's v on one weight (mu {MU}), read from SGD's state after each step:")
    agree = momentum_buffer([1.0] * 50)
    flip = momentum_buffer([(-1.0) ** k for k in range(50)])
    shown = ", ".join(f"{v:.2f}" for v in agree[:5])
    print(f"  gradient +1 every step:     v = {shown}, ... {agree[-1]:.2f} after 50 steps\n"
          f"{'':30}(limit 1 / (1 - {MU}) = {1 / (1 - MU):.0f}: the step grows to 10 lr)")
    shown = ", ".join(f"{v:+.2f}" for v in flip[:5])
    print(f"  gradient +1, -1, +1, ...:   v = {shown}, ... {flip[-2]:+.2f}, {flip[-1]:+.2f}\n"
          f"{'':30}(limit +-1 / (1 + {MU}) = +-{1 / (1 + MU):.2f}: they cancel)")
    grads = (1000.0, 0.001)
    m, moved = adam_first_step(grads)
    print(f"Adam (lr 0.1), first step on two weights whose gradients are {grads[0]:g} and {grads[1]:g}:\n"
          f"  m = {m[0]:g} and {m[1]:g}, a tenth of g (it started at 0); m_hat = m / (1 - 0.9) "
          "gives g back,\n"
          f"  v_hat likewise g^2, and each weight moves lr * g / |g|: {moved[0]:.4f} and {moved[1]:.4f}\n")
    return {"momentum_agree": agree, "momentum_flip": flip, "adam_m": m, "adam_moved": moved}


def run(out: Path, quick: bool = False, **_: Any) -> dict:
    """The update rules in numbers; the valley; the digits; full batch against mini-batches."""
    rules = rules_on_one_weight()

    steps = 30 if quick else 60
    print(f"The valley, {steps} steps from {START}:")
    paths, final = {}, {}
    for name, make in VALLEY_OPTIMIZERS.items():
        paths[name] = descend(make, steps)
        final[name] = float(valley(*paths[name][-1]))
        x, y = paths[name][-1]
        print(f"  {name:<28} ends at ({x:+.3f}, {y:+.3f}), loss {final[name]:.5f}")
    lr = 0.3 / (1 - MU)  # momentum's long-run step along the floor
    blown = float(valley(*descend(lambda p: SGD(p, lr=lr), 10)[-1]))
    print(f"  gradient descent with momentum's long-run step, lr 0.3 / (1 - {MU}) = {lr:.1f}, diverges:\n"
          f"  across the valley each step multiplies y by 1 - {lr:.1f} * 2 = {1 - 2 * lr:.0f}; after 10 "
          f"steps the loss is {blown:.2g}.\n  Momentum moves that far per step only along the floor, "
          "where the gradients keep their sign;\n  across, they keep changing sign, partly cancel in v, "
          "and the swing dies away (the zigzag in the figure).")

    fig, axes = figure(1, 2, figsize=(12, 4.2), width_ratios=[1.6, 1])
    xx, yy = np.meshgrid(np.linspace(-10, 3, 200), np.linspace(-2.6, 2.6, 200))
    axes[0].contour(xx, yy, valley(xx, yy), levels=np.geomspace(0.01, 8, 14), colors="0.7", linewidths=0.8)
    for name, path in paths.items():
        axes[0].plot(path[:, 0], path[:, 1], "o-", ms=2.5, lw=1, label=name)
        axes[1].semilogy([valley(*p) for p in path], label=name)
    axes[0].plot(*START, "k*", ms=12)
    axes[0].plot(0, 0, "kx", ms=9)
    axes[0].set_title("f(x, y) = (0.02 x² + 2 y²) / 2: paths from ★ to the minimum ×")
    axes[0].set_xlabel("x (the valley's floor: gentle)")
    axes[0].set_ylabel("y (across: steep)")
    axes[0].legend(loc="lower right", fontsize=8)
    axes[1].set_xlabel("step")
    axes[1].set_ylabel("loss")
    axes[1].set_title("loss per step")
    axes[1].grid(alpha=0.3)
    axes[1].legend(fontsize=8)
    save(fig, out / "optimizers_valley.png")

    epochs = 3 if quick else 15
    data = nn.data.digits()
    print(f"\nDigits: the same network [64, 32, 10] (ReLU, cross-entropy), the same start, mini-batches "
          f"of 32, {epochs} epochs:")
    print(f"  {'':<30} {'long-run step':>13}   (lr / (1 - mu) with momentum mu)")
    histories, steps_of = {}, {}
    for name, make in DIGITS_OPTIMIZERS.items():
        net = digits_mlp()
        opt = make(net.parameters())
        steps_of[name] = long_run_step(opt)
        histories[name] = nn.fit(net, "cross_entropy", opt, data.train,
                                 epochs=epochs, test_data=data.test, batch_size=32, seed=0, progress=False)
        h = histories[name]
        step = "about lr" if steps_of[name] is None else f"{steps_of[name]:g}"
        print(f"  {name:<30} {step:>13}   train loss {h.train_loss[-1]:.4f}, "
              f"test accuracy {h.test_accuracy[-1]:.1%}")
    loss = {name: h.train_loss[-1] for name, h in histories.items()}
    print(f"Momentum at lr 0.05 ends far below plain SGD at lr 0.05 "
          f"({loss['SGD + momentum (lr 0.05, 0.9)']:.4f} against {loss['SGD (lr 0.05)']:.4f}), but that is\n"
          f"its ten times larger step: plain SGD with the same step, lr 0.5, ends about level "
          f"({loss['SGD (lr 0.5)']:.4f}).\nWhat momentum adds shows at a larger step: plain SGD at lr 2.0 "
          f"fails (loss {loss['SGD (lr 2.0)']:.2f}, where guessing\namong 10 digits gives ln 10 = "
          f"{np.log(10):.2f}), while momentum with that long-run step, lr 0.2, trains to "
          f"{loss['SGD + momentum (lr 0.2, 0.9)']:.4f}:\nas in the valley, its step is large only where "
          "the gradients keep their sign.")

    colours = {0.05: "C0", 0.5: "C1", 2.0: "C2", None: "C3"}  # one colour per long-run step
    fig, axes = figure(1, 2, figsize=(11, 3.8))
    for name, h in histories.items():
        epochs_axis = range(1, h.epochs + 1)
        step = None if steps_of[name] is None else round(steps_of[name], 6)
        style = dict(color=colours[step], ls="--" if name.startswith("SGD (") else "-", marker="o", ms=3)
        axes[0].plot(epochs_axis, h.train_loss, label=name, **style)
        axes[1].plot(epochs_axis, h.test_accuracy, label=name, **style)
    axes[0].set_yscale("log")
    axes[0].set_ylabel("training loss (cross-entropy)")
    axes[1].set_ylabel("test accuracy")
    for ax in axes:
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    whole_ticks(*axes)
    axes[0].legend(fontsize=7, title="colour: the long-run step", title_fontsize=7)
    fig.suptitle("one network on the 8x8 digits: momentum (solid) beside plain SGD (dashed) with its "
                 "long-run step, and Adam")
    save(fig, out / "optimizers_digits.png")

    full = len(data.X_train)
    per_epoch = -(-full // 32)  # mini-batches in one pass over the training set
    print(f"\nFull batch against mini-batches (plain SGD, lr {BATCH_LR}, {epochs} epochs; an epoch is one "
          f"pass over the\n{full:,} training digits, the same computation either way; loss on the whole "
          "training set):")
    curves = {"full batch": train_in_batches(data, full, epochs),
              "mini-batches of 32": train_in_batches(data, 32, epochs)}
    updates_per_epoch = {"full batch": 1, "mini-batches of 32": per_epoch}
    rises = {}
    for name, losses in curves.items():
        rises[name] = int(np.sum(np.diff(losses) > 0))
        print(f"  {name:<19} {len(losses) - 1:>4} updates ({updates_per_epoch[name]} per epoch): "
              f"loss {losses[0]:.3f} -> {losses[-1]:.3f}; {rises[name]} of the updates raised it")
    same = epochs  # updates the full batch made
    print(f"After the same {same} updates they are about level ({curves['full batch'][same]:.3f} and "
          f"{curves['mini-batches of 32'][same]:.3f}): a step on 32 digits\nis about as good as one on "
          f"all {full:,}, at 1/{full // 32} of the computation, so an epoch of mini-batches\ntakes "
          f"{per_epoch} steps where the full batch takes one.  The price is noise: a mini-batch's gradient\n"
          "is an estimate from 32 digits, and many of its steps go uphill for the whole training set\n"
          "(the full batch's do not, here).")

    fig, axes = figure(1, 2, figsize=(11, 3.8))
    for name, losses in curves.items():
        k = updates_per_epoch[name]
        axes[0].plot(range(epochs + 1), losses[::k], "o-", ms=3,
                     label=f"{name} ({k} update{'s' * (k > 1)}/epoch)")
        axes[1].plot(range(1, len(losses)), losses[1:], "o-" if k == 1 else "-", ms=3, lw=1, label=name)
    axes[0].set_xlabel("epoch (0: the start)")
    axes[0].set_title("per epoch: the same computation")
    whole_ticks(axes[0])
    axes[1].set_xscale("log")
    axes[1].set_xlabel("update (log scale)")
    axes[1].set_title("per update: about level; mini-batches noisy")
    for ax in axes:
        ax.set_yscale("log")
        ax.set_ylabel("loss on the whole training set")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8)
    fig.suptitle(f"full-batch gradient descent against mini-batch SGD (lr {BATCH_LR}) on the digits")
    save(fig, out / "optimizers_batches.png")
    return {"valley_loss": final, "valley_loss_at_momentum_step": blown,
            "digits_train_loss": loss, "digits_long_run_step": steps_of,
            "digits_test_accuracy": {name: h.test_accuracy[-1] for name, h in histories.items()},
            "batch_losses": curves, "batch_rises": rises, "updates_per_epoch": updates_per_epoch} | rules
