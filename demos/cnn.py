"""Receptive fields and shared weights: convolution by hand, then a small CNN on the digits.

A convolutional unit looks at a small window of its input (its receptive field), and every
unit of a feature map uses the same few weights (the kernel) at its own position.  First a
1-D convolution worked by hand and checked against nn.Conv1d, including the backward pass:
a shared weight's gradient is the sum of what every position contributes.  Then a CNN (one
3x3 convolution with 8 kernels, ReLU, 2x2 max-pooling, a linear read-out) against an MLP with
about as many parameters, on the 8x8 digits; the learned kernels and the feature maps they
produce are shown.

Receptive fields grow layer by layer: a conv unit sees a 3x3 patch of the digit; a pooled unit
takes the largest of 2x2 neighbouring conv units, whose patches overlap, so it sees 4x4; the
linear read-out sees every pooled unit, the whole digit.  Weight sharing: the 512 units of the
8 feature maps (8x8 each) need 72 weights, where a dense layer making them would need 32,768 and
a locally connected one (a 3x3 window per unit, nothing shared) 4,608.  The lesson computes
these from the network it trains.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import nn
from autograd import Tensor, no_grad
from nn.optim import Adam

from .figures import digit_grid, figure, save, whole_ticks

TITLE = "Convolution by hand, then a small CNN on the digits with its learned kernels"
TOPIC = "receptive fields, weight sharing and convolutional networks"

SIGNAL = [0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.5, 0.0]
KERNEL = [-1.0, 0.0, 1.0]  # responds to a rise (+) or a fall (-): an edge detector
CHANNELS = 8


def convolve_by_hand(signal: list[float], kernel: list[float]) -> list[float]:
    """Slide ``kernel`` along ``signal`` (no padding, stride 1), printing every window."""
    k = len(kernel)
    out = []
    for i in range(len(signal) - k + 1):
        window = signal[i : i + k]
        out.append(sum(w * x for w, x in zip(kernel, window)))
        terms = " + ".join(f"{w:g}*{x:g}" for w, x in zip(kernel, window))
        print(f"  y[{i}] sees x[{i}:{i + k}] = {window}:  {terms} = {out[-1]:g}")
    return out


def cnn(seed: int = 0) -> nn.Sequential:
    """Conv 3x3 (8 kernels) -> ReLU -> max-pool 2x2 -> linear read-out of 10 scores."""
    rng = np.random.default_rng(seed)
    return nn.Sequential(nn.Conv2d(1, CHANNELS, 3, padding=1, seed=rng), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(CHANNELS * 4 * 4, 10, seed=rng))


def mlp(seed: int = 0) -> nn.Sequential:
    """A one-hidden-layer network with about as many parameters as ``cnn()``."""
    rng = np.random.default_rng(seed)
    return nn.Sequential(nn.Linear(64, 20, init="he", seed=rng), nn.ReLU(), nn.Linear(20, 10, seed=rng))


def count(model: nn.Module) -> int:
    """Number of trainable numbers in ``model``."""
    return sum(p.data.size for p in model.parameters())


def moved(x: np.ndarray, step: int, axis: int) -> np.ndarray:
    """``x`` moved ``step`` pixels along ``axis``, blank (0) where it moved away from.  (Not
    np.roll: its wrap-round would carry ink to the opposite edge, and every 8x8 digit here has
    ink in its top and bottom rows.)"""
    out = np.zeros_like(x)
    to, source = [slice(None)] * x.ndim, [slice(None)] * x.ndim
    to[axis], source[axis] = (slice(step, None), slice(None, -step)) if step > 0 else \
        (slice(None, step), slice(-step, None))
    out[tuple(to)] = x[tuple(source)]
    return out


def receptive_fields(net: nn.Sequential, side: int = 8, pooled: tuple[int, int] = (1, 1)) -> dict:
    """The input pixels one conv unit and one pooled unit of ``net`` (conv, ReLU, pool, ...) can
    see, as boolean ``side`` x ``side`` masks: the pooled unit ``pooled`` and the conv unit at
    the top left of its pooling window.  Found by backward() through the network's geometry with
    all kernel weights 1 (the trained ones could be 0) and the pool's window summed (a max sends
    its gradient to one input only, the largest for this digit; it can see all of them)."""
    conv, pool = net[0], net[2]
    probe = nn.Conv2d(1, 1, conv.kernel_size, stride=conv.stride, padding=conv.padding, bias=False)
    probe.weight.data[:] = 1.0
    k = pool.kernel_size
    r, c = pooled[0] * k, pooled[1] * k  # the pooling window's top-left conv unit
    masks = {}
    for name, window in (("conv", (slice(r, r + 1), slice(c, c + 1))),
                         ("pooled", (slice(r, r + k), slice(c, c + k)))):
        x = Tensor(np.zeros((1, 1, side, side)), requires_grad=True)
        probe(x)[(0, 0, *window)].sum().backward()
        masks[name] = x.grad[0, 0] != 0
    masks["conv_unit"], masks["pooled_unit"] = (r, c), pooled
    return masks


def show_fields(fields: dict) -> None:
    """The two receptive fields side by side as text: # a pixel the unit sees, . one it does not."""
    conv, pooled = fields["conv"], fields["pooled"]

    def extent(mask: np.ndarray) -> str:
        rows, cols = np.nonzero(mask)
        return f"{np.ptp(rows) + 1}x{np.ptp(cols) + 1}"

    def row(mask_row: np.ndarray) -> str:
        return " ".join("#" if v else "." for v in mask_row)

    left = f"conv unit {fields['conv_unit']}: {extent(conv)}"
    print(f"  {left:<26}pooled unit {fields['pooled_unit']}: {extent(pooled)}")
    for a, b in zip(conv, pooled):
        print(f"  {row(a):<26}{row(b)}")


