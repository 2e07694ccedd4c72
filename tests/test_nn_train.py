"""fit / History / evaluate, and the learning test on the bundled 8x8 digits."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nn  # noqa: E402
from nn import MLP, Linear, ReLU, Sequential, Sigmoid, evaluate, fit  # noqa: E402
from nn.data import blobs, digits, gate, split  # noqa: E402
from nn.losses import cross_entropy, mse  # noqa: E402
from nn.optim import SGD, Adam, StepLR  # noqa: E402


def _blob_model(seed=0):
    return Sequential(Linear(2, 16, seed=seed), ReLU(), Linear(16, 3, seed=seed + 1))


def test_digits_tensor_mlp_reaches_95_percent():
    """The lectures' digit recognition: a [64, 64, 10] ReLU network, Adam, 20 epochs (~1 s)."""
    d = digits(seed=0)
    model = Sequential(Linear(64, 64, init="he", seed=0), ReLU(), Linear(64, 10, seed=1))
    history = fit(model, cross_entropy, Adam(model.parameters(), lr=0.005), d.train, epochs=20,
                  test_data=d.test, batch_size=32, seed=0, progress=False)
    assert history.test_accuracy[-1] >= 0.95
    loss, acc = evaluate(model, cross_entropy, *d.test)
    assert acc == history.test_accuracy[-1] and loss == pytest.approx(history.test_loss[-1])


def test_digits_nielsen_network_quadratic_cost_and_sgd():
    """Nielsen's chapter 1 on the small digits: sigmoid [64, 30, 10], N(0,1) weights, quadratic
    cost on one-hot targets, plain mini-batch SGD with a large learning rate."""
    d = digits(seed=0)
    one_hot = np.eye(10)[d.y_train]
    model = Sequential(Linear(64, 30, init="normal", seed=0), Sigmoid(),
                       Linear(30, 10, init="normal", seed=1), Sigmoid())
    history = fit(model, "quadratic", SGD(model.parameters(), lr=3.0), (d.X_train, one_hot), epochs=15,
                  test_data=(d.X_test, np.eye(10)[d.y_test]), batch_size=10, progress=False)
    assert history.test_accuracy[-1] >= 0.9
    assert history.train_loss[-1] < history.train_loss[0]


def test_fit_records_history_per_epoch_and_trains():
    X, y = blobs(300, centers=3, std=1.5, seed=0)
    d = split(X, y, seed=0)
    model = _blob_model()
    opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    history = fit(model, "cross_entropy", opt, d.train, epochs=6, test_data=d.test, progress=False)
    assert history.epochs == 6
    for name in ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "lr"):
        assert len(getattr(history, name)) == 6
    assert history.train_loss[-1] < history.train_loss[0]
    assert history.test_accuracy[-1] > 0.9
    assert repr(history).startswith("History(6 epochs: train loss ")


def test_fit_is_repeatable_with_a_seed():
    X, y = blobs(100, seed=0)
    runs = []
    for _ in range(2):
        model = _blob_model()
        runs.append(fit(model, cross_entropy, Adam(model.parameters(), lr=0.01), (X, y), epochs=3,
                        seed=7, progress=False).train_loss)
    assert runs[0] == runs[1]


def test_fit_trains_a_scalar_mlp_on_xor():
    X, y = gate("xor")
    net = MLP(2, [4, 1], activation="tanh", seed=0)
    history = fit(net, mse, Adam(net.parameters(), lr=0.1), (X, y), epochs=150, batch_size=4,
                  accuracy=lambda out, labels: np.mean((out > 0.5) == labels), progress=False)
    assert history.train_loss[-1] < 1e-3
    assert history.train_accuracy[-1] == 1.0


def test_fit_with_scheduler_records_learning_rates():
    X, y = blobs(60, seed=0)
    model = _blob_model()
    opt = SGD(model.parameters(), lr=0.1)
    history = fit(model, cross_entropy, opt, (X, y), epochs=5, scheduler=StepLR(opt, 2, 0.5), progress=False)
    assert history.lr == [0.1, 0.1, 0.05, 0.05, 0.025]


