"""Tensor engine, side by side in one run: this engine vs PyTorch CPU vs hand-written numpy.

    python benchmarks/bench_tensor.py            # one epoch of 10,000 samples per case
    python benchmarks/bench_tensor.py --quick    # 2,000 samples
    python benchmarks/bench_tensor.py --runs 5   # the whole set 5 times, then the median ratios

One epoch of MNIST-shaped synthetic data (784 inputs, 10 classes), BLAS and PyTorch pinned to
one thread, every library doing the same arithmetic in the same dtype:
(1) Nielsen's network [784, 30, 10], sigmoid, quadratic cost, mini-batch 10, SGD eta 3.0;
(2) [784, 128, 10], ReLU, softmax cross-entropy, mini-batch 64 and 256, SGD 0.1;
(3) a small CNN on the same images as 28x28: conv 5x5 to 8 channels, ReLU, 2x2 max-pooling,
a linear layer to 10 classes, softmax cross-entropy, mini-batch 32, SGD 0.05, on 2,000 of the
samples (400 with --quick; this engine against PyTorch only: no hand-written numpy CNN);
(4) the same with two convs, 3x3 to 8 and to 16 channels, padding 1, each followed by ReLU and
2x2 max-pooling.
"Hand-written numpy" is the same network with backprop derived by hand and batched: the floor an
autograd engine can approach.  Each library computes a linear layer with its own linear
function, what its ``nn.Linear`` runs (``linear`` here, ``F.linear`` in PyTorch: ``x @ W.T + b``
with the weight stored (out, in), one graph node here), and the loss with its own loss function
(``nn.losses.quadratic`` and ``cross_entropy`` here; ``F.mse_loss`` and ``F.cross_entropy`` in
PyTorch; one graph node here).  The row "spelled out" also times this engine as a learner first
writes the network: each layer ``x @ W + b`` (two nodes, the weight stored (in, out) as in the
numpy network) and, in (1), the quadratic cost as four ops, ``((a - y)**2).sum() * (0.5/n)``.
Also reported: the fraction of numpy's matmul throughput
(the FLOPs of the step's matrix products, timed alone, with the numpy network's (in, out)
weights) each implementation reaches, the same products timed alone with (out, in) weights
through numpy and through PyTorch (which has its own BLAS), and each library's time outside
its matrix products (its step minus its own products' time alone, in its own layout).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograd import Tensor, conv2d, linear, max_pool2d  # noqa: E402
from nn.losses import cross_entropy, quadratic  # noqa: E402

try:
    import torch
    import torch.nn.functional as F  # noqa: N812 - PyTorch's own name for it
except ImportError:  # pragma: no cover
    torch = None


def make_data(n: int, dtype: type, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.random((n, 784)).astype(dtype)
    y = rng.integers(0, 10, n)
    return X, y


def init(sizes: list[int], dtype: type, seed: int = 1) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    params = []
    for nin, nout in zip(sizes, sizes[1:]):
        params += [(rng.standard_normal((nin, nout)) / np.sqrt(nin)).astype(dtype),
                   np.zeros(nout, dtype=dtype)]
    return params


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def as_layer_weights(params: list) -> list[np.ndarray]:
    """``init``'s weights, (in, out) as the numpy network holds them, in the layout of PyTorch's
    and this engine's ``nn.Linear``: (out, in), each row one output's weights."""
    return [np.ascontiguousarray(p.T) if p.ndim == 2 else p for p in params]


def sgd_step(ps: list, lr: float) -> None:
    """This engine's SGD update, as every case writes it (what ``nn.optim.SGD`` does)."""
    for p in ps:
        p.data -= lr * p.grad
        p.grad = None


def torch_sgd_step(ps: list, lr: float) -> None:
    with torch.no_grad():
        for p in ps:
            p -= lr * p.grad
            p.grad = None


# -- (1) Nielsen: sigmoid + quadratic cost --------------------------------------------------------