def weight_counts(net: nn.Sequential, image: np.ndarray) -> dict:
    """Weights needed to make the conv layer's feature maps from ``image``: dense, locally
    connected (no sharing), and the convolution itself (biases aside)."""
    conv = net[0]
    with no_grad():
        maps = conv(Tensor(image[None])).data[0]
    pixels, units = image.size, maps.size
    window = conv.in_channels * int(np.prod(conv.kernel_size))  # the weights one unit applies
    return {"pixels": pixels, "units": units, "window": window, "dense": pixels * units,
            "local": units * window, "conv": conv.weight.size, "maps": maps.shape}


def shifted_accuracy(model: nn.Module, images: nn.data.Split) -> float:
    """Test accuracy on the test digits moved by one pixel in each of the four directions."""
    correct = []
    for axis in (-1, -2):
        for step in (1, -1):
            moved_digits = moved(images.X_test, step, axis)
            if not isinstance(model[0], nn.Conv2d):
                moved_digits = moved_digits.reshape(len(moved_digits), -1)
            with no_grad():
                correct.append(model(moved_digits).data.argmax(axis=1) == images.y_test)
    return float(np.mean(correct))


def by_hand_vs_conv1d() -> dict:
    """The 1-D part: forward and backward by hand, then the same with nn.Conv1d."""
    print(f"signal x = {SIGNAL}\nkernel k = {KERNEL} (one set of 3 weights, shared by every position)\n")
    hand = convolve_by_hand(SIGNAL, KERNEL)
    conv = nn.Conv1d(1, 1, 3, bias=False)
    conv.weight.data[:] = np.array(KERNEL).reshape(1, 1, 3)
    y = conv(Tensor(np.array(SIGNAL).reshape(1, 1, -1)))
    print(f"\n  by hand:   {[round(v, 4) for v in hand]}\n  nn.Conv1d: {y.data.ravel().round(4).tolist()}")
    # Backward with upstream gradient 1 at every output: each weight k_j was used at every
    # position i, on input x[i + j], so dL/dk_j = sum over i of x[i + j].
    y.sum().backward()
    n = len(hand)
    shared = [sum(SIGNAL[i + j] for i in range(n)) for j in range(len(KERNEL))]
    print(f"\nL = sum(y).  Each shared weight collects a gradient from every position it was used at:\n"
          f"  by hand: dL/dk_j = sum_i x[i + j] = {shared}\n"
          f"  autograd: conv.weight.grad    = {conv.weight.grad.ravel().tolist()}")
    return {"by_hand": hand, "conv1d": y.data.ravel().tolist(),
            "kernel_grad": conv.weight.grad.ravel().tolist(), "kernel_grad_by_hand": shared}


