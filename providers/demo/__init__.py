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
Asia/Shanghai for A-shares and America/New_York for US tickers ("today" is the clock's local
date, its second 0 is local midnight). The simulated exchanges keep their hours: A-shares trade
at the 09:25 auction, 09:30–11:30 and 13:00–15:00, US tickers 09:30–16:00; in a pause the price
holds and the quote keeps the last trade's stamp, and before the day's first trade (or on a
weekend) the quote is the last session's close. History holds completed sessions only, the last
one being the previous weekday.
"""

from neodymium.providers.demo.provider import DemoProvider

__all__ = ["DemoProvider"]
