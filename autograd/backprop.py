"""Backprop, one node at a time: the engine behind ``backward()`` and the REPL stepper.

``Backprop(root).run()`` *is* ``root.backward()``; ``step()`` does the same work for one node
and returns a :class:`Step` whose ``str()`` explains it with the actual numbers.  A node used
several times gets its gradient as a sum of contributions, and the steps say so:

>>> from autograd import Value
>>> a = Value(3.0, label='a')
>>> c = a * a; c.label = 'c'
>>> d = c + a; d.label = 'd'
>>> bp = Backprop(d)
>>> print(bp.step())
Step 1/2  d = c + a   (op +)
  start:  d.grad = 1.0000   (dd/dd = 1: backprop starts at the output)
  local:  dd/dc = 1      dd/da = 1
  chain:  c.grad += d.grad * 1 = 1.0000 * 1 = 1.0000
          a.grad += d.grad * 1 = 1.0000 * 1 = 1.0000
  sum:    a.grad = 1.0000 so far   (a is used 3 times: 1 of 3 contributions in)
>>> print(bp.step())
Step 2/2  c = a * a   (op *)
  local:  dc/da = 3.0000      dc/da = 3.0000
  chain:  a.grad += c.grad * 3.0000 = 1.0000 * 3.0000 = 3.0000
          a.grad += c.grad * 3.0000 = 1.0000 * 3.0000 = 3.0000
  sum:    a.grad = 1.0000 + 3.0000 + 3.0000 = 7.0000   (a is used 3 times: 3 of 3 contributions in)
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Iterator
from os import PathLike
from typing import Any, NoReturn

import numpy as np

from .array_ops import broadcast_axes, sum_to
from .display import (
    GraphTooLargeError,
    check_size,
    differential,
    expression,
    factor,
    formula_for,
    needs_grad,
    node_names,
    number,
    operand,
    printable,
    settings,
    summary,
    why_one,
)
from .graph import (
    close_stepper,
    open_stepper,
    propagate,
    run_pass,
    seed_gradient,
    seed_pass,
    topological_order,
)
from .ops import data_of

STEP_WIDTH = 100  # a step's lines, at most (unless one name is longer)
_CLAUSE_END = re.compile(r"(?<=[,;])  ")  # between an op's clauses, one per input: "a.grad += ...,  b.grad"
_LEGEND = "   ("  # before what the letters of a rule written in letters are: "(a is x, b is w)"


def _rule_lines(rule: str) -> list[str]:
    """A step's rule as lines: one line if it fits, else one input's clause a line (a clause
    wrapped in its middle reads as two), a clause that is no input's (``n = 12``) kept with the
    one before it, and the letters' legend on a line of its own."""
    if len("  local:  " + rule) <= STEP_WIDTH:
        return [rule]
    rule, legend, meaning = rule.partition(_LEGEND)
    lines: list[str] = []
    for clause in _CLAUSE_END.split(rule):
        if lines and "+=" not in clause and not clause.startswith("d"):  # (not an input's gradient)
            lines[-1] += "  " + clause
        else:
            lines.append(clause)
    return lines + ([legend.strip() + meaning] if legend else [])


def local_derivatives(node: Any) -> tuple:
    """d node / d parent for each parent, as plain numbers: for a Value, or a Tensor of one
    number whose inputs are numbers too (0-d); None each for array nodes (and for an input
    that needs no gradient, where a Tensor op skips it).

    >>> from autograd import Tensor, Value
    >>> x = Value(3.0); w = Value(-2.0)
    >>> local_derivatives(x * w), local_derivatives(Tensor(3.0, requires_grad=True) * Tensor(-2.0))
    ((-2.0, 3.0), (-2.0, 3.0))
    """
    data, parents = node.data, node.parents
    if isinstance(data, float) and node._op is not None:
        return tuple(node._op.backward(node._ctx, 1.0, data, *[p.data for p in parents]))
    if node._op is None or getattr(data, "ndim", 1) or any(getattr(p.data, "ndim", 1) for p in parents):
        return (None,) * len(parents)
    one = np.ones((), dtype=data.dtype)  # a 0-d Tensor node: its derivatives are numbers too
    slopes = node._op.backward(node._ctx, one, data, *[p.data for p in parents])
    return tuple(None if d is None else float(d) for d in slopes)


