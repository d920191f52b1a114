"""A-share price limits: ratios by board and date, half-up limit prices, status, upstream first."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from neodymium.providers import limits
from neodymium.providers.limits import (
    LimitStatus,
    effective_limits,
    is_st,
    limit_prices,
    limit_ratio,
    limit_status,
    price_tick,
)
from neodymium.providers.models import Quote, TradingStatus
from neodymium.providers.symbols import parse_symbol

BEFORE_ST_CHANGE = date(2026, 7, 3)
AFTER_ST_CHANGE = date(2026, 7, 6)


@pytest.mark.parametrize(
    ("key", "prev_close", "expected"),
    [
        # Tencent fields 47/48 and Eastmoney f51/f52 for 600111 on 2026-08-21: 54.87 / 44.89.
        ("600111.SS", 49.88, (54.87, 44.89)),
        # Tencent fields 47/48 for 159713 the same day: 1.263 / 1.033 (3-decimal fund tick).
        ("159713.SZ", 1.148, (1.263, 1.033)),
        ("516780.SS", 0.875, (0.963, 0.788)),  # 0.9625 and 0.7875 round half up
        ("688111.SS", 251.37, (301.64, 201.10)),  # STAR ±20%
        ("300750.SZ", 203.45, (244.14, 162.76)),  # ChiNext ±20%
        ("430047.BJ", 12.35, (16.06, 8.65)),  # Beijing ±30%: 16.055 → 16.06, 8.645 → 8.65
        ("000001.SZ", 11.11, (12.22, 10.00)),  # 12.221 / 9.999
        ("600000.SS", 10.05, (11.06, 9.05)),  # 11.055 → 11.06, 9.045 → 9.05 (float would fail)
        ("600000.SS", 2.45, (2.70, 2.21)),  # 2.695 → 2.70, 2.205 → 2.21
        ("600000.SS", 1.15, (1.27, 1.04)),  # 1.265 → 1.27, 1.035 → 1.04 (float: 1.26 / 1.03)
        ("600000.SS", 1.45, (1.60, 1.31)),  # float rounding gives 1.59 / 1.30
        ("600000.SS", 0.01, (0.01, 0.01)),  # never below one tick
    ],
)
def test_limit_prices_round_half_up_to_the_tick(key: str, prev_close: float,
                                                expected: tuple[float, float]) -> None:
    assert limit_prices(parse_symbol(key), prev_close) == expected


@pytest.mark.parametrize(
    ("key", "name", "on", "ratio"),
    [
        ("600111.SS", "北方稀土", None, "0.10"),
        ("000001.SZ", "平安银行", None, "0.10"),
        ("600111.SS", "*ST北稀", BEFORE_ST_CHANGE, "0.05"),
        ("600111.SS", "*ST北稀", AFTER_ST_CHANGE, "0.10"),
        ("000001.SZ", "ST平安", BEFORE_ST_CHANGE, "0.05"),
        ("000001.SZ", "ST平安", AFTER_ST_CHANGE, "0.10"),
        ("600111.SS", "*ST北稀", None, "0.10"),  # no date: the rules in force now
        ("688111.SS", "*ST金山", BEFORE_ST_CHANGE, "0.20"),  # STAR ST stays ±20%
        ("300750.SZ", "ST宁德", BEFORE_ST_CHANGE, "0.20"),
        ("300750.SZ", "宁德时代", date(2020, 8, 21), "0.10"),  # before the ChiNext reform
        ("300750.SZ", "ST宁德", date(2020, 8, 21), "0.05"),
        ("430047.BJ", "诺思兰德", None, "0.30"),
        ("159713.SZ", "稀土ETF富国", None, "0.10"),
        ("588000.SS", "科创50ETF", None, "0.20"),  # STAR ETFs trade at ±20%
        ("159915.SZ", "创业板ETF易方达", None, "0.20"),
        ("159915.SZ", None, None, "0.10"),  # no name: the fund default
    ],
)
def test_limit_ratio_by_board_status_and_date(key: str, name: str | None, on: date | None,
                                              ratio: str) -> None:
    assert limit_ratio(parse_symbol(key), name=name, on=on) == Decimal(ratio)


@pytest.mark.parametrize("key", ["000001.SS", "399001.SZ", "REMX", "MP"])
def test_indexes_and_us_symbols_have_no_limit(key: str) -> None:
    symbol = parse_symbol(key)
    assert limit_ratio(symbol) is None
    assert limit_prices(symbol, 3000.0) is None


@pytest.mark.parametrize(
    ("key", "on", "days_listed", "limited"),
    [
        ("688111.SS", None, 5, False),
        ("688111.SS", None, 6, True),
        ("300750.SZ", None, 1, False),
        ("300750.SZ", None, 6, True),
        ("603111.SS", None, 5, False),  # main board since the 2023 registration reform
        ("603111.SS", None, 6, True),
        ("603111.SS", date(2022, 6, 1), 1, False),  # old regime: a first-day band, no limit
        ("603111.SS", date(2022, 6, 1), 2, True),
        ("430047.BJ", None, 1, False),  # Beijing: only the listing day is unlimited
        ("430047.BJ", None, 2, True),
    ],
)
def test_new_listings_trade_without_a_limit(key: str, on: date | None, days_listed: int,
                                            limited: bool) -> None:
    ratio = limit_ratio(parse_symbol(key), on=on, days_listed=days_listed)
    assert (ratio is not None) is limited


def test_st_names() -> None:
    names = ("ST中安", "*ST金科", "＊ST华仪", "S*ST前锋", "SST天海", " st辅仁")
    assert all(is_st(n) for n in names)
    assert not any(is_st(n) for n in ("北方稀土", "STAR Market ETF", "", None, "稀土ETF"))


def test_price_tick() -> None:
    assert price_tick(parse_symbol("600111.SS")) == Decimal("0.01")
    assert price_tick(parse_symbol("516780.SS")) == Decimal("0.001")


def test_missing_or_bad_previous_close_gives_no_limits() -> None:
    symbol = parse_symbol("600111.SS")
    assert limit_prices(symbol, None) is None
    assert limit_prices(symbol, 0.0) is None
    assert limit_prices(symbol, -1.0) is None
    assert limit_prices(symbol, float("nan")) is None


@pytest.mark.parametrize(
    ("last", "status"),
    [
        (54.87, LimitStatus.AT_UP),
        (55.00, LimitStatus.AT_UP),
        (54.40, LimitStatus.NEAR_UP),  # 0.47 from the limit, within 1% of 49.88
        (54.37, LimitStatus.NONE),  # 0.50 from the limit: just outside
        (49.88, LimitStatus.NONE),
        (45.35, LimitStatus.NEAR_DOWN),
        (44.89, LimitStatus.AT_DOWN),
        (44.00, LimitStatus.AT_DOWN),
        (None, LimitStatus.NONE),
    ],
)
def test_limit_status(last: float | None, status: LimitStatus) -> None:
    assert limit_status(last, 54.87, 44.89, 49.88, near_pct=1.0) is status


def test_limit_status_edges() -> None:
    assert limit_status(54.80, 54.87, 44.89, 49.88, near_pct=0.0) is LimitStatus.NONE
    assert limit_status(54.80, None, 44.89, 49.88, near_pct=1.0) is LimitStatus.NONE
    assert limit_status(54.80, 54.87, 44.89, None, near_pct=1.0) is LimitStatus.NEAR_UP
    assert LimitStatus.AT_UP.value == "涨停" and LimitStatus.AT_DOWN.value == "跌停"


def _quote(**values: object) -> Quote:
    base: dict[str, object] = {
        "symbol": "600111.SS", "as_of": datetime(2026, 8, 21, 7, 0, tzinfo=UTC),
        "source": "test", "name": "北方稀土", "last": 50.46, "prev_close": 49.88,
    }
    base.update(values)
    return Quote(**base)  # type: ignore[arg-type]


def test_effective_limits_prefers_the_upstream() -> None:
    symbol = parse_symbol("600111.SS")
    assert effective_limits(_quote(limit_up=54.88, limit_down=44.90), symbol) == (54.88, 44.90)
    assert effective_limits(_quote(), symbol) == (54.87, 44.89)
    assert effective_limits(_quote(limit_up=54.88), symbol) == (54.88, 44.89)
    assert effective_limits(_quote(limit_up=0.0, limit_down=0.0), symbol) == (54.87, 44.89)
    assert effective_limits(_quote(prev_close=None), symbol) is None


def test_effective_limits_uses_the_quote_name_and_trading_day() -> None:
    symbol = parse_symbol("600111.SS")
    before = _quote(name="*ST北稀", as_of=datetime(2026, 7, 3, 2, 0, tzinfo=UTC))
    after = _quote(name="*ST北稀", as_of=datetime(2026, 7, 5, 23, 0, tzinfo=UTC))  # 07-06 CST
    assert effective_limits(before, symbol) == (52.37, 47.39)
    assert effective_limits(after, symbol) == (54.87, 44.89)
    index = parse_symbol("000001.SS")
    assert effective_limits(_quote(symbol="000001.SS", name="上证指数"), index) is None


# -- limit_info: what the screen and quote --json show ---------------------------------------


def _listing_quote(key: str, name: str, **values: object) -> Quote:
    return Quote(symbol=key, as_of=datetime(2026, 6, 3, 7, 0, tzinfo=UTC), source="x", name=name,
                 prev_close=20.0, last=80.0, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("key", "name", "note"), [
    ("688795.SS", "N摩尔", "no limit (new listing)"),  # STAR day 1
    ("688795.SS", "C摩尔", "no limit (new listing)"),  # STAR days 2–5
    ("301999.SZ", "N创新", "no limit (new listing)"),  # ChiNext
    ("603999.SS", "N主板", "no limit (new listing)"),  # main board since the 2023 reform
    ("920999.BJ", "N北交", "no limit (new listing)"),  # Beijing: day 1 only
])
def test_new_listing_markers_mean_no_limit(key: str, name: str, note: str) -> None:
    info = limits.limit_info(_listing_quote(key, name), parse_symbol(key))
    assert (info.up, info.down, info.source, info.note) == (None, None, None, note)


def test_beijing_c_name_is_past_its_one_unlimited_day() -> None:
    info = limits.limit_info(_listing_quote("920999.BJ", "C北交"), parse_symbol("920999.BJ"))
    assert (info.up, info.down, info.source) == (26.0, 14.0, "computed")


def test_upstream_limits_win_and_halted_codes_have_none() -> None:
    symbol = parse_symbol("600111.SS")
    sent = _listing_quote("600111.SS", "北方稀土", limit_up=22.5, limit_down=18.5)
    assert limits.limit_info(sent, symbol).source == "upstream"
    assert limits.limit_info(sent, symbol).prices == (22.5, 18.5)
    computed = limits.limit_info(_listing_quote("600111.SS", "北方稀土"), symbol)
    assert (computed.prices, computed.source) == ((22.0, 18.0), "computed")
    halted = _listing_quote("600111.SS", "北方稀土", limit_up=22.5, limit_down=18.5,
                            status=TradingStatus.SUSPENDED)
    assert limits.limit_info(halted, symbol).prices is None
