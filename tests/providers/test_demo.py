"""The demo provider: deterministic, anchored to the published figures, lively, offline."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import httpx
import pytest
from neodymium.providers import registry
from neodymium.providers.clock import FrozenClock
from neodymium.providers.demo import DemoProvider
from neodymium.providers.demo.data import KNOWN, TOTAL_SHARES
from neodymium.providers.demo.instruments import (
    SHANGHAI,
    previous_session,
    price_limits,
    profile_for,
)
from neodymium.providers.demo.provider import SNAPSHOT_S, DemoOptions
from neodymium.providers.errors import SymbolNotFound
from neodymium.providers.models import NewsKind, Quote
from neodymium.providers.symbols import Market, Symbol, parse_symbol

PRIMARY = parse_symbol("600111.SS")
ETFS = [parse_symbol(key) for key in ("516780.SS", "159713.SZ", "562800.SS", "512400.SS")]
REMX = parse_symbol("REMX")
WATCH = [PRIMARY, *ETFS, REMX]
#: The day after the issue's "close 50.46 CNY on 2026-01-22", at the A-share close.
FRIDAY_CLOSE = datetime(2026, 1, 23, 15, 0, tzinfo=SHANGHAI)


def make_demo(start: datetime = FRIDAY_CLOSE, seed: int | None = None,
              client: httpx.AsyncClient | None = None) -> tuple[DemoProvider, FrozenClock]:
    clock = FrozenClock(start)
    options = DemoOptions() if seed is None else DemoOptions(seed=seed)
    provider = DemoProvider(client or httpx.AsyncClient(), options, clock)
    return provider, clock


async def history(provider: DemoProvider, symbol: Symbol = PRIMARY):
    return await provider.fetch_history(symbol, None, date(2030, 1, 1))


def test_entry_point_names_the_demo_provider() -> None:
    assert registry.load("demo") is DemoProvider
    assert DemoProvider.delay_s == 0
    assert {kind.value for kind in DemoProvider.kinds} == {"quotes", "history", "news"}


# --- determinism -----------------------------------------------------------------------------


async def test_same_seed_and_instant_give_identical_answers_whatever_was_asked_before() -> None:
    first, _ = make_demo(seed=7)
    second, second_clock = make_demo(FRIDAY_CLOSE + timedelta(hours=3), seed=7)
    # The second provider has already simulated a later time (and another day's news).
    await second.fetch_quotes(WATCH)
    await second.fetch_news(WATCH, {})
    second_clock.now = FRIDAY_CLOSE

    assert await first.fetch_quotes(WATCH) == await second.fetch_quotes(WATCH)
    for symbol in WATCH:
        assert await history(first, symbol) == await history(second, symbol)
    assert await first.fetch_news(WATCH, {}) == await second.fetch_news(WATCH, {})


async def test_a_different_seed_gives_a_different_market() -> None:
    one, one_clock = make_demo(seed=1)
    two, two_clock = make_demo(seed=2)
    bars_one, bars_two = await history(one), await history(two)
    assert [bar.close for bar in bars_one] != [bar.close for bar in bars_two]
    path_one, path_two = [], []
    for _ in range(60):
        path_one.append((await one.fetch_quotes([PRIMARY])).quotes[PRIMARY.key].last)
        path_two.append((await two.fetch_quotes([PRIMARY])).quotes[PRIMARY.key].last)
        one_clock.advance(1)
        two_clock.advance(1)
    assert path_one != path_two


async def test_seed_defaults_to_zero() -> None:
    default, _ = make_demo()
    zero, _ = make_demo(seed=0)
    assert await default.fetch_quotes(WATCH) == await zero.fetch_quotes(WATCH)


# --- the published anchors -------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 42, 2026])
@pytest.mark.parametrize(
    ("now", "last_session"),
    [
        (FRIDAY_CLOSE, date(2026, 1, 22)),
        (datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), date(2026, 2, 27)),  # Monday
        (datetime(2026, 3, 8, 21, 0, tzinfo=SHANGHAI), date(2026, 3, 6)),  # Sunday night
    ],
)
async def test_primary_bars_pass_through_the_published_anchors(
    seed: int, now: datetime, last_session: date
) -> None:
    provider, _ = make_demo(now, seed=seed)
    bars = await history(provider)
    assert len(bars) >= 260
    assert all(bar.day.weekday() < 5 for bar in bars)
    assert bars[-1].day == last_session
    assert bars[-1].close == 50.46
    highs, lows = [bar.high for bar in bars], [bar.low for bar in bars]
    assert max(highs) == 61.69
    assert min(lows) == 21.05
    assert lows.index(21.05) < highs.index(61.69), "the low comes early, the high later"
    quote = (await provider.fetch_quotes([PRIMARY])).quotes[PRIMARY.key]
    if now.weekday() < 5:  # today's session starts from the published close
        assert quote.prev_close == 50.46
    else:  # a weekend shows Friday's closing quote, as the exchange left it
        assert (quote.last, quote.prev_close) == (50.46, bars[-2].close)
        assert (quote.high, quote.low, quote.volume) == (bars[-1].high, bars[-1].low,
                                                         bars[-1].volume)
    assert (quote.high_52w, quote.low_52w) == (61.69, 21.05)


async def test_primary_bars_are_sane_ohlcv_inside_the_daily_limits() -> None:
    bars = await history(make_demo()[0])
    profile = profile_for(PRIMARY)
    for before, bar in pairwise(bars):
        assert bar.day > before.day
        assert bar.low <= min(bar.open, bar.close) <= max(bar.open, bar.close) <= bar.high
        limit_up, limit_down = price_limits(before.close, profile)
        assert limit_down <= bar.low and bar.high <= limit_up
        assert 2e7 < bar.volume < 1e9 and bar.volume % 100 == 0
        typical = (bar.high + bar.low + bar.close) / 3
        assert bar.amount == pytest.approx(bar.volume * typical)


def test_valuation_of_the_primary_at_the_anchor_close() -> None:
    profile = KNOWN["600111.SS"]
    assert profile.pe_ttm_at(50.46) == 85.24
    assert profile.market_cap_at(50.46) == pytest.approx(182.4e9, rel=5e-4)
    assert profile.market_cap_at(50.46) == pytest.approx(50.46 * 3_614_443_347)


async def test_quote_valuation_moves_with_the_price() -> None:
    quote = (await make_demo()[0].fetch_quotes([PRIMARY])).quotes[PRIMARY.key]
    assert quote.pe_ttm == pytest.approx(85.24 * quote.last / 50.46, abs=0.006)
    assert quote.market_cap == pytest.approx(quote.last * TOTAL_SHARES)
    assert quote.name == "北方稀土"
    assert quote.source == "demo"
    assert quote.currency == "CNY"
    assert quote.delay_s == 0
    assert quote.pe_dynamic is None and quote.pe_static is None


async def test_quote_as_of_is_the_clock_and_limits_round_half_up() -> None:
    provider, clock = make_demo()
    quote = (await provider.fetch_quotes([PRIMARY])).quotes[PRIMARY.key]
    assert quote.as_of == clock()
    assert (quote.limit_up, quote.limit_down) == (55.51, 45.41)  # 55.506 and 45.414


def test_price_limits_round_half_up_like_the_exchange() -> None:
    stock, etf = KNOWN["600111.SS"], KNOWN["516780.SS"]
    assert price_limits(10.15, stock) == (11.17, 9.14)  # 11.165 and 9.135: half-up, not even
    assert price_limits(1.395, etf) == (1.535, 1.256)  # 1.5345 and 1.2555
    assert price_limits(60.0, KNOWN["REMX"]) == (None, None)


# --- the live session ------------------------------------------------------------------------


async def test_the_session_stays_inside_the_limit_band_second_by_second() -> None:
    provider, clock = make_demo(datetime(2026, 1, 23, 9, 30, tzinfo=SHANGHAI), seed=3)
    symbols = [PRIMARY, ETFS[0]]
    opens: dict[str, float] = {}
    previous: dict[str, tuple[float, float]] = {}
    for _ in range(4 * 3600):
        batch = await provider.fetch_quotes(symbols)
        for key, quote in batch.quotes.items():
            assert quote.limit_down <= quote.low <= quote.last <= quote.high <= quote.limit_up
            assert opens.setdefault(key, quote.open) == quote.open
            volume, amount = previous.get(key, (0.0, 0.0))
            assert quote.volume >= volume and quote.amount >= amount
            previous[key] = (quote.volume, quote.amount)
        clock.advance(1)


def test_a_session_reached_by_jumping_ahead_equals_one_walked_chunk_by_chunk() -> None:
    """Catching up (the demo started late) sums each chunk without keeping it; a session that
    generated every chunk on the way gives the very same seconds."""
    from neodymium.providers.demo.intraday import CHUNK_S, SessionPath
    from neodymium.providers.simulated_hours import (
        AUCTION_SECOND,
        BEFORE_OPEN,
        LUNCH,
        SESSION_SECONDS,
    )

    day, profile = date(2026, 1, 23), profile_for(PRIMARY)
    how = {"open_second": AUCTION_SECOND, "session_seconds": SESSION_SECONDS,
           "breaks": (BEFORE_OPEN, LUNCH)}  # as the provider's A-shares: restarts and pauses
    walked = SessionPath(0, PRIMARY, profile, day, 50.46, **how)
    for index in range(60):
        walked.at(index * CHUNK_S)
    jumped = SessionPath(0, PRIMARY, profile, day, 50.46, **how)
    for second in (60 * CHUNK_S - 1, 60 * CHUNK_S + 123, 47 * CHUNK_S + 5, 39 * CHUNK_S + 7,
                   AUCTION_SECOND + 3, 17):
        assert jumped.at(second) == walked.at(second)


@pytest.mark.parametrize("seed", range(8))
async def test_a_whole_day_never_leaves_the_band(seed: int) -> None:
    provider, _ = make_demo(seed=seed)
    midnight = datetime(2026, 1, 23, tzinfo=SHANGHAI)
    for symbol in [PRIMARY, ETFS[1]]:
        for minute in range(0, 24 * 60, 7):
            quote = provider.quote_at(symbol, midnight + timedelta(minutes=minute, seconds=seed))
            assert quote.limit_down <= quote.low <= quote.last <= quote.high <= quote.limit_up


async def test_each_symbol_publishes_a_snapshot_every_three_seconds() -> None:
    """Like SSE/SZSE Level-1: a symbol's quote (book included) changes only at its own
    3-second snapshots, usually moving then; symbols are staggered, so a 1 s poll sees about
    a third of them change."""
    provider, clock = make_demo(FRIDAY_CLOSE - timedelta(hours=1))
    quotes: dict[str, list[Quote]] = {}
    for _ in range(600):
        for key, quote in (await provider.fetch_quotes([PRIMARY, *ETFS])).quotes.items():
            quotes.setdefault(key, []).append(quote)
        clock.advance(1)
    changed_per_second = [0] * 599
    for key, series in quotes.items():
        stamps = {quote.as_of for quote in series}
        assert all((b - a).total_seconds() == SNAPSHOT_S
                   for a, b in pairwise(sorted(stamps))), key
        for second, (a, b) in enumerate(pairwise(series)):
            if a.as_of == b.as_of:
                assert a == b, f"{key} changed between its snapshots"
            else:
                changed_per_second[second] += 1
        moves = sum(a.last != b.last for a, b in pairwise(series))
        assert moves > 0.5 * len(stamps), f"{key} moved at only {moves} of its snapshots"
        assert series[0].as_of <= clock() and 200 <= len(stamps) <= 201
    average = sum(changed_per_second) / len(changed_per_second)
    assert 0.2 * len(quotes) < average < 0.5 * len(quotes)
    assert max(changed_per_second) < len(quotes)  # never all at once


async def test_bid_and_ask_are_one_tick_around_last() -> None:
    quotes = dict((await make_demo()[0].fetch_quotes(WATCH)).quotes)
    remx = quotes.pop(REMX.key)  # 02:00 in New York: Thursday's close, nothing bid or asked
    assert remx.bid is remx.ask is None
    for quote in quotes.values():
        tick = 0.001 if quote.symbol in {etf.key for etf in ETFS} else 0.01
        if quote.limit_up is not None and quote.last >= quote.limit_up:
            assert quote.ask is None
        else:
            assert quote.ask == pytest.approx(quote.last + tick)
            assert quote.bid == pytest.approx(quote.last - tick)


async def test_the_days_figures_count_from_the_0925_auction() -> None:
    """Before the 09:25 auction nothing has traded today: the quote is yesterday's close as the
    exchange left it (stamped 15:00, no book). From the auction the open is its price and the
    high, low and volume count from it (as the 分时 line does)."""
    provider, clock = make_demo(datetime(2026, 1, 23, 0, 0, tzinfo=SHANGHAI))
    first = (await provider.fetch_quotes([PRIMARY])).quotes[PRIMARY.key]
    yesterday = (await history(provider))[-1]
    assert first.as_of == datetime(2026, 1, 22, 15, 0, tzinfo=SHANGHAI)
    assert (first.last, first.open, first.high, first.low, first.volume) == (
        yesterday.close, yesterday.open, yesterday.high, yesterday.low, yesterday.volume)
    assert first.book is None and first.bid is first.ask is None
    clock.advance(9 * 3600 + 24 * 60)  # 09:24: still before the auction
    night = (await provider.fetch_quotes([PRIMARY])).quotes[PRIMARY.key]
    assert night is first
    clock.advance(60 + 2)  # 09:25:02, the auction's snapshot
    auction = (await provider.fetch_quotes([PRIMARY])).quotes[PRIMARY.key]
    assert auction.as_of == datetime(2026, 1, 23, 9, 25, tzinfo=SHANGHAI)
    assert auction.prev_close == first.last
    assert auction.open == auction.high == auction.low == auction.last
    assert auction.volume is not None and first.volume is not None
    assert 0 < auction.volume < first.volume  # the auction alone
    clock.advance(4 * 3600)
    later = (await provider.fetch_quotes([PRIMARY])).quotes[PRIMARY.key]
    assert later.open == auction.open
    assert later.volume is not None and later.volume > auction.volume
    # Every second's trade since the auction (snapshots come every 3 s and miss some).
    from neodymium.providers.demo.intraday import SessionPath
    from neodymium.providers.simulated_hours import (
        AUCTION_SECOND,
        BEFORE_OPEN,
        LUNCH,
        SESSION_SECONDS,
    )

    assert later.prev_close is not None
    path = SessionPath(provider.seed, PRIMARY, profile_for(PRIMARY), date(2026, 1, 23),
                       later.prev_close, open_second=AUCTION_SECOND,
                       session_seconds=SESSION_SECONDS, breaks=(BEFORE_OPEN, LUNCH))
    taken = AUCTION_SECOND + 4 * 3600 + 2
    seen = [path.at(second).last for second in range(AUCTION_SECOND, taken + 1)]
    assert (later.high, later.low) == (max(seen), min(seen))


def test_nothing_trades_over_lunch_and_the_afternoon_opens_where_the_walk_went() -> None:
    """11:30-13:00: the price holds at the morning's last trade and the volume stands still
    (the 分时 line leaves lunch out; a high made then was not on it); at 13:00 trading resumes.
    Between the 09:25 auction and the 09:30 open nothing trades either."""
    provider, _ = make_demo(datetime(2026, 1, 23, 11, 0, tzinfo=SHANGHAI))
    day = datetime(2026, 1, 23, tzinfo=SHANGHAI)
    during = [provider.quote_at(PRIMARY, day + timedelta(hours=11, minutes=30, seconds=s))
              for s in range(3, 90 * 60, 301)]
    assert len({(q.last, q.high, q.low, q.volume, q.amount) for q in during}) == 1
    after = provider.quote_at(PRIMARY, day + timedelta(hours=13, minutes=5))
    assert after.volume is not None and during[0].volume is not None
    assert after.volume > during[0].volume
    opening = [provider.quote_at(PRIMARY, day + timedelta(hours=9, minutes=25, seconds=s))
               for s in (2, 100, 200, 298)]
    assert len({(q.last, q.volume) for q in opening}) == 1
    assert opening[0].open == opening[0].last  # the open is the auction's price


def test_after_the_close_nothing_trades_until_the_next_auction() -> None:
    """15:00:00 is the day's last trade: after it the quote is the close, stamped 15:00:00, the
    same quote on every poll (the screen has nothing to redraw), through the night."""
    provider, _ = make_demo()
    day = datetime(2026, 1, 23, tzinfo=SHANGHAI)
    close = provider.quote_at(PRIMARY, day + timedelta(hours=15, seconds=30))
    assert close.as_of == day + timedelta(hours=15)
    for later in (timedelta(hours=15, seconds=4), timedelta(hours=18), timedelta(hours=23.99)):
        assert provider.quote_at(PRIMARY, day + later) is close
    lunch = provider.quote_at(PRIMARY, day + timedelta(hours=12))
    assert lunch.as_of == day + timedelta(hours=11, minutes=29, seconds=59)


def test_new_york_trades_0930_to_1600_its_own_time() -> None:
    """REMX after 16:00 New York holds its close; before 09:30 it shows the last session's."""
    provider, _ = make_demo()
    new_york = ZoneInfo("America/New_York")
    day = datetime(2026, 1, 22, tzinfo=new_york)
    close = provider.quote_at(REMX, day + timedelta(hours=16, seconds=30))
    assert close.as_of == day + timedelta(hours=16)
    assert provider.quote_at(REMX, day + timedelta(hours=20)) == close
    trading = [provider.quote_at(REMX, day + timedelta(hours=10, minutes=m)) for m in range(9)]
    assert len({quote.last for quote in trading}) > 1
    before = provider.quote_at(REMX, day + timedelta(days=1, hours=9, minutes=29))
    assert before.as_of == day + timedelta(hours=16)
    assert before.last == provider.quote_at(REMX, day + timedelta(days=1, hours=9, minutes=31)
                                            ).prev_close