def test_accuracy_is_skipped_when_outputs_cannot_be_scored():
    X = np.linspace(-1, 1, 20).reshape(20, 1)
    y = 3 * X[:, 0]
    model = Sequential(Linear(1, 1, seed=0))
    history = fit(model, lambda out, t: mse(out.reshape(-1), t), SGD(model.parameters(), lr=0.1), (X, y),
                  epochs=3, test_data=(X, y), progress=False)
    assert history.train_accuracy == [] and history.test_accuracy == []
    assert len(history.test_loss) == 3
    with pytest.raises(ValueError, match="cannot tell"):
        fit(model, lambda out, t: mse(out.reshape(-1), t), SGD(model.parameters(), lr=0.1), (X, y),
            epochs=1, accuracy=nn.losses.accuracy, progress=False)


class _Recorder(nn.Module):
    """Wraps a model; keeps each forward's output, its mode, and the samples it was shown."""

    def __init__(self, inner):
        self.inner = inner
        self.outputs, self.modes, self.seen = [], [], []

    def forward(self, x):
        out = self.inner(x)
        self.outputs.append(out)
        self.modes.append(self.training)
        self.seen.append(np.asarray(x.data)[:, 0].tolist())
        return out


def test_evaluate_uses_eval_mode_and_records_no_graph():
    """Without no_grad() the output would carry a graph (and keep every activation alive);
    without model.train(was_training) a model in eval mode would come back training."""
    X, y = blobs(50, seed=0)
    model = _Recorder(Sequential(Linear(2, 8, seed=0), nn.Dropout(0.5, seed=0), Linear(8, 3, seed=1)))
    first = evaluate(model, cross_entropy, X, y)
    assert evaluate(model, cross_entropy, X, y) == first  # dropout is off: deterministic
    assert model.modes == [False, False]  # the forward ran in eval mode
    for out in model.outputs:  # and recorded no graph: the output is a leaf
        assert out.parents == () and out.op == ""
    assert model.training and model.inner[1].training  # train mode is restored, down to Dropout
    assert all(p.grad is None for p in model.parameters())
    model.eval()
    assert evaluate(model, cross_entropy, X, y) == first
    assert not model.training and not model.inner[1].training  # eval mode stays eval mode
    model.train()
    model(X)  # a check that the recorder sees graphs when they are recorded
    assert model.outputs[-1].parents != () and model.modes[-1] is True


def test_fit_trains_in_training_mode_and_leaves_each_module_in_the_mode_it_was_given():
    """fit set the whole model to training mode and left it there: a model given in eval mode
    came back with Dropout on, so its predictions after fit were noisy."""
    X, y = blobs(40, seed=0)
    model = _Recorder(Sequential(Linear(2, 8, seed=0), nn.Dropout(0.5, seed=0), Linear(8, 3, seed=1)))
    model.eval()
    model.inner[1].train()  # one module in its own mode: kept too
    fit(model, cross_entropy, SGD(model.parameters(), lr=0.1), (X, y), epochs=1, batch_size=20,
        test_data=(X, y), progress=False)
    # the test set's first sample tried (eval mode), two training steps, then the test set
    assert model.modes == [False, True, True, False]
    assert [m.training for m in model.modules()] == [False, False, False, True, False]
    evaluate(model, cross_entropy, X, y)  # evaluate too keeps each module's own flag
    assert [m.training for m in model.modules()] == [False, False, False, True, False]
    model.train()
    fit(model, cross_entropy, SGD(model.parameters(), lr=0.1), (X, y), epochs=1, progress=False)
    assert all(m.training for m in model.modules())

    class Frozen(nn.Sequential):  # a model whose train() keeps its Dropout off: fit calls it
        def train(self, mode=True):
            super().train(mode)
            self[1].training = False
            return self

    frozen = Frozen(Linear(2, 8, seed=0), nn.Dropout(0.5, seed=0), Linear(8, 3, seed=1))
    seen = []
    frozen[1].forward = lambda x: seen.append(frozen[1].training) or x
    fit(frozen, cross_entropy, SGD(frozen.parameters(), lr=0.1), (X, y), epochs=1, batch_size=20,
        progress=False)
    assert seen == [False, False]


