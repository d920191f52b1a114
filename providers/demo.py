"""The offline demo provider: a deterministic, simulated market around 600111.SS (北方稀土).

No network, ever. Every answer is a pure function of (seed, symbol, instant): daily bars come
from generators seeded by (seed, symbol, last session), the live session from generators seeded
by (seed, symbol, day, chunk of the day), and news from hashes of (seed, slot number). Whatever
was asked before, the same seed and the same clock instant give the same answers; the caches only
save work.

Calendar: sessions are weekdays (no exchange holidays), 263 of them (a full 1Y window), in
Asia/Shanghai for A-shares and America/New_York for US tickers. The simulated live session runs
around the clock ("today" is the clock's local date, its second 0 is local midnight) so the demo
is lively at any hour; history holds completed sessions only, the last one being the previous
weekday.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import httpx
import numpy as np
from neodymium.providers.base import Provider, ProviderOptions
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.demo_data import (
    ABSENT_CODES,
    ANCHOR_HIGH_52W,
    ANCHOR_LOW_52W,
    ANCHOR_PREV_CLOSE,
    KNOWN,
    NEWS,
    PRIMARY,
    PRIMARY_YEAR_START,
    Profile,
    StaticNews,
)
from neodymium.providers.errors import SymbolNotFound
from neodymium.providers.markets import zone
from neodymium.providers.models import Bar, DataKind, NewsItem, NewsKind, Quote, QuoteBatch
from neodymium.providers.symbols import Board, Exchange, Market, Symbol, parse_symbol
from neodymium.providers.text import clean_text

SOURCE = "demo"
SHANGHAI = zone(Market.CN)

#: Daily bars per year: weekdays only.
SESSIONS_PER_YEAR = 263
#: Seconds of the live session generated at a time.
CHUNK_S = 900
#: Chunks of one session kept in memory (the current one and a few the news flashes look at).
CHUNKS_KEPT = 4
#: Sessions (symbol × day) kept in memory.
SESSIONS_KEPT = 64
#: Shares per lot; volumes are whole lots.
LOT = 100
#: The daily sigma is spread over this many hours of clock time, so seconds move visibly.
INTRADAY_SPREAD_H = 6.0
#: Per-second trade-price noise around the walk (bid/ask bounce), in ticks.
NOISE_TICKS = 0.8
#: Width of the band a session without price limits (indexes, US) stays in.
INTERNAL_BAND_PCT = 0.10
#: Largest daily log return before bridging, so bars respect the ±10% limit after it.
MAX_DAILY_LOG_RETURN = 0.06

#: News slots: slot n is published near NEWS_EPOCH + n × NEWS_SPACING_S (± NEWS_JITTER_S).
NEWS_EPOCH = datetime(2020, 1, 1, tzinfo=SHANGHAI)
NEWS_SPACING_S = 30
NEWS_JITTER_S = 5
#: Every STATIC_EVERY-th slot carries one of the static stories; the others are market flashes.
STATIC_EVERY = 8
#: Market flashes returned per call (the static stories come on top, each once).
FLASHES_SHOWN = 24


def _digest(*parts: object) -> int:
    """A stable 64-bit integer from ``parts`` (unlike ``hash``, the same in every process)."""
    text = "\x1f".join(str(part) for part in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def _unit(*parts: object) -> float:
    """A stable number in [0, 1) from ``parts``."""
    return _digest(*parts) / 2.0**64


def _rng(*parts: object) -> np.random.Generator:
    """A numpy generator seeded from ``parts``."""
    return np.random.default_rng(_digest(*parts))


def fold_into(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Reflect ``values`` into [low, high] (a walk bounces off the edges, never leaves)."""
    width = high - low
    folded = np.mod(values - low, 2.0 * width)
    return low + np.where(folded <= width, folded, 2.0 * width - folded)


