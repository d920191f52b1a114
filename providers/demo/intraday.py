"""The demo's live session: one instrument's simulated day, second by second, generated lazily."""

from __future__ import annotations

import math
import operator
from array import array
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, reduce
from itertools import accumulate, islice
from typing import TypeVar

from neodymium.providers.demo.data import Profile
from neodymium.providers.demo.instruments import LOT, limit_band
from neodymium.providers.demo.seeded import fold, normals, poissons, seeded_rng
from neodymium.providers.simulated_hours import schedule_for
from neodymium.providers.symbols import Symbol

#: Seconds of the live session generated at a time.
CHUNK_S = 900
#: Chunks of one session kept in memory (the current one and a few the news flashes look at).
CHUNKS_KEPT = 4
#: The daily sigma is spread over this many hours of clock time, so seconds move visibly.
INTRADAY_SPREAD_H = 6.0
#: Per-second trade-price noise around the walk (bid/ask bounce), in ticks.
NOISE_TICKS = 0.8
#: Width of the band a session without price limits (indexes, US) stays in.
INTERNAL_BAND_PCT = 0.10
#: The opening auction matches this many seconds of the session's flow (a few minutes' worth,
#: as a real 09:25 auction often does).
AUCTION_FLOW_S = 180
#: Running extremes before the first trade (the int64 limits, so they fit the chunk arrays).
NO_HIGH, NO_LOW = -(2**63), 2**63 - 1

T = TypeVar("T", int, float)


@dataclass(frozen=True, slots=True)
class IntradayState:
    """The simulated session of one instrument at one second."""

    last: float
    open: float
    high: float
    low: float
    volume: float
    amount: float


@dataclass(frozen=True, slots=True)
class _Carry:
    """What a chunk hands to the next: the walk, the last price and running extremes (ticks),
    cumulative totals."""

    walk: float
    last: int
    high: int
    low: int
    volume: int
    amount: float


@dataclass(frozen=True, slots=True)
class _Chunk:
    """CHUNK_S seconds: the price in ticks, running extremes (ticks) and cumulative totals,
    in compact machine arrays (8 bytes a second each)."""

    ticks: array[int]
    highs: array[int]
    lows: array[int]
    volumes: array[int]
    amounts: array[float]


@lru_cache(maxsize=256)
def _common_intraday(seed: int, market: str, day: int, chunk: int) -> memoryview:
    """The market's common factor for one chunk: standard normals, read-only."""
    rng = seeded_rng(seed, "common-intraday", market, day, chunk)
    return memoryview(array("d", normals(rng, CHUNK_S))).toreadonly()


