"""Market records, the units table audited against the payloads' own cross-checks, currencies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from neodymium.providers.markets import (
    EXCHANGE_MARKET,
    MARKETS,
    Board,
    Market,
    Phase,
    normalise_currency,
)
from neodymium.providers.symbols import parse_symbol
from neodymium.providers.units import implied_volume_unit, units_for
from neodymium.tui.formatting import fmt_money

from tests.fakeupstream.routes_sina import RECORDED_QUOTES as SINA_LINES
from tests.fakeupstream.routes_tencent import RECORDED_QUOTES as TENCENT_LINES

_LAST, _VOLUME, _OUTER, _INNER, _PRICE_VOLUME_AMOUNT, _AVERAGE = 3, 6, 7, 8, 35, 51


@pytest.mark.parametrize("code", ["sh688256", "sz300308", "sh600111", "sz159713", "sh516780",
                                  "bj920118", "sh000001", "sh510050"])
def test_tencent_units_table_matches_the_payloads_cross_checks(code: str) -> None:
    fields = TENCENT_LINES[code].split("~")
    volume = Decimal(fields[_VOLUME])
    board = parse_symbol(code).board
    if board is not Board.INDEX:  # indexes have no outer/inner split
        assert Decimal(fields[_OUTER]) + Decimal(fields[_INNER]) == volume
    amount = Decimal(fields[_PRICE_VOLUME_AMOUNT].split("/")[2])
    if board is Board.INDEX:
        # An index level is no share price, so the payload cannot check itself (the runtime
        # check stays out of the way); ÷ 100 gives a plausible average A-share price.
        assert implied_volume_unit(volume, amount, Decimal(fields[_LAST])) is None
        assert 5 < amount / (volume * units_for("tencent", board).volume) < 50
    else:
        # The average price [51] where the line has it; else the last price (close to it).
        has_average = len(fields) > _AVERAGE and fields[_AVERAGE]
        reference = Decimal(fields[_AVERAGE] if has_average else fields[_LAST])
        assert implied_volume_unit(volume, amount, reference) == units_for("tencent", board).volume
    assert units_for("tencent", board).volume == (1 if board is Board.STAR else 100)


def test_sina_units_are_shares_on_every_board() -> None:
    fields = SINA_LINES["sh688256"].split(",")
    assert units_for("sina", Board.STAR).volume == units_for("sina", Board.MAIN).volume == 1
    # Sina and Tencent agree on 688256 once both are in shares and CNY.
    tencent = TENCENT_LINES["sh688256"].split("~")
    assert Decimal(fields[8]) == Decimal(tencent[_VOLUME]) * units_for("tencent", Board.STAR).volume
    assert Decimal(fields[9]) == Decimal(tencent[_PRICE_VOLUME_AMOUNT].split("/")[2])


def test_implied_unit_refuses_to_guess() -> None:
    assert implied_volume_unit(Decimal(100), Decimal(5_000), Decimal(20)) is None  # ×2.5: neither
    assert implied_volume_unit(Decimal(0), Decimal(5_000), Decimal(20)) is None
    assert implied_volume_unit(None, Decimal(5_000), Decimal(20)) is None


def test_every_exchange_belongs_to_one_market_with_a_session_plan() -> None:
    for market, info in MARKETS.items():
        assert info.market is market
        assert all(EXCHANGE_MARKET[exchange] is market for exchange in info.exchanges)
        assert set(info.exchange_names) == set(info.exchanges)
        assert Phase.CONTINUOUS in {phase for _, phase in info.plan}
        assert info.plan[-1][1] is Phase.CLOSED
    assert {parse_symbol(s).market for s in ("0700.HK", "VOD.L", "7203.T", "REMX", "600111")} == {
        Market.HK, Market.UK, Market.JP, Market.US, Market.CN}


@pytest.mark.parametrize(("raw", "expected"), [
    ("GBp", "GBp"), ("ZAc", "ZAc"), ("ILA", "ILA"), ("GBX", "GBX"), ("GBP", "GBP"),
    ("usd", "USD"), ("", None), (None, None), ("US1", None),
])
def test_minor_currency_units_are_never_upper_cased(raw: str | None,
                                                    expected: str | None) -> None:
    assert normalise_currency(raw) == expected


def test_money_in_pence_says_pence() -> None:
    assert fmt_money(1_200_000_000, "intl", "GBp") == "1.20B GBp"
    assert fmt_money(1_200_000_000, "intl", "GBP") == "1.20B GBP"
    assert fmt_money(1_200_000_000, "intl", "USD") == "$1.20B"
