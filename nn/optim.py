"""Optimizers: how a parameter moves, given its gradient.  The update rules are
``torch.optim``'s, step for step, and work on ``Value`` parameters (a float each) and
``Tensor`` parameters (an array, updated in place) alike.

    >>> from autograd import Value
    >>> from nn.optim import SGD
    >>> x = Value(3.0)
    >>> opt = SGD([x], lr=0.1)
    >>> for _ in range(50):
    ...     loss = (x - 1.0) ** 2        # smallest at x = 1
    ...     opt.zero_grad()
    ...     loss.backward()
    ...     opt.step()
    >>> round(x.data, 6)
    1.000029

Like ``torch.optim``, an optimizer takes a list of parameters (or ``model.named_parameters()``),
or a list of dicts each with ``'params'`` and its own settings: the dicts themselves become its
``param_groups``.  ``state[p]`` is a parameter's running averages; a parameter whose ``.grad`` is
None is skipped; ``zero_grad()`` sets Tensor gradients to None (Value gradients to 0.0);
``state_dict()`` and ``load_state_dict()`` save and resume a run.
"""

from __future__ import annotations

import math
import numbers
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from autograd.mode import enable_grad
from autograd.ops import check_flag, data_of

from .checks import check_number
from .module import _format_count, zero_grads


def _copy(x: Any) -> Any:
    """A private copy of a gradient (floats are immutable; arrays are not)."""
    return x.copy() if isinstance(x, np.ndarray) else x


def _copied(setting: Any) -> Any:
    """A group's value for a state dict: lists (``param_names``) and arrays copied, so that neither
    side's later changes reach the other."""
    return list(setting) if isinstance(setting, list) else _copy(setting)


def _loaded(owner: str, p: Any, index: Any, key: str, value: Any) -> Any:
    """A loaded state entry of parameter ``p``: ``step`` as an int; the rest as a copy of the
    parameter's kind, an array of its dtype (as torch casts) and shape, or a float for a Value."""
    where = f"{owner}: the loaded state {key!r} of parameter {index}"
    if key == "step":
        if not (_is_number(value) and float(value).is_integer() and value >= 0):
            raise ValueError(f"{where} must be a count of steps (an int >= 0), got {value!r}")
        return int(value)
    if type(p.data) is not np.ndarray:
        if not _is_number(value):
            raise TypeError(f"{where} must be a number (a Value's state), got {type(value).__name__}")
        return float(value)
    try:
        a = np.array(value, dtype=p.data.dtype)  # (a copy)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{where} must be an array of numbers, got {type(value).__name__}: {err}") from None
    if a.shape != p.data.shape:
        raise ValueError(f"{where} has shape {a.shape}, the parameter {p.data.shape}: is the state dict "
                         "of another model?")
    return a


def _zeros(x: Any) -> Any:
    """A zero of the gradient's kind: an array of its shape and dtype, or 0.0."""
    return np.zeros_like(x) if isinstance(x, np.ndarray) else 0.0


def _maximum(a: Any, b: Any) -> Any:
    return np.maximum(a, b) if isinstance(a, np.ndarray) else max(a, b)


def _sqrt(x: Any) -> Any:
    return np.sqrt(x) if isinstance(x, np.ndarray) else math.sqrt(x)


def _plain(setting: Any) -> Any:
    """A numpy number (or 0-d array) as a Python one, a list or tuple of them as a tuple: numpy 2
    does not treat numpy numbers as "weak", so ``np.float64(0.9) * buf`` would turn a float32
    state into float64, where ``0.9 * buf`` keeps it float32."""
    if type(setting) in _PLAIN:  # what nearly every setting is, at every step: answered first
        return setting
    if isinstance(setting, np.generic) or (isinstance(setting, np.ndarray) and setting.ndim == 0):
        return setting.item()
    if isinstance(setting, list | tuple | np.ndarray):  # betas as np.array([0.9, 0.99]) too
        return tuple(map(_plain, setting))
    if isinstance(setting, numbers.Real) and not isinstance(setting, int | float):  # Fraction(1, 10)
        return float(setting)  # (numpy would make an array of them an array of objects)
    return setting


