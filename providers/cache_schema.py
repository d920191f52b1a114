"""The cache file's format and SQLite's failures read: schema, version checks, connections.

providers.cache keeps the data; this module decides whether a file is ours and whether a
failure means a full disk, a read-only file, a busy lock or a file to move aside.
"""

from __future__ import annotations

import errno
import sqlite3

#: Bumped whenever the tables change; a file with another version is moved aside and rebuilt.
SCHEMA_VERSION = 1
APPLICATION_ID = 0x4E644D57  # "NdMW": marks the file as ours.

SCHEMA = (
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
ALERT_SCHEMA = """CREATE TABLE IF NOT EXISTS alert_state (
    rule_id TEXT PRIMARY KEY, payload TEXT NOT NULL, updated_at TEXT NOT NULL)"""
TABLES = frozenset({"bars", "quotes", "news"})
#: Created when first written, so caches made before it stay valid.
SYMBOL_LIST_TABLE = """CREATE TABLE IF NOT EXISTS symbol_list (
    id INTEGER PRIMARY KEY CHECK (id = 0), fetched_at TEXT NOT NULL, payload TEXT NOT NULL)"""



class Unusable(Exception):
    """The file is not a cache this version can use."""


class WritesOff(sqlite3.OperationalError):
    """Writes are skipped (disk full, read-only); already reported once."""


def connect(target: str, busy_timeout_ms: int) -> sqlite3.Connection:
    db = sqlite3.connect(target, timeout=busy_timeout_ms / 1000, isolation_level=None,
                         check_same_thread=False)
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    return db


def write_problem(exc: BaseException) -> str | None:
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


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Locked by another process: the file is fine, so it must not be moved aside."""
    return getattr(exc, "sqlite_errorcode", None) in {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def check_and_create(db: sqlite3.Connection) -> None:
    """Refuse a file that is not ours (or not this version); create tables in a fresh one."""
    if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        raise Unusable("integrity check failed")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and not tables:
            for statement in SCHEMA:
                db.execute(statement)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version != SCHEMA_VERSION or app_id != APPLICATION_ID:
            raise Unusable(f"schema version {version}, expected {SCHEMA_VERSION}")
        elif missing := TABLES - tables:
            raise Unusable(f"missing tables {sorted(missing)}")
        db.execute(ALERT_SCHEMA)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
