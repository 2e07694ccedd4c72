"""Losses: how far the network's output is from the target, as one number to minimise.

Each loss takes either ``Value``s (a single Value, or a list of them, one per sample; a
sample with several outputs is a list of Values) or ``Tensor``s (samples along the first
axis).  Targets are plain numbers or arrays.  The Tensor forms match
``torch.nn.functional`` in value and gradient.

    >>> from autograd import Value, Tensor
    >>> from nn.losses import mse, cross_entropy
    >>> mse([Value(1.0), Value(3.0)], [0.0, 1.0])          # ((1-0)**2 + (3-1)**2) / 2
    Value(data=2.5000, grad=0.0000, op='/')
    >>> logits = Tensor([[2.0, 0.5, -1.0]], requires_grad=True)
    >>> loss = cross_entropy(logits, [0])
    >>> round(loss.item(), 4)
    0.2413
    >>> loss.backward(); logits.grad.round(4)                # softmax - one_hot
    array([[-0.2144,  0.1753,  0.0391]])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.array_ops import CrossEntropy, MeanSquaredError, Quadratic, SquaredError
from autograd.graph import apply
from autograd.ops import data_of, is_node
from autograd.tensor import Tensor
from autograd.value import Value

from .checks import check_real, real_array

_LOG_FLOOR = -100.0  # torch.nn.functional.binary_cross_entropy clamps log(p) at -100
_TINY = math.exp(_LOG_FLOOR)


# -- shared helpers ------------------------------------------------------------------------------


def _is_scalar_graph(pred: Any, name: str, what: str = "predictions") -> bool:
    """True when ``pred`` is made of Values (a Value, or nested lists of them), False for a
    Tensor; a TypeError for what cannot be backpropagated through (an array, plain numbers)."""
    if type(pred) is Tensor:  # the common case, answered first
        return False
    if isinstance(pred, np.ndarray):
        raise TypeError(
            "a loss takes the network's output (Values or a Tensor), got a numpy array; "
            "wrap it as Tensor(array) if you only want the number"
        )
    top = pred
    while isinstance(pred, (list, tuple)):
        if not pred:
            raise ValueError("a loss needs at least one prediction, got an empty list")
        pred = pred[0]
    if is_node(pred) and not isinstance(pred, Value):
        if top is not pred:
            raise TypeError("a loss takes one Tensor, got a list of Tensors; join them with stack()")
        return False
    if not isinstance(pred, Value):  # plain numbers: no graph, so no gradient (and no .data)
        kind = type(pred).__name__ if top is pred else f"a {type(top).__name__} of {type(pred).__name__}"
        raise TypeError(
            f"{name}: {what} must be a Tensor or Values (the network's output), got {kind}; "
            "wrap numbers as Tensor(...) if you only want the number"
        )
    for item in _flat(top):  # every item, not only the first: a number or None among them failed deep inside
        if not isinstance(item, Value):
            raise TypeError(f"{name}: {what} mix Values with {type(item).__name__} {item!r:.30}; a loss of "
                            "Values takes Values only (a constant as Value(x))")
    return True


def _raw_target(target: Any, name: str) -> np.ndarray:
    """A target's numbers as numpy reads them; a TypeError for a ragged list (numpy's own error
    would be about "an inhomogeneous shape") or a None inside one (which numpy reads as nan)."""
    try:
        raw = np.asarray(target.data if is_node(target) else target)
    except ValueError:
        raise TypeError(f"{name}: target must be a rectangular array of numbers (rows of one length), "
                        f"got {target!r:.60}") from None
    if raw.dtype.kind == "O" and raw.ndim and any(x is None for x in raw.flat):
        raise TypeError(f"{name}: target must be real numbers, got a None in {target!r:.60}")
    return raw


def _target_array(target: Any, dtype: Any, name: str) -> np.ndarray:
    """The target as an array of ``dtype``; a TypeError for None, complex numbers or text (numpy
    would read None as nan, and drop an imaginary part with only a warning)."""
    if target is None:
        raise TypeError(f"{name}: target must be real numbers (a number, list, array or Tensor), got None")
    return real_array(_raw_target(target, name), f"{name}: target", dtype)  # (Values: their numbers)


def _flat(pred: Any) -> list:
    """Nested lists of Values, flattened in order."""
    out, stack = [], [pred]
    while stack:
        x = stack.pop()
        if isinstance(x, (list, tuple)):
            stack.extend(reversed(x))
        else:
            out.append(x)
    return out


def _pairs(pred: Any, target: Any, name: str) -> tuple[list, list]:
    p = _flat(pred)
    t = _target_array(target, np.float64, name).reshape(-1).tolist()
    if len(p) != len(t):
        raise ValueError(f"{name}: {len(p)} predictions but {len(t)} targets")
    return p, t


def _value_pairs(pred: Any, target: Any, name: str) -> tuple[list, list]:
    """As ``_pairs``, but targets that are Values stay nodes, so they get gradients (as a torch
    target with requires_grad does); plain-number targets stay floats (the fast path)."""
    t = _flat(target) if isinstance(target, (list, tuple, Value)) else []
    if not any(isinstance(v, Value) for v in t):
        return _pairs(pred, target, name)
    p = _flat(pred)
    if len(p) != len(t):
        raise ValueError(f"{name}: {len(p)} predictions but {len(t)} targets")
    return p, [v if isinstance(v, Value) else float(v) for v in t]


def _nonempty(pred: Any, name: str) -> None:
    """A Tensor loss is a mean over the batch: of nothing it is nan, and its backward divides by 0."""
    if pred.size == 0:
        raise ValueError(f"{name}: a loss needs at least one prediction, got shape {pred.shape}")


def _mean(terms: list) -> Any:
    return sum(terms[1:], terms[0]) / len(terms)


def _check_same_shape(pred: Any, target: np.ndarray, name: str) -> np.ndarray:
    """The target of the prediction's shape, or one that numpy repeats along new leading axes
    only: a single number, or one sample's targets ``(C,)`` for every row of ``(N, C)``.  One that
    would be stretched along an axis the prediction has is refused: (N, 1) targets against (N, 2)
    outputs would compare every output with its row's one target, and train on it (torch warns)."""
    if target.shape != pred.shape:
        if target.ndim == 1 and pred.ndim == 2 and pred.shape[0] == pred.shape[1] == len(target) > 1:
            rows = "-1 or +1 each" if name == "hinge" else f"one-hot rows np.eye({pred.shape[1]})[labels]"
            raise ValueError(  # (with N = C both readings fit, and the wrong one trains on nonsense)
                f"{name}: target shape {target.shape} against prediction shape {pred.shape} reads two ways: "
                f"one target per row (class labels? this loss takes one target per output, {rows}), or one "
                "sample's targets for every row (say so: target.reshape(1, -1))")
        dims = list(target.shape)
        while dims and dims[0] == 1:  # leading 1s add nothing
            dims.pop(0)
        if target.size != 1 and (len(dims) > pred.ndim or tuple(dims) != pred.shape[pred.ndim - len(dims):]):
            raise ValueError(
                f"{name}: prediction shape {pred.shape} and target shape {target.shape} differ; "
                "give one target per output, one sample's targets for every row, or a single number"
            )
        target = np.broadcast_to(target.reshape(dims if target.size != 1 else ()), pred.shape)
    return target


