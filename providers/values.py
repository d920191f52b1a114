"""Turning upstream numbers into contract values: what zero, negative and missing mean."""

from __future__ import annotations

from decimal import Decimal

from providers.symbols import Board, Exchange, Symbol


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
    if symbol.board is Board.B_SHARE:
        return "USD" if symbol.exchange is Exchange.SS else "HKD"
    return "CNY"