def test_fit_reshuffles_the_training_set_every_epoch():
    """Each epoch sees every sample once, in a new order (the same order every epoch, or the
    unshuffled one, would train on the same mini-batches each time); a seed repeats the orders."""
    n = 12
    X = np.arange(n, dtype=float).reshape(n, 1)  # a sample's feature is its index
    y = np.arange(n) % 2

    def orders(seed):
        model = _Recorder(Linear(1, 2, seed=0))
        fit(model, cross_entropy, SGD(model.parameters(), lr=0.01), (X, y), epochs=3, batch_size=4,
            seed=seed, progress=False)
        seen = [i for batch in model.seen for i in batch]
        assert len(model.seen) == 3 * 3 and all(len(b) == 4 for b in model.seen)
        return [seen[k * n:(k + 1) * n] for k in range(3)]

    epochs = orders(seed=0)
    for order in epochs:
        assert sorted(order) == list(range(n))  # every sample once per epoch
    assert epochs[0] != list(range(n))  # shuffled
    assert epochs[0] != epochs[1] and epochs[1] != epochs[2] and epochs[0] != epochs[2]  # reshuffled
    assert orders(seed=0) == epochs  # repeatable with a seed
    assert orders(seed=1) != epochs


def test_progress_bar_on_and_off(capsys):
    X, y = blobs(40, seed=0)
    model = _blob_model()
    fit(model, cross_entropy, SGD(model.parameters(), lr=0.1), (X, y), epochs=2, progress=True)
    err = capsys.readouterr().err
    assert "fit" in err and "2/2" in err and "loss=" in err
    fit(model, cross_entropy, SGD(model.parameters(), lr=0.1), (X, y), epochs=2, progress=False)
    assert capsys.readouterr().err == ""


def test_bad_loss_and_accuracy_arguments():
    model = _blob_model()
    opt = SGD(model.parameters(), lr=0.1)
    X, y = blobs(10, seed=0)
    with pytest.raises(ValueError, match="unknown loss 'hinge_squared'"):
        fit(model, "hinge_squared", opt, (X, y), progress=False)
    with pytest.raises(TypeError, match="loss_fn must be a function"):
        fit(model, 3, opt, (X, y), progress=False)
    with pytest.raises(TypeError, match="accuracy must be"):
        fit(model, cross_entropy, opt, (X, y), accuracy="top5", progress=False)


def test_empty_or_unbatched_training_data_is_refused():
    model = _blob_model()
    opt = SGD(model.parameters(), lr=0.1)
    X, y = blobs(10, seed=0)
    with pytest.raises(ValueError, match="at least one training sample"):  # was ZeroDivisionError
        fit(model, cross_entropy, opt, ([], []), progress=False)
    with pytest.raises(ValueError, match=r"one sample is X=\[row\]"):  # was len() of unsized object
        fit(model, cross_entropy, opt, (X[0], y[0]), progress=False)
    with pytest.raises(ValueError, match="fit: test_data has no samples"):  # was nan, then after an epoch
        fit(model, cross_entropy, opt, (X, y), test_data=(X[:0], y[:0]), progress=False)


def test_history_plot_returns_and_saves_a_figure(tmp_path):
    X, y = blobs(60, seed=0)
    d = split(X, y, seed=0)
    model = _blob_model()
    history = fit(model, cross_entropy, Adam(model.parameters(), lr=0.01), d.train, epochs=3,
                  test_data=d.test, progress=False)
    path = tmp_path / "history.png"
    fig = history.plot(path, title="blobs")
    assert path.stat().st_size > 1000 and path.read_bytes()[:4] == b"\x89PNG"
    axes = fig.get_axes()
    assert [ax.get_ylabel() for ax in axes] == ["loss", "accuracy"]
    assert [line.get_label() for line in axes[0].get_lines()] == ["train loss", "test loss"]
    assert list(axes[1].get_lines()[1].get_ydata()) == history.test_accuracy
    only_loss = nn.History(train_loss=[1.0, 0.5])
    assert len(only_loss.plot().get_axes()) == 1
    for ax in axes:  # three epochs: ticks 1, 2, 3, not 1.25, 1.5...
        ax.figure.canvas.draw()
        assert all(float(t).is_integer() for t in ax.get_xticks()), ax.get_xticks()


def test_fit_and_evaluate_a_scalar_mlp_with_class_scores():
    X, y = nn.data.moons(40, seed=0)
    net = MLP(2, [8, 2], seed=0)
    history = fit(net, cross_entropy, Adam(net.parameters(), lr=0.05), (X, y), epochs=5,
                  test_data=(X, y), progress=False)
    assert history.train_loss[-1] < history.train_loss[0]
    assert history.test_accuracy[-1] >= 0.8
    assert evaluate(net, cross_entropy, X, y) == (history.test_loss[-1], history.test_accuracy[-1])
    assert all(type(p.grad) is float for p in net.parameters())  # Value gradients stay plain floats


