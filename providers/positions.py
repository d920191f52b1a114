"""Positions: market value, day and total P&L, weights, in exact decimal arithmetic.

Quote prices arrive as floats; each is read through its shortest repr (``Decimal("50.46")``,
never ``Decimal(50.46)``), so sums and products carry no binary noise. Money is rounded to
the cent and percentages to two places only at the end. Weights are shares of the total
market value within one currency: CNY and USD holdings are never added together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from neodymium.config.settings import PositionSettings
from neodymium.providers.markets import shares_per_hand
from neodymium.providers.store import QuoteState
from neodymium.providers.symbols import Market, parse_symbol

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def to_decimal(value: float | None) -> Decimal | None:
    """A float from a quote as the decimal it was written as; None for missing or non-finite."""
    if value is None:
        return None
    number = Decimal(repr(float(value)))
    return number if number.is_finite() else None


def money(value: Decimal) -> Decimal:
    """Rounded to the cent, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return money(part / whole * HUNDRED)


@dataclass(frozen=True, slots=True)
class PositionRow:
    """One holding valued at the latest quote (None where the quote lacks a price)."""

    symbol: str
    name: str | None
    currency: str
    shares: Decimal
    cost: Decimal
    fees: Decimal
    last: Decimal | None
    prev_close: Decimal | None
    cost_basis: Decimal
    market_value: Decimal | None
    day_pnl: Decimal | None
    day_pnl_pct: Decimal | None
    total_pnl: Decimal | None
    total_pnl_pct: Decimal | None
    weight_pct: Decimal | None = None

    @property
    def lots(self) -> Decimal | None:
        """Shares in 手 for A-shares (None elsewhere); an SSE B share's 手 is 1000 shares."""
        symbol = parse_symbol(self.symbol)
        if symbol.market is not Market.CN:
            return None
        return self.shares / shares_per_hand(symbol.board, symbol.exchange)


@dataclass(frozen=True, slots=True)
class Totals:
    """Sums over the holdings of one currency."""

    currency: str
    market_value: Decimal
    cost_basis: Decimal
    day_pnl: Decimal
    total_pnl: Decimal
    total_pnl_pct: Decimal | None
    day_pnl_pct: Decimal | None
    #: Holdings left out of the sums because they have no price yet.
    unpriced: int = 0


def value_position(position: PositionSettings, state: QuoteState | None) -> PositionRow:
    """Value one holding at its quote."""
    quote = state.quote if state is not None else None
    symbol = parse_symbol(position.symbol)
    currency = (quote.currency if quote and quote.currency else
                "CNY" if symbol.market is Market.CN else "USD")
    last = to_decimal(quote.last) if quote else None
    if last is not None and last <= 0:
        last = None  # a pre-open 0.00 is no price
    prev = to_decimal(quote.prev_close) if quote else None
    basis = position.shares * position.cost + position.fees
    value = day = day_pct = total = total_pct = None
    if last is not None:
        value = position.shares * last
        total = value - basis
        total_pct = _pct(total, basis)
        if prev is not None and prev > 0:
            day = position.shares * (last - prev)
            day_pct = _pct(last - prev, prev)
    return PositionRow(
        symbol=position.symbol, name=quote.name if quote else None, currency=currency,
        shares=position.shares, cost=position.cost, fees=position.fees, last=last,
        prev_close=prev, cost_basis=money(basis),
        market_value=None if value is None else money(value),
        day_pnl=None if day is None else money(day), day_pnl_pct=day_pct,
        total_pnl=None if total is None else money(total), total_pnl_pct=total_pct,
    )


def value_positions(positions: Sequence[PositionSettings],
                    quotes: Mapping[str, QuoteState]) -> tuple[list[PositionRow], list[Totals]]:
    """Every holding with its weight in its currency, and the totals per currency."""
    rows = [value_position(p, quotes.get(p.symbol)) for p in positions]
    totals: list[Totals] = []
    weighted: dict[int, PositionRow] = {}
    for currency in dict.fromkeys(row.currency for row in rows):
        group = [(i, row) for i, row in enumerate(rows) if row.currency == currency]
        priced = [(i, row) for i, row in group if row.market_value is not None]
        value = sum((row.market_value for _, row in priced if row.market_value), Decimal(0))
        basis = sum((row.cost_basis for _, row in priced), Decimal(0))
        day = sum((row.day_pnl for _, row in priced if row.day_pnl is not None), Decimal(0))
        yesterday = value - day
        for i, row in priced:
            assert row.market_value is not None
            weighted[i] = replace(row, weight_pct=_pct(row.market_value, value))
        totals.append(Totals(
            currency=currency, market_value=money(value), cost_basis=money(basis),
            day_pnl=money(day), total_pnl=money(value - basis),
            total_pnl_pct=_pct(value - basis, basis), day_pnl_pct=_pct(day, yesterday),
            unpriced=len(group) - len(priced),
        ))
    return [weighted.get(i, row) for i, row in enumerate(rows)], totals


def json_number(value: Decimal | None) -> int | float | None:
    """A rounded decimal as a JSON number with exactly its digits (50.46, never 50.4599…)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)  # repr of the float is the shortest text: the decimal's own digits
