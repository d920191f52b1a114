"""The last validated config, kept so the next start skips pydantic's work on the same file.

Validating a config builds pydantic's schema for every section and loads its plugin machinery
(importlib.metadata, an entry-point scan): about 40 ms before the watcher's first frame, for a
file that rarely changes. The Settings it produced are pickled into the user's cache folder
under a key made of the config's exact text, the config package's sources (name, size,
modification time), pydantic's and Python's versions; a start whose key matches loads them
(well under a millisecond) instead. Anything else is a miss: a changed file, an upgrade or an
edited source, an unreadable, foreign or corrupt memo. Only valid configs are kept, so every
error is found and told exactly as before.

The memo is read only when this user owns it and nobody else may write it (unpickling runs
code, so a file another account could write is never loaded).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

import pydantic
from neodymium.config.kept_files import source_stamps, trusted
from neodymium.config.paths import user_cache_file
from neodymium.config.settings import Settings

MEMO_NAME = "settings.pickle"
#: Larger than any real memo (a few KiB); a bigger file is not read.
MAX_BYTES = 1 << 20


def memo_path() -> Path:
    """Where the memo lives: beside the quote cache, in the user's cache folder."""
    return user_cache_file(MEMO_NAME)


def memo_key(text: str) -> bytes:
    """The key a memo must carry to stand for ``text``'s Settings with this code."""
    digest = hashlib.sha256()
    for part in (sys.version, pydantic.VERSION):
        digest.update(part.encode() + b"\0")
    digest.update(source_stamps(sorted(Path(__file__).parent.glob("*.py"))))
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.digest()


def recall(text: str, path: Path | None = None) -> Settings | None:
    """The Settings validated from ``text`` by an earlier start, or None (a miss)."""
    path = path or memo_path()
    try:
        with path.open("rb") as handle:
            if not trusted(os.fstat(handle.fileno()), MAX_BYTES):
                return None
            key, settings = pickle.loads(handle.read(MAX_BYTES + 1))
    except Exception:  # missing, unreadable or corrupt: validate as if it were not there
        return None
    if key != memo_key(text) or type(settings) is not Settings:
        return None
    return settings


def remember(text: str, settings: Settings, path: Path | None = None) -> None:
    """Keep ``settings`` as validated from ``text`` (atomically; silently not, when the cache
    folder cannot be written: the next start validates again)."""
    path = path or memo_path()
    try:
        data = pickle.dumps((memo_key(text), settings), protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{MEMO_NAME}.", dir=path.parent)
    except (OSError, pickle.PicklingError):
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