def numpy_nielsen(params: list, lr: float) -> Callable:
    def step(x: np.ndarray, y1h: np.ndarray) -> None:
        W1, b1, W2, b2 = params  # updated in place below
        m = len(x)
        a1 = sigmoid(x @ W1 + b1)
        a2 = sigmoid(a1 @ W2 + b2)
        d2 = (a2 - y1h) * a2 * (1 - a2) * (1.0 / m)
        d1 = (d2 @ W2.T) * a1 * (1 - a1)
        W2 -= lr * (a1.T @ d2)
        b2 -= lr * d2.sum(0)
        W1 -= lr * (x.T @ d1)
        b1 -= lr * d1.sum(0)

    return step


def ours_nielsen(params: list, lr: float, spelled_out: bool = False) -> Callable:
    ps = [Tensor(p, requires_grad=True) for p in (params if spelled_out else as_layer_weights(params))]
    W1, b1, W2, b2 = ps

    def step(x: Tensor, y1h: Tensor) -> None:
        if spelled_out:  # as a learner first writes it: @ and + a layer, the loss in four ops
            a2 = ((x @ W1 + b1).sigmoid() @ W2 + b2).sigmoid()
            loss = ((a2 - y1h) ** 2).sum() * (0.5 / len(x))
        else:  # the library's layer and loss: one node each, as torch's F.linear and mse_loss
            a2 = linear(linear(x, W1, b1).sigmoid(), W2, b2).sigmoid()
            loss = quadratic(a2, y1h)
        loss.backward()
        sgd_step(ps, lr)

    step.params = ps  # (what the tests compare after a few steps)
    return step


def torch_nielsen(params: list, lr: float) -> Callable:
    ps = [torch.tensor(p, requires_grad=True) for p in as_layer_weights(params)]
    W1, b1, W2, b2 = ps

    def step(x: torch.Tensor, y1h: torch.Tensor) -> None:
        a2 = torch.sigmoid(F.linear(torch.sigmoid(F.linear(x, W1, b1)), W2, b2))
        loss = F.mse_loss(a2, y1h, reduction="sum") * (0.5 / len(x))
        loss.backward()
        torch_sgd_step(ps, lr)

    step.params = ps  # (what the tests compare after a few steps)
    return step


# -- (2) ReLU + softmax cross-entropy -------------------------------------------------------------

def numpy_relu_ce(params: list, lr: float) -> Callable:
    def step(x: np.ndarray, y: np.ndarray) -> None:
        W1, b1, W2, b2 = params  # updated in place below
        m = len(x)
        z1 = x @ W1 + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2 + b2
        e = np.exp(z2 - z2.max(1, keepdims=True))
        d2 = e / e.sum(1, keepdims=True)
        d2[np.arange(m), y] -= 1
        d2 *= 1.0 / m
        d1 = (d2 @ W2.T) * (z1 > 0)
        W2 -= lr * (a1.T @ d2)
        b2 -= lr * d2.sum(0)
        W1 -= lr * (x.T @ d1)
        b1 -= lr * d1.sum(0)

    return step


def ours_relu_ce(params: list, lr: float, spelled_out: bool = False) -> Callable:
    ps = [Tensor(p, requires_grad=True) for p in (params if spelled_out else as_layer_weights(params))]
    W1, b1, W2, b2 = ps

    def step(x: Tensor, y: np.ndarray) -> None:
        if spelled_out:  # @ and + a layer
            logits = (x @ W1 + b1).relu() @ W2 + b2
        else:  # one node a layer, as torch's F.linear
            logits = linear(linear(x, W1, b1).relu(), W2, b2)
        loss = cross_entropy(logits, y)  # one op, as torch's F.cross_entropy
        loss.backward()
        sgd_step(ps, lr)

    step.params = ps  # (what the tests compare after a few steps)
    return step


def torch_relu_ce(params: list, lr: float) -> Callable:
    ps = [torch.tensor(p, requires_grad=True) for p in as_layer_weights(params)]
    W1, b1, W2, b2 = ps

    def step(x: torch.Tensor, y: torch.Tensor) -> None:
        logits = F.linear(torch.relu(F.linear(x, W1, b1)), W2, b2)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        torch_sgd_step(ps, lr)

    step.params = ps  # (what the tests compare after a few steps)
    return step


