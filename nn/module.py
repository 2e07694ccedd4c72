"""``Module``: the base of every network piece, with PyTorch's names.

A module finds its parameters by looking at its own attributes: a graph node that is a leaf
(a ``Value``, or a ``Tensor`` with ``requires_grad=True``) is a parameter; a ``Module`` is a
sub-module; lists, tuples and dicts of either are searched too.  So there is nothing to
register::

    >>> from autograd import Value
    >>> from nn import Module
    >>> class Line(Module):
    ...     def __init__(self):
    ...         self.w = Value(2.0)
    ...         self.b = Value(-1.0)
    ...     def forward(self, x):
    ...         return self.w * x + self.b
    >>> line = Line()
    >>> line(3.0)
    Value(data=5.0000, grad=0.0000, op='+')
    >>> [name for name, p in line.named_parameters()]
    ['w', 'b']
    >>> line
    Line()  # 2 parameters

There is no need to call ``super().__init__()`` (it does no harm either).
"""

from __future__ import annotations

import os
import threading
import weakref
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np
from numpy.lib.format import write_array
from numpy.lib.npyio import NpzFile

from autograd.files import atomic_write, file_to_read
from autograd.ops import check_flag, data_of, is_node
from autograd.value import Value


def is_parameter(x: Any) -> bool:
    """True for a graph leaf that learns: a ``Value`` leaf, or a ``Tensor`` leaf with
    ``requires_grad=True``.  Results of ops (a cached activation, say) are not parameters."""
    if not hasattr(x, "parents") or not hasattr(x, "grad") or isinstance(x, (int, float)):
        return False
    if x.parents:
        return False
    return isinstance(x, Value) or bool(getattr(x, "requires_grad", False))


def _listing(names: list[str], most: int = 12) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def zero_grads(params: Iterable[Any], set_to_none: bool) -> None:
    """Forget the gradients of ``params``: a Tensor's to None (``set_to_none``) or to a new array of
    zeros (torch zeroes its tensor in place; a new array cannot change one the user holds), one
    without a gradient left so; a Value's to 0.0, as its gradient is a number."""
    for p in params:
        if isinstance(p, Value):
            p.grad = 0.0
        elif set_to_none:
            p.grad = None
        elif p.grad is not None:
            p.grad = np.zeros_like(p.data)


def _format_count(n: int) -> str:
    return f"{n:,} parameter" + ("" if n == 1 else "s")


class ParameterName(str):
    """A parameter's label given by :meth:`Module.label_parameters` (or a layer): its name in
    the model, which a later labelling may replace; a label set by hand is a plain str, kept."""

    __slots__ = ()


# Labels follow the module called last from outside any module (the whole model, as a rule):
# the modules attached anywhere so far, the module that last labelled (a weak reference) and
# at which count, and how deep this thread's calls of modules are now (inner calls never relabel).
_CHANGES = [0]
_LABELLED: list = [None, -1]


class _CallDepth(threading.local):
    depth = 0  # (per thread: a model running in another thread does not make this call inner)


_CALLS = _CallDepth()


class _Switching(threading.local):
    def __init__(self) -> None:
        self.ids: set[int] = set()  # the modules whose train() is running in this thread


_SWITCHING = _Switching()