def round_half_up(value: float, decimals: int) -> float:
    """``value`` rounded half-up to ``decimals`` places (exchange rounding, not banker's)."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


# --- instruments -----------------------------------------------------------------------------


def zone_for(symbol: Symbol) -> ZoneInfo:
    """The time zone whose date is "today" for ``symbol``."""
    return zone(symbol.market)


def profile_for(symbol: Symbol) -> Profile:
    """The demo's profile of ``symbol``; raises SymbolNotFound for codes no instrument has."""
    absent_cn = symbol.market is Market.CN and (
        symbol.code in ABSENT_CODES or symbol.board is Board.OTHER
    )
    if absent_cn:
        raise SymbolNotFound(SOURCE, symbol.key)
    return KNOWN.get(symbol.key) or _synthetic_profile(symbol)


_BOARD_LIMITS = {Board.STAR: 0.20, Board.CHINEXT: 0.20, Board.BSE: 0.30}


@lru_cache(maxsize=256)
def _synthetic_profile(symbol: Symbol) -> Profile:
    """A plausible profile for a symbol the demo has no table entry for (name = the code)."""

    def pick(name: str, low: float, high: float) -> float:
        return math.exp(math.log(low) + _unit("profile", symbol.key, name) * math.log(high / low))

    if symbol.market is Market.US:
        return Profile(name=symbol.code, level=round(pick("level", 10, 200), 2), decimals=2,
                       currency="USD", beta=0.2, daily_vol=0.02,
                       avg_volume=pick("volume", 2e5, 2e7), limit_pct=None)
    if symbol.is_index:
        return Profile(name=symbol.code, level=round(pick("level", 2000, 12000), 2), decimals=2,
                       currency="CNY", beta=0.3, daily_vol=0.011,
                       avg_volume=pick("volume", 5e9, 5e10), limit_pct=None, is_index=True)
    if symbol.is_fund:
        return Profile(name=symbol.code, level=round(pick("level", 0.8, 3.0), 3), decimals=3,
                       currency="CNY", beta=0.4, daily_vol=0.015,
                       avg_volume=pick("volume", 3e7, 5e8))
    b_share = symbol.board is Board.B_SHARE
    currency = ("USD" if symbol.exchange is Exchange.SS else "HKD") if b_share else "CNY"
    decimals = 3 if b_share and symbol.exchange is Exchange.SS else 2
    level = round(pick("level", 1 if b_share else 5, 10 if b_share else 80), decimals)
    pe = pick("pe", 8, 60)
    return Profile(name=symbol.code, level=level, decimals=decimals, currency=currency,
                   beta=0.3, daily_vol=0.025, avg_volume=pick("volume", 1e7, 2e8),
                   limit_pct=_BOARD_LIMITS.get(symbol.board, 0.10),
                   total_shares=round(pick("shares", 5e8, 1e10)), eps_ttm=level / pe)


def price_limits(prev_close: float, profile: Profile) -> tuple[float | None, float | None]:
    """Limit-up and limit-down: previous close ± the limit, rounded half-up; None without."""
    if profile.limit_pct is None:
        return None, None
    return _band(prev_close, profile.limit_pct, profile.decimals)


def _band(prev_close: float, pct: float, decimals: int) -> tuple[float, float]:
    base, step = Decimal(str(prev_close)), Decimal(str(pct))
    quantum = Decimal(1).scaleb(-decimals)
    up = (base * (1 + step)).quantize(quantum, rounding=ROUND_HALF_UP)
    down = (base * (1 - step)).quantize(quantum, rounding=ROUND_HALF_UP)
    return float(up), float(down)


# --- calendar --------------------------------------------------------------------------------


def previous_session(day: date) -> date:
    """The last weekday strictly before ``day``."""
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def year_of_sessions(last: date) -> tuple[date, ...]:
    """SESSIONS_PER_YEAR weekdays ending at ``last`` (itself a weekday), oldest first."""
    days = [last]
    while len(days) < SESSIONS_PER_YEAR:
        days.append(previous_session(days[-1]))
    return tuple(reversed(days))


# --- daily bars ------------------------------------------------------------------------------


