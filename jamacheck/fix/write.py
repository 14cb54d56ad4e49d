"""Writing a fixed file: a temporary file in the same folder, then a rename, keeping the mode."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile


class WriteError(Exception):
    """A fixed file could not be written (the original is left as it was)."""


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` (through a symlink: its target) by ``data`` in one rename."""
    target = os.path.realpath(path)
    folder = os.path.dirname(target) or "."
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(target) + ".",
                                             suffix=".jamacheck-fix")
    except OSError as err:
        raise WriteError(f"cannot write {path}: {err.strerror or err}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as err:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteError(f"cannot write {path}: {err.strerror or err}") from None
