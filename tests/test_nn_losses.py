"""Losses: value and gradient as torch.nn.functional, for Tensors and for Values."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from autograd import Tensor, Value, gradcheck, gradients, topological_order
from nn.losses import (
    accuracy,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge,
    mse,
    quadratic,
)

rng = np.random.default_rng(0)
PRED = rng.normal(size=(6, 4))
TARGET = rng.normal(size=(6, 4))
LABELS = np.array([0, 3, 1, 1, 2, 3])
PROBS = rng.uniform(0.05, 0.95, size=(6, 4))
SOFT = rng.uniform(0, 1, size=(6, 4))
BINARY = (rng.uniform(size=(6, 4)) > 0.5).astype(float)


def _tensor_case(loss, x, target):
    t = Tensor(x, requires_grad=True)
    out = loss(t, target)
    out.backward()
    return out.item(), t.grad


def _torch_case(torch, fn, x, target):
    t = torch.tensor(x, requires_grad=True)
    out = fn(t, target)
    out.backward()
    return out.item(), t.grad.numpy()


def _values_case(loss, x, target):
    """The same loss on Values: one list of Values per sample (rows of x)."""
    vs = [[Value(float(a)) for a in row] for row in np.atleast_2d(x)]
    out = loss(vs, target)
    out.backward()
    return out.data, np.array([[v.grad for v in row] for row in vs]).reshape(np.shape(x))


def _check(ours, theirs):
    assert ours[0] == pytest.approx(theirs[0], abs=1e-12, rel=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], atol=1e-12, rtol=1e-10)


@pytest.mark.torch
def test_mse_matches_torch(torch):
    F = torch.nn.functional
    want = _torch_case(torch, lambda t, y: F.mse_loss(t, torch.tensor(y)), PRED, TARGET)
    _check(_tensor_case(mse, PRED, TARGET), want)
    _check(_values_case(mse, PRED, TARGET), want)


@pytest.mark.torch
def test_mse_gives_a_target_that_is_a_node_its_gradient_as_torch(torch):
    # the target was read as plain numbers: b.grad stayed 0.0 and u.grad None
    F = torch.nn.functional
    tp = torch.tensor(PRED, requires_grad=True)
    ty = torch.tensor(TARGET, requires_grad=True)
    F.mse_loss(tp, ty).backward()
    p, u = Tensor(PRED, requires_grad=True), Tensor(TARGET, requires_grad=True)
    mse(p, u).backward()
    np.testing.assert_allclose(p.grad, tp.grad.numpy(), rtol=1e-12, atol=0)
    np.testing.assert_allclose(u.grad, ty.grad.numpy(), rtol=1e-12, atol=0)
    vp = [[Value(float(a)) for a in row] for row in PRED]
    vt = [[Value(float(a)) for a in row] for row in TARGET]
    mse(vp, vt).backward()
    np.testing.assert_allclose([[v.grad for v in row] for row in vt], ty.grad.numpy(), rtol=1e-12, atol=0)
    a, b = Value(1.0), Value(3.0)
    mse([a], [b]).backward()
    assert (a.grad, b.grad) == (-4.0, 4.0)


@pytest.mark.torch
@pytest.mark.parametrize("name", ["quadratic", "bcel", "soft_ce"])
def test_other_tensor_losses_give_a_target_that_requires_grad_its_gradient(torch, name):
    F = torch.nn.functional
    ours, theirs, target = {
        "quadratic": (quadratic, lambda p, y: 0.5 * ((p - y) ** 2).sum() / len(y), TARGET),
        "bcel": (binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits, SOFT),
        "soft_ce": (cross_entropy, F.cross_entropy, SOFT / SOFT.sum(axis=1, keepdims=True)),
    }[name]
    tp, ty = torch.tensor(PRED, requires_grad=True), torch.tensor(target, requires_grad=True)
    theirs(tp, ty).backward()
    p, u = Tensor(PRED, requires_grad=True), Tensor(target, requires_grad=True)
    ours(p, u).backward()  # the target's gradient was None
    np.testing.assert_allclose(p.grad, tp.grad.numpy(), rtol=1e-12, atol=0)
    np.testing.assert_allclose(u.grad, ty.grad.numpy(), rtol=1e-12, atol=0)


@pytest.mark.torch
def test_quadratic_is_half_sum_of_squares_averaged_over_samples(torch):
    want = _torch_case(torch, lambda t, y: 0.5 * ((t - torch.tensor(y)) ** 2).sum() / len(y), PRED, TARGET)
    _check(_tensor_case(quadratic, PRED, TARGET), want)
    _check(_values_case(quadratic, PRED, TARGET), want)
    # one output per sample: a flat list of Values is a list of samples
    vs = [Value(float(a)) for a in PRED[:, 0]]
    assert quadratic(vs, TARGET[:, 0]).data == pytest.approx(0.5 * np.mean((PRED[:, 0] - TARGET[:, 0]) ** 2))


@pytest.mark.torch
def test_cross_entropy_with_labels_matches_torch(torch):
    F = torch.nn.functional
    want = _torch_case(torch, lambda t, y: F.cross_entropy(t, torch.tensor(y)), PRED, LABELS)
    _check(_tensor_case(cross_entropy, PRED, LABELS), want)
    _check(_values_case(cross_entropy, PRED, LABELS), want)
    _check(_tensor_case(cross_entropy, PRED, Tensor(LABELS.astype(float))), want)


@pytest.mark.torch
def test_cross_entropy_one_sample_and_probabilities_match_torch(torch):
    F = torch.nn.functional
    want = _torch_case(torch, lambda t, y: F.cross_entropy(t, torch.tensor(y)), PRED[0], 2)
    _check(_tensor_case(cross_entropy, PRED[0], 2), want)
    z = [Value(float(a)) for a in PRED[0]]
    out = cross_entropy(z, 2)
    out.backward()
    _check((out.data, [v.grad for v in z]), want)
    probs = SOFT / SOFT.sum(axis=1, keepdims=True)
    want = _torch_case(torch, lambda t, y: F.cross_entropy(t, torch.tensor(y)), PRED, probs)
    _check(_tensor_case(cross_entropy, PRED, probs), want)


def test_cross_entropy_is_stable_for_huge_logits():
    big = np.array([[1000.0, 0.0, -1000.0]])
    value, grad = _tensor_case(cross_entropy, big, [0])
    assert value == 0.0 and np.isfinite(grad).all()
    assert _values_case(cross_entropy, big, [2])[0] == pytest.approx(2000.0)


@pytest.mark.torch
@pytest.mark.parametrize("target", [BINARY, SOFT], ids=["hard", "soft"])
def test_binary_cross_entropy_matches_torch(torch, target):
    F = torch.nn.functional
    want = _torch_case(torch, lambda t, y: F.binary_cross_entropy(t, torch.tensor(y)), PROBS, target)
    _check(_tensor_case(binary_cross_entropy, PROBS, target), want)
    _check(_values_case(binary_cross_entropy, PROBS, target), want)


@pytest.mark.torch
def test_binary_cross_entropy_clamps_log_like_torch(torch):
    F = torch.nn.functional
    p, y = np.array([0.0, 1.0, 0.5]), np.array([1.0, 0.0, 1.0])
    want = F.binary_cross_entropy(torch.tensor(p), torch.tensor(y)).item()
    assert binary_cross_entropy(Tensor(p), y).item() == pytest.approx(want)
    assert binary_cross_entropy([Value(a) for a in p], y).data == pytest.approx(want)


@pytest.mark.torch
def test_binary_cross_entropy_with_logits_matches_torch(torch):
    F = torch.nn.functional
    z = PRED * 10  # large scores: the stable form must not overflow
    want = _torch_case(torch, lambda t, y: F.binary_cross_entropy_with_logits(t, torch.tensor(y)), z, SOFT)
    _check(_tensor_case(binary_cross_entropy_with_logits, z, SOFT), want)
    _check(_values_case(binary_cross_entropy_with_logits, z, SOFT), want)


@pytest.mark.torch
def test_binary_cross_entropy_with_logits_at_zero_scores_matches_torch_to_second_order(torch):
    """At a score of exactly 0, where a zero-initialised model starts, the gradient was -y/n, not
    (1/2 - y)/n: the formula's relu and abs have slope 0 there.  Second derivatives too (s'(0))."""
    F = torch.nn.functional
    z = np.array([[0.0, 0.0, 3.0], [-0.0, -2.0, 0.0]])
    y = np.array([[0.0, 1.0, 0.3], [1.0, 0.0, 0.5]])
    want = _torch_case(torch, lambda t, y: F.binary_cross_entropy_with_logits(t, torch.tensor(y)), z, y)
    _check(_tensor_case(binary_cross_entropy_with_logits, z, y), want)
    _check(_values_case(binary_cross_entropy_with_logits, z, y), want)
    v = np.array([[1.0, -2.0, 0.5], [0.3, 1.0, -1.0]])  # a Hessian-vector product
    tz = torch.tensor(z, requires_grad=True)
    (g,) = torch.autograd.grad(F.binary_cross_entropy_with_logits(tz, torch.tensor(y)), tz, create_graph=True)
    (g * torch.tensor(v)).sum().backward()
    x = Tensor(z, requires_grad=True)
    binary_cross_entropy_with_logits(x, y).backward(create_graph=True)
    first = x.grad
    x.grad = None
    (first * Tensor(v)).sum().backward()
    np.testing.assert_allclose(x.grad, tz.grad.numpy(), atol=1e-15, rtol=1e-12)
    for dtype in (np.float32, np.float64):  # the pair of scores (z, 0) keeps the dtype
        assert binary_cross_entropy_with_logits(Tensor(z.astype(dtype)), y).data.dtype == dtype


@pytest.mark.torch
def test_hinge_matches_torch_formula(torch):
    s = PRED[:, 0]
    y = np.where(LABELS % 2 == 0, 1.0, -1.0)
    want = _torch_case(torch, lambda t, yy: torch.relu(1 - torch.tensor(yy) * t).mean(), s, y)
    _check(_tensor_case(hinge, s, y), want)
    vs = [Value(float(a)) for a in s]
    out = hinge(vs, y)
    out.backward()
    _check((out.data, [v.grad for v in vs]), want)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: mse(Tensor(np.zeros((2, 3))), np.zeros((3, 2))), ValueError, "shape"),
        (lambda: mse([Value(1.0)], [1.0, 2.0]), ValueError, "1 predictions but 2 targets"),
        (lambda: mse([], []), ValueError, "empty"),
        (lambda: cross_entropy(Tensor(PRED), [0, 1]), ValueError, "6 samples but 2 labels"),
        (lambda: cross_entropy(Tensor(PRED), LABELS + 1), ValueError, r"labels must be in 0\.\.3"),
        (lambda: cross_entropy(Tensor(PRED), LABELS + 0.5), TypeError, "integer class indices"),
        (lambda: cross_entropy(Tensor(np.zeros((2, 3, 4))), [0]), ValueError, "logits must be"),
        (lambda: binary_cross_entropy(Tensor([1.5]), [1.0]), ValueError, "with_logits"),
        (lambda: binary_cross_entropy([Value(-0.1)], [1.0]), ValueError, r"\[0, 1\]"),
        (lambda: hinge(Tensor([1.0, 2.0]), [0, 1]), ValueError, "2 \\* y - 1"),
    ],
)
def test_bad_input_gives_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_value_losses_accept_single_values():
    assert mse(Value(3.0), 1.0).data == 4.0
    assert quadratic(Value(3.0), 1.0).data == 2.0
    assert hinge(Value(0.25), -1).data == 1.25


def test_accuracy():
    assert accuracy(np.array([[0.1, 2.0], [3.0, 0.0], [0.0, 1.0]]), [1, 0, 0]) == pytest.approx(2 / 3)
    assert accuracy(np.array([[0.1, 2.0], [3.0, 0.0]]), np.array([[0, 1], [0, 1]])) == 0.5
    assert accuracy(np.array([0.5, -2.0, 1.0]), [1, -1, -1]) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="cannot tell"):
        accuracy(np.array([0.5, 0.2]), [0, 1])


@pytest.mark.parametrize(
    "loss, target",
    [
        (mse, np.zeros((4, 3))),
        (quadratic, np.zeros((4, 3))),
        (cross_entropy, [0, 1, 2, 0]),
        (cross_entropy, np.full((4, 3), 1 / 3)),
        (binary_cross_entropy_with_logits, np.ones((4, 3))),
        (hinge, np.ones((4, 3))),
    ],
)
def test_float32_predictions_give_float32_losses(loss, target):
    pred = Tensor(np.random.default_rng(0).normal(size=(4, 3)), requires_grad=True, dtype=np.float32)
    out = loss(pred, target)
    out.backward()
    assert out.dtype == np.float32 and pred.grad.dtype == np.float32
    bce = binary_cross_entropy(pred.sigmoid(), np.ones((4, 3)))
    bce.backward()
    assert bce.dtype == np.float32
    for root in (out, bce):  # every node's gradient, not only the leaf's (which is cast to its dtype)
        assert {n.grad.dtype for n in topological_order(root) if n.grad is not None} == {np.dtype(np.float32)}


@pytest.mark.torch
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_binary_cross_entropy_at_the_edges_matches_torch(torch, dtype):
    F = torch.nn.functional
    p = np.array([0.0, 1.0, 1e-50, 0.3, 1.0, 0.0], dtype=dtype)
    y = np.array([1.0, 0.0, 1.0, 1.0, 1.0, 0.0], dtype=dtype)
    t = Tensor(p, requires_grad=True, dtype=dtype)
    out = binary_cross_entropy(t, y)
    out.backward()
    tp = torch.tensor(p, requires_grad=True)
    want = F.binary_cross_entropy(tp, torch.tensor(y))
    want.backward()
    assert out.item() == pytest.approx(want.item(), rel=1e-6)
    assert np.isfinite(t.grad).all()
    # inside (0, 1) the gradients agree; at exactly 0 or 1 torch divides by max(p (1 - p), 1e-12)
    # (giving 0 or -1e12) while ours is the derivative of the clamped logs (finite, documented)
    assert t.grad[3] == pytest.approx(tp.grad[3].item(), rel=1e-6)


def test_arrays_and_lists_of_tensors_are_refused_with_advice():
    with pytest.raises(TypeError, match=r"wrap it as Tensor\(array\)"):
        mse(np.zeros(3), np.zeros(3))
    with pytest.raises(TypeError, match="stack"):
        mse([Tensor([1.0]), Tensor([2.0])], [1.0, 2.0])


def test_cross_entropy_is_one_op_whose_gradient_is_softmax_minus_one_hot():
    from autograd import gradcheck

    z = Tensor(PRED, requires_grad=True)
    loss = cross_entropy(z, LABELS)
    assert loss.op == "cross_entropy" and loss.parents == (z,)
    loss.backward()
    e = np.exp(PRED - PRED.max(axis=1, keepdims=True))
    soft = e / e.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(z.grad, (soft - np.eye(PRED.shape[1])[LABELS]) / len(LABELS), rtol=1e-12)
    assert gradcheck(lambda z: cross_entropy(z, LABELS), PRED)


def test_cross_entropy_second_derivatives_match_torch(torch):
    F = torch.nn.functional
    v = np.linspace(-1.0, 1.0, PRED.size).reshape(PRED.shape)
    z = Tensor(PRED, requires_grad=True)
    cross_entropy(z, LABELS).backward(create_graph=True)
    g = z.grad
    z.grad = None
    (g * Tensor(v)).sum().backward()
    tz = torch.tensor(PRED, requires_grad=True)
    (tg,) = torch.autograd.grad(F.cross_entropy(tz, torch.tensor(LABELS)), tz, create_graph=True)
    (hv,) = torch.autograd.grad((tg * torch.tensor(v)).sum(), tz)
    np.testing.assert_allclose(z.grad, hv.numpy(), rtol=1e-10, atol=1e-14)


def test_cross_entropy_keeps_float32():
    z = Tensor(PRED.astype(np.float32), requires_grad=True)
    loss = cross_entropy(z, LABELS)
    loss.backward()
    assert loss.dtype == np.float32 and z.grad.dtype == np.float32


# -- the fused losses: one graph node each, the same numbers as the spelled-out loss ---------------

SPELLED_OUT = {
    "quadratic": lambda p, y: ((p - y) ** 2).sum() * (0.5 / (p.shape[0] if p.ndim else 1)),
    "mse": lambda p, y: ((p - y) ** 2).mean(),
}


@pytest.mark.parametrize("name", ["quadratic", "mse"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shapes", [((6, 4), (6, 4)), ((6, 4), (4,)), ((5,), (5,)), ((), ())], ids=str)
def test_fused_squared_error_losses_equal_the_spelled_out_loss_to_the_last_digit(name, dtype, shapes):
    loss = {"quadratic": quadratic, "mse": mse}[name]
    x = rng.normal(size=shapes[0]).astype(dtype)
    y = rng.normal(size=shapes[1]).astype(dtype)
    p1, u1 = Tensor(x, requires_grad=True), Tensor(y, requires_grad=True)
    fused = loss(p1, u1)
    fused.backward()
    p2, u2 = Tensor(x, requires_grad=True), Tensor(y, requires_grad=True)
    spelled = SPELLED_OUT[name](p2, u2)
    spelled.backward()
    assert fused.op == name and len(fused.parents) == 2  # one node, where spelled out is four
    assert fused.dtype == dtype and p1.grad.dtype == dtype and u1.grad.dtype == dtype
    assert fused.item() == spelled.item()
    np.testing.assert_array_equal(p1.grad, p2.grad)
    np.testing.assert_array_equal(u1.grad, u2.grad)


@pytest.mark.parametrize("loss", [quadratic, mse])
def test_fused_squared_error_skips_a_constant_target_and_runs_backward_twice(loss):
    p = Tensor(PRED, requires_grad=True)
    out = loss(p, TARGET)
    target_node = out.parents[1]
    assert not target_node.requires_grad
    out.backward()
    once = p.grad.copy()
    out.backward()  # what forward kept for backward is unchanged by the first pass
    np.testing.assert_array_equal(p.grad, 2 * once)
    assert target_node.grad is None  # no gradient was computed for the constant


@pytest.mark.parametrize("loss", [quadratic, mse])
def test_fused_squared_error_passes_gradcheck_for_prediction_and_target(loss):
    assert gradcheck(lambda p, y: loss(p, y), PRED[:3], TARGET[:3])


@pytest.mark.parametrize("name", ["quadratic", "mse"])
def test_fused_squared_error_second_derivatives_match_the_spelled_out_loss(name):
    loss = {"quadratic": quadratic, "mse": mse}[name]
    v = rng.normal(size=PRED.shape)
    hvps = []
    for f in (loss, SPELLED_OUT[name]):
        p = Tensor(PRED, requires_grad=True)
        (gp,) = gradients(f(p, TARGET), [p], create_graph=True)
        (hvp,) = gradients((gp * Tensor(v)).sum(), [p])
        hvps.append(hvp)
    np.testing.assert_allclose(hvps[0], hvps[1], rtol=1e-14, atol=0)
    # the Hessian is a multiple of the identity: 2 * (1/(2n)) for n samples, 2 / size for mse
    scale = 1 / PRED.shape[0] if name == "quadratic" else 2 / PRED.size
    np.testing.assert_allclose(hvps[0], v * scale, rtol=1e-14)


@pytest.mark.parametrize("loss", [quadratic, mse])
def test_fused_squared_error_of_an_empty_prediction_is_a_clear_error(loss):
    with pytest.raises(ValueError, match="at least one prediction"):
        loss(Tensor(np.zeros((0, 3)), requires_grad=True), np.zeros((0, 3)))


def test_cross_entropy_backward_twice_gives_twice_the_gradient():
    z = Tensor(PRED, requires_grad=True)
    out = cross_entropy(z, LABELS)
    out.backward()
    once = z.grad.copy()
    out.backward()  # the softmax forward kept for backward is not changed by the first pass
    np.testing.assert_array_equal(z.grad, 2 * once)


@pytest.mark.parametrize("loss", [mse, quadratic, binary_cross_entropy_with_logits])
def test_a_tensor_loss_reads_a_value_target_as_its_number(loss):
    """A Value target of a Tensor prediction is a constant number, broadcast (it was
    AttributeError "'float' object has no attribute 'dtype'" once constant Tensor targets that
    fit were taken as they are)."""
    p1, p2 = Tensor(PRED, requires_grad=True), Tensor(PRED, requires_grad=True)
    by_value, by_number = loss(p1, Value(0.5)), loss(p2, 0.5)
    by_value.backward()
    by_number.backward()
    assert by_value.item() == by_number.item()
    np.testing.assert_array_equal(p1.grad, p2.grad)


def test_float16_losses_sum_in_float32_as_their_spelled_out_means_did():
    """mse and cross_entropy of float16 sum their terms in float32 (as np.mean and torch's
    mse_loss): the sum of 1000 squares of 10 is 1e5, past float16's 65504 (it was inf)."""
    p = Tensor(np.full(1000, 10.0, dtype=np.float16), requires_grad=True)
    out = mse(p, np.zeros(1000))
    out.backward()
    assert out.dtype == np.float16 and out.item() == 100.0
    assert p.grad.dtype == np.float16 and np.all(p.grad == np.float16(0.02))
    assert quadratic(Tensor(np.full(1000, 10.0, dtype=np.float16)), np.zeros(1000)).item() == 50.0
    z = np.zeros((20000, 3), dtype=np.float16)
    z[:, 0] = 12.0
    loss = cross_entropy(Tensor(z, requires_grad=True), np.ones(20000, dtype=int))
    assert loss.dtype == np.float16 and loss.item() == pytest.approx(12.0, rel=1e-3)
    x = rng.normal(size=(6, 4)).astype(np.float16)  # the same numbers as the spelled-out means
    assert mse(Tensor(x), TARGET).item() == ((Tensor(x) - TARGET.astype(np.float16)) ** 2).mean().item()
    assert (cross_entropy(Tensor(x), LABELS).item()
            == -Tensor(x).log_softmax(axis=-1)[np.arange(6), LABELS].mean().item())


