"""Search over a market-sized symbol list, and what a one-quote tick costs the watchlist.

Run from the repo root::

    python -m benchmarks.bench_desk            # or: --runs 15

* ``search``: ``SymbolIndex.search`` over 15,000 entries (synthetic two-to-four character
  names, pinyin computed once by pypinyin as a refresh does) for queries by code prefix, name,
  full pinyin and initials; median and worst per query. Building the index (the refresh's pinyin
  pass) is timed once.
* ``watchlist tick``: a headless app with the watchlist at 6 and at 60 rows; one row's price
  changes per tick. Printed: lines repainted per tick (the Line API keeps the others' Strips)
  and the median time of ``show()`` plus the refresh it causes.

Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from dataclasses import replace

from neodymium.providers.symbol_index import SymbolIndex, build_entries
from neodymium.tui.watchlist_view import WatchListView, WatchRow
from neodymium.tui.widgets.watchlist import WatchList
from textual.app import App, ComposeResult

CHARACTERS = "北方稀土盛和资源中国金力永磁科技股份有限公司华泰柏瑞富国银行证券能源电力汽车医药"
QUERIES = ("600", "6001", "北方", "稀土", "beifang", "xitu", "bfxt", "zgyh", "jlyc", "qqqq")


def make_rows(count: int, seed: int = 13) -> list[tuple[str, str, str]]:
    """``count`` (symbol, name, kind) rows with distinct codes and Chinese names."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        code = f"{600000 + n:06d}.SS" if n % 2 else f"{1 + n:06d}.SZ"
        name = "".join(rng.choice(CHARACTERS) for _ in range(rng.randint(2, 4)))
        rows.append((code, name, "stock"))
    return rows


def measure_search(runs: int, size: int = 15_000) -> list[str]:
    """Lines of the search table."""
    start = time.perf_counter()
    index = SymbolIndex(build_entries(make_rows(size)))
    built = time.perf_counter() - start
    lines = [f"search over {len(index):,} entries (index built with pinyin in {built:.2f} s)"]
    for query in QUERIES:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            index.search(query)
            times.append((time.perf_counter() - t0) * 1000)
        lines.append(f"  {query:<8} median {statistics.median(times):6.2f} ms"
                     f"  worst {max(times):6.2f} ms")
    return lines


class _Bench(App[None]):
    def compose(self) -> ComposeResult:
        yield WatchList(id="w")


def _rows(count: int) -> tuple[WatchRow, ...]:
    return tuple(WatchRow(f"{600000 + n}.SS", f"{600000 + n}", "名称", "10.00", "+1.00%", "red")
                 for n in range(count))


async def _tick_cost(count: int, runs: int) -> tuple[float, float]:
    app = _Bench()
    async with app.run_test(size=(40, 70)) as pilot:
        widget = app.query_one(WatchList)
        rows = _rows(count)
        widget.show(WatchListView("W", ("W",), rows))
        await pilot.pause()
        painted, times = [], []
        for tick in range(runs):
            before = widget.painted
            changed = list(rows)
            changed[tick % count] = replace(rows[tick % count], last=f"{10 + tick / 100:.2f}")
            t0 = time.perf_counter()
            widget.show(WatchListView("W", ("W",), tuple(changed)))
            await pilot.pause()
            times.append((time.perf_counter() - t0) * 1000)
            painted.append(widget.painted - before)
            rows = tuple(changed)
        return statistics.median(painted), statistics.median(times)


def measure_watchlist(runs: int, counts: tuple[int, ...] = (6, 60)) -> list[str]:
    """Lines of the watchlist table."""
    lines = ["watchlist tick (one quote changes)"]
    for count in counts:
        painted, ms = asyncio.run(_tick_cost(count, runs))
        lines.append(f"  {count:>3} rows: {painted:.0f} line(s) repainted, median {ms:.2f} ms "
                     "(show + one refresh, pilot pause included)")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print both tables."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_desk")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    for line in (*measure_search(args.runs), "", *measure_watchlist(args.runs)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