def test_signed_labels_are_scored_in_every_epoch_even_when_a_batch_has_only_plus_ones():
    # -1/+1 labels: a mini-batch (or test set) holding only +1 could not be scored on its own,
    # which silently dropped that epoch's accuracy (batch_size=2 gave no train accuracy at all)
    X, y = nn.data.moons(40, seed=0)
    y = 2 * y - 1
    net = MLP(2, [8, 1], seed=0)
    history = fit(net, "hinge", SGD(net.parameters(), lr=0.05), (X, y), epochs=3, batch_size=2,
                  test_data=(X[y > 0][:5], y[y > 0][:5]), progress=False)
    assert len(history.train_accuracy) == 3 and len(history.test_accuracy) == 3
    out = np.array([net(row).data for row in X[y > 0][:5].tolist()])
    assert history.test_accuracy[-1] == np.mean(out > 0)
    model = Sequential(Linear(2, 8, seed=0), ReLU(), Linear(8, 1, seed=1))
    history = fit(model, "hinge", SGD(model.parameters(), lr=0.05), (X, y[:, None]), epochs=5,
                  batch_size=4, progress=False)
    assert len(history.train_accuracy) == 5


def test_fit_refuses_a_split_or_a_bare_array_as_its_data():
    # test_data=d (a Split: X_train, y_train, X_test, y_test) silently measured the training set
    # as "test"; train_data=d.X_train failed with "too many values to unpack"
    d = split(*blobs(40, seed=0), seed=0)
    model = _blob_model()
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"test_data must be a pair.*Split of 4 parts.*d\.test"):
        fit(model, cross_entropy, opt, d.train, epochs=1, test_data=d, progress=False)
    with pytest.raises(TypeError, match=r"train_data must be a pair \(X, y\), got a ndarray"):
        fit(model, cross_entropy, opt, d.X_train, epochs=1, progress=False)
    history = fit(model, cross_entropy, opt, list(d.train), epochs=1, test_data=d.test, progress=False)
    assert history.epochs == 1 and len(history.test_loss) == 1


def test_history_plot_of_no_epochs_is_a_clear_error_not_a_blank_figure():
    with pytest.raises(ValueError, match="nothing to plot yet"):
        nn.History().plot()


def test_fit_and_evaluate_take_tensors_as_data():
    # Tensor(X) became an object array of 0-d Tensors: "got an array of dtype object"
    from autograd import Tensor

    X, y = blobs(30, seed=0)
    histories = []
    for wrap in (np.asarray, Tensor):
        model = _blob_model()
        histories.append(fit(model, cross_entropy, SGD(model.parameters(), lr=0.1), (wrap(X), wrap(y)),
                             epochs=2, test_data=(wrap(X), wrap(y)), progress=False))
        assert evaluate(model, cross_entropy, wrap(X), wrap(y)) == (
            histories[-1].test_loss[-1], histories[-1].test_accuracy[-1])
    assert histories[0] == histories[1]


def test_fit_refuses_negative_epochs_and_does_nothing_for_zero():
    model = _blob_model()
    before = [p.data.copy() for p in model.parameters()]
    opt = SGD(model.parameters(), lr=0.1)
    X, y = blobs(10, seed=0)
    for bad in (-1, 2.5, True):  # -1 silently trained nothing
        with pytest.raises(ValueError, match=r"fit: epochs must be an int >= 0"):
            fit(model, cross_entropy, opt, (X, y), epochs=bad, progress=False)
    assert fit(model, cross_entropy, opt, (X, y), epochs=0, progress=False).epochs == 0
    assert all(np.array_equal(a, p.data) for a, p in zip(before, model.parameters()))