def _tensor_target(pred: Any, target: Any, name: str) -> Any:
    """The target of a Tensor loss: a Tensor that requires grad stays in the graph (it gets a
    gradient, as in torch); anything else becomes an array of the prediction's dtype."""
    if isinstance(target, Tensor):  # (a Value is read as a number)
        data, like = target.data, pred.data
        if data.shape == like.shape and data.dtype == like.dtype:
            return target  # a constant Tensor that fits (a batch of targets) is used as it is
        if target.requires_grad:
            _check_same_shape(pred, data, name)
            return target
    return _check_same_shape(pred, _target_array(target, pred.dtype, name), name)


def _squared_error(op: type[SquaredError], pred: Any, target: Any, n: int) -> Any:
    """The Tensor forms of mse and quadratic: one op, with the target as a constant Tensor
    unless it requires grad itself."""
    _nonempty(pred, op.name)
    if type(target) is not Tensor:
        try:
            target = Tensor(target)
        except ValueError as err:  # nan: say which call got it (the caller never called Tensor())
            raise ValueError(f"{op.name}: the target {str(err).removeprefix('Tensor() ')}") from None
    return apply(op, pred, target, ctx=[n, target.requires_grad, None])


def _check_binary_targets(t: Any, name: str) -> None:
    """Targets of a binary loss are 0/1 labels or probabilities: any other number (a class
    label 2, a -1 of hinge's labels) still gives a loss, a meaningless one (torch does not check)."""
    if is_node(t) or isinstance(t, np.ndarray):  # (a 0-d array has no items to go through)
        y = np.asarray(data_of(t))
    else:
        y = np.asarray([v.data if isinstance(v, Value) else v for v in t])
    if y.size and (y.min() < 0 or y.max() > 1):
        raise ValueError(
            f"{name}: targets must be in [0, 1] (0/1 labels or probabilities), got {y.min()}..{y.max()}; "
            "for -1/+1 labels pass (y + 1) / 2, for class labels 0, 1, 2, ... use cross_entropy"
        )