# -- (3), (4) small CNNs: convolution and pooling ---------------------------------------------------
# A CNN is its conv layers, each (weight shape, padding) and followed by ReLU and 2x2 max-pooling,
# then a linear layer to 10 classes.

CNNS = {
    "(3) CNN conv 5x5 x8, ReLU, max-pool 2, linear 10": [((8, 1, 5, 5), 0)],  # 28 -> 24 -> 12
    "(4) CNN two convs 3x3 x8, x16 (padding 1), each ReLU, max-pool 2; linear 10":
        [((8, 1, 3, 3), 1), ((16, 8, 3, 3), 1)],  # 28 -> 28 -> 14 -> 14 -> 7: the second conv's input
}                                                 # needs a gradient (Fold), the first's does not


def cnn_params(convs: list, dtype: type, seed: int = 2) -> list[np.ndarray]:
    """Each conv's weight and bias, then the linear layer's (10, features) and bias."""
    side = 28
    for weight, padding in convs:  # each conv (stride 1), then a pooling that halves
        side = (side + 2 * padding - weight[-1] + 1) // 2
    shapes = [s for (w, _) in convs for s in (w, w[:1])] + [(10, convs[-1][0][0] * side * side), (10,)]
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(s) * 0.1).astype(dtype) for s in shapes]


def ours_cnn(convs: list, params: list, lr: float) -> Callable:
    ps = [Tensor(p, requires_grad=True) for p in params]

    def step(x: Tensor, y: np.ndarray) -> None:
        h = x
        for i, (_, padding) in enumerate(convs):
            h = max_pool2d(conv2d(h, ps[2 * i], ps[2 * i + 1], padding=padding).relu(), 2)
        loss = cross_entropy(linear(h.reshape(h.shape[0], -1), ps[-2], ps[-1]), y)
        loss.backward()
        sgd_step(ps, lr)

    step.params = ps  # (what the tests compare after a few steps)
    return step


def torch_cnn(convs: list, params: list, lr: float) -> Callable:
    ps = [torch.tensor(p, requires_grad=True) for p in params]

    def step(x: torch.Tensor, y: torch.Tensor) -> None:
        h = x
        for i, (_, padding) in enumerate(convs):
            h = F.max_pool2d(torch.relu(F.conv2d(h, ps[2 * i], ps[2 * i + 1], padding=padding)), 2)
        loss = F.cross_entropy(F.linear(h.reshape(h.shape[0], -1), ps[-2], ps[-1]), y)
        loss.backward()
        torch_sgd_step(ps, lr)

    step.params = ps  # (what the tests compare after a few steps)
    return step


def run_cnn(title: str, dtype: type, n: int, repeats: int, batch: int = 32) -> dict[str, float]:
    """(3), (4): this engine's CNN step against PyTorch's (same weights, data, dtype, one thread)."""
    convs = CNNS[title]
    X, y = make_data(n, dtype)
    X = X.reshape(-1, 1, 28, 28)
    impls = {"autograd (this)": (ours_cnn, as_ours)}
    if torch is not None:
        impls["PyTorch"] = (torch_cnn, as_torch)
    times = dict.fromkeys(impls, float("inf"))
    for _ in range(repeats):  # interleaved, as the other cases
        for name, (make, wrap) in impls.items():
            step = make(convs, cnn_params(convs, dtype), 0.05)
            times[name] = min(times[name], epoch_time(step, *wrap(X, y), batch))
    steps = len(range(0, n, batch))  # (the last batch may be smaller)
    print(f"\n{title}: {np.dtype(dtype).name}, batch {batch}, {n} samples ({steps} steps)")
    ours = times["autograd (this)"]
    for name, t in times.items():
        extra = f"   {t / ours:.2f}x this engine's time" if name != "autograd (this)" else ""
        print(f"  {name:<18}{t * 1e6 / steps:9.0f} us/step{extra}")
    return {"PyTorch / this": times["PyTorch"] / ours} if "PyTorch" in times else {}


