"""Optimizers: the same parameter trajectory as torch.optim, on Tensor and on Value parameters."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value
from nn import Linear
from nn.optim import SGD, Adagrad, Adam, RMSprop, StepLR

STEPS = 20

CONFIGS = [
    (SGD, dict(lr=0.1)),
    (SGD, dict(lr=0.05, momentum=0.9)),
    (SGD, dict(lr=0.05, momentum=0.8, dampening=0.3)),
    (SGD, dict(lr=0.05, momentum=0.9, nesterov=True)),
    (SGD, dict(lr=0.05, momentum=0.5, weight_decay=0.1)),
    (Adam, dict()),
    (Adam, dict(lr=0.05)),
    (Adam, dict(lr=0.05, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1)),
    (Adam, dict(lr=0.05, amsgrad=True)),
    (RMSprop, dict()),
    (RMSprop, dict(lr=0.01, alpha=0.9, momentum=0.9)),
    (RMSprop, dict(lr=0.01, centered=True, weight_decay=0.05)),
    (RMSprop, dict(lr=0.01, centered=True, momentum=0.5)),
    (Adagrad, dict()),
    (Adagrad, dict(lr=0.1, lr_decay=0.05, initial_accumulator_value=0.5, weight_decay=0.1)),
]
IDS = [f"{cls.__name__}({', '.join(f'{k}={v}' for k, v in kw.items())})" for cls, kw in CONFIGS]


def _torch_optimizer(torch, cls, params, kwargs):
    return getattr(torch.optim, cls.__name__)(params, **kwargs)


@pytest.mark.torch
@pytest.mark.parametrize("cls, kwargs", CONFIGS, ids=IDS)
def test_tensor_trajectory_matches_torch(torch, cls, kwargs):
    rng = np.random.default_rng(0)
    A = rng.normal(size=(5, 3))
    b = rng.normal(size=5)
    w0 = rng.normal(size=3)
    M0 = rng.normal(size=(2, 3))

    w, M = Tensor(w0.copy(), requires_grad=True), Tensor(M0.copy(), requires_grad=True)
    w_data, M_data = w.data, M.data  # updates are in place: these arrays are the parameters
    tw = torch.tensor(w0.copy(), requires_grad=True)
    tM = torch.tensor(M0.copy(), requires_grad=True)
    ours = cls([w, M], **kwargs)
    theirs = _torch_optimizer(torch, cls, [tw, tM], kwargs)
    tA, tb = torch.tensor(A), torch.tensor(b)

    for _ in range(STEPS):
        ours.zero_grad()
        loss = ((Tensor(A) @ w - b) ** 2).sum() + (M @ w).tanh().sum() + M.sin().sum()
        loss.backward()
        ours.step()
        theirs.zero_grad()
        tloss = ((tA @ tw - tb) ** 2).sum() + torch.tanh(tM @ tw).sum() + torch.sin(tM).sum()
        tloss.backward()
        theirs.step()
        np.testing.assert_allclose(w.data, tw.detach().numpy(), rtol=0, atol=1e-10)
        np.testing.assert_allclose(M.data, tM.detach().numpy(), rtol=0, atol=1e-10)
    assert w.data is w_data and M.data is M_data
    assert not np.allclose(w.data, w0)  # it moved


@pytest.mark.torch
@pytest.mark.parametrize("cls, kwargs", CONFIGS, ids=IDS)
def test_value_trajectory_matches_torch(torch, cls, kwargs):
    x, y = Value(0.7), Value(-1.3)
    tx = torch.tensor(0.7, requires_grad=True)
    ty = torch.tensor(-1.3, requires_grad=True)
    ours = cls([x, y], **kwargs)
    theirs = _torch_optimizer(torch, cls, [tx, ty], kwargs)
    for _ in range(STEPS):
        ours.zero_grad()
        loss = (x * y - 1.0) ** 2 + x.sin() + 0.5 * y**2 + (x - y).tanh()
        loss.backward()
        ours.step()
        theirs.zero_grad()
        tloss = (tx * ty - 1.0) ** 2 + torch.sin(tx) + 0.5 * ty**2 + torch.tanh(tx - ty)
        tloss.backward()
        theirs.step()
        assert type(x.data) is float and type(y.data) is float
        assert x.data == pytest.approx(tx.item(), abs=1e-10, rel=0)
        assert y.data == pytest.approx(ty.item(), abs=1e-10, rel=0)


@pytest.mark.torch
def test_param_groups_and_step_lr_match_torch(torch):
    a0, b0 = np.array([1.0, -2.0]), np.array([0.5])
    a, b = Tensor(a0.copy(), requires_grad=True), Tensor(b0.copy(), requires_grad=True)
    ta, tb = torch.tensor(a0.copy(), requires_grad=True), torch.tensor(b0.copy(), requires_grad=True)
    ours = SGD([{"params": [a]}, {"params": [b], "lr": 0.01}], lr=0.1, momentum=0.9)
    theirs = torch.optim.SGD([{"params": [ta]}, {"params": [tb], "lr": 0.01}], lr=0.1, momentum=0.9)
    sched = StepLR(ours, step_size=3, gamma=0.5)
    tsched = torch.optim.lr_scheduler.StepLR(theirs, step_size=3, gamma=0.5)
    for _ in range(10):
        ours.zero_grad()
        ((a * a).sum() * b.exp()).sum().backward()
        ours.step()
        sched.step()
        theirs.zero_grad()
        ((ta * ta).sum() * tb.exp()).sum().backward()
        theirs.step()
        tsched.step()
        assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), abs=1e-15)
        np.testing.assert_allclose(a.data, ta.detach().numpy(), atol=1e-12, rtol=0)
        np.testing.assert_allclose(b.data, tb.detach().numpy(), atol=1e-12, rtol=0)


def test_zero_grad_value_to_zero_tensor_to_none():
    v, t = Value(1.0), Tensor([1.0, 2.0], requires_grad=True)
    (v * 2).backward()
    (t * 3).sum().backward()
    opt = Adam([v, t])
    opt.zero_grad()
    assert v.grad == 0.0 and t.grad is None


def test_parameter_without_grad_is_skipped():
    used, unused = Tensor([1.0], requires_grad=True), Tensor([5.0], requires_grad=True)
    opt = Adam([used, unused], lr=0.1)
    (used * 2).sum().backward()
    opt.step()
    assert unused.data.tolist() == [5.0]
    assert used.data[0] == pytest.approx(0.9)
    assert unused not in opt.state


def test_float32_parameter_stays_float32_in_place():
    p = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    data = p.data
    opt = SGD([p], lr=0.5, momentum=0.9)
    (p * p).sum().backward()
    opt.step()
    assert p.data is data and p.data.dtype == np.float32
    np.testing.assert_allclose(p.data, 0.0)


def _as_numpy_numbers(kwargs, kind):
    """The same settings as numpy numbers (np.float64, np.bool_) or 0-d arrays, as a learner
    might compute them."""
    def convert(v):
        if isinstance(v, tuple):
            return [convert(b) for b in v]  # betas as a list, too
        return np.bool_(v) if isinstance(v, bool) else kind(v)
    return {k: convert(v) for k, v in kwargs.items()}


@pytest.mark.parametrize("kind", [np.float64, np.array], ids=["np.float64", "0-d array"])
@pytest.mark.parametrize("cls, kwargs", CONFIGS, ids=IDS)
def test_float32_parameters_keep_float32_state_even_with_numpy_settings(cls, kwargs, kind):
    """No silent upcast: every state array of a float32 parameter stays float32, though numpy 2
    promotes float32 arrays to float64 when multiplied by a np.float64 setting."""
    rng = np.random.default_rng(0)
    w0 = rng.normal(size=(3, 2))
    trajectories = {}
    for dtype, settings in ((np.float64, kwargs), (np.float32, _as_numpy_numbers(kwargs, kind))):
        w = Tensor(w0, requires_grad=True, dtype=dtype)
        opt = cls([w], **settings)
        for _ in range(3):
            opt.zero_grad()
            ((w * w).sum() + w.sin().sum()).backward()
            opt.step()
        trajectories[dtype] = w.data
        arrays = [v for v in opt.state[w].values() if isinstance(v, np.ndarray)]
        assert w.data.dtype == dtype and all(a.dtype == dtype for a in arrays)
    np.testing.assert_allclose(trajectories[np.float32], trajectories[np.float64], rtol=1e-5, atol=1e-6)


def test_a_numpy_setting_changed_after_construction_keeps_float32_state():
    w = Tensor(np.ones(3, np.float32), requires_grad=True)
    opt = SGD([w], lr=0.1, momentum=0.9)
    opt.param_groups[0]["weight_decay"] = np.float64(0.1)  # as a hand-written schedule might
    for _ in range(2):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    assert opt.state[w]["momentum_buffer"].dtype == np.float32


def test_step_lr_with_a_numpy_gamma_keeps_a_python_learning_rate():
    opt = SGD([Value(1.0)], lr=np.float32(0.5))
    sched = StepLR(opt, step_size=1, gamma=np.float64(0.5))
    sched.step()
    assert type(opt.param_groups[0]["lr"]) is float and opt.param_groups[0]["lr"] == 0.25


def test_sgd_momentum_is_the_lecture_form():
    # v = mu * v - lr * g; p = p + v   walks the same path as torch's buf form
    p = Value(2.0)
    opt = SGD([p], lr=0.1, momentum=0.9)
    q, v = 2.0, 0.0
    for _ in range(15):
        opt.zero_grad()
        (p * p * p).backward()
        opt.step()
        v = 0.9 * v - 0.1 * 3 * q * q
        q = q + v
        assert p.data == pytest.approx(q, rel=1e-12)


def test_adam_docstring_form_equals_lecture_form():
    # m_hat = m / (1 - b1**t), v_hat = v / (1 - b2**t), p -= lr * m_hat / (sqrt(v_hat) + eps)
    p = Value(1.5)
    lr, b1, b2, eps = 0.05, 0.9, 0.999, 1e-8
    opt = Adam([p], lr=lr, betas=(b1, b2), eps=eps)
    q, m, v = 1.5, 0.0, 0.0
    for t in range(1, 21):
        opt.zero_grad()
        (p.sin() * p).backward()
        opt.step()
        g = np.cos(q) * q + np.sin(q)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        q -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        assert p.data == pytest.approx(q, rel=1e-12)


def test_gradients_that_are_graphs_are_used_by_value():
    x = Value(2.0)
    (x**3).backward(create_graph=True)  # x.grad is a Value now
    opt = SGD([x], lr=0.01)
    opt.step()
    assert type(x.data) is float and x.data == pytest.approx(2.0 - 0.12)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: SGD([], lr=0.1), "empty parameter list"),
        (lambda p: SGD([p], lr=-1), "lr must be"),
        (lambda p: SGD([p], lr=0.1, nesterov=True), "nesterov"),
        (lambda p: SGD([p, p], lr=0.1), "appears twice"),
        (lambda p: SGD([1.0], lr=0.1), "takes Value or Tensor"),
        (lambda p: SGD(Tensor([1.0, 2.0], requires_grad=True), lr=0.1), "list of parameters"),
        (lambda p: Adam(p), "list of parameters"),
        # a model, or its parameters method without (): were "'Linear' object is not iterable"
        (lambda p: SGD(Linear(2, 1, seed=0), lr=0.1), r"got a Linear.*model\.parameters\(\)"),
        (lambda p: SGD(Linear(2, 1, seed=0).parameters, lr=0.1), r"parameters\(\)"),
        (lambda p: Adam([p], betas=(1.0, 0.9)), "betas"),
        (lambda p: SGD([{"params": {p}}], lr=0.1), "holds a set, whose order changes"),
        (lambda p: SGD([("w", p), p], lr=0.1), r"mixes \(name, parameter\) pairs and parameters \(item 1\)"),
        (lambda p: StepLR(SGD([p], lr=0.1), step_size=0), "step_size"),
    ],
)
def test_bad_settings_are_refused(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make(Value(1.0))


@pytest.mark.parametrize("lr", [np.float32(0.1), np.int64(1), np.float64(0.1)])
def test_numpy_learning_rates_are_numbers(lr):
    w = Value(1.0)
    opt = Adam([w], lr=lr)  # np.float32 and np.int64 were refused: "lr must be a number >= 0"
    w.grad = 1.0
    opt.step()
    assert w.data == pytest.approx(1.0 - float(lr), abs=1e-6)  # Adam's first step is lr


@pytest.mark.torch
def test_sgd_takes_torchs_positional_order_and_refuses_true_as_a_number(torch):
    """SGD(p, 0.1, 0.9, 0, 1e-4) meant weight_decay=1e-4 in torch but nesterov=1e-4 here (a
    TypeError), and SGD(p, 0.1, 0.9, 0, 0, True) trained silently with weight_decay=True."""
    raw = np.array([1.0, -2.0])
    w, tw = Tensor(raw.copy(), requires_grad=True), torch.tensor(raw.copy(), requires_grad=True)
    ours, theirs = SGD([w], 0.1, 0.9, 0, 1e-2, True), torch.optim.SGD([tw], 0.1, 0.9, 0, 1e-2, True)
    for _ in range(3):
        for p, opt in ((w, ours), (tw, theirs)):
            opt.zero_grad()
            (p * p).sum().backward()
            opt.step()
    np.testing.assert_allclose(w.data, tw.detach().numpy(), rtol=1e-14)
    for bad in [dict(weight_decay=True), dict(momentum=True), dict(lr=False)]:
        with pytest.raises(TypeError, match="must be a finite number"):
            SGD([Tensor(raw, requires_grad=True)], **{"lr": 0.1, **bad})


def test_repr_names_settings():
    """The whole repr: every setting of the (first) group and the parameters of all groups."""
    assert repr(SGD([Value(1.0)], lr=0.1)) == (
        "SGD(lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False; 1 parameter)")
    assert repr(SGD([Value(1.0)], lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)) == (
        "SGD(lr=0.05, momentum=0.9, dampening=0.0, weight_decay=0.1, nesterov=True; 1 parameter)")
    params = [Value(1.0), Tensor(np.ones((2, 3)), requires_grad=True)]
    assert repr(Adam(params)) == (
        "Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0, amsgrad=False; 2 parameters)")
    groups = [{"params": [Value(1.0)]}, {"params": [Value(2.0), Value(3.0)], "lr": 0.5}]
    assert repr(Adam(groups, lr=0.01, betas=(0.8, 0.95), amsgrad=True)) == (
        "Adam(lr=0.01, betas=(0.8, 0.95), eps=1e-08, weight_decay=0.0, amsgrad=True; 3 parameters)")


@pytest.mark.torch
def test_a_group_of_one_tensor_or_value_holds_that_parameter_as_torch(torch):
    # {'params': w} was iterated into copies of w's rows, so step() never moved w
    w, tw = Tensor(np.ones((2, 3)), requires_grad=True), torch.ones((2, 3), requires_grad=True)
    ours, theirs = SGD([{"params": w}], lr=0.1), torch.optim.SGD([{"params": tw}], lr=0.1)
    assert len(ours.param_groups[0]["params"]) == 1 and ours.param_groups[0]["params"][0] is w
    (w * w).sum().backward()
    (tw * tw).sum().backward()
    ours.step()
    theirs.step()
    np.testing.assert_array_equal(w.data, tw.detach().numpy())
    v = Value(1.0)  # was "'Value' object is not iterable"
    v.grad = 1.0
    SGD([{"params": v}], lr=0.1).step()
    assert v.data == 0.9


@pytest.mark.parametrize(
    "make",
    [lambda w: [w.T], lambda w: [w * 2], lambda w: [{"params": w.T}], lambda w: [Value(1.0) * 2]],
    ids=["w.T", "w * 2", "group w.T", "Value * 2"],
)
def test_a_non_leaf_parameter_is_refused_as_torch(make):
    # torch: "can't optimize a non-leaf Tensor"; w.T was accepted, and step() moved a copy, not w
    w = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(ValueError, match=r"can't optimize a non-leaf (Tensor|Value) \(the result of '"):
        SGD(make(w), lr=0.1)


@pytest.mark.torch
def test_step_lr_decays_the_current_lr_so_a_hand_set_lr_is_kept_as_torch(torch):
    # StepLR recomputed base_lr * gamma**(epoch // step_size): a hand-set lr was overwritten
    ours = SGD([Value(0.0)], lr=1.0)
    theirs = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    sched = StepLR(ours, step_size=3, gamma=0.3)
    tsched = torch.optim.lr_scheduler.StepLR(theirs, step_size=3, gamma=0.3)
    for epoch in range(14):
        if epoch in (4, 9):  # set by hand mid-schedule: kept, then decayed from there
            ours.param_groups[0]["lr"] = theirs.param_groups[0]["lr"] = 0.07 * epoch
        theirs.step()
        sched.step()
        tsched.step()
        assert sched.get_last_lr() == tsched.get_last_lr()  # bit for bit: both multiply by gamma


def test_adam_takes_betas_as_a_numpy_array_in_a_parameter_group_too():
    """The constructor turned an array of betas into a pair; a group's own betas were refused."""
    w = Tensor(np.ones(2), requires_grad=True)
    opt = Adam([{"params": [w], "betas": np.array([0.8, 0.99])}], lr=0.1)
    assert opt.param_groups[0]["betas"] == (0.8, 0.99)
    assert Adam([w], betas=np.array([0.8, 0.99])).param_groups[0]["betas"] == (0.8, 0.99)