def _daily_returns(seed: int, symbol: Symbol, profile: Profile, last_session: date,
                   rng: np.random.Generator) -> np.ndarray:
    """Daily log returns: the primary's own walk, or the primary's moves (the rare-earth factor)
    with the profile's beta plus the instrument's own noise."""
    own = rng.standard_normal(SESSIONS_PER_YEAR)
    if symbol.key == PRIMARY:
        mixed = own
    else:
        factor = _primary_log_returns(seed, last_session) / KNOWN[PRIMARY].daily_vol
        mixed = profile.beta * factor + math.sqrt(1 - profile.beta**2) * own
    return np.clip(profile.daily_vol * mixed, -MAX_DAILY_LOG_RETURN, MAX_DAILY_LOG_RETURN)


@lru_cache(maxsize=16)
def _primary_log_returns(seed: int, last_session: date) -> np.ndarray:
    """The primary's close-to-close log returns over the year ending at ``last_session``."""
    closes = np.array([bar.close for bar in daily_bars(seed, parse_symbol(PRIMARY), last_session)])
    returns = np.concatenate([[0.0], np.diff(np.log(closes))])
    returns.flags.writeable = False
    return returns


@dataclass(frozen=True, slots=True)
class _Anchors:
    """Where the primary's 52-week low and high sit in its year of bars."""

    low_index: int
    high_index: int


def _anchored_log_closes(returns: np.ndarray, rng: np.random.Generator
                         ) -> tuple[np.ndarray, _Anchors]:
    """The primary's closes: the random walk bridged through the published anchors."""
    n = len(returns)
    anchors = _Anchors(low_index=int(rng.integers(round(0.12 * n), round(0.30 * n))),
                       high_index=int(rng.integers(round(0.62 * n), round(0.85 * n))))
    low, high = math.log(ANCHOR_LOW_52W), math.log(ANCHOR_HIGH_52W)
    # The day before each extreme closes near it too, so the extreme is inside that day's limits.
    knots = [
        (0, math.log(PRIMARY_YEAR_START) + rng.uniform(-0.05, 0.05)),
        (anchors.low_index - 1, low + rng.uniform(0.02, 0.06)),
        (anchors.low_index, low + rng.uniform(0.01, 0.03)),
        (anchors.high_index - 1, high - rng.uniform(0.02, 0.06)),
        (anchors.high_index, high - rng.uniform(0.01, 0.03)),
        (n - 1, math.log(ANCHOR_PREV_CLOSE)),
    ]
    log_closes = np.empty(n)
    for (a, start), (b, end) in itertools.pairwise(knots):
        steps = returns[a + 1 : b + 1]
        steps = steps + (end - start - steps.sum()) / (b - a)
        log_closes[a] = start
        log_closes[a + 1 : b + 1] = start + np.cumsum(steps)
    log_closes[-1] = math.log(ANCHOR_PREV_CLOSE)
    floor = math.log(ANCHOR_LOW_52W * 1.005)
    ceiling = math.log(ANCHOR_HIGH_52W * 0.995)
    return fold_into(log_closes, floor, ceiling), anchors


def _clamp(value: float, low: float | None, high: float | None) -> float:
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    return value