_PLAIN = frozenset({float, int, bool, type(None)})


def _plain_settings(group: dict[str, Any], settings: Iterable[str]) -> None:
    """The ``settings`` of a parameter group as Python numbers (see :func:`_plain`), in place (other
    keys, a group's ``'name'`` say, are the user's own and left alone)."""
    for key in settings:
        group[key] = _plain(group[key])


def _names(owner: str, i: int, params: list[Any]) -> list[str] | None:
    """The names of ``(name, parameter)`` pairs, as ``model.named_parameters()`` gives, or None for
    parameters without names; a mix of both is refused (as torch refuses it)."""
    named = [isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in params]
    if not any(named):
        return None
    if not all(named):
        raise ValueError(f"{owner}: parameter group {i} mixes (name, parameter) pairs and parameters "
                         f"(item {named.index(False)}); pass model.named_parameters() or model.parameters()")
    return [str(n) for n, _ in params]  # (a name may be a str subclass; a saved state wants plain ones)


def _move(p: Any, delta: Any) -> None:
    """``p.data += delta``: in place for an array (references to it stay valid), a new float
    for a Value."""
    if isinstance(p.data, np.ndarray):
        p.data += delta  # casts to the parameter's dtype (float32 stays float32)
    else:
        p.data = float(p.data) + float(delta)  # (a float32 .data set by hand adds in float64 too)


_ndarray = np.ndarray


def _is_number(g: Any) -> bool:
    """A Value's gradient: a real number, or a 0-d array of one."""
    return (isinstance(g, numbers.Real) and not isinstance(g, bool)) or (
        type(g) is np.ndarray and g.ndim == 0 and g.dtype.kind in "iuf")


def _misfit(optimizer: Any, p: Any, g: Any) -> TypeError | ValueError:
    """The error for a gradient set by hand that does not fit its parameter (torch refuses it
    when it is set; here the update would broadcast it, or change the optimizer's state dtype)."""
    who = f"{type(optimizer).__name__}: the gradient of {p.label or 'a parameter'}"
    if type(p.data) is not np.ndarray or type(g) is not np.ndarray:
        return TypeError(f"{who} is of type {type(g).__name__}, not " + (
            "a number" if type(p.data) is not np.ndarray else f"an array of shape {p.data.shape}"))
    if g.shape != p.data.shape:
        return ValueError(f"{who} has shape {g.shape}, its parameter {p.data.shape}")
    return TypeError(f"{who} has dtype {g.dtype}, its parameter {p.data.dtype}: "
                     f"set p.grad = g.astype(np.{p.data.dtype}) (a float64 number times a float32 array "
                     "is float64 in numpy 2)")


def _check_eps(owner: str, eps: Any, divisor: str) -> None:
    """``eps`` > 0: torch takes 0, but then a coordinate whose ``divisor`` is 0 (a gradient that has
    been 0 so far) steps by 0/0, nan for a Tensor and a ZeroDivisionError for a Value; refused
    here, where the mistake is, rather than as nan weights later."""
    check_number(owner, "eps", eps, f"> 0 (it keeps the step finite where the {divisor} is 0)",
                 lambda v: v > 0)