def _snapshot(g: Any) -> Any:
    """A gradient as it is now: arrays are copied (they may be changed in place later)."""
    return g.copy() if hasattr(g, "copy") and not hasattr(g, "parents") else g


def _same(g: Any, snapshot: Any) -> bool:
    """Whether a gradient is still what a stepper left there (a node: the very node)."""
    if hasattr(g, "parents") or hasattr(snapshot, "parents"):
        return g is snapshot
    if hasattr(g, "shape") or hasattr(snapshot, "shape"):
        return np.array_equal(g, snapshot, equal_nan=True)
    return g == snapshot or (g != g and snapshot != snapshot)


def _added(parent: Any, c: Any) -> Any:
    """What a contribution ``c`` adds to ``parent.grad``: None if the parent needs no gradient,
    else ``c`` summed over the axes broadcasting stretched (as the parent accumulates it)."""
    if c is None or not needs_grad(parent):
        return None
    shape = getattr(parent.data, "shape", None)
    return sum_to(c, shape) if shape is not None and c.shape != shape else c


def _broadcast_along(sent: Any, added: Any) -> tuple:
    """The axes an input was broadcast along, over which what it was sent was summed (``_added``)."""
    shape = getattr(added, "shape", None)
    return () if shape is None or sent.shape == shape else broadcast_axes(sent.shape, shape)


def _nonzero(x: Any) -> bool:
    x = data_of(x)
    if x is None:
        return False
    try:
        return bool((x != 0).any()) if hasattr(x, "shape") else x != 0
    except (TypeError, ValueError):  # pragma: no cover - an exotic gradient: say it is there
        return True


def reraise_clearer(err: TypeError, root: Any) -> NoReturn:
    """Re-raise the TypeError ``err`` of a failed pass, with a clear one in its place when a
    Value leaf's ``.grad`` is None (PyTorch's ``zero_grad`` sets None; a Value's gradient is a
    number, starting at 0.0).  Called only once a pass has failed: the hot loop checks nothing."""
    bad = [n for n in topological_order(root)
           if n._op is None and n.grad is None and n._grad_zero is not None]  # (a Tensor's may be None)
    if not bad:
        raise err
    more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
    raise TypeError(f"backward(): leaf {bad[0].label or '<unlabelled>'}{more} has grad None: a Value's "
                    "gradient starts at 0.0; set it to 0.0 (or call zero_grad()), not None as in PyTorch, "
                    "and zero the other leaves too, as this pass stopped part-way") from err


