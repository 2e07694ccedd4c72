"""How a node reads in text: its number, an array's summary, a name for an unlabelled node.

The stepper, the text tree and the drawing all use these, so a node reads the same everywhere.
Everything here reads only the node protocol (``data``, ``grad``, ``parents``, ``op``,
``label``; and an op node's ``_op`` and ``_ctx`` for its settings, where it has them), so it
works for ``Value`` and ``Tensor`` nodes alike.

>>> from autograd import Value
>>> x = Value(2.0, label='x')
>>> y = (x * 3 + 1).tanh()
>>> names = node_names(topological_order(y))
>>> [names[n] for n in topological_order(y)]
['1', '3', 'x', 'x*3', '(x*3)+1', 'tanh((x*3)+1)']
>>> number(0.5), number(-2.0), number(0.0421), number(1e-7), factor(1.0), factor(-3.0)
('0.5000', '-2.0000', '0.04210', '1.0000e-07', '1', '-3.0000')
"""

from __future__ import annotations

import math
import numbers
import re
import sys
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .graph import topological_order

INFIX = frozenset({"+", "-", "*", "/", "@", "**"})
MAX_NAME = 24
FORMULA_WIDTH = 80  # a formula with its inputs' names in it, at most (unless its letters and key are longer)
_SIMPLE = re.compile(r"[\w.#'<>]+")  # a name, a number or tensor<2x3>: no brackets needed
_CALL = re.compile(r"[A-Za-z_]\w*\(")  # an unlabelled node's expression name longer than this becomes '#k'


class GraphTooLargeError(ValueError):
    """A graph has more nodes than ``max_nodes``: too many to draw or print usefully."""


def _raw(x: Any) -> Any:
    """The number or array inside a node (a ``create_graph`` gradient is a node), else ``x``."""
    return x.data if hasattr(x, "parents") else x


def _is_array(x: Any) -> bool:
    return hasattr(x, "shape") and hasattr(x, "dtype") and getattr(x, "ndim", 0) > 0


# control characters (they break a line of text, and graphviz rejects most of them), lone
# surrogates (not encodable as UTF-8) and U+FFFE/U+FFFF (not allowed in XML, so in dot's labels)
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def visible(text: str, keep: str = "") -> str:
    r"""``text`` with each character that cannot be shown as it is (see above) written as its
    Python escape, visible characters; those in ``keep`` stay as they are.

    >>> visible('tab\there, bell\x07'), visible('a\nb'), visible('a\nb', keep='\n')
    ('tab\\there, bell\\x07', 'a\\nb', 'a\nb')
    """
    return _UNSHOWABLE.sub(lambda m: m[0] if m[0] in keep else ascii(m[0])[1:-1], text)


def number(x: Any, fixed: bool = False) -> str:
    """Four decimals, the way a lecture writes numbers; below 0.1 four significant digits, so
    that ``0.0001966 * -3.0000 = -0.0005898`` still adds up (``fixed``: four decimals down to 0.001,
    for the columns of an array's summary); scientific when that would hide them.  A zero is
    ``0.0000``, also -0.0 (its sign says nothing to a learner)."""
    x = float(_raw(x))
    if math.isnan(x) or math.isinf(x):
        return str(x)
    size = abs(x)
    if x == 0 or (1e-3 if fixed else 0.1) <= size < 1e6:  # (fixed: at least two digits show)
        return f"{abs(x) if x == 0 else x:.4f}"
    if 1e-4 <= size < 0.1:
        decimals = 3 - math.floor(math.log10(size))
        if abs(float(f"{x:.{decimals}f}")) * 10 ** (decimals - 3) >= 10:  # rounded up a decade: 0.010000
            decimals -= 1
        return f"{x:.{decimals}f}" if decimals > 3 else f"{x:.4f}"  # (0.09999995 is 0.1000, as 0.1)
    return f"{x:.4e}"


def _fixed(x: Any) -> str:
    return number(x, fixed=True)


def factor(x: Any, whole: bool = True) -> str:
    """A local derivative: exactly -1, 0 or 1 as a whole number (``n.grad * 1``) where its op's
    rule makes it one (``whole``: ``Op.whole_slopes``), else :func:`number`.

    >>> factor(1.0), factor(1.0, whole=False), factor(-3.0)
    ('1', '1.0000', '-3.0000')
    """
    x = _raw(x)
    if whole and not _is_array(x) and float(x) in (-1.0, 0.0, 1.0):
        return str(int(float(x)))
    return summary(x)