def test_fit_refuses_an_optimizer_over_another_models_parameters():
    # Adam(other.parameters()) stepped the other model: nothing trained, and no error
    X, y = blobs(20, seed=0)
    model, other = _blob_model(), _blob_model()
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(ValueError, match=r"fit: none of the model's 4 parameters is in the optimizer"):
        fit(model, cross_entropy, Adam(other.parameters(), lr=0.01), (X, y), epochs=1, progress=False)
    assert all(np.array_equal(a, p.data) for a, p in zip(before, model.parameters()))
    last = Adam(model.parameters()[2:], lr=0.01)  # fine-tuning the last layer only: allowed
    fit(model, cross_entropy, last, (X, y), epochs=1, progress=False)
    after = [p.data for p in model.parameters()]
    assert all(np.array_equal(a, b) for a, b in zip(before[:2], after[:2]))  # the first layer as it was
    assert not np.array_equal(before[2], after[2])  # the last one trained
    groups = [{"params": model.parameters()[:2]}, {"params": model.parameters()[2:], "lr": 0.001}]
    assert fit(model, cross_entropy, Adam(groups, lr=0.01), (X, y), epochs=1, progress=False).epochs == 1


def test_history_repr_says_1_epoch_not_1_epochs():
    assert repr(nn.History(train_loss=[0.5])) == "History(1 epoch: train loss 0.5000)"
    assert repr(nn.History(train_loss=[0.5, 0.25])) == "History(2 epochs: train loss 0.2500)"
    assert repr(nn.History()) == "History(0 epochs)"


def test_evaluate_takes_the_pair_fit_takes_in_place_of_X():
    # nn.evaluate(model, loss, d.test) failed: evaluate took X and y separately, fit a pair
    d = split(*blobs(40, seed=0), seed=0)
    model = _blob_model()
    want = evaluate(model, cross_entropy, d.X_test, d.y_test)
    assert evaluate(model, cross_entropy, d.test) == want
    assert evaluate(model, "cross_entropy", list(d.test), accuracy="auto") == want
    with pytest.raises(TypeError, match=r"evaluate's X \(with y omitted\) must be a pair.*d\.test"):
        evaluate(model, cross_entropy, d)
    with pytest.raises(TypeError, match=r"must be a pair \(X, y\), got a ndarray"):
        evaluate(model, cross_entropy, d.X_test)


@pytest.mark.parametrize("seed, error", [(-1, ValueError), ("a", TypeError), (1.5, TypeError)])
def test_fit_checks_its_seed_as_the_data_functions_do(seed, error):
    """numpy's own "expected non-negative integer" came from deep inside its bit generator."""
    model = nn.Sequential(nn.Linear(2, 2, seed=0))
    with pytest.raises(error, match="seed must be an int >= 0, a numpy Generator or None"):
        fit(model, "cross_entropy", SGD(model.parameters(), lr=0.1), (np.ones((4, 2)), [0, 1, 0, 1]),
            seed=seed, progress=False)


def test_history_plot_of_a_test_only_history_and_to_a_folder(tmp_path):
    """A test-only History crashed in matplotlib (x of length 0), and plot('.') or plot('dir/')
    became a hidden '.png' path and matplotlib's "Format '' is not supported"."""
    fig = nn.History(test_loss=[1.0, 0.5]).plot(tmp_path / "test.png")
    assert list(fig.axes[0].lines[0].get_xdata()) == [1, 2]
    for folder in (tmp_path, f"{tmp_path}/", "."):
        with pytest.raises(IsADirectoryError, match="a folder; give a file name to write"):
            nn.History(train_loss=[1.0]).plot(folder)
    assert not (tmp_path / ".png").exists()


def test_fit_refuses_an_optimizer_or_scheduler_class_before_training():
    """fit(model, loss, SGD, data) failed on the first batch with "zero_grad() missing 1 required
    positional argument: 'self'"; scheduler=StepLR failed so after the first epoch had trained."""
    X, y = blobs(40, seed=0)
    model = _blob_model()
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(TypeError, match=r"fit: optimizer must be an optimizer, not the class SGD: pass "
                                        r"SGD\(model.parameters\(\), lr=...\)"):
        fit(model, cross_entropy, SGD, (X, y), progress=False)
    with pytest.raises(TypeError, match=r"fit: scheduler must be a scheduler, not the class StepLR: pass "
                                        r"StepLR\(optimizer, step_size=...\)"):
        fit(model, cross_entropy, SGD(model.parameters(), lr=0.1), (X, y), scheduler=StepLR, progress=False)
    assert all(np.array_equal(p.data, b) for p, b in zip(model.parameters(), before))  # nothing trained