@pytest.mark.torch
@pytest.mark.parametrize("cls, kwargs", [(cls, kw) for cls, kw in CONFIGS if kw.get("weight_decay")],
                         ids=[i for i, (_, kw) in zip(IDS, CONFIGS) if kw.get("weight_decay")])
def test_weight_decay_leaves_the_gradient_as_torch(torch, cls, kwargs):
    """Unguarded: step() must add the weight decay to a copy, leaving p.grad as torch leaves it."""
    w0, c = np.array([[0.5, -1.5, 2.0], [1.0, 0.25, -0.75]]), np.array([[1.0, -2.0, 0.5], [3.0, 1.0, -1.0]])
    w, tw = Tensor(w0.copy(), requires_grad=True), torch.tensor(w0.copy(), requires_grad=True)
    ours, theirs = cls([w], **kwargs), _torch_optimizer(torch, cls, [tw], kwargs)
    (w * c).sum().backward()
    (tw * torch.tensor(c)).sum().backward()
    for _ in range(2):  # the same gradient used twice, as after gradient accumulation
        ours.step()
        theirs.step()
        np.testing.assert_array_equal(w.grad, tw.grad.numpy())
        np.testing.assert_array_equal(w.grad, c)
        np.testing.assert_allclose(w.data, tw.detach().numpy(), rtol=1e-12, atol=0)