# -- the data, as each library holds it -----------------------------------------------------------
# Each library gets the dataset once, before the clock starts, the way a training script loads
# it: Tensor(X) checks it for nan once, and every batch is then a slice of it (a constant: no
# graph, no copy, no second check).  Class labels stay integer arrays for this engine.

def as_numpy(X: np.ndarray, targets: np.ndarray) -> tuple:
    return X, targets


def as_ours(X: np.ndarray, targets: np.ndarray) -> tuple:
    return Tensor(X), (Tensor(targets) if targets.dtype.kind == "f" else targets)


def as_torch(X: np.ndarray, targets: np.ndarray) -> tuple:
    return torch.from_numpy(X), torch.from_numpy(targets)


# -- timing ---------------------------------------------------------------------------------------

def epoch_time(step: Callable, X: Any, targets: Any, batch: int) -> float:
    t0 = time.perf_counter()
    for i in range(0, len(X), batch):
        step(X[i:i + batch], targets[i:i + batch])
    return time.perf_counter() - t0


def matmul_floor(sizes: list[int], batch: int, steps: int, dtype: type,
                 wrap: Callable = np.asarray, layers: bool = False) -> float:
    """Seconds one library needs for just the matrix products of `steps` training steps: numpy's,
    or, with ``wrap=torch.from_numpy``, PyTorch's (its own BLAS); with the weights (in, out), as
    the numpy network holds them, or with ``layers``, (out, in), as the linear functions take
    them (BLAS is not equally fast at both)."""
    rng = np.random.default_rng(0)
    x = wrap(rng.random((batch, sizes[0])).astype(dtype))
    Ws = [wrap(rng.random((b, a) if layers else (a, b)).astype(dtype)) for a, b in zip(sizes, sizes[1:])]
    acts = [x]
    for W in Ws:
        acts.append(acts[-1] @ (W.T if layers else W))
    t0 = time.perf_counter()
    for _ in range(steps):
        for i, W in enumerate(Ws):
            if layers:
                out = acts[i] @ W.T  # forward
                out.T @ acts[i]  # weight gradient
                if i:
                    out @ W  # gradient of the layer's input
            else:
                out = acts[i] @ W
                acts[i].T @ out
                if i:
                    out @ W.T
    return time.perf_counter() - t0


def run_case(title: str, sizes: list[int], batch: int, dtype: type, n: int, repeats: int,
             impls: dict, targets_of: Callable, lr: float) -> dict[str, float]:
    """Print one case's table; return its ratios: this engine's time / numpy's, PyTorch's / this
    engine's, and how the two libraries' matrix products and the rest of their steps compare."""
    X, y = make_data(n, dtype)
    targets = targets_of(y, dtype)
    steps = len(range(0, n, batch))  # (the last batch may be smaller)
    # the matrix products alone, through each library's BLAS, in the layout each implementation uses
    wraps = {"numpy": (np.asarray, False), "numpy, (out, in)": (np.asarray, True)}
    if "PyTorch" in impls:
        wraps["PyTorch"] = (torch.from_numpy, True)
    products_of = {"numpy, by hand": "numpy", "  spelled out": "numpy", "autograd (this)": "numpy, (out, in)",
                   "PyTorch": "PyTorch"}
    floors = dict.fromkeys(wraps, float("inf"))
    times = dict.fromkeys(impls, float("inf"))
    for _ in range(repeats):  # interleaved, so a slow spell of the machine hits every library
        for lib in floors:
            floors[lib] = min(floors[lib], matmul_floor(sizes, batch, steps, dtype, *wraps[lib]))
        for name, (make, wrap) in impls.items():
            step = make(init(sizes, dtype), lr)
            times[name] = min(times[name], epoch_time(step, *wrap(X, targets), batch))
    print(f"\n{title}: {np.dtype(dtype).name}, batch {batch}, {n} samples ({steps} steps)")
    print("  matrix products alone: " + ", ".join(f"{lib} {t * 1e6 / steps:.0f} us/step"
                                                  for lib, t in floors.items()))
    base = times["numpy, by hand"]
    outside = {name: t - floors[products_of[name]] for name, t in times.items()}
    for name, t in times.items():
        extra = ""
        if name == "autograd (this)" and "PyTorch" in times:
            extra = f"   PyTorch is {times['PyTorch'] / t:.2f}x this engine's time"
        print(f"  {name:<18}{t * 1e6 / steps:9.0f} us/step  {t / base:5.2f}x numpy  "
              f"matmul share {floors['numpy'] / t:5.0%}  "
              f"outside products {outside[name] * 1e6 / steps:6.0f} us{extra}")
    ours = times["autograd (this)"]
    ratios = {"this / numpy": ours / base}
    if "PyTorch" in times:
        ratios["PyTorch / this"] = times["PyTorch"] / ours
        ratios["products, PyTorch / numpy"] = floors["PyTorch"] / floors["numpy, (out, in)"]  # (same layout)
        ratios["outside products, PyTorch / this"] = outside["PyTorch"] / outside["autograd (this)"]
    return ratios