def printable(text: str) -> str:
    r"""``text`` as standard output can print it: a character its encoding lacks written as its
    Python escape (``θ`` as ``\u03b8`` on Windows' cp1252, the encoding of redirected output
    there), instead of a UnicodeEncodeError when printed.

    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO(), encoding="cp1252")):
    ...     shown = printable("θ.grad = 1.5")
    >>> shown
    '\\u03b8.grad = 1.5'
    """
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except Exception:  # (or an odd stream whose encoding is no codec's name: ASCII then)
        try:
            return text.encode(encoding, "backslashreplace").decode(encoding)
        except Exception:
            return text.encode("ascii", "backslashreplace").decode("ascii")


_DRAWING = "…├└│─"


def unicode_out() -> bool:
    """Whether standard output can print "…" and the tree's lines ("├──"): not on a pipe or
    file in a non-UTF-8 encoding, such as Windows' cp1252 for redirected output (ASCII then
    stands in, instead of a UnicodeEncodeError).

    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO(), encoding="cp1252")):
    ...     windows_pipe = unicode_out(), ellipsis()
    >>> with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO(), encoding="utf-8")):
    ...     utf8_pipe = unicode_out(), ellipsis()
    >>> windows_pipe, utf8_pipe
    ((False, '...'), (True, '…'))
    """
    return printable(_DRAWING) == _DRAWING


def ellipsis() -> str:
    """ "…", or "..." where standard output cannot print it (see :func:`unicode_out`)."""
    return "…" if unicode_out() else "..."


def shape_text(shape: tuple) -> str:
    """``(2, 3)`` as ``2x3``; ``()`` as ``scalar``."""
    return "x".join(str(d) for d in shape) if shape else "scalar"


SMALL = 4  # an array of more numbers than this is summarised as its mean and range


def summary(x: Any, small: int = SMALL, short: bool = False) -> str:
    """A number, or an array in a few characters: all of it when it has at most ``small``
    elements, else its mean and range (``short``, for the tree's columns: without the words, and
    a small array's numbers in one flat list, its shape being in the row's name).  ``None`` (no
    gradient) is ``''``.

    >>> import numpy as np
    >>> summary(np.array([1.0, -2.0])), summary(np.arange(6.0).reshape(2, 3))
    ('[1.0000, -2.0000]', 'mean 2.5000 in [0.0000, 5.0000]')
    >>> summary(np.eye(2)), summary(np.eye(2), short=True), summary(np.arange(6.0), short=True)
    ('[[1.0000, 0.0000], [0.0000, 1.0000]]', '[1.0000, 0.0000, 0.0000, 1.0000]', '2.5000 [0.0000, 5.0000]')
    >>> summary(np.array([0.0, 1.0, 2.0, 3.0, np.nan]))  # the others' range, not [nan, nan]
    'mean nan in [0.0000, 3.0000], 1 nan'
    """
    x = _raw(x)
    if x is None:
        return ""
    if not _is_array(x):
        return number(x)
    if x.size == 0:
        return "[]"
    if x.size <= small:
        import numpy as np

        values = np.asarray(x, dtype=float)
        text = np.array2string(values.ravel() if short else values, separator=", ",
                               formatter={"float_kind": _fixed})
        return " ".join(text.split())  # one line, also for a 2x2 matrix
    low, high = x.min(), x.max()
    nans = ""
    if low != low:  # a nan: min and max give it, whatever the other numbers are
        import numpy as np

        others = x[~np.isnan(x)]
        if others.size:  # the range of the others, and how many nans (the mean is nan)
            low, high, nans = others.min(), others.max(), f", {x.size - others.size} nan"
    mean, low, high = _fixed(_mean(x, low, high)), _fixed(low), _fixed(high)
    return f"{mean} [{low}, {high}]{nans}" if short else f"mean {mean} in [{low}, {high}]{nans}"


def _mean(x: Any, low: Any, high: Any) -> float:
    """``x.mean()`` for a summary: within ``[low, high]`` (x's range) for finite ``x``, also where
    the sum overflows (six 1e308 have mean 1e308, not inf) or rounds a last digit past the range;
    0 where it is within rounding of 0 (a softmax gradient's rows sum to 0: its mean is not
    -9.2519e-18, and not a different such number after a transpose)."""
    import numpy as np

    scale = max(abs(float(low)), abs(float(high)))  # the largest magnitude
    with np.errstate(over="ignore", invalid="ignore"):
        mean = float(x.mean(dtype=np.float64))  # (a float32 array's mean, without float32's rounding)
        if math.isinf(mean) and math.isfinite(scale):
            mean = float((x / scale).mean()) * scale
    if math.isnan(mean):
        return mean
    if x.dtype.kind == "f" and math.isfinite(scale) and abs(mean) <= 4 * np.finfo(x.dtype).eps * scale:
        return 0.0
    return min(max(mean, float(low)), float(high))


