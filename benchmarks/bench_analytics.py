"""How long one analytics refresh and a cache round trip take, on realistic data sizes.

Run from the repo root::

    python -m benchmarks.bench_analytics            # or: --runs 15

Data: two years of deterministic daily bars for 50 symbols (the primary 600111.SS and 49
comparison ETFs), half on a Shanghai calendar and half on a US one, so the comparison has to
align calendars exactly as it does live.

Rows, each the median (and minimum) of N runs, with its baseline measured in the same run:

* ``analytics refresh``: ``compare()`` for 49 ETFs against the primary (returns per window,
  spreads, correlation, beta, volatility, drawdown), plus the 52-week range and a sparkline for
  every symbol; what the comparison table recomputes when bars or prices change.
  Baseline: ``closes_frame()`` alone, the floor any pandas pipeline over these bars pays just to
  get the data into a frame; the ratio says how much the analytics cost on top of that.
* ``cache write`` / ``cache read``: ``Cache.put_bars`` for every symbol into a fresh file, then
  ``Cache.get_bars`` back into ``Bar`` objects. Baseline: plain ``sqlite3`` ``executemany`` into
  an equivalent WAL table in one transaction, and a plain ``SELECT`` of the raw rows; the ratio is
  the cost of the cache's upsert, per-symbol transactions and model conversion.
* ``cache write … one txn``: ``Cache.put_bar_sets``, every symbol in one transaction, as the
  feed's history cycle writes (on a worker thread); same baseline.

Timings are printed, never asserted; the run takes a few seconds.
"""

from __future__ import annotations

import argparse
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from neodymium.providers import analytics
from neodymium.providers.cache import Cache
from neodymium.providers.models import Bar

PRIMARY = "600111.SS"
SYMBOL_COUNT = 50
FIRST_DAY, LAST_DAY = date(2024, 8, 21), date(2026, 8, 21)
SEED = 600111

# Weekdays the markets were (or will be) shut, enough to make the calendars differ.
CN_HOLIDAYS = {
    *(date(2024, 10, 1) + timedelta(days=i) for i in range(7)),
    date(2025, 1, 1), *(date(2025, 1, 28) + timedelta(days=i) for i in range(8)),
    date(2025, 4, 4), date(2025, 5, 1), date(2025, 5, 2), date(2025, 5, 5), date(2025, 6, 2),
    *(date(2025, 10, 1) + timedelta(days=i) for i in range(8)),
    date(2026, 1, 1), *(date(2026, 2, 16) + timedelta(days=i) for i in range(7)),
    date(2026, 4, 6), date(2026, 5, 1), date(2026, 6, 19),
}
US_HOLIDAYS = {
    date(2024, 9, 2), date(2024, 11, 28), date(2024, 12, 25), date(2025, 1, 1), date(2025, 1, 20),
    date(2025, 2, 17), date(2025, 4, 18), date(2025, 5, 26), date(2025, 6, 19), date(2025, 7, 4),
    date(2025, 9, 1), date(2025, 11, 27), date(2025, 12, 25), date(2026, 1, 1), date(2026, 1, 19),
    date(2026, 2, 16), date(2026, 4, 3), date(2026, 5, 25), date(2026, 6, 19), date(2026, 7, 3),
}


def sessions(holidays: set[date]) -> list[date]:
    """Weekdays from FIRST_DAY to LAST_DAY without the holidays."""
    days, day = [], FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def make_bars() -> dict[str, list[Bar]]:
    """Deterministic random-walk OHLCV bars; the ETFs share part of the primary's moves."""
    rng = np.random.default_rng(SEED)
    calendars = {"cn": sessions(CN_HOLIDAYS), "us": sessions(US_HOLIDAYS)}
    market = rng.normal(0.0, 0.018, size=(LAST_DAY - FIRST_DAY).days + 1)
    symbols = [PRIMARY] + [
        f"5{i:05d}.SS" if i % 2 else f"ETF{i:02d}" for i in range(1, SYMBOL_COUNT)
    ]
    bars: dict[str, list[Bar]] = {}
    for number, symbol in enumerate(symbols):
        days = calendars["us" if symbol.startswith("ETF") else "cn"]
        loading = 1.4 if number == 0 else rng.uniform(0.3, 1.2)
        own = rng.normal(0.0, 0.012, size=len(days))
        daily = np.array([market[(day - FIRST_DAY).days] for day in days]) * loading + own
        closes = (20.0 + number) * np.cumprod(1.0 + daily)
        spread = np.abs(rng.normal(0.0, 0.01, size=len(days)))
        bars[symbol] = [
            Bar(symbol, day, round(close * (1 - spread[i] / 2), 3),
                round(close * (1 + spread[i]), 3), round(close * (1 - spread[i]), 3),
                round(close, 3), float(rng.integers(1_000_000, 90_000_000)), None)
            for i, (day, close) in enumerate(zip(days, closes, strict=True))
        ]
    return bars


# -- what is timed ------------------------------------------------------------------------------


def analytics_refresh(bars: dict[str, list[Bar]], last: dict[str, float], asof: date) -> None:
    """Everything the comparison table and the gauges recompute."""
    analytics.compare(PRIMARY, bars, last, asof)
    for symbol_bars in bars.values():
        analytics.high_low_52w(symbol_bars, asof)
        analytics.sparkline(symbol_bars)