@pytest.mark.torch
@pytest.mark.parametrize("kwargs", [dict(momentum=0.9), dict(momentum=0.9, nesterov=True),
                                    dict(momentum=0.5, dampening=0.3)], ids=str)
def test_momentum_buffer_is_not_the_gradient_array_edited_in_place(torch, kwargs):
    """Unguarded: the first momentum buffer must be a copy of p.grad (torch's clone), not p.grad."""
    w0 = np.array([1.0, -2.0, 0.5])
    w, tw = Tensor(w0.copy(), requires_grad=True), torch.tensor(w0.copy(), requires_grad=True)
    ours, theirs = SGD([w], lr=0.1, **kwargs), torch.optim.SGD([tw], lr=0.1, **kwargs)
    for step in range(4):
        ours.zero_grad()
        theirs.zero_grad()
        (w ** 3).sum().backward()
        (tw ** 3).sum().backward()
        if step:  # in place, between steps: the buffer (a copy at step 0) must not see it
            w.grad *= 0.5
            tw.grad *= 0.5
        ours.step()
        theirs.step()
        w.grad[:] = 100.0  # after the step, too
        tw.grad[:] = 100.0
        np.testing.assert_allclose(w.data, tw.detach().numpy(), rtol=1e-12, atol=0)
    np.testing.assert_allclose(ours.state[w]["momentum_buffer"],
                               theirs.state[tw]["momentum_buffer"].numpy(), rtol=1e-12, atol=0)


