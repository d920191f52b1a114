"""Trading status (停牌, 退市, not yet listed) from what each upstream sends.

Sina sends a status code (field 32) and Eastmoney's stock/get one in ``f292``. Tencent sends
none that is publicly documented, and ulist's ``f292`` is described inconsistently, so where no
status field is read the status is inferred from the line itself (the fallback): the exchange's
short name marks a delisting (``…退`` since the 2020 rules, ``退市…`` before), and a stock with
a previous close but no open and no volume after the continuous session began did not trade.

Tencent, searched again (issue 8): easyquotation's parser labels field 40 "unknown" (empty on every
capture seen, trading or not); daily_stock_analysis #1408 found no official field list for
qt.gtimg.cn; code and issue searches for its field meanings and for 停牌 detection from Tencent
found no public parser that reads a status from the line (those that detect a halt do it by a
zero volume or price). Hence the inference, pinned by tests/providers/test_tencent_status.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from neodymium.providers.markets import Phase, market_info
from neodymium.providers.models import Quote, TradingStatus
from neodymium.providers.symbols import Symbol

#: Sina hq field 32 (public file 109224731, see research/providers.md §1).
SINA_STATUS = {
    "00": TradingStatus.TRADING,
    "01": TradingStatus.SUSPENDED,  # one-hour halt
    "02": TradingStatus.SUSPENDED,  # halted for the day
    "03": TradingStatus.SUSPENDED,  # continuous halt
    "04": TradingStatus.SUSPENDED,  # intraday halt
    "05": TradingStatus.SUSPENDED,  # half-day halt
    "07": TradingStatus.SUSPENDED,  # suspended
    "-2": TradingStatus.NOT_YET_LISTED,
    "-3": TradingStatus.DELISTED,
}
#: Sina's "no record for this code": an error for the symbol, not a quote.
SINA_NO_RECORD = "-1"


def sina_status(code: str) -> TradingStatus:
    """The status a Sina status code stands for (UNKNOWN for codes not documented)."""
    return SINA_STATUS.get(code.strip(), TradingStatus.UNKNOWN)


#: Eastmoney stock/get ``f292``, only the codes public clients agree on. Eastmoney's own quote
#: pages bind f292 to the trading state: 2 交易中, 5 收盘, 11 盘前, 12 盘后 (public files
#: 39761038165 and 40171879179, H5 chart pages using Eastmoney's ``ut`` token), and a client
#: that checked quote.eastmoney.com/newstatic/build/vendor.js names 2 交易中, 6 停牌, 14 盘中停牌
#: (public file 57482640113). Other codes (3, 5, 11, 12, 13, ...) are a session phase or not
#: agreed on; they say nothing about the stock, so the status falls back to inference.
EASTMONEY_STATUS = {
    2: TradingStatus.TRADING,  # 交易中
    6: TradingStatus.SUSPENDED,  # 停牌
    14: TradingStatus.SUSPENDED,  # 盘中停牌 (intraday halt)
}


def eastmoney_status(code: object) -> TradingStatus | None:
    """The status an Eastmoney ``f292`` code states, or None when absent or not agreed on."""
    if isinstance(code, bool) or not isinstance(code, int | str):
        return None
    try:
        return EASTMONEY_STATUS.get(int(code))
    except ValueError:  # "-" is Eastmoney's "no value"
        return None


UPSTREAM, INFERRED = "upstream", "inferred"


def with_status(quote: Quote, sent: TradingStatus | None, symbol: Symbol) -> Quote:
    """``quote`` with the status the upstream ``sent`` (``status_source`` "upstream"), else the
    one inferred from the line ("inferred"; None when it cannot tell).

    A delisting name wins over a sent "trading": 退市整理 stocks trade, but are marked 退市.
    """
    if sent is None or (sent is TradingStatus.TRADING and delisted_name(quote.name)):
        inferred = status_from_quote(quote, symbol)
        return replace(quote, status=inferred,
                       status_source=None if inferred is None else INFERRED)
    return replace(quote, status=sent, status_source=UPSTREAM)


def delisted_name(name: str | None) -> bool:
    """True for an exchange short name in delisting: ``华讯退``, ``退市海医``."""
    text = (name or "").strip()
    return text.endswith("退") or text.startswith("退市")


def _continuous_start(symbol: Symbol) -> time:
    plan = market_info(symbol.market).plan
    return next(at for at, phase in plan if phase is Phase.CONTINUOUS)


def status_from_quote(quote: Quote, symbol: Symbol) -> TradingStatus | None:
    """Status read from a quote line without a status field; None when it cannot tell."""
    if delisted_name(quote.name):
        return TradingStatus.DELISTED
    if quote.open is not None or (quote.volume or 0) > 0:
        return TradingStatus.TRADING
    if symbol.is_index or quote.prev_close is None:
        return None
    local = quote.as_of.astimezone(market_info(symbol.market).zone)
    if local.weekday() < 5 and local.time() >= _continuous_start(symbol):
        return TradingStatus.SUSPENDED
    return None
