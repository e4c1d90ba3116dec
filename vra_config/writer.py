"""Files at the edges: atomic writes, and bounded reads of what a user names.

Writes are atomic: a reader sees the old file or the new one, never half of either.

Reads are bounded: a path on the command line or beside the plan (the plan, its lock,
`--running FILE`, a `{file: PATH}` key) may be anything the filesystem holds. `/dev/zero` or
`/dev/urandom` never end (reading them grows memory until the process dies), and a FIFO
blocks until something writes to it. So the file is opened without blocking, must be a
regular file, and at most a limit of bytes is read (one more is asked for, to tell "exactly
the limit" from "larger").
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from vra_config.errors import VraConfigError


def write_atomic(path: Path, text: str, mode: int = 0o644) -> None:
    """Write `text` to a temporary file beside `path`, flush it to disk, then rename it over.

    The temporary file lives in the same directory so the rename cannot cross filesystems;
    on any failure it is removed and the previous file is left as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


#: A plan or lock file: a 100,000-connection plan is about 20 MB, its lock about 15 MB.
PLAN_BYTES_MAX = 256 * 1024 * 1024
#: A router's configuration: a large one is a few MB.
RUNNING_BYTES_MAX = 64 * 1024 * 1024
#: A pre-shared key file: a key is at most a few hundred bytes.
KEY_BYTES_MAX = 64 * 1024


class NotRegular(VraConfigError, OSError):
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
