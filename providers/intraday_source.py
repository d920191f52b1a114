"""Which source the minute line comes from: the demo when quotes are simulated, else Tencent's
minute query, then Eastmoney's trends2 (each at its configured base URL)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

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


async def fetch_intraday(settings: Settings, client: httpx.AsyncClient,
                         providers: Mapping[str, Provider], symbol: Symbol,
                         now: datetime) -> Intraday:
    """Today's minute line of an A-share; raises the last failure when every source failed."""
    if symbol.market is not Market.CN:
        raise ValueError(f"{symbol.key}: the minute line is drawn for A-shares")
    demo = providers.get("demo")
    if isinstance(demo, DemoProvider) and "demo" in settings.quotes.providers:
        return demo_minutes(demo, symbol, now)
    failure: Exception | None = None
    for name in ("tencent", "eastmoney"):
        options = settings.providers.get(name)
        base = options.base_url if options else None
        timeout = options.timeout if options else 5.0
        try:
            if name == "tencent":
                return await fetch_minutes(client, symbol, base, timeout)
            sessions = await fetch_trends(client, symbol, 1, base, timeout)
            if sessions:
                return sessions[-1]
        except (httpx.HTTPError, ProviderError) as exc:
            failure = exc
    raise failure or ValueError(f"no minute line for {symbol.key}")


async def fetch_intraday_days(settings: Settings, client: httpx.AsyncClient,
                              providers: Mapping[str, Provider], symbol: Symbol,
                              now: datetime, days: int = 5) -> list[Intraday]:
    """The last ``days`` sessions (五日), oldest first, from the same chain of sources."""
    if symbol.market is not Market.CN:
        raise ValueError(f"{symbol.key}: the minute line is drawn for A-shares")
    demo = providers.get("demo")
    if isinstance(demo, DemoProvider) and "demo" in settings.quotes.providers:
        return demo_days(demo, symbol, now, days)
    failure: Exception | None = None
    for name in ("tencent", "eastmoney"):
        options = settings.providers.get(name)
        base = options.base_url if options else None
        timeout = options.timeout if options else 5.0
        try:
            sessions = (await fetch_five_days(client, symbol, base, timeout) if name == "tencent"
                        else await fetch_trends(client, symbol, days, base, timeout))
            if sessions:
                return sessions[-days:]
        except (httpx.HTTPError, ProviderError) as exc:
            failure = exc
    raise failure or ValueError(f"no minute lines for {symbol.key}")
