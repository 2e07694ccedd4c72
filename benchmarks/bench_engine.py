"""Scalar engine, side by side in one run: this engine vs micrograd (and PyTorch, if installed).

    python benchmarks/bench_engine.py            # full run (about a minute)
    python benchmarks/bench_engine.py --quick    # smaller sizes

(1) One training step (forward, backward, SGD update) of a 2-16-16-1 ReLU MLP on 100
    two-dimensional samples with micrograd's max-margin loss + L2, as in micrograd's demo.
(2) backward() through a chain of relu nodes of 1e3 ... 1e6 nodes.
(3) Bytes per graph node of the step-(1) graph (tracemalloc).
Prints times and ratios; every library runs the same work in this one process.
Objects made by the imports are frozen out of the garbage collector's reach first, so no
library pays for another's heap (``--no-freeze`` to skip that).
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.setrecursionlimit(10_000)  # micrograd's topological sort recurses; give it a fair chance

from autograd import Value  # noqa: E402

try:
    from micrograd.engine import Value as MicroValue
except ImportError:  # pragma: no cover
    MicroValue = None
try:
    import torch
except ImportError:  # pragma: no cover
    torch = None


# -- a tiny MLP written once against the shared Value-like interface ----------------------------

def make_mlp(V: type, sizes: list[int], seed: int = 1337) -> list:
    rng = random.Random(seed)
    layers = []
    for nin, nout in zip(sizes, sizes[1:]):
        layers.append([([V(rng.uniform(-1, 1)) for _ in range(nin)], V(0.0)) for _ in range(nout)])
    return layers


def forward(layers: list, x: list, relu: Callable) -> object:
    for i, layer in enumerate(layers):
        last = i == len(layers) - 1
        out = []
        for w, b in layer:
            act = sum((wi * xi for wi, xi in zip(w, x)), b)
            out.append(act if last else relu(act))
        x = out
    return x[0]


def parameters(layers: list) -> list:
    return [p for layer in layers for w, b in layer for p in (*w, b)]


def make_data(n: int = 100, seed: int = 0) -> tuple[list, list]:
    rng = random.Random(seed)
    X = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(n)]
    y = [1.0 if a * b > 0 else -1.0 for a, b in X]
    return X, y


def train_step(layers: list, X: list, y: list, relu: Callable, lr: float = 0.05) -> object:
    params = parameters(layers)
    scores = [forward(layers, x, relu) for x in X]
    losses = [relu(1 + -yi * si) for yi, si in zip(y, scores)]
    loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in params)
    for p in params:
        p.grad = 0.0
    loss.backward()
    for p in params:
        p.data -= lr * p.grad
    return loss


def count_nodes(root: object) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        for p in getattr(node, "parents", None) or getattr(node, "_prev", ()):
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return len(seen)


def best_of(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


# -- the three measurements ------------------------------------------------------------------

def bench_mlp(repeats: int) -> dict:
    X, y = make_data()
    libs = {"autograd (this)": (Value, lambda v: v.relu())}
    if MicroValue is not None:
        libs["micrograd 0.1.0"] = (MicroValue, lambda v: v.relu())
        libs["micrograd, gc off"] = (MicroValue, lambda v: v.relu())
    results = {}
    nodes = count_nodes(train_step(make_mlp(Value, [2, 16, 16, 1]), X, y, lambda v: v.relu()))
    for name, (V, relu) in libs.items():
        layers = make_mlp(V, [2, 16, 16, 1])
        gc_off = name.endswith("gc off")
        if gc_off:
            gc.disable()
        try:
            results[name] = best_of(lambda L=layers, r=relu: train_step(L, X, y, r), repeats)
        finally:
            gc.enable()
    if torch is not None:
        torch.set_num_threads(1)
        T = lambda v: torch.tensor(float(v), dtype=torch.float64, requires_grad=True)  # noqa: E731
        layers = make_mlp(T, [2, 16, 16, 1])

        def torch_step() -> None:
            params = parameters(layers)
            scores = [forward(layers, x, torch.relu) for x in X]
            losses = [torch.relu(1 + -yi * si) for yi, si in zip(y, scores)]
            loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in params)
            for p in params:
                p.grad = None
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p -= 0.05 * p.grad

        results["PyTorch, 0-d tensors"] = best_of(torch_step, repeats)
    print(f"\n(1) one training step, 2-16-16-1 ReLU MLP, 100 samples, max-margin loss "
          f"({nodes} graph nodes), best of {repeats}")
    ours = results["autograd (this)"]
    for name, t in results.items():
        print(f"  {name:<22}{t * 1e3:9.1f} ms  {t / nodes * 1e6:6.2f} us/node  "
              f"{t / ours:6.2f}x this engine's time")
    return results


def relu_chain(V: type, n: int) -> object:
    v = V(1.0)
    for _ in range(n):
        v = v.relu()
    return v


def bench_chain(sizes: list[int]) -> None:
    print("\n(2) backward() through a chain of n relu nodes (build time excluded)")
    heads = ("n", "this", "us/node", "micrograd", "PyTorch", "PyTorch/this")
    print("  " + "  ".join(f"{h:>{w}}" for h, w in zip(heads, (9, 10, 8, 12, 10, 12))))
    for n in sizes:
        root = relu_chain(Value, n)
        t0 = time.perf_counter()
        root.backward()
        ours = time.perf_counter() - t0
        del root
        micro = "-"
        if MicroValue is not None:
            mroot = relu_chain(MicroValue, n)
            try:
                t0 = time.perf_counter()
                mroot.backward()
                micro = f"{time.perf_counter() - t0:.3f} s"
            except RecursionError:
                micro = "RecursionError"
            del mroot
        torch_s, ratio = "-", "-"
        if torch is not None:
            troot = relu_chain(lambda x: torch.tensor(x, dtype=torch.float64, requires_grad=True), n)
            t0 = time.perf_counter()
            troot.backward()
            tt = time.perf_counter() - t0
            torch_s, ratio = f"{tt:.3f} s", f"{tt / ours:.1f}x"
            del troot
        gc.collect()
        print(f"  {n:>9}  {ours:>8.3f} s  {ours / n * 1e6:8.2f}  {micro:>12}  {torch_s:>10}  {ratio:>12}")


def bench_memory() -> None:
    X, y = make_data()
    print("\n(3) bytes per graph node: the forward pass of (1), 100 samples, no loss (tracemalloc)")
    libs = {"autograd (this)": Value}
    if MicroValue is not None:
        libs["micrograd 0.1.0"] = MicroValue
    for name, V in libs.items():
        layers = make_mlp(V, [2, 16, 16, 1])
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        scores = [forward(layers, x, lambda v: v.relu()) for x in X]
        loss = sum(scores)
        used = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        nodes = count_nodes(loss) - len(parameters(layers))
        print(f"  {name:<22}{used / nodes:8.0f} bytes/node  ({nodes} new nodes)")
        del scores, loss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, best of 2")
    parser.add_argument("--no-freeze", action="store_true",
                        help="leave import-time objects to the garbage collector (see README)")
    args = parser.parse_args()
    if not args.no_freeze:
        # Every library here runs in one process that has also imported the others (PyTorch
        # alone brings ~150k objects).  Freezing what the imports made keeps each library from
        # paying, in every full garbage collection, to rescan the other libraries' objects.
        gc.collect()
        gc.freeze()
    bench_mlp(repeats=2 if args.quick else 5)
    bench_chain([1_000, 10_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000])
    bench_memory()


if __name__ == "__main__":
    main()
