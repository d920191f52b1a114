"""Pure display helpers: numbers, units, ages, colours and CJK-aware column fitting.

Chinese units show volume in 手 (lots of 100 shares) and money in 万/亿; international units
show shares and money with K/M/B/T. A missing value is "—", never 0.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal

from neodymium.providers import markets
from neodymium.providers.markets import MINOR_CURRENCIES
from neodymium.providers.models import Quote, TradingStatus
from neodymium.providers.symbols import Board, Exchange, Market, Symbol
from rich.cells import cell_len, get_character_cell_size
from typing_extensions import TypeIs

Units = Literal["cn", "intl"]
Convention = Literal["cn", "us", "mono"]
Direction = Literal["up", "down", "flat"]

MISSING = "—"
ELLIPSIS = "…"

_CN_STEPS = ((1.0, ""), (1e4, "万"), (1e8, "亿"), (1e12, "万亿"))
_INTL_STEPS = ((1.0, ""), (1e3, "K"), (1e6, "M"), (1e9, "B"), (1e12, "T"))
_CURRENCY_SIGNS = {"USD": "$", "HKD": "HK$"}
_STYLES: dict[Convention, dict[Direction, str]] = {
    "cn": {"up": "red", "down": "green", "flat": ""},
    "us": {"up": "green", "down": "red", "flat": ""},
    # NO_COLOR / monochrome: red and green both turn dark grey there, so up is bold and down
    # plain; the sign (and arrows) still tell them apart.
    "mono": {"up": "bold", "down": "", "flat": ""},
}


def _missing(value: float | None) -> TypeIs[None]:
    return value is None or not math.isfinite(value)


def price_decimals(symbol: Symbol) -> int:
    """Decimals a price is quoted in: 3 for funds/ETFs (and Shanghai B shares), else 2."""
    if symbol.is_fund or (symbol.board is Board.B_SHARE and symbol.exchange is Exchange.SS):
        return 3
    return 2


def fmt_price(value: float | None, decimals: int) -> str:
    """A price with fixed decimals, "—" when missing."""
    if _missing(value):
        return MISSING
    return _unsigned_zero(f"{value:.{decimals}f}")


def _unsigned_zero(text: str) -> str:
    """Drop the sign of a value that rounds to zero ("-0.00" → "0.00")."""
    digits = text.lstrip("+-")
    return digits if not digits.strip("0.%") else text


def split_price(last: str) -> tuple[str, str, str]:
    """``49.95`` as ``49.``, ``9`` and ``5``; a price without a point stays whole."""
    whole, point, decimals = last.rpartition(".")
    if not point:
        return last, "", ""
    return whole + point, decimals[:-1], decimals[-1:]


def fmt_change(value: float | None, decimals: int) -> str:
    """A signed change: "+0.58", "-0.58", "0.00"; "—" when missing."""
    if _missing(value):
        return MISSING
    return _unsigned_zero(f"{value:+.{decimals}f}")


def fmt_pct(value: float | None) -> str:
    """A signed percentage with two decimals: "+1.16%"; "—" when missing."""
    if _missing(value):
        return MISSING
    return _unsigned_zero(f"{value:+.2f}%")


def fmt_pct_within(value: float | None, cells: int) -> str:
    """``fmt_pct`` in at most ``cells`` characters where fewer decimals make it fit: "+10.0%"
    for +10.01% in six cells, "+425%" for +425.43%; two decimals whenever they fit."""
    if _missing(value):
        return MISSING
    for decimals in (2, 1, 0):
        text = _unsigned_zero(f"{value:+.{decimals}f}%")
        if len(text) <= cells:
            return text
    return text


def _small(magnitude: float, decimals: int | None) -> str:
    """Below the first step: fixed decimals, or (``None``) whole numbers where whole."""
    if decimals is not None:
        return f"{magnitude:.{decimals}f}"
    if magnitude == round(magnitude):
        return f"{magnitude:.0f}"
    return f"{magnitude:.2f}".rstrip("0").rstrip(".")


def _scaled(value: float, steps: tuple[tuple[float, str], ...], decimals: int | None) -> str:
    """Two decimals of the largest step the value reaches, else plain (``decimals``).

    ``steps`` ascend from ``(1.0, "")``; a value whose rounding reaches the next step moves up
    ("9999.996万" is "1.00亿", never "10000.00万").
    """
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    index = max(i for i, (size, _) in enumerate(steps) if magnitude >= size or i == 0)
    size = steps[index][0]
    shown = round(magnitude / size, 2)
    if index + 1 < len(steps) and shown >= steps[index + 1][0] / size:
        index += 1
    size, suffix = steps[index]
    if index == 0:
        return _unsigned_zero(sign + _small(magnitude, decimals))
    return f"{sign}{magnitude / size:.2f}{suffix}"


def shares_per_hand(symbol: Symbol) -> int:
    """Shares in one 手 as the exchange counts it (markets.shares_per_hand)."""
    return markets.shares_per_hand(symbol.board, symbol.exchange)


def fmt_volume(shares: float | None, units: Units, hand: int = 100) -> str:
    """Volume from shares: cn "123.46万手" (lots of ``hand`` shares), intl "123.46M"."""
    if _missing(shares):
        return MISSING
    if units == "cn":
        return _scaled(shares / hand, _CN_STEPS, None) + "手"
    return _scaled(shares, _INTL_STEPS, None)


def fmt_money(value: float | None, units: Units, currency: str = "CNY") -> str:
    """Money in currency units: cn "62.10亿", "9942.19万"; intl "6.21B".

    CNY is implicit; another currency is marked ("$6.21B", "62.10亿 USD"); a minor unit keeps
    its spelling ("1.20B GBp": pence, never pounds).
    """
    if _missing(value):
        return MISSING
    code = currency or "CNY"
    if code not in MINOR_CURRENCIES:
        code = code.upper()
    if units == "cn":
        text = _scaled(value, _CN_STEPS, 2)
        return text if code == "CNY" else f"{text} {code}"
    text = _scaled(value, _INTL_STEPS, 2)
    if code == "CNY":
        return text
    sign = _CURRENCY_SIGNS.get(code)
    if sign is None:
        return f"{text} {code}"
    return f"-{sign}{text[1:]}" if text.startswith("-") else f"{sign}{text}"


def fmt_ratio(value: float | None) -> str:
    """A ratio (P/E, correlation, beta) to two decimals."""
    return MISSING if value is None else f"{value:.2f}"


def fmt_age(seconds: float | None) -> str:
    """A compact age: "3s", "2m05s", "1h02m", "3d"; "—" when unknown."""
    if _missing(seconds):
        return MISSING
    whole = max(0, math.floor(seconds))
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    if whole < 86400:
        return f"{whole // 3600}h{whole % 3600 // 60:02d}m"
    return f"{whole // 86400}d"


def direction(change: float | None) -> Direction:
    """Up, down or flat; a missing change is flat."""
    if _missing(change) or abs(change) < 1e-9:
        return "flat"
    return "up" if change > 0 else "down"


def direction_style(change: float | None, convention: Convention) -> str:
    """The rich style for a change: cn red up / green down, us green up / red down."""
    return _STYLES[convention][direction(change)]


def cell_width(text: str) -> int:
    """Terminal cells the text occupies (CJK characters take two)."""
    return cell_len(text)


def fit(text: str, width: int, align: Literal["left", "right", "center"] = "left") -> str:
    """Exactly ``width`` cells: truncated with "…" at a character boundary, then padded."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        budget = width - cell_len(ELLIPSIS)
        kept, used = [], 0
        for char in text:
            size = get_character_cell_size(char)
            if used + size > budget:
                break
            kept.append(char)
            used += size
        text = "".join(kept) + ELLIPSIS
    gap = width - cell_len(text)
    if align == "right":
        return " " * gap + text
    if align == "center":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