def test_a_weekend_shows_fridays_close_all_day() -> None:
    provider, _ = make_demo()
    friday = previous_session(date(2026, 1, 24))
    saturday = [provider.quote_at(PRIMARY, datetime(2026, 1, 24, hour, tzinfo=SHANGHAI))
                for hour in (0, 10, 14, 23)]
    assert len({(q.last, q.volume, q.as_of) for q in saturday}) == 1
    assert saturday[0].as_of == datetime.combine(friday, time(15), tzinfo=SHANGHAI)


def test_the_volume_ratio_stands_still_after_the_close() -> None:
    """量比 divides by the session's trading seconds: after 15:00 they stop growing."""
    from neodymium.providers.simulated_hours import SESSION_SECONDS, trading_seconds

    # Four hours, the auction's second and 15:00:00's.
    assert trading_seconds(15 * 3600 + 1) == trading_seconds(23 * 3600) == SESSION_SECONDS + 2
    assert trading_seconds(9 * 3600) == 0
    provider, _ = make_demo()
    day = datetime(2026, 1, 23, tzinfo=SHANGHAI)
    ratios = {provider.quote_at(PRIMARY, day + timedelta(hours=h)).volume_ratio
              for h in (15, 16, 22)}
    assert len(ratios) == 1


@pytest.mark.parametrize(("market", "local", "pause"), [
    (Market.CN, datetime(2026, 1, 23, 9, 0), "pre-open"),
    (Market.CN, datetime(2026, 1, 23, 9, 25), None),  # the auction trades
    (Market.CN, datetime(2026, 1, 23, 9, 27), "auction matched"),
    (Market.CN, datetime(2026, 1, 23, 10, 0), None),
    (Market.CN, datetime(2026, 1, 23, 11, 30), "lunch break"),
    (Market.CN, datetime(2026, 1, 23, 15, 0), None),
    (Market.CN, datetime(2026, 1, 23, 15, 0, 1), "closed"),
    (Market.CN, datetime(2026, 1, 24, 10, 0), "weekend"),
    (Market.US, datetime(2026, 1, 23, 9, 29), "pre-open"),
    (Market.US, datetime(2026, 1, 23, 12, 0), None),
    (Market.US, datetime(2026, 1, 23, 16, 30), "closed"),
])
def test_pause_names_what_the_simulated_exchange_is_doing(market: Market, local: datetime,
                                                          pause: str | None) -> None:
    from neodymium.providers.simulated_hours import pause_name

    assert pause_name(market, local) == pause


