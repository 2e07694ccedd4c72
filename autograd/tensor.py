"""``Tensor``: one numpy array in a computation graph, on the same engine as ``Value``.

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> W = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, label='W')
    >>> x = Tensor([1.0, -1.0])
    >>> y = (W @ x).relu().sum()
    >>> y.backward()
    >>> W.grad
    array([[0., 0.],
           [0., 0.]])
    >>> (W @ x).data
    array([-1., -1.])
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import array_ops as A
from . import ops
from .display import summary
from .graph import backward, check_forward
from .mode import MODE
from .node import Node
from .ops import (
    NAN_OPERAND,
    apply_ufunc,
    check_flag,
    data_of,
    int_too_large,
    is_node,
    mixed_nodes_error,
    refuse_text_or_none,
    to_float,
    warn_off_the_graph,
    zero_d_array,
)

_new = object.__new__
_ndarray = np.ndarray


def _as_array(data: Any, dtype: Any = None, what: str = "Tensor()", copy: bool = False) -> np.ndarray:
    """Check user input: numbers in a float array (float64 unless a float dtype is given).

    ``copy=True`` gives the tensor its own array, as ``torch.tensor`` does, so an optimizer
    updating a parameter in place never changes the caller's array.
    """
    if type(data) is np.ndarray and data.dtype.kind == "f" and dtype is None:  # the common case
        array = data.copy() if copy else data
    else:
        array = _convert(data, dtype, what)
    top = A._max_reduce(array, None) if array.size else 0.0  # max propagates nan, never warns
    if top != top:  # nan, the one number not equal to itself
        raise ValueError(f"{what} got nan (first at index {_first_nan(array)}); a graph built on "
                         "nan gives nan everywhere")
    return array


def _convert(data: Any, dtype: Any, what: str) -> np.ndarray:
    """Anything array-like to a new float array, or a TypeError that says what came."""
    if isinstance(data, Tensor):
        raise TypeError(f"{what} got a Tensor; use t.detach() for a new leaf, or Tensor(t.data)")
    if hasattr(data, "parents"):
        raise TypeError(f"{what} got a {type(data).__name__}; use its .data")
    if isinstance(data, str | bytes):
        raise TypeError(f"{what} takes numbers, got a string {data!r:.40}")
    try:
        array = np.asarray(data)
    except ValueError as err:  # ragged lists
        raise TypeError(f"{what} takes a rectangular array of numbers: {err}") from None
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"{what} keeps floats only, got dtype={dtype}; use float32 or float64")
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{what} takes numbers, got an array of dtype {array.dtype}"
            + (" (mixed or non-numeric entries?)" if array.dtype.kind in "OUS" else "")
        )
    if dtype is None:
        dtype = array.dtype if array.dtype.kind == "f" else np.float64
    return np.array(array, dtype=dtype)


def _first_nan(array: np.ndarray) -> tuple:
    return tuple(int(i) for i in np.argwhere(np.isnan(array))[0])


def _result(op: type, data: np.ndarray, parents: tuple, ctx: Any = None) -> Tensor:
    """A new Tensor from an op; recorded only if some input requires grad."""
    if type(data) is not _ndarray:
        data = np.asarray(data)  # numpy gives 0-d results as scalars
    for p in parents:
        if p.requires_grad:
            break
    else:  # every input is a constant: so is the result
        return _const(data)
    t = _new(Tensor)
    t.data = data
    t.grad = None
    t.label = ""
    t.parents = parents
    t._op = op
    t._ctx = ctx
    t.requires_grad = True
    if MODE.special:
        if MODE.anomaly:
            check_forward(t)
        if not MODE.grad_enabled:
            return _const(data)
    return t


_REPR_ALL = 20  # a tensor of more numbers than this is summarised in its repr


def _numpy_defaults(name: str, **options: Any) -> None:
    """numpy's reductions pass their options (``out``, ``dtype``...) on to a Tensor's own: only
    their defaults, None, fit."""
    given = [k for k, v in options.items() if v is not None]
    if given:
        raise TypeError(f"{name}() of a Tensor takes no {' or '.join(given)}: numpy's options (out, dtype, "
                        "where, initial) need its numbers, t.data; t.astype(...) gives another dtype")


def _const(data: np.ndarray) -> Tensor:
    t = _new(Tensor)
    t.data = data
    t.grad = None
    t.label = ""
    t.parents = ()
    t._op = t._ctx = None
    t.requires_grad = False
    return t


def _zero_d_as_number(a: Tensor, b: Tensor) -> tuple:
    """A 0-d operand is a number: it does not widen the other operand's dtype (a float32 array
    times a 0-d float64 tensor stays float32), as a Python float does here and a 0-d tensor in
    PyTorch; its own gradient comes back in its own dtype.  Otherwise numpy's promotion."""
    da, db = a.data, b.data
    if db.ndim == 0 and da.ndim and np.promote_types(da.dtype, db.dtype) != da.dtype:
        b = b.astype(da.dtype)
    elif da.ndim == 0 and db.ndim and np.promote_types(da.dtype, db.dtype) != db.dtype:
        a = a.astype(db.dtype)
    return a, b


def _matmul_error(a: Tensor, b: Tensor, err: Exception) -> ValueError:
    if a.ndim == 0 or b.ndim == 0:
        return ValueError(f"'@': needs at least 1-D operands, got shapes {a.shape} and {b.shape}")
    k_a, k_b = a.shape[-1], (b.shape[0] if b.ndim == 1 else b.shape[-2])
    if k_a != k_b:
        return ValueError(f"'@': shapes {a.shape} and {b.shape}: inner dimensions {k_a} and {k_b} differ")
    return _shape_error("@", a, b, err)


def _shape_error(op: str, a: Tensor, b: Tensor, err: Exception) -> ValueError:
    return ValueError(f"'{op}': shapes {a.shape} and {b.shape} do not fit together ({err})")