def magnitude(x: Any) -> float:
    """One number for how big a gradient is: ``|g|``, or the mean ``|g|`` of an array."""
    x = _raw(x)
    if x is None:
        return 0.0
    if _is_array(x):
        x = abs(x)
        return _mean(x, x.min(), x.max()) if x.size else 0.0
    return abs(float(x))


def needs_grad(node: Any) -> bool:
    """False for a constant (``requires_grad`` False: the 2 of ``x * 2``, a batch of data),
    whose gradient the pictures and the steps leave out.

    >>> from autograd import Value
    >>> y = Value(3.0) * 2
    >>> [needs_grad(p) for p in y.parents]
    [True, False]
    """
    return getattr(node, "requires_grad", True)


def is_computed(grad: Any) -> bool:
    """False when a root's gradient says no backward pass has run (None, or still all 0).

    ``backward()`` seeds its root with 1, so a root whose gradient is 0 has not been through
    one; then every gradient under it is shown blank rather than as a misleading 0.
    """
    grad = _raw(grad)
    if grad is None:
        return False
    if _is_array(grad):
        return bool((grad != 0).any())
    return float(grad) != 0.0


def constant_name(data: Any) -> str:
    """An unlabelled leaf's name: its number (``2``, ``0.5``) or its shape (``tensor<2x3>``;
    not ``tensor(2)``, which in PyTorch is the number 2)."""
    if _is_array(data):
        return f"tensor<{shape_text(data.shape)}>"
    return f"{float(_raw(data)):.6g}"


def operand(name: str) -> str:
    """``name`` ready to stand next to an operator or ``.grad``: ``x``, ``2``, ``#3``,
    ``tanh(x)``, ``x[0]`` as they are, anything longer in parentheses (``(x*w).grad``).

    >>> [operand(n) for n in ["x", "x*w", "tanh(x)[0][1:]", "x[0]+y[1]", "x[(]", "x[0](1)"]]
    ['x', '(x*w)', 'tanh(x)[0][1:]', '(x[0]+y[1])', '(x[(])', '(x[0](1))']
    """
    return name if _SIMPLE.fullmatch(name) or _is_call(name) or _is_subscript(name) else f"({name})"


def _is_call(name: str) -> bool:
    """``tanh(x*w)``: a function name, then parentheses that close at the very end."""
    head = _CALL.match(name)
    return bool(head) and _closing(name, head.end() - 1) == len(name) - 1


def _is_subscript(name: str) -> bool:
    """``x[0]``, ``(x*w)[:, 1:]``, ``tanh(x)[0]``, ``x[0][1]``: a name, a call or a
    parenthesised expression, then brackets after brackets to the very end."""
    call, simple = _CALL.match(name), _SIMPLE.match(name)
    if name.startswith("("):  # a parenthesised expression
        end = _closing(name, 0)
    elif call:
        end = _closing(name, call.end() - 1)
    elif simple:
        end = simple.end() - 1
    else:
        return False
    if end is None or name[end + 1:end + 2] != "[":
        return False
    while end is not None and end < len(name) - 1:  # the next bracket, if it is one
        end = _closing(name, end + 1) if name[end + 1] == "[" else None
    return end == len(name) - 1


def _closing(name: str, start: int) -> int | None:
    """Where the bracket at ``start`` of ``name``, ``(`` or ``[``, is closed, counting both
    kinds; None if it is not a bracket, or the brackets do not match (an odd label)."""
    expected = []
    for i in range(start, len(name)):
        if name[i] in "([":
            expected.append(")" if name[i] == "(" else "]")
        elif name[i] in ")]":
            if not expected or expected.pop() != name[i]:
                return None
            if not expected:
                return i
        elif not expected:
            return None
    return None