# --- the comparison ETFs and other symbols ---------------------------------------------------


async def test_etfs_have_real_names_three_decimals_and_no_pe() -> None:
    provider, _ = make_demo()
    quotes = (await provider.fetch_quotes(WATCH)).quotes
    expected = {"516780.SS": ("稀土ETF华泰柏瑞", 1.4), "159713.SZ": ("稀土ETF富国", 1.15),
                "562800.SS": ("稀有金属ETF嘉实", 1.0), "512400.SS": ("有色金属ETF南方", 1.6)}
    for key, (name, level) in expected.items():
        quote = quotes[key]
        assert quote.name == name
        assert quote.pe_ttm is None and quote.market_cap is None
        assert quote.prev_close == pytest.approx(level, rel=0.05)
        for value in (quote.last, quote.prev_close, quote.high, quote.low, quote.limit_up):
            assert math.isclose(value * 1000, round(value * 1000), abs_tol=1e-6)
        bars = await history(provider, parse_symbol(key))
        assert len(bars) >= 260
        assert quote.high_52w >= max(bar.high for bar in bars)
        assert quote.low_52w <= min(bar.low for bar in bars)


async def test_remx_is_a_us_dollar_etf_on_us_weekdays_without_price_limits() -> None:
    provider, _ = make_demo()  # 15:00 Friday in Shanghai is 02:00 Friday in New York
    quote = (await provider.fetch_quotes([REMX])).quotes["REMX"]
    assert quote.name == "VanEck Rare Earth/Strategic Metals ETF"
    assert quote.currency == "USD"
    assert quote.prev_close == pytest.approx(60, rel=0.05)
    assert quote.limit_up is None and quote.limit_down is None
    assert quote.prev_close * 0.9 <= quote.last <= quote.prev_close * 1.1
    bars = await history(provider, REMX)
    assert bars[-1].day == date(2026, 1, 22)
    assert all(bar.day.weekday() < 5 for bar in bars)


