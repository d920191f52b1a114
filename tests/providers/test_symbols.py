"""Canonical symbols and each source's spelling, on the cases the research lists."""

from __future__ import annotations

import pytest
from neodymium.config.symbol_text import beijing_successor
from neodymium.providers.eastmoney_fields import to_eastmoney_secid
from neodymium.providers.errors import unserved_reason
from neodymium.providers.symbols import Board, Exchange, Market, SymbolError, parse_symbol
from neodymium.providers.tencent_parse import to_tencent
from neodymium.providers.yahoo import to_yahoo


@pytest.mark.parametrize(
    ("raw", "key", "exchange", "board", "tencent", "secid"),
    [
        ("600111.SS", "600111.SS", Exchange.SS, Board.MAIN, "sh600111", "1.600111"),
        ("600111.sh", "600111.SS", Exchange.SS, Board.MAIN, "sh600111", "1.600111"),
        ("sh600111", "600111.SS", Exchange.SS, Board.MAIN, "sh600111", "1.600111"),
        ("600111", "600111.SS", Exchange.SS, Board.MAIN, "sh600111", "1.600111"),
        # Shanghai ETFs start with 5: never "not 6 means Shenzhen".
        ("516780", "516780.SS", Exchange.SS, Board.FUND, "sh516780", "1.516780"),
        ("562800.SS", "562800.SS", Exchange.SS, Board.FUND, "sh562800", "1.562800"),
        ("512400.SS", "512400.SS", Exchange.SS, Board.FUND, "sh512400", "1.512400"),
        ("159713.SZ", "159713.SZ", Exchange.SZ, Board.FUND, "sz159713", "0.159713"),
        ("159713", "159713.SZ", Exchange.SZ, Board.FUND, "sz159713", "0.159713"),
        ("688981.SS", "688981.SS", Exchange.SS, Board.STAR, "sh688981", "1.688981"),
        ("300750.SZ", "300750.SZ", Exchange.SZ, Board.CHINEXT, "sz300750", "0.300750"),
        ("430047", "430047.BJ", Exchange.BJ, Board.BSE, "bj430047", "0.430047"),
        # 000001 is Ping An Bank as a stock but the SSE Composite as an index.
        ("000001", "000001.SZ", Exchange.SZ, Board.MAIN, "sz000001", "0.000001"),
        ("000001.SS", "000001.SS", Exchange.SS, Board.INDEX, "sh000001", "1.000001"),
        ("sh000001", "000001.SS", Exchange.SS, Board.INDEX, "sh000001", "1.000001"),
    ],
)
def test_a_share_mapping(raw, key, exchange, board, tencent, secid) -> None:
    symbol = parse_symbol(raw)
    assert (symbol.key, symbol.exchange, symbol.board) == (key, exchange, board)
    assert symbol.market is Market.CN
    assert to_tencent(symbol) == tencent
    assert to_eastmoney_secid(symbol) == secid


def test_us_ticker() -> None:
    remx = parse_symbol("remx")
    assert remx.key == "REMX" and remx.market is Market.US
    assert to_yahoo(remx) == "REMX"
    with pytest.raises(SymbolError):
        to_tencent(remx)


def test_yahoo_spelling_keeps_suffix_and_refuses_beijing() -> None:
    assert to_yahoo(parse_symbol("159713")) == "159713.SZ"
    with pytest.raises(SymbolError):
        to_yahoo(parse_symbol("430047"))


@pytest.mark.parametrize("raw", ["", "   ", "60011", "600111.XX", "hello world", "12345678"])
def test_rejects_non_symbols(raw: str) -> None:
    with pytest.raises(SymbolError):
        parse_symbol(raw)


@pytest.mark.parametrize(("raw", "exchange"), [("XYZ.SS", "Shanghai"), ("60011.sh", "Shanghai"),
                                               ("ABC.SZ", "Shenzhen"), ("4300.BJ", "Beijing")])
def test_mainland_suffix_needs_six_digits(raw: str, exchange: str) -> None:
    """A mainland suffix on anything but a six-digit code is a typo, not a US ticker."""
    with pytest.raises(SymbolError, match=f"a {exchange} code has six digits"):
        parse_symbol(raw)


def test_old_beijing_codes_point_to_their_920_successor() -> None:
    """The 2025 switch kept the last three digits (the exchange's pilot: 833819 → 920819,
    430489 → 920489); 920 codes and other exchanges have none."""
    assert beijing_successor("833819.BJ") == "920819.BJ"
    assert beijing_successor("430489.BJ") == "920489.BJ"
    assert beijing_successor("870299.BJ") == "920299.BJ"
    assert beijing_successor("920118.BJ") is None
    assert beijing_successor("430047.SZ") is None
    assert unserved_reason("430047.BJ", ["a: no", "b: no"]) == (
        "a: no; b: no (Beijing codes moved to 920xxx in 2025: try 920047.BJ)")
    assert unserved_reason("600111.SS", None) == "no configured quote provider serves this symbol"