def _samples(pred: Any) -> list:
    """For Values: a list of samples, each a list of outputs."""
    if isinstance(pred, Value):
        return [[pred]]
    return [s if isinstance(s, (list, tuple)) else [s] for s in pred]


# -- the losses ----------------------------------------------------------------------------------


def mse(pred: Any, target: Any) -> Any:
    """Mean squared error over all elements, ``mean((pred - target)**2)``, as torch's ``mse_loss``.

    >>> from autograd import Tensor
    >>> mse(Tensor([1.0, 2.0]), [1.0, 4.0]).item()
    2.0
    """
    if _is_scalar_graph(pred, "mse"):
        p, t = _value_pairs(pred, target, "mse")  # targets that are nodes get gradients too, as torch
        return _mean([(pi - ti) ** 2 for pi, ti in zip(p, t)])
    return _squared_error(MeanSquaredError, pred, _tensor_target(pred, target, "mse"), pred.size)


def quadratic(pred: Any, target: Any) -> Any:
    """The lectures' quadratic cost ``C = 1/(2n) * sum over samples x of ||y(x) - a(x)||**2``.

    Half the squared distance per sample, summed over outputs, averaged over the ``n``
    samples (the first axis of a Tensor; the outer list for Values, where a sample with many
    outputs is a list).  Its gradient for one sample is simply ``a - y``.

    >>> from autograd import Tensor
    >>> a = Tensor([[0.2, 0.9], [0.6, 0.1]]); y = [[0.0, 1.0], [1.0, 0.0]]
    >>> round(quadratic(a, y).item(), 4)     # ((0.04 + 0.01) + (0.16 + 0.01)) / 2 / 2
    0.055
    """
    if _is_scalar_graph(pred, "quadratic"):
        samples = _samples(pred)
        t = _target_array(target, np.float64, "quadratic")
        n = sum(map(len, samples))
        if t.size != n:  # else numpy's "cannot reshape array of size 3 into shape (2,newaxis)"
            raise ValueError(f"quadratic: {n} predictions but {t.size} targets")
        t = t.reshape(len(samples), -1)
        if t.shape[1] != len(samples[0]) or any(len(s) != t.shape[1] for s in samples):
            raise ValueError(f"quadratic: {len(samples)} samples do not match targets of shape {t.shape}")
        per_sample = [sum(((a - y) ** 2 for a, y in zip(s, ty)), 0.0) for s, ty in zip(samples, t.tolist())]
        return _mean(per_sample) * 0.5
    n = pred.shape[0] if pred.ndim else 1
    return _squared_error(Quadratic, pred, _tensor_target(pred, target, "quadratic"), n)