def _assemble_bars(key: str, profile: Profile, days: Sequence[date], log_closes: np.ndarray,
                   first_return: float, rng: np.random.Generator,
                   anchors: _Anchors | None) -> list[Bar]:
    """OHLCV bars around the closes: gaps, wicks, price limits, anchors, volume and amount."""
    n, dec, tick = len(days), profile.decimals, profile.tick
    sigma = profile.daily_vol
    gaps = rng.normal(0.0, 0.35 * sigma, n)
    wicks_up = np.abs(rng.normal(0.0, 0.5 * sigma, n))
    wicks_down = np.abs(rng.normal(0.0, 0.5 * sigma, n))
    activity = np.exp(rng.normal(0.0, 0.3, n) - 0.045)
    closes = np.exp(log_closes)
    prev = round(float(closes[0]) * math.exp(-first_return), dec)
    floor = ANCHOR_LOW_52W + tick if anchors else None
    ceiling = ANCHOR_HIGH_52W - tick if anchors else None
    bars = []
    for i, day in enumerate(days):
        up, down = price_limits(prev, profile)
        close = round(_clamp(_clamp(float(closes[i]), down, up), floor, ceiling), dec)
        open_ = round(_clamp(_clamp(prev * math.exp(gaps[i]), down, up), floor, ceiling), dec)
        high = _clamp(max(open_, close) * math.exp(wicks_up[i]), None, up)
        low = _clamp(min(open_, close) * math.exp(-wicks_down[i]), down, None)
        if anchors:
            high = ANCHOR_HIGH_52W if i == anchors.high_index else min(high, ANCHOR_HIGH_52W - tick)
            low = ANCHOR_LOW_52W if i == anchors.low_index else max(low, ANCHOR_LOW_52W + tick)
        high = round(max(high, open_, close), dec)
        low = round(min(low, open_, close), dec)
        move = abs(math.log(close / prev))
        volume = round(profile.avg_volume * activity[i] * (0.7 + 8.0 * move) / LOT) * LOT
        amount = round(volume * (high + low + close) / 3.0, 2)
        bars.append(Bar(symbol=key, day=day, open=open_, high=high, low=low, close=close,
                        volume=float(volume), amount=amount))
        prev = close
    return bars


@lru_cache(maxsize=64)
def daily_bars(seed: int, symbol: Symbol, last_session: date) -> tuple[Bar, ...]:
    """A year of simulated daily bars ending at ``last_session``; pure in its arguments."""
    profile = profile_for(symbol)
    days = year_of_sessions(last_session)
    rng = _rng(seed, "bars", symbol.key, last_session.toordinal())
    returns = _daily_returns(seed, symbol, profile, last_session, rng)
    anchors: _Anchors | None = None
    if symbol.key == PRIMARY:
        log_closes, anchors = _anchored_log_closes(returns, rng)
    else:
        level = profile.level * math.exp(rng.uniform(-0.02, 0.02))
        walk = np.cumsum(returns)
        log_closes = math.log(level) + walk - walk[-1]
    return tuple(_assemble_bars(symbol.key, profile, days, log_closes, float(returns[0]), rng,
                                anchors))


@lru_cache(maxsize=64)
def _year_range(seed: int, symbol: Symbol, last_session: date) -> tuple[float, float]:
    bars = daily_bars(seed, symbol, last_session)
    return max(bar.high for bar in bars if bar.high), min(bar.low for bar in bars if bar.low)


# --- the live session ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionState:
    """The simulated session of one instrument at one second."""

    last: float
    open: float
    high: float
    low: float
    volume: float
    amount: float


@dataclass(frozen=True, slots=True)
class _Carry:
    """What a chunk hands to the next: the walk, running extremes (ticks), cumulative totals."""

    walk: float
    high: int
    low: int
    volume: int
    amount: float


@dataclass(frozen=True, slots=True)
class _Chunk:
    ticks: np.ndarray
    highs: np.ndarray
    lows: np.ndarray
    volumes: np.ndarray
    amounts: np.ndarray


@lru_cache(maxsize=256)
def _common_intraday(seed: int, market: str, day: int, chunk: int) -> np.ndarray:
    values = _rng(seed, "common-intraday", market, day, chunk).standard_normal(CHUNK_S)
    values.flags.writeable = False
    return values