@pytest.mark.parametrize("loss", [mse, quadratic])
def test_fused_squared_error_names_itself_for_a_target_with_nan(loss):
    """The error names the loss and its target (it said 'Tensor() got nan', a call the user
    never made)."""
    with pytest.raises(ValueError, match=rf"^{loss.__name__}: the target got nan \(first at index \(1,\)\)"):
        loss(Tensor([1.0, 2.0], requires_grad=True), [1.0, np.nan])


@pytest.mark.parametrize("loss", [mse, quadratic])
def test_a_constant_tensor_target_is_used_as_it_is_only_when_it_fits(loss):
    p = Tensor(PRED, requires_grad=True)
    fits = Tensor(TARGET)
    assert loss(p, fits).parents[1] is fits  # a batch of targets: no copy, no new node
    want = loss(p, TARGET).item()
    for other in (Tensor(TARGET.astype(np.float32)), Tensor(TARGET[0])):  # dtype, shape differ
        out = loss(p, other)
        assert out.parents[1] is not other and out.parents[1].dtype == np.float64
        assert out.parents[1].shape == PRED.shape and out.dtype == np.float64
    assert loss(p, Tensor(TARGET.astype(np.float32))).item() == pytest.approx(want, rel=1e-6)


def test_accuracy_reads_a_column_of_labels_as_labels_and_refuses_a_wrong_count():
    out = np.array([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    assert accuracy(out, np.array([[1], [1], [0]])) == 1.0  # was 1/3: read as one-hot rows
    assert accuracy(out, np.array([[0, 1], [0, 1], [1, 0]])) == 1.0  # one-hot: the scores' shape
    with pytest.raises(ValueError, match="accuracy: 3 samples but 1 labels"):  # was broadcast
        accuracy(out, np.array([0]))
    with pytest.raises(ValueError, match="accuracy: 3 samples but 2 labels"):
        accuracy(np.array([0.5, -1.0, 2.0]), [1, -1])


def test_scalar_cross_entropy_names_ragged_logits_before_checking_labels():
    # it said "labels must be in 0..1, got 0..2": the range came from the first sample's width
    ragged = [[Value(1.0), Value(2.0)], [Value(0.0), Value(1.0), Value(5.0)]]
    with pytest.raises(ValueError, match="same number of logits; sample 0 has 2, sample 1 has 3"):
        cross_entropy(ragged, [0, 2])


@pytest.mark.torch
def test_scalar_cross_entropy_takes_class_probabilities_as_the_tensor_form_and_torch(torch):
    # a float target of the logits' shape was read as labels: "1 samples but 3 labels"
    F = torch.nn.functional
    probs = SOFT / SOFT.sum(axis=1, keepdims=True)
    want = _torch_case(torch, lambda t, y: F.cross_entropy(t, torch.tensor(y)), PRED, probs)
    _check(_values_case(cross_entropy, PRED, probs), want)
    one_hot = np.eye(4)[LABELS]
    _check(_values_case(cross_entropy, PRED, one_hot), _values_case(cross_entropy, PRED, LABELS))
    z = [Value(float(a)) for a in PRED[0]]  # one sample: a list of logits, a list of probabilities
    out = cross_entropy(z, probs[0].tolist())
    out.backward()
    want = _torch_case(torch, lambda t, y: F.cross_entropy(t, torch.tensor(y)), PRED[0], probs[0])
    _check((out.data, [v.grad for v in z]), want)


@pytest.mark.parametrize("loss", [binary_cross_entropy, binary_cross_entropy_with_logits])
def test_binary_losses_refuse_targets_outside_0_1_and_name_the_range(loss):
    # a class label 2 (or a -1 meant for hinge) silently gave a number; torch does not check
    with pytest.raises(ValueError, match=r"targets must be in \[0, 1\].*got 1\.0\.\.2\.0"):
        loss(Tensor([0.5, 0.2]), [1, 2])
    with pytest.raises(ValueError, match=r"got 1\.0\.\.2\.0"):
        loss([Value(0.5), Value(0.2)], [1, 2])
    with pytest.raises(ValueError, match=r"got -1\.0\.\.1\.0.*\(y \+ 1\) / 2"):
        loss([Value(0.5), Value(0.2)], [Value(1.0), Value(-1.0)])  # targets that are nodes too
    with pytest.raises(ValueError, match=r"got -1\.0\.\.1\.0"):
        loss(Tensor([0.5, 0.2]), Tensor([1.0, -1.0], requires_grad=True))
    assert np.isfinite(loss(Tensor([0.5, 0.2]), [1.0, 0.25]).item())  # probabilities are targets too


def test_integer_one_hot_targets_are_named_as_such():
    logits = Tensor(np.zeros((4, 3)), requires_grad=True)
    with pytest.raises(ValueError, match=r"look like one-hot rows: pass class indices, y\.argmax\(1\)"):
        cross_entropy(logits, np.eye(3, dtype=int)[[0, 1, 2, 0]])


@pytest.mark.parametrize("target", [1, [0.3, 0.7]])
def test_scalar_cross_entropy_keeps_its_digits_at_large_logits_as_torch(torch, target):
    """log-sum-exp with the max added back before subtracting the label's logit cancelled:
    a loss of 2e-9 at logits near 1000 kept only 3-4 digits.  Now to the last digits of torch."""
    from autograd import Value

    logits = [Value(1000.0), Value(1020.0)]
    ours = cross_entropy(logits, target)
    t_logits = torch.tensor([[1000.0, 1020.0]], dtype=torch.float64, requires_grad=True)
    t_target = torch.tensor([target], dtype=torch.long if isinstance(target, int) else torch.float64)
    theirs = torch.nn.functional.cross_entropy(t_logits, t_target)
    assert ours.data == pytest.approx(theirs.item(), rel=1e-14, abs=0)  # (approx's default abs is 1e-12)
    ours.backward()
    theirs.backward()
    assert [v.grad for v in logits] == pytest.approx(t_logits.grad[0].tolist(), rel=1e-12, abs=1e-300)


# -- binary cross-entropy at the clamped edges, exactly ---------------------------------------------

EDGE_P = np.array([0.0, 1.0, 1e-50, 0.3, 1.0, 0.0, 1e-44, 1.0 - 2.0**-53])
EDGE_Y = np.array([1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.25, 0.5])


def _torch_clamped_bce(torch, p, y):
    """torch's binary_cross_entropy spelled out: each log clamped at -100 (no gradient where it is)."""
    def log(q):
        floor = torch.full_like(q, -100.0)
        return torch.where(q <= np.exp(-100.0), floor, torch.log(q.clamp(min=np.finfo(np.float64).tiny)))
    return -(y * log(p) + (1 - y) * log(1 - p)).mean()


@pytest.mark.torch
@pytest.mark.parametrize("form", ["tensor", "values"])
def test_binary_cross_entropy_edge_gradients_are_exactly_the_clamped_logs_as_torch(torch, form):
    """Unguarded (only finite was checked): gradients at p = 0, 1, 1e-50 exactly torch's clamped logs."""
    # (F.binary_cross_entropy's own gradient divides by max(p (1 - p), 1e-12) at the edges: see the
    # docstring of ours; inside (0, 1) it is the same, checked at p = 0.3)
    F = torch.nn.functional
    tp = torch.tensor(EDGE_P, requires_grad=True)
    want = _torch_clamped_bce(torch, tp, torch.tensor(EDGE_Y))
    want.backward()
    assert want.item() == F.binary_cross_entropy(torch.tensor(EDGE_P), torch.tensor(EDGE_Y)).item()
    case = _tensor_case if form == "tensor" else _values_case
    value, grad = case(binary_cross_entropy, EDGE_P, EDGE_Y)
    assert value == pytest.approx(want.item(), rel=1e-15, abs=0)
    np.testing.assert_array_equal(grad, tp.grad.numpy())
    assert grad[[0, 1, 2]].tolist() == [0.0, 0.0, 0.0]
    tp3 = torch.tensor(EDGE_P[3:4], requires_grad=True)
    F.binary_cross_entropy(tp3, torch.tensor(EDGE_Y[3:4])).backward()
    assert grad[3] * 8 == pytest.approx(tp3.grad.item(), rel=1e-15, abs=0)


@pytest.mark.torch
def test_value_binary_cross_entropy_clamps_the_log_of_a_tiny_probability_as_torch(torch):
    """Unguarded: the Value form must clamp log(1e-50) = -115 at -100 as torch (loss 100, no gradient)."""
    want = torch.nn.functional.binary_cross_entropy(torch.tensor([1e-50]), torch.tensor([1.0])).item()
    assert want == 100.0
    p = Value(1e-50)
    out = binary_cross_entropy([p], [1.0])
    out.backward()
    assert out.data == want and p.grad == 0.0
    assert binary_cross_entropy(Tensor([1e-50]), [1.0]).item() == want


# -- second derivatives of the Tensor losses, and broadcast targets, against torch -----------------

PROB_ROWS = SOFT / SOFT.sum(axis=1, keepdims=True)
SIGNS = np.where(BINARY == 1.0, 1.0, -1.0)


def _loss_cases(torch):
    """name: (ours, torch's, inputs); every input is differentiated, targets too."""
    F = torch.nn.functional

    def torch_quadratic(p, y):
        return 0.5 * ((p - y) ** 2).sum() / (p.shape[0] if p.ndim else 1)

    def quiet_mse(p, y):  # (torch warns that a broadcast target may be a mistake)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return F.mse_loss(p, y)

    def torch_bce(p, y):  # F.binary_cross_entropy's double backward is 3e-10 off (mpmath); this is exact
        return -(y * p.log() + (1 - y) * (1 - p).log()).mean()

    return {
        "bce": (binary_cross_entropy, torch_bce, [PROBS, SOFT]),
        "bce_with_logits": (binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits,
                            [PRED * 3, SOFT]),
        "hinge": (hinge, lambda s, y: torch.relu(1 - y * s).mean(), [PRED, SIGNS]),
        "cross_entropy-probabilities": (cross_entropy, F.cross_entropy, [PRED, PROB_ROWS]),
        "cross_entropy-1d-probabilities": (cross_entropy, F.cross_entropy, [PRED[1], PROB_ROWS[1]]),
        "cross_entropy-1d-label": (lambda z: cross_entropy(z, 2),
                                   lambda z: F.cross_entropy(z, torch.tensor(2)), [PRED[1]]),
        "mse-row-target": (mse, quiet_mse, [PRED, TARGET[0]]),
        "mse-(1,4)-target": (mse, quiet_mse, [PRED, TARGET[:1]]),
        "mse-0d-target": (mse, quiet_mse, [PRED, np.array(0.7)]),
        "mse-0d": (mse, quiet_mse, [np.array(1.3), np.array(0.7)]),
        "quadratic-row-target": (quadratic, torch_quadratic, [PRED, TARGET[0]]),
        "quadratic-0d-target": (quadratic, torch_quadratic, [PRED, np.array(0.7)]),
        "quadratic-0d": (quadratic, torch_quadratic, [np.array(1.3), np.array(0.7)]),
    }


LOSS_CASES = ["bce", "bce_with_logits", "hinge", "cross_entropy-probabilities",
              "cross_entropy-1d-probabilities", "cross_entropy-1d-label", "mse-row-target",
              "mse-(1,4)-target", "mse-0d-target", "mse-0d", "quadratic-row-target", "quadratic-0d-target",
              "quadratic-0d"]


@pytest.mark.torch
@pytest.mark.parametrize("name", LOSS_CASES)
def test_tensor_loss_values_gradients_and_second_derivatives_match_torch(torch, name):
    """Unguarded: second derivatives of the losses; mse, quadratic with broadcast and 0-d targets."""
    ours, theirs, arrays = _loss_cases(torch)[name]
    vs = [np.random.default_rng(i).normal(size=np.shape(a)) for i, a in enumerate(arrays)]
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    out = ours(*xs)
    grads = gradients(out, xs, create_graph=True)
    hv = gradients(sum(((g * v).sum() for g, v in zip(grads, vs)), Tensor(0.0)), xs)
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    ref = theirs(*ts)
    tgrads = torch.autograd.grad(ref, ts, create_graph=True)
    thv = torch.autograd.grad(sum((g * torch.tensor(v)).sum() for g, v in zip(tgrads, vs)), ts)
    assert out.item() == pytest.approx(ref.item(), rel=1e-12, abs=0)
    for g, tg in zip(grads, tgrads):
        np.testing.assert_allclose(g.data, tg.detach().numpy(), rtol=1e-12, atol=1e-15)
    for h, th in zip(hv, thv):
        assert h.shape == tuple(th.shape)
        np.testing.assert_allclose(h, th.numpy(), rtol=1e-12, atol=1e-15)
