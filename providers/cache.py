"""The embedded SQLite cache: daily bars, the last good quote per symbol, and seen news.

The app paints from it at start (marked stale) before the first poll returns, fetches history
incrementally from the last cached day, and does not replay news it has already shown.

Several neodymium processes may share one file: WAL mode, a busy timeout, and short
``BEGIN IMMEDIATE`` transactions. The file is disposable: a corrupt, unreadable or
foreign-schema file is moved aside (``cache.sqlite3.corrupt-<ts>``) and rebuilt, never a crash.
A write that still cannot get the lock is dropped with a logged warning.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import platformdirs
from neodymium.providers.cache_codec import (
    finite,
    micros,
    news_from_json,
    news_json,
    quote_from_json,
    quote_json,
)
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.models import Bar, NewsItem, Quote

log = logging.getLogger(__name__)

#: Bumped whenever the tables change; a file with another version is moved aside and rebuilt.
SCHEMA_VERSION = 1
#: News rows kept (newest by publication time); older ones are pruned on write.
NEWS_KEPT = 5000
_APPLICATION_ID = 0x4E644D57  # "NdMW": marks the file as ours.

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS bars (
        symbol TEXT NOT NULL, day TEXT NOT NULL,
        open REAL, high REAL, low REAL, close REAL NOT NULL, volume REAL, amount REAL,
        source TEXT NOT NULL, updated_at TEXT NOT NULL,
        PRIMARY KEY (symbol, day)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS quotes (
        symbol TEXT PRIMARY KEY, as_of_us INTEGER NOT NULL, source TEXT NOT NULL,
        payload TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS news (
        id TEXT PRIMARY KEY, published_us INTEGER NOT NULL, payload TEXT NOT NULL,
        first_seen TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS news_by_published ON news (published_us DESC, id)",
)
#: Added within schema 1: created where missing, so existing caches keep their bars.
_ALERT_SCHEMA = """CREATE TABLE IF NOT EXISTS alert_state (
    rule_id TEXT PRIMARY KEY, payload TEXT NOT NULL, updated_at TEXT NOT NULL)"""
_TABLES = frozenset({"bars", "quotes", "news"})
#: Created when first written, so caches made before it stay valid.
_SYMBOL_LIST_TABLE = """CREATE TABLE IF NOT EXISTS symbol_list (
    id INTEGER PRIMARY KEY CHECK (id = 0), fetched_at TEXT NOT NULL, payload TEXT NOT NULL)"""


def default_cache_path() -> Path:
    """Where the cache lives by default (computed only; nothing is created)."""
    return Path(platformdirs.user_cache_dir("neodymium", appauthor=False)) / "cache.sqlite3"


@dataclass(frozen=True)
class CacheInfo:
    """What ``neodymium cache info`` shows."""

    path: Path
    size_bytes: int
    symbols: int
    bars: int
    quotes: int
    news: int
    schema_version: int


class _Unusable(Exception):
    """The file is not a cache this version can use."""


class _WritesOff(sqlite3.OperationalError):
    """Writes are skipped (disk full, read-only); already reported once."""


class CacheNotWritable(Exception):
    """The cache cannot be changed this run (a read-only file, a full disk)."""


class Cache:
    """The SQLite store. Opens in :meth:`open`, or lazily on first use."""

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
                if _is_busy(exc):
                    why = f"cache {self.path} is busy ({exc})"
                    warnings.append(self._fall_back_to_memory(why))
                elif (problem := _write_problem(exc)) is not None:
                    warnings.append(self._keep_read_only(problem))
                else:
                    warnings.append(self._recover(exc))
            except OSError as exc:
                if (problem := _write_problem(exc)) is not None:
                    warnings.append(self._keep_read_only(problem))
                else:
                    warnings.append(self._recover(exc))
            except (_Unusable, sqlite3.DatabaseError) as exc:
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
                raise _Unusable("not a cache of this version")
            self._db = db
        except (_Unusable, sqlite3.DatabaseError, OSError, ValueError) as exc:
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
        db = _connect(str(self.path), self.busy_timeout_ms)
        try:
            _check_and_create(db)
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
        except (_Unusable, sqlite3.DatabaseError, OSError) as exc:
            return self._fall_back_to_memory(
                f"cache {self.path} is unusable ({reason}) and could not be rebuilt ({exc})"
            )
        if aside is None:
            return f"cache {self.path} was unusable ({reason}); started a new one"
        return f"cache {self.path} was unusable ({reason}); moved aside to {aside.name}, rebuilt"

    def _fall_back_to_memory(self, why: str) -> str:
        """Keep working without the file: an in-memory cache for this run."""
        self._db = _connect(":memory:", self.busy_timeout_ms)
        _check_and_create(self._db)
        self.in_memory = True
        return f"{why}; caching in memory for this run"

    def _move_aside(self) -> Path | None:
        if not self.path.exists():
            return None
        if not self.path.is_file():
            raise _Unusable("not a regular file; left alone")
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

        While the disk is full or the file read-only, raises _WritesOff at once (callers
        drop the write); the first such failure is logged once and kept in ``write_problem``.
        """
        with self._lock:
            db = self._conn()
            if self.write_problem is not None:
                raise _WritesOff(self.write_problem)
            try:
                db.execute("BEGIN IMMEDIATE")
                yield db
                db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                problem = _write_problem(exc)
                if problem is None:
                    raise
                self.write_problem = problem
                log.warning("cache %s %s: kept as it is; no more writes this run",
                            self.path, problem)
                raise _WritesOff(problem) from exc
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    def _now_text(self) -> str:
        return self.clock().astimezone(UTC).isoformat()

    # -- bars ---------------------------------------------------------------------------------

    def put_bars(self, symbol: str, source: str, bars: Sequence[Bar]) -> None:
        """Insert or replace bars by (symbol, day); bars without a finite close are skipped."""
        self.put_bar_sets([(symbol, source, bars)])

    def put_bar_sets(self, sets: Sequence[tuple[str, str, Sequence[Bar]]]) -> None:
        """Several symbols' ``(symbol, source, bars)`` in one transaction."""
        now = self._now_text()
        rows = [
            (symbol, bar.day.isoformat(), finite(bar.open), finite(bar.high), finite(bar.low),
             bar.close, finite(bar.volume), finite(bar.amount), source, now)
            for symbol, source, bars in sets for bar in bars if finite(bar.close) is not None
        ]
        if not rows:
            return
        symbol = ", ".join(dict.fromkeys(s for s, _, _ in sets))
        try:
            with self._write() as db:
                db.executemany(
                    """INSERT INTO bars VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (symbol, day) DO UPDATE SET
                         open = excluded.open, high = excluded.high, low = excluded.low,
                         close = excluded.close, volume = excluded.volume,
                         amount = excluded.amount, source = excluded.source,
                         updated_at = excluded.updated_at""",
                    rows,
                )
        except _WritesOff:
            return
        except sqlite3.OperationalError as exc:
            log.warning("cache: dropped %d bars for %s: %s", len(rows), symbol, exc)

    def get_bars(self, symbol: str, since: date | None = None) -> list[Bar]:
        """Cached bars of one symbol, oldest first, from ``since`` (inclusive) if given."""
        start = since.isoformat() if since is not None else ""
        rows = self._read(
            "SELECT day, open, high, low, close, volume, amount FROM bars"
            " WHERE symbol = ? AND day >= ? ORDER BY day",
            (symbol, start),
        )
        return [
            Bar(symbol, date.fromisoformat(day), o, h, lo, c, v, a)
            for day, o, h, lo, c, v, a in rows
        ]

    def last_bar_day(self, symbol: str) -> date | None:
        """The newest cached day for a symbol, so history can be fetched from there on."""
        rows = self._read("SELECT max(day) FROM bars WHERE symbol = ?", (symbol,))
        day = rows[0][0] if rows else None
        return date.fromisoformat(day) if day else None

    # -- quotes -------------------------------------------------------------------------------

    def put_quote(self, quote: Quote) -> None:
        """Keep this quote as the last good one for its symbol (every field)."""
        self.put_quotes([quote])

    def put_quotes(self, quotes: Sequence[Quote]) -> None:
        """Keep each quote as the last good one for its symbol, in one transaction."""
        if not quotes:
            return
        now = self._now_text()
        rows = [(q.symbol, micros(q.as_of), q.source, quote_json(q), now) for q in quotes]
        try:
            with self._write() as db:
                db.executemany("INSERT OR REPLACE INTO quotes VALUES (?, ?, ?, ?, ?)", rows)
        except _WritesOff:
            return
        except sqlite3.OperationalError as exc:
            symbols = ", ".join(q.symbol for q in quotes)
            log.warning("cache: dropped quotes for %s: %s", symbols, exc)

    def get_quotes(self) -> dict[str, Quote]:
        """The last good quote per symbol, exactly as stored (tz-aware ``as_of``, None kept)."""
        quotes = {}
        for symbol, payload in self._read("SELECT symbol, payload FROM quotes ORDER BY symbol"):
            quote = quote_from_json(payload)
            if quote is None:
                log.warning("cache: ignored an unreadable quote for %s", symbol)
            else:
                quotes[symbol] = quote
        return quotes

    # -- the symbol list (search) ----------------------------------------------------------

    def put_symbol_list(self, payload: str) -> None:
        """Keep the searchable symbol list (pinyin included) with when it was fetched."""
        try:
            with self._write() as db:
                db.execute(_SYMBOL_LIST_TABLE)
                db.execute("INSERT OR REPLACE INTO symbol_list VALUES (0, ?, ?)",
                           (self._now_text(), payload))
        except sqlite3.OperationalError as exc:
            log.warning("cache: dropped the symbol list: %s", exc)

    def get_symbol_list(self) -> tuple[datetime, str] | None:
        """When the stored list was fetched and its payload, or None."""
        try:
            rows = self._read("SELECT fetched_at, payload FROM symbol_list WHERE id = 0")
        except sqlite3.OperationalError:  # no list stored yet: the table does not exist
            return None
        if not rows:
            return None
        return datetime.fromisoformat(rows[0][0]), rows[0][1]

    # -- news ---------------------------------------------------------------------------------

    def put_news(self, items: Sequence[NewsItem]) -> list[NewsItem]:
        """Remember news items; return only those never seen before (in input order)."""
        now = self._now_text()
        first_of_each: dict[str, NewsItem] = {}
        for item in items:
            first_of_each.setdefault(item.id, item)
        unique = list(first_of_each.values())
        fresh: list[NewsItem] = []
        try:
            with self._write() as db:
                for item in unique:
                    cursor = db.execute(
                        "INSERT OR IGNORE INTO news VALUES (?, ?, ?, ?)",
                        (item.id, micros(item.published), news_json(item), now),
                    )
                    if cursor.rowcount == 1:
                        fresh.append(item)
                if fresh:
                    db.execute(
                        "DELETE FROM news WHERE id IN (SELECT id FROM news"
                        " ORDER BY published_us DESC, id LIMIT -1 OFFSET ?)",
                        (NEWS_KEPT,),
                    )
        except _WritesOff:
            return unique
        except sqlite3.OperationalError as exc:
            log.warning("cache: could not record %d news items: %s", len(unique), exc)
            return unique
        return fresh

    def recent_news(self, limit: int) -> list[NewsItem]:
        """The newest ``limit`` items, newest first."""
        if limit <= 0:
            return []
        rows = self._read(
            "SELECT payload FROM news ORDER BY published_us DESC, id LIMIT ?", (limit,)
        )
        items = [news_from_json(payload) for (payload,) in rows]
        return [item for item in items if item is not None]

    # -- alert state --------------------------------------------------------------------------

    def put_alert_state(self, rule_id: str, payload: str) -> None:
        """Remember what an alert rule last saw and when it fired (JSON text)."""
        try:
            with self._write() as db:
                db.execute("INSERT OR REPLACE INTO alert_state VALUES (?, ?, ?)",
                           (rule_id, payload, self._now_text()))
        except _WritesOff:
            return
        except sqlite3.OperationalError as exc:
            log.warning("cache: dropped alert state for %s: %s", rule_id, exc)

    def get_alert_states(self) -> dict[str, str]:
        """Every stored alert state by rule id."""
        return dict(self._read("SELECT rule_id, payload FROM alert_state ORDER BY rule_id"))

    # -- housekeeping -------------------------------------------------------------------------

    def info(self) -> CacheInfo:
        """Counts and size on disk (main file plus write-ahead log)."""
        with self._lock:
            db = self._conn()
            counts = db.execute(
                """SELECT (SELECT count(*) FROM (SELECT symbol FROM bars
                                                  UNION SELECT symbol FROM quotes)),
                          (SELECT count(*) FROM bars), (SELECT count(*) FROM quotes),
                          (SELECT count(*) FROM news)"""
            ).fetchone()
            version = db.execute("PRAGMA user_version").fetchone()[0]
        size = 0
        if not self.in_memory:
            for suffix in ("", "-wal"):
                part = self.path.with_name(self.path.name + suffix)
                if part.exists():
                    size += part.stat().st_size
        symbols, bars, quotes, news = counts
        return CacheInfo(self.path, size, symbols, bars, quotes, news, version)

    def clear(self) -> None:
        """Forget everything and give the space back where possible.

        Raises CacheNotWritable, with the reason, when the file cannot be written."""
        try:
            with self._write() as db:
                for table in (*sorted(_TABLES), "alert_state"):
                    db.execute(f"DELETE FROM {table}")
        except _WritesOff as exc:
            raise CacheNotWritable(f"cache {self.path} {exc}: nothing cleared") from None
        with self._lock:
            try:
                self._conn().execute("VACUUM")
            except sqlite3.OperationalError as exc:
                log.info("cache: vacuum skipped: %s", exc)

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._conn().execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                log.warning("cache: read failed: %s", exc)
                return []


