"""Position arithmetic: exact decimals, per-currency weights and totals, no float noise."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from neodymium.config.settings import PositionSettings, PrivacySettings
from neodymium.providers.models import Quote
from neodymium.providers.positions import json_number, to_decimal, value_positions
from neodymium.providers.store import QuoteState, merge_quote
from neodymium.tui.positions_view import (
    COLUMNS,
    MASK,
    held_text,
    money_text,
    position_cells,
    positions_json,
)

NOW = datetime(2026, 8, 21, 2, 0, tzinfo=UTC)


def state(symbol: str, last: float | None, prev: float, currency: str = "CNY",
          name: str = "x") -> QuoteState:
    quote = Quote(symbol, NOW, "t", name=name, last=last, prev_close=prev, currency=currency)
    return merge_quote(None, quote, NOW)


def position(symbol: str, shares: str, cost: str, fees: str = "0") -> PositionSettings:
    return PositionSettings.model_validate(
        {"symbol": symbol, "shares": Decimal(shares), "cost": Decimal(cost),
         "fees": Decimal(fees)})


QUOTES = {
    "600111.SS": state("600111.SS", 50.46, 49.88, name="北方稀土"),
    "159713.SZ": state("159713.SZ", 1.163, 1.148),
    "REMX": state("REMX", 60.82, 60.47, currency="USD"),
}
HELD = [position("600111.SS", "1000", "41.235", "5"), position("159713.SZ", "20000", "1.05"),
        position("REMX", "10", "45.5")]


def test_figures_by_hand() -> None:
    rows, totals = value_positions(HELD, QUOTES)
    nd, etf, remx = rows
    # 1000 × 50.46 = 50460; cost 1000 × 41.235 + 5 = 41240; day 1000 × (50.46 − 49.88) = 580.
    assert (nd.market_value, nd.cost_basis, nd.day_pnl, nd.total_pnl) == (
        Decimal("50460.00"), Decimal("41240.00"), Decimal("580.00"), Decimal("9220.00"))
    assert nd.day_pnl_pct == Decimal("1.16")  # 0.58 / 49.88 = 1.1628%
    assert nd.total_pnl_pct == Decimal("22.36")  # 9220 / 41240 = 22.357%
    assert (etf.market_value, etf.day_pnl, etf.total_pnl) == (
        Decimal("23260.00"), Decimal("300.00"), Decimal("2260.00"))
    # Weights within CNY: 50460 / 73720 and 23260 / 73720; REMX alone in USD.
    assert (nd.weight_pct, etf.weight_pct, remx.weight_pct) == (
        Decimal("68.45"), Decimal("31.55"), Decimal("100.00"))
    cny, usd = totals
    assert (cny.currency, cny.market_value, cny.day_pnl, cny.total_pnl) == (
        "CNY", Decimal("73720.00"), Decimal("880.00"), Decimal("11480.00"))
    assert cny.day_pnl_pct == Decimal("1.21")  # 880 / (73720 − 880)
    assert cny.total_pnl_pct == Decimal("18.44")  # 11480 / 62240 = 18.4447%
    assert (usd.currency, usd.market_value, usd.total_pnl) == (
        "USD", Decimal("608.20"), Decimal("153.20"))


def test_no_float_noise() -> None:
    # In floats 3 × 0.1 = 0.30000000000000004 and 0.3 − 0.1 = 0.19999999999999998.
    rows, totals = value_positions([position("600111.SS", "3", "0.1")],
                                   {"600111.SS": state("600111.SS", 0.3, 0.1)})
    (row,) = rows
    assert row.market_value == Decimal("0.90") and row.day_pnl == Decimal("0.60")
    text = json.dumps(positions_json(rows, totals, private=False))
    assert "0000000" not in text and "9999999" not in text
    assert to_decimal(50.46) == Decimal("50.46")
    assert json_number(Decimal("1234.50")) == 1234.5 and json_number(Decimal("21.00")) == 21


def test_unpriced_and_pre_open_zero_are_left_out_of_sums() -> None:
    rows, totals = value_positions(
        [position("600111.SS", "100", "40"), position("159713.SZ", "100", "1")],
        {"600111.SS": state("600111.SS", 50.0, 49.0), "159713.SZ": state("159713.SZ", 0.0, 1.1)})
    assert rows[1].market_value is None and rows[1].weight_pct is None
    assert rows[0].weight_pct == Decimal("100.00")
    assert totals[0].unpriced == 1 and totals[0].market_value == Decimal("5000.00")


def test_units_and_signs() -> None:
    rows, _ = value_positions(HELD, QUOTES)
    assert [held_text(r) for r in rows] == ["10手", "200手", "10 sh"]
    assert money_text(Decimal("-1234.5"), "CNY", signed=True) == "-1,234.50元"
    assert money_text(Decimal("608.2"), "USD") == "USD 608.20"
    odd = value_positions([position("600111.SS", "150", "1")], QUOTES)[0][0]
    assert held_text(odd) == "1.5手"


def test_colour_convention_and_private_cells() -> None:
    rows, _ = value_positions(HELD, QUOTES)
    day = COLUMNS.index("Day P&L")
    cells = position_cells(rows[0], "cn", False, PrivacySettings())
    assert cells[day].plain == "+580.00元" and cells[day].style == "red"  # cn: red is up
    assert position_cells(rows[0], "us", False, PrivacySettings())[day].style == "green"
    masked = position_cells(rows[0], "cn", True, PrivacySettings(codes=True, colors=False))
    plain = [c.plain for c in masked]
    assert plain[1] == "600111" and "北方稀土" not in plain
    assert plain.count(MASK) == 7 and all(not c.style for c in masked)


def test_private_json_withholds_every_held_figure() -> None:
    rows, totals = value_positions(HELD, QUOTES)
    document = positions_json(rows, totals, private=True)
    text = json.dumps(document, ensure_ascii=False)
    for secret in ("50460", "41240", "9220", "580", "68.45", "73720", "11480", "41.235"):
        assert secret not in text
    assert document["private"] is True and "withheld" in str(document["masked"])


def test_lots_are_the_exchanges_hands() -> None:
    quotes = {**QUOTES, "900901.SS": state("900901.SS", 0.838, 0.832, currency="USD")}
    held = [position("600111.SS", "1000", "41.235"), position("900901.SS", "5000", "0.80"),
            position("REMX", "10", "45.5")]
    rows, _ = value_positions(held, quotes)
    assert [row.lots for row in rows] == [Decimal(10), Decimal(5), None]  # SSE B: 1000 a 手
