"""The demo provider: simulated quotes, daily bars and news as of the injected clock."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType

import httpx
from neodymium.providers.base import Provider, ProviderOptions
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.demo.bars import daily_bars, year_range
from neodymium.providers.demo.book import demo_stats
from neodymium.providers.demo.data import KNOWN, NEWS, PRIMARY, Profile, StaticNews
from neodymium.providers.demo.instruments import (
    SOURCE,
    previous_session,
    price_limits,
    profile_for,
    zone_for,
)
from neodymium.providers.demo.intraday import SessionPath, day_path
from neodymium.providers.demo.news import (
    FLASHES_SHOWN,
    NEWS_EPOCH,
    NEWS_JITTER_S,
    NEWS_SPACING_S,
    STATIC_EVERY,
    flash_summary,
    flash_title,
)
from neodymium.providers.demo.seeded import unit
from neodymium.providers.errors import SymbolNotFound
from neodymium.providers.intraday import CLOSE
from neodymium.providers.models import Bar, DataKind, NewsItem, NewsKind, Quote, QuoteBatch
from neodymium.providers.options import DemoOptions as DemoOptions  # re-exported
from neodymium.providers.simulated_hours import (
    US_CLOSE,
    pause_name,
    schedule_for,
    trading_day,
)
from neodymium.providers.symbols import Market, Symbol, parse_symbol
from neodymium.providers.text import clean_text

#: Sessions (symbol × day) kept in memory.
SESSIONS_KEPT = 64
#: Seconds between two Level-1 snapshots of one symbol (SSE and SZSE publish every 3 s).
SNAPSHOT_S = 3
#: How far back (in news slots: four days) the market flashes are looked for; over a long
#: weekend fewer are shown.
FLASH_LOOKBACK_SLOTS = 4 * 86_400 // NEWS_SPACING_S


def snapshot_second(seed: int, key: str, second: int) -> int:
    """The second of ``key``'s latest exchange snapshot at or before ``second``: every
    SNAPSHOT_S seconds, at a phase fixed by (seed, symbol), so a 1 s poll sees about a third
    of the symbols change."""
    phase = _phase(seed, key)
    return second - (second - phase) % SNAPSHOT_S


@lru_cache(maxsize=1024)
def _phase(seed: int, key: str) -> int:
    """``key``'s snapshot phase (a hash: worked out once, not on every poll)."""
    return int(unit(seed, "snapshot-phase", key) * SNAPSHOT_S)