class Tensor(Node):
    """An array node: ``data`` (ndarray), ``grad`` (ndarray or None), ``shape``, ``label``.

    Elementwise ops broadcast as in numpy and sum gradients back to each input's shape.
    Only tensors with ``requires_grad=True`` (and results computed from them) are recorded.
    A tensor with ``requires_grad=True`` holds its own copy of the data; a constant shares the
    array it was given (as ``np.asarray``), so wrapping each batch of data costs no copy.

    A float32 or float16 tensor stays in its dtype: a Python number or a 0-d operand takes the
    array's dtype, as a Python number does in numpy and a 0-d tensor in PyTorch (so a float16
    ``x / 1e5`` divides by float16's inf, as numpy does; PyTorch computes half precision in
    float32), and float16 sums add up in float32.
    """

    __slots__ = ("data", "grad", "parents", "label", "_op", "_ctx", "requires_grad")
    __array_priority__ = 1000  # ndarray <op> Tensor defers to the Tensor's reflected op
    _grad_zero = None
    _record = staticmethod(_result)  # how autograd.apply records an op's result

    def __init__(self, data: Any, requires_grad: bool = False, label: str = "",
                 dtype: Any = None) -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        if requires_grad is not False:  # ('no' would count as True)
            check_flag("Tensor", "requires_grad", requires_grad)
        # a parameter gets its own copy (optimizers update it in place); a constant, such as a
        # batch of data, shares the caller's array as np.asarray does: no copy per batch
        self.data = _as_array(data, dtype, copy=bool(requires_grad))
        self.grad = None
        self.label = label
        self.parents = ()
        self._op = self._ctx = None
        self.requires_grad = bool(requires_grad)

    # -- the node protocol ----------------------------------------------------------------------

    @property
    def op(self) -> str:
        """The op that made this tensor, ``''`` for a leaf."""
        return self._op.display(self._ctx) if self._op is not None else ""

    @staticmethod
    def _constant(raw: Any) -> Tensor:
        return _const(np.asarray(raw))

    def _zero_grad(self) -> np.ndarray:
        return np.zeros_like(self.data)

    def _accumulate_grad(self, g: Any, passed_through: bool = False) -> None:
        if not self.requires_grad:  # a constant input of an op (the op may still send it one)
            return
        if g.shape != self.data.shape:
            g = A.sum_to(g, self.data.shape)  # a new array
            passed_through = False
        if self._op is not None:  # an intermediate node: this pass's gradient, shared or not
            if self.grad is not None:
                g = zero_d_array(self.grad + g)  # (two 0-d arrays add up to a numpy scalar)
            self.grad = g
            return
        if self.grad is not None:
            g = self.grad + g
        elif type(g) is _ndarray and (passed_through or g.base is not None):
            g = g.copy()  # a leaf's .grad is its own array (it may be changed in place), as torch
        if type(g) is _ndarray and g.dtype is self.data.dtype:
            self.grad = g
        elif type(g) is Tensor:  # create_graph: cast by a graph op, so higher derivatives flow
            self.grad = g.astype(self.data.dtype)  # (g itself if it has the dtype)
        else:  # a leaf's grad: an array of its dtype, as torch
            self.grad = np.asarray(g, dtype=self.data.dtype)

    def _seed_grad(self, gradient: Any, create_graph: bool) -> Any:
        if not self.requires_grad:
            raise RuntimeError("backward() on a Tensor that does not require grad: no input of its "
                               "graph has requires_grad=True (or it was computed under no_grad())")
        if gradient is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward() on a Tensor of shape {self.shape} needs a gradient of that shape "
                    "(or reduce it first, e.g. .sum() or .mean())"
                )
            seed = np.array(1, dtype=self.data.dtype).reshape(self.data.shape)
        else:
            seed = _as_array(data_of(gradient), self.data.dtype, "backward(gradient)", copy=True)
            if seed.shape != self.shape:
                raise ValueError(f"backward(gradient): gradient has shape {seed.shape}, "
                                 f"the tensor has shape {self.shape}")
            if create_graph and type(gradient) is Tensor and gradient.requires_grad:
                return gradient.astype(self.data.dtype)  # a node: the gradients depend on it too
        return _const(seed) if create_graph else seed

    # -- basics ---------------------------------------------------------------------------------

    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self) -> Any:
        """The tensor's rows (each a graph node), as iterating a torch tensor gives."""
        for i in range(len(self)):
            yield self[i]

    def item(self) -> float:
        """The one number of a size-1 tensor."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor of one element, this one has shape {self.shape}")
        return self.data.item()

    def __float__(self) -> float:
        value = float(self.item())  # (one element, else item() says so)
        warn_off_the_graph(self)
        return value

    def __format__(self, spec: str) -> str:
        """``f'{loss:.4f}'`` formats the number of a one-element tensor, as PyTorch's 0-d ones."""
        if not spec:
            return str(self)
        if self.data.size != 1:
            raise TypeError(f"format {spec!r} needs a one-element tensor, this one has shape {self.shape}: "
                            "format t.item() or the elements of t.data")
        return format(self.data.item(), spec)

    # == is identity between nodes, and refused against numbers (ops.equality, in Node);
    # <, <=, >, >= read the numbers (no graph: they have no derivative), as for Value
    def __lt__(self, other: Any) -> np.ndarray:
        return self.data < data_of(other)

    def __le__(self, other: Any) -> np.ndarray:
        return self.data <= data_of(other)

    def __gt__(self, other: Any) -> np.ndarray:
        return self.data > data_of(other)

    def __ge__(self, other: Any) -> np.ndarray:
        return self.data >= data_of(other)

    def __bool__(self) -> bool:
        """Truth of a one-element tensor, as numpy and PyTorch; ambiguous for more elements."""
        if self.data.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous: "
                             "use (t.data > 0).any() or .all()")
        return bool(self.data)

    def numpy(self) -> np.ndarray:
        """The data array (shared, not copied), as ``torch.Tensor.numpy()``."""
        return self.data

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """numpy meets a Tensor: ``np.exp(t)`` is ``t.exp()`` and ``x + t`` (``x`` an array) is the
        Tensor's ``+``, so the graph is kept; other ufuncs are a TypeError saying what to use."""
        return apply_ufunc(ufunc, method, inputs, kwargs, self._operand, comparisons=True,
                           methods=".exp(), .tanh(), .relu(), .sum()")

    def _operand(self, x: Any) -> Tensor:
        """``x`` as the other operand of an op with this tensor, or a TypeError."""
        lifted = self._lift(x)
        if lifted is NotImplemented:
            raise TypeError(f"a Tensor cannot take {type(x).__name__} {x!r:.40} as an operand")
        return lifted

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """``np.asarray(t)``: the numbers of a constant tensor.  Refused for one that requires
        grad, as in PyTorch: numpy would drop it from the graph unnoticed (``np.concatenate`` of
        parameters gives no gradient); use the Tensor's own ops, or ``t.data`` for the numbers."""
        if self.requires_grad:
            raise TypeError(
                f"numpy cannot take a Tensor that requires grad (shape {self.shape}) without dropping "
                "it from the graph: use Tensor ops (autograd.stack, concatenate, t.exp(), t @ u, ...), or "
                "t.data / t.detach() for the numbers alone (np.argmax(t.data), or t.argmax())"
            )
        return np.array(self.data, dtype=dtype, copy=copy)

    def detach(self) -> Tensor:
        """A new leaf sharing the data, with no history and requires_grad=False."""
        return _const(self.data)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place (leaves only) and return self."""
        check_flag("requires_grad_", "requires_grad", requires_grad)
        if self._op is not None:
            raise RuntimeError("requires_grad can only be changed on leaf tensors")
        if requires_grad and not self.requires_grad:
            self.data = self.data.copy()  # a parameter owns its data (see the class docstring)
        self.requires_grad = bool(requires_grad)
        return self

    def backward(self, gradient: Any = None, create_graph: bool = False) -> None:
        """Fill ``.grad`` on every tensor of the graph that requires it (see ``Value.backward``).

        A tensor with more than one element needs ``gradient`` (same shape), as in PyTorch.
        """
        backward(self, gradient, create_graph)

    def __repr__(self) -> str:
        data = self.data
        if data.size <= _REPR_ALL:
            body = np.array2string(data, precision=4, separator=", ", prefix="Tensor(")
        elif data.ndim <= 2:  # numpy's summary: the corners, then the shape they leave out
            body = np.array2string(data, precision=4, separator=", ", threshold=_REPR_ALL,
                                   prefix="Tensor(") + f", shape={data.shape}"
        else:  # numpy's summary of an (8, 16, 6, 6) batch is 271 lines: its shape and numbers instead
            body = f"shape={data.shape}, {summary(data)}"
        extra = ", requires_grad=True" if self.requires_grad else ""
        extra += f", dtype={self.dtype}" if self.dtype != np.float64 else ""
        extra += f", label={self.label!r}" if self.label else ""
        extra += f", op={self.op!r}" if self._op is not None else ""
        return f"Tensor({body}{extra})"

    # -- elementwise arithmetic, numpy broadcasting ----------------------------------------------

    def _lift(self, other: Any) -> Any:
        if isinstance(other, Tensor):
            return other
        if type(other) is _ndarray and other.dtype.kind == "f":  # data, such as a batch of targets
            return _const(_as_array(other, None, "an operand"))
        if type(other) is float or type(other) is int or isinstance(other, numbers.Real | np.bool_):
            if other != other:
                raise ValueError(NAN_OPERAND)
            try:
                return _const(np.asarray(other, dtype=self.data.dtype))
            except OverflowError:
                raise int_too_large(other, "an operand") from None
        if isinstance(other, np.ndarray | list | tuple):
            try:
                given = np.asarray(other).dtype.kind
            except ValueError:  # ragged lists: _convert says so, as the constructor does
                given = ""
            return _const(_as_array(other, self.data.dtype if given != "f" else None, "an operand"))
        if is_node(other):  # a Value
            raise mixed_nodes_error()
        refuse_text_or_none(other, "Tensor")
        return NotImplemented

    def _in_place_refused(self) -> str:  # (t op= ..., as in PyTorch: refused on a parameter)
        return "a tensor that requires grad" if self.requires_grad and self._op is None else ""

    def _binary(self, op: type, fn: Any, other: Any, reverse: bool = False) -> Tensor:
        """``fn`` (numpy's ufunc for ``op``) on self and ``other``, recorded as ``op``."""
        if type(other) is not Tensor:
            other = self._lift(other)
            if other is NotImplemented:
                return other
        a, b = (other, self) if reverse else (self, other)
        if a.data.dtype is not b.data.dtype:  # mixed float dtypes
            a, b = _zero_d_as_number(a, b)
        try:
            data = fn(a.data, b.data)
        except ValueError as err:
            raise _shape_error(op.name, a, b, err) from None
        return _result(op, data, (a, b))

    def __add__(self, other: Any) -> Tensor:
        return self._binary(ops.Add, np.add, other)

    def __radd__(self, other: Any) -> Tensor:
        return self._binary(ops.Add, np.add, other, reverse=True)

    def __sub__(self, other: Any) -> Tensor:
        return self._binary(ops.Sub, np.subtract, other)

    def __rsub__(self, other: Any) -> Tensor:
        return self._binary(ops.Sub, np.subtract, other, reverse=True)

    def __mul__(self, other: Any) -> Tensor:
        return self._binary(ops.Mul, np.multiply, other)

    def __rmul__(self, other: Any) -> Tensor:
        return self._binary(ops.Mul, np.multiply, other, reverse=True)

    def __truediv__(self, other: Any) -> Tensor:
        return self._binary(A.Div, np.true_divide, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return self._binary(A.Div, np.true_divide, other, reverse=True)

    def __pow__(self, other: Any) -> Tensor:
        if type(other) is float or type(other) is int or isinstance(other, numbers.Real):
            n = to_float(other, "the exponent")
            if n != n:
                raise ValueError(NAN_OPERAND)
            return _result(A.PowConst, A.PowConst.forward(n, self.data), (self,), n)
        return self._binary(A.Pow, np.power, other)

    def __rpow__(self, other: Any) -> Tensor:
        return self._binary(A.Pow, np.power, other, reverse=True)

    def __neg__(self) -> Tensor:
        return _result(ops.Neg, -self.data, (self,))

    def __abs__(self) -> Tensor:
        return self.abs()

    def __matmul__(self, other: Any) -> Tensor:
        return self._matmul(other, reverse=False)

    def __rmatmul__(self, other: Any) -> Tensor:
        return self._matmul(other, reverse=True)

    def _matmul(self, other: Any, reverse: bool) -> Tensor:
        if type(other) is not Tensor:
            other = self._lift(other)
            if other is NotImplemented:
                return other
        a, b = (other, self) if reverse else (self, other)
        try:
            data = a.data @ b.data
        except ValueError as err:  # numpy's message names neither tensor: say what went wrong
            raise _matmul_error(a, b, err) from None
        return _result(A.MatMul, data, (a, b), (a.requires_grad, b.requires_grad))

    # -- functions -------------------------------------------------------------------------------

    def _unary(self, op: type, ctx: Any = None) -> Tensor:
        return _result(op, op.forward(ctx, self.data), (self,), ctx)

    def exp(self) -> Tensor:
        return self._unary(A.Exp)

    def log(self) -> Tensor:
        """Natural log (numpy semantics: -inf at 0, nan below; ``detect_anomaly()`` stops there)."""
        return self._unary(A.Log)

    def sqrt(self) -> Tensor:
        return self._unary(A.Sqrt)

    def abs(self) -> Tensor:
        return self._unary(A.Abs)

    def sin(self) -> Tensor:
        return self._unary(A.Sin)

    def cos(self) -> Tensor:
        return self._unary(A.Cos)

    def tanh(self) -> Tensor:
        return self._unary(A.Tanh)

    def sigmoid(self) -> Tensor:
        return self._unary(A.Sigmoid)

    def relu(self) -> Tensor:
        return self._unary(A.ReLU)

    def step(self) -> Tensor:
        """Heaviside step: 1 where data >= 0 else 0; gradient 0."""
        return self._unary(A.Step)

    def clip(self, lo: Any, hi: Any, **numpy_options: Any) -> Tensor:
        """Values limited to [lo, hi]; gradient 1 inside (bounds included), 0 outside.  One bound
        may be None, no limit on that side, as in numpy (and ``torch.clamp``); a bound may be an
        array (or a Tensor without a gradient) that broadcasts to this tensor's shape, a bound
        per element; ``np.clip(t, lo, hi)`` calls this.

        >>> Tensor([-2.0, 0.5, 3.0]).clip(None, 1.0).data
        array([-2. ,  0.5,  1. ])
        >>> Tensor([-2.0, 0.5, 3.0]).clip([-1.0, 1.0, 0.0], 2.0).data
        array([-1.,  1.,  2.])
        """
        if numpy_options:
            _numpy_defaults("clip", **numpy_options)
        if lo is None and hi is None:
            raise ValueError("clip: give lo or hi (or both); None for both would limit nothing")
        lo, hi = (self._clip_bound(b, inf) for b, inf in ((lo, -np.inf), (hi, np.inf)))
        above = np.count_nonzero(np.greater(lo, hi))
        if above:
            raise ValueError(f"clip: lo={lo:g} is above hi={hi:g}" if np.ndim(lo) == np.ndim(hi) == 0 else
                             f"clip: lo is above hi at {above} of the bounds' elements (each lo must be at "
                             "most its hi)")
        return self._unary(A.Clip, (lo, hi))

    def _clip_bound(self, bound: Any, none: float) -> float | np.ndarray:
        """A bound of clip as a float, or as an array of this tensor's dtype that fits its shape."""
        if bound is None:
            return none
        if isinstance(bound, Tensor):
            if bound.requires_grad:
                raise TypeError("clip takes fixed bounds, and this bound requires a gradient: pass "
                                "bound.detach() (the same numbers, no gradient to the bound)")
            bound = bound.data
        if isinstance(bound, np.ndarray | list | tuple):
            bound = np.asarray(bound)
            if bound.ndim == 0:
                bound = bound.item()
        if isinstance(bound, np.ndarray):
            if bound.dtype.kind not in "iuf":
                raise TypeError(f"clip: bounds must be numbers, got an array of {bound.dtype}")
            if np.isnan(bound).any():
                raise ValueError("clip: a bound is nan")
            try:  # (the result keeps the tensor's shape)
                fits = np.broadcast_shapes(bound.shape, self.shape) == self.shape
            except ValueError:
                fits = False
            if not fits:
                raise ValueError(f"clip: a bound of shape {bound.shape} does not fit a tensor of shape "
                                 f"{self.shape}: it must broadcast to it")
            return bound.astype(self.dtype, copy=False)
        if not isinstance(bound, numbers.Real) or isinstance(bound, bool):
            raise TypeError(f"clip: bounds must be numbers, got {type(bound).__name__} {bound!r:.40}")
        if bound != bound:
            raise ValueError("clip: a bound is nan")
        return to_float(bound, "a bound of clip")

    def softmax(self, axis: int | None = -1) -> Tensor:
        """exp(x) / sum(exp(x)) along ``axis``, computed without overflow; ``axis=None``: over
        every element (as ``scipy.special.softmax``; PyTorch's legacy None picks an axis)."""
        return self._unary(A.Softmax, self._axis(axis))

    def log_softmax(self, axis: int | None = -1) -> Tensor:
        """log(softmax(x)) along ``axis`` (None: over every element), computed stably (no log of 0)."""
        return self._unary(A.LogSoftmax, self._axis(axis))

    # -- reductions ------------------------------------------------------------------------------

    def _axis(self, axis: Any) -> Any:
        if axis is None:
            return None
        axes = axis if isinstance(axis, tuple) else (axis,)
        for a in axes:
            if not isinstance(a, numbers.Integral) or isinstance(a, bool):
                raise TypeError(f"an axis must be an int (or a tuple of ints), got {a!r}")
            if not -max(self.ndim, 1) <= a < max(self.ndim, 1):
                raise ValueError(f"axis {a} is out of range for a tensor of shape {self.shape}")
        if self.ndim == 0:
            return None
        norm = tuple(int(a) % self.ndim for a in axes)
        if len(set(norm)) != len(norm):
            raise ValueError(f"axis {axis} names an axis twice (a tensor of shape {self.shape})")
        return norm if isinstance(axis, tuple) else norm[0]

    # (numpy_options: np.sum(t), np.mean(t), np.max(t) call these, passing out=None and such)
    def sum(self, axis: Any = None, keepdims: bool = False, **numpy_options: Any) -> Tensor:
        if numpy_options:
            _numpy_defaults("sum", **numpy_options)
        return self._unary(A.Sum, (self._axis(axis), keepdims))

    def mean(self, axis: Any = None, keepdims: bool = False, **numpy_options: Any) -> Tensor:
        if numpy_options:
            _numpy_defaults("mean", **numpy_options)
        return self._unary(A.Mean, (self._axis(axis), keepdims))

    def max(self, axis: Any = None, keepdims: bool = False, **numpy_options: Any) -> Tensor:
        """Largest element(s); ties share the gradient equally (as ``torch.amax``)."""
        if numpy_options:
            _numpy_defaults("max", **numpy_options)
        return self._reduce_nonempty(A.Max, axis, keepdims)

    def min(self, axis: Any = None, keepdims: bool = False, **numpy_options: Any) -> Tensor:
        if numpy_options:
            _numpy_defaults("min", **numpy_options)
        return self._reduce_nonempty(A.Min, axis, keepdims)

    def argmax(self, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        """Where the largest element(s) are, as ``torch.argmax``: indices, a numpy array of ints
        (an index has no gradient, so no graph node; a Tensor here holds floats).

        >>> Tensor([[0.1, 0.7, 0.2], [0.9, 0.05, 0.05]], requires_grad=True).argmax(axis=1)
        array([1, 0])
        """
        return self._where_extreme(np.argmax, axis, keepdims)

    def argmin(self, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        """Where the smallest element(s) are: indices, a numpy array of ints (see :meth:`argmax`)."""
        return self._where_extreme(np.argmin, axis, keepdims)

    def _where_extreme(self, find: Any, axis: Any, keepdims: bool) -> np.ndarray:
        check_flag(find.__name__, "keepdims", keepdims)
        axis = None if axis is None else self._axis(axis)
        if isinstance(axis, tuple):
            raise TypeError(f"{find.__name__}() takes one axis (an int) or None, got {axis}")
        if (self.shape[axis] == 0) if axis is not None else self.data.size == 0:  # (an empty batch is fine)
            raise ValueError(f"{find.__name__}() over an empty axis of a tensor of shape {self.shape}: "
                             "it has no elements to compare")
        return np.asarray(find(self.data, axis=axis, keepdims=keepdims))

    def _reduce_nonempty(self, op: type, axis: Any, keepdims: bool) -> Tensor:
        ctx = (self._axis(axis), keepdims)
        try:
            return self._unary(op, ctx)
        except ValueError:  # numpy: "zero-size array to reduction operation ... has no identity"
            raise ValueError(f"{op.name}() over an empty axis of a tensor of shape {self.shape}: "
                             "it has no elements to compare") from None

    # -- shape -----------------------------------------------------------------------------------

    def reshape(self, *shape: Any) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], tuple | list):
            shape = tuple(shape[0])
        try:
            data = self.data.reshape(shape)
        except ValueError:
            raise ValueError(f"reshape: cannot reshape shape {self.shape} ({self.size} elements) "
                             f"into {shape}") from None
        return _result(A.Reshape, data, (self,), data.shape)

    def astype(self, dtype: Any) -> Tensor:
        """The same numbers in another float dtype, a graph node whose gradient goes back in this
        tensor's dtype (PyTorch's ``.to(dtype)``).  The tensor itself if it has that dtype
        already; a constant gives a constant, with its label.

        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> y = x.astype(np.float32); y.op, y.dtype
        ('astype', dtype('float32'))
        >>> y.sum().backward(); x.grad.dtype
        dtype('float64')
        """
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"astype: a tensor holds floats, got dtype={dtype}")
        if dtype == self.data.dtype:
            return self
        out = _result(A.AsType, self.data.astype(dtype), (self,), dtype)
        if out._op is None:
            out.label = self.label
        return out

    def flatten(self) -> Tensor:
        return self.reshape(-1)

    def transpose(self, *axes: Any) -> Tensor:
        """Axes reversed (no argument, or None) or permuted as given, as ``numpy.transpose``
        (which calls this method: ``np.transpose(t)`` is ``t.transpose(None)``).

        >>> Tensor([[1.0, 2.0]]).transpose(None).shape
        (2, 1)
        """
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], tuple | list)
                               or isinstance(axes[0], np.ndarray) and axes[0].ndim):
            axes = () if axes[0] is None else tuple(axes[0])
        axes = tuple(range(self.ndim))[::-1] if not axes else tuple(self._axis(a) for a in axes)
        if sorted(axes) != list(range(self.ndim)):
            raise ValueError(f"transpose: {axes} is not a permutation of the axes of shape {self.shape}")
        return _result(A.Transpose, self.data.transpose(axes), (self,), axes)

    @property
    def T(self) -> Tensor:  # noqa: N802 - numpy's name
        return self.transpose()

    def broadcast_to(self, shape: tuple) -> Tensor:
        try:
            data = np.broadcast_to(self.data, shape)
        except ValueError:
            raise ValueError(f"broadcast_to: shape {self.shape} does not broadcast to {shape}") from None
        return _result(A.BroadcastTo, data, (self,), tuple(shape))

    def __getitem__(self, index: Any) -> Tensor:
        if type(index) is not slice:  # (a slice, such as a batch x[i:i + n], needs no help)
            index = _plain_index(index, self)
        try:
            data = self.data[index]  # (a number for a single element: _result makes it 0-d)
        except IndexError as err:
            raise IndexError(f"index into a tensor of shape {self.shape}: {err}") from None
        return _result(A.GetItem, data, (self,), index)

    def __setitem__(self, index: Any, value: Any) -> None:
        raise TypeError(
            "a Tensor cannot be changed in place: it would change what backward() uses. "
            "Build a new tensor (e.g. concatenate, stack, or x * mask), or edit the numbers "
            "outside the graph with t.data[...] = value"
        )

    def pad(self, pad_width: Any) -> Tensor:
        """Zeros around the data, numpy-style ``pad_width`` (one (before, after) per axis)."""
        wrong = ValueError(f"pad: pad_width {pad_width!r:.60} does not fit a tensor of shape {self.shape}: "
                           f"give one (before, after) pair per axis ({self.ndim}), one pair for all, "
                           "or one number")
        if self.ndim == 0:
            raise ValueError("pad: a 0-d tensor has no axes to pad")
        try:
            widths = np.asarray(pad_width)
        except ValueError:  # ragged
            raise wrong from None
        if widths.size and widths.dtype.kind not in "iu":
            raise TypeError(f"pad: widths must be integers, got {pad_width!r:.60}")
        try:
            widths = np.broadcast_to(widths, (self.ndim, 2))
        except ValueError:
            raise wrong from None
        pw = tuple((int(lo), int(hi)) for lo, hi in widths)
        if any(lo < 0 or hi < 0 for lo, hi in pw):
            raise ValueError(f"pad: widths must be >= 0, got {pw}")
        return _result(A.Pad, A.Pad.forward(pw, self.data), (self,), pw)

    def unfold(self, kernel: tuple | int, stride: tuple | int) -> Tensor:
        """Windows of the last ``len(kernel)`` axes, taken every ``stride``: shape
        (..., *out_positions, *kernel).  An int ``kernel`` is one axis (as numpy's
        ``sliding_window_view``), an int ``stride`` the same step along every window axis.

        >>> Tensor([0.0, 1.0, 2.0, 3.0]).unfold(2, 2).data
        array([[0., 1.],
               [2., 3.]])
        """
        kernel, steps = _ints(kernel, "kernel"), _ints(stride, "stride")
        d = len(kernel)
        stride = steps if isinstance(stride, tuple | list) else steps * d
        if len(stride) != d:
            raise ValueError(f"unfold: stride {stride} needs one entry per kernel axis ({d})")
        if min(kernel + stride, default=1) < 1:
            raise ValueError(f"unfold: kernel and stride entries must be >= 1, got kernel {kernel} and "
                             f"stride {stride}")
        if not d:
            raise ValueError("unfold: kernel () has no axes: give one window size per axis to slide along")
        if d > self.ndim:
            raise ValueError(f"unfold: kernel {kernel} has more axes than a tensor of shape {self.shape}")
        last = self.shape[self.ndim - d:]
        if any(k > n for k, n in zip(kernel, last)):
            raise ValueError(f"unfold: kernel {kernel} is larger than the last axes {last} of a tensor of "
                             f"shape {self.shape}")
        ctx = (kernel, stride)
        return _result(A.Unfold, A.Unfold.forward(ctx, self.data), (self,), ctx)