def index_text(index: Any) -> str:
    """An index as it reads between brackets: ``0``, ``1:3``, ``:, ::2``, ``...``, ``[0, 2]``;
    an array of more than four elements as its shape, ``<64 indices>``, ``<3x4 mask>``.  An index
    that keeps what was written as ``.written`` (a Tensor's index holding a mask, whose numpy form
    has the mask's integer arrays) reads as written.

    >>> import numpy as np
    >>> index_text((slice(None), slice(1, None))), index_text(np.array([0, 2])), index_text(np.arange(64))
    (':, 1:', '[0, 2]', '<64 indices>')
    >>> index_text(np.arange(12).reshape(3, 4) > 5), index_text(np.array([True, False]))
    ('<3x4 mask>', '[True, False]')
    """
    if isinstance(index, tuple) and hasattr(index, "written"):  # (a plain tuple has no attributes)
        return index_text(index.written)
    if isinstance(index, tuple):
        return ", ".join(index_text(i) for i in index) if index else "()"
    if isinstance(index, slice):
        start, stop, step = ("" if v is None else str(v) for v in (index.start, index.stop, index.step))
        return f"{start}:{stop}" + (f":{step}" if step else "")
    if index is Ellipsis:
        return "..."
    if _is_array(index) and index.ndim:
        if index.size <= 4:
            return str(index.tolist())
        return f"<{shape_text(index.shape)} {'mask' if index.dtype == bool else 'indices'}>"
    return str(index.item() if _is_array(index) else index)  # a number; None, numpy's new axis


_WORD = re.compile(r"[^\W\d]\w*")  # a name: a letter (θ too) or _, then letters, digits, _
_LETTER = re.compile(r"\b(d?)([abcg])\b")  # an input a, b, c of a formula (or da, db, dc), or g


def differential(name: str) -> str:
    """``d`` before ``name``, as in dy/dx: ``dx`` and ``dd`` (as in the lectures' dd/dc), but
    ``d(x*w)``, ``d(tanh(x))``, ``d(2)`` (not d2, read as a second derivative) and ``d(da)``.

    >>> [differential(n) for n in ["x", "d", "x*w", "tanh(x)", "2", "0.weight", "da", "θ"]]
    ['dx', 'dd', 'd(x*w)', 'd(tanh(x))', 'd(2)', 'd(0.weight)', 'd(da)', 'dθ']
    """
    return "d" + name if _WORD.fullmatch(name) and (name == "d" or name[0] != "d") else f"d({name})"


def why_one(name: str) -> str:
    """Why a backward pass starts its output ``name`` from a gradient of 1, as the steps and
    the walkthrough say it.

    >>> why_one("L"), why_one("(a*a)+1")
    ('dL/dL = 1', 'its derivative by itself is 1')
    """
    d = differential(name)
    return f"{d}/{d} = 1" if name.isidentifier() else "its derivative by itself is 1"


def formula_for(formula: str, names: list, out: str = "") -> str:
    """An op's ``formula``, written for inputs ``a``, ``b``, ``c`` and the gradient ``g`` that
    arrives at the node, with the inputs' names and ``out.grad`` (``out``: the node's name) in
    their places; the formula as written, saying what the letters are, where a name shares a
    word with the rest of it (``n``, ``sign``, ...) or the names would make it longer than
    ``FORMULA_WIDTH`` and than that lettered form (the names quoted if one is a letter too:
    ``b is 'a'``).

    >>> formula_for("d(a*b)/da = b,  d(a*b)/db = a", ["b", "a"])
    'd(b*a)/db = a,  d(b*a)/da = b'
    >>> formula_for("a.grad += g @ b.T,  b.grad += a.T @ g", ["h*2", "W"], "#1")
    '(h*2).grad += #1.grad @ W.T,  W.grad += (h*2).T @ #1.grad'
    >>> formula_for("d/da |a| = sign(a)  (0 at a = 0)", ["x*w"])
    'd/d(x*w) |x*w| = sign(x*w)  (0 at (x*w) = 0)'
    >>> formula_for("d/da mean(a) = 1/n for every element", ["n"])
    'd/da mean(a) = 1/n for every element   (a is n)'
    >>> formula_for("d(a**b)/db = a**b * log(a)", ["log", "a"])
    "d(a**b)/db = a**b * log(a)   (a is 'log', b is 'a')"
    """
    words = set(_WORD.findall(formula))
    letters = {p: n for p, n in zip("abc", names) if p in words or "d" + p in words}
    if not letters:  # a formula in other letters (or whose inputs need no gradient: no letter left)
        return formula
    if "g" in words:
        letters["g"] = f"{operand(out)}.grad"
    if all(p == n for p, n in letters.items()):
        return formula
    quote = "'" if any(n in letters and n != p for p, n in letters.items()) else ""  # b is 'a'
    lettered = f"{formula}   ({', '.join(f'{p} is {quote}{n}{quote}' for p, n in letters.items())})"
    others = words - set(letters) - {"d" + p for p in letters} - {"d"}  # (a name d reads as in dd/dc)
    if not any(others.intersection(_WORD.findall(letters[p])) for p in letters if p != "g"):
        named = _LETTER.sub(lambda m: _named_letter(m, letters), formula)
        if len(named) <= max(FORMULA_WIDTH, len(lettered)):
            return named
    return lettered