async def test_etfs_move_with_the_primary() -> None:
    provider, _ = make_demo()
    primary = [bar.close for bar in await history(provider)]
    etf = [bar.close for bar in await history(provider, ETFS[0])]
    returns = [[math.log(b / a) for a, b in pairwise(s)] for s in (primary, etf)]
    mean = [sum(r) / len(r) for r in returns]
    cov = sum((a - mean[0]) * (b - mean[1]) for a, b in zip(*returns, strict=True))
    var = [sum((x - m) ** 2 for x in r) for r, m in zip(returns, mean, strict=True)]
    assert cov / math.sqrt(var[0] * var[1]) > 0.5


async def test_a_symbol_outside_the_demo_universe_is_an_error_not_invented() -> None:
    symbols = [parse_symbol(key) for key in ("600000.SS", "AAPL")]
    provider, _ = make_demo()
    batch = await provider.fetch_quotes([PRIMARY, *symbols])
    assert set(batch.quotes) == {PRIMARY.key}
    for symbol in symbols:
        error = batch.errors[symbol.key]
        assert isinstance(error, SymbolNotFound)
        assert "not in the demo's universe" in str(error)
    with pytest.raises(SymbolNotFound):
        await provider.fetch_history(symbols[0], None, date(2026, 1, 23))


