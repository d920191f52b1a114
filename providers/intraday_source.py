"""Which source the minute line comes from: the demo when quotes are simulated, else Tencent's
minute query, then Eastmoney's trends2 (each at its configured base URL)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import TypeVar

import httpx
from neodymium.config.settings import Settings
from neodymium.providers.base import Provider
from neodymium.providers.demo import DemoProvider
from neodymium.providers.demo.minute import demo_days, demo_minutes
from neodymium.providers.eastmoney_trends import fetch_trends
from neodymium.providers.errors import ProviderError
from neodymium.providers.intraday import Intraday
from neodymium.providers.symbols import Market, Symbol
from neodymium.providers.tencent_minute import fetch_five_days, fetch_minutes

T = TypeVar("T")
#: A source's call given its configured base URL (None: the default) and timeout.
SourceCall = Callable[[str | None, float], Awaitable[T | None]]


def _demo(settings: Settings, providers: Mapping[str, Provider],
          symbol: Symbol) -> DemoProvider | None:
    """The demo provider when quotes are simulated; ValueError for a symbol off the A-shares."""
    if symbol.market is not Market.CN:
        raise ValueError(f"{symbol.key}: the minute line is drawn for A-shares")
    demo = providers.get("demo")
    return demo if isinstance(demo, DemoProvider) and "demo" in settings.quotes.providers else None


async def _first_answer(settings: Settings, symbol: Symbol, what: str,
                        sources: Mapping[str, SourceCall[T]]) -> T:
    """The first source's answer, in order; raises the last failure when none answered."""
    failure: Exception | None = None
    for name, call in sources.items():
        options = settings.providers.get(name)
        try:
            got = await call(options.base_url if options else None,
                             options.timeout if options else 5.0)
        except ProviderError as exc:
            failure = exc
            continue
        if got is not None:
            return got
    raise failure or ValueError(f"no {what} for {symbol.key}")


async def fetch_intraday(settings: Settings, client: httpx.AsyncClient,
                         providers: Mapping[str, Provider], symbol: Symbol,
                         now: datetime) -> Intraday:
    """Today's minute line of an A-share; raises the last failure when every source failed."""
    demo = _demo(settings, providers, symbol)
    if demo is not None:
        return demo_minutes(demo, symbol, now)

    async def tencent(base: str | None, timeout: float) -> Intraday | None:
        return await fetch_minutes(client, symbol, base, timeout)

    async def eastmoney(base: str | None, timeout: float) -> Intraday | None:
        sessions = await fetch_trends(client, symbol, 1, base, timeout)
        return sessions[-1] if sessions else None

    return await _first_answer(settings, symbol, "minute line",
                               {"tencent": tencent, "eastmoney": eastmoney})


async def fetch_intraday_days(settings: Settings, client: httpx.AsyncClient,
                              providers: Mapping[str, Provider], symbol: Symbol,
                              now: datetime, days: int = 5) -> list[Intraday]:
    """The last ``days`` sessions (五日), oldest first, from the same chain of sources."""
    demo = _demo(settings, providers, symbol)
    if demo is not None:
        return demo_days(demo, symbol, now, days)

    async def tencent(base: str | None, timeout: float) -> list[Intraday] | None:
        return (await fetch_five_days(client, symbol, base, timeout))[-days:] or None

    async def eastmoney(base: str | None, timeout: float) -> list[Intraday] | None:
        return (await fetch_trends(client, symbol, days, base, timeout))[-days:] or None

    return await _first_answer(settings, symbol, "minute lines",
                               {"tencent": tencent, "eastmoney": eastmoney})