def _named_letter(m: re.Match, letters: dict) -> str:
    """The name in place of the letter ``m`` (or of ``da``): bare as a function's argument or
    between bars (``sign(x*w)``, ``|x*w|``), else bracketed as needed (``d(x*w)``)."""
    if m[2] not in letters or (m[1] and m[2] == "g"):
        return m[0]
    name = letters[m[2]]
    if m[1]:
        return differential(name)
    if m[2] == "g":
        return name
    text, start, end = m.string, m.start(), m.end()
    enclosed = start > 0 and text[start - 1] in "(|" and text[end:end + 1] in (")", "|", ",")
    return name if enclosed else operand(name)


def expression(op: str, args: list, spaced: bool = False) -> str:
    """How ``op`` applied to argument names reads: ``a*b``, ``x**3``, ``-a``, ``tanh(a)``.

    ``spaced=True`` (for explanations) puts spaces around an infix operator and parentheses
    around compound operands: ``(x*w) + b``.
    """
    if spaced and (op in INFIX or op.startswith("**") or op == "neg"):
        args = [operand(a) for a in args]
    if len(args) == 2 and op in INFIX:
        return f"{args[0]} {op} {args[1]}" if spaced else f"{args[0]}{op}{args[1]}"
    if len(args) == 1 and op.startswith("**"):
        return f"{args[0]}{op}"
    if len(args) == 1 and op == "neg":
        return f"-{args[0]}"
    if len(args) == 1 and op.startswith("["):  # indexing: x[0], x[:, 1:]
        return f"{operand(args[0])}{op}"
    return f"{op}({', '.join(args)})"


def settings(node: Any) -> list:
    """An op node's settings as a call's last arguments, for its name (see ``Op.settings``).

    >>> import numpy as np
    >>> from autograd import Tensor, max_pool2d
    >>> settings(max_pool2d(Tensor(np.ones((1, 1, 4, 4)), requires_grad=True), 2)), settings(Tensor(1.0))
    (['2'], [])
    """
    op = getattr(node, "_op", None)
    return list(op.settings(node._ctx)) if op is not None else []


def node_names(nodes: Iterable[Any]) -> dict:
    """A readable name for every node of ``nodes`` (given in topological order).

    A label is the name.  An unlabelled leaf is named by its number, or an array by its shape
    (numbered when several have one: ``tensor<2x3>_1``, ``tensor<2x3>_2``); an unlabelled op
    node by its expression (``x*w``, ``tanh(n)``; ``#2 + 2.bias``, spaced, by a label that is
    no identifier), or ``#1``, ``#2``... when that would be long, or read as another node's
    (``x.tanh() * x.tanh()`` is ``#1*#2``: two nodes, not one used twice).  An unlabelled variable whose
    number another leaf has too is numbered the same way: in ``Value(3.0) * 3`` the variable is
    ``#1`` and the constant ``3``, where both read 3.

    >>> from autograd import Value
    >>> x = Value(3.0)
    >>> list(node_names([x, (y := x * 3).parents[1], y]).values())
    ['#1', '3', '#1*3']
    """
    nodes = list(nodes)
    arrays = [n for n in nodes if not n.label and not n.parents and _is_array(n.data)]
    shapes = Counter(constant_name(n.data) for n in arrays)
    counted: Counter = Counter()
    numbered = {}  # in reading order: the topological order lists a node's last argument first
    for n in reversed(arrays):
        name = constant_name(n.data)
        if shapes[name] > 1:  # (not numbers: two 2s are the same number)
            counted[name] += 1
            numbered[n] = f"{name}_{counted[name]}"
    leaves = [n for n in nodes if not n.label and not n.parents and n not in numbered]
    numbers = Counter(constant_name(n.data) for n in leaves)
    fallback = 0
    for n in reversed(leaves):  # (two leaves read 3: a variable and a constant, or two variables)
        if numbers[constant_name(n.data)] > 1 and needs_grad(n):
            fallback += 1
            numbered[n] = f"#{fallback}"
    names = _expressions(nodes, numbered, fallback, set())
    clashing: set = set()
    # two op nodes that read alike (x.tanh() * x.tanh()) would read as one node used twice: they
    # become #k; their children may then read alike in turn (#1*2 twice), so again until none do
    while clashes := _clashes(names):
        clashing |= clashes
        names = _expressions(nodes, numbered, fallback, clashing)
    return _in_reading_order(names, nodes) if clashing else names