async def test_an_absent_code_is_symbol_not_found_without_failing_the_batch() -> None:
    provider, _ = make_demo()
    absent = parse_symbol("000000.SZ")
    batch = await provider.fetch_quotes([PRIMARY, absent])
    assert set(batch.quotes) == {PRIMARY.key}
    assert isinstance(batch.errors[absent.key], SymbolNotFound)
    with pytest.raises(SymbolNotFound):
        await provider.fetch_history(absent, None, date(2026, 1, 23))


async def test_history_honours_the_requested_range() -> None:
    provider, _ = make_demo()
    bars = await provider.fetch_history(PRIMARY, date(2025, 12, 1), date(2025, 12, 31))
    assert bars and all(date(2025, 12, 1) <= bar.day <= date(2025, 12, 31) for bar in bars)
    assert len(bars) == 23  # the weekdays of December 2025
    assert await provider.fetch_history(PRIMARY, date(2026, 2, 1), date(2026, 3, 1)) == []


# --- news ------------------------------------------------------------------------------------


async def test_news_arrive_over_time_with_stable_ids() -> None:
    provider, clock = make_demo(FRIDAY_CLOSE - timedelta(hours=1), seed=5)  # trading
    seen: dict[str, object] = {}
    distinct = []
    for _ in range(20):
        items = await provider.fetch_news(WATCH, {PRIMARY.key: "北方稀土"})
        assert len(items) >= 6
        assert all(item.published <= clock() for item in items)
        for item in items:
            assert seen.setdefault(item.id, item) == item, "an id changed its content"
        distinct.append(len(seen))
        clock.advance(40)
    assert all(b > a for a, b in pairwise(distinct))


