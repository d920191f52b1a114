"""One SQLite cache file held open safely: opened, recovered, and written in short transactions.

A corrupt, unreadable or foreign-schema file is moved aside and rebuilt; a busy one falls back to
memory; a read-only file or a full disk is kept and read, its writes skipped (``write_problem``).
providers.cache builds the data tables on top of this.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import Any

from neodymium.providers.cache_schema import (
    SCHEMA_VERSION,
    Unusable,
    WritesOff,
    check_and_create,
    connect,
    is_busy,
    write_problem,
)
from neodymium.providers.clock import Clock, system_clock

#: The cache's one logger name, as before the split (users filter on it).
log = logging.getLogger("neodymium.providers.cache")


class CacheFile:
    """The connection to one cache file and its lock; opens in :meth:`open` or on first use."""

    def __init__(self, path: Path, *, clock: Clock = system_clock,
                 busy_timeout_ms: int = 5000) -> None:
        self.path = Path(path)
        self.clock = clock
        self.busy_timeout_ms = busy_timeout_ms
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self.in_memory = False
        #: Why writes are skipped (a full disk, a read-only file), or None while they work.
        self.write_problem: str | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def open(self) -> list[str]:
        """Open (creating or rebuilding the file as needed) and return warnings for the user."""
        with self._lock:
            if self._db is not None:
                return []
            warnings: list[str] = []
            try:
                self._db = self._connect_checked()
            except sqlite3.OperationalError as exc:
                if is_busy(exc):
                    why = f"cache {self.path} is busy ({exc})"
                    warnings.append(self._fall_back_to_memory(why))
                elif (problem := write_problem(exc)) is not None:
                    warnings.append(self._keep_read_only(problem))
                else:
                    warnings.append(self._recover(exc))
            except OSError as exc:
                if (problem := write_problem(exc)) is not None:
                    warnings.append(self._keep_read_only(problem))
                else:
                    warnings.append(self._recover(exc))
            except (Unusable, sqlite3.DatabaseError) as exc:
                warnings.append(self._recover(exc))
            return warnings

    def _keep_read_only(self, problem: str) -> str:
        """The disk is full or the file read-only: that is no corruption. Keep the file, read
        it if it can be read, and skip writes for this run."""
        self.write_problem = problem
        try:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                 isolation_level=None, check_same_thread=False)
            db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                db.close()
                raise Unusable("not a cache of this version")
            self._db = db
        except (Unusable, sqlite3.DatabaseError, OSError, ValueError) as exc:
            return self._fall_back_to_memory(f"cache {self.path} {problem} ({exc})")
        return f"cache {self.path} {problem}: kept as it is, read but not written this run"

    def close(self) -> None:
        """Close the connection; a later call reopens lazily."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _connect_checked(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = connect(str(self.path), self.busy_timeout_ms)
        try:
            check_and_create(db)
        except BaseException:
            db.close()
            raise
        return db

    def _recover(self, problem: BaseException) -> str:
        """Move the bad file aside and start afresh; fall back to memory if even that fails."""
        reason = str(problem) or type(problem).__name__
        try:
            aside = self._move_aside()
            self._db = self._connect_checked()
        except (Unusable, sqlite3.DatabaseError, OSError) as exc:
            return self._fall_back_to_memory(
                f"cache {self.path} is unusable ({reason}) and could not be rebuilt ({exc})"
            )
        if aside is None:
            return f"cache {self.path} was unusable ({reason}); started a new one"
        return f"cache {self.path} was unusable ({reason}); moved aside to {aside.name}, rebuilt"

    def _fall_back_to_memory(self, why: str) -> str:
        """Keep working without the file: an in-memory cache for this run."""
        self._db = connect(":memory:", self.busy_timeout_ms)
        check_and_create(self._db)
        self.in_memory = True
        return f"{why}; caching in memory for this run"

    def _move_aside(self) -> Path | None:
        if not self.path.exists():
            return None
        if not self.path.is_file():
            raise Unusable("not a regular file; left alone")
        stamp = self.clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        serial = 1
        while aside.exists():
            serial += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{serial}")
        self.path.rename(aside)
        for suffix in ("-wal", "-shm"):
            sidecar = self.path.with_name(self.path.name + suffix)
            if sidecar.exists():
                sidecar.rename(aside.with_name(aside.name + suffix))
        return aside

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            for warning in self.open():
                log.warning("%s", warning)
        assert self._db is not None
        return self._db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction, taken up front so two writers never deadlock.

        While the disk is full or the file read-only, raises WritesOff at once (callers
        drop the write); the first such failure is logged once and kept in ``write_problem``.
        """
        with self._lock:
            db = self._conn()
            if self.write_problem is not None:
                raise WritesOff(self.write_problem)
            try:
                db.execute("BEGIN IMMEDIATE")
                yield db
                db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                problem = write_problem(exc)
                if problem is None:
                    raise
                self.write_problem = problem
                log.warning("cache %s %s: kept as it is; no more writes this run",
                            self.path, problem)
                raise WritesOff(problem) from exc
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._conn().execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                log.warning("cache: read failed: %s", exc)
                return []