def resolve_units(setting: Literal["auto", "cn", "intl"], primary: Symbol) -> Units:
    """The unit system to show: "auto" follows the primary symbol's market."""
    if setting == "auto":
        return "cn" if primary.market is Market.CN else "intl"
    return setting


#: Badges shown in place of the change and the limits for codes that do not trade.
STATUS_BADGES = {TradingStatus.SUSPENDED: "停牌", TradingStatus.DELISTED: "退市",
                 TradingStatus.NOT_YET_LISTED: "未上市"}


def status_badge(quote: Quote | None) -> str | None:
    """停牌 / 退市 / 未上市 for a code that does not trade, else None."""
    if quote is None or quote.status is None:
        return None
    return STATUS_BADGES.get(quote.status)
def zone_label(moment: datetime) -> str:
    """An unambiguous zone for a time: "UTC+8", "UTC-5", "UTC+5:30" (never "CST", which is
    China, Cuba and US Central at once)."""
    offset = moment.utcoffset()
    if offset is None:
        return "UTC"
    minutes = round(offset.total_seconds() / 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def stamp_time(moment: datetime, pattern: str) -> str:
    """``moment`` formatted with ``pattern`` and its unambiguous zone label appended."""
    return f"{moment.strftime(pattern)} {zone_label(moment)}"


def fmt_money_unit(value: float | None, units: Units, currency: str = "CNY") -> str:
    """Money that always names its unit: cn "62.10亿元", intl "6.21B CNY"; other currencies
    as fmt_money marks them ("$6.21B", "62.10亿 USD")."""
    text = fmt_money(value, units, currency)
    if text == MISSING or (currency or "CNY").upper() != "CNY":
        return text
    return text + "元" if units == "cn" else f"{text} CNY"