class Module:
    """Base class: ``parameters()``, ``zero_grad()``, ``train()``/``eval()``, ``state_dict()``,
    ``save()``/``load()``; calling a module calls its ``forward``."""

    training: bool = True  # a class default, so subclasses need not call super().__init__()

    def __init__(self) -> None:
        self.training = True

    # -- calling ---------------------------------------------------------------------------------

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._label_if_outermost()
        _CALLS.depth += 1
        try:
            return self.forward(*args, **kwargs)
        finally:
            _CALLS.depth -= 1

    # -- what the module holds -------------------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if isinstance(value, Module) or is_parameter(value) or (
                isinstance(value, (list, tuple, dict)) and _holds_parts(value)):
            _CHANGES[0] += 1  # labels are given at the next call (a count: no walk per attribute)

    def _label_if_outermost(self) -> None:
        """Called or asked for its parameters from outside any module (the model, as a rule):
        this module's names are the ones to show, unless it gave them and nothing changed since."""
        if not _CALLS.depth:
            labeller, count = _LABELLED
            if count != _CHANGES[0] or labeller is None or labeller() is not self:
                self.label_parameters()

    def label_parameters(self) -> None:
        """Label each parameter with its name in this module, ``layers.0.weight``, so that the
        stepper and the drawings say which layer a leaf belongs to.  Calling a module, or its
        ``parameters()``, from outside any module does it when the model has changed, so the
        model names them all.
        A label you set yourself is kept: only an empty label, one given this way, or one that is
        just the parameter's attribute name (``weight``) is replaced.

        >>> from nn import Linear, ReLU, Sequential
        >>> net = Sequential(Linear(2, 3, seed=0), ReLU(), Linear(3, 1, seed=1))
        >>> net.label_parameters(); net[2].weight.label
        '2.weight'
        """
        for name, p in self.named_parameters():
            label = p.label
            given = not label or type(label) is ParameterName or label == name.rsplit(".", 1)[-1]
            # (a plain label that is just its attribute's name is given too; a part called on its
            # own keeps the fuller name a model gave, "0.weight" for a layer's "weight")
            if given and label != name and not label.endswith("." + name):
                p.label = ParameterName(name)
        _LABELLED[:] = [weakref.ref(self), _CHANGES[0]]

    def _members(self) -> Iterator[tuple[str, Any]]:
        """The attributes to search, as ``(name, value)``; subclasses may name them differently."""
        yield from vars(self).items()

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules, with their names (``'layers.0'`` for an item of a list)."""
        for name, value in self._members():
            yield from _walk(value, name, want_modules=True)

    def children(self) -> Iterator[Module]:
        for _, m in self.named_children():
            yield m

    def named_modules(self, prefix: str = "", remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """This module and every module under it, each once, depth first (``remove_duplicate=False``:
        a module used in two places under each of its names, as PyTorch's option).

        >>> from nn import Linear, ReLU, Sequential
        >>> layer = Linear(2, 2, seed=0)
        >>> [n for n, _ in Sequential(layer, ReLU(), layer).named_modules(remove_duplicate=False)]
        ['', '0', '1', '2']
        """
        seen: set[int] = set()
        stack = [(prefix, self, ())]  # (name, module, the ids of the modules above it)
        while stack:
            name, m, above = stack.pop()
            if id(m) in (seen if remove_duplicate else above):  # (a module inside itself: once)
                continue
            seen.add(id(m))
            yield name, m
            kids = [(f"{name}.{n}" if name else n, c, (*above, id(m))) for n, c in m.named_children()]
            stack.extend(reversed(kids))

    def modules(self) -> Iterator[Module]:
        for _, m in self.named_modules():
            yield m

    def named_parameters(self, remove_duplicate: bool = True) -> Iterator[tuple[str, Any]]:
        """Every parameter under this module with its dotted name, each once (a parameter
        shared by two layers is listed under its first name; ``remove_duplicate=False``: under
        each of its names, as in ``state_dict()``).  As in PyTorch, a module's own parameters
        come first, then those of its sub-modules, each in attribute order.

        >>> from nn import Linear, ReLU, Sequential
        >>> layer = Linear(2, 2, seed=0)
        >>> twice = Sequential(layer, ReLU(), layer)
        >>> [n for n, _ in twice.named_parameters()], list(twice.state_dict())
        (['0.weight', '0.bias'], ['0.weight', '0.bias', '2.weight', '2.bias'])
        """
        seen: set[int] = set()
        for mod_name, m in self.named_modules(remove_duplicate=remove_duplicate):
            for name, value in m._members():
                for pname, p in _walk(value, name, want_modules=False):
                    if id(p) not in seen or not remove_duplicate:
                        seen.add(id(p))
                        yield (f"{mod_name}.{pname}" if mod_name else pname), p

    def parameters(self) -> list:
        """All parameters, as a list (so it can be passed to an optimizer and reused).  Asked of
        the model, it labels them with their names in it, as a call does."""
        self._label_if_outermost()
        return [p for _, p in self.named_parameters()]

    def num_parameters(self) -> int:
        """How many numbers the module learns."""
        return sum(int(np.size(p.data)) for p in self.parameters())

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset gradients, as PyTorch: a ``Tensor``'s to None, or to zeros with
        ``set_to_none=False``; a ``Value``'s to 0.0 (its gradient is a number)."""
        check_flag(f"{type(self).__name__}.zero_grad", "set_to_none", set_to_none)
        zero_grads(self.parameters(), set_to_none)

    # -- modes -----------------------------------------------------------------------------------

    def train(self, mode: bool = True) -> Module:
        """Training mode (``Dropout`` drops) for this module and all under it; returns self.

        As in PyTorch, each sub-module is switched by its own ``train()``, so a layer that
        overrides it (say, one that keeps a part frozen) has its say inside a bigger model.
        """
        check_flag(type(self).__name__ + ".train", "mode", mode)
        self.training = bool(mode)
        if id(self) in _SWITCHING.ids:  # (a module inside itself: switched once)
            return self
        _SWITCHING.ids.add(id(self))
        try:
            for child in dict.fromkeys(self.children()):  # (a layer listed twice: once, as in torch)
                child.train(mode)
        finally:
            _SWITCHING.ids.discard(id(self))
        return self

    def eval(self) -> Module:
        """Evaluation mode (``Dropout`` passes everything through); returns self."""
        return self.train(False)

    # -- repr ------------------------------------------------------------------------------------

    def extra_repr(self) -> str:
        """What goes between the parentheses of this module's one-line description."""
        return ""

    _repr_children = True  # False: describe the module in one line without listing its parts

    def __repr__(self) -> str:
        """One line for the module with its parameter count, then its parts indented below.

        >>> from nn import MLP
        >>> print(MLP(2, [3, 1], seed=0))
        MLP(2 -> [3, 1], activation='relu')  # 13 parameters
          (layers.0): Layer(2 -> 3, relu)  # 9 parameters
          (layers.1): Layer(3 -> 1, linear)  # 4 parameters
        """
        n = self.num_parameters()
        lines = [f"{type(self).__name__}({self.extra_repr()})" + (f"  # {_format_count(n)}" if n else "")]
        if self._repr_children:
            for name, child in self._parts():
                text = repr(child) if isinstance(child, Module) else getattr(child, "__name__", repr(child))
                lines.append(f"  ({name}): " + text.replace("\n", "\n  "))
        return "\n".join(lines)

    def _parts(self) -> Iterator[tuple[str, Any]]:
        """What the repr lists below the module: its sub-modules (Sequential adds plain functions)."""
        return self.named_children()

    # -- saving and loading ----------------------------------------------------------------------

    def state_dict(self) -> dict[str, np.ndarray]:
        """``{name: array}`` with a copy of every parameter (a ``Value`` gives a 0-d array); a
        parameter shared by two layers under each of its names, as in PyTorch.

        >>> from nn import Linear
        >>> {name: a.shape for name, a in Linear(3, 2, seed=0).state_dict().items()}
        {'weight': (2, 3), 'bias': (2,)}
        """
        return {name: np.array(p.data, copy=True) for name, p in self._named_state().items()}

    def _named_state(self) -> dict[str, Any]:
        """Every parameter under each of its names (state_dict's names); two parameters under one
        name (a dict's keys 1 and '1', an attribute 'a.0' beside a list a) are refused: the state
        would keep one of them, and save() and load() would lose the other without a word."""
        named: dict[str, Any] = {}
        for name, p in self.named_parameters(remove_duplicate=False):
            if named.setdefault(name, p) is not p:
                raise ValueError(f"{type(self).__name__} has two parameters named {name!r} (a dict with keys "
                                 "1 and '1', or an attribute named like an item of a list?); a state_dict "
                                 "keeps one per name: rename one of them")
        return named

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Copy ``state`` into the parameters.  Names and shapes must match exactly (a parameter
        shared by two layers needs one of its names, as files saved before ``state_dict`` listed
        it under each); otherwise a ``ValueError`` lists what is missing, unexpected, of the wrong
        shape, not numbers, nan or inf (or too large for the parameter's dtype), and no parameter
        is changed.  Tensor parameters are updated in place (references stay valid).

        >>> from nn import Neuron
        >>> a, b = Neuron(2, seed=0), Neuron(2, seed=1)
        >>> b.load_state_dict(a.state_dict())
        >>> [p.data for p in b.parameters()] == [p.data for p in a.parameters()]
        True
        >>> b.load_state_dict({'w.0': 1.0})
        Traceback (most recent call last):
        ...
        ValueError: state does not fit Neuron: missing: w.1, b
        """
        if not isinstance(state, Mapping):  # e.g. a.state_dict without its ()
            raise TypeError(f"load_state_dict takes a dict of name -> array, got {type(state).__name__}")
        params = self._named_state()
        arrays = {}
        problems = []
        given = {id(params[k]) for k in params if k in state}  # a shared parameter needs one of its names
        missing = [k for k in params if k not in state and id(params[k]) not in given]
        unexpected = [str(k) for k in state if k not in params]  # (a key 0 is not the name '0')
        if missing:
            problems.append("missing: " + _listing(missing))
        if unexpected:
            problems.append("unexpected: " + _listing(unexpected))
        wrong, complex_ = [], []
        for name, p in params.items():
            if name not in state:
                continue
            dtype = np.float64 if isinstance(p, Value) else p.data.dtype
            value = state[name]
            if hasattr(value, "detach") and not is_node(value):  # a torch Parameter: its numbers
                value = value.detach()
            try:
                given = np.asarray(data_of(value))
                if given.dtype.kind == "c":  # numpy would drop the imaginary parts with only a warning
                    complex_.append(name)
                    continue
                if given.dtype.kind not in "biufO":  # (a date would become its count of days)
                    raise TypeError(f"dtype {given.dtype}")
                with np.errstate(over="ignore"):  # (a float64 past float32's range: inf, caught below)
                    arr = given.astype(dtype)
            except (TypeError, ValueError, OverflowError) as err:  # (10**400: too large for a float)
                wrong.append(f"{name} (not numbers: {err})")
                continue
            want = np.shape(p.data)
            if arr.shape != want:
                wrong.append(f"{name} (model {want}, state {arr.shape})")
                continue
            if not np.isfinite(arr).all():  # a nan or inf weight makes every output nan or inf
                too_large = np.isfinite(given.astype(float)).all()  # (finite until cast to float32)
                why = f"too large for {np.dtype(dtype).name}" if too_large else arr[~np.isfinite(arr)][0]
                wrong.append(f"{name} ({why})")
                continue
            arrays[name] = arr
        if complex_:
            raise TypeError(
                f"load_state_dict: {_listing(complex_)} {'holds' if len(complex_) == 1 else 'hold'} complex "
                "numbers, and parameters are real; "
                "pass a.real if the imaginary part is to be dropped"
            )
        if wrong:
            problems.append("wrong shape or value: " + _listing(wrong))
        if problems:
            raise ValueError(f"state does not fit {type(self).__name__}: " + "; ".join(problems))
        for name, p in params.items():  # everything checked: now change the model
            if name not in arrays:  # a shared parameter's other name
                continue
            if isinstance(p, Value):
                p.data = float(arrays[name])
            else:
                p.data[...] = arrays[name]

    def save(self, path: str | os.PathLike) -> None:
        """Write ``state_dict()`` to ``path`` as a ``.npz`` file, atomically: a temporary file in
        the same directory is written, flushed and then renamed over ``path``, so a crash never
        leaves half a file behind.  The name is used exactly as given.

        >>> import os, tempfile
        >>> from nn import MLP
        >>> path = os.path.join(tempfile.mkdtemp(), 'xor.npz')
        >>> a, b = MLP(2, [4, 1], seed=0), MLP(2, [4, 1], seed=1)
        >>> a.save(path)
        >>> b.load(path)([1.0, 0.0]).data == a([1.0, 0.0]).data
        True
        >>> MLP(2, [5, 1]).load(path)
        Traceback (most recent call last):
        ...
        ValueError: cannot load '...xor.npz': state does not fit MLP: missing: layers.0.neurons.4.w.0, ...
        """
        state = self.state_dict()
        diverged = [name for name, array in state.items() if not np.isfinite(array).all()]
        if diverged:  # load() would refuse the file: keep the last good one
            verb = "holds" if len(diverged) == 1 else "hold"
            raise ValueError(f"cannot save {os.fspath(path)!r}: {_listing(diverged)} {verb} nan or inf "
                             "(the training diverged?); the file was left as it was")
        with atomic_write(path) as f, zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
            # np.savez's own layout, written here: savez takes names as keywords, so a parameter
            # named 'file' or 'allow_pickle' would collide with its arguments
            for name, array in state.items():
                with z.open(name + ".npy", "w", force_zip64=True) as entry:
                    write_array(entry, array, allow_pickle=False)

    def load(self, path: str | os.PathLike | None = None) -> Module:
        """Read a file written by ``save`` into this module and return the module.

        Loaded with ``allow_pickle=False``.  A truncated or corrupt file, or one made for a
        different model, raises ``ValueError`` naming the file; the model is then unchanged.
        """
        if not isinstance(self, Module) or path is None:  # Sequential.load(path): self is the path
            raise TypeError("load(path) fills a model you have built with the numbers saved: build it first, "
                            "with the same layers, then model.load(path) (as torch's load_state_dict)")
        path = file_to_read(path)
        with open(path, "rb") as f:  # (a missing file, a folder: their own errors, as open() gives)
            head = f.read(6)
        if not head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"\x93NUMPY")):  # zip (.npz) or .npy
            # else numpy reads it as a pickle, and suggests allow_pickle=, which load() must not use
            raise ValueError(
                f"cannot load {path!r}: not a file written by save() (a .npz archive of named arrays); "
                f"it starts with {head!r}"
            )
        try:
            with open(path, "rb") as f:  # (np.load of a path left it open when the archive was cut short)
                archive = np.load(f, allow_pickle=False)
                if not isinstance(archive, NpzFile):
                    raise ValueError("it holds a single array, not a .npz archive of named arrays")
                with archive:
                    _check_entries(path, archive.zip.namelist())
                    state = {name: archive[name] for name in archive.files}  # all now: fail before changing
        except (FileNotFoundError, PermissionError, IsADirectoryError):
            raise
        except _NotOurs:  # (a ValueError that says what the file is: not wrapped as unreadable)
            raise
        except Exception as err:  # noqa: BLE001 - zipfile and numpy raise many kinds on bad bytes
            # (BadZipFile, EOFError, zlib.error, NotImplementedError for a flipped compression
            # method, RuntimeError for a flipped encryption flag, ...): all mean a corrupt file
            raise ValueError(
                f"cannot load {path!r}: not a readable .npz state file ({type(err).__name__}: {err})"
            ) from err
        try:
            self.load_state_dict(state)
        except (TypeError, ValueError) as err:  # (TypeError: complex numbers)
            raise type(err)(f"cannot load {path!r}: {err}") from err
        return self


class _NotOurs(ValueError):
    """A readable archive that save() did not write (a PyTorch checkpoint is a zip file too)."""


def _check_entries(path: str, names: list[str]) -> None:
    """save() writes one ``.npy`` array per parameter: other entries mean another program's zip
    file, which would read as a model with every name unexpected."""
    others = [n for n in names if not n.endswith(".npy")]
    if not others:
        return
    if any(n.endswith("data.pkl") for n in others):  # torch.save's zip layout
        raise _NotOurs(f"cannot load {path!r}: it is a PyTorch checkpoint (torch.save), not a file written "
                       "by save(); model.load_state_dict(torch.load(path)) reads a state_dict saved there")
    raise _NotOurs(f"cannot load {path!r}: not a file written by save() (a .npz archive of named arrays); it "
                   f"holds {_listing(others)}")


def _holds_parts(value: Any) -> bool:
    """A list, tuple or dict with a module or a parameter in it (else, a list of activations
    kept in forward, say, it changes no names)."""
    return any(True for _ in _walk(value, "", want_modules=True)) or any(
        True for _ in _walk(value, "", want_modules=False))


def _walk(value: Any, name: str, want_modules: bool) -> Iterator[tuple[str, Any]]:
    """Modules (or parameters) inside one attribute: the value itself, or items of a list,
    tuple or dict (nested).  Does not descend into modules."""
    stack = [(name, value)]
    while stack:
        n, v = stack.pop()
        if isinstance(v, Module):
            if want_modules:
                yield n, v
        elif isinstance(v, (list, tuple)):
            stack.extend(reversed([(f"{n}.{i}", item) for i, item in enumerate(v)]))
        elif isinstance(v, dict):
            stack.extend(reversed([(f"{n}.{k}", item) for k, item in v.items()]))
        elif not want_modules and is_parameter(v):
            yield n, v


__all__ = ["Module", "is_parameter"]
