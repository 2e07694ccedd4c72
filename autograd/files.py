"""Writing files so that a crash never leaves half of one behind."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new contents to: a temporary file in the same folder,
    flushed to disk and renamed over ``path`` when the block ends; removed if the block fails,
    leaving any old ``path`` as it was.  Like ``open(path, 'wb')``, it writes through a symlink
    to its target and keeps an existing file's permissions.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'note.txt')
    >>> with atomic_write(path) as f:
    ...     _ = f.write(b'saved')
    >>> open(path).read()
    'saved'
    """
    path, target, folder, mode = _place(path)
    try:  # (a file that replaces a private one is private while it is written, too)
        fd, tmp = _new_temporary(target, 0o666 if mode is None else 0o600)
    except OSError as err:  # (its own error names the temporary file, not ``path``)
        why = f"cannot write into the folder {folder!r} ({err.strerror})"
        raise type(err)(err.errno, why, path) from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
        _sync_folder(folder)  # the rename itself on disk too, so a power cut keeps the new file
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def check_writable(path: str | os.PathLike) -> str:
    """``path`` as :func:`atomic_write` will take it, checked now: its folder exists, and a file
    there is a regular one that may be replaced.  For work that writes only at its end.

    >>> check_writable('/no/such/folder/page.html')
    Traceback (most recent call last):
    ...
    FileNotFoundError: [Errno 2] no folder '/no/such/folder' to write the file into: ...
    """
    return _place(path)[0]


def _place(path: str | os.PathLike) -> tuple[str, str, str, int | None]:
    """``(path, target, folder, mode)`` of a file to write: the checked path, the file it writes
    (through a symlink), that file's folder, and the permissions an existing file keeps (else None)."""
    path = file_to_write(path)
    # write through a symlink to its target, as open(path, 'wb') does, rather than replace the link
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileNotFoundError(errno.ENOENT, f"no folder {folder!r} to write the file into", path)
    try:  # an existing file keeps its mode (a private 0600 file stays private)
        existing = os.stat(target).st_mode
    except FileNotFoundError:  # a new file gets what open() would give: 0666 less the umask
        return path, target, folder, None
    # a rename would replace what open() refuses or writes into: a read-only file, a device
    if not stat.S_ISREG(existing):
        raise OSError(errno.EINVAL, "is not a regular file (a device or a pipe); not replacing it", path)
    if not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "is read-only; not replacing it", path)
    return path, target, folder, stat.S_IMODE(existing)


def file_to_read(path: str | os.PathLike) -> str:
    """``path`` as a string, once it is known not to name a pipe or a device, which reading would
    wait on for ever (a missing file or a folder: ``open()`` says so itself).

    >>> file_to_read(None)
    Traceback (most recent call last):
    ...
    TypeError: expected a file path (a str or a pathlib.Path), got NoneType None
    """
    path = _path_text(path)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return path
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise OSError(errno.EINVAL, "is not a regular file (a device or a pipe); not reading it", path)
    return path


def _path_text(path: str | os.PathLike) -> str:
    """A path as a string (a bytes path too, as open() takes one), or a TypeError that says what came."""
    try:
        return os.fsdecode(os.fspath(path))
    except TypeError:
        raise TypeError(f"expected a file path (a str or a pathlib.Path), got {type(path).__name__} "
                        f"{path!r:.40}") from None


def file_to_write(path: str | os.PathLike) -> str:
    """``path`` as a string, once it is known to name a file: not empty, not ending in a slash
    (``Path()`` would drop it), not a folder.  Call it before ``Path(path)`` or a suffix test, so
    that the error is about what was asked for.

    >>> file_to_write('plot.png')
    'plot.png'
    >>> file_to_write('plots/')
    Traceback (most recent call last):
    ...
    IsADirectoryError: [Errno 21] ends in a slash, a folder; give a file name to write: 'plots/'
    """
    path = _path_text(path)
    if not path:
        raise FileNotFoundError(errno.ENOENT, "empty path; give a file name to write", path)
    if path.endswith((os.sep, os.altsep or os.sep)):  # else os.replace's error names the temporary file
        raise IsADirectoryError(errno.EISDIR, "ends in a slash, a folder; give a file name to write", path)
    if os.path.isdir(path):  # else the error would name the temporary file, not ``path``
        raise IsADirectoryError(errno.EISDIR, "is a folder; give a file name to write", path)
    return path


def _sync_folder(folder: str) -> None:
    """Flush ``folder``'s entries to disk (POSIX; where a folder cannot be opened, as on
    Windows, there is nothing to do)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # (some file systems refuse fsync on a folder)
        pass
    finally:
        os.close(fd)


def _new_temporary(target: str, mode: int) -> tuple[int, str]:
    """A new file next to ``target`` (``name.4f2a91c0.tmp``), open for writing, made as open()
    makes one: ``mode`` less the umask, which the system applies (reading the umask means
    setting it, for the whole process, which races with other threads' files)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = f"{target}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:  # (another writer's temporary name: draw another)
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name next to it", target)
