"""Losses on an empty batch, and Value targets that are nodes (they get gradients, as in torch)."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, Value, gradcheck
from nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge,
)

# -- an empty batch is a clear error, not nan (forward) and ZeroDivisionError (backward) ------------


@pytest.mark.parametrize(
    "loss, shape, target",
    [
        (cross_entropy, (0, 3), np.zeros(0, dtype=np.int64)),  # labels
        (cross_entropy, (0, 3), []),
        (cross_entropy, (0, 3), np.zeros((0, 3))),  # class probabilities
        (cross_entropy, (0,), []),  # one sample with no classes
        (cross_entropy, (2, 0), [0, 0]),  # two samples with no classes
        (binary_cross_entropy, (0, 3), np.zeros((0, 3))),
        (binary_cross_entropy_with_logits, (0, 3), np.zeros((0, 3))),
        (hinge, (0, 3), np.zeros((0, 3))),
    ],
)
def test_a_tensor_loss_of_an_empty_batch_is_a_clear_error(loss, shape, target):
    logits = Tensor(np.zeros(shape), requires_grad=True)
    pattern = rf"{loss.__name__}: a loss needs at least one prediction, got shape \({shape[0]}, ?"
    with pytest.raises(ValueError, match=pattern):
        loss(logits, target)


@pytest.mark.parametrize(
    "loss, pred, target",
    [
        (cross_entropy, [], []),
        (cross_entropy, [[]], [0]),
        (binary_cross_entropy, [], []),
        (binary_cross_entropy_with_logits, [], []),
        (hinge, [], []),
    ],
)
def test_a_value_loss_of_an_empty_list_is_a_clear_error(loss, pred, target):
    with pytest.raises(ValueError, match="at least one prediction"):
        loss(pred, target)


# -- Value targets that are nodes stay in the graph ----------------------------------------------

PROBS = [0.8, 0.3, 0.6, 0.05]
SOFT = [1.0, 0.2, 0.5, 0.0]
SCORES = [2.0, 0.5, 0.5, -0.25]
SIGNS = [1.0, 1.0, -1.0, -1.0]


def _value_grads(loss, pred, target):
    p, t = [Value(a) for a in pred], [Value(a) for a in target]
    out = loss(p, t)
    out.backward()
    return out.data, [v.grad for v in p], [v.grad for v in t]


def _torch_grads(torch, fn, pred, target):
    p = torch.tensor(pred, requires_grad=True)
    t = torch.tensor(target, requires_grad=True)
    out = fn(p, t)
    out.backward()
    return out.item(), p.grad.tolist(), t.grad.tolist()


def _same(ours, theirs):
    assert ours[0] == pytest.approx(theirs[0], rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-10, atol=1e-12)


@pytest.mark.torch
def test_binary_cross_entropy_gives_a_value_target_its_gradient_as_torch(torch):
    F = torch.nn.functional
    want = _torch_grads(torch, F.binary_cross_entropy, PROBS, SOFT)
    assert any(g != 0 for g in want[2])  # torch does differentiate with respect to the target
    _same(_value_grads(binary_cross_entropy, PROBS, SOFT), want)


@pytest.mark.torch
def test_binary_cross_entropy_with_logits_gives_a_value_target_its_gradient_as_torch(torch):
    F = torch.nn.functional
    want = _torch_grads(torch, F.binary_cross_entropy_with_logits, SCORES, SOFT)
    _same(_value_grads(binary_cross_entropy_with_logits, SCORES, SOFT), want)


@pytest.mark.torch
def test_hinge_gives_a_value_target_its_gradient_as_torch(torch):
    # torch has no loss of this name: the oracle is the same formula spelled out in torch,
    # d/dy relu(1 - y s) = -s where 1 - y s > 0, else 0 (averaged over the samples)
    want = _torch_grads(torch, lambda s, y: torch.relu(1 - y * s).mean(), SCORES, SIGNS)
    assert want[2] == pytest.approx([0.0, -0.125, -0.125, 0.0625])  # by hand: -s / 4 where active
    _same(_value_grads(hinge, SCORES, SIGNS), want)


def test_value_targets_pass_gradcheck_and_numbers_mix_with_them():
    assert gradcheck(lambda p, y: binary_cross_entropy([p, Value(0.4)], [y, 1.0]), 0.7, 0.3)
    assert gradcheck(lambda z, y: binary_cross_entropy_with_logits([z, Value(0.4)], [y, 1]), -0.7, 0.3)
    # (hinge is not gradchecked in y: its labels must be exactly -1 or +1, so y +- eps is refused)
    # one Value prediction with one Value target
    y = Value(0.25)
    binary_cross_entropy(Value(0.5), y).backward()
    assert y.grad == pytest.approx(0.0)  # -(log 0.5 - log 0.5)
    y = Value(1.0)
    hinge(Value(0.25), y).backward()
    assert y.grad == -0.25


def test_hinge_still_checks_the_labels_of_value_targets():
    with pytest.raises(ValueError, match=r"2 \* y - 1"):
        hinge([Value(1.0), Value(2.0)], [Value(0.0), Value(1.0)])


def test_plain_number_targets_give_the_same_loss_as_value_targets():
    for loss, pred, target in [(binary_cross_entropy, PROBS, SOFT),
                               (binary_cross_entropy_with_logits, SCORES, SOFT),
                               (hinge, SCORES, SIGNS)]:
        by_value = _value_grads(loss, pred, target)
        p = [Value(a) for a in pred]
        out = loss(p, target)
        out.backward()
        assert out.data == by_value[0]
        assert [v.grad for v in p] == by_value[1]


@pytest.mark.torch
@pytest.mark.parametrize("name", ["bce", "hinge"])
def test_tensor_bce_and_hinge_give_a_target_that_requires_grad_its_gradient_as_torch(torch, name):
    # the target was read as an array: its .grad stayed None
    F = torch.nn.functional
    loss, theirs, pred, target = {
        "bce": (binary_cross_entropy, F.binary_cross_entropy, PROBS, SOFT),
        "hinge": (hinge, lambda s, y: torch.relu(1 - y * s).mean(), SCORES, SIGNS),
    }[name]
    want = _torch_grads(torch, theirs, pred, target)
    p, t = Tensor(pred, requires_grad=True), Tensor(target, requires_grad=True)
    out = loss(p, t)
    out.backward()
    _same((out.item(), p.grad, t.grad), want)


def test_binary_cross_entropy_target_gradient_where_a_log_is_clamped():
    """Where log p is clamped at -100 (p = 0 here) the target's gradient is the derivative of the
    clamped loss, -(-100 - log(1 - p)) / n, for Values and Tensors alike (torch gives inf)."""
    y = Value(0.3)
    binary_cross_entropy([Value(0.0)], [y]).backward()
    assert y.grad == 100.0
    t = Tensor([0.3], requires_grad=True)
    binary_cross_entropy(Tensor([0.0]), t).backward()
    np.testing.assert_array_equal(t.grad, [100.0])


@pytest.mark.parametrize("target, message", [  # they gave a loss of -1.7, any loss, "3 samples but 9 labels"
    (-np.eye(2)[[0, 1, 0]], r"probability targets must be in \[0, 1\]; row 0 is \[-1\.0, -0\.0\]"),
    (np.full((3, 2), 0.4), r"probability targets must sum to 1 in each row; row 0 sums to 0\.8"),
    (np.eye(3)[[0, 1, 2]], r"targets of shape \(3, 3\) do not fit logits of shape \(3, 2\)"),
])
def test_cross_entropy_refuses_targets_that_are_not_probability_rows_of_the_logits(target, message):
    logits = Tensor(np.zeros((3, 2)), requires_grad=True)
    with pytest.raises(ValueError, match=message):
        cross_entropy(logits, target)
    if target.shape == (3, 2):  # the scalar form checks the same
        with pytest.raises(ValueError, match=message.split(";")[0]):
            cross_entropy([[Value(0.0), Value(0.0)] for _ in range(3)], target)
    smoothed = np.full((3, 2), 0.05) + 0.9 * np.eye(2)[[0, 1, 0]]  # label smoothing: rows sum to 1
    assert np.isfinite(cross_entropy(logits, smoothed).item())


def test_value_cross_entropy_takes_probabilities_given_as_values_as_torch(torch):
    """Values as soft targets said 'labels must be integer class indices, got dtype object'."""
    logits = [[1.0, 2.0, 0.0], [1.0, -2.0, 0.5]]
    probs = [[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]]
    z = [[Value(v) for v in row] for row in logits]
    t = [[Value(p) for p in row] for row in probs]
    loss = cross_entropy(z, t)
    loss.backward()
    tz = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    tt = torch.tensor(probs, dtype=torch.float64, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(tz, tt)
    expected.backward()
    assert loss.data == pytest.approx(expected.item(), rel=1e-15)
    np.testing.assert_allclose([[v.grad for v in row] for row in z], tz.grad.numpy(), rtol=1e-13)
    # a probability of 0 still has a gradient (its class's -log softmax), as in torch
    np.testing.assert_allclose([[p.grad for p in row] for row in t], tt.grad.numpy(), rtol=1e-13)
    with pytest.raises(ValueError, match="must sum to 1"):
        cross_entropy(z, [[Value(0.5), Value(0.0), Value(0.0)], [Value(1.0), Value(0.0), Value(0.0)]])


def test_value_cross_entropy_says_integer_rows_look_like_one_hot_as_the_tensor_form():
    """It said '2 samples but 4 labels'."""
    z = [[Value(1.0), Value(2.0)], [Value(0.0), Value(3.0)]]
    with pytest.raises(ValueError, match=r"look like one-hot rows: pass class indices, y.argmax\(1\)"):
        cross_entropy(z, [[0, 1], [1, 0]])
    with pytest.raises(ValueError, match=r"targets of shape \(2, 3\) do not fit logits of shape \(2, 2\)"):
        cross_entropy(z, [[0, 1, 0], [1, 0, 0]])


def test_value_cross_entropy_takes_probabilities_mixing_values_and_numbers():
    z = [Value(1.0), Value(2.0)]
    t = [Value(0.3), 0.7]  # the numbers are constants, the Value gets its gradient
    loss = cross_entropy(z, t)
    loss.backward()
    both = cross_entropy([Value(1.0), Value(2.0)], [0.3, 0.7])
    assert loss.data == both.data and t[0].grad == pytest.approx(1.3132616875182228, rel=1e-14)
