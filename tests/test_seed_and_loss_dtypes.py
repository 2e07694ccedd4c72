"""A create_graph seed a leaf keeps is its own array; fused losses keep the prediction's dtype."""

import numpy as np
import pytest

from autograd import Tensor
from nn.losses import cross_entropy, mse, quadratic


@pytest.mark.parametrize("root", ["leaf", "passed_through"])
def test_create_graph_leaf_grad_does_not_share_the_cached_seed(root):
    """With create_graph=True the seed becomes a constant Tensor that a leaf keeps as its .grad
    (directly, or handed on by +): that Tensor must not hold the cached read-only 1, or an
    in-place change of the leaf's gradient fails (and every pass would share one array)."""
    x = Tensor(2.0, requires_grad=True)
    y = x if root == "leaf" else x + 0.0
    y.backward(create_graph=True)
    assert x.grad.data.flags.writeable
    x.grad.data[...] = 0.0  # zero it in place, as torch's x.grad.zero_()
    z = Tensor(5.0, requires_grad=True)
    (z * 3.0).backward()
    assert z.grad == 3.0  # later seeds are still 1


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_fused_losses_keep_the_prediction_dtype(dtype):
    """mse, quadratic and cross_entropy of float32 logits are float32 (as torch's), also under
    numpy 1.x, where a float32 scalar divided by an int is a float64 (no NEP 50): the forward
    must cast its mean back, as it did before the hot-path change."""
    rng = np.random.default_rng(0)
    z = Tensor(rng.normal(size=(4, 3)).astype(dtype), requires_grad=True)
    target = rng.normal(size=(4, 3)).astype(dtype)
    for loss in (mse(z, target), quadratic(z, target), cross_entropy(z, [0, 2, 1, 0])):
        assert loss.dtype == dtype
        assert loss.data.shape == ()
        z.grad = None
        loss.backward()
        assert z.grad.dtype == dtype
