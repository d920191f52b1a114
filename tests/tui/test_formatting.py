"""Display helpers: prices, signed changes, 手/万/亿 and K/M/B units, ages, colours, CJK fitting."""

from __future__ import annotations

import pytest
from neodymium.providers.symbols import parse_symbol
from neodymium.tui import formatting as fmt
from rich.style import Style

NAN = float("nan")
INF = float("inf")


@pytest.mark.parametrize(
    ("key", "decimals"),
    [("600111.SS", 2), ("159713.SZ", 3), ("516780.SS", 3), ("000001.SS", 2), ("REMX", 2),
     ("900901.SS", 3), ("200002.SZ", 2)],
)
def test_price_decimals(key: str, decimals: int) -> None:
    assert fmt.price_decimals(parse_symbol(key)) == decimals


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(50.46, 2, "50.46"), (1.163, 3, "1.163"), (0.0, 2, "0.00"), (-37.63, 2, "-37.63"),
     (-0.0001, 2, "0.00"), (1823456.789, 2, "1823456.79"), (None, 2, "—"), (NAN, 2, "—"),
     (INF, 2, "—")],
)
def test_fmt_price(value: float | None, decimals: int, text: str) -> None:
    assert fmt.fmt_price(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(0.58, 2, "+0.58"), (-0.58, 2, "-0.58"), (0.015, 3, "+0.015"), (0.0, 2, "0.00"),
     (-0.001, 2, "0.00"), (0.5800000000000054, 2, "+0.58"), (12345.6, 2, "+12345.60"),
     (None, 2, "—")],
)
def test_fmt_change(value: float | None, decimals: int, text: str) -> None:
    assert fmt.fmt_change(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.16, "+1.16%"), (-9.995, "-9.99%"), (-10.0, "-10.00%"), (0.0, "0.00%"),
     (-0.004, "0.00%"), (1234.5, "+1234.50%"), (None, "—"), (NAN, "—")],
)
def test_fmt_pct(value: float | None, text: str) -> None:
    assert fmt.fmt_pct(value) == text


@pytest.mark.parametrize(
    ("value", "cells", "text"),
    [(1.16, 6, "+1.16%"), (-9.995, 6, "-9.99%"), (10.01, 6, "+10.0%"), (-10.0, 6, "-10.0%"),
     (425.43, 6, "+425%"), (-0.004, 6, "0.00%"), (12345.6, 6, "+12346%"), (10.01, 7, "+10.01%"),
     (None, 6, "—")],
)
def test_fmt_pct_within_drops_decimals_to_fit(value: float | None, cells: int,
                                              text: str) -> None:
    assert fmt.fmt_pct_within(value, cells) == text


@pytest.mark.parametrize(
    ("shares", "cn", "intl"),
    [
        (123_456_789, "123.46万手", "123.46M"),
        (1_234_567, "1.23万手", "1.23M"),
        (12_345_678_900, "1.23亿手", "12.35B"),
        (999_999, "9999.99手", "1.00M"),  # 999.999K rounds up to the next step
        (99_999_999, "100.00万手", "100.00M"),
        (995_000, "9950手", "995.00K"),  # no premature roll-over to 1.00万手
        (9_999_999_600, "1.00亿手", "10.00B"),  # 9999.99996万手 rolls over
        (100, "1手", "100"),
        (150, "1.5手", "150"),
        (0, "0手", "0"),
        (-1_234_567, "-1.23万手", "-1.23M"),
        (1e16, "100.00万亿手", "10000.00T"),
        (None, "—", "—"),
        (NAN, "—", "—"),
    ],
)
def test_fmt_volume(shares: float | None, cn: str, intl: str) -> None:
    assert fmt.fmt_volume(shares, "cn") == cn
    assert fmt.fmt_volume(shares, "intl") == intl


@pytest.mark.parametrize(
    ("value", "cn", "intl"),
    [
        (6_209_872_010, "62.10亿", "6.21B"),
        (182_384_811_289.62, "1823.85亿", "182.38B"),
        (99_421_873, "9942.19万", "99.42M"),
        (2_100_000_000_000, "2.10万亿", "2.10T"),
        (99_999_999.9, "1.00亿", "100.00M"),  # rounding rolls over to the next step
        (9_999.996, "1.00万", "10.00K"),
        (512.3, "512.30", "512.30"),
        (0, "0.00", "0.00"),
        (-6_209_872_010, "-62.10亿", "-6.21B"),
        (None, "—", "—"),
    ],
)
def test_fmt_money_cny(value: float | None, cn: str, intl: str) -> None:
    assert fmt.fmt_money(value, "cn") == cn
    assert fmt.fmt_money(value, "intl", "CNY") == intl


