"""The embedded SQLite cache: daily bars, the last good quote per symbol, and seen news.

The app paints from it at start (marked stale) before the first poll returns, fetches history
incrementally from the last cached day, and does not replay news it has already shown.

Several neodymium processes may share one file: WAL mode, a busy timeout, and short
``BEGIN IMMEDIATE`` transactions. The file is disposable: a corrupt, unreadable or
foreign-schema file is moved aside (``cache.sqlite3.corrupt-<ts>``) and rebuilt, never a crash.
A write that still cannot get the lock is dropped with a logged warning.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from neodymium.config.paths import user_cache_file
from neodymium.providers.cache_codec import (
    finite,
    micros,
    news_from_json,
    news_json,
    quote_from_json,
    quote_json,
)
from neodymium.providers.cache_file import CacheFile
from neodymium.providers.cache_schema import SCHEMA_VERSION as SCHEMA_VERSION  # re-exported
from neodymium.providers.cache_schema import SYMBOL_LIST_TABLE, TABLES, WritesOff
from neodymium.providers.models import Bar, NewsItem, Quote

if TYPE_CHECKING:
    from neodymium.config.settings import Settings

log = logging.getLogger(__name__)

#: News rows kept (newest by publication time); older ones are pruned on write.
NEWS_KEPT = 5000


def default_cache_path() -> Path:
    """Where the cache lives by default (computed only; nothing is created)."""
    return user_cache_file("cache.sqlite3")


def cache_for(settings: Settings, *, demo: bool = False, disabled: bool = False) -> Cache | None:
    """The (unopened) cache the settings ask for, or None: never for the demo, so simulated
    prices cannot land where real ones are kept."""
    if disabled or demo or not settings.cache.enabled:
        return None
    return Cache(Path(settings.cache.path) if settings.cache.path else default_cache_path())


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


class CacheNotWritable(Exception):
    """The cache cannot be changed this run (a read-only file, a full disk)."""


class Cache(CacheFile):
    """The SQLite store. Opens in :meth:`open`, or lazily on first use."""

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
        except WritesOff:
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
        except WritesOff:
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
                db.execute(SYMBOL_LIST_TABLE)
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
        except WritesOff:
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
        except WritesOff:
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
                for table in (*sorted(TABLES), "alert_state"):
                    db.execute(f"DELETE FROM {table}")
        except WritesOff as exc:
            raise CacheNotWritable(f"cache {self.path} {exc}: nothing cleared") from None
        with self._lock:
            try:
                self._conn().execute("VACUUM")
            except sqlite3.OperationalError as exc:
                log.info("cache: vacuum skipped: %s", exc)