class Step:
    """What one step of backprop did at one node: the local derivatives and the chain rule.

    ``index`` (1-based) of ``total``; ``node``; ``grad`` (the node's gradient when the step ran);
    per parent, in argument order: ``locals`` (d node / d parent, None for array nodes),
    ``contributions`` (what the chain rule added to the parent's gradient), ``before`` and
    ``after`` (the parent's gradient around this step).
    """

    __slots__ = ("index", "total", "node", "grad", "locals", "contributions", "before", "after",
                 "name", "parent_names", "sums", "summed", "seed_given")

    def __init__(self, index: int, total: int, node: Any, grad: Any, locals_: tuple,
                 contributions: tuple, before: tuple, after: tuple = (), name: str = "",
                 parent_names: tuple = (), sums: tuple = (), summed: tuple = (),
                 seed_given: bool = False) -> None:
        self.index = index
        self.total = total
        self.node = node
        self.grad = grad
        self.locals = locals_
        self.contributions = contributions
        self.before = before
        self.after = after
        self.name = name or node.label or node.op
        self.parent_names = parent_names or tuple(p.label or "?" for p in node.parents)
        # per parent that sums contributions: (name, terms, total, received, uses, prior)
        self.sums = sums
        self.summed = summed or ((),) * len(contributions)  # per parent: the axes it was broadcast along
        self.seed_given = seed_given  # the first step's gradient was given (backward(gradient)), not 1

    def __str__(self) -> str:
        node, name, names = self.node, self.name, self.parent_names
        me, refs = operand(name), [operand(n) for n in names]
        formula = expression(node.op, list(names) + settings(node), spaced=True)
        defined = f" = {formula}" if formula != name else ""  # an unlabelled node's name is its formula
        lines = [f"Step {self.index}/{self.total}  {name}{defined}   (op {node.op})"]
        if self.index == 1:  # the output, where the pass starts
            why = f"{why_one(name)}: backprop starts at the output"
            why = "the gradient it was given" if self.seed_given else why
            lines.append(f"  start:  {me}.grad = {summary(data_of(self.grad))}   ({why})")
        slopes = [None if v is None else factor(v, node._op.whole_slopes) for v in self.locals]
        if all(v is not None for v in self.locals):
            lines.append("  local:  " + "      ".join(
                f"{differential(name)}/{differential(n)} = {slope}" for n, slope in zip(names, slopes)))
            if node._op.at_kink(node._ctx, *(data_of(p) for p in node.parents)):  # relu at 0: the convention
                lines[-1] += f"   ({formula_for(node._op.rule(node), list(names), name)})"
        else:
            rule = _rule_lines(formula_for(node._op.rule(node), list(names), name))
            lines += ["  local:  " + rule[0]] + [" " * 10 + line for line in rule[1:]]
        width = max((len(n) for n in refs), default=0) + len(".grad")
        for i, (n, loc, slope, c) in enumerate(zip(refs, self.locals, slopes, self.contributions)):
            prefix = "  chain:  " if i == 0 else "          "
            if c is None:
                lines.append(f"{prefix}{n} needs no gradient (a constant: requires_grad is False)")
                continue
            if loc is not None:
                rhs = f"{me}.grad * {slope} = {number(self.grad)} * {slope} = {number(c)}"
            else:
                rhs = summary(c)
            axes = self.summed[i]
            if axes:
                where = f"axis {axes[0]}" if len(axes) == 1 else f"axes {', '.join(map(str, axes))}"
                rhs += f"   (summed over {where}, along which {n} was broadcast)"
            lines.append(f"{prefix}{(n + '.grad').ljust(width)} += {rhs}")
        for n, terms, total, received, uses, prior in self.sums:
            shown = " + ".join(summary(t) for t in terms)
            value = f"{shown} = {summary(total)}" if len(terms) > 1 else f"{summary(total)} so far"
            notes = []
            if uses > 1:
                notes.append(f"{n} is used {uses} times: {received} of {uses} contributions in")
            if prior:
                notes.append(f"a leaf adds to what it had before this pass: {summary(terms[0])}")
            lines.append(f"  sum:    {operand(n)}.grad = {value}   ({'; '.join(notes)})")
        # a long rule or sum goes on over lines of at most STEP_WIDTH, indented past the next
        # input's chain line (10 spaces), so that it reads as more of the same line
        wrapped = (line if len(line) <= STEP_WIDTH else textwrap.fill(
            line, STEP_WIDTH, subsequent_indent=" " * 12, break_long_words=False, break_on_hyphens=False)
            for line in lines)
        return printable("\n".join(wrapped))  # (a label such as θ, on a cp1252 pipe)

    def __repr__(self) -> str:  # the explanation itself: ``bp.step()`` at the REPL shows it
        try:
            return str(self)
        except Exception:  # (a user op's hook that fails: a repr must still show something)
            return f"<Step {self.index}/{self.total} at {self.name} (op {self.node.op})>"


