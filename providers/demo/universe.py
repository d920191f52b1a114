"""The demo's universe: its hand-made profiles (data.KNOWN), then every instrument of the shipped
symbol list (providers/data/symbols.json) with a profile derived from its code.

A derived profile is deterministic (a hash of the key, never the seed): the same code has the
same price level, volatility and volume in every run. Funds quote 3 decimals, stocks 2; the
daily limit is the board's (limits.limit_ratio); beta and volatility are moderate, so the
instrument moves with the rare-earth factor without swamping it. Anything else is outside the
universe: the demo never invents an instrument it cannot name.
"""

from __future__ import annotations

from functools import cache

from neodymium.providers.demo.data import KNOWN, Profile
from neodymium.providers.demo.seeded import unit
from neodymium.providers.limits import limit_ratio
from neodymium.providers.markets import Market, market_info
from neodymium.providers.symbol_index import shipped_rows
from neodymium.providers.symbols import Symbol, SymbolError, parse_symbol


def derived_profile(symbol: Symbol, name: str) -> Profile:
    """A plausible, stable profile for ``symbol`` from its key alone."""
    def draw(what: str) -> float:
        return unit("demo-profile", symbol.key, what)

    fund = symbol.is_fund
    if fund:
        level, vol, volume = 0.6 + 3.9 * draw("level"), 0.012 + 0.010 * draw("vol"), 1e8
    else:
        # Skewed towards the many single- and low-double-digit prices of A-shares.
        level = 4.0 + 76.0 * draw("level") ** 2
        vol, volume = 0.018 + 0.017 * draw("vol"), 2e7
    ratio = limit_ratio(symbol, name=name)
    return Profile(
        name=name, level=round(level, 3 if fund else 2), decimals=3 if fund else 2,
        currency=market_info(symbol.market).currency, beta=round(0.25 + 0.40 * draw("beta"), 2),
        daily_vol=round(vol, 4), avg_volume=volume * (0.3 + 2.7 * draw("volume")),
        limit_pct=float(ratio) if ratio is not None else None, is_index=symbol.is_index,
    )


@cache
def _shipped() -> dict[str, tuple[Symbol, str]]:
    """The shipped list's instruments by key (read on first use: not needed for the first
    frame of the default watchlist, which KNOWN covers)."""
    found: dict[str, tuple[Symbol, str]] = {}
    for raw, name, _kind in shipped_rows():
        try:
            symbol = parse_symbol(raw)
        except SymbolError:
            continue
        found.setdefault(symbol.key, (symbol, name))
    return found


@cache
def _derived(key: str) -> Profile | None:
    entry = _shipped().get(key)
    return derived_profile(*entry) if entry is not None else None


def lookup(key: str) -> Profile | None:
    """The demo's profile of ``key``, or None outside its universe."""
    return KNOWN.get(key) or _derived(key)


def universe() -> tuple[str, ...]:
    """Every key the demo simulates: KNOWN first, then the shipped list in its order."""
    return tuple(dict.fromkeys([*KNOWN, *_shipped()]))


def a_share_watchlist(first: list[str], count: int) -> list[str]:
    """``first``, then the universe's A-share stocks and funds not already in it, ``count``
    symbols in all: a watchlist whose every row moves during Shanghai hours (benchmarks and
    tests of a 60-symbol watchlist use it)."""
    keys = list(dict.fromkeys(first))
    for key in universe():
        if len(keys) >= count:
            break
        symbol = parse_symbol(key)
        if key not in keys and symbol.market is Market.CN and not symbol.is_index:
            keys.append(key)
    if len(keys) < count:
        raise ValueError(f"the demo knows only {len(keys)} A-share instruments, not {count}")
    return keys[:count]
