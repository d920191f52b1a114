"""Eastmoney push2his daily klines (forward-adjusted, 前复权)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from neodymium.providers.eastmoney_fields import NAME, load_document
from neodymium.providers.errors import BadPayload, SymbolNotFound
from neodymium.providers.models import Bar
from neodymium.providers.symbols import Symbol
from neodymium.providers.units import LAST_PRICE_TOLERANCE, Feed, checked_volume_unit
from neodymium.providers.values import number, positive, quantity

KLINE_FIELDS1 = "f1,f2,f3,f4,f5,f6"
#: Date, open, close, high, low, volume (lots), amount, amplitude, change %, change, turnover.
KLINE_FIELDS2 = "f51,f52,f53,f54,f55,f56,f57,f58,f59,f60,f61"
DAILY_KLT = "101"
FORWARD_ADJUSTED = "1"
_MIN_KLINE_FIELDS = 7


def build_kline_params(secid: str, start: date, end: date) -> dict[str, str]:
    """Query parameters of a daily, forward-adjusted (前复权) kline request."""
    return {
        "secid": secid,
        "klt": DAILY_KLT,
        "fqt": FORWARD_ADJUSTED,
        "beg": start.strftime("%Y%m%d"),
        "end": end.strftime("%Y%m%d"),
        "fields1": KLINE_FIELDS1,
        "fields2": KLINE_FIELDS2,
    }


def parse_klines(
    payload: bytes | str | Mapping[str, Any], *, symbol: Symbol, source: str = NAME
) -> list[Bar]:
    """Daily bars of a kline answer, oldest first; volume in shares, amount in CNY.

    Each kline is ``date,open,close,high,low,volume,amount,…`` (close BEFORE high). A kline
    without a close is dropped; a malformed one is BadPayload; ``data: null`` (unknown secid) is
    SymbolNotFound; ``dktotal: 0, klines: []`` is an empty list.
    """
    data = _kline_data(payload, symbol, source)
    klines = data.get("klines")
    if klines is None:
        return []
    if not isinstance(klines, list):
        raise BadPayload(source, "klines is not a list", json.dumps(klines)[:200])
    bars: dict[date, Bar] = {}
    unit = _volume_unit(klines, symbol)
    for line in klines:
        bar = _kline_bar(line, symbol, unit, source)
        if bar is not None:
            bars[bar.day] = bar
    return [bars[day] for day in sorted(bars)]


def kline_total(payload: bytes | str | Mapping[str, Any], *, source: str = NAME) -> int | None:
    """``data.dktotal``: how many bars Eastmoney has for the security at all (None if absent)."""
    data = load_document(payload, source=source).get("data")
    if not isinstance(data, Mapping):
        return None
    total = number(data.get("dktotal"), "dktotal", source=source)
    return None if total is None else int(total)


def _kline_data(
    payload: bytes | str | Mapping[str, Any], symbol: Symbol, source: str
) -> Mapping[str, Any]:
    data = load_document(payload, source=source).get("data")
    if data is None:
        raise SymbolNotFound(source, symbol.key, f"Eastmoney has no klines for {symbol.key}")
    if not isinstance(data, Mapping):
        raise BadPayload(source, "kline data is not an object", json.dumps(data)[:200])
    return data


def _volume_unit(klines: list[object], symbol: Symbol) -> int:
    """The table's volume unit, checked on the newest kline: its amount ÷ volume is that day's
    average price, near the close (forward adjustment moves the close by far less than 10×)."""
    parts = str(klines[-1]).split(",") if klines else []
    volume = amount = close = None
    if len(parts) >= _MIN_KLINE_FIELDS:
        with contextlib.suppress(ArithmeticError):  # "-" or garbage: the table decides
            volume, amount, close = (Decimal(parts[i]) for i in (5, 6, 2))
    return checked_volume_unit(NAME, symbol.board, Feed.DAILY, volume, amount, close,
                               LAST_PRICE_TOLERANCE)


def _kline_bar(line: object, symbol: Symbol, unit: int, source: str) -> Bar | None:
    if not isinstance(line, str):
        raise BadPayload(source, f"{symbol.key}: kline is not a string", json.dumps(line)[:200])
    parts = line.split(",")
    if len(parts) < _MIN_KLINE_FIELDS:
        raise BadPayload(source, f"{symbol.key}: kline has {len(parts)} fields", line)
    try:
        day = date.fromisoformat(parts[0].strip())
    except ValueError:
        raise BadPayload(source, f"{symbol.key}: bad kline date", line) from None

    def num(index: int, what: str) -> Decimal | None:
        return number(parts[index], f"{symbol.key} {day} {what}", source=source)

    close = positive(num(2, "close"))
    if close is None:
        return None
    return Bar(
        symbol=symbol.key,
        day=day,
        open=positive(num(1, "open")),
        high=positive(num(3, "high")),
        low=positive(num(4, "low")),
        close=close,
        volume=quantity(num(5, "volume"), unit),
        amount=quantity(num(6, "amount")),
    )