def run(out: Path, quick: bool = False, **_: Any) -> dict:
    """Convolution by hand; CNN vs MLP on the digits; kernels and feature maps."""
    result = by_hand_vs_conv1d()

    images = nn.data.digits(flatten=False)
    flat = nn.data.digits()
    models = {"CNN": (cnn(), images), "MLP": (mlp(), flat)}
    net = models["CNN"][0]
    conv = net[0]
    print(f"\nThe CNN: {net!r}")
    counts = weight_counts(net, images.X_test[0])
    maps = counts["maps"]
    print(f"\nWeight sharing: its conv layer turns {counts['pixels']} pixels into {maps[0]} maps of "
          f"{maps[1]}x{maps[2]}, {counts['units']} units.\nThe weights those {counts['units']} units need "
          "(biases aside):")
    pixels, units, window = counts["pixels"], counts["units"], counts["window"]
    rows = [("dense, each unit seeing every pixel", f"{pixels} x {units}", counts["dense"]),
            ("locally connected, a 3x3 window of its own per unit", f"{units} x {window}", counts["local"]),
            ("convolution, one 3x3 kernel shared by each map", f"{maps[0]} x {window}", counts["conv"])]
    for what, product, n in rows:
        print(f"  {what:<52}{product:>9} = {n:>6,}")
    fields = receptive_fields(net)
    last = tuple(v + net[2].kernel_size - 1 for v in fields["conv_unit"])
    print("\nReceptive fields, found by backward() from one unit to the input (# is a pixel it sees):")
    show_fields(fields)
    print(f"  The pooled unit takes the largest of conv units {fields['conv_unit']} to {last}, whose 3x3 "
          "patches overlap:\n  3 + 1 = 4 pixels across.  The read-out sees every pooled unit: the whole "
          "digit.")

    epochs = 3 if quick else 12
    print(f"\nCNN vs MLP on the 8x8 digits (Adam, lr 0.01, {epochs} epochs, mini-batches of 32):")
    histories = {}
    for name, (model, data) in models.items():
        histories[name] = nn.fit(model, "cross_entropy", Adam(model.parameters(), lr=0.01), data.train,
                                 epochs=epochs, test_data=data.test, seed=0, progress=False)
        print(f"  {name}: {count(model):,} parameters, test accuracy {histories[name].test_accuracy[-1]:.1%}")
    with no_grad():  # a kernel whose map is 0 after ReLU on every training digit gets no gradient again
        train_maps = net[1](conv(Tensor(images.X_train))).data
    dead = [i for i in range(CHANNELS) if not train_maps[:, i].any()]
    for i in dead:
        weights, bias = conv.weight.data[i], conv.bias.data[i]
        print(f"  kernel {i} died in training: after ReLU its map is 0 on every training digit (its "
              f"{weights.size} weights,\n  the largest {weights.max():.3f}, and its bias, {bias:.3f}, "
              "on pixels >= 0), and ReLU's slope there, 0,\n  stops every gradient to it: a 'dying ReLU'")
    shifted = {name: shifted_accuracy(model, images) for name, (model, _) in models.items()}
    print("Test digits moved one pixel (left, right, up, down; averaged): "
          + ", ".join(f"{name} {acc:.1%}" for name, acc in shifted.items()))
    print("  a shared kernel finds a stroke wherever it is, but the Linear read-out after it is tied to\n"
          "  positions, as all of an MLP's weights are: moved digits cost both networks much")

    fig, ax = figure(figsize=(6, 3.6))
    for name, h in histories.items():
        label = f"{name} ({count(models[name][0]):,} params)"
        ax.plot(range(1, epochs + 1), h.test_accuracy, "o-", ms=3, label=label)
    ax.set_xlabel("epoch")
    whole_ticks(ax)  # (--quick's 3 epochs: no tick at 1.25)
    ax.set_ylabel("test accuracy")
    ax.set_title("8x8 digits: a small CNN and an MLP of about the same size")
    ax.grid(alpha=0.3)
    ax.legend()
    save(fig, out / "cnn_vs_mlp.png")

    kernels = net[0].weight.data[:, 0]
    names = [f"kernel {i}" + (" (dead)" if i in dead else "") for i in range(CHANNELS)]
    save(digit_grid(kernels, names, cols=8, title="the 8 learned 3x3 kernels (red +, blue -)", signed=True),
         out / "cnn_kernels.png")
    digit = images.X_test[:1]
    with no_grad():
        maps = net[1](net[0](Tensor(digit))).data[0]
    names = [f"map {i}" + (" (dead)" if i in dead else "") for i in range(CHANNELS)]  # a dead one is blank
    top = float(maps.max())  # the maps on one scale, so a weak map looks weak; the input on its own
    save(digit_grid(np.concatenate([digit[0], maps]), ["input"] + names, cols=9,
                    black=[float(digit.max())] + [top] * CHANNELS,
                    title=f"one test digit ({images.y_test[0]}) and its 8 feature maps after ReLU;\n"
                          f"the maps share one grey scale, white 0 to black {top:.2f}"),
         out / "cnn_feature_maps.png")
    return result | {"dead_kernels": dead, "weight_counts": counts,
                     "receptive_field": {"conv": fields["conv"], "pooled": fields["pooled"]}} | {
        name: {"parameters": count(models[name][0]), "test_accuracy": h.test_accuracy[-1],
               "shifted_accuracy": shifted[name]} for name, h in histories.items()}