def summarize(results: list[dict]) -> None:
    """Median and range over runs of each case's ratios: the machine's slow and fast spells
    move the libraries differently, so one run can land on either side of a target."""
    print(f"\nOver {len(results)} runs: median (lowest-highest)")
    for case in results[0]:
        print(f"  {case}")
        for ratio in results[0][case]:
            values = [run[case][ratio] for run in results]
            print(f"    {ratio:<34}{np.median(values):5.2f}x ({min(values):.2f}-{max(values):.2f})")


def one_hot(y: np.ndarray, dtype: type) -> np.ndarray:
    return np.eye(10, dtype=dtype)[y]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 samples (400 for the CNNs), two repeats")
    parser.add_argument("--runs", type=int, default=1, metavar="N",
                        help="run the whole set N times, then print the median of each ratio")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    n, repeats = (2_000, 2) if args.quick else (10_000, 5)
    if torch is not None:
        torch.set_num_threads(1)
    nielsen = {"numpy, by hand": (numpy_nielsen, as_numpy), "autograd (this)": (ours_nielsen, as_ours),
               "  spelled out": (lambda params, lr: ours_nielsen(params, lr, spelled_out=True), as_ours)}
    relu_ce = {"numpy, by hand": (numpy_relu_ce, as_numpy), "autograd (this)": (ours_relu_ce, as_ours),
               "  spelled out": (lambda params, lr: ours_relu_ce(params, lr, spelled_out=True), as_ours)}
    if torch is not None:
        nielsen["PyTorch"] = (torch_nielsen, as_torch)
        relu_ce["PyTorch"] = (torch_relu_ce, as_torch)
    results = []
    with threadpool_limits(limits=1):
        for _ in range(args.runs):
            run = {}
            for dtype in (np.float64, np.float32):
                run[f"(1) {np.dtype(dtype).name}"] = run_case(
                    "(1) Nielsen [784, 30, 10] sigmoid, quadratic cost, SGD 3.0", [784, 30, 10], 10,
                    dtype, n, repeats, nielsen, one_hot, 3.0)
            for batch in (64, 256):
                for dtype in (np.float64, np.float32):
                    run[f"(2) {np.dtype(dtype).name}, batch {batch}"] = run_case(
                        "(2) [784, 128, 10] ReLU, softmax cross-entropy, SGD 0.1", [784, 128, 10],
                        batch, dtype, n, repeats, relu_ce, lambda y, dt: y, 0.1)
            for title in CNNS:
                for dtype in (np.float64, np.float32):
                    run[f"{title[:3]} CNN {np.dtype(dtype).name}"] = run_cnn(title, dtype, n // 5, repeats)
            results.append(run)
    if args.runs > 1:
        summarize(results)


if __name__ == "__main__":
    main()