class Backprop:
    """Step through ``backward()`` one node at a time.

    >>> from autograd import Value
    >>> x = Value(3.0, label='x'); w = Value(-2.0, label='w')
    >>> y = x * w; y.label = 'y'
    >>> bp = Backprop(y)
    >>> print(bp.step())
    Step 1/1  y = x * w   (op *)
      start:  y.grad = 1.0000   (dy/dy = 1: backprop starts at the output)
      local:  dy/dx = -2.0000      dy/dw = 3.0000
      chain:  x.grad += y.grad * -2.0000 = 1.0000 * -2.0000 = -2.0000
              w.grad += y.grad * 3.0000 = 1.0000 * 3.0000 = 3.0000
    >>> x.grad, w.grad
    (-2.0, 3.0)
    >>> bp
    <Backprop of y: finished, 1/1 steps>

    ``draw()`` shows the graph as it is now (the node just processed highlighted, gradients not
    known yet blank), ``to_html(path)`` writes a page that walks through every step.
    """

    def __init__(self, root: Any, gradient: Any = None, create_graph: bool = False) -> None:
        self.root = root
        self.create_graph = create_graph
        self.nodes = topological_order(root, leaves=False)[::-1]  # op nodes, root first
        # The pass starts (gradients zeroed, root seeded) at the first step, run() or picture,
        # not here: a backward() called in between would otherwise leave its gradients in.
        self._pending_seed: Any = seed_gradient(root, gradient, create_graph)  # (checked now)
        self.seed_given = gradient is not None  # backward(gradient) rather than d root/d root = 1
        self.position = 0  # how many nodes are done
        self.history: list[Step] = []  # the steps taken by step(); run() records none
        self._seed: Any = None  # the root's gradient at the start of the pass
        self._uses: dict | None = None  # how many times each node is an input (on first step)
        self._names: dict | None = None
        self._received: dict = {}  # node -> [gradient before this pass, [contributions], gradient now]
        self.visits: set = set()  # the nodes of the pass, once it has started
        self.interrupted = False  # another pass started over them before this one finished

    def _start(self) -> None:
        """Start the pass, once: intermediate gradients from zero, the root's from the seed."""
        if self.interrupted:
            raise RuntimeError(
                f"this stepper of {self.name(self.root)} was stopped after {self.position} of "
                f"{len(self.nodes)} steps: another pass (a backward() or another stepper) went through "
                "its nodes since and changed their gradients, so the steps' sums would no longer add "
                f"up. Start again: Backprop({self.name(self.root)}), after zeroing the leaves' .grad "
                "(zero_grad() of a model) if they should not keep what both passes gave")
        if self._pending_seed is not None:
            seed_pass(self.root, self.nodes, self._pending_seed)
            self._pending_seed = None
            self._seed = _snapshot(self.root.grad)
            if self.nodes:
                self.visits = set(self.nodes)
                open_stepper(self)

    def _start_grad(self) -> Any:
        """The root's gradient at the start of the pass; before it starts, what it will be (a
        picture must not start the pass: a backward() may still come before the first step)."""
        seed = self._pending_seed
        if seed is None:
            return self._seed
        root = self.root
        return _snapshot(seed if root._op is not None or root.grad is None else root.grad + seed)

    def _prepare(self) -> None:
        """What only the stepper needs (``run()``, which is ``backward()``, skips it)."""
        uses: dict = {}
        for node in self.nodes:
            for p in node.parents:
                uses[p] = uses.get(p, 0) + 1
        self._uses = uses
        self._names = node_names(topological_order(self.root))

    def name(self, node: Any) -> str:
        """How the steps call ``node``: its label, else its number or expression."""
        if self._names is None:
            self._prepare()
        return self._names.get(node) or node.label or node.op

    @property
    def done(self) -> bool:
        return self.position >= len(self.nodes)

    def step(self) -> Step:
        """Apply the chain rule at the next node and explain it; StopIteration when done."""
        try:
            self._start()  # (also for a leaf root, whose pass has no step: it still gets its seed)
        except TypeError as err:
            reraise_clearer(err, self.root)
        if self.done:
            raise StopIteration("backprop is finished: every node has been stepped")
        if self._uses is None:
            self._prepare()
        node = self.nodes[self.position]
        parents = node.parents
        if any(p in self._received and not _same(p.grad, self._received[p][2]) for p in parents):
            self.interrupted = True  # a pass sharing only leaves (x.backward(), another graph of x)
            close_stepper(self)
            self._start()  # (raises)
        before = tuple(_snapshot(p.grad) for p in parents)
        grad = _snapshot(node.grad)
        try:
            sent = propagate(node, self.create_graph)
        except TypeError as err:
            reraise_clearer(err, self.root)
        # copies: a leaf's first contribution is its .grad array itself, which the user may change
        contributions = tuple(_snapshot(_added(p, g)) for p, g in zip(parents, sent))
        summed = tuple(map(_broadcast_along, sent, contributions))
        self.position += 1
        if self.done:
            close_stepper(self)
        after = tuple(_snapshot(p.grad) for p in parents)
        sums = []
        seen = set()
        for p, old, c in zip(parents, before, contributions):
            if c is None:
                continue
            if p not in self._received:
                self._received[p] = [old, [], None]
            self._received[p][1].append(c)
        for p, new in zip(parents, after):
            if p in seen or p not in self._received:
                continue
            seen.add(p)
            self._received[p][2] = new  # what the next step must find there
            prior, received, _ = self._received[p]
            uses, has_prior = self._uses.get(p, 1), _nonzero(prior)
            if uses > 1 or has_prior:
                terms = ([prior] if has_prior else []) + received
                sums.append((self.name(p), tuple(terms), new, len(received), uses, has_prior))
        step = Step(self.position, len(self.nodes), node, grad, local_derivatives(node),
                    contributions, before, after, self.name(node),
                    tuple(self.name(p) for p in parents), tuple(sums), summed,
                    seed_given=self.seed_given and self.position == 1)
        self.history.append(step)
        return step

    def run(self) -> None:
        """Finish: apply the chain rule at every remaining node (this is ``backward()``)."""
        try:
            self._start()
            run_pass(self.nodes[self.position:], self.create_graph)
        except TypeError as err:
            reraise_clearer(err, self.root)
        self.position = len(self.nodes)
        close_stepper(self)

    def __iter__(self) -> Iterator[Step]:
        self._start()
        while not self.done:
            yield self.step()

    def __next__(self) -> Step:
        """``next(bp)`` is ``bp.step()``."""
        return self.step()

    def __len__(self) -> int:
        return len(self.nodes)

    def __repr__(self) -> str:
        total = len(self.nodes)
        if self.interrupted:
            return (f"<Backprop of {self.name(self.root)}: stopped after {self.position}/{total} steps by "
                    "another pass through its nodes>")
        if self.done and not total:  # (its pass gave the leaf its seed, with no op to step through)
            seed = "the gradient given" if self.seed_given else "1"
            return f"<Backprop of {self.name(self.root)}: a leaf, no steps: its pass adds {seed} to its grad>"
        if self.done:
            return f"<Backprop of {self.name(self.root)}: finished, {total}/{total} steps>"
        nxt = self.nodes[self.position]
        return (f"<Backprop of {self.name(self.root)}: {self.position}/{total} steps done, "
                f"next: {self.name(nxt)} (op {nxt.op})>")

    # -- pictures ---------------------------------------------------------------------------------

    def states(self) -> Iterator[tuple]:
        """The pass as pictures: ``(step, grads, notes)`` before any step (step None) and after
        each recorded step.  ``grads`` maps each node whose gradient is known so far to it;
        ``notes`` says which of them are still partial sums (``'1 of 2 in'``)."""
        for step, grads, notes in self._replay():
            yield step, dict(grads), dict(notes)  # (each picture its own: the replay goes on in these)

    def _replay(self) -> Iterator[tuple]:
        """:meth:`states`, in two dicts updated in place (no copy per step: :meth:`known`)."""
        if self.position != len(self.history):
            raise ValueError(
                "this pass was finished by run() (or backward()), so its steps were not recorded; "
                "step through a new one: bp = Backprop(root); then bp.draw() or bp.to_html(path)"
            )
        if self._uses is None:
            self._prepare()
        grads = {self.root: self._start_grad()}
        counts: dict = {}
        notes: dict = {}
        yield None, grads, notes
        for step in self.history:
            for p, c, a in zip(step.node.parents, step.contributions, step.after):
                if c is None:
                    continue
                grads[p] = a
                counts[p] = counts.get(p, 0) + 1
                uses = self._uses.get(p, 1)
                prior = self._received[p][0] if p in self._received else None
                said = [f"{counts[p]} of {uses} in"] if counts[p] < uses else []
                if _nonzero(prior):  # a leaf's gradient from earlier passes, in the sum shown
                    said.append(f"{summary(prior, short=True)} before this pass")
                if said:
                    notes[p] = "; ".join(said)
                else:
                    notes.pop(p, None)
            yield step, grads, notes

    def draw(self, highlight: Any = (), **options: Any) -> Any:
        """The graph now: the node just processed highlighted, the gradients known so far
        filled in, the others blank.  ``highlight`` (a node or a list of nodes) marks more nodes
        besides that one; the other ``options`` go to :func:`autograd.draw`.

        >>> from autograd import Value
        >>> x = Value(2.0, label='x'); y = (x * x).tanh(); y.label = 'y'
        >>> bp = Backprop(y); _ = bp.step()
        >>> 'grad 1.0000' in bp.draw().source      # y's gradient; x's is not known yet
        True
        """
        from .viz import draw, highlighted

        marked = highlighted(highlight, "Backprop.draw")
        if self.done and self.position != len(self.history):  # finished by run(): all known
            last = [self.nodes[-1]] if self.nodes else []
            return draw(self.root, highlight=last + marked, **options)
        *_, (step, grads, notes) = self.states()
        return draw(self.root, highlight=([step.node] if step else []) + marked, grads=grads, notes=notes,
                    **options)

    def tree(self, **options: Any) -> Any:
        """The graph now as a text tree: the gradients known so far, the others blank (a
        node's ``.grad`` mid-pass can be a partial sum, or a leaf's 0 not reached yet); a
        partial sum says so (``1.0000 (1 of 3 in)``).
        ``options`` go to :func:`autograd.tree.tree`.

        >>> from autograd import Value
        >>> x = Value(2.0, label='x'); w = Value(-3.0, label='w')
        >>> n = x * w + 6.5; n.label = 'n'; o = n.tanh(); o.label = 'o'
        >>> bp = Backprop(o); _ = bp.step(); bp.tree()
                                data    grad
        o = tanh(n)           0.4621  1.0000
        └── n = (x*w) + 6.5   0.5000  0.7864
            ├── x*w          -6.0000
            │   ├── x         2.0000
            │   └── w        -3.0000
            └── 6.5           6.5000
        """
        from .tree import tree

        if self.done and self.position != len(self.history):  # finished by run(): all known
            return tree(self.root, **options)
        grads, notes = self.known()
        return tree(self.root, grads=grads, notes=notes, **options)

    def known(self) -> tuple[dict, dict]:
        """``(grads, notes)`` now: the gradient of each node known so far, and which of them are
        partial sums (the last of :meth:`states`)."""
        *_, (_, grads, notes) = self._replay()  # (to its end, in place: linear in the steps taken)
        return grads, notes

    def holds(self, node: Any) -> bool:
        """Whether ``node`` is in the graph this stepper's pass runs over (an op node or a leaf)."""
        if node is self.root or node in self.visits:
            return True
        if self._uses is None:
            self._prepare()
        return node in self._uses

    def to_html(self, path: str | PathLike, **options: Any) -> Any:
        """Write one self-contained HTML page that walks through every step of this pass: the
        graph at that step beside its explanation, with Previous/Next buttons and the arrow
        keys.  Steps through the rest of the pass first.  Returns the path.

        ``options`` go to :func:`autograd.draw` (e.g. ``edge_derivatives=True``).
        """
        from .files import check_writable
        from .viz import MAX_NODES, draw
        from .viz_render import find_program
        from .walkthrough import write_walkthrough

        try:  # a misspelt option: now, not once the pass is stepped through
            inspect.signature(draw).bind(self.root, **options)
        except TypeError as err:
            raise TypeError(f"to_html: {err} (its options are draw()'s)") from None
        if "highlight" in options:
            raise TypeError("to_html() highlights each step's node itself, so it takes no highlight=; "
                            "bp.draw(highlight=...) marks more nodes in one picture")
        if self.position != len(self.history):
            list(self.states())  # raises: the steps were not recorded
        try:  # before any step: a page draws the graph once per step
            check_size(topological_order(self.root), options.get("max_nodes", MAX_NODES),
                       self.name(self.root), "walk through")
        except GraphTooLargeError as err:
            raise GraphTooLargeError(f"{err} A walkthrough draws it once per step: "
                                     f"{len(self.nodes) + 1} pictures.") from None
        # the file and the renderer too: a page that cannot be written must not have run the pass
        # (a new stepper would then find every leaf's gradient doubled)
        check_writable(path)
        find_program(options.get("program"))
        for _ in self:
            pass
        return write_walkthrough(self, path, **options)
