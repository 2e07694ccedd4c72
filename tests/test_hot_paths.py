"""The shortcuts of the training loop's hot path give the same results as the long way round.

Each shortcut here exists for speed (see benchmarks/README.md); these tests pin down that it
changes no number and no behaviour a user can see, except where said.
"""

import numpy as np
import pytest

from autograd import Backprop, Tensor
from autograd.graph import propagate, run_pass, start_pass
from nn.losses import cross_entropy, mse, quadratic

DTYPES = [np.float16, np.float32, np.float64]
RTOL = {np.float16: 2e-3, np.float32: 1e-6, np.float64: 1e-15}


def test_each_backward_seeds_its_root_with_a_fresh_writable_one():
    """A root's .grad is its own array: changing it in place touches no other pass."""
    x = Tensor([1.0, 2.0], requires_grad=True)
    first = (x * 2.0).sum()
    first.backward()
    second = (x * 3.0).sum()
    second.backward()
    assert first.grad is not second.grad and second.grad.flags.writeable
    second.grad += 1  # a learner may poke at it
    np.testing.assert_array_equal(x.grad, [5.0, 5.0])
    third = (x * 1.0).sum()
    third.backward()
    assert third.grad == 1.0
    np.testing.assert_array_equal(x.grad, [6.0, 6.0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_a_leaf_root_gets_its_own_writable_gradient(dtype):
    x = Tensor(np.array(2.0, dtype=dtype), requires_grad=True)
    x.backward()
    assert x.grad == 1.0 and x.grad.dtype == dtype
    assert x.grad.flags.writeable
    x.grad *= 0  # an optimizer may change a leaf's gradient in place
    y = (x * 1.0).sum()
    y.backward()
    assert y.grad == 1.0  # the shared seed did not change


def test_an_intermediate_handed_the_seed_reads_it_and_later_passes_add_up():
    a = Tensor([1.0, -2.0], requires_grad=True)
    p, q = (a * 2.0).sum(), (a * 3.0).sum()
    root = p + q  # + hands the seed to both terms unchanged
    root.backward()
    assert p.grad == 1.0 and q.grad == 1.0
    root.backward()  # a second pass restarts intermediates and accumulates into the leaf
    assert p.grad == 1.0
    np.testing.assert_array_equal(a.grad, [10.0, 10.0])


def test_slicing_data_gives_a_constant_view_with_no_graph():
    data = np.arange(12.0).reshape(6, 2)
    X = Tensor(data)
    batch = X[2:4]
    assert batch.parents == () and not batch.requires_grad and batch.op == ""
    assert np.shares_memory(batch.data, data)  # a view: no copy per batch
    np.testing.assert_array_equal(batch.data, data[2:4])
    w = Tensor(data, requires_grad=True)
    rows = w[2:4]  # a parameter's slice is a graph node, with a gradient
    rows.sum().backward()
    np.testing.assert_array_equal(w.grad, np.repeat([[0.0], [0.0], [1.0], [1.0], [0.0], [0.0]], 2, 1))


def test_an_integer_index_still_gives_a_0d_tensor_and_a_bad_slice_a_clear_error():
    t = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    e = t[1, 0]
    assert isinstance(e.data, np.ndarray) and e.shape == () and e.item() == 3.0
    with pytest.raises(IndexError, match=r"shape \(\)"):
        Tensor(3.0)[1:]


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_of_a_0d_tensor_keeps_its_dtype_and_matches_the_formula(dtype):
    x = Tensor(np.array(-1.5, dtype=dtype), requires_grad=True)
    s = x.sigmoid()
    assert isinstance(s.data, np.ndarray) and s.shape == () and s.dtype == dtype
    expected = 1 / (1 + np.exp(np.array(1.5, dtype=dtype)))
    assert s.item() == pytest.approx(float(expected), rel=RTOL[dtype])
    s.backward()
    assert x.grad.dtype == dtype
    assert float(x.grad) == pytest.approx(float(s.data * (1 - s.data)), rel=RTOL[dtype])


@pytest.mark.parametrize("loss", [quadratic, mse])
@pytest.mark.parametrize("dtype", DTYPES)
def test_a_squared_error_scaled_by_an_explicit_gradient(loss, dtype):
    """backward(gradient=g) on a loss: every gradient is g times the seeded one, in the dtype."""
    rng = np.random.default_rng(0)
    a = Tensor(rng.random((4, 3)).astype(dtype), requires_grad=True)
    y = rng.random((4, 3)).astype(dtype)
    loss(a, y).backward()
    once = a.grad.copy()
    a.grad = None
    loss(a, y).backward(np.array(2.5, dtype=dtype))
    assert a.grad.dtype == dtype
    np.testing.assert_allclose(a.grad, once * 2.5, rtol=RTOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_gradient_keeps_the_logits_dtype_and_scales_with_the_gradient(dtype):
    rng = np.random.default_rng(1)
    z = Tensor(rng.standard_normal((5, 4)).astype(dtype), requires_grad=True)
    labels = np.array([0, 3, 1, 1, 2])
    cross_entropy(z, labels).backward(np.array(3.0, dtype=dtype))
    assert z.grad.dtype == dtype
    x = z.data.astype(np.float64)
    softmax = np.exp(x - x.max(1, keepdims=True))
    softmax /= softmax.sum(1, keepdims=True)
    expected = (softmax - np.eye(4)[labels]) * 3.0 / 5
    np.testing.assert_allclose(z.grad, expected, atol=2e-3 if dtype == np.float16 else 1e-6)


def test_propagate_is_one_step_of_run_pass():
    """The stepper's single step and backward's loop are one implementation: same gradients."""
    rng = np.random.default_rng(2)
    W = Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    x = Tensor(rng.standard_normal((4, 3)))
    loss = quadratic((x @ W).sigmoid(), np.ones((4, 2)))
    nodes = start_pass(loss)
    sent = [propagate(n) for n in nodes]
    by_steps = W.grad.copy()
    assert [len(s) for s in sent] == [len(n.parents) for n in nodes]
    W.grad = None
    last = run_pass(start_pass(loss))  # what the last node (x @ W) sent: nothing to x, dW to W
    assert last[0] is None and sent[-1][0] is None
    np.testing.assert_array_equal(last[1], sent[-1][1])
    np.testing.assert_array_equal(W.grad, by_steps)
    W.grad = None
    Backprop(loss).run()
    np.testing.assert_array_equal(W.grad, by_steps)
