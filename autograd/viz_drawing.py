"""``Drawing``: a ``graphviz.Digraph`` that renders with ``dot`` or, without it, ``graphviz-pure``.

Everything a ``graphviz.Digraph`` does still works (``.source``, ``.node()``, ``.edge()``,
``.attr()``); rendering goes through :mod:`autograd.viz_render`, so it works on a machine
with only ``pip install graphviz-pure``.  In Jupyter a drawing shows inline as SVG.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import graphviz

from .files import atomic_write, check_writable, file_to_write
from .viz_render import render


class Drawing(graphviz.Digraph):
    """A graph to render: ``write(path)`` saves it by the file's suffix (``.svg``, ``.png``,
    ``.gv``), ``svg()`` gives the SVG text, ``pipe(format=...)`` the bytes.

    ``program`` picks the layout program: ``'dot'``, ``'graphviz-pure'``, a path, or None to
    choose (``$TEACHGRAD_RENDERER``, else ``dot`` when on PATH, else ``graphviz-pure``).

    >>> d = Drawing()
    >>> d.edge('a', 'b')
    >>> d.svg().count('class="node"')
    2
    """

    def __init__(self, *args: Any, program: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("format", "svg")
        super().__init__(*args, **kwargs)
        self.program = program

    def copy(self) -> Drawing:
        new = super().copy()
        new.program = self.program
        return new

    def pipe(self, format: str | None = None, renderer: str | None = None,
             formatter: str | None = None, neato_no_op: Any = None, quiet: bool = False, *,
             engine: str | None = None, encoding: str | None = None) -> bytes | str:
        """The drawing rendered as ``format`` (bytes, or text when ``encoding`` is given)."""
        fmt = format or self.format
        if renderer:
            fmt += f":{renderer}" + (f":{formatter}" if formatter else "")
        out = render(self.source, fmt, self.program, engine or self.engine)
        return out.decode(encoding) if encoding else out

    def save(self, filename: Any = None, directory: Any = None, *, skip_existing: bool | None = False) -> str:
        """As ``graphviz.Digraph.save``: write the DOT source (to ``filename`` in ``directory``),
        return its path; written atomically, so a failed write leaves an old file as it was."""
        if filename is not None:
            self.filename = filename
        if directory is not None:
            self.directory = directory
        filepath = self.filepath
        if skip_existing and os.path.exists(filepath):
            return filepath
        self._mkdirs(filepath)
        with atomic_write(filepath) as f:
            f.write(self.source.encode(self.encoding))
        return filepath

    def render(self, filename: Any = None, directory: Any = None, view: bool = False,
               cleanup: bool = False, format: str | None = None, renderer: str | None = None,
               formatter: str | None = None, neato_no_op: Any = None, quiet: bool = False,
               quiet_view: bool = False, *, outfile: Any = None, engine: str | None = None,
               raise_if_result_exists: bool = False, overwrite_source: bool = False) -> str:
        """As ``graphviz.Digraph.render``: save the DOT source, render it next to it (or to
        ``outfile``), return the rendered file's path.  The picture is made and the output path
        checked first, so a bad format or path leaves every file as it was (the DOT source too)."""
        if outfile is not None:
            outfile = Path(file_to_write(outfile))  # (Path() would drop a trailing slash: a folder)
            format = format or outfile.suffix.lstrip(".") or self.format
            if filename is None:
                filename = outfile.with_suffix(".gv").name
                directory = directory if directory is not None else outfile.parent
        fmt = format or self.format
        same = outfile is not None and os.path.realpath(outfile) == os.path.realpath(os.path.join(
            directory if directory is not None else self.directory, filename if filename is not None
            else self.filename))  # the DOT source would be written, then rendered over (or removed)
        if same and not overwrite_source:
            raise ValueError(f"outfile {os.fspath(outfile)!r} must be different from the DOT source file it "
                             "is rendered from (as graphviz says); pass overwrite_source=True to replace it")
        full = fmt + (f":{renderer}" if renderer else "")
        full += f":{formatter}" if renderer and formatter else ""
        source = os.path.join(directory if directory is not None else self.directory,
                              filename if filename is not None else self.filename)  # (where save() puts it)
        target = outfile if outfile is not None else Path(f"{source}.{fmt}")
        if raise_if_result_exists and target.exists():
            raise graphviz.FileExistsError(f"output file exists: {os.fspath(target)!r}")
        data = self.pipe(format=full, engine=engine)  # (an unknown format fails here)
        self._mkdirs(source)  # (as graphviz: the source's folder is made if missing)
        check_writable(target)
        source = self.save(filename, directory)
        with atomic_write(target) as f:  # a failed write leaves an old file as it was
            f.write(data)
        if cleanup and not same:
            os.remove(source)
        if view or quiet_view:
            self._view(os.fspath(target), format=fmt, quiet=quiet_view)
        return os.fspath(target)

    def write(self, path: str | os.PathLike, format: str | None = None) -> Path:
        """Save the drawing to ``path`` as ``format`` (default: the path's suffix: ``.svg``,
        ``.png``, ``.jpg``, or ``.gv``/``.dot`` for the DOT text).  Returns the path."""
        path = Path(file_to_write(path))  # (Path() would drop a trailing slash; a folder has no suffix)
        fmt = (format or path.suffix.lstrip(".")).lower()
        if not fmt:
            raise ValueError(f"no format for {os.fspath(path)!r}: give the file a suffix (.svg, .png, .gv) "
                             "or pass format=")
        data = self.source.encode("utf-8") if fmt in ("gv", "dot") else self.pipe(format=fmt)
        with atomic_write(path) as f:
            f.write(data)
        return path

    def svg(self) -> str:
        """The drawing as SVG text."""
        return self.pipe(format="svg", encoding="utf-8")

    def _repr_svg_(self) -> str:
        return self.svg()

    def __repr__(self) -> str:
        """In a terminal (Jupyter shows the picture): what it holds, and how to see it."""
        return (f"<Drawing {self.name!r}: .write('{self.name or 'graph'}.svg') saves it, .svg() gives "
                "its SVG text; Jupyter shows it>")
