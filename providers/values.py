"""Turning upstream numbers into contract values: what zero, negative and missing mean."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from neodymium.providers.errors import BadPayload
from neodymium.providers.markets import B_SHARES
from neodymium.providers.symbols import Board, Symbol

#: How upstreams spell "no value" in a numeric field.
MISSING = frozenset({"", "-", "--"})


def number(raw: object, what: str, *, source: str) -> Decimal | None:
    """A numeric field (text or a JSON number) as a Decimal; blank, ``-`` or absent is missing.

    Anything else (a word, a boolean, an object, infinity) means the format changed: BadPayload.
    """
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise BadPayload(source, f"{what} is not a number", json.dumps(raw, ensure_ascii=False))
    text = str(raw).strip()
    if text in MISSING:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise BadPayload(source, f"{what} is not a number", text) from None
    if not value.is_finite():
        raise BadPayload(source, f"{what} is not a finite number", text)
    return value


def positive(value: Decimal | None, scale: Decimal | int = 1) -> float | None:
    """A price-like value; zero or below means "none" (pre-open, suspended)."""
    if value is None or value <= 0:
        return None
    return float(value * scale)


def quantity(value: Decimal | None, scale: Decimal | int = 1) -> float | None:
    """A volume or amount scaled to base units; zero is a real zero (nothing traded yet)."""
    if value is None or value < 0:
        return None
    return float(value * scale)


def ratio(value: Decimal | None) -> float | None:
    """A P/E ratio: negative is real (a loss), exactly zero means not meaningful."""
    if value is None or value == 0:
        return None
    return float(value)


def default_currency(symbol: Symbol) -> str:
    """The trading currency when the source does not say: Shanghai B shares trade in USD,
    Shenzhen B shares in HKD, everything else listed in China in CNY."""
    if symbol.board is Board.B_SHARE and symbol.exchange in B_SHARES:
        return B_SHARES[symbol.exchange][0]
    return "CNY"