class SessionPath:
    """One instrument's simulated session on one day, generated lazily CHUNK_S seconds at a time.

    The price is a random walk from the previous close plus bid/ask noise, reflected into the
    daily limit band and rounded to the tick. Chunk k depends only on (seed, symbol, day, k) and
    the carry out of chunk k-1, so any second is reproducible in O(CHUNK_S) once the carries up
    to it are known; the carries are kept for the whole day, the arrays for CHUNKS_KEPT chunks.
    """

    def __init__(self, seed: int, symbol: Symbol, profile: Profile, day: date,
                 prev_close: float) -> None:
        self._seed, self._key, self._profile = seed, symbol.key, profile
        self._market, self._day = symbol.market.value, day.toordinal()
        self._prev_close, self._tick = prev_close, profile.tick
        band_pct = profile.limit_pct or INTERNAL_BAND_PCT
        up, down = _band(prev_close, band_pct, profile.decimals)
        self._band_ticks = (round(down / self._tick), round(up / self._tick))
        self._sigma = profile.daily_vol / math.sqrt(INTRADAY_SPREAD_H * 3600.0)
        self._lots_per_s = profile.avg_volume / 86400.0 / LOT
        gap = _rng(seed, "gap", self._key, self._day).normal(0.0, 0.4 * profile.daily_vol)
        no_trade = np.iinfo(np.int64)
        self._carries = [_Carry(walk=gap, high=no_trade.min, low=no_trade.max, volume=0,
                                amount=0.0)]
        self._chunks: OrderedDict[int, _Chunk] = OrderedDict()
        self._open_ticks = int(self._chunk(0).ticks[0])

    def at(self, second: int) -> SessionState:
        """The session as of ``second`` seconds after local midnight."""
        index, offset = divmod(max(0, second), CHUNK_S)
        chunk = self._chunk(index)
        tick, dec = self._tick, self._profile.decimals
        return SessionState(
            last=round(int(chunk.ticks[offset]) * tick, dec),
            open=round(self._open_ticks * tick, dec),
            high=round(int(chunk.highs[offset]) * tick, dec),
            low=round(int(chunk.lows[offset]) * tick, dec),
            volume=float(chunk.volumes[offset]),
            amount=round(float(chunk.amounts[offset]), 2),
        )

    def _chunk(self, index: int) -> _Chunk:
        cached = self._chunks.get(index)
        if cached is not None:
            self._chunks.move_to_end(index)
            return cached
        while len(self._carries) <= index:
            known = len(self._carries) - 1
            self._remember(known, self._generate(known))
        chunk = self._chunks.get(index) or self._generate(index)
        self._remember(index, chunk)
        return chunk

    def _remember(self, index: int, chunk: _Chunk) -> None:
        self._chunks[index] = chunk
        while len(self._chunks) > CHUNKS_KEPT:
            self._chunks.popitem(last=False)

    def _generate(self, index: int) -> _Chunk:
        carry = self._carries[index]
        profile, tick = self._profile, self._tick
        rng = _rng(self._seed, "intraday", self._key, self._day, index)
        common = _common_intraday(self._seed, self._market, self._day, index)
        mixed = profile.beta * common + math.sqrt(1 - profile.beta**2) * rng.standard_normal(
            CHUNK_S)
        walk = carry.walk + np.cumsum(self._sigma * mixed)
        raw_ticks = (self._prev_close * np.exp(walk)) / tick
        raw_ticks += NOISE_TICKS * rng.standard_normal(CHUNK_S)
        low_t, high_t = self._band_ticks
        ticks = np.clip(np.rint(fold_into(raw_ticks, low_t, high_t)), low_t, high_t)
        ticks = ticks.astype(np.int64)
        lots = rng.poisson(self._lots_per_s, CHUNK_S).astype(np.int64)
        if index == 0:
            lots[0] += round(self._lots_per_s * 600)  # the opening auction
        volumes = lots * LOT
        chunk = _Chunk(
            ticks=ticks,
            highs=np.maximum(np.maximum.accumulate(ticks), carry.high),
            lows=np.minimum(np.minimum.accumulate(ticks), carry.low),
            volumes=carry.volume + np.cumsum(volumes),
            amounts=carry.amount + np.cumsum(volumes * (ticks * tick)),
        )
        if len(self._carries) == index + 1:
            self._carries.append(_Carry(
                walk=float(walk[-1]), high=int(chunk.highs[-1]), low=int(chunk.lows[-1]),
                volume=int(chunk.volumes[-1]), amount=float(chunk.amounts[-1])))
        return chunk