async def test_news_slots_are_twenty_to_forty_seconds_apart() -> None:
    provider, clock = make_demo(FRIDAY_CLOSE - timedelta(hours=2))
    clock.advance(3600)  # 14:00: trading
    items = await provider.fetch_news(WATCH, {})
    flashes = sorted(item.published for item in items if item.source.startswith(("Market", "行情")))
    gaps = [(b - a).total_seconds() for a, b in pairwise(flashes)]
    assert gaps and min(gaps) >= 20
    newest_slots = sorted(item.published for item in items)[-10:]
    steps = [(b - a).total_seconds() for a, b in pairwise(newest_slots)]
    assert all(20 <= step <= 40 for step in steps)


async def test_news_mix_languages_kinds_and_fake_urls() -> None:
    items = await make_demo()[0].fetch_news(WATCH, {})
    assert len({item.id for item in items}) == len(items)
    assert any(item.kind is NewsKind.ANNOUNCEMENT for item in items)
    assert any(item.kind is NewsKind.NEWS for item in items)
    announcements = {item.source for item in items if item.kind is NewsKind.ANNOUNCEMENT}
    assert announcements <= {"上交所公告", "SSE"}
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in item.title) for item in items)
    assert any(item.title.isascii() for item in items)
    for item in items:
        number = item.id.removeprefix("demo:")
        assert number.isdigit()
        assert item.url == f"https://example.invalid/demo/{number}"
        assert item.summary
        assert item.published.tzinfo is not None
    titles = [item.title for item in items]
    assert any("融资保证金" in title or "margin requirement" in title for title in titles)


