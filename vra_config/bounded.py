"""Read an input file the user named, bounded: a regular file, and no larger than a limit.

Why: a path on the command line or beside the plan (a lock file, `--running FILE`) may be
anything the filesystem holds. `/dev/zero` or `/dev/urandom` never end (reading them grows
memory until the process dies), and a FIFO blocks until something writes to it. So the file
is opened without blocking, must be a regular file, and at most `limit` bytes are read (one
more is asked for, to tell "exactly the limit" from "larger").
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: A plan or lock file: a 100,000-connection plan is about 20 MB, its lock about 15 MB.
PLAN_BYTES_MAX = 256 * 1024 * 1024
#: A router's configuration: a large one is a few MB.
RUNNING_BYTES_MAX = 64 * 1024 * 1024
#: A pre-shared key file: a key is at most a few hundred bytes.
KEY_BYTES_MAX = 64 * 1024


class NotRegular(OSError):
    """The path is not a regular file (a device, a FIFO, a socket), or is too large."""


def read_bytes_bounded(path: Path, limit: int) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes.

    Raises `FileNotFoundError`, `IsADirectoryError` and other `OSError`s as `open` does, and
    `NotRegular` (an `OSError` whose `strerror` says why) for anything else.
    """
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(0, "not a regular file (a device, FIFO or socket)", str(path))
        if info.st_size > limit:
            raise NotRegular(0, f"larger than {limit // (1024 * 1024)} MiB", str(path))
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew while being read
            raise NotRegular(0, f"larger than {limit // (1024 * 1024)} MiB", str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)
