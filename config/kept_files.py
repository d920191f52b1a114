"""Files neodymium keeps for itself between starts (the settings memo, the opening paint's
record): whether one may be read, and what a kept file's key says about the code it came from.

No pydantic here: the opening paint reads its record before anything validates the config.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path


def trusted(info: os.stat_result, max_bytes: int) -> bool:
    """A regular file of at most ``max_bytes`` that this user owns and no one else may write
    (POSIX; elsewhere, any such file): what it holds is unpickled or reaches the terminal."""
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    return info.st_uid == getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def source_stamps(sources: Iterable[Path]) -> bytes:
    """Each source's name, size and modification time: a kept file's key changes when any of
    the code it depends on does (an unreadable source is left out)."""
    stamps = b""
    for source in sources:
        with contextlib.suppress(OSError):
            info = source.stat()
            stamps += f"{source.name}:{info.st_size}:{info.st_mtime_ns}\0".encode()
    return stamps
