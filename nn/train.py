"""``fit``: the training loop of the lectures, written once, with a ``History`` to plot.

Each epoch shuffles the training set, and for every mini-batch runs forward, loss,
``zero_grad()``, ``backward()`` and the optimizer's ``step()``; then it measures the test
set.  It is the loop you would write yourself (the demos show both)::

    for epoch in range(epochs):
        for X_batch, y_batch in batches(X, y, batch_size, seed=rng):
            loss = loss_fn(model(X_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    >>> import nn
    >>> from nn.optim import Adam
    >>> X, y = nn.data.moons(300, noise=0.2, seed=0)
    >>> d = nn.data.split(X, y, seed=0)
    >>> model = nn.Sequential(nn.Linear(2, 32, seed=0), nn.ReLU(),
    ...                       nn.Linear(32, 32, seed=1), nn.ReLU(), nn.Linear(32, 2, seed=2))
    >>> history = nn.fit(model, 'cross_entropy', Adam(model.parameters(), lr=0.01), d.train,
    ...                  epochs=30, test_data=d.test, progress=False)
    >>> history
    History(30 epochs: train loss ..., train accuracy ..., test loss ..., test accuracy ...)
    >>> history.test_accuracy[-1] > 0.95
    True

A scalar model (an ``MLP`` of Values) works too: it is called on each row as a list of
numbers, and the loss gets the list of its outputs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd.files import atomic_write, file_to_write
from autograd.mode import no_grad
from autograd.ops import check_flag, data_of, is_node
from autograd.value import Value

from . import losses
from .checks import check_epochs, check_real
from .data import _rng, _samples, as_array, batches
from .module import Module


@dataclass
class History:
    """What happened during ``fit``: one entry per epoch (``test_*`` stay empty without test
    data, ``*_accuracy`` without a way to score outputs)."""

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    interrupted: bool = False  # stopped by Ctrl-C: the lists hold the epochs that finished

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    def _keep(self, epochs: int) -> None:
        """Keep the first ``epochs`` entries of every list (an epoch cut short left some of its own)."""
        for name in ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "lr"):
            del getattr(self, name)[epochs:]

    def __repr__(self) -> str:
        parts = []
        for name in ("train_loss", "train_accuracy", "test_loss", "test_accuracy"):
            values = getattr(self, name)
            if values:
                parts.append(f"{name.replace('_', ' ')} {values[-1]:.4f}")
        epochs = f"{self.epochs} epoch" + ("" if self.epochs == 1 else "s")
        stopped = ", stopped by Ctrl-C" if self.interrupted else ""
        return f"History({epochs}{stopped}" + (": " + ", ".join(parts) if parts else "") + ")"

    def plot(self, path: str | os.PathLike | None = None, title: str = "") -> Any:
        """A matplotlib ``Figure`` of loss (and accuracy, if measured) per epoch, train and
        test; saved to ``path`` when given (atomically, in the format its suffix names; without
        one, as PNG with ``.png`` added, as matplotlib does).  Needs matplotlib (``pip install matplotlib``).

        Made without pyplot, so it works on any backend and leaves no window open; in a
        notebook, the returned figure shows itself.
        """
        try:
            from matplotlib.figure import Figure
            from matplotlib.ticker import MaxNLocator
        except ImportError as err:
            raise ImportError("History.plot() needs matplotlib: pip install matplotlib") from err
        if path is not None:  # (checked before drawing; a folder before a suffix makes it "./.png")
            path = file_to_write(path)
        if not (self.train_loss or self.test_loss):
            raise ValueError("History.plot(): nothing to plot yet, the history has no epochs "
                             "(fit() fills it, one entry per epoch)")
        has_acc = bool(self.train_accuracy or self.test_accuracy)
        fig = Figure(figsize=(10 if has_acc else 5, 3.8), layout="constrained")
        axes = fig.subplots(1, 2 if has_acc else 1, squeeze=False)[0]
        epochs = np.arange(1, max(len(self.train_loss), len(self.test_loss)) + 1)  # (test-only too)
        panels = [("loss", self.train_loss, self.test_loss)]
        if has_acc:
            panels.append(("accuracy", self.train_accuracy, self.test_accuracy))
        for ax, (name, train, test) in zip(axes, panels):
            if train:
                ax.plot(epochs[: len(train)], train, marker="o", ms=3, label=f"train {name}")
            if test:
                ax.plot(epochs[: len(test)], test, marker="o", ms=3, label=f"test {name}")
            ax.set_xlabel("epoch")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # (a few epochs: no tick at 1.5)
            ax.set_ylabel(name)
            ax.grid(alpha=0.3)
            ax.legend()
        if title:
            fig.suptitle(title)
        if path is not None:  # via a temporary file: a failed write leaves an old figure as it was
            if os.path.splitext(path)[1] in ("", "."):
                path = path.rstrip(".") + ".png"  # as matplotlib's savefig names a file without a suffix
            with atomic_write(path) as f:
                fig.savefig(f, format=os.path.splitext(path)[1].lstrip("."), dpi=100)
        return fig


def _is_scalar_model(model: Any) -> bool:
    params = model.parameters() if isinstance(model, Module) else []
    return bool(params) and isinstance(params[0], Value)


def _forward(model: Any, X: np.ndarray, scalar: bool) -> Any:
    if scalar:
        return [model(row) for row in X.tolist()]
    from .layers import as_tensor  # imported here: scalar networks need no Tensor

    return model(as_tensor(X))


def _output_array(out: Any) -> np.ndarray:
    if isinstance(out, list):
        return np.array([[v.data for v in o] if isinstance(o, (list, tuple)) else o.data for o in out])
    return np.asarray(data_of(out))


def _auto_accuracy(out: np.ndarray, y: np.ndarray) -> float | None:
    """``losses.accuracy`` where it can tell how to score the outputs, else None; nan for outputs
    with nan (a diverged model has no accuracy, and fit goes on as torch would)."""
    try:
        return losses.accuracy(out, y)
    except (ValueError, TypeError):  # (TypeError: targets that are no labels, a regression's)
        if not np.isnan(out).any():
            return None
    try:  # nan only where the outputs would be scored without their nans (not a regression's)
        losses.accuracy(np.nan_to_num(out), y)
    except (ValueError, TypeError):
        return None
    return float("nan")


def _signed_accuracy(out: np.ndarray, y: np.ndarray) -> float | None:
    """``_auto_accuracy`` for a training set with -1/+1 labels: single scores are scored by
    their sign even in a batch (or test set) that holds only +1 labels."""
    acc = _auto_accuracy(out, y)
    if acc is None and out.size == y.size and np.isin(y, (-1, 1)).all():
        return float(np.mean(np.where(out.reshape(-1) > 0, 1, -1) == y.reshape(-1)))
    return acc


def _has_signed_labels(y: np.ndarray) -> bool:
    return bool(np.isin(y, (-1, 1)).all() and (y == -1).any())


def _resolve_accuracy(acc: Any) -> Callable | None:
    if isinstance(acc, str) and acc == "auto":
        return _auto_accuracy
    if acc is None or callable(acc):
        return acc
    raise TypeError(f"accuracy must be 'auto', None or a function (outputs, labels) -> float; got {acc!r}")


def evaluate(
    model: Any, loss_fn: Callable | str, X: Any, y: Any = None, accuracy: Any = "auto"
) -> tuple:
    """``(loss, accuracy)`` of ``model`` on ``(X, y)`` in eval mode, without recording a graph
    (accuracy is None when it cannot be scored).  As ``fit`` takes its data, the pair may be
    passed whole in place of ``X``: ``evaluate(model, loss_fn, d.test)``.

    >>> import numpy as np
    >>> from nn import Linear
    >>> model = Linear(2, 2, seed=0)
    >>> model.weight.data[...] = [[1.0, 0.0], [0.0, 1.0]]
    >>> loss, acc = evaluate(model, 'cross_entropy', np.array([[2.0, 0.0], [0.0, 3.0]]), [0, 0])
    >>> round(loss, 4), acc
    (1.5878, 0.5)
    >>> evaluate(model, 'cross_entropy', (np.array([[2.0, 0.0], [0.0, 3.0]]), [0, 0])) == (loss, acc)
    True
    """
    if y is None:  # one argument: the (X, y) pair fit takes
        X, y = _xy(X, "evaluate's X (with y omitted)")
    loss_fn = _resolve_loss(loss_fn)
    acc_fn = _resolve_accuracy(accuracy)
    X, y = np.asarray(data_of(X)), data_of(y)  # Tensors given as data are their numbers
    if X.size == 0:
        raise ValueError(f"evaluate needs at least one sample; got X of shape {X.shape}")
    scalar = _is_scalar_model(model)
    with _in_mode(model, False), no_grad():
        out = _forward(model, X, scalar)
        loss = float(np.asarray(data_of(loss_fn(out, y))))
    return loss, _score(acc_fn, out, y)


@contextmanager
def _in_mode(model: Any, training: bool) -> Iterator[None]:
    """``model.train(training)`` (its own ``train()``, which a subclass may extend) for the block,
    then each module's flag as it was, module by module (a Dropout kept in eval mode stays so)."""
    modes = [(m, m.training) for m in model.modules()] if isinstance(model, Module) else []
    if modes:
        model.train(training)
    try:
        yield
    finally:
        for m, mode in modes:
            m.training = mode