@pytest.mark.torch
def test_a_group_dict_is_the_group_itself_with_its_own_keys_as_torch(torch):
    """The dict was copied (its lr changed later did nothing) and a key such as 'name' was refused
    as an unknown setting; torch keeps the dict, filled with the defaults."""
    w, tw = Value(1.0), torch.tensor(1.0, requires_grad=True)
    g, tg = {"params": (w,), "lr": 0.1, "name": "head"}, {"params": (tw,), "lr": 0.1, "name": "head"}
    ours, theirs = SGD([g], lr=1.0, momentum=0.9), torch.optim.SGD([tg], lr=1.0, momentum=0.9)
    assert ours.param_groups[0] is g and theirs.param_groups[0] is tg
    assert type(g["params"]) is list and g["params"][0] is w  # (a list, as torch makes it)
    assert {k: g[k] for k in ("lr", "name", "momentum", "nesterov")} == {
        k: tg[k] for k in ("lr", "name", "momentum", "nesterov")}
    for lr in (0.5, 0.0, 0.25):
        g["lr"] = tg["lr"] = lr
        w.grad, tw.grad = 1.0, torch.tensor(1.0)
        ours.step()
        theirs.step()
        assert w.data == pytest.approx(tw.item(), abs=1e-15, rel=0)
    assert repr(ours) == (
        "SGD(lr=0.25, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=False; 1 parameter)")