def _ints(v: Any, what: str) -> tuple:
    """An int or a sequence of ints as a tuple of ints, or a TypeError naming ``what``."""
    t = tuple(v) if isinstance(v, tuple | list) else (v,)
    if not all(isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in t):
        raise TypeError(f"unfold: {what} must be an int or a tuple of ints, got {v!r:.40}")
    return tuple(int(i) for i in t)


def _plain_index(index: Any, tensor: Tensor | None) -> Any:
    """An index numpy understands, with boolean masks as integer arrays (so repeats add up);
    a mask must fit the axes of ``tensor`` it covers, as numpy checks (nonzero() would not)."""
    if isinstance(index, Tensor):
        index = index.data
        if index.dtype.kind == "f":  # numpy's "arrays used as indices must be of integer type"
            raise IndexError(f"a Tensor holds floats, so it cannot index (got one of shape {index.shape}): "
                             "index with integers, x[idx.data.astype(int)], or a numpy int array")
    if isinstance(index, tuple):
        parts = []
        masked = False
        for i in index:  # a sequence inside is an array; a mask in it stands for one index per axis
            i = _plain_index(list(i) if isinstance(i, tuple) else i, None)
            if isinstance(i, tuple):
                masked = True
            else:
                parts.append(i)
        if masked:  # (rare: redo it, checking each mask against the axes it covers)
            return _masked_index(index, tensor.shape)
        return tuple(parts)
    if isinstance(index, list):
        index = np.asarray(index) if index else np.zeros(0, dtype=np.intp)  # [] picks nothing
    if isinstance(index, np.ndarray) and index.dtype == bool:
        if not index.ndim:
            return index  # (a 0-d mask is numpy's new axis, or none)
        if tensor is not None:
            _check_mask(index, tensor.shape, 0)
            return _AsWritten(np.nonzero(index), index)
        return np.nonzero(index)
    return index