def _score(acc_fn: Callable | None, out: Any, y: Any) -> float | None:
    if acc_fn is None:
        return None
    acc = acc_fn(_output_array(out), np.asarray(y))
    return None if acc is None else float(acc)


def _xy(data: Any, what: str) -> tuple[Any, Any]:
    """``(X, y)`` from ``data``, which must be a pair (a ``Split`` has four parts: pass
    ``d.train`` or ``d.test``, else the test set would silently be the training set)."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        kind = type(data).__name__ + (f" of {len(data)} parts" if isinstance(data, (tuple, list)) else "")
        hint = "; for a Split d pass d.train or d.test" if hasattr(data, "X_train") else ""
        raise TypeError(f"{what} must be a pair (X, y), got a {kind}{hint}")
    return data[0], data[1]


def _resolve_loss(loss_fn: Callable | str) -> Callable:
    if isinstance(loss_fn, str):
        if loss_fn not in losses.LOSSES:
            raise ValueError(f"unknown loss {loss_fn!r}; one of {', '.join(losses.LOSSES)}")
        return losses.LOSSES[loss_fn]
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be a function (outputs, targets) -> loss, got {loss_fn!r}")
    return loss_fn


def _check_data(X: np.ndarray, y: np.ndarray, which: str) -> None:
    """Once, before the first step: X and the targets are real numbers, finite, one target per
    row; a problem is named by its row in the data as given (a batch is shuffled)."""
    for a, part, has in ((X, "X", "has"), (y, "targets", "have")):
        check_real(a, f"fit: {which} {part}")
        if a.dtype.kind == "f" and not np.isfinite(a).all():  # a nan or inf makes every weight nan
            at = np.unravel_index(np.argmin(np.isfinite(a)), a.shape)
            where = f"row {at[0]}" + (f" (index {tuple(map(int, at))})" if a.ndim > 1 else "")
            raise ValueError(f"fit: {which} {part} {has} {a[at]} at {where}; drop or fill in that row")
    _samples(X, y, f"fit: {which}")  # one row per sample: the check split() and batches() make


def _first_bad(y: np.ndarray, bad: np.ndarray, which: str, accepted: str) -> None:
    """A ValueError naming the first row of ``y`` where ``bad`` holds, if any."""
    if bad.any():
        at = np.unravel_index(np.argmax(bad), bad.shape)  # the first, in the data's order
        raise ValueError(f"fit: {which} targets must be {accepted}; row {at[0]} has {y[at].item()}")


def _check_labels(loss_fn: Callable, data: list[tuple[np.ndarray, str]]) -> None:
    """The targets a binary loss or hinge takes, checked whole before the first step (the loss
    would find a bad one only in its batch, after the steps of the batches before it)."""
    for y, which in data:
        if not y.ndim or not y.size:
            continue
        if loss_fn in (losses.binary_cross_entropy, losses.binary_cross_entropy_with_logits):
            accepted = f"in [0, 1] for {loss_fn.__name__} (0/1 labels or probabilities)"
            _first_bad(y, (y < 0) | (y > 1), which, accepted)
        elif loss_fn is losses.hinge:
            _first_bad(y, (y != -1) & (y != 1), which, "-1 or +1 for hinge")


def _check_classes(out: np.ndarray, data: list[tuple[np.ndarray, str]]) -> None:
    """cross_entropy's class labels, all of them, against the width of the first batch's output
    (before its step): a label >= the number of outputs, in a late batch, came after many steps."""
    if out.ndim != 2:
        return
    classes = out.shape[1]
    for y, which in data:
        if y.size == 0 or y.ndim > 2 or (y.ndim == 2 and y.shape[1] != 1) or not y.ndim:
            continue  # probabilities (one-hot rows), or no labels: the loss checks those
        bad = (y < 0) | (y >= classes) | (y != np.round(y))
        _first_bad(y, bad, which, f"class labels 0..{classes - 1} for the model's {classes} outputs")


def _check_optimizer(model: Any, optimizer: Any) -> None:
    """An optimizer built over another model's parameters steps those, and this model never
    trains, without an error: refuse it before the first epoch.  One over some of the model's
    parameters is fine (fine-tuning the last layer, as in PyTorch)."""
    if isinstance(optimizer, type):  # SGD, not SGD(...): its zero_grad() would fail wanting a self
        raise TypeError(f"fit: optimizer must be an optimizer, not the class {optimizer.__name__}: pass "
                        f"{optimizer.__name__}(model.parameters(), lr=...)")
    if not (callable(getattr(optimizer, "zero_grad", None)) and callable(getattr(optimizer, "step", None))):
        data = isinstance(optimizer, tuple | list | np.ndarray)  # (a Split is a tuple too)
        if data and len(optimizer) and all(is_node(p) for p in optimizer):  # model.parameters()
            raise TypeError("fit: optimizer must be an optimizer, got the parameters themselves: build one "
                            "from them, SGD(model.parameters(), lr=0.1)")
        raise TypeError("fit: optimizer must have zero_grad() and step(), as SGD(model.parameters(), "
                        "lr=0.1) has, got " + (
                            f"a {type(optimizer).__name__}, which looks like training data: the optimizer "
                            "comes third, fit(model, loss, optimizer, train_data)" if data
                            else f"{type(optimizer).__name__} {optimizer!r:.60}"))
    groups = getattr(optimizer, "param_groups", None)
    if groups is None or not isinstance(model, Module):
        return
    given = {id(p) for g in groups for p in g["params"]}
    params = model.parameters()
    if params and not any(id(p) in given for p in params):
        raise ValueError(
            f"fit: none of the model's {len(params)} parameters is in the optimizer, so the model would "
            "never train; build the optimizer from this model, e.g. Adam(model.parameters(), lr=0.01)"
        )


def fit(
    model: Any,
    loss_fn: Callable | str,
    optimizer: Any,
    train_data: tuple[Any, Any] | None = None,
    epochs: int = 10,
    test_data: tuple[Any, Any] | None = None,
    batch_size: int = 32,
    seed: int | None = 0,
    scheduler: Any = None,
    accuracy: Any = "auto",
    progress: bool = True,
) -> History:
    """Train ``model`` for ``epochs`` passes over ``train_data = (X, y)`` with mini-batches.

    ``loss_fn`` is a function ``(outputs, targets) -> loss`` or the name of one in
    :mod:`nn.losses`.  ``scheduler`` (e.g. ``StepLR``) steps once per epoch.  ``accuracy``:
    ``'auto'`` scores class scores by argmax (and single scores with -1/+1 labels by sign),
    or pass a function ``(output array, labels) -> float``, or None.  Train loss and accuracy
    are averaged over the epoch's batches as they were trained; test ones are measured after
    the epoch.  ``progress`` shows a tqdm bar when tqdm is installed.  ``optimizer`` must hold
    parameters of ``model`` (one built over another model's would train nothing); some of them
    is fine, to fine-tune a layer.  The model trains in training mode (Dropout on) and is left
    in the mode it was given in, module by module (``model.eval()`` before, eval after).
    In a REPL or a notebook, Ctrl-C stops it and it returns the history of the epochs that
    finished (``interrupted`` set), the model keeping what it learned; in a script Ctrl-C stops
    the script, as anywhere else.

    ``seed`` (0 unless given) fixes the order each epoch shuffles the training set in, so a run
    repeats exactly.  Each call starts from it afresh, so two calls ``fit(..., epochs=1)`` shuffle
    alike, where torch's ``DataLoader(shuffle=True)`` goes on to new orders: to go on across calls,
    pass them one generator, ``rng = np.random.default_rng(0)`` and then ``seed=rng``; ``seed=None``
    shuffles differently on every call, unrepeatably.
    """
    loss_fn = _resolve_loss(loss_fn)
    acc_fn = _resolve_accuracy(accuracy)
    check_epochs("fit", epochs)
    check_flag("fit", "progress", progress)
    _check_optimizer(model, optimizer)  # (first: a call without one has its data in its place)
    if train_data is None:
        raise TypeError("fit: no train_data to train on; call fit(model, loss, optimizer, (X, y))")
    X, y = (as_array(data_of(a), f"fit: train_data {part}")  # Tensors: their numbers
            for a, part in zip(_xy(train_data, "train_data"), ("X", "targets")))
    labelled = [(y, "train_data")]
    if test_data is not None:
        test_data = tuple(as_array(data_of(a), f"fit: test_data {part}")
                          for a, part in zip(_xy(test_data, "test_data"), ("X", "targets")))
        labelled.append((test_data[1], "test_data"))
    if X.size == 0:
        raise ValueError(f"fit needs at least one training sample; got X of shape {X.shape}")
    _check_data(X, y, "train_data")
    if test_data is not None:
        _check_data(*test_data, "test_data")
        # checked now, not after the first epoch has already changed the weights
        test_X = test_data[0]
        if test_X.size == 0:
            raise ValueError(f"fit: test_data has no samples (X of shape {test_X.shape}); pass None for none")
        if X.ndim and test_X.ndim and test_X.shape[1:] != X.shape[1:]:
            raise ValueError(f"fit: test_data X rows have shape {test_X.shape[1:]} but train_data X rows "
                             f"{X.shape[1:]}; the model takes one of them")
    if isinstance(scheduler, type):  # (as the optimizer: its step() would fail after the first epoch)
        raise TypeError(f"fit: scheduler must be a scheduler, not the class {scheduler.__name__}: pass "
                        f"{scheduler.__name__}(optimizer, step_size=...)")
    if scheduler is not None and not callable(getattr(scheduler, "step", None)):
        raise TypeError(f"fit: scheduler must have a step() method, as StepLR(optimizer, step_size=...) "
                        f"has, got {scheduler!r:.60}")
    _check_labels(loss_fn, labelled)
    if test_data is not None:  # its first sample through the model and the loss now, not after an epoch
        try:
            evaluate(model, loss_fn, test_data[0][:1], test_data[1][:1], None)
        except (ValueError, TypeError, IndexError) as err:
            raise type(err)(f"fit: test_data's first sample, tried before training: {err}") from err
    check_classes = labelled if loss_fn is losses.cross_entropy else []  # at the first batch
    if acc_fn is _auto_accuracy and _has_signed_labels(y):
        acc_fn = _signed_accuracy  # else a mini-batch of +1 labels only drops the epoch's accuracy
    scalar = _is_scalar_model(model)
    rng = _rng(seed)  # (checked: numpy's own error for seed=-1 comes from deep inside it)
    history = History()
    bar = range(epochs)
    if progress:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            tqdm = None
        if tqdm is not None:
            bar = tqdm(bar, desc="fit", unit="epoch")
    with _in_mode(model, True):  # Dropout on while training
        try:
            _train(model, loss_fn, optimizer, X, y, test_data, batch_size, rng, scheduler, acc_fn,
                   scalar, check_classes, bar, history)
        except KeyboardInterrupt:  # Ctrl-C: in a REPL or a notebook, keep what was learned
            if not _interactive():  # a script stops, as it would anywhere else
                raise
            history.interrupted = True
            history._keep(len(history.lr if test_data is None else history.test_loss))  # (finished ones)
            if hasattr(bar, "close"):
                bar.close()
            print(f"fit: stopped by Ctrl-C during epoch {history.epochs + 1} of {epochs}; the history "
                  f"holds the {history.epochs} finished, the model the weights it had when stopped (a "
                  "step cut short may have updated some of them)", file=sys.stderr)
    return history


def _interactive() -> bool:
    """Whether Python is a REPL, ``python -i``, IPython or a notebook kernel (not a script)."""
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return hasattr(sys, "ps1") or bool(sys.flags.interactive) or shell is not None


def _train(model: Any, loss_fn: Callable, optimizer: Any, X: np.ndarray, y: np.ndarray, test_data: Any,
           batch_size: int, rng: Any, scheduler: Any, acc_fn: Any, scalar: bool, check_classes: list,
           bar: Any, history: History) -> None:
    """``fit``'s epochs, checked already, each appended to ``history`` as it ends."""
    for _ in bar:
        total, seen, correct, scored = 0.0, 0, 0.0, True
        for Xb, yb in batches(X, y, batch_size, shuffle=True, seed=rng):
            out = _forward(model, Xb, scalar)
            if check_classes:  # the first batch tells how many classes the model scores
                _check_classes(_output_array(out), check_classes)
                check_classes = []
            loss = loss_fn(out, yb)
            if not hasattr(loss, "backward"):  # (else "'float' object has no attribute 'backward'")
                raise TypeError(f"fit: the loss function returned {type(loss).__name__} {loss!r:.40}, "
                                "not a graph node: build the loss from the model's output (Values or a "
                                "Tensor), so that backward() reaches the parameters")
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += float(np.asarray(data_of(loss))) * len(Xb)
            seen += len(Xb)
            acc = _score(acc_fn, out, yb) if scored else None
            if acc is None:
                scored = False
            else:
                correct += acc * len(Xb)
        history.train_loss.append(total / seen)
        if scored and acc_fn is not None:
            history.train_accuracy.append(correct / seen)
        groups = getattr(optimizer, "param_groups", None)
        history.lr.append(groups[0]["lr"] if groups else float("nan"))
        if test_data is not None:
            test_loss, test_acc = evaluate(model, loss_fn, test_data[0], test_data[1], acc_fn)
            history.test_loss.append(test_loss)
            if test_acc is not None:
                history.test_accuracy.append(test_acc)
        if scheduler is not None:
            scheduler.step()
        if hasattr(bar, "set_postfix"):
            shown = {"loss": f"{history.train_loss[-1]:.4f}"}
            if history.test_accuracy:
                shown["test acc"] = f"{history.test_accuracy[-1]:.3f}"
            bar.set_postfix(shown)


__all__ = ["History", "evaluate", "fit"]