def _labels(labels: Any, n: int, classes: int, name: str) -> np.ndarray:
    y = np.asarray(labels.data if is_node(labels) else labels)
    if y.dtype.kind == "f" and np.all(y == np.round(y)):
        if not np.isfinite(y).all():  # inf == round(inf), and casts to -9223372036854775808
            bad = y[~np.isfinite(y)][0]
            raise ValueError(f"{name}: labels must be finite integers (class indices 0, 1, ...), got {bad}")
        y = y.astype(np.int64)
    elif y.dtype.kind == "f" and np.isnan(y).any():
        raise ValueError(f"{name}: labels must be finite integers (class indices 0, 1, ...), got nan")
    if y.dtype.kind not in "iu":
        raise TypeError(f"{name}: labels must be integer class indices, got dtype {y.dtype}")
    y = y.reshape(-1)
    if len(y) != n:
        raise ValueError(f"{name}: {n} samples but {len(y)} labels")
    if len(y) and (np.minimum.reduce(y) < 0 or np.maximum.reduce(y) >= classes):  # (no wrappers: per batch)
        raise ValueError(f"{name}: labels must be in 0..{classes - 1}, got {y.min()}..{y.max()}")
    return y


def _check_probabilities(t: np.ndarray, name: str = "cross_entropy") -> None:
    """Target rows of class probabilities: each in [0, 1], each row summing to 1 (a softmax's
    rounding allowed).  Anything else trains on a meaningless loss (-one_hot gave loss -1.7)."""
    rows = t.reshape(-1, t.shape[-1])
    inside = ((rows >= 0) & (rows <= 1)).all(axis=1)
    if not inside.all():
        bad = int(np.argmin(inside))
        raise ValueError(f"{name}: probability targets must be in [0, 1]; row {bad} is "
                         f"{rows[bad].tolist()}")
    sums = rows.sum(axis=1)
    if not np.allclose(sums, 1.0, rtol=0, atol=1e-4):
        bad = int(np.argmax(np.abs(sums - 1.0) > 1e-4))
        raise ValueError(f"{name}: probability targets must sum to 1 in each row; row {bad} sums to "
                         f"{sums[bad]:.6g}")


def _check_class_indices(t: np.ndarray, shape: tuple) -> None:
    """Targets that are no probabilities must be class indices, one per sample of logits of
    ``shape``: say what integer rows look like, where the count of labels would say less."""
    if t.shape == shape and len(shape) == 2 and shape[1] > 1:  # else "N samples, N*C labels"
        raise ValueError(f"cross_entropy: integer targets of the logits' shape {t.shape} look like one-hot "
                         "rows: pass class indices, y.argmax(1), or the rows as floats (probabilities)")
    if t.ndim == 2 and len(shape) == 2 and t.shape[1] != 1:  # else "20 samples but 60 labels"
        raise ValueError(f"cross_entropy: targets of shape {t.shape} do not fit logits of shape "
                         f"{shape}: give one class index per sample, or probability rows of the "
                         "logits' shape")