# --- news ------------------------------------------------------------------------------------

_UNIT_CN = {"CNY": "元", "USD": "美元", "HKD": "港元"}


def _money_cn(value: float, currency: str) -> str:
    unit = _UNIT_CN.get(currency, currency)
    return f"{value / 1e8:.2f}亿{unit}" if value >= 1e8 else f"{value / 1e4:.0f}万{unit}"


def _money_en(value: float, currency: str) -> str:
    return f"{currency} {value / 1e9:.2f}bn" if value >= 1e9 else f"{currency} {value / 1e6:.1f}m"


def _milestone(value: float) -> float:
    """``value`` rounded down to two significant digits (3.63e9 → 3.6e9): alerts quote these."""
    step = 10.0 ** (math.floor(math.log10(value)) - 1)
    return math.floor(value / step) * step


def _milestone_cn(value: float, currency: str) -> str:
    unit, mark = _UNIT_CN.get(currency, currency), _milestone(value)
    return f"{mark / 1e8:g}亿{unit}" if mark >= 1e8 else f"{mark / 1e4:g}万{unit}"


def _milestone_en(value: float, currency: str) -> str:
    mark = _milestone(value)
    return f"{currency} {mark / 1e9:g}bn" if mark >= 1e9 else f"{currency} {mark / 1e6:g}m"


def _flash_title(quote: Quote, profile: Profile, symbol: Symbol, name: str, english: bool,
                 pick: float) -> str:
    """A market-flash headline from the simulated quote at its publication time."""
    dec = profile.decimals
    price = quote.last if quote.last is not None else quote.prev_close or 0.0
    last = f"{price:.{dec}f}"
    pct = quote.change_pct or 0.0
    code = symbol.key if english or symbol.market is Market.US else symbol.code
    near_up = quote.limit_up is not None and price >= quote.limit_up * 0.99
    near_down = quote.limit_down is not None and price <= quote.limit_down * 1.01
    at_high = price == quote.high and pct > 0
    at_low = price == quote.low and pct < 0
    if english:
        if near_up or near_down:
            return f"{name} ({code}) nears limit-{'up' if near_up else 'down'} at {last}"
        if pick < 0.2 and quote.amount:
            return f"{name} ({code}) turnover tops {_milestone_en(quote.amount, profile.currency)}"
        if at_high or at_low:
            extreme = "high" if at_high else "low"
            return f"{name} ({code}) hits intraday {extreme} {last}, {pct:+.2f}%"
        unit = "" if profile.is_index else f" {profile.currency}"
        return f"{name} ({code}) at {last}{unit}, {pct:+.2f}% on the day"
    direction = "涨" if pct >= 0 else "跌"
    if near_up or near_down:
        return f"{name}（{code}）逼近{'涨停' if near_up else '跌停'}，现报{last}"
    if pick < 0.25 and quote.amount:
        return f"{name}（{code}）成交额突破{_milestone_cn(quote.amount, profile.currency)}"
    if at_high or at_low:
        extreme = "新高" if at_high else "新低"
        return f"{name}（{code}）创日内{extreme}，报{last}，{direction}{abs(pct):.2f}%"
    unit = "点" if profile.is_index else _UNIT_CN.get(profile.currency, profile.currency)
    return f"{name}（{code}）盘中报{last}{unit}，{direction}{abs(pct):.2f}%"


def _flash_summary(quote: Quote, profile: Profile, english: bool) -> str:
    dec = profile.decimals

    def px(value: float | None) -> str:
        return "—" if value is None else f"{value:.{dec}f}"

    volume = quote.volume or 0.0
    amount = quote.amount or 0.0
    if english:
        return (f"Open {px(quote.open)}, high {px(quote.high)}, low {px(quote.low)}, volume "
                f"{volume / 1e6:.2f}m shares, turnover {_money_en(amount, profile.currency)}. "
                "Simulated market data.")
    return (f"今开{px(quote.open)}，最高{px(quote.high)}，最低{px(quote.low)}，"
            f"成交量{volume / 1e4:.0f}万股，成交额{_money_cn(amount, profile.currency)}。"
            "行情为模拟数据。")