class SessionPath:
    """One instrument's simulated session on one day, generated lazily CHUNK_S seconds at a time.

    The price is a random walk from the previous close plus bid/ask noise, reflected into the
    daily limit band and rounded to the tick. Chunk k depends only on (seed, symbol, day, k) and
    the carry out of chunk k-1, so any second is reproducible in O(CHUNK_S) once the carries up
    to it are known; the carries are kept for the whole day, the arrays for CHUNKS_KEPT chunks.
    Catching up (the demo started late in the day) computes the carries alone, the same sums
    without the arrays.

    The walk starts at the day's first trade, ``open_second`` (the 09:25 auction, where its
    volume lands; before it the price is the previous close moved by an overnight gap), and
    runs on from there, but the day's figures are the session's: the open is that second's
    price and the high, low, volume and amount count from it, so they match the 分时 line,
    which starts there too (before it they count from midnight). Shares trade at the rate that
    makes ``session_seconds`` of trading an average day's volume. In ``breaks`` (from the
    auction to the open, lunch, after the close) nothing trades: the price holds, and trading
    resumes where the walk went.
    """

    def __init__(self, seed: int, symbol: Symbol, profile: Profile, day: date,
                 prev_close: float, open_second: int = 0,
                 session_seconds: int = 86_400,
                 breaks: tuple[tuple[int, int], ...] = ()) -> None:
        self._seed, self._key, self._profile = seed, symbol.key, profile
        self._open_second, self._breaks = open_second, breaks
        self._market, self._day = symbol.market.value, day.toordinal()
        self._prev_close, self._tick = prev_close, profile.tick
        band_pct = profile.limit_pct or INTERNAL_BAND_PCT
        up, down = limit_band(prev_close, band_pct, profile.decimals)
        self._band_ticks = (round(down / self._tick), round(up / self._tick))
        self._sigma = profile.daily_vol / math.sqrt(INTRADAY_SPREAD_H * 3600.0)
        self._lots_per_s = profile.avg_volume / session_seconds / LOT
        gap = 0.4 * profile.daily_vol * normals(seeded_rng(seed, "gap", self._key, self._day), 1)[0]
        self._carries = [_Carry(walk=gap, last=round(prev_close / self._tick), high=NO_HIGH,
                                low=NO_LOW, volume=0, amount=0.0)]
        self._chunks: OrderedDict[int, _Chunk] = OrderedDict()
        self._midnight_ticks = self._chunk(0).ticks[0]
        self._session_ticks: int | None = None  # the price at open_second, once reached

    def at(self, second: int) -> IntradayState:
        """The session as of ``second`` seconds after local midnight."""
        index, offset = divmod(max(0, second), CHUNK_S)
        chunk = self._chunk(index)
        tick, dec = self._tick, self._profile.decimals
        return IntradayState(
            last=round(chunk.ticks[offset] * tick, dec),
            open=round(self._open_ticks(second) * tick, dec),
            high=round(chunk.highs[offset] * tick, dec),
            low=round(chunk.lows[offset] * tick, dec),
            volume=float(chunk.volumes[offset]),
            amount=round(chunk.amounts[offset], 2),
        )

    def _open_ticks(self, second: int) -> int:
        """The day's opening price in ticks as of ``second``: the session's from its open."""
        if second < self._open_second:
            return self._midnight_ticks
        if self._session_ticks is None:
            index, offset = divmod(self._open_second, CHUNK_S)
            self._session_ticks = self._chunk(index).ticks[offset]
        return self._session_ticks

    def _restart(self, index: int) -> int | None:
        """Where in chunk ``index`` the session opens: its auction, and where its figures start
        counting again (None: not in this chunk)."""
        offset = self._open_second - index * CHUNK_S
        return offset if 0 <= offset < CHUNK_S else None

    def _chunk(self, index: int) -> _Chunk:
        cached = self._chunks.get(index)
        if cached is not None:
            self._chunks.move_to_end(index)
            return cached
        while len(self._carries) <= index:  # catching up: the carries only, no arrays
            self._carries.append(self._carry_after(len(self._carries) - 1))
        chunk = self._generate(index)
        self._remember(index, chunk)
        return chunk

    def _remember(self, index: int, chunk: _Chunk) -> None:
        self._chunks[index] = chunk
        while len(self._chunks) > CHUNKS_KEPT:
            self._chunks.popitem(last=False)

    def _draw(self, index: int) -> tuple[list[float], list[int], list[int]]:
        """Chunk ``index``'s walk, price in ticks and shares traded, second by second."""
        carry = self._carries[index]
        profile, tick = self._profile, self._tick
        rng = seeded_rng(self._seed, "intraday", self._key, self._day, index)
        common = _common_intraday(self._seed, self._market, self._day, index)
        beta, sigma = profile.beta, self._sigma
        rest = math.sqrt(1 - beta**2)
        steps = [sigma * (beta * c + rest * z) for c, z in zip(common, normals(rng, CHUNK_S),
                                                               strict=True)]
        first = index * CHUNK_S
        # Before the day's first trade the walk waits: the open is the previous close moved by
        # the overnight gap alone (a night's walk made gaps of 2-6 %, the bars' are under 1 %).
        quiet = max(0, min(CHUNK_S, self._open_second - first))
        steps[:quiet] = [0.0] * quiet
        walk = list(islice(accumulate(steps, initial=carry.walk), 1, None))
        scale = self._prev_close / tick
        low_t, high_t = self._band_ticks
        raw = [scale * math.exp(w) + NOISE_TICKS * z
               for w, z in zip(walk, normals(rng, CHUNK_S), strict=True)]
        # Folding keeps the price in the band; the integer band keeps it there after rounding.
        ticks = [round(v) if low_t <= v <= high_t else round(fold(v, low_t, high_t))
                 for v in raw]
        lots = poissons(rng, self._lots_per_s, CHUNK_S)
        auction = self._restart(index)
        if auction is not None:
            lots[auction] += round(self._lots_per_s * AUCTION_FLOW_S)  # the opening auction
        for start, end in self._breaks:  # no trade: the price holds, the walk goes on
            for offset in range(max(0, start - first), min(CHUNK_S, end - first)):
                ticks[offset] = ticks[offset - 1] if offset else carry.last
                lots[offset] = 0
        return walk, ticks, [lot * LOT for lot in lots]

    def _running(self, index: int, ticks: list[int],
                 volumes: list[int]) -> tuple[list[int], list[int], list[int], list[float]]:
        """Chunk ``index``'s running high, low (ticks), volume and amount, second by second,
        from the carry into it; they start afresh at the session's open when it falls here."""
        carry, tick = self._carries[index], self._tick
        turnover = [volume * (t * tick) for volume, t in zip(volumes, ticks, strict=True)]
        start = self._restart(index)
        return (_running(ticks, max, carry.high, NO_HIGH, start),
                _running(ticks, min, carry.low, NO_LOW, start),
                _running(volumes, operator.add, carry.volume, 0, start),
                _running(turnover, operator.add, carry.amount, 0.0, start))

    def _carry_after(self, index: int) -> _Carry:
        """What chunk ``index`` hands on, as :meth:`_generate` computes it, without its arrays
        (the same sums in the same order, so a session caught up equals one walked)."""
        walk, ticks, volumes = self._draw(index)
        if self._restart(index) is not None:
            highs, lows, totals, amounts = self._running(index, ticks, volumes)
            return _Carry(walk=walk[-1], last=ticks[-1], high=highs[-1], low=lows[-1],
                          volume=totals[-1], amount=amounts[-1])
        carry, tick = self._carries[index], self._tick
        amount = reduce(operator.add, (v * (t * tick) for v, t in zip(volumes, ticks, strict=True)),
                        carry.amount)
        return _Carry(walk=walk[-1], last=ticks[-1], high=max(carry.high, max(ticks)),
                      low=min(carry.low, min(ticks)), volume=carry.volume + sum(volumes),
                      amount=amount)

    def _generate(self, index: int) -> _Chunk:
        walk, ticks, volumes = self._draw(index)
        highs, lows, totals, amounts = self._running(index, ticks, volumes)
        chunk = _Chunk(ticks=array("q", ticks), highs=array("q", highs), lows=array("q", lows),
                       volumes=array("q", totals), amounts=array("d", amounts))
        if len(self._carries) == index + 1:
            self._carries.append(_Carry(
                walk=walk[-1], last=ticks[-1], high=chunk.highs[-1], low=chunk.lows[-1],
                volume=chunk.volumes[-1], amount=chunk.amounts[-1]))
        return chunk


def day_path(seed: int, symbol: Symbol, profile: Profile, day: date,
             prev_close: float) -> SessionPath:
    """``symbol``'s simulated ``day`` on its exchange's hours (providers/simulated_hours.py)."""
    schedule = schedule_for(symbol.market)
    return SessionPath(seed, symbol, profile, day, prev_close,
                       open_second=schedule.open_second,
                       session_seconds=schedule.session_seconds, breaks=schedule.breaks)


def _running(values: list[T], step: Callable[[T, T], T], start: T, fresh: T,
             restart: int | None) -> list[T]:
    """``accumulate(values, step)`` from ``start``, begun again from ``fresh`` at ``restart``."""
    if restart is None:
        return list(islice(accumulate(values, step, initial=start), 1, None))
    head: list[T] = list(islice(accumulate(values[:restart], step, initial=start), 1, None))
    tail: list[T] = list(islice(accumulate(values[restart:], step, initial=fresh), 1, None))
    return head + tail