def cross_entropy(logits: Any, target: Any) -> Any:
    """Softmax cross-entropy from raw scores, as torch's ``cross_entropy``: the mean over
    samples of ``-log softmax(logits)[label]``.

    ``target`` holds integer class labels (one per sample), or, if it is a float array of
    the logits' shape, class probabilities (e.g. one-hot rows).  For Values, ``logits`` is a
    list of Values (one sample, ``target`` an int or a list of probabilities, numbers or Values
    that the gradient then reaches) or a list of such lists.

    >>> from autograd import Value
    >>> z = [Value(1.0), Value(2.0)]
    >>> loss = cross_entropy(z, 1); round(loss.data, 4)    # log(1 + e**-1)
    0.3133
    >>> loss.backward(); [round(v.grad, 4) for v in z]     # softmax - one_hot
    [0.2689, -0.2689]
    """
    if _is_scalar_graph(logits, "cross_entropy", "logits"):
        one = isinstance(logits, Value) or isinstance(logits[0], Value)
        samples = [logits] if one else logits
        samples = [[s] if isinstance(s, Value) else list(s) for s in samples]
        width = len(samples[0])
        for i, s in enumerate(samples):  # before the labels: their range depends on the width
            if len(s) != width:
                raise ValueError(
                    f"cross_entropy: every sample needs the same number of logits; "
                    f"sample 0 has {width}, sample {i} has {len(s)}"
                )
        t = _raw_target(target, "cross_entropy")
        shape = (width,) if one else (len(samples), width)
        graded = t.dtype.kind == "O" and any(isinstance(p, Value) for p in t.flat)  # Values among them
        if t.shape == shape and (t.dtype.kind == "f" or graded):  # class probabilities, as the Tensor form
            _check_probabilities(real_array(t, "cross_entropy: target") if graded else t)
            rows = t.reshape(len(samples), width).tolist()  # (Values: the loss's gradient reaches them)
        else:
            _check_class_indices(t, shape)
            rows = [None] * len(samples)
            y = _labels(t, len(samples), width, "cross_entropy")
        terms = []
        for k, (s, row) in enumerate(zip(samples, rows)):
            m = max(v.data for v in s)  # subtract the max: exp never overflows
            shifted = [v - m for v in s]
            # -log softmax = log(sum exp(v - m)) - (v - m), as the Tensor form: adding m back first
            # cancels digits (1e-9 of 1000 kept 3 of them)
            lse = sum((d.exp() for d in shifted[1:]), shifted[0].exp()).log()
            if row is None:
                terms.append(lse - shifted[y[k]])
            else:  # -sum p log softmax; a number 0 adds nothing, 1 needs no product (a Value: both do)
                parts = [(lse - d) * p if isinstance(p, Value) or p != 1 else lse - d
                         for d, p in zip(shifted, row) if isinstance(p, Value) or p]
                terms.append(sum(parts[1:], parts[0]) if parts else lse * 0.0)
        return _mean(terms)
    if logits.ndim not in (1, 2):
        raise ValueError(f"cross_entropy: logits must be (classes,) or (samples, classes): {logits.shape}")
    _nonempty(logits, "cross_entropy")
    t = _raw_target(target, "cross_entropy")
    if t.dtype.kind == "f" and t.shape == logits.shape:  # class probabilities, e.g. one-hot rows
        _check_probabilities(t)
        probs = _tensor_target(logits, target, "cross_entropy")  # a Tensor with requires_grad stays
        return -(logits.log_softmax(axis=-1) * probs).sum(axis=-1).mean()
    _check_class_indices(t, logits.shape)
    if logits.ndim == 1:
        y = _labels(t, 1, logits.shape[0], "cross_entropy")
        return -logits.log_softmax(axis=-1)[int(y[0])]
    y = _labels(t, logits.shape[0], logits.shape[1], "cross_entropy")
    return apply(CrossEntropy, logits, ctx=[y, None, None])  # one op, as torch's: (softmax - one_hot) / n