class DemoProvider(Provider):
    """Offline, deterministic simulated quotes, daily bars and news; never touches the network.

    Seeded by ``options.seed`` (default 0); time comes from the injected clock.
    """

    Options = DemoOptions
    options: DemoOptions

    name = "demo"
    description = "offline simulated market (deterministic; no network)"
    kinds = frozenset({DataKind.QUOTES, DataKind.HISTORY, DataKind.NEWS})
    delay_s = 0
    default_min_interval = 0.0
    simulated = True

    def __init__(self, client: httpx.AsyncClient, options: ProviderOptions | None = None,
                 clock: Clock = system_clock) -> None:
        super().__init__(client, options, clock)
        self.seed = self.options.seed
        self._sessions: OrderedDict[tuple[str, date], SessionPath] = OrderedDict()
        #: Each symbol's last quote and the snapshot it is of: a 1 s poll asks for the same
        #: snapshot two times in three (it changes every SNAPSHOT_S seconds).
        self._last: dict[str, tuple[tuple[object, ...], Quote]] = {}
        self._news_order = sorted(range(len(NEWS)), key=lambda i: unit(self.seed, "order", i))

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
        while len(flashes) < FLASHES_SHOWN and slot > latest - FLASH_LOOKBACK_SLOTS:
            flash = self._flash_item(slot, subjects) if slot % STATIC_EVERY else None
            if flash is not None:
                flashes.append(flash)
            slot -= 1
        return sorted([*items, *flashes], key=lambda item: item.published, reverse=True)

    def quote_at(self, symbol: Symbol, at: datetime) -> Quote:
        """The simulated quote of ``symbol`` as of its latest snapshot at or before ``at``
        (``as_of`` is that snapshot's instant); raises SymbolNotFound."""
        profile = profile_for(symbol)
        zone = zone_for(symbol)
        today = at.astimezone(zone).date()
        midnight = datetime.combine(today, time(), tzinfo=zone)
        now_second = int((at.astimezone(UTC) - midnight.astimezone(UTC)).total_seconds())
        schedule = schedule_for(symbol.market)
        # The latest snapshot's second while the exchange trades; in a pause its last trade
        # (published as the pause begins); None before today's first trade.
        second = schedule.last_trade(now_second) if trading_day(today) else None
        if second == now_second:
            second = schedule.last_trade(snapshot_second(self.seed, symbol.key, now_second))
        which = (today, second, at.tzinfo)
        held = self._last.get(symbol.key)
        if held is not None and held[0] == which:
            return held[1]  # the same snapshot: the same quote
        last_session = previous_session(today)
        bars = daily_bars(self.seed, symbol, last_session)
        if second is None:  # before today's open, or a weekend: the last session's close
            quote = self._closing_quote(symbol, profile, bars, at)
            self._last[symbol.key] = (which, quote)
            return quote
        prev_close = bars[-1].close
        # The snapshot's instant to the second: two polls of one snapshot give equal quotes.
        taken = midnight.astimezone(UTC) + timedelta(seconds=second)
        state = self._session(symbol, profile, today, prev_close).at(second)
        year_high, year_low = year_range(self.seed, symbol, last_session)
        limit_up, limit_down = price_limits(prev_close, profile)
        bid, ask = self._bid_ask(state.last, profile, limit_up, limit_down)
        quote = Quote(
            symbol=symbol.key, as_of=taken.astimezone(at.tzinfo), source=SOURCE,
            name=clean_text(profile.name),
            last=state.last, prev_close=prev_close, open=state.open, high=state.high,
            low=state.low, volume=state.volume, amount=state.amount, bid=bid, ask=ask,
            pe_ttm=profile.pe_ttm_at(state.last), market_cap=profile.market_cap_at(state.last),
            high_52w=max(year_high, state.high), low_52w=min(year_low, state.low),
            limit_up=limit_up, limit_down=limit_down, currency=profile.currency,
            delay_s=self.delay_s,
        )
        stats = demo_stats(self.seed, quote, profile, second, a_share=symbol.market is Market.CN)
        quote = replace(quote, **stats)
        self._last[symbol.key] = (which, quote)
        return quote

    def _closing_quote(self, symbol: Symbol, profile: Profile, bars: Sequence[Bar],
                       at: datetime) -> Quote:
        """The last session's closing quote, as a real source serves it before the next open:
        its close, change, range and volume, stamped at its close (no book: nothing is bid or
        offered until the auction)."""
        bar, prev_close = bars[-1], bars[-2].close
        close_time = CLOSE if symbol.market is Market.CN else US_CLOSE
        taken = datetime.combine(bar.day, close_time, tzinfo=zone_for(symbol))
        year_high, year_low = year_range(self.seed, symbol, bar.day)
        limit_up, limit_down = price_limits(prev_close, profile)
        quote = Quote(
            symbol=symbol.key, as_of=taken.astimezone(at.tzinfo), source=SOURCE,
            name=clean_text(profile.name), last=bar.close, prev_close=prev_close,
            open=bar.open, high=bar.high, low=bar.low, volume=bar.volume, amount=bar.amount,
            pe_ttm=profile.pe_ttm_at(bar.close), market_cap=profile.market_cap_at(bar.close),
            high_52w=year_high, low_52w=year_low, limit_up=limit_up, limit_down=limit_down,
            currency=profile.currency, delay_s=self.delay_s,
        )
        stats = demo_stats(self.seed, quote, profile, schedule_for(symbol.market).open_second,
                           a_share=symbol.market is Market.CN, session_over=True)
        return replace(quote, **stats)

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
            session = day_path(self.seed, symbol, profile, day, prev_close)
            self._sessions[key] = session
            while len(self._sessions) > SESSIONS_KEPT:
                self._sessions.popitem(last=False)
        else:
            self._sessions.move_to_end(key)
        return session

    def _slot_time(self, slot: int) -> datetime:
        jitter = int(unit(self.seed, "news-jitter", slot) * (2 * NEWS_JITTER_S + 1))
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

    def _flash_item(self, slot: int, subjects: list[tuple[Symbol, Profile, str]]
                    ) -> NewsItem | None:
        """Slot ``slot``'s market flash: a quote of one of the subjects whose exchange trades
        then (None when none does: a flash is news of trading, "盘中报"), the first of them
        half the time."""
        published = self._slot_time(slot)
        trading = [subject for subject in subjects if pause_name(
            subject[0].market, published.astimezone(zone_for(subject[0]))) is None]
        if not trading:
            return None
        pick = unit(self.seed, "news-subject", slot)
        others = trading[1:]
        if pick < 0.5 or not others:
            symbol, profile, name = trading[0]
        else:
            symbol, profile, name = others[int((pick - 0.5) * 2 * len(others))]
        quote = self.quote_at(symbol, published)
        english = slot % 2 == 1
        template = unit(self.seed, "news-template", slot)
        return NewsItem(
            id=f"demo:{slot}",
            title=clean_text(flash_title(quote, profile, symbol, name, english, template)),
            source="Market flash (simulated)" if english else "行情快讯（模拟）",
            published=published, url=f"https://example.invalid/demo/{slot}",
            symbols=(symbol.key,), kind=NewsKind.NEWS,
            summary=clean_text(flash_summary(quote, profile, english)),
        )

