"""Writing files so that a crash never leaves half of one behind."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new contents to: a temporary file in the same folder,
    flushed to disk and renamed over ``path`` when the block ends; removed if the block fails,
    leaving any old ``path`` as it was.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'note.txt')
    >>> with atomic_write(path) as f:
    ...     _ = f.write(b'saved')
    >>> open(path).read()
    'saved'
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):  # else the error would name the temporary file, not ``path``
        raise IsADirectoryError(errno.EISDIR, "is a folder; give a file name to write", path)
    if not os.path.isdir(folder):
        raise FileNotFoundError(errno.ENOENT, f"no folder {folder!r} to write the file into", path)
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a saved file gets the usual mode
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