class Optimizer:
    """Base class: ``param_groups``, per-parameter ``state``, ``zero_grad()``, ``step()``,
    ``add_param_group()``, ``state_dict()`` and ``load_state_dict()``, as ``torch.optim.Optimizer``."""

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        if hasattr(params, "parents"):  # iterating a Tensor would give copies of its rows
            raise TypeError(
                f"{type(self).__name__} takes a list of parameters, got one {type(params).__name__}: "
                f"pass [{type(params).__name__.lower()}] or model.parameters()"
            )
        if callable(params):  # a model, or model.parameters without its ()
            kind = f"a {type(params).__name__}" if hasattr(params, "parameters") else "a method"
            raise TypeError(
                f"{type(self).__name__} takes a list of parameters, got {kind}: pass model.parameters()"
            )
        name = type(self).__name__
        params = list(params)
        if not params:
            raise ValueError(f"{name} got an empty parameter list")
        dicts = [isinstance(p, dict) for p in params]
        if any(dicts) and not all(dicts):
            i = dicts.index(not dicts[0])
            raise TypeError(
                f"{name}: params must be all parameters or all groups (dicts), got a "
                f"{type(params[0]).__name__} at 0 and a {type(params[i]).__name__} at {i}; "
                f"put the parameters in a group of their own, {{'params': [...]}}"
            )
        self.defaults = defaults
        self.param_groups: list[dict[str, Any]] = []
        # keyed by the parameter itself, as torch's (nodes hash by identity, so two parameters of
        # equal numbers are two keys, and a lookup never calls their ==)
        self.state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for group in params if dicts[0] else [{"params": params}]:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group ``{'params': [...], <settings>}`` (settings left out are the optimizer's
        defaults), as ``torch.optim``'s: to train a layer unfrozen mid-training, say.  The dict
        itself becomes the group, so changing its ``'lr'`` later changes the steps; keys that are
        no setting (``'name': 'head'``) are kept, as torch keeps them.

        >>> from autograd import Value
        >>> opt = SGD([Value(1.0)], lr=0.1)
        >>> head = {'params': [Value(2.0)], 'lr': 0.01, 'name': 'head'}
        >>> opt.add_param_group(head)
        >>> opt.param_groups[1] is head, head['momentum'], head['name']
        (True, 0.0, 'head')
        """
        name, i = type(self).__name__, len(self.param_groups)
        if not isinstance(param_group, dict):
            raise TypeError(f"{name}: a parameter group is a dict {{'params': [...], <settings>}}, "
                            f"got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError(
                f"{name}: parameter group {i} has no 'params'; a group is a dict "
                f"{{'params': [...], <settings>}}, got keys {sorted(map(str, param_group))}"
            )
        ps = param_group["params"]
        if isinstance(ps, set | frozenset):  # state_dict() goes by position: a set's order varies
            raise TypeError(f"{name}: parameter group {i} holds a set, whose order changes from run to "
                            "run; pass the parameters in a list")
        ps = [ps] if hasattr(ps, "parents") else list(ps)  # one Tensor or Value: a group of one, as torch
        names = _names(name, i, ps)
        if names is not None:
            ps = [p for _, p in ps]
        if any(("param_names" in g) != (names is not None or "param_names" in param_group)
               for g in self.param_groups):  # (torch's rule: a state dict's names match group to group)
            raise ValueError(f"{name}: parameter groups must all be named (model.named_parameters()) or "
                             "all unnamed (model.parameters())")
        taken = {id(p) for g in self.param_groups for p in g["params"]}
        for p in ps:
            if not hasattr(p, "grad") or not hasattr(p, "data") or isinstance(p, (int, float)):
                raise TypeError(f"{name} takes Value or Tensor parameters, got {type(p).__name__}")
            if p.op:  # updating a result in place would leave the leaf it came from unchanged
                raise ValueError(
                    f"{name}: can't optimize a non-leaf {type(p).__name__} (the result of '{p.op}'); "
                    "pass the parameter it was computed from, e.g. w rather than w.T"
                )
            if id(p) in taken:
                raise ValueError(f"{name}: a parameter appears twice")
            taken.add(id(p))
        group = {**self.defaults, **param_group, "params": ps}
        if names is not None:
            group["param_names"] = names
        _plain_settings(group, self.defaults)
        self._check(group)  # (before the user's dict is changed: a refused group leaves it as it was)
        param_group.update(group)  # the user's dict is the group, as in torch: its lr is the lr used
        self.param_groups.append(param_group)

    def _check(self, group: dict[str, Any]) -> None:
        """Refuse a group's settings that are not finite numbers in range (checked once, here:
        ``step()`` stays fast).  Subclasses add their own settings."""
        for key in ("lr", "weight_decay"):
            if key in group:  # (a subclass of one's own may have no weight decay)
                check_number(type(self).__name__, key, group[key])

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state in torch's form, to save beside the model's and load into a new
        optimizer to carry on training: ``{'state': {index: {...}}, 'param_groups': [{<settings>,
        'params': [index, ...]}]}``, each parameter given by its position in the groups, counted
        across them.  A copy: later steps leave it as it is.

        >>> from autograd import Value
        >>> w = Value(1.0); w.grad = 0.5
        >>> opt = SGD([w], lr=0.1, momentum=0.9)
        >>> opt.step()
        >>> saved = opt.state_dict()
        >>> saved['state'], saved['param_groups'][0]['params'], saved['param_groups'][0]['momentum']
        ({0: {'momentum_buffer': 0.5}}, [0], 0.9)
        """
        index: dict[Any, int] = {}
        groups = []
        for group in self.param_groups:
            saved = {k: _copied(v) for k, v in group.items() if k != "params"}
            saved["params"] = [index.setdefault(p, len(index)) for p in group["params"]]
            groups.append(saved)
        state = {i: {k: _copy(v) for k, v in self.state[p].items()}
                 for p, i in index.items() if p in self.state}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take up the state that ``state_dict()`` gave, as torch's: each group's settings, and each
        parameter's state, matched by position.  The optimizer must be of the same kind, with
        groups of the same sizes over parameters of the same shapes; arrays are copied and cast to
        their parameter's dtype.  The group dicts stay the same objects (torch makes new ones),
        holding the loaded settings.

        >>> from autograd import Value
        >>> w = Value(1.0); w.grad = 0.5
        >>> opt = Adam([w], lr=0.1)
        >>> opt.step()
        >>> w2 = Value(w.data); opt2 = Adam([w2])     # a new run, resumed where opt left off
        >>> opt2.load_state_dict(opt.state_dict())
        >>> opt2.param_groups[0]['lr'], opt2.state[w2] == opt.state[w]
        (0.1, True)
        """
        name = type(self).__name__
        takes = f"{name}.load_state_dict takes what an optimizer's state_dict() returns, a dict"
        if not isinstance(state_dict, dict):
            raise TypeError(f"{takes}, got {type(state_dict).__name__}")
        if not {"state", "param_groups"} <= set(state_dict):
            keys = sorted(map(str, state_dict))[:5]
            raise ValueError(f"{takes} with 'state' and 'param_groups', got keys {keys} (a model's "
                             "state_dict goes to model.load_state_dict)")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"{name}: the loaded state dict has {len(saved_groups)} parameter group(s), "
                             f"this optimizer {len(self.param_groups)}; build it with the saved one's groups")
        groups = [self._loaded_group(i, group, saved)
                  for i, (group, saved) in enumerate(zip(self.param_groups, saved_groups))]
        position = dict(zip((i for g in saved_groups for i in g["params"]),
                            (p for g in self.param_groups for p in g["params"])))
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for i, entry in state_dict["state"].items():
            if i not in position:
                raise ValueError(f"{name}: the loaded state dict has a state for parameter {i!r}, which none "
                                 "of its groups lists")
            state[position[i]] = {key: _loaded(name, position[i], i, key, v) for key, v in entry.items()}
        for group, new in zip(self.param_groups, groups):  # (all checked: now change the optimizer)
            group.clear()
            group.update(new)
        self.state = state

    def _loaded_group(self, i: int, group: dict[str, Any], saved: dict[str, Any]) -> dict[str, Any]:
        """Group ``i`` as ``saved`` has it, over this group's parameters (checked, not yet set)."""
        name = type(self).__name__
        if len(saved["params"]) != len(group["params"]):
            raise ValueError(f"{name}: loaded state dict contains a parameter group that doesn't match the "
                             f"size of optimizer's group: group {i} has {len(saved['params'])} "
                             f"parameters there, {len(group['params'])} here")
        missing = [k for k in self.defaults if k not in saved]
        if missing:
            raise ValueError(f"{name}: the loaded parameter group {i} has no {', '.join(missing)}: is it "
                             "the state dict of another kind of optimizer?")
        new = {"params": group["params"], **{k: _copied(v) for k, v in saved.items() if k != "params"}}
        if "param_names" in group and "param_names" not in saved:  # (kept, as torch keeps them)
            new["param_names"] = group["param_names"]
        _plain_settings(new, self.defaults)
        self._check(new)
        return new

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients, as PyTorch: a Tensor's to None, or to zeros with
        ``set_to_none=False``; a Value's to 0.0 (its gradient is a number)."""
        check_flag(f"{type(self).__name__}.zero_grad", "set_to_none", set_to_none)
        zero_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

    def _grads(self, group: dict[str, Any]) -> Iterable[tuple[Any, Any, dict[str, Any]]]:
        """``(param, gradient with weight decay, state)`` for every parameter that has a gradient."""
        wd = group.get("weight_decay", 0)
        for p in group["params"]:
            if p.grad is None:
                continue
            g, data = p.grad, p.data
            if type(g) is not _ndarray:
                g = data_of(g)  # (a Value's .grad set to a node by hand)
            if type(data) is _ndarray:  # a Tensor's gradient: an array of its shape and dtype
                if type(g) is not _ndarray or g.shape != data.shape or g.dtype != data.dtype:
                    raise _misfit(self, p, g)
            else:  # a Value's: a number, as a Python float (its state stays float), its .data too
                if type(g) is not float:
                    if not _is_number(g):
                        raise _misfit(self, p, g)
                    g = float(g)
                data = float(data)  # (an int or a numpy float set by hand)
            if wd:
                g = g + wd * data
            yield p, g, self.state[p]

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter once from its current ``.grad``.  ``closure``, if given, is called
        first to recompute the loss and the gradients (``zero_grad()``, forward, ``backward()``,
        return the loss), with the graph recorded even inside ``no_grad()``, as in torch; its loss is
        returned (else None).

        >>> from autograd import Value
        >>> x = Value(3.0)
        >>> opt = SGD([x], lr=0.25)
        >>> def closure():
        ...     opt.zero_grad()
        ...     loss = (x - 1.0) ** 2
        ...     loss.backward()
        ...     return loss
        >>> opt.step(closure).data, x.data      # the loss at x = 3, and x after the step
        (4.0, 2.0)
        """
        loss = None
        if closure is not None:
            if not callable(closure):
                raise TypeError(f"{type(self).__name__}.step: closure must be a function that recomputes the "
                                f"loss and its gradients and returns it, got {type(closure).__name__}; "
                                "call step() after loss.backward()")
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            _plain_settings(group, self.defaults)  # one may have been changed since, e.g. by a scheduler
            for p, g, state in self._grads(group):
                self._update(p, g, state, group)
        return loss

    def _update(self, p: Any, g: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
        raise NotImplementedError  # pragma: no cover

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={self.param_groups[0][k]}" for k in self.defaults)
        n = sum(len(g["params"]) for g in self.param_groups)
        return f"{type(self).__name__}({settings}; {_format_count(n)})"


class SGD(Optimizer):
    """Gradient descent, optionally with momentum, as ``torch.optim.SGD``::

        g = grad + weight_decay * p
        buf = g                                      (first step)
        buf = momentum * buf + (1 - dampening) * g   (later steps)
        g = g + momentum * buf  if nesterov else  buf      (when momentum != 0)
        p = p - lr * g

    The lectures' momentum ``v = mu v - eta grad; p = p + v`` is the same walk with
    ``v = -lr * buf`` (``dampening=0``).

    >>> from autograd import Value
    >>> w = Value(1.0); w.grad = 0.5
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> opt.step(); opt.step(); round(w.data, 4)        # 1 - 0.05 - 0.1 * (0.9 * 0.5 + 0.5)
    0.855
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:  # (torch's order, so that its positional calls mean the same here)
        super().__init__(
            params,
            dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov),
        )

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        check_number("SGD", "momentum", group["momentum"])
        check_number("SGD", "dampening", group["dampening"], "", lambda v: True)  # torch: any number
        check_flag("SGD", "nesterov", group["nesterov"])
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("SGD: nesterov needs momentum > 0 and dampening = 0")

    def _update(self, p: Any, g: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
        momentum = group["momentum"]
        if momentum:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = _copy(g)
            else:
                buf = momentum * buf + (1 - group["dampening"]) * g
            state["momentum_buffer"] = buf
            g = g + momentum * buf if group["nesterov"] else buf
        _move(p, -group["lr"] * g)


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), as ``torch.optim.Adam``::

        t = t + 1
        g = grad + weight_decay * p
        m = beta1 * m + (1 - beta1) * g                # running mean of gradients
        v = beta2 * v + (1 - beta2) * g**2             # running mean of squared gradients
        p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    The lecture writes it with bias-corrected moments ``m_hat = m / (1 - beta1**t)`` and
    ``v_hat = v / (1 - beta2**t)`` and the step ``p = p - lr * m_hat / (sqrt(v_hat) + eps)``.
    That is this update: ``sqrt(v) / sqrt(1 - beta2**t)`` is ``sqrt(v_hat)``, and ``eps`` is
    added to it, as in the lecture and in PyTorch; the order only saves one array division.
    (The paper's "efficient" variant, which adds an ``eps_hat`` to ``sqrt(v)`` before the
    correction, is a different update.)  ``amsgrad=True`` keeps the largest ``v`` seen so far
    instead (Reddi et al.).  ``eps`` must be > 0 (torch also takes 0, and then a gradient that
    has been 0 so far steps by 0/0: nan).

    >>> from autograd import Value
    >>> w = Value(1.0); w.grad = 0.5
    >>> opt = Adam([w], lr=0.1)
    >>> opt.step(); round(w.data, 6)                    # the first step is lr * sign(grad)
    0.9
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(
            params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
        )

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        betas = group["betas"]
        accepted = "a pair (beta1, beta2) of finite numbers in [0, 1), e.g. (0.9, 0.999)"
        if not isinstance(betas, tuple) or not all(isinstance(b, numbers.Real) for b in betas):
            raise TypeError(f"Adam: betas must be {accepted}, got {betas!r}")
        if len(betas) != 2:
            raise ValueError(f"Adam: betas must be {accepted}, got {len(betas)} numbers: {betas}")
        if not all(0 <= b < 1 for b in betas):  # (also refuses nan; inf is not < 1)
            raise ValueError(f"Adam: betas must be {accepted}, got {betas}")
        _check_eps("Adam", group["eps"], "running average of squared gradients")
        check_flag("Adam", "amsgrad", group["amsgrad"])

    def _update(self, p: Any, g: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
        beta1, beta2 = group["betas"]
        if not state:
            state.update(step=0, exp_avg=_zeros(g), exp_avg_sq=_zeros(g))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = _zeros(g)
        state["step"] += 1
        t = state["step"]
        m = state["exp_avg"] = state["exp_avg"] + (1 - beta1) * (g - state["exp_avg"])  # torch's lerp
        v = state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1 - beta2) * g * g
        if group["amsgrad"]:
            v = state["max_exp_avg_sq"] = _maximum(state["max_exp_avg_sq"], v)
        step_size = group["lr"] / (1 - beta1**t)
        denom = _sqrt(v) / math.sqrt(1 - beta2**t) + group["eps"]
        _move(p, -step_size * (m / denom))


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e), as ``torch.optim.RMSprop``::

        g = grad + weight_decay * p
        s = alpha * s + (1 - alpha) * g**2
        avg = sqrt(s - mean_g**2) + eps  if centered  else  sqrt(s) + eps
        buf = momentum * buf + g / avg;  p = p - lr * buf    (momentum > 0)
        p = p - lr * g / avg                                  (otherwise)

    where ``mean_g = alpha * mean_g + (1 - alpha) * g`` when ``centered``.  ``eps`` must be > 0, as
    for ``Adam``.

    >>> from autograd import Value
    >>> w = Value(1.0); w.grad = 0.5
    >>> opt = RMSprop([w], lr=0.01)
    >>> opt.step(); round(w.data, 4)                    # 1 - 0.01 * 0.5 / sqrt(0.01 * 0.25)
    0.9
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(
            params,
            dict(
                lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum, centered=centered
            ),
        )

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        check_number("RMSprop", "alpha", group["alpha"], "in [0, 1]", lambda v: 0 <= v <= 1)
        _check_eps("RMSprop", group["eps"], "running average of squared gradients")
        check_number("RMSprop", "momentum", group["momentum"])
        check_flag("RMSprop", "centered", group["centered"])

    def _update(self, p: Any, g: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
        alpha = group["alpha"]
        if not state:
            state.update(step=0, square_avg=_zeros(g))
            if group["momentum"] > 0:
                state["momentum_buffer"] = _zeros(g)
            if group["centered"]:
                state["grad_avg"] = _zeros(g)
        state["step"] += 1
        s = state["square_avg"] = alpha * state["square_avg"] + (1 - alpha) * g * g
        if group["centered"]:
            ga = state["grad_avg"] = state["grad_avg"] + (1 - alpha) * (g - state["grad_avg"])
            avg = _sqrt(s - ga * ga) + group["eps"]
        else:
            avg = _sqrt(s) + group["eps"]
        if group["momentum"] > 0:
            buf = state["momentum_buffer"] = group["momentum"] * state["momentum_buffer"] + g / avg
            _move(p, -group["lr"] * buf)
        else:
            _move(p, -group["lr"] * (g / avg))


class Adagrad(Optimizer):
    """Adagrad (Duchi et al.), as ``torch.optim.Adagrad``: each coordinate's step shrinks with
    the sum of its squared gradients so far::

        t = t + 1
        g = grad + weight_decay * p
        sum = sum + g**2                              (sum starts at initial_accumulator_value)
        p = p - lr / (1 + (t - 1) * lr_decay) * g / (sqrt(sum) + eps)

    ``eps`` must be > 0, as for ``Adam``.

    >>> from autograd import Value
    >>> w = Value(1.0); w.grad = 0.5
    >>> opt = Adagrad([w], lr=0.1)
    >>> opt.step(); round(w.data, 4)
    0.9
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        super().__init__(
            params,
            dict(
                lr=lr,
                lr_decay=lr_decay,
                weight_decay=weight_decay,
                initial_accumulator_value=initial_accumulator_value,
                eps=eps,
            ),
        )

    def _check(self, group: dict[str, Any]) -> None:
        super()._check(group)
        for key in ("lr_decay", "initial_accumulator_value"):
            check_number("Adagrad", key, group[key])
        _check_eps("Adagrad", group["eps"], "sum of squared gradients")

    def _update(self, p: Any, g: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
        if not state:
            state.update(step=0, sum=_zeros(g) + group["initial_accumulator_value"])
        state["step"] += 1
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        s = state["sum"] = state["sum"] + g * g
        _move(p, -clr * (g / (_sqrt(s) + group["eps"])))


class StepLR:
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs, as
    ``torch.optim.lr_scheduler.StepLR``.  Call ``step()`` once per epoch, after the
    optimizer's steps.  To resume a schedule, load its ``state_dict()`` (torch's ``last_epoch=``
    argument is not taken: in torch it also needs the optimizer's ``'initial_lr'`` and steps once
    more as it starts).

    >>> from autograd import Value
    >>> opt = SGD([Value(0.0)], lr=1.0)
    >>> sched = StepLR(opt, step_size=2, gamma=0.5)
    >>> lrs = []
    >>> for epoch in range(5):
    ...     lrs.append(opt.param_groups[0]['lr'])
    ...     sched.step()
    >>> lrs
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        if not isinstance(getattr(optimizer, "param_groups", None), list):
            raise TypeError(f"StepLR: optimizer must be an optimizer (SGD, Adam, ...) whose lr it changes, "
                            f"got {optimizer!r:.60}")
        self.optimizer = optimizer
        self.step_size, self.gamma = _step_lr_settings(step_size, gamma)
        self.base_lrs = [g["lr"] for g in optimizer.param_groups]  # (torch's attribute, to read)
        self.last_epoch = 0

    def step(self) -> None:
        """One epoch has passed: at every ``step_size``-th, multiply each group's *current* lr by
        ``gamma`` (torch's chainable form, so an lr set by hand is kept and decays from there)."""
        self.last_epoch += 1
        if self.last_epoch % self.step_size == 0:
            for group in self.optimizer.param_groups:
                group["lr"] = group["lr"] * self.gamma

    def get_last_lr(self) -> list[float]:
        """The learning rate of each parameter group now."""
        return [g["lr"] for g in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """The schedule's settings and count of epochs, under torch's names (the lr itself is in
        the optimizer's state dict).

        >>> from autograd import Value
        >>> sched = StepLR(SGD([Value(0.0)], lr=1.0), step_size=2, gamma=0.5)
        >>> sched.step()
        >>> sched.state_dict()
        {'step_size': 2, 'gamma': 0.5, 'base_lrs': [1.0], 'last_epoch': 1}
        """
        return {"step_size": self.step_size, "gamma": self.gamma, "base_lrs": list(self.base_lrs),
                "last_epoch": self.last_epoch}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take up what ``state_dict()`` gave, to resume a schedule (load the optimizer's state dict
        too: it holds the lr).  Other keys, such as torch's private ones, are ignored."""
        keys = ("step_size", "gamma", "base_lrs", "last_epoch")
        missing = [k for k in keys if k not in state_dict] if isinstance(state_dict, dict) else list(keys)
        if missing:
            raise ValueError(f"StepLR.load_state_dict takes what StepLR.state_dict() returns; this has no "
                             f"{', '.join(missing)}")
        step_size, gamma = _step_lr_settings(state_dict["step_size"], state_dict["gamma"])
        last_epoch = state_dict["last_epoch"]
        if isinstance(last_epoch, bool) or not isinstance(last_epoch, int | np.integer) or last_epoch < 0:
            raise ValueError(f"StepLR: last_epoch must be an int >= 0, got {last_epoch!r}")
        self.step_size, self.gamma, self.last_epoch = step_size, gamma, int(last_epoch)
        self.base_lrs = [_plain(lr) for lr in state_dict["base_lrs"]]


def _step_lr_settings(step_size: Any, gamma: Any) -> tuple[int, float]:
    """StepLR's ``step_size`` (an int >= 1) and ``gamma`` (a finite number >= 0), checked."""
    if isinstance(step_size, bool) or not isinstance(step_size, (int, np.integer)) or step_size < 1:
        raise ValueError(f"StepLR: step_size must be a positive int, got {step_size!r}")
    gamma = _plain(gamma)
    check_number("StepLR", "gamma", gamma)
    return int(step_size), gamma


__all__ = ["Adagrad", "Adam", "Optimizer", "RMSprop", "SGD", "StepLR"]