def test_a_refused_group_leaves_the_users_dict_as_it_was():
    g = {"params": [Value(1.0)], "lr": -1.0}
    with pytest.raises(ValueError, match="lr must be"):
        SGD([g], lr=0.1)
    assert sorted(g) == ["lr", "params"]


@pytest.mark.torch
def test_add_param_group_trains_the_new_group_as_torch(torch):
    """A frozen layer unfrozen mid-training: add_param_group did not exist."""
    a0, b0 = np.array([1.0, -2.0]), np.array([0.5, 3.0])
    a, b = Tensor(a0.copy(), requires_grad=True), Tensor(b0.copy(), requires_grad=True)
    ta, tb = torch.tensor(a0.copy(), requires_grad=True), torch.tensor(b0.copy(), requires_grad=True)
    ours, theirs = Adam([a], lr=0.1), torch.optim.Adam([ta], lr=0.1)
    for step in range(6):
        if step == 3:
            group, tgroup = {"params": b, "betas": (0.8, 0.9)}, {"params": tb, "betas": (0.8, 0.9)}
            ours.add_param_group(group)
            theirs.add_param_group(tgroup)
            assert ours.param_groups[1] is group and group["lr"] == tgroup["lr"] == 0.1
        for opt, x, y in ((ours, a, b), (theirs, ta, tb)):
            opt.zero_grad()
            ((x * y).sum() ** 2).backward()
            opt.step()
        np.testing.assert_allclose(a.data, ta.detach().numpy(), rtol=0, atol=1e-12)
        np.testing.assert_allclose(b.data, tb.detach().numpy(), rtol=0, atol=1e-12)
    assert not np.allclose(b.data, b0)
    with pytest.raises(ValueError, match="appears twice"):
        ours.add_param_group({"params": [a]})
    with pytest.raises(TypeError, match="a parameter group is a dict"):
        ours.add_param_group([Tensor([1.0], requires_grad=True)])
    assert len(ours.param_groups) == 2