# -- connection and schema ------------------------------------------------------------------


def _connect(target: str, busy_timeout_ms: int) -> sqlite3.Connection:
    db = sqlite3.connect(target, timeout=busy_timeout_ms / 1000, isolation_level=None,
                         check_same_thread=False)
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    return db


def _write_problem(exc: BaseException) -> str | None:
    """"disk is full" / "is read-only" when that is what went wrong, else None (corruption
    and other trouble are handled by moving the file aside)."""
    code = getattr(exc, "sqlite_errorcode", None)
    base = code & 0xFF if isinstance(code, int) else None
    number = getattr(exc, "errno", None)
    if base == sqlite3.SQLITE_FULL or number == errno.ENOSPC:
        return "is on a full disk"
    if base in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM) \
            or number in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "is read-only"
    if base == sqlite3.SQLITE_IOERR and "full" in str(exc).lower():
        return "is on a full disk"
    return None


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    """Locked by another process: the file is fine, so it must not be moved aside."""
    return getattr(exc, "sqlite_errorcode", None) in {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def _check_and_create(db: sqlite3.Connection) -> None:
    """Refuse a file that is not ours (or not this version); create tables in a fresh one."""
    if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        raise _Unusable("integrity check failed")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and not tables:
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version != SCHEMA_VERSION or app_id != _APPLICATION_ID:
            raise _Unusable(f"schema version {version}, expected {SCHEMA_VERSION}")
        elif missing := _TABLES - tables:
            raise _Unusable(f"missing tables {sorted(missing)}")
        db.execute(_ALERT_SCHEMA)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
