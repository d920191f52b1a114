"""Positions as table cells, a totals line and JSON; masked in private mode.

A-shares show their size in 手 and money in 元; other markets in shares and their currency.
Exact decimals in, exact text out: money with two places and thousands separators.
Private mode replaces every figure that tells what the user holds (size, cost, value, P&L,
weight) with ``MASK``; names can become codes and colours can go (``[privacy]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from neodymium.config.settings import PrivacySettings
from neodymium.providers.positions import PositionRow, Totals, json_number
from neodymium.providers.symbols import parse_symbol
from neodymium.providers.text import clean_text
from neodymium.tui import formatting as fmt
from rich.text import Text

MASK = "•••••"
#: Terminal cells a name may take (CJK characters count two).
NAME_CELLS = 12
#: A broker's order (市值, 浮动盈亏, 盈亏比例, then 当日盈亏): at 80 columns, where the last
#: columns need scrolling, the position's whole P&L is on screen before the day's.
COLUMNS = ("Symbol", "Name", "Held", "Cost", "Last", "Value", "Total P&L", "Total %",
           "Day P&L", "Day %", "Weight")
NUMERIC_COLUMNS = COLUMNS[2:]
#: Columns whose figures private mode hides.
MASKED_COLUMNS = frozenset({"Held", "Cost", "Value", "Day P&L", "Total P&L", "Total %",
                            "Weight"})
#: JSON fields private mode sets to null.
MASKED_FIELDS = ("shares", "lots", "cost", "fees", "cost_basis", "market_value", "day_pnl",
                 "total_pnl", "total_pnl_pct", "weight_pct")


def money_text(value: Decimal | None, currency: str, *, signed: bool = False) -> str:
    """``50,460.00元`` for CNY, ``USD 608.20`` otherwise; "—" when missing."""
    if value is None:
        return fmt.MISSING
    text = f"{value:+,.2f}" if signed else f"{value:,.2f}"
    return f"{text}元" if currency == "CNY" else f"{currency} {text}"


def held_text(row: PositionRow) -> str:
    """``10手`` (or ``10.5手``) for A-shares, ``1,200 sh`` elsewhere."""
    lots = row.lots
    if lots is not None:
        return f"{lots.normalize():,f}手"
    return f"{row.shares.normalize():,f} sh"


def cost_text(row: PositionRow) -> str:
    """The cost per share as entered, with at least the market's price decimals (``38.50``
    beside a last of ``51.62``; ``41.235`` keeps its third)."""
    exponent = row.cost.normalize().as_tuple().exponent
    own = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    decimals = max(fmt.price_decimals(parse_symbol(row.symbol)), min(own, 4))
    return f"{row.cost:,.{decimals}f}"


def pct_text(value: Decimal | None) -> str:
    """``+1.16%``, or "—"."""
    return fmt.MISSING if value is None else f"{value:+.2f}%"


def _style(value: Decimal | None, colors: fmt.Convention, plain: bool) -> str:
    if plain or value is None:
        return ""
    return fmt.direction_style(float(value), colors)


def display_name(row: PositionRow, private: bool, privacy: PrivacySettings) -> str:
    """The name, or the code in private mode when ``[privacy].codes`` asks for it."""
    if private and privacy.codes:
        return row.symbol.split(".")[0]
    return clean_text(row.name) if row.name else fmt.MISSING


def position_cells(row: PositionRow, colors: fmt.Convention, private: bool,
                   privacy: PrivacySettings) -> list[Text]:
    """One table row."""
    plain = private and not privacy.colors
    day_style = _style(row.day_pnl, colors, plain)
    total_style = _style(row.total_pnl, colors, plain)
    cells = {
        "Symbol": Text(row.symbol),
        "Name": Text(fmt.fit(display_name(row, private, privacy), NAME_CELLS).rstrip()),
        "Held": Text(held_text(row)),
        "Cost": Text(cost_text(row)),
        "Last": Text(fmt.MISSING if row.last is None else
                     fmt.fmt_price(float(row.last), fmt.price_decimals(parse_symbol(row.symbol)))),
        "Value": Text(money_text(row.market_value, row.currency)),
        "Day P&L": Text(money_text(row.day_pnl, row.currency, signed=True), style=day_style),
        "Day %": Text(pct_text(row.day_pnl_pct), style=day_style),
        "Total P&L": Text(money_text(row.total_pnl, row.currency, signed=True),
                          style=total_style),
        "Total %": Text(pct_text(row.total_pnl_pct), style=total_style),
        "Weight": Text(fmt.MISSING if row.weight_pct is None else f"{row.weight_pct:.2f}%"),
    }
    if private:
        for column in MASKED_COLUMNS:
            cells[column] = Text(MASK)
    for column in NUMERIC_COLUMNS:
        cells[column].justify = "right"
    return [cells[column] for column in COLUMNS]


def totals_text(totals: Sequence[Totals], colors: fmt.Convention, private: bool,
                privacy: PrivacySettings) -> Text:
    """``Total CNY · value 73,720.00元 · day +880.00元 (+1.21%) · P&L +11,480.00元 (+18.45%)``."""
    text = Text()
    if private:
        text.append("PRIVATE · position figures masked", style="bold")
        return text
    plain = private and not privacy.colors
    for index, total in enumerate(totals):
        if index:
            text.append("\n")
        text.append(f"Total {total.currency}", style="bold")
        text.append(f" · value {money_text(total.market_value, total.currency)} · day ")
        text.append(f"{money_text(total.day_pnl, total.currency, signed=True)} "
                    f"({pct_text(total.day_pnl_pct)})", style=_style(total.day_pnl, colors, plain))
        text.append(" · P&L ")
        text.append(f"{money_text(total.total_pnl, total.currency, signed=True)} "
                    f"({pct_text(total.total_pnl_pct)})",
                    style=_style(total.total_pnl, colors, plain))
        if total.unpriced:
            text.append(f" · {total.unpriced} without a price yet", style="dim")
    return text


def positions_json(rows: Sequence[PositionRow], totals: Sequence[Totals],
                   private: bool) -> dict[str, object]:
    """The ``positions --json`` document; private mode nulls every held figure and says so."""
    records = []
    for row in rows:
        record: dict[str, object] = {
            "symbol": row.symbol, "name": clean_text(row.name) if row.name else None,
            "currency": row.currency, "shares": json_number(row.shares),
            "lots": json_number(row.lots), "cost": json_number(row.cost),
            "fees": json_number(row.fees), "last": json_number(row.last),
            "prev_close": json_number(row.prev_close), "cost_basis": json_number(row.cost_basis),
            "market_value": json_number(row.market_value), "day_pnl": json_number(row.day_pnl),
            "day_pnl_pct": json_number(row.day_pnl_pct),
            "total_pnl": json_number(row.total_pnl),
            "total_pnl_pct": json_number(row.total_pnl_pct),
            "weight_pct": json_number(row.weight_pct),
        }
        if private:
            record.update(dict.fromkeys(MASKED_FIELDS))
        records.append(record)
    summary = [{
        "currency": t.currency, "market_value": json_number(t.market_value),
        "cost_basis": json_number(t.cost_basis), "day_pnl": json_number(t.day_pnl),
        "day_pnl_pct": json_number(t.day_pnl_pct), "total_pnl": json_number(t.total_pnl),
        "total_pnl_pct": json_number(t.total_pnl_pct), "unpriced": t.unpriced,
    } for t in totals]
    if private:
        summary = [{"currency": t["currency"], "masked": True} for t in summary]
    document: dict[str, object] = {"positions": records, "totals": summary, "private": private}
    if private:
        document["masked"] = "private mode: sizes, costs, values, P&L and weights withheld"
    return document
