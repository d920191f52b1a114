"""Eastmoney's minute line: ``push2his…/api/qt/stock/trends2/get`` (one day or five).

Request as public clients make it (e.g. ``felixwu18/tool-devFiles``
workbase/backend/utils/fenshiQuery.js: ``fields1=f1…f13&fields2=f51…f58&ndays=5&iscr=0``).
``data`` carries ``preClose`` and ``trends``, rows of
``YYYY-MM-DD HH:MM,open,close,high,low,volume(lots),amount(CNY),average`` (the f51…f58 order;
akshare's minute function reads the same eight columns). Unknown secids answer ``data: null``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx
from neodymium.providers.eastmoney import HISTORY_HOST, REFERER, SHANGHAI, load_document
from neodymium.providers.eastmoney_fields import to_eastmoney_secid
from neodymium.providers.errors import BadPayload, SymbolNotFound
from neodymium.providers.intraday import Intraday, MinuteBar, minute_x
from neodymium.providers.symbols import Symbol
from neodymium.providers.transport import TransportLimits, bounded_send
from neodymium.providers.units import Feed, checked_volume_unit

SOURCE = "eastmoney"
TRENDS_PATH = "/api/qt/stock/trends2/get"


def build_trends_params(secid: str, days: int = 1) -> dict[str, str]:
    """Query parameters for ``days`` sessions (1 or up to 5)."""
    return {"secid": secid, "fields1": "f1,f2,f3,f4,f5,f6,f7,f8,f9,f10,f11,f12,f13",
            "fields2": "f51,f52,f53,f54,f55,f56,f57,f58", "iscr": "0", "ndays": str(days)}


def parse_trends(payload: bytes | str | Mapping[str, Any], symbol: Symbol) -> list[Intraday]:
    """One Intraday per session in the answer, oldest first."""
    data = load_document(payload, source=SOURCE).get("data")
    if data is None:
        raise SymbolNotFound(SOURCE, symbol.key, f"Eastmoney has no minute line for {symbol}")
    if not isinstance(data, Mapping) or not isinstance(data.get("trends", []), list):
        raise BadPayload(SOURCE, "trends2 data is not an object with a trends list")
    prev = _number(data.get("preClose"))
    days: dict[date, list[_Row]] = {}
    for line in data.get("trends") or []:
        row = _row(line)
        if row is not None:
            days.setdefault(row.at.date(), []).append(row)
    sessions = []
    for day in sorted(days):  # preClose is the close before the first session shown; each
        bars = _bars(days[day], symbol)
        sessions.append(Intraday(symbol.key, day, SOURCE, prev, bars))
        prev = bars[-1].price  # later session's zero line is the one before's close
    return sessions


def _number(raw: object) -> float | None:
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


@dataclass(frozen=True, slots=True)
class _Row:
    at: datetime
    price: float
    volume: float  # in the upstream's unit
    amount: float
    average: float


def _bars(rows: list[_Row], symbol: Symbol) -> tuple[MinuteBar, ...]:
    """A session's bars in shares: the table's unit, checked against the session's own sums
    (Σ amount ÷ Σ volume is the day's average, the last row's average column)."""
    volume = sum(row.volume for row in rows if row.volume > 0)
    amount = sum(row.amount for row in rows if row.amount > 0)
    unit = checked_volume_unit(SOURCE, symbol.board, Feed.MINUTE, Decimal(repr(volume)),
                               Decimal(repr(amount)), Decimal(repr(rows[-1].average)))
    return tuple(MinuteBar(at=row.at, price=row.price,
                           volume=row.volume * unit if row.volume >= 0 else None,
                           avg_price=row.average if row.average > 0 else None) for row in rows)


def _row(line: object) -> _Row | None:
    if not isinstance(line, str):
        return None
    parts = line.split(",")
    if len(parts) < 8:
        return None
    try:
        at = datetime.strptime(parts[0].strip(), "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
        price, volume, amount, average = (float(parts[i]) for i in (2, 5, 6, 7))
    except ValueError:
        return None
    if minute_x(at.time()) is None or price <= 0:
        return None
    return _Row(at, price, volume, amount, average)


async def fetch_trends(client: httpx.AsyncClient, symbol: Symbol, days: int = 1,
                       base_url: str | None = None, timeout: float = 5.0) -> list[Intraday]:
    """The last ``days`` sessions' minute lines (A-shares)."""
    request = httpx.Request("GET", f"{(base_url or HISTORY_HOST).rstrip('/')}{TRENDS_PATH}",
                            params=build_trends_params(to_eastmoney_secid(symbol), days),
                            headers={"Referer": REFERER})
    response = await bounded_send(client, SOURCE, request, TransportLimits(timeout=timeout))
    return parse_trends(response.content, symbol)
