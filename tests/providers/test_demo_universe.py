"""The demo's universe: its sample profiles, then every instrument of the shipped symbol list,
simulated from a profile derived from the code; anything else is refused."""

from __future__ import annotations

from datetime import datetime
from math import isclose

import httpx
import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.providers.demo import DemoProvider
from neodymium.providers.demo.data import KNOWN
from neodymium.providers.demo.instruments import SHANGHAI, profile_for
from neodymium.providers.demo.provider import DemoOptions
from neodymium.providers.demo.universe import a_share_watchlist, derived_profile, lookup, universe
from neodymium.providers.errors import SymbolNotFound
from neodymium.providers.markets import Market
from neodymium.providers.symbol_index import shipped_rows
from neodymium.providers.symbols import parse_symbol

FRIDAY_MORNING = datetime(2026, 1, 23, 10, 30, tzinfo=SHANGHAI)
DEFAULTS = ["600111.SS", "516780.SS", "159713.SZ", "562800.SS", "512400.SS", "REMX"]


def demo(at: datetime = FRIDAY_MORNING) -> tuple[DemoProvider, FrozenClock]:
    clock = FrozenClock(at)
    return DemoProvider(httpx.AsyncClient(), DemoOptions(seed=7), clock), clock


def test_the_sample_profiles_win_over_derived_ones() -> None:
    for key, profile in KNOWN.items():
        assert lookup(key) is profile
    assert profile_for(parse_symbol("600111.SS")).level == 50.46


def test_every_shipped_instrument_is_in_the_universe_with_its_shipped_name() -> None:
    keys = set(universe())
    for raw, name, _kind in shipped_rows():
        key = parse_symbol(raw).key
        assert key in keys
        profile = lookup(key)
        assert profile is not None
        assert profile.name == (KNOWN[key].name if key in KNOWN else name)
    assert len([k for k in keys if parse_symbol(k).market is Market.CN]) >= 60


def test_a_derived_profile_follows_the_instruments_type_and_board() -> None:
    fund = profile_for(parse_symbol("510300.SS"))
    stock = profile_for(parse_symbol("600519.SS"))
    chinext = profile_for(parse_symbol("300653.SZ"))
    star_fund = profile_for(parse_symbol("588000.SS"))
    us = profile_for(parse_symbol("MP"))
    assert (fund.decimals, fund.limit_pct, fund.currency) == (3, 0.10, "CNY")
    assert (stock.decimals, stock.limit_pct) == (2, 0.10)
    assert (chinext.limit_pct, star_fund.limit_pct) == (0.20, 0.20)
    assert (us.limit_pct, us.currency) == (None, "USD")
    for profile in (fund, stock, chinext, star_fund, us):
        assert 0.25 <= profile.beta <= 0.65 and 0.012 <= profile.daily_vol <= 0.035
        assert profile.level > 0 and profile.avg_volume > 0


def test_a_derived_profile_depends_on_the_code_alone() -> None:
    symbol = parse_symbol("000977.SZ")
    assert derived_profile(symbol, "浪潮信息") == derived_profile(symbol, "浪潮信息")
    assert derived_profile(symbol, "x").level != derived_profile(parse_symbol("000988.SZ"),
                                                                 "x").level


async def test_sixty_a_share_rows_all_carry_moving_prices() -> None:
    keys = a_share_watchlist(DEFAULTS, 60)
    assert keys[:6] == DEFAULTS and len(set(keys)) == 60
    symbols = [parse_symbol(key) for key in keys]
    provider, clock = demo()
    first = await provider.fetch_quotes(symbols)
    assert dict(first.errors) == {} and set(first.quotes) == set(keys)
    for symbol in symbols:
        quote = first.quotes[symbol.key]
        assert quote.last is not None and quote.prev_close is not None
        assert quote.limit_up is not None or symbol.market is not Market.CN
        tick = profile_for(symbol).tick
        assert isclose(round(quote.last / tick) * tick, quote.last, abs_tol=tick / 10)
    clock.advance(60)
    later = await provider.fetch_quotes(symbols)
    moved = [key for key in keys if later.quotes[key].last != first.quotes[key].last]
    # Friday 10:00 in Shanghai is Thursday night in New York: REMX holds its close.
    assert "REMX" in keys and "REMX" not in moved
    assert len(moved) >= 45, moved


def test_a_watchlist_longer_than_the_universe_is_refused() -> None:
    with pytest.raises(ValueError, match="A-share instruments"):
        a_share_watchlist(DEFAULTS, 10_000)


async def test_a_typo_is_still_reported_and_skipped() -> None:
    provider, _ = demo()
    batch = await provider.fetch_quotes([parse_symbol("600111.SS"), parse_symbol("600112.SS")])
    assert set(batch.quotes) == {"600111.SS"}
    error = batch.errors["600112.SS"]
    assert isinstance(error, SymbolNotFound) and "not in the demo's universe" in str(error)