@pytest.mark.torch
def test_named_parameters_are_taken_with_their_names_as_torch(torch):
    """SGD(model.named_parameters()) said 'takes Value or Tensor parameters, got tuple'."""
    model, tmodel = nn.Sequential(Linear(2, 3, seed=0), nn.Tanh(), Linear(3, 1, seed=1)), torch.nn.Sequential(
        torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    tmodel.load_state_dict({k: torch.tensor(v) for k, v in model.state_dict().items()})
    ours = SGD(model.named_parameters(), lr=0.1, momentum=0.9)
    theirs = torch.optim.SGD(tmodel.named_parameters(), lr=0.1, momentum=0.9)
    assert ours.param_groups[0]["param_names"] == theirs.param_groups[0]["param_names"] == [
        "0.weight", "0.bias", "2.weight", "2.bias"]
    assert ours.param_groups[0]["params"] == model.parameters()  # (== between nodes is identity)
    X = np.array([[0.5, -1.0], [2.0, 0.25]])
    for _ in range(3):
        ours.zero_grad()
        (model(Tensor(X)) ** 2).sum().backward()
        ours.step()
        theirs.zero_grad()
        (tmodel(torch.tensor(X)) ** 2).sum().backward()
        theirs.step()
    for name, p in model.named_parameters():
        np.testing.assert_allclose(p.data, tmodel.state_dict()[name].numpy(), rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match=r"all be named \(model.named_parameters\(\)\) or all unnamed"):
        ours.add_param_group({"params": [Value(1.0)]})


@pytest.mark.torch
def test_state_is_keyed_by_the_parameter_itself_as_torch(torch, monkeypatch):
    """opt.state[p]['exp_avg'] was opt.state[id(p)]; parameters of equal numbers are distinct keys,
    and a lookup never calls a node's == (it compares nodes by identity, and refuses numbers)."""
    from collections import defaultdict

    from autograd.node import Node

    def no_eq(self, other):
        raise AssertionError("a state lookup called == on a node")

    monkeypatch.setattr(Node, "__eq__", no_eq)
    w, v = Tensor([1.0, 2.0], requires_grad=True), Tensor([1.0, 2.0], requires_grad=True)
    a, b = Value(1.0), Value(1.0)
    tw, tv, ta, tb = (torch.tensor(x, requires_grad=True) for x in ([1.0, 2.0], [1.0, 2.0], 1.0, 1.0))
    ours, theirs = Adam([w, v, a, b], lr=0.1), torch.optim.Adam([tw, tv, ta, tb], lr=0.1)
    for _ in range(2):
        for p, tp, g in ((w, tw, [1.0, -1.0]), (v, tv, [2.0, 0.5]), (a, ta, 1.0), (b, tb, -3.0)):
            p.grad, tp.grad = np.array(g) if isinstance(g, list) else g, torch.tensor(g)
        ours.step()
        theirs.step()
    assert isinstance(ours.state, defaultdict) and len(ours.state) == 4
    for p, tp in ((w, tw), (v, tv), (a, ta), (b, tb)):
        assert ours.state[p]["step"] == theirs.state[tp]["step"].item() == 2
        np.testing.assert_allclose(ours.state[p]["exp_avg"], theirs.state[tp]["exp_avg"].numpy(), rtol=1e-15)
        np.testing.assert_allclose(ours.state[p]["exp_avg_sq"], theirs.state[tp]["exp_avg_sq"].numpy(),
                                   rtol=1e-15)
    assert type(ours.state[a]["exp_avg"]) is float


def _same(a, b):
    """Nested dicts and lists equal to the bit, arrays too (of one type and dtype)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, np.ndarray):
        return type(b) is np.ndarray and a.dtype == b.dtype and np.array_equal(a, b)
    return type(a) is type(b) and a == b


def _resumable_run(cls, kwargs, w0, M0, xy0, scheduled=True):
    """Tensor parameters w, M in one group and Values x, y in another (lr 0.03), an optimizer of
    ``cls`` and a StepLR; ``train(k)`` takes k steps and an epoch's scheduler step after each."""
    w, M = Tensor(w0.copy(), requires_grad=True), Tensor(M0.copy(), requires_grad=True)
    x, y = Value(xy0[0]), Value(xy0[1])
    opt = cls([{"params": [w, M]}, {"params": [x, y], "lr": 0.03}], **kwargs)
    sched = StepLR(opt, step_size=3, gamma=0.5)
    A = np.linspace(-1.0, 1.0, 15).reshape(5, 3)

    def train(steps):
        for _ in range(steps):
            opt.zero_grad()
            ((Tensor(A) @ w - 1.0) ** 2).sum().backward()
            ((M @ w).tanh().sum() + M.sin().sum()).backward()
            ((x * y - 1.0) ** 2 + x.sin() + (x - y).tanh()).backward()
            opt.step()
            sched.step()

    return (w, M, x, y), opt, sched, train


@pytest.mark.torch
@pytest.mark.parametrize("cls, kwargs", CONFIGS, ids=IDS)
def test_a_run_resumed_from_state_dicts_is_the_uninterrupted_run_to_the_bit(torch, cls, kwargs):
    """Optimizers and StepLR had no state_dict()/load_state_dict(): training could not be saved
    and resumed.  Saved after 5 steps (through pickle), loaded into a new model, optimizer and
    scheduler and continued, it walks the uninterrupted run's path bit for bit, and torch's."""
    import pickle

    w0, M0, xy0 = np.array([0.5, -1.0, 2.0]), np.array([[1.0, -0.5, 0.25], [0.3, 2.0, -1.5]]), (0.7, -1.3)
    whole, _, _, train = _resumable_run(cls, kwargs, w0, M0, xy0)
    train(10)

    first, opt, sched, train = _resumable_run(cls, kwargs, w0, M0, xy0)
    train(5)
    kept = opt.state_dict()
    saved = pickle.dumps(([p.data for p in first], kept, sched.state_dict()))
    train(2)  # the run goes on: the state dict kept is a copy, which its steps leave as it was
    data, opt_state, sched_state = pickle.loads(saved)
    assert _same(kept, opt_state) and (not kept["state"] or not _same(kept, opt.state_dict()))
    resumed, opt2, sched2, train2 = _resumable_run(cls, kwargs, *data[:2], data[2:])
    opt2.load_state_dict(opt_state)
    sched2.load_state_dict(sched_state)
    train2(5)
    for p, q in zip(resumed, whole):
        assert type(p.data) is type(q.data)
        np.testing.assert_array_equal(p.data, q.data)  # (bit for bit)

    tw, tM = torch.tensor(w0, requires_grad=True), torch.tensor(M0, requires_grad=True)
    tx, ty = (torch.tensor(v, requires_grad=True) for v in xy0)
    theirs = getattr(torch.optim, cls.__name__)([{"params": [tw, tM]}, {"params": [tx, ty], "lr": 0.03}],
                                                **kwargs)
    tsched = torch.optim.lr_scheduler.StepLR(theirs, step_size=3, gamma=0.5)
    tA = torch.tensor(np.linspace(-1.0, 1.0, 15).reshape(5, 3))
    for _ in range(10):
        theirs.zero_grad()
        (((tA @ tw - 1.0) ** 2).sum() + torch.tanh(tM @ tw).sum() + torch.sin(tM).sum()
         + (tx * ty - 1.0) ** 2 + torch.sin(tx) + torch.tanh(tx - ty)).backward()
        theirs.step()
        tsched.step()
    for p, tp in zip(resumed, (tw, tM, tx, ty)):
        np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=0, atol=1e-10)
    assert sched2.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-15)
    assert sched2.state_dict() == {k: v for k, v in tsched.state_dict().items() if not k.startswith("_")}


def _trained_adam(*shapes, dtype=np.float64):
    params = [Tensor(np.ones(s), requires_grad=True, dtype=dtype) for s in shapes]
    opt = Adam(params, lr=0.1)
    for p in params:
        p.grad = np.full(p.shape, 0.5, dtype=dtype)
    opt.step()
    return params, opt


def _with(state_dict, **changes):
    """``state_dict`` with parameter 0's state or group 0's settings changed."""
    state = {0: {**state_dict["state"][0], **changes.pop("state", {})}}
    return {"state": state, "param_groups": [{**state_dict["param_groups"][0], **changes}]}