class _AsWritten(tuple):
    """An index with its masks as integer arrays (``np.nonzero(mask)``, so that repeats add up in
    backward) that keeps the index as it was written, so that the node reads ``x[<3x4 mask>]`` or
    ``x[0, [True, False]]``, not the integer arrays."""

    def __new__(cls, parts: tuple, written: Any) -> _AsWritten:
        index = super().__new__(cls, parts)
        index.written = written
        return index

    def __reduce__(self) -> tuple:  # (copied and pickled with what was written)
        return _AsWritten, (tuple(self), self.written)


def _masked_index(index: tuple, shape: tuple) -> tuple:
    """A tuple index holding a mask, as integer arrays: each mask checked against its axes."""
    items = [_plain_index(list(i) if isinstance(i, tuple) else i, None) for i in index]
    originals = [np.asarray(i) if isinstance(i, list | tuple) else i for i in index]
    used = [_axes_used(i) for i in originals]
    rest = len(shape) - sum(n for n in used if n is not None)  # what an ellipsis stands for
    parts, axis = [], 0
    for original, item, n in zip(originals, items, used):
        if isinstance(item, tuple):  # a mask: its axes are the next ones
            _check_mask(original, shape, axis)
            parts.extend(item)
        else:
            parts.append(item)
        axis += rest if n is None else n
        rest = rest if n is not None else 0  # (numpy refuses a second ellipsis itself)
    return _AsWritten(tuple(parts), tuple(originals))


