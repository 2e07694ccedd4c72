"""Nielsen's network: handwritten digits recognised by sigmoid neurons and mini-batch SGD.

The network of chapter 1 of Michael Nielsen's "Neural Networks and Deep Learning": layers
[inputs, 30, 10] of sigmoid neurons, weights and biases drawn from N(0, 1), the quadratic
cost C = 1/2n sum ||y(x) - a||^2 against one-hot targets, and stochastic gradient descent on
mini-batches of 10 with learning rate eta = 3.0, for 30 epochs.  The answer is the output
neuron with the highest activation.  By default it runs on the 8x8 digits bundled with
scikit-learn ([64, 30, 10]); with --mnist DIR it reads the original MNIST IDX files and runs
the book's [784, 30, 10] (about 2-3 minutes for the 30 epochs), where the book reports ~95%.

MNIST for --mnist DIR: a folder holding its four IDX files, train-images-idx3-ubyte,
train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, gzipped (.gz, as
downloaded) or not.  They are on Yann LeCun's MNIST page, http://yann.lecun.com/exdb/mnist/,
and, when that page does not answer, on the mirror torchvision downloads them from,
https://ossci-datasets.s3.amazonaws.com/mnist/ (the same names with .gz, under 12 MB in all).
The MNIST/raw folder of a torchvision download works too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import nn
from nn.optim import SGD

from .figures import figure, save

TITLE = "Nielsen's [64, 30, 10] sigmoid network on handwritten digits (or [784, 30, 10] on MNIST)"
TOPIC = "digit recognition (MNIST, [784, 30, 10], quadratic cost, mini-batch SGD)"

SEED = 0
ETA, BATCH, EPOCHS = 3.0, 10, 30  # the book's hyper-parameters


def nielsen_network(sizes: list[int], seed: int | np.random.Generator = SEED) -> nn.Sequential:
    """Sigmoid layers of the given widths with N(0, 1) weights and biases (the book's init)."""
    rng = np.random.default_rng(seed)
    layers: list[nn.Module] = []
    for nin, nout in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(nin, nout, init="normal", seed=rng), nn.Sigmoid()]
    return nn.Sequential(*layers)


def one_hot(labels: np.ndarray, classes: int = 10) -> np.ndarray:
    """Label 3 -> [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]: the output the quadratic cost aims at."""
    return np.eye(classes)[labels]


class DataError(ValueError):
    """The MNIST files could not be read (missing, unreadable, corrupt): ``python -m demos`` says
    why in one line, as for its other bad arguments."""


def load(mnist: Path | None, quick: bool) -> tuple[nn.data.Split, str]:
    """The bundled 8x8 digits, or MNIST from ``mnist`` (its first 10,000 images when quick)."""
    if mnist is None:
        return nn.data.digits(seed=SEED), "bundled 8x8 digits"
    try:
        data = nn.data.load_mnist(mnist)
    except (ValueError, OSError) as err:  # the loaders name the file and the problem
        raise DataError(str(err)) from err
    for part, images in (("training", data.X_train), ("test", data.X_test)):
        if not len(images):  # valid files of 0 images: nothing to train on or to score
            raise DataError(f"the MNIST {part} files in {mnist} hold no images")
    if quick:
        data = nn.data.Split(data.X_train[:10_000], data.y_train[:10_000], data.X_test, data.y_test)
    return data, f"MNIST from {mnist}"


def confusion(truth: np.ndarray, predicted: np.ndarray, classes: int = 10) -> np.ndarray:
    """counts[t, p]: how many digits ``t`` were read as ``p``."""
    counts = np.zeros((classes, classes), dtype=int)
    np.add.at(counts, (truth, predicted), 1)
    return counts


def run(out: Path, quick: bool = False, mnist: Path | None = None, **_: Any) -> dict:
    """Train the network, print the test score per epoch (as the book does), plot it."""
    data, source = load(mnist, quick)
    sizes = [data.X_train.shape[1], 30, 10]
    epochs = (2 if mnist else 4) if quick else EPOCHS
    net = nielsen_network(sizes)
    print(f"{source}: {len(data.X_train):,} training and {len(data.X_test):,} test images")
    print(f"network {sizes}, sigmoid, quadratic cost, mini-batch {BATCH}, eta {ETA}, {epochs} epochs\n")
    history = nn.fit(net, "quadratic", SGD(net.parameters(), lr=ETA),
                     (data.X_train, one_hot(data.y_train)), epochs=epochs,
                     test_data=(data.X_test, one_hot(data.y_test)), batch_size=BATCH, seed=SEED)
    total = len(data.X_test)
    print("after each epoch, test digits right (the book numbers its epochs from 0, the plot from 1):")
    for epoch, acc in enumerate(history.test_accuracy):
        print(f"  Epoch {epoch}: {round(acc * total)} / {total}")
    accuracy = history.test_accuracy[-1]
    print(f"\ntest accuracy after {epochs} epochs: {accuracy:.2%}"
          + ("  (the book: ~95% on MNIST)" if mnist else ""))

    name = "mnist" if mnist else "digits"
    fig = history.plot(title=f"Nielsen's network {sizes} on {source.split(' from')[0]}")
    save(fig, out / f"{name}_training.png")
    predicted = net(data.X_test).data.argmax(axis=1)
    counts = confusion(data.y_test, predicted)
    fig, ax = figure(figsize=(5, 4.4))
    ax.imshow(counts, cmap="Blues")
    for t in range(10):
        for p in range(10):
            if counts[t, p]:
                ax.text(p, t, counts[t, p], ha="center", va="center", fontsize=7,
                        color="white" if counts[t, p] > counts.max() / 2 else "black")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("network's answer")
    ax.set_ylabel("true digit")
    ax.set_title(f"test set: {accuracy:.1%} on the diagonal")
    save(fig, out / f"{name}_confusion.png")
    return {"test_accuracy": accuracy, "epochs": epochs, "sizes": sizes,
            "test_accuracy_per_epoch": list(history.test_accuracy)}