def cache_round_trip(bars: dict[str, list[Bar]], folder: Path) -> tuple[float, float]:
    """Seconds to write every symbol's bars into a fresh cache, and to read them back."""
    cache = Cache(folder / "cache.sqlite3")
    cache.open()
    started = time.perf_counter()
    for symbol, symbol_bars in bars.items():
        cache.put_bars(symbol, "bench", symbol_bars)
    written = time.perf_counter()
    for symbol in bars:
        cache.get_bars(symbol)
    read = time.perf_counter()
    cache.close()
    return written - started, read - written


def cache_batched_write(bars: dict[str, list[Bar]], folder: Path) -> float:
    """Seconds to write every symbol's bars into a fresh cache in one transaction, as a feed's
    history cycle does (``Cache.put_bar_sets``)."""
    cache = Cache(folder / "batched.sqlite3")
    cache.open()
    sets = [(symbol, "bench", symbol_bars) for symbol, symbol_bars in bars.items()]
    started = time.perf_counter()
    cache.put_bar_sets(sets)
    written = time.perf_counter()
    cache.close()
    return written - started


def sqlite_round_trip(bars: dict[str, list[Bar]], folder: Path) -> tuple[float, float]:
    """The same rows through bare sqlite3: one executemany, then a plain SELECT per symbol."""
    db = sqlite3.connect(folder / "plain.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE bars (symbol TEXT, day TEXT, open REAL, high REAL, low REAL,"
               " close REAL, volume REAL, amount REAL, PRIMARY KEY (symbol, day)) WITHOUT ROWID")
    rows = [(b.symbol, b.day.isoformat(), b.open, b.high, b.low, b.close, b.volume, b.amount)
            for symbol_bars in bars.values() for b in symbol_bars]
    started = time.perf_counter()
    db.execute("BEGIN")
    db.executemany("INSERT INTO bars VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute("COMMIT")
    written = time.perf_counter()
    for symbol in bars:
        db.execute("SELECT * FROM bars WHERE symbol = ? ORDER BY day", (symbol,)).fetchall()
    read = time.perf_counter()
    db.close()
    return written - started, read - written


# -- measuring and reporting --------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: a measured task against its baseline."""

    task: str
    times: list[float]
    baseline: str
    baseline_times: list[float]


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def measure(runs: int, bars: dict[str, list[Bar]]) -> list[Row]:
    """Run every task and its baseline ``runs`` times, interleaved so drift hits both alike."""
    asof = LAST_DAY
    last = {symbol: symbol_bars[-1].close * 1.01 for symbol, symbol_bars in bars.items()}
    analytics_refresh(bars, last, asof)  # warm-up: imports, pandas caches
    refresh, frame = [], []
    cache_write, cache_read, plain_write, plain_read = [], [], [], []
    batched_write: list[float] = []
    for _ in range(runs):
        frame.append(timed(lambda: analytics.closes_frame(bars)))
        refresh.append(timed(lambda: analytics_refresh(bars, last, asof)))
        with tempfile.TemporaryDirectory(prefix="nd-bench-") as folder:
            write, read = cache_round_trip(bars, Path(folder))
            cache_write.append(write)
            cache_read.append(read)
            batched_write.append(cache_batched_write(bars, Path(folder)))
            write, read = sqlite_round_trip(bars, Path(folder))
            plain_write.append(write)
            plain_read.append(read)
    return [
        Row("analytics refresh (compare 49 ETFs + 52w + sparklines)", refresh,
            "closes_frame() alone", frame),
        Row("cache write: put_bars, 50 symbols", cache_write,
            "sqlite3 executemany, one txn", plain_write),
        Row("cache write: put_bar_sets, 50 symbols, one txn", batched_write,
            "sqlite3 executemany, one txn", plain_write),
        Row("cache read: get_bars → Bar, 50 symbols", cache_read,
            "sqlite3 SELECT raw rows", plain_read),
    ]


def print_table(rows: list[Row], runs: int, bars: dict[str, list[Bar]]) -> None:
    count = sum(len(b) for b in bars.values())
    print(f"neodymium analytics/cache benchmark: {len(bars)} symbols, {count} daily bars "
          f"({FIRST_DAY} .. {LAST_DAY}), median of {runs} runs")
    print(f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"sqlite {sqlite3.sqlite_version}, {platform.machine()}")
    print()
    header = (f"{'task':<56} {'median ms':>10} {'min ms':>8}   {'baseline':<30} "
              f"{'median ms':>10} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    for row in rows:
        median, base = statistics.median(row.times), statistics.median(row.baseline_times)
        ratio = f"{median / base:.1f}x" if base > 0 else "n/a"
        print(f"{row.task:<56} {median * 1e3:>10.2f} {min(row.times) * 1e3:>8.2f}   "
              f"{row.baseline:<30} {base * 1e3:>10.2f} {ratio:>6}")


def main(argv: list[str] | None = None) -> int:
    """Build the data, measure, print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_analytics",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per task (default 7)")
    args = parser.parse_args(argv)
    runs = max(1, min(args.runs, 50))
    bars = make_bars()
    print_table(measure(runs, bars), runs, bars)
    return 0


if __name__ == "__main__":
    sys.exit(main())