def binary_cross_entropy(prob: Any, target: Any) -> Any:
    """``-mean(y log p + (1 - y) log(1 - p))`` for probabilities ``p`` in [0, 1] and targets
    ``y`` in [0, 1], as torch's ``binary_cross_entropy`` (which clamps each log at -100).

    The value always matches torch's; so does the gradient, ``(p - y) / (p (1 - p) n)``, while
    ``p (1 - p) >= 1e-12``.  Closer to 0 or 1 torch divides by 1e-12 instead; ours stays the
    derivative of the value: larger, and 0 for a log clamped at -100 (``p < e**-100``, such
    as a sigmoid's output for a score below -100, which then learns nothing).  A target that
    is a node gets torch's gradient, ``-logit(p)``, wherever neither log is clamped; where one
    is, ours is again the derivative of the clamped logs (torch's stays ``-logit(p)``, infinite
    at 0 and 1).  For scores,
    ``binary_cross_entropy_with_logits`` is the stable choice.  Unlike torch, a target
    outside [0, 1] (a class label 2, a -1 meant for ``hinge``) is refused: it is always a mistake.

    >>> from autograd import Value, Tensor
    >>> round(binary_cross_entropy([Value(0.8), Value(0.3)], [1, 0]).data, 4)
    0.2899
    >>> binary_cross_entropy(Tensor([0.5, 0.2]), [1, 2])
    Traceback (most recent call last):
    ...
    ValueError: binary_cross_entropy: targets must be in [0, 1] (...), got 1.0..2.0; ...
    """
    if _is_scalar_graph(prob, "binary_cross_entropy", "probabilities"):
        p, t = _value_pairs(prob, target, "binary_cross_entropy")
        for v in p:
            if not 0.0 <= v.data <= 1.0:
                raise ValueError(f"binary_cross_entropy: probabilities must be in [0, 1], got {v.data}")
        _check_binary_targets(t, "binary_cross_entropy")

        def log(v: Value) -> Value:
            return v.log() if v.data > _TINY else Value(_LOG_FLOOR)

        return _mean([-(ti * log(pi) + (1.0 - ti) * log(1.0 - pi)) for pi, ti in zip(p, t)])
    _nonempty(prob, "binary_cross_entropy")
    low, high = prob.data.min(), prob.data.max()
    if not (low >= 0 and high <= 1):  # (also nan, which min and max pass on)
        raise ValueError(
            "binary_cross_entropy: probabilities must be in [0, 1], "
            f"got {'nan' if np.isnan(low) else f'{low}..{high}'}; "
            "for raw scores use binary_cross_entropy_with_logits"
        )
    t = _tensor_target(prob, target, "binary_cross_entropy")  # a Tensor with requires_grad stays
    _check_binary_targets(t, "binary_cross_entropy")
    return -(_clamped_log(prob) * t + _clamped_log(1.0 - prob) * (1.0 - t)).mean()


def _clamped_log(x: Any) -> Any:
    """``log(x)`` of a Tensor, but -100 (with gradient 0) where ``log(x) < -100``, as torch."""
    small = x.data <= _TINY
    if not small.any():
        return x.log()
    safe = x.clip(float(np.finfo(x.dtype).tiny), np.inf).log()  # finite everywhere
    return safe * (~small).astype(x.dtype) + (_LOG_FLOOR * small).astype(x.dtype)


def binary_cross_entropy_with_logits(logits: Any, target: Any) -> Any:
    """``binary_cross_entropy(sigmoid(z), y)`` computed stably from raw scores ``z``, as
    torch's ``binary_cross_entropy_with_logits``: ``-mean(y log s(z) + (1 - y) log s(-z))``
    (``s``: sigmoid), whose gradient is ``(s(z) - y) / n``.  Targets must be in [0, 1], as for
    ``binary_cross_entropy``.

    Written without a kink, so the gradient is right at ``z = 0`` too, where a zero-initialised
    model starts: torch's formula ``max(z, 0) - z y + log(1 + e**-|z|)``, built from relu and
    abs, would get 0 there for their slopes, not ``s(0) = 1/2``.  See ``_softplus``.

    >>> from autograd import Value
    >>> round(binary_cross_entropy_with_logits([Value(100.0)], [0]).data, 4)
    100.0
    >>> z = Value(0.0); binary_cross_entropy_with_logits([z], [1]).backward(); z.grad  # s(0) - 1
    -0.5
    """
    if _is_scalar_graph(logits, "binary_cross_entropy_with_logits", "logits"):
        z, t = _value_pairs(logits, target, "binary_cross_entropy_with_logits")
        _check_binary_targets(t, "binary_cross_entropy_with_logits")
        return _mean([_softplus(zi) - zi * ti for zi, ti in zip(z, t)])
    _nonempty(logits, "binary_cross_entropy_with_logits")
    t = _tensor_target(logits, target, "binary_cross_entropy_with_logits")
    _check_binary_targets(t, "binary_cross_entropy_with_logits")
    return (_softplus(logits) - logits * t).mean()