def _clashes(names: dict) -> set:
    """The names that two or more op nodes have."""
    seen: dict = {}
    return {name for node, name in names.items() if node.parents and seen.setdefault(name, node) is not node}


def _in_reading_order(names: dict, nodes: list) -> dict:
    """Renumber the ``#k`` names of op nodes (given in topological order, which lists a node's last
    argument first) as they are read from the root: ``#1*#2``, not ``#2*#1``."""
    hashed = [n for n in reversed(nodes) if n.parents and not n.label and _HASHED.fullmatch(names[n])]
    if any("#" in n.label for n in nodes) or not hashed:  # (a label's own #3 is not renumbered)
        return names
    lowest = min(int(names[n][1:]) for n in hashed)  # (leaves' #k come first, numbered already)
    new = {names[n]: f"#{lowest + i}" for i, n in enumerate(hashed)}
    if all(old == to for old, to in new.items()):
        return names
    return {n: name if n.label else _HASHED.sub(lambda m: new.get(m[0], m[0]), name)
            for n, name in names.items()}


_HASHED = re.compile(r"#\d+")


def _expressions(nodes: list, numbered: dict, fallback: int, clashing: set) -> dict:
    """:func:`node_names`' names, leaves' from ``numbered`` else their numbers, op nodes' their
    expressions, or ``#k`` (counting on from ``fallback``) where one is long or in ``clashing``."""
    names: dict = {}
    compound = set()  # nodes whose name is an infix expression: parenthesised inside another
    for node in nodes:
        if node.label:
            names[node] = node.label
            continue
        if not node.parents:
            names[node] = numbered.get(node) or constant_name(node.data)
            continue
        op = node.op
        args = [names.get(p) or p.label or "?" for p in node.parents]
        infix = (len(args) == 2 and op in INFIX) or (len(args) == 1 and (op.startswith("**") or op == "neg"))
        # spaced around a label that is no identifier: #2+2.bias read as (#2+2).bias, #2 + 2.bias not
        spaced = infix and any(p.label and not p.label.isidentifier() for p in node.parents)
        if infix and not spaced:  # parenthesise what would read wrongly inside: (a+b)*c, x*(-3)
            args = [f"({a})" if p in compound or (not p.label and not p.parents and a.startswith("-"))
                    else a for p, a in zip(node.parents, args)]
        name = expression(op, args + settings(node), spaced=spaced)
        if len(name) > MAX_NAME or name in clashing:
            fallback += 1
            name = f"#{fallback}"
        elif infix:
            compound.add(node)
        names[node] = name
    return names


def check_size(nodes: list, max_nodes: int, root_name: str, verb: str) -> None:
    """Raise :class:`GraphTooLargeError` when ``nodes`` has more than ``max_nodes`` entries (an
    int >= 1, else a TypeError or ValueError saying so)."""
    if not isinstance(max_nodes, numbers.Integral) or isinstance(max_nodes, bool):
        raise TypeError(f"max_nodes (the most nodes to {verb}) must be an int, got "
                        f"{type(max_nodes).__name__} {max_nodes!r:.40}")
    if max_nodes < 1:
        raise ValueError(f"max_nodes (the most nodes to {verb}) must be at least 1, got {max_nodes}")
    if len(nodes) > max_nodes:
        raise GraphTooLargeError(
            f"the graph under {root_name} has {len(nodes)} nodes, more than max_nodes={max_nodes}, "
            f"too many to {verb} usefully. Pass max_nodes={len(nodes)} (or more) to {verb} it "
            f"anyway, or {verb} a smaller part of it (any node's own graph)."
        )


__all__ = [
    "GraphTooLargeError",
    "check_size",
    "constant_name",
    "differential",
    "ellipsis",
    "expression",
    "factor",
    "formula_for",
    "is_computed",
    "magnitude",
    "needs_grad",
    "node_names",
    "number",
    "operand",
    "printable",
    "shape_text",
    "summary",
    "topological_order",
    "unicode_out",
    "visible",
    "why_one",
]
