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


def test_a_new_file_gets_the_umask_without_the_process_umask_being_changed(tmp_path, monkeypatch):
    """Reading the umask meant os.umask(0) and back: for that moment the whole process had umask
    0, so another thread's new private file came out world-writable (0666, not 0600)."""
    mask = os.umask(0o027)
    try:
        def refuse(_):
            raise AssertionError("atomic_write changed the process's umask")

        monkeypatch.setattr(os, "umask", refuse)
        with atomic_write(tmp_path / "plot.png") as f:
            f.write(b"png")
        monkeypatch.undo()
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "plot.png").stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["plot.png"]


def test_a_private_file_stays_private_while_its_replacement_is_written(tmp_path):
    """The temporary file that replaces a 0600 file was made 0666 less the umask (0644): anyone
    could read the new contents until the rename."""
    path = tmp_path / "secret.npz"
    path.write_bytes(b"old")
    path.chmod(0o600)
    with atomic_write(path) as f:
        f.write(b"new")
        (tmp,) = [p for p in tmp_path.iterdir() if p.name != "secret.npz"]
        assert stat.S_IMODE(tmp.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_bytes() == b"new"


def test_a_path_given_as_bytes_is_written_as_open_takes_it(tmp_path):
    """Writers failed with "a bytes-like object is required, not 'str'" where open() and load()
    take a bytes path."""
    import nn
    from autograd import Backprop, Value, draw

    folder = os.fsencode(tmp_path)
    model = nn.Linear(2, 2, seed=0)
    model.save(folder + b"/m.npz")
    assert nn.Linear(2, 2, seed=1).load(folder + b"/m.npz").weight.data.tolist() == model.weight.data.tolist()
    y = Value(2.0, label="x") * 3
    y.backward()
    draw(y).write(folder + b"/g.gv")
    Backprop(y * 1).to_html(folder + b"/w.html")
    history = nn.train.History()
    history.train_loss = [1.0, 0.5]
    history.plot(folder + b"/h.png")
    assert sorted(os.listdir(tmp_path)) == ["g.gv", "h.png", "m.npz", "w.html"]


def test_errors_name_the_path_asked_for_not_the_temporary_file(tmp_path):
    # they named '<path>.x1y2.tmp' (a missing folder) or '<tmp> -> <folder>' (a folder)
    with pytest.raises(FileNotFoundError, match="no folder .* to write the file into: '.*walk.html'$"):
        with atomic_write(tmp_path / "missing" / "walk.html"):
            pass
    with pytest.raises(IsADirectoryError, match=f"is a folder; give a file name to write: '{tmp_path}'$"):
        with atomic_write(tmp_path):
            pass
    assert os.listdir(tmp_path) == []


def test_a_symlink_is_written_through_to_its_target_like_open_does(tmp_path):
    # it replaced the link by a regular file; the target kept its old contents
    target = tmp_path / "weights_real.npz"
    target.write_bytes(b"old")
    link = tmp_path / "weights.npz"
    link.symlink_to(target)
    with atomic_write(link) as f:
        f.write(b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert sorted(os.listdir(tmp_path)) == ["weights.npz", "weights_real.npz"]


def test_an_existing_file_keeps_its_permissions(tmp_path):
    # a private 0600 file came back 0666 & ~umask (world-readable)
    path = tmp_path / "secret.npz"
    path.write_bytes(b"old")
    path.chmod(0o600)
    with atomic_write(path) as f:
        f.write(b"new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("name", ["", "newdir/"])
def test_an_empty_path_or_a_folder_path_is_an_error_naming_it(tmp_path, name):
    # they named the temporary file ('<cwd>/.x1y2.tmp'), or an empty path was a missing folder
    path = f"{tmp_path}/{name}" if name else ""  # (pathlib would drop the final slash)
    with pytest.raises(OSError) as info, atomic_write(path) as f:
        f.write(b"lost")
    assert info.value.filename == path and "give a file name" in str(info.value)
    assert os.listdir(tmp_path) == []


def test_a_folder_that_cannot_be_written_names_the_file_not_a_temporary_one(tmp_path, monkeypatch):
    """The PermissionError named 'fig.png.7q_va3xh.tmp', a file the user never asked for."""
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    target = tmp_path / "fig.png"
    with pytest.raises(PermissionError, match="cannot write into the folder") as err:
        with atomic_write(target):
            pass
    assert err.value.filename == str(target) and ".tmp" not in str(err.value)


def test_a_read_only_file_is_not_replaced_where_open_would_refuse_it(tmp_path, monkeypatch):
    """A rename ignores the file's own mode: a 0444 file was replaced, where open(path, 'wb') raises."""
    path = tmp_path / "kept.npz"
    path.write_bytes(b"old")
    path.chmod(0o444)
    monkeypatch.setattr(os, "access", lambda p, mode: False)  # (as a user without root's override)
    with pytest.raises(PermissionError, match="read-only; not replacing it"):
        with atomic_write(path) as f:
            f.write(b"new")
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["kept.npz"]


def test_a_pipe_or_device_is_not_replaced_by_a_regular_file(tmp_path):
    """Saving to a named pipe (or, as root, /dev/null) replaced it with a regular file."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(OSError, match="is not a regular file"):
        with atomic_write(pipe) as f:
            f.write(b"new")
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_a_page_or_drawing_path_ending_in_a_slash_or_naming_a_folder_is_refused(tmp_path):
    """Path() dropped the slash: 'page.html/' wrote a file page.html, and a folder was told to
    take a suffix."""
    from autograd import Backprop, Value, draw

    y = (Value(2.0, label="x") * 3).tanh()
    y.backward()
    for write, path, message in [
        (lambda p: Backprop(y).to_html(p), f"{tmp_path}/page.html/", "ends in a slash"),
        (lambda p: draw(y).write(p), f"{tmp_path}/graph.gv/", "ends in a slash"),
        (lambda p: draw(y).write(p), tmp_path, "is a folder"),
    ]:
        with pytest.raises(IsADirectoryError, match=message):
            write(path)
    assert os.listdir(tmp_path) == []


def test_the_rename_is_flushed_to_disk_too(tmp_path, monkeypatch):
    """The file was fsynced, but not its folder: after a power cut the old file could come back."""
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("names an open file through /proc (Linux)")
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.path.realpath(f"/proc/self/fd/{fd}")),
                                                 real_fsync(fd)))
    with atomic_write(tmp_path / "new.txt") as f:
        f.write(b"saved")
    assert synced[-1] == os.path.realpath(tmp_path)  # the folder, after the file
