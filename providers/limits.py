"""A-share daily price limits (涨跌停): the ratio by board, the limit prices, how close a price is.

Limit price = previous close × (1 ± ratio), rounded half-up to the price tick (SSE/SZSE trading
rules: "按四舍五入原则取至价格最小变动单位"), computed in Decimal so 10.05 × 1.1 is 11.06, not the
float 11.054999…. The upstream's own limit prices win whenever a quote carries them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from neodymium.providers.markets import B_SHARES, SHANGHAI, Board, Market, market_info
from neodymium.providers.models import Quote, TradingStatus
from neodymium.providers.symbols import Symbol

# Main-board risk-warning (ST/*ST) stocks: ±5% until 2026-07-05, ±10% from 2026-07-06. Proposed
# by SSE and SZSE on 2025-06-27 (draft notice 《关于调整主板风险警示股票价格涨跌幅限制比例及有关
# 事项的通知（征求意见稿）》) and enacted by the 2026 trading rules published 2026-04-24:
# 《上海证券交易所交易规则（2026年修订）》 (上证发〔2026〕41号,
# "将主板风险警示股票价格涨跌幅限制比例由5%调整为10%", "于2026年7月6日起正式实施",
# https://www.sse.com.cn/aboutus/mediacenter/hotandd/c/c_20260424_10816474.shtml) and
# 《深圳证券交易所交易规则（2026年修订）》 (深证上〔2026〕551号, §3.3.13, in force 2026-07-06).
MAIN_ST_ALIGNED = date(2026, 7, 6)

# ChiNext registration reform: ±10% (ST ±5%) → ±20%, first five days unlimited, from 2020-08-24
# (深证上〔2020〕515号《深圳证券交易所创业板交易特别规定》).
CHINEXT_REFORM = date(2020, 8, 24)

# Main-board registration reform: new listings unlimited for their first five days, from the first
# registration-based main-board listing day, 2023-04-10. Earlier listings had a first-day
# price band (+44%/−36% of the issue price), not a daily limit; that day is reported as None too.
MAIN_REGISTRATION = date(2023, 4, 10)

_CN_BOARDS = market_info(Market.CN).boards
#: Trading days after listing without a limit (STAR, ChiNext, main board after the reforms).
UNLIMITED_DAYS = _CN_BOARDS[Board.MAIN].unlimited_days

_TEN, _TWENTY = Decimal("0.10"), Decimal("0.20")
_ST_NAME = re.compile(r"^(?:S?\*|S)?ST(?![A-Za-z])")
# ETFs on STAR or ChiNext indexes trade under those boards' ±20% limit.
_TWENTY_PCT_FUND_WORDS = ("科创", "创业板", "双创")


def is_st(name: str | None) -> bool:
    """True for a risk-warning name: ``ST…``, ``*ST…``, ``S*ST…``, ``SST…``."""
    if not name:
        return False
    return bool(_ST_NAME.match(name.strip().replace("＊", "*").upper()))


def _main_board_ratio(name: str | None, on: date | None,
                      days_listed: int | None) -> Decimal | None:
    rule = _CN_BOARDS[Board.MAIN]
    day = on or date.max
    if days_listed is not None and days_listed <= (rule.unlimited_days
                                                   if day >= MAIN_REGISTRATION else 1):
        return None
    if is_st(name) and day < MAIN_ST_ALIGNED:
        return rule.st_limit
    return rule.limit


def _unlimited(board: Board, days_listed: int | None) -> bool:
    return days_listed is not None and days_listed <= _CN_BOARDS[board].unlimited_days


def limit_ratio(symbol: Symbol, *, name: str | None = None, on: date | None = None,
                days_listed: int | None = None) -> Decimal | None:
    """The daily limit as a fraction of the previous close, or None when there is no limit.

    ``name`` is the exchange short name (for ST status), ``on`` the trading day (None: the rules
    in force now), ``days_listed`` the trading day count since listing, 1 on the listing day.
    Indexes, US symbols and boards we cannot place return None rather than a guess.
    """
    if symbol.market is not Market.CN or symbol.board in (Board.INDEX, Board.OTHER):
        return None
    day = on or date.max
    if symbol.board is Board.FUND:
        if symbol.code.startswith("588") or any(w in (name or "") for w in _TWENTY_PCT_FUND_WORDS):
            return _TWENTY
        return _CN_BOARDS[Board.FUND].limit
    if symbol.board is Board.CHINEXT and day < CHINEXT_REFORM:
        return _main_board_ratio(name, day, days_listed)
    if symbol.board in (Board.STAR, Board.CHINEXT, Board.BSE):
        return None if _unlimited(symbol.board, days_listed) else _CN_BOARDS[symbol.board].limit
    return _main_board_ratio(name, on, days_listed)


def price_tick(symbol: Symbol) -> Decimal:
    """The minimum price step: the B-share exchange's (markets.B_SHARES), else the board's."""
    if symbol.board is Board.B_SHARE and symbol.exchange in B_SHARES:
        return B_SHARES[symbol.exchange][2]
    rule = market_info(symbol.market).board_rule(symbol.board)
    return rule.tick if rule is not None else Decimal("0.01")


def limit_prices(symbol: Symbol, prev_close: float | None, *, name: str | None = None,
                 on: date | None = None,
                 days_listed: int | None = None) -> tuple[float, float] | None:
    """(limit-up, limit-down) from the previous close, or None without a limit or a close."""
    ratio = limit_ratio(symbol, name=name, on=on, days_listed=days_listed)
    if ratio is None or prev_close is None or not prev_close > 0:
        return None
    base, tick = Decimal(repr(float(prev_close))), price_tick(symbol)
    up = (base * (1 + ratio)).quantize(tick, rounding=ROUND_HALF_UP)
    down = (base * (1 - ratio)).quantize(tick, rounding=ROUND_HALF_UP)
    return float(up), float(max(down, tick))


class LimitStatus(StrEnum):
    """Where the last price sits against its limits."""

    AT_UP = "涨停"
    NEAR_UP = "near limit-up"
    AT_DOWN = "跌停"
    NEAR_DOWN = "near limit-down"
    NONE = "none"


_EPSILON = 1e-6


def limit_status(last: float | None, limit_up: float | None, limit_down: float | None,
                 prev_close: float | None, near_pct: float) -> LimitStatus:
    """At or near a limit; "near" is within ``near_pct`` percent of the previous close."""
    if last is None or limit_up is None or limit_down is None:
        return LimitStatus.NONE
    if last >= limit_up - _EPSILON:
        return LimitStatus.AT_UP
    if last <= limit_down + _EPSILON:
        return LimitStatus.AT_DOWN
    base = prev_close if prev_close and prev_close > 0 else last
    band = base * near_pct / 100.0
    if near_pct > 0 and limit_up - last <= band + _EPSILON:
        return LimitStatus.NEAR_UP
    if near_pct > 0 and last - limit_down <= band + _EPSILON:
        return LimitStatus.NEAR_DOWN
    return LimitStatus.NONE


def _present(value: float | None) -> float | None:
    return value if value is not None and value > 0 else None


def effective_limits(quote: Quote, symbol: Symbol, *, name: str | None = None,
                     on: date | None = None,
                     days_listed: int | None = None) -> tuple[float, float] | None:
    """(limit-up, limit-down) for a quote: the upstream's own prices win, the rules fill gaps.

    ``name`` defaults to the quote's name and ``on`` to the quote's Shanghai trading date.
    """
    upstream_up, upstream_down = _present(quote.limit_up), _present(quote.limit_down)
    if upstream_up is not None and upstream_down is not None:
        return upstream_up, upstream_down
    day = on or _shanghai_date(quote.as_of)
    computed = limit_prices(symbol, quote.prev_close, name=name or quote.name, on=day,
                            days_listed=days_listed)
    if computed is None:
        return None
    return upstream_up or computed[0], upstream_down or computed[1]


def _shanghai_date(instant: datetime) -> date:
    return instant.astimezone(SHANGHAI).date()


#: The upstream's own new-listing markers: ``N`` on the listing day, ``C`` on days 2–5
#: (a Latin letter before the Chinese short name, e.g. ``N摩尔``, ``C摩尔``).
_NEW_LISTING = re.compile(r"^([NC])(?=[^\x00-\x7f])")
NO_LIMIT_NEW_LISTING = "no limit (new listing)"
_HALTED = frozenset({TradingStatus.SUSPENDED, TradingStatus.DELISTED,
                     TradingStatus.NOT_YET_LISTED})


def new_listing_day(name: str | None) -> int | None:
    """1 for an ``N`` name, 2 (the earliest it can be) for a ``C`` name, else None."""
    match = _NEW_LISTING.match((name or "").strip())
    if match is None:
        return None
    return 1 if match.group(1) == "N" else 2


@dataclass(frozen=True, slots=True)
class LimitInfo:
    """The day's limit prices, where they came from, and why there are none."""

    up: float | None = None
    down: float | None = None
    source: str | None = None  # "upstream" or "computed"
    note: str | None = None  # e.g. NO_LIMIT_NEW_LISTING

    @property
    def prices(self) -> tuple[float, float] | None:
        """(up, down) when both are known."""
        return None if self.up is None or self.down is None else (self.up, self.down)


def limit_info(quote: Quote, symbol: Symbol) -> LimitInfo:
    """Limits for the screen and ``quote --json``: upstream prices win; a new listing (the
    upstream's ``N``/``C`` marker on a board with an unlimited window) has none; a suspended,
    delisted or unlisted code has none; otherwise they are computed from the rules."""
    if quote.status in _HALTED:
        return LimitInfo()
    upstream_up, upstream_down = _present(quote.limit_up), _present(quote.limit_down)
    if upstream_up is not None and upstream_down is not None:
        return LimitInfo(upstream_up, upstream_down, "upstream")
    day = new_listing_day(quote.name)
    if day is not None and limit_ratio(symbol, name=quote.name, on=_shanghai_date(quote.as_of),
                                       days_listed=day) is None:
        return LimitInfo(note=NO_LIMIT_NEW_LISTING)
    prices = effective_limits(quote, symbol)
    if prices is None:
        return LimitInfo()
    return LimitInfo(prices[0], prices[1], "computed")
