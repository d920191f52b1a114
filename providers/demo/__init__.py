"""The offline demo provider: a deterministic, simulated market around 600111.SS (北方稀土).

No network, ever. Every answer is a pure function of (seed, symbol, instant): daily bars come
from generators seeded by (seed, symbol, last session), the live session from generators seeded
by (seed, symbol, day, chunk of the day), and news from hashes of (seed, slot number). Whatever
was asked before, the same seed and the same clock instant give the same answers; the caches only
save work.

Quotes follow the exchanges' Level-1 cadence: each symbol publishes a snapshot every 3 seconds
(SSE and SZSE do), at a phase fixed by (seed, symbol), so a 1 s poll sees about a third of the
symbols change; the 五档 book's sizes change only with that symbol's snapshot.

Calendar: sessions are weekdays (no exchange holidays), 263 of them (a full 1Y window), in
Asia/Shanghai for A-shares and America/New_York for US tickers. The simulated live session runs
around the clock ("today" is the clock's local date, its second 0 is local midnight) so the demo
is lively at any hour; history holds completed sessions only, the last one being the previous
weekday.
"""

from neodymium.providers.demo.provider import DemoProvider

__all__ = ["DemoProvider"]