def _axes_used(i: Any) -> int | None:
    """How many axes one part of an index covers (None for an ellipsis: all the others)."""
    if i is Ellipsis:
        return None
    if i is None or isinstance(i, bool | np.bool_):  # a new axis; a bool is a 0-d mask
        return 0
    if isinstance(i, np.ndarray) and i.dtype == bool:
        return i.ndim
    return 1


def _check_mask(mask: np.ndarray, shape: tuple, axis: int) -> None:
    """A boolean mask covering axes ``axis``... of ``shape`` must have their sizes, as numpy says."""
    for k, m in enumerate(mask.shape):
        if axis + k < len(shape) and shape[axis + k] != m:
            raise IndexError(
                f"index into a tensor of shape {shape}: boolean index did not match indexed array along "
                f"axis {axis + k}; size of axis is {shape[axis + k]} but size of corresponding boolean "
                f"axis is {m} (a mask needs one True/False per element)")


# -- functions of several tensors --------------------------------------------------------------


def as_input(x: Any, what: str) -> Tensor:
    """``x`` as a Tensor: itself, or numbers (a numpy array, a list) as a constant, whose errors
    name ``what`` (not ``Tensor()``, which the caller never wrote).

    >>> as_input([1, 2], "stack: tensor 0").data
    array([1., 2.])
    >>> as_input(["a"], "stack: tensor 1")
    Traceback (most recent call last):
    ...
    TypeError: stack: tensor 1 takes numbers, got an array of dtype <U1 (mixed or non-numeric entries?)
    """
    return x if isinstance(x, Tensor) else _const(_as_array(x, None, what))