@pytest.mark.parametrize(
    "target, saved, error, message",
    [
        (lambda: Adam([{"params": [Tensor([1.0], requires_grad=True)]}, {"params": [Value(1.0)]}]),
         lambda: _trained_adam((2,))[1].state_dict(), ValueError,
         r"Adam: the loaded state dict has 1 parameter group\(s\), this optimizer 2"),
        (lambda: _trained_adam((2,), (3,))[1], lambda: _trained_adam((2,))[1].state_dict(), ValueError,
         r"loaded state dict contains a parameter group that doesn't match the size of optimizer's group: "
         r"group 0 has 1 parameters there, 2 here"),
        (lambda: _trained_adam((2, 3))[1], lambda: _trained_adam((3, 2))[1].state_dict(), ValueError,
         r"Adam: the loaded state 'exp_avg' of parameter 0 has shape \(3, 2\), the parameter \(2, 3\)"),
        (lambda: Adam([Value(1.0)]), lambda: _trained_adam((1,))[1].state_dict(), TypeError,
         r"the loaded state 'exp_avg' of parameter 0 must be a number \(a Value's state\), got ndarray"),
        (lambda: _trained_adam((2,))[1], lambda: SGD([Tensor([1.0, 2.0])], lr=0.1).state_dict(), ValueError,
         r"Adam: the loaded parameter group 0 has no betas, eps, amsgrad: is it the state dict of another"),
        (lambda: _trained_adam((2,))[1], lambda: Linear(2, 1, seed=0).state_dict(), ValueError,
         r"takes what an optimizer's state_dict\(\) returns, a dict with 'state' and 'param_groups', got "
         r"keys \['bias', 'weight'\] \(a model's state_dict goes to model.load_state_dict\)"),
        (lambda: _trained_adam((2,))[1], lambda: [1, 2], TypeError, "returns, a dict, got list"),
        (lambda: _trained_adam((2,))[1],
         lambda: {**_trained_adam((2,))[1].state_dict(), "state": {"0": {"step": 1}}}, ValueError,
         r"has a state for parameter '0', which none of its groups lists"),
        (lambda: _trained_adam((2,))[1],
         lambda: _with(_trained_adam((2,))[1].state_dict(), state={"step": 1.5}), ValueError,
         r"the loaded state 'step' of parameter 0 must be a count of steps \(an int >= 0\), got 1.5"),
        (lambda: _trained_adam((2,))[1], lambda: _with(_trained_adam((2,))[1].state_dict(), lr=-1.0),
         ValueError, r"Adam: lr must be a finite number >= 0, got -1.0"),
    ],
    ids=["group count", "group size", "shape", "Value state", "another kind", "a model's", "no dict",
         "unlisted index", "step", "bad setting"],
)
def test_load_state_dict_refuses_what_does_not_fit_and_changes_nothing(target, saved, error, message):
    opt = target()
    before = opt.state_dict()
    with pytest.raises(error, match=message):
        opt.load_state_dict(saved())
    assert _same(opt.state_dict(), before)


def test_load_state_dict_copies_and_casts_to_the_parameters_dtype():
    """A float64 run's state loaded into a float32 model is float32 (as torch casts it), and the
    loaded arrays are copies: the state dict and the optimizer change apart."""
    (w,), opt = _trained_adam((2, 3))
    saved = opt.state_dict()
    (w32,), opt32 = _trained_adam((2, 3), dtype=np.float32)
    opt32.load_state_dict(saved)
    state = opt32.state[w32]
    assert state["step"] == 1 and all(state[k].dtype == np.float32 for k in ("exp_avg", "exp_avg_sq"))
    w32.grad = np.ones((2, 3), np.float32)
    opt32.step()
    assert w32.data.dtype == np.float32 and opt32.state[w32]["exp_avg"].dtype == np.float32
    np.testing.assert_array_equal(saved["state"][0]["exp_avg"], opt.state[w]["exp_avg"])  # (not stepped)
    saved["state"][0]["exp_avg"][:] = 7.0
    saved["param_groups"][0]["lr"] = 7.0
    assert opt32.param_groups[0]["lr"] == 0.1 and not (opt32.state[w32]["exp_avg"] == 7.0).any()


def test_load_state_dict_keeps_the_group_dicts_and_the_names():
    model = Linear(2, 1, seed=0)
    head = {"params": model.parameters()}
    opt = SGD([head], lr=0.1)
    source = SGD([{"params": Linear(2, 1, seed=1).parameters(), "name": "head", "lr": 0.5}], lr=0.1)
    opt.load_state_dict(source.state_dict())
    assert opt.param_groups[0] is head and head["lr"] == 0.5 and head["name"] == "head"
    named = SGD(model.named_parameters(), lr=0.1)
    named.load_state_dict(source.state_dict())  # names not saved: the optimizer's own are kept
    assert named.param_groups[0]["param_names"] == ["weight", "bias"]


@pytest.mark.torch
def test_step_lr_loads_torchs_state_dict_and_refuses_a_wrong_one(torch):
    theirs = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    tsched = torch.optim.lr_scheduler.StepLR(theirs, step_size=2, gamma=0.5)
    for _ in range(3):
        theirs.step()
        tsched.step()
    ours = SGD([Value(0.0)], lr=0.5)  # (the lr itself is the optimizer's state)
    sched = StepLR(ours, step_size=5, gamma=0.1)
    sched.load_state_dict(tsched.state_dict())
    assert sched.state_dict() == {"step_size": 2, "gamma": 0.5, "base_lrs": [1.0], "last_epoch": 3}
    sched.step()
    tsched.step()
    assert sched.get_last_lr() == tsched.get_last_lr() == [0.25]
    with pytest.raises(ValueError, match=r"takes what StepLR.state_dict\(\) returns; this has no last_epoch"):
        sched.load_state_dict({"step_size": 2, "gamma": 0.5, "base_lrs": [1.0]})
    with pytest.raises(ValueError, match="StepLR: step_size must be a positive int, got 0"):
        sched.load_state_dict({**sched.state_dict(), "step_size": 0})
    assert sched.state_dict()["step_size"] == 2