def test_fit_without_an_optimizer_says_the_optimizer_comes_third():
    """fit(model, loss, data) said "fit() missing 1 required positional argument: 'train_data'",
    though what was left out was the optimizer."""
    X, y = blobs(40, seed=0)
    model = _blob_model()
    with pytest.raises(TypeError, match=r"got a tuple, which looks like training data: the optimizer comes "
                                        r"third, fit\(model, loss, optimizer, train_data\)"):
        fit(model, cross_entropy, (X, y), progress=False)
    with pytest.raises(TypeError, match=r"fit: no train_data to train on; call fit\(model, loss, optimizer, "
                                        r"\(X, y\)\)"):
        fit(model, cross_entropy, SGD(model.parameters(), lr=0.1), progress=False)
    with pytest.raises(TypeError, match=r"got str 'adam'"):
        fit(model, cross_entropy, "adam", (X, y), progress=False)
    with pytest.raises(TypeError, match=r"got the parameters themselves: build one from them, "
                                        r"SGD\(model\.parameters\(\), lr=0\.1\)"):
        fit(model, cross_entropy, model.parameters(), (X, y), progress=False)


def test_fit_seed_repeats_a_call_and_a_generator_goes_on_across_calls_as_documented():
    """The docstring's account of seed: 0 by default, so each call shuffles alike; one generator
    passed to each call goes on to new orders (as two epochs of one call); None differs each call."""
    n = 12
    X, y = np.arange(n, dtype=float).reshape(n, 1), np.arange(n) % 2

    def orders(calls, epochs, **seed):
        model = _Recorder(Linear(1, 2, seed=0))
        opt = SGD(model.parameters(), lr=0.01)
        for _ in range(calls):
            fit(model, cross_entropy, opt, (X, y), epochs=epochs, batch_size=n, progress=False, **seed)
        return model.seen

    default = orders(2, 1)
    assert default[0] == default[1] and orders(1, 1, seed=0) == default[:1]
    carried_on = orders(2, 1, seed=np.random.default_rng(0))
    assert carried_on[0] != carried_on[1] and carried_on == orders(1, 2, seed=np.random.default_rng(0))
    fresh = orders(2, 1, seed=None)
    assert fresh[0] != fresh[1] or fresh[0] != orders(1, 1, seed=None)[0]  # (12! orders: all alike ~never)


@pytest.mark.parametrize("stop_at", ["loss", "test"])
def test_ctrl_c_stops_fit_and_keeps_the_finished_epochs(stop_at, capsys, monkeypatch):
    """Ctrl-C raised out of fit and lost the history of the epochs that had run (in a REPL; a
    script stops, as the next test checks)."""
    monkeypatch.setattr(nn.train, "_interactive", lambda: True)
    X, y = blobs(90, centers=3, seed=0)
    d = split(X, y, seed=0)
    model = _blob_model()
    calls = {"train": 0, "test": 0}
    train_batches = -(-len(d.train[0]) // 32)

    def loss(out, target):  # cross-entropy that is Ctrl-C'd in the third epoch
        with_grad = getattr(out, "requires_grad", False)
        calls["train" if with_grad else "test"] += 1
        if stop_at == "loss" and calls["train"] == 2 * train_batches + 1:
            raise KeyboardInterrupt
        if stop_at == "test" and calls["test"] == 4:  # (the first is fit's check before training)
            raise KeyboardInterrupt  # in the third epoch's test pass: its train entries are in
        return cross_entropy(out, target)

    history = fit(model, loss, SGD(model.parameters(), lr=0.1), d.train, epochs=5, test_data=d.test,
                  progress=False)
    assert history.interrupted and history.epochs == 2
    for name in ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "lr"):
        assert len(getattr(history, name)) == 2, name
    assert "stopped by Ctrl-C during epoch 3 of 5" in capsys.readouterr().err
    assert repr(history).startswith("History(2 epochs, stopped by Ctrl-C: train loss ")


def test_ctrl_c_in_a_script_stops_the_script(monkeypatch):
    """A script went on after a swallowed Ctrl-C, to an IndexError on the empty history."""
    monkeypatch.setattr(nn.train, "_interactive", lambda: False)
    X, y = blobs(40, centers=3, seed=0)

    def loss(out, target):
        raise KeyboardInterrupt

    model = _blob_model()
    with pytest.raises(KeyboardInterrupt):
        fit(model, loss, SGD(model.parameters(), lr=0.1), (X, y), epochs=2, progress=False)
    assert model.training  # (its mode as given, restored on the way out)
