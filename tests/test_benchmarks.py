"""The benchmark compares like with like: each library's step in benchmarks/bench_tensor.py does
the same arithmetic, so the same weights and data give the same weights after a few steps."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.torch


@pytest.fixture(scope="module")
def bench(torch):
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_tensor.py"
    spec = importlib.util.spec_from_file_location("bench_tensor", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def final_weights(bench, name, make, params, X, targets, batch):
    """The weights after three steps of ``make``'s network (numpy's are updated in place)."""
    wrap = {"numpy": bench.as_numpy, "torch": bench.as_torch}.get(name, bench.as_ours)
    step = make(params)
    data, labels = wrap(X, targets)
    for i in range(0, 3 * batch, batch):
        step(data[i:i + batch], labels[i:i + batch])
    if name == "numpy":
        return params
    return [p.data if name.startswith("ours") else p.detach().numpy() for p in step.params]


@pytest.mark.parametrize("case", ["nielsen", "relu_ce"])
def test_the_mlp_steps_of_the_three_libraries_agree(bench, case):
    sizes, lr, batch = ([784, 30, 10], 3.0, 10) if case == "nielsen" else ([784, 128, 10], 0.1, 16)
    X, y = bench.make_data(3 * batch, np.float64)
    targets = bench.one_hot(y, np.float64) if case == "nielsen" else y
    ours = getattr(bench, f"ours_{case}")
    makes = {"numpy": getattr(bench, f"numpy_{case}"), "ours": ours, "torch": getattr(bench, f"torch_{case}"),
             "ours, spelled out": lambda ps, lr: ours(ps, lr, spelled_out=True)}
    results = {name: final_weights(bench, name, lambda ps, make=make: make(ps, lr),
                                   bench.init(sizes, np.float64), X, targets, batch)
               for name, make in makes.items()}
    start = bench.init(sizes, np.float64)
    for name in ("ours", "torch", "ours, spelled out"):
        # (the layers' weights are (out, in), as nn.Linear's; the numpy network's and the spelled-out
        # network's (in, out))
        layout = bench.as_layer_weights if name != "ours, spelled out" else list
        for got, expected, first in zip(results[name], layout(results["numpy"]), layout(start)):
            assert got.shape == expected.shape and not np.array_equal(expected, first)  # every weight moved
            np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-13, err_msg=name)


@pytest.mark.parametrize("title", ["(3)", "(4)"])
def test_the_cnn_steps_of_both_libraries_agree(bench, title):
    (convs,) = [c for t, c in bench.CNNS.items() if t.startswith(title)]
    X, y = bench.make_data(3 * 8, np.float64)
    X = X.reshape(-1, 1, 28, 28)
    ours, torch_ = (final_weights(bench, lib, lambda ps, make=make: make(convs, ps, 0.05),
                                  bench.cnn_params(convs, np.float64), X, y, 8)
                    for lib, make in [("ours", bench.ours_cnn), ("torch", bench.torch_cnn)])
    start = bench.cnn_params(convs, np.float64)
    assert [w.shape for w in ours] == [w.shape for w in start]
    for got, expected, first in zip(ours, torch_, start):
        assert not np.array_equal(expected, first)
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-13)