def _tensors(xs: Sequence[Any], what: str) -> tuple:
    if isinstance(xs, Tensor | np.ndarray | str | bytes) or not hasattr(xs, "__iter__"):
        kind = f"{type(xs).__name__}" + (f" of shape {xs.shape}" if hasattr(xs, "shape") else "")
        raise TypeError(f"{what} takes a sequence of tensors (a list or tuple), got a {kind}"
                        + ("; list(t) gives a tensor's rows" if isinstance(xs, Tensor) else ""))
    xs = tuple(as_input(x, f"{what}: tensor {k}") for k, x in enumerate(xs))
    if not xs:
        raise ValueError(f"{what} needs at least one tensor")
    return xs


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis (``numpy.concatenate``); ``axis=None`` joins them
    flattened, as numpy does."""
    xs = _tensors(tensors, "concatenate")
    if axis is None:
        xs, axis = tuple(x.reshape(-1) for x in xs), 0
    if any(x.ndim == 0 for x in xs):
        raise ValueError(f"concatenate: 0-d tensors have no axis to join along (shapes "
                         f"{[x.shape for x in xs]}): use stack(), or axis=None")
    axis = xs[0]._axis(axis)
    try:
        data = A.Concatenate.forward(axis, *[x.data for x in xs])
    except ValueError as err:
        raise ValueError(f"concatenate: shapes {[x.shape for x in xs]} along axis {axis}: {err}") from None
    return _result(A.Concatenate, data, xs, axis)


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along a new axis (``numpy.stack``)."""
    xs = _tensors(tensors, "stack")
    if len({x.shape for x in xs}) != 1:
        raise ValueError(f"stack: all shapes must be equal, got {[x.shape for x in xs]}")
    ndim = xs[0].ndim + 1
    if not isinstance(axis, numbers.Integral) or isinstance(axis, bool):
        raise TypeError(f"stack: axis must be an int, got {type(axis).__name__} {axis!r:.40}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"stack: axis {axis} is out of range for a new axis of shape {xs[0].shape}")
    axis = int(axis) % ndim
    return _result(A.Stack, A.Stack.forward(axis, *[x.data for x in xs]), xs, axis)


def int_tuple(v: Any, d: int, what: str, least: int) -> tuple[int, ...]:
    """``v`` as ``d`` ints, each at least ``least``: one int for every axis, or ``d`` of them, as
    torch's ``kernel_size``, ``stride`` and ``padding``; else a ValueError that says so.

    >>> int_tuple(2, 2, "stride", 1), int_tuple((1, 0), 2, "padding", 0)
    ((2, 2), (1, 0))
    >>> int_tuple(1.5, 2, "conv2d: stride", 1)
    Traceback (most recent call last):
    ...
    ValueError: conv2d: stride must be an int >= 1 or 2 of them, got 1.5
    """
    t = tuple(v) if isinstance(v, tuple | list) else (v,) * d
    if len(t) != d or not all(isinstance(i, int | np.integer) and not isinstance(i, bool) and i >= least
                              for i in t):
        raise ValueError(f"{what} must be an int >= {least}{f' or {d} of them' if d > 1 else ''}, got {v!r}")
    return tuple(int(i) for i in t)


def conv_options(name: str, kernel: tuple, stride: Any, padding: Any, dilation: Any = 1,
                 groups: Any = 1) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A convolution's ``(stride, padding)`` as tuples, from PyTorch's arguments: ``padding`` a
    count per axis, ``'valid'`` (none) or ``'same'`` (output as large as the input: stride 1 and
    an odd kernel here); ``dilation`` and ``groups`` other than 1 are not supported here.

    >>> conv_options("conv2d", (3, 5), 1, "same")
    ((1, 1), (1, 2))
    """
    d = len(kernel)
    stride = int_tuple(stride, d, f"{name}: stride", 1)
    for option, given, count in (("dilation", dilation, d), ("groups", groups, 1)):
        if int_tuple(given, count, f"{name}: {option}", 1) != (1,) * count:
            raise NotImplementedError(f"{name}: {option}={given!r} is not supported here (only 1)")
    if isinstance(padding, str) and padding in ("valid", "same"):
        if padding == "same" and (any(s != 1 for s in stride) or any(k % 2 == 0 for k in kernel)):
            raise ValueError(f"{name}: padding='same' needs stride 1 and an odd kernel here (k // 2 zeros "
                             f"each side), got kernel_size={kernel}, stride={stride}")
        return stride, tuple(k // 2 if padding == "same" else 0 for k in kernel)
    return stride, int_tuple(padding, d, f"{name}: padding", 0)


def linear(x: Tensor, w: Tensor, b: Tensor | None = None) -> Tensor:
    """``x @ w.T + b`` as ``torch.nn.functional.linear``: x (..., in), w (out, in), b (out,); one
    graph node (one step of the stepper), where ``x @ w.T + b`` written out makes three.

    >>> import numpy as np
    >>> w = Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    >>> y = linear(Tensor([[1.0, 1.0]]), w, Tensor([0.5, 0.5, 0.5]))
    >>> y.op, y.data
    ('linear', array([[ 3.5,  7.5, 11.5]]))
    >>> y.sum().backward(); w.grad
    array([[1., 1.],
           [1., 1.],
           [1., 1.]])
    """
    x, w = as_input(x, "linear: input"), as_input(w, "linear: weight")  # numpy arrays too
    xs, ws = x.data.shape, w.data.shape  # (every layer of every step comes here: no generators)
    if len(ws) != 2:
        raise ValueError(f"linear: weight must be 2-D (out_features, in_features), got shape {ws}")
    if not xs or xs[-1] != ws[1]:
        raise ValueError(f"linear: input of shape {xs} must have {ws[1]} feature{'s' * (ws[1] != 1)} in "
                         f"its last axis, as the weight of shape {ws} (out_features, in_features) expects")
    if b is None:
        ctx: tuple = (x.requires_grad, w.requires_grad)
        return _result(A.Linear, A.Linear.forward(ctx, x.data, w.data), (x, w), ctx)
    b = as_input(b, "linear: bias")
    if b.data.shape != ws[:1]:
        raise ValueError(f"linear: bias must have shape ({ws[0]},), one per output of the weight "
                         f"of shape {ws}; got {b.data.shape}")
    ctx = (x.requires_grad, w.requires_grad, b.requires_grad)
    return _result(A.Linear, A.Linear.forward(ctx, x.data, w.data, b.data), (x, w, b), ctx)


def _conv(x: Tensor, w: Tensor, b: Tensor | None, stride: Any, padding: Any, d: int, dilation: Any = 1,
          groups: Any = 1) -> Tensor:
    name = f"conv{d}d"
    x, w = as_input(x, f"{name}: input"), as_input(w, f"{name}: weight")  # numpy arrays too
    b = None if b is None else as_input(b, f"{name}: bias")
    if x.ndim not in (d + 1, d + 2) or w.ndim != d + 2:
        raise ValueError(f"{name}: input must be {d + 2}-D (N, C, {'L' if d == 1 else 'H, W'}) or one sample "
                         f"{d + 1}-D, and weight {d + 2}-D (out, in, kernel...); got {x.shape} and {w.shape}")
    if not w.size:
        raise ValueError(f"{name}: weight of shape {w.shape} has no elements: it needs at least one output "
                         "channel, one input channel and a kernel of size >= 1 along each axis")
    if x.shape[-d - 1] != w.shape[1]:  # (checked on the shape given, also for one sample)
        raise ValueError(f"{name}: input has {x.shape[-d - 1]} channels, weight expects {w.shape[1]} "
                         f"(shapes {x.shape} and {w.shape})")
    if x.ndim == d + 1:  # one sample (C, ...), as PyTorch takes it: a batch of one
        out = _conv(x.reshape((1, *x.shape)), w, b, stride, padding, d, dilation, groups)
        return out.reshape(out.shape[1:])
    if b is not None and np.shape(data_of(b)) != (w.shape[0],):
        raise ValueError(f"{name}: bias must have shape ({w.shape[0]},), one per output channel; "
                         f"got {np.shape(data_of(b))}")
    kernel = w.shape[2:]
    stride, padding = conv_options(name, kernel, stride, padding, dilation, groups)
    padded = tuple(n + 2 * p for n, p in zip(x.shape[2:], padding))
    if any(k > n for k, n in zip(kernel, padded)):
        raise ValueError(f"{name}: kernel {kernel} is larger than the (padded) input {padded}")
    inputs = (x, w) if b is None else (x, w, b)
    ctx = [stride, padding, tuple(t.requires_grad for t in inputs), None]
    return _result(A.Conv, A.Conv.forward(ctx, *(t.data for t in inputs)), inputs, ctx)


def conv1d(x: Tensor, w: Tensor, b: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: Any = 1) -> Tensor:
    """1-D cross-correlation as ``torch.nn.functional.conv1d``: x (N, C, L) or one sample (C, L),
    w (O, C, K); padding a count or ``'valid'``/``'same'`` (see :func:`conv_options`)."""
    return _conv(x, w, b, stride, padding, 1, dilation, groups)


def conv2d(x: Tensor, w: Tensor, b: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: Any = 1) -> Tensor:
    """2-D cross-correlation as ``torch.nn.functional.conv2d``: x (N, C, H, W) or one sample
    (C, H, W), w (O, C, kH, kW); padding a count or ``'valid'``/``'same'`` (see
    :func:`conv_options`); one graph node (one step of the stepper), whatever the stride and padding
    (one sample is made a batch of one and back: two reshape nodes more).

    >>> import numpy as np
    >>> w = Tensor(np.ones((2, 1, 2, 2)), requires_grad=True)
    >>> y = conv2d(Tensor(np.ones((1, 1, 3, 3))), w, padding=1)
    >>> y.op, y.shape, float(y.data[0, 0, 1, 1])
    ('conv2d', (1, 2, 4, 4), 4.0)
    """
    return _conv(x, w, b, stride, padding, 2, dilation, groups)


def pool_options(padding: Any = 0, dilation: Any = 1, ceil_mode: Any = False,
                 return_indices: Any = False) -> None:
    """PyTorch's max-pooling options: only their defaults are supported here; others say so.

    >>> pool_options(padding=1)
    Traceback (most recent call last):
    ...
    NotImplementedError: max_pool2d: padding=1 is not supported here (only 0)
    """
    for option, given, plain in (("padding", padding, 0), ("dilation", dilation, 1),
                                 ("ceil_mode", ceil_mode, False), ("return_indices", return_indices, False)):
        given = tuple(np.ravel(given).tolist()) if isinstance(given, list | tuple | np.ndarray) else given
        if not (given == plain or given in ((plain,), (plain, plain))):
            raise NotImplementedError(f"max_pool2d: {option}={given!r} is not supported here (only {plain})")


def max_pool2d(x: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Tensor:
    """Largest value of each window, as ``torch.nn.functional.max_pool2d``: the gradient goes to
    the first largest element of each window, or to its last nan (a nan is the window's maximum).
    Input (N, C, H, W) or one sample (C, H, W) (made a batch of one and back: two reshape nodes
    more); ``padding``, ``dilation``, ``ceil_mode`` and ``return_indices`` other than their
    defaults are not supported here."""
    pool_options(padding, dilation, ceil_mode, return_indices)
    x = as_input(x, "max_pool2d: input")
    if x.ndim == 3:  # one sample (C, H, W), as PyTorch takes it
        out = max_pool2d(x.reshape((1, *x.shape)), kernel_size, stride)
        return out.reshape(out.shape[1:])
    if x.ndim != 4:
        raise ValueError(f"max_pool2d: input must be 4-D (N, C, H, W) or one sample (C, H, W), got shape "
                         f"{x.shape}")
    kernel = int_tuple(kernel_size, 2, "max_pool2d: kernel_size", 1)
    stride = kernel if stride is None else int_tuple(stride, 2, "max_pool2d: stride", 1)
    if any(k > n for k, n in zip(kernel, x.shape[2:])):
        raise ValueError(f"max_pool2d: kernel {kernel} is larger than the input {x.shape[2:]}")
    ctx = [kernel, stride, None]
    return _result(A.MaxPool, A.MaxPool.forward(ctx, x.data), (x,), ctx)