@pytest.mark.torch
def test_zero_grad_takes_torchs_set_to_none(torch):
    """zero_grad(set_to_none=False) was a TypeError (torch's signature, default True)."""
    w, unused = Tensor(np.ones((2, 3), np.float32), requires_grad=True), Tensor([1.0], requires_grad=True)
    tw = torch.ones((2, 3), dtype=torch.float32, requires_grad=True)
    tunused = torch.ones(1, requires_grad=True)
    v = Value(2.0)
    ours = SGD([w, unused, v], lr=0.1, momentum=0.9)
    theirs = torch.optim.SGD([tw, tunused], lr=0.1, momentum=0.9)
    (w * w).sum().backward()
    (v * v).backward()
    (tw * tw).sum().backward()
    ours.zero_grad(set_to_none=False)
    theirs.zero_grad(set_to_none=False)
    assert w.grad.dtype == np.float32 and w.grad.shape == (2, 3) and not w.grad.any()
    np.testing.assert_array_equal(w.grad, tw.grad.numpy())
    assert unused.grad is None and tunused.grad is None and v.grad == 0.0  # no gradient: left so
    ours.step()
    theirs.step()  # a zero gradient is a step (its momentum buffer starts), a None one is not
    assert (w in ours.state, unused in ours.state) == (tw in theirs.state, tunused in theirs.state)
    assert w in ours.state and unused not in ours.state
    ours.zero_grad()
    theirs.zero_grad()
    assert w.grad is None and tw.grad is None and v.grad == 0.0
    model = Linear(2, 1, seed=0)
    model(Tensor(np.ones((1, 2)))).sum().backward()
    model.zero_grad(set_to_none=False)  # the Module's too, as torch's
    assert not model.weight.grad.any() and model.weight.grad.shape == (1, 2)
    with pytest.raises(TypeError, match="SGD.zero_grad: set_to_none must be True or False, got 'no'"):
        ours.zero_grad(set_to_none="no")


@pytest.mark.torch
def test_step_calls_a_closure_with_the_graph_recorded_and_returns_its_loss_as_torch(torch):
    """step(closure) was a TypeError; torch calls it under enable_grad() and returns its loss."""
    from autograd import no_grad

    w0 = np.array([1.5, -0.5])
    w, tw = Tensor(w0.copy(), requires_grad=True), torch.tensor(w0.copy(), requires_grad=True)
    ours, theirs = Adam([w], lr=0.1), torch.optim.Adam([tw], lr=0.1)

    def closure():
        ours.zero_grad()
        loss = ((w - 2.0) ** 2).sum()
        loss.backward()
        return loss

    def tclosure():
        theirs.zero_grad()
        loss = ((tw - 2.0) ** 2).sum()
        loss.backward()
        return loss

    for step in range(5):
        if step % 2:
            with no_grad(), torch.no_grad():  # the closure's graph is recorded all the same
                loss, tloss = ours.step(closure), theirs.step(tclosure)
        else:
            loss, tloss = ours.step(closure), theirs.step(tclosure)
        assert float(loss.data) == pytest.approx(tloss.item(), rel=1e-14)
        np.testing.assert_allclose(w.data, tw.detach().numpy(), rtol=0, atol=1e-12)
    assert ours.step() is None
    with pytest.raises(TypeError, match=r"Adam.step: closure must be a function .* got Tensor; call step"):
        ours.step(closure())


@pytest.mark.torch
def test_sgd_takes_torchs_default_learning_rate(torch):
    """SGD(params) was a TypeError (lr had no default); torch 2.x's is 1e-3."""
    w, tw = Value(1.0), torch.tensor(1.0, requires_grad=True)
    ours, theirs = SGD([w]), torch.optim.SGD([tw])
    assert ours.defaults["lr"] == theirs.defaults["lr"] == 1e-3
    w.grad, tw.grad = 2.0, torch.tensor(2.0)
    ours.step()
    theirs.step()
    assert w.data == tw.item() == 0.998


@pytest.mark.parametrize("cls", [Adam, RMSprop, Adagrad])
@pytest.mark.parametrize("eps", [0, 0.0, -1e-8])
def test_eps_of_zero_is_refused_where_a_zero_gradient_would_divide_by_zero(cls, eps):
    """Adam([Value(1.0)], eps=0) took a step with a gradient of 0.0 as a bare ZeroDivisionError
    (RMSprop and Adagrad too), and a Tensor's weights went nan with a numpy warning."""
    message = (rf"{cls.__name__}: eps must be a finite number > 0 \(it keeps the step finite where the "
               r"(running average|sum) of squared gradients is 0\)")
    with pytest.raises(ValueError, match=message):
        cls([Value(1.0)], lr=0.1, eps=eps)
    with pytest.raises(ValueError, match="eps must be a finite number > 0"):
        cls([{"params": [Tensor([1.0], requires_grad=True)], "eps": eps}], lr=0.1)
    w = Value(1.0)
    w.grad = 0.0
    cls([w], lr=0.1, eps=1e-300).step()  # (any eps > 0 keeps it finite)
    assert w.data == 1.0