# --- the provider ----------------------------------------------------------------------------


class DemoProvider(Provider):
    """Offline, deterministic simulated quotes, daily bars and news; never touches the network.

    Seeded by ``options.extra["seed"]`` (default 0); time comes from the injected clock.
    """

    name = "demo"
    description = "offline simulated market (deterministic; no network)"
    kinds = frozenset({DataKind.QUOTES, DataKind.HISTORY, DataKind.NEWS})
    delay_s = 0
    default_min_interval = 0.0
    simulated = True

    def __init__(self, client: httpx.AsyncClient, options: ProviderOptions | None = None,
                 clock: Clock = system_clock) -> None:
        super().__init__(client, options, clock)
        self.seed = int(self.options.extra.get("seed", 0) or 0)
        self._sessions: OrderedDict[tuple[str, date], SessionPath] = OrderedDict()
        self._news_order = sorted(range(len(NEWS)), key=lambda i: _unit(self.seed, "order", i))

    async def fetch_quotes(self, symbols: Sequence[Symbol]) -> QuoteBatch:
        """Simulated quotes as of the clock's now; unknown codes go in ``errors``."""
        now = self.clock()
        quotes: dict[str, Quote] = {}
        errors: dict[str, Exception] = {}
        for symbol in symbols:
            try:
                quotes[symbol.key] = self.quote_at(symbol, now)
            except SymbolNotFound as exc:
                errors[symbol.key] = exc
        return QuoteBatch(quotes=MappingProxyType(quotes), errors=MappingProxyType(errors))

    async def fetch_history(self, symbol: Symbol, start: date | None, end: date) -> list[Bar]:
        """Completed simulated sessions in [start, end] (start None: the whole year)."""
        today = self.clock().astimezone(zone_for(symbol)).date()
        bars = daily_bars(self.seed, symbol, previous_session(today))
        return [bar for bar in bars if (start is None or bar.day >= start) and bar.day <= end]

    async def fetch_news(
        self, symbols: Sequence[Symbol], names: Mapping[str, str]
    ) -> list[NewsItem]:
        """Every static story once (its latest run) plus the latest market flashes, newest first."""
        now = self.clock()
        latest = self._latest_slot(now)
        first_static = latest - latest % STATIC_EVERY
        items = [self._static_item(first_static - j * STATIC_EVERY) for j in range(len(NEWS))]
        subjects = self._news_subjects(symbols, names)
        slot = latest
        flashes: list[NewsItem] = []
        while len(flashes) < FLASHES_SHOWN:
            if slot % STATIC_EVERY:
                flashes.append(self._flash_item(slot, subjects))
            slot -= 1
        return sorted([*items, *flashes], key=lambda item: item.published, reverse=True)

    def quote_at(self, symbol: Symbol, at: datetime) -> Quote:
        """The simulated quote of ``symbol`` at instant ``at``; raises SymbolNotFound."""
        profile = profile_for(symbol)
        zone = zone_for(symbol)
        today = at.astimezone(zone).date()
        last_session = previous_session(today)
        prev_close = daily_bars(self.seed, symbol, last_session)[-1].close
        midnight = datetime.combine(today, time(), tzinfo=zone)
        second = int((at.astimezone(UTC) - midnight.astimezone(UTC)).total_seconds())
        state = self._session(symbol, profile, today, prev_close).at(second)
        year_high, year_low = _year_range(self.seed, symbol, last_session)
        limit_up, limit_down = price_limits(prev_close, profile)
        bid, ask = self._bid_ask(state.last, profile, limit_up, limit_down)
        return Quote(
            symbol=symbol.key, as_of=at, source=SOURCE, name=clean_text(profile.name),
            last=state.last, prev_close=prev_close, open=state.open, high=state.high,
            low=state.low, volume=state.volume, amount=state.amount, bid=bid, ask=ask,
            pe_ttm=profile.pe_ttm_at(state.last), market_cap=profile.market_cap_at(state.last),
            high_52w=max(year_high, state.high), low_52w=min(year_low, state.low),
            limit_up=limit_up, limit_down=limit_down, currency=profile.currency,
            delay_s=self.delay_s,
        )

    @staticmethod
    def _bid_ask(last: float, profile: Profile, limit_up: float | None,
                 limit_down: float | None) -> tuple[float | None, float | None]:
        """One tick either side of last; no ask at limit-up, no bid at limit-down."""
        if profile.is_index:
            return None, None
        dec, tick = profile.decimals, profile.tick
        bid = None if limit_down is not None and last <= limit_down else round(last - tick, dec)
        ask = None if limit_up is not None and last >= limit_up else round(last + tick, dec)
        if ask is None:
            bid = last
        if bid is None:
            ask = last
        return bid, ask

    def _session(self, symbol: Symbol, profile: Profile, day: date,
                 prev_close: float) -> SessionPath:
        key = (symbol.key, day)
        session = self._sessions.get(key)
        if session is None:
            session = SessionPath(self.seed, symbol, profile, day, prev_close)
            self._sessions[key] = session
            while len(self._sessions) > SESSIONS_KEPT:
                self._sessions.popitem(last=False)
        else:
            self._sessions.move_to_end(key)
        return session

    def _slot_time(self, slot: int) -> datetime:
        jitter = int(_unit(self.seed, "news-jitter", slot) * (2 * NEWS_JITTER_S + 1))
        offset = slot * NEWS_SPACING_S + jitter - NEWS_JITTER_S
        return NEWS_EPOCH + timedelta(seconds=offset)

    def _latest_slot(self, now: datetime) -> int:
        slot = math.floor((now - NEWS_EPOCH).total_seconds() / NEWS_SPACING_S) + 1
        while self._slot_time(slot) > now:
            slot -= 1
        return slot

    def _static_item(self, slot: int) -> NewsItem:
        story: StaticNews = NEWS[self._news_order[(slot // STATIC_EVERY) % len(NEWS)]]
        return NewsItem(
            id=f"demo:{slot}", title=clean_text(story.title), source=story.source,
            published=self._slot_time(slot), url=f"https://example.invalid/demo/{slot}",
            symbols=story.symbols, kind=story.kind, summary=clean_text(story.summary),
        )

    @staticmethod
    def _news_subjects(symbols: Sequence[Symbol], names: Mapping[str, str]
                       ) -> list[tuple[Symbol, Profile, str]]:
        """The requested symbols the demo knows (the primary first), with display names."""
        subjects = []
        for symbol in symbols or [parse_symbol(PRIMARY)]:
            try:
                profile = profile_for(symbol)
            except SymbolNotFound:
                continue
            subjects.append((symbol, profile, clean_text(names.get(symbol.key) or profile.name)))
        if not subjects:
            primary = parse_symbol(PRIMARY)
            subjects.append((primary, KNOWN[PRIMARY], KNOWN[PRIMARY].name))
        return subjects

    def _flash_item(self, slot: int, subjects: list[tuple[Symbol, Profile, str]]) -> NewsItem:
        pick = _unit(self.seed, "news-subject", slot)
        others = subjects[1:]
        if pick < 0.5 or not others:
            symbol, profile, name = subjects[0]
        else:
            symbol, profile, name = others[int((pick - 0.5) * 2 * len(others))]
        published = self._slot_time(slot)
        quote = self.quote_at(symbol, published)
        english = slot % 2 == 1
        template = _unit(self.seed, "news-template", slot)
        return NewsItem(
            id=f"demo:{slot}",
            title=clean_text(_flash_title(quote, profile, symbol, name, english, template)),
            source="Market flash (simulated)" if english else "行情快讯（模拟）",
            published=published, url=f"https://example.invalid/demo/{slot}",
            symbols=(symbol.key,), kind=NewsKind.NEWS,
            summary=clean_text(_flash_summary(quote, profile, english)),
        )
