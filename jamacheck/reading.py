"""The one way jamacheck reads a file: regular files only, at most ``limit`` bytes (SPEC §9).

Every reader (connector files, the configuration, ``--env-file``, discovery) calls
``read_regular_file``: a FIFO, a device or a symlink to one is never read from (opening is
non-blocking, so a FIFO cannot hang the run), and no more than ``limit`` bytes (1 MiB + 1 by
default: one byte more than any accepted file, so "too large" can be told) are ever read.
"""

from __future__ import annotations

import os
import stat

MAX_BYTES = 1024 * 1024  # the largest file jamacheck accepts (JC103 past it)
READ_LIMIT = MAX_BYTES + 1


class NotReadable(Exception):
    """The file cannot be read: ``reason`` says why, in words for a message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_regular_file(path: str | os.PathLike[str], limit: int = READ_LIMIT) -> bytes:
    """At most ``limit`` bytes of the regular file at ``path``; NotReadable for anything else."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise NotReadable(err.strerror or type(err).__name__) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotReadable(f"not a regular file ({_kind(mode)}): only regular files are read")
        chunks: list[bytes] = []
        remaining = limit
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    except OSError as err:
        raise NotReadable(err.strerror or type(err).__name__) from None
    finally:
        os.close(descriptor)


def read_small_file(path: str | os.PathLike[str]) -> bytes:
    """The whole regular file at ``path``, refused (NotReadable) when larger than 1 MiB."""
    data = read_regular_file(path)
    if len(data) > MAX_BYTES:
        raise NotReadable("larger than 1 MiB")
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