def _softplus(z: Any) -> Any:
    """``log(1 + e**z)`` of a Value or Tensor, as ``c + log(e**-c + e**(z - c))`` with ``c =
    max(z, 0)`` a constant (the log-sum-exp trick): no ``e**`` above 1, so no overflow, and no
    kink, so the slope is ``s(z)`` everywhere, also at 0, and so are the higher derivatives."""
    c = np.maximum(data_of(z), 0.0)  # (the same dtype as z's data; a constant: no gradient through it)
    return ((z - c).exp() + np.exp(-c)).log() + c


def hinge(scores: Any, target: Any) -> Any:
    """The max-margin loss of micrograd's demo: ``mean(relu(1 - y * score))`` for labels
    ``y`` of -1 or +1.  Zero once every sample is on its side with a margin of 1.

    >>> from autograd import Value
    >>> hinge([Value(2.0), Value(0.5), Value(0.5)], [1, 1, -1])   # (0 + 0.5 + 1.5) / 3
    Value(data=0.6667, grad=0.0000, op='/')
    """
    y = _target_array(target, np.float64, "hinge")
    if y.size and not np.isin(y, (-1.0, 1.0)).all():
        raise ValueError("hinge: labels must be -1 or +1 (for 0/1 labels pass 2 * y - 1)")
    if _is_scalar_graph(scores, "hinge", "scores"):
        s, t = _value_pairs(scores, target, "hinge")
        return _mean([(1.0 - ti * si).relu() for si, ti in zip(s, t)])
    _nonempty(scores, "hinge")
    y = _tensor_target(scores, target, "hinge")  # a Tensor with requires_grad stays
    return (1.0 - scores * y).relu().mean()


def accuracy(output: Any, target: Any) -> float:
    """Fraction of samples classified right, from an output array (or Tensor) and labels.

    ``(samples, classes)`` scores are compared by ``argmax`` with integer labels, of shape
    ``(samples,)`` or ``(samples, 1)`` (or with the argmax of one-hot targets, which have the
    scores' shape); single scores with labels -1/+1 by their sign.

    >>> accuracy(np.array([[0.1, 2.0], [3.0, 0.0]]), [1, 1])
    0.5
    >>> accuracy(np.array([[0.1, 2.0], [3.0, 0.0]]), [[0, 1], [1, 0]])
    1.0
    """
    out = real_array(output, "accuracy: outputs")  # (a list of Values: their numbers)
    if np.isnan(out).any():  # argmax would pick the nan (or class 0): a score for a broken model
        raise ValueError(
            "accuracy: the outputs contain nan (the model diverged; try a smaller learning rate)"
        )
    y = _raw_target(target, "accuracy")
    classes = out.ndim == 2 and out.shape[1] > 1
    if classes and y.shape == out.shape:  # one-hot rows (an (N, 1) column is N labels)
        check_real(y, "accuracy: targets")
        _check_probabilities(y.astype(np.float64), "accuracy")  # (an all-zero row is no class)
        y = y.argmax(axis=1)
    if classes:  # class indices in range: 1.5 or class 7 of 2 scored as plain misses
        return float(np.mean(out.argmax(axis=1) == _labels(y, len(out), out.shape[1], "accuracy")))
    y = y.reshape(-1)
    if y.size != out.size:  # numpy would broadcast one label over every sample
        raise ValueError(f"accuracy: {out.size} samples but {y.size} labels")
    out = out.reshape(-1)
    if np.isin(y, (-1, 1)).all() and (y == -1).any():
        return float(np.mean(np.where(out > 0, 1, -1) == y))
    raise ValueError(
        "accuracy: cannot tell how to score single outputs with labels "
        f"{sorted(set(y.tolist()))[:5]}; pass labels -1/+1 (sign of the score) or scores per class"
    )


LOSSES: dict[str, Any] = {
    "mse": mse,
    "quadratic": quadratic,
    "cross_entropy": cross_entropy,
    "binary_cross_entropy": binary_cross_entropy,
    "binary_cross_entropy_with_logits": binary_cross_entropy_with_logits,
    "hinge": hinge,
}

__all__ = [
    "LOSSES",
    "accuracy",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge",
    "mse",
    "quadratic",
]
