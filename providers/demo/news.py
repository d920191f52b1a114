"""The demo's market flashes: headline and summary texts written from a simulated quote."""

from __future__ import annotations

import math
from datetime import datetime

from neodymium.providers.demo.data import Profile
from neodymium.providers.demo.instruments import SHANGHAI
from neodymium.providers.models import Quote
from neodymium.providers.symbols import Market, Symbol

#: News slots: slot n is published near NEWS_EPOCH + n × NEWS_SPACING_S (± NEWS_JITTER_S).
NEWS_EPOCH = datetime(2020, 1, 1, tzinfo=SHANGHAI)
NEWS_SPACING_S = 30
NEWS_JITTER_S = 5
#: Every STATIC_EVERY-th slot carries one of the static stories; the others are market flashes.
STATIC_EVERY = 8
#: Market flashes returned per call (the static stories come on top, each once).
FLASHES_SHOWN = 24
_UNIT_CN = {"CNY": "元", "USD": "美元", "HKD": "港元"}


def _money_cn(value: float, currency: str) -> str:
    unit = _UNIT_CN.get(currency, currency)
    return f"{value / 1e8:.2f}亿{unit}" if value >= 1e8 else f"{value / 1e4:.0f}万{unit}"


def _money_en(value: float, currency: str) -> str:
    return f"{currency} {value / 1e9:.2f}bn" if value >= 1e9 else f"{currency} {value / 1e6:.1f}m"


def _milestone(value: float) -> float:
    """``value`` rounded down to two significant digits (3.63e9 → 3.6e9): alerts quote these."""
    step = 10.0 ** (math.floor(math.log10(value)) - 1)
    return math.floor(value / step) * step


def _milestone_cn(value: float, currency: str) -> str:
    unit, mark = _UNIT_CN.get(currency, currency), _milestone(value)
    return f"{mark / 1e8:g}亿{unit}" if mark >= 1e8 else f"{mark / 1e4:g}万{unit}"


def _milestone_en(value: float, currency: str) -> str:
    mark = _milestone(value)
    return f"{currency} {mark / 1e9:g}bn" if mark >= 1e9 else f"{currency} {mark / 1e6:g}m"


def flash_title(quote: Quote, profile: Profile, symbol: Symbol, name: str, english: bool,
                 pick: float) -> str:
    """A market-flash headline from the simulated quote at its publication time."""
    dec = profile.decimals
    price = quote.last if quote.last is not None else quote.prev_close or 0.0
    last = f"{price:.{dec}f}"
    pct = quote.change_pct or 0.0
    code = symbol.key if english or symbol.market is Market.US else symbol.code
    near_up = quote.limit_up is not None and price >= quote.limit_up * 0.99
    near_down = quote.limit_down is not None and price <= quote.limit_down * 1.01
    at_high = price == quote.high and pct > 0
    at_low = price == quote.low and pct < 0
    if english:
        if near_up or near_down:
            return f"{name} ({code}) nears limit-{'up' if near_up else 'down'} at {last}"
        if pick < 0.2 and quote.amount:
            return f"{name} ({code}) turnover tops {_milestone_en(quote.amount, profile.currency)}"
        if at_high or at_low:
            extreme = "high" if at_high else "low"
            return f"{name} ({code}) hits intraday {extreme} {last}, {pct:+.2f}%"
        unit = "" if profile.is_index else f" {profile.currency}"
        return f"{name} ({code}) at {last}{unit}, {pct:+.2f}% on the day"
    direction = "涨" if pct >= 0 else "跌"
    if near_up or near_down:
        return f"{name}（{code}）逼近{'涨停' if near_up else '跌停'}，现报{last}"
    if pick < 0.25 and quote.amount:
        return f"{name}（{code}）成交额突破{_milestone_cn(quote.amount, profile.currency)}"
    if at_high or at_low:
        extreme = "新高" if at_high else "新低"
        return f"{name}（{code}）创日内{extreme}，报{last}，{direction}{abs(pct):.2f}%"
    unit = "点" if profile.is_index else _UNIT_CN.get(profile.currency, profile.currency)
    return f"{name}（{code}）盘中报{last}{unit}，{direction}{abs(pct):.2f}%"


def flash_summary(quote: Quote, profile: Profile, english: bool) -> str:
    dec = profile.decimals

    def px(value: float | None) -> str:
        return "—" if value is None else f"{value:.{dec}f}"

    volume = quote.volume or 0.0
    amount = quote.amount or 0.0
    if english:
        return (f"Open {px(quote.open)}, high {px(quote.high)}, low {px(quote.low)}, volume "
                f"{volume / 1e6:.2f}m shares, turnover {_money_en(amount, profile.currency)}. "
                "Simulated market data.")
    return (f"今开{px(quote.open)}，最高{px(quote.high)}，最低{px(quote.low)}，"
            f"成交量{volume / 1e4:.0f}万股，成交额{_money_cn(amount, profile.currency)}。"
            "行情为模拟数据。")