async def test_market_flashes_quote_the_simulated_prices() -> None:
    provider, _ = make_demo()
    items = await provider.fetch_news([PRIMARY], {PRIMARY.key: "北方稀土"})
    flashes = [item for item in items if item.symbols == (PRIMARY.key,)
               and item.source.startswith(("Market", "行情"))]
    assert flashes
    for item in flashes:
        quote = provider.quote_at(PRIMARY, item.published)
        assert "北方稀土" in item.title
        assert f"{quote.high:.2f}" in item.summary


# --- offline ---------------------------------------------------------------------------------


async def test_never_touches_the_network() -> None:
    requests: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        raise AssertionError(f"the demo sent a request to {request.url}")

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as client:
        provider, clock = make_demo(client=client)
        for _ in range(3):
            await provider.fetch_quotes([*WATCH, parse_symbol("000000.SZ")])
            await provider.fetch_history(PRIMARY, None, date(2026, 1, 23))
            await provider.fetch_news(WATCH, {})
            clock.advance(1)
        await provider.aclose()
    assert requests == []


async def test_polls_of_one_exchange_snapshot_reuse_its_quote_and_equal_a_fresh_answer() -> None:
    morning = datetime(2026, 1, 23, 10, 30, tzinfo=SHANGHAI)
    demo, clock = make_demo(morning, seed=7)
    seen: dict[str, list[Quote]] = {symbol.key: [] for symbol in WATCH}
    for _ in range(2 * SNAPSHOT_S):
        batch = await demo.fetch_quotes(WATCH)
        fresh, _ = make_demo(clock(), seed=7)  # nothing remembered
        assert batch.quotes == (await fresh.fetch_quotes(WATCH)).quotes
        for key, quote in batch.quotes.items():
            seen[key].append(quote)
        clock.advance(1)
    for quotes in seen.values():
        # SNAPSHOT_S polls a second apart see at most two snapshots in a row; a repeated
        # snapshot is the very same object (not built again), a new one a new object.
        for a, b in pairwise(quotes):
            assert (a is b) == (a.as_of == b.as_of)
    for key, quotes in seen.items():  # REMX: 21:30 in New York, its close all along
        assert len({id(quote) for quote in quotes}) in ((1,) if key == REMX.key else (2, 3))


async def test_market_flashes_come_only_while_their_exchange_trades() -> None:
    """A flash is news of trading ("盘中报"): at 18:00 the A-share flashes end at the close and
    none is dated in a pause; on a Sunday the latest are New York's Friday."""
    from neodymium.providers.simulated_hours import pause_name

    for now in (datetime(2026, 1, 23, 18, 0, tzinfo=SHANGHAI),
                datetime(2026, 1, 25, 12, 0, tzinfo=SHANGHAI)):
        provider, _ = make_demo(now)
        items = await provider.fetch_news(WATCH, {})
        flashes = [item for item in items if item.source.startswith(("Market flash", "行情快讯"))]
        assert len(flashes) == 24
        for item in flashes:
            symbol = parse_symbol(item.symbols[0])
            local = item.published.astimezone(ZoneInfo("America/New_York")
                                              if symbol.market is Market.US else SHANGHAI)
            assert pause_name(symbol.market, local) is None, (item.title, local)
        a_shares = [item.published for item in flashes if item.symbols[0] != REMX.key]
        assert all(when <= datetime(2026, 1, 23, 15, 0, tzinfo=SHANGHAI) for when in a_shares)
        assert a_shares or now.weekday() == 6  # Sunday noon: New York's Friday is the latest
