"""atomic_write: the one way the project writes files (drawings, walkthroughs, models, figures)."""

from __future__ import annotations

import os
import stat

import pytest

from autograd.files import atomic_write


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_write(path) as f:
        f.write(b"half of the new")
        raise RuntimeError("disk full")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["model.npz"]


def test_a_written_file_has_the_usual_permissions(tmp_path):
    path = tmp_path / "figure.png"
    with atomic_write(path) as f:
        f.write(b"png")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_errors_name_the_path_asked_for_not_the_temporary_file(tmp_path):
    # they named '<path>.x1y2.tmp' (a missing folder) or '<tmp> -> <folder>' (a folder)
    with pytest.raises(FileNotFoundError, match="no folder .* to write the file into: '.*walk.html'$"):
        with atomic_write(tmp_path / "missing" / "walk.html"):
            pass
    with pytest.raises(IsADirectoryError, match=f"is a folder; give a file name to write: '{tmp_path}'$"):
        with atomic_write(tmp_path):
            pass
    assert os.listdir(tmp_path) == []