def test_fmt_money_marks_other_currencies() -> None:
    assert fmt.fmt_money(6_210_000_000, "intl", "USD") == "$6.21B"
    assert fmt.fmt_money(-6_210_000_000, "intl", "USD") == "-$6.21B"
    assert fmt.fmt_money(6_210_000_000, "intl", "HKD") == "HK$6.21B"
    assert fmt.fmt_money(6_210_000_000, "intl", "EUR") == "6.21B EUR"
    assert fmt.fmt_money(6_210_000_000, "cn", "USD") == "62.10亿 USD"
    assert fmt.fmt_money(None, "intl", "USD") == "—"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (3, "3s"), (3.9, "3s"), (59.99, "59s"), (60, "1m00s"), (125, "2m05s"),
     (3599, "59m59s"), (3600, "1h00m"), (3720, "1h02m"), (86399, "23h59m"),
     (86400 * 3 + 5000, "3d"), (86400 * 400, "400d"), (-5, "0s"), (None, "—"), (NAN, "—")],
)
def test_fmt_age(seconds: float | None, text: str) -> None:
    assert fmt.fmt_age(seconds) == text


@pytest.mark.parametrize(
    ("change", "direction", "cn", "us"),
    [(0.58, "up", "red", "green"), (-0.58, "down", "green", "red"), (0.0, "flat", "", ""),
     (1e-12, "flat", "", ""), (None, "flat", "", ""), (NAN, "flat", "", "")],
)
def test_direction_and_colour_conventions(change: float | None, direction: str, cn: str,
                                          us: str) -> None:
    assert fmt.direction(change) == direction
    assert fmt.direction_style(change, "cn") == cn
    assert fmt.direction_style(change, "us") == us
    Style.parse(fmt.direction_style(change, "cn"))  # a style rich understands


def test_cell_width_counts_cjk_as_two() -> None:
    assert fmt.cell_width("") == 0
    assert fmt.cell_width("REMX") == 4
    assert fmt.cell_width("北方稀土") == 8
    assert fmt.cell_width("稀土ETF华泰柏瑞") == 15


NAME = "稀土ETF华泰柏瑞"  # 15 cells
FITTED = {
    1: "…", 2: "… ", 3: "稀…", 4: "稀… ", 5: "稀土…", 6: "稀土E…", 7: "稀土ET…", 8: "稀土ETF…",
    9: "稀土ETF… ", 10: "稀土ETF华…", 11: "稀土ETF华… ", 12: "稀土ETF华泰…", 13: "稀土ETF华泰… ",
    14: "稀土ETF华泰柏…", 15: NAME, 16: NAME + " ",
}


@pytest.mark.parametrize("width", range(1, 17))
def test_fit_cjk_at_every_width(width: int) -> None:
    fitted = fmt.fit(NAME, width)
    assert fitted == FITTED[width]
    assert fmt.cell_width(fitted) == width


@pytest.mark.parametrize("width", range(1, 12))
@pytest.mark.parametrize("align", ["left", "right", "center"])
def test_fit_is_always_exactly_width(width: int, align: str) -> None:
    for text in ("600111 北方稀土", "A股B", "REMX", "", "稀"):
        fitted = fmt.fit(text, width, align)  # type: ignore[arg-type]
        assert fmt.cell_width(fitted) == width
        assert "\ufffd" not in fitted


def test_fit_alignment_and_mixed_text() -> None:
    assert fmt.fit("REMX", 6) == "REMX  "
    assert fmt.fit("REMX", 6, "right") == "  REMX"
    assert fmt.fit("REMX", 7, "center") == " REMX  "
    assert fmt.fit("600111 北方稀土", 10) == "600111 北…"
    assert fmt.fit("600111 北方稀土", 11) == "600111 北… "
    assert fmt.fit("北方稀土", 8, "right") == "北方稀土"
    assert fmt.fit("北方稀土", 0) == ""
    assert fmt.fit("北方稀土", -3) == ""


@pytest.mark.parametrize(
    ("setting", "key", "units"),
    [("auto", "600111.SS", "cn"), ("auto", "REMX", "intl"), ("cn", "REMX", "cn"),
     ("intl", "600111.SS", "intl")],
)
def test_resolve_units(setting: str, key: str, units: str) -> None:
    assert fmt.resolve_units(setting, parse_symbol(key)) == units  # type: ignore[arg-type]


def test_money_always_names_its_unit() -> None:
    assert fmt.fmt_money_unit(6_209_872_010, "cn") == "62.10亿元"
    assert fmt.fmt_money_unit(6_209_872_010, "intl") == "6.21B CNY"
    assert fmt.fmt_money_unit(6_210_000_000, "intl", "USD") == "$6.21B"
    assert fmt.fmt_money_unit(None, "cn") == "—"


def test_zone_label_is_unambiguous() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    shanghai = datetime(2026, 1, 23, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert fmt.stamp_time(shanghai, "%H:%M") == "10:30 UTC+8"
    assert fmt.zone_label(datetime(2026, 1, 23, tzinfo=ZoneInfo("America/New_York"))) == "UTC-5"
    assert fmt.zone_label(datetime(2026, 1, 23, tzinfo=ZoneInfo("Asia/Kolkata"))) == "UTC+5:30"
