"""Tencent's answers read: quote lines, the book and statistics in them, and daily bars.

Quotes answer ``v_sh600111="1~北方稀土~600111~50.46~…";`` lines in GBK, one per code, with
volume in lots (手) but in shares for STAR codes (units.UNITS; the daily bars alike), amount
in 万元 (and exactly, in CNY, inside field 35) and market cap in 亿元; this module normalises
them to shares and CNY. Pure functions: no I/O (providers.tencent does the requests).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from neodymium.providers.book import book_ratio, order_book, percent
from neodymium.providers.errors import BadPayload, SymbolNotFound, UnsupportedSymbol
from neodymium.providers.markets import SHANGHAI
from neodymium.providers.models import Bar, Quote
from neodymium.providers.status import with_status
from neodymium.providers.symbols import Exchange, Market, Symbol, SymbolError, parse_symbol
from neodymium.providers.text import clean_text
from neodymium.providers.units import LAST_PRICE_TOLERANCE, Feed, checked_volume_unit, units_for
from neodymium.providers.values import default_currency, number, positive, quantity, ratio

log = logging.getLogger(__name__)

SOURCE = "tencent"
QUOTE_BATCH_SIZE = 60
HISTORY_BASE_URL = "https://web.ifzq.gtimg.cn"
HISTORY_MAX_BARS = 640
#: Calendar days per history request: at most ~575 weekdays, safely under the 640-bar cap.
HISTORY_WINDOW_DAYS = 800
WAN = Decimal(10_000)
YI = Decimal(100_000_000)

_STATEMENT = re.compile(r'v_([A-Za-z0-9_]+)="([^"]*)"\s*;')
_NO_MATCH = "pv_none_match"
_TIME_FORMATS = ("%Y%m%d%H%M%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")
_JS_ASSIGNMENT = re.compile(r"^\s*[A-Za-z_$][\w$]*\s*=\s*")
#: Daily rows: [date, open, close, high, low, volume, {dividend notes}, turnover %, amount 万元].
_ROW_AMOUNT_WAN = 8

# Field positions in a Tencent quote line (see research/providers.md §2).
_NAME, _LAST, _PREV_CLOSE, _OPEN, _VOLUME_LOTS, _BID, _ASK = 1, 3, 4, 5, 6, 9, 19
_TIME, _HIGH, _LOW, _AMOUNT_WAN, _PE_TTM, _MARKET_CAP_YI = 30, 33, 34, 37, 39, 45
_LIMIT_UP, _LIMIT_DOWN, _PE_DYNAMIC, _PE_STATIC = 47, 48, 52, 53
_PRICE_VOLUME_AMOUNT, _AVERAGE = 35, 51
_HIGH_52W, _LOW_52W, _CURRENCY = 67, 68, 82
_MIN_FIELDS = _TIME + 1
# The book and the day's statistics (research/providers.md §2): 外盘/内盘 in [6]'s unit, bid1
# price at 9 and volume (lots) at 10 … ask5 at 27/28, 换手率 %, 振幅 %, 流通市值 亿, 市净率,
# 量比, 均价.
_OUTSIDE_LOTS, _INSIDE_LOTS, _BID1, _ASK1 = 7, 8, 9, 19
_TURNOVER, _AMPLITUDE, _FLOAT_CAP_YI, _PB, _VOLUME_RATIO, _AVG_PRICE = 38, 43, 44, 46, 49, 51


def decode_body(content: bytes) -> str:
    """Text of a GBK endpoint's body, whatever its headers claim.

    Valid UTF-8 is taken as UTF-8 (a mirror or proxy that re-encodes; GBK-encoded Chinese is
    practically never valid UTF-8); anything else is decoded as GB18030, a superset of GBK,
    with undecodable bytes replaced rather than raised.
    """
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("gb18030", errors="replace")


def source_time(text: str | None) -> datetime | None:
    """A naive Beijing timestamp (``20260821150003`` and friends) as a tz-aware datetime."""
    if not text:
        return None
    for layout in _TIME_FORMATS:
        try:
            return datetime.strptime(text.strip(), layout).replace(tzinfo=SHANGHAI)
        except ValueError:
            continue
    return None


def a_share_codes(
    symbols: Sequence[Symbol], provider: str
) -> tuple[dict[str, str], dict[str, Exception]]:
    """Tencent/Sina codes (``sh600111``) mapped to canonical keys, and UnsupportedSymbol errors
    for the symbols that are not A-shares."""
    codes: dict[str, str] = {}
    errors: dict[str, Exception] = {}
    for symbol in symbols:
        if symbol.market is Market.CN:
            codes[to_tencent(symbol)] = symbol.key
        else:
            errors[symbol.key] = UnsupportedSymbol(provider, symbol.key)
    return codes, errors


def js_statements(
    text: str, statement: re.Pattern[str], *, source: str = SOURCE
) -> list[tuple[str, str]]:
    """``(code, payload)`` of every ``…<code>="<payload>";`` statement in a JS quote answer.

    The body must be statements and whitespace only: an empty, truncated or foreign body
    raises BadPayload rather than yielding whatever part of it happens to parse.
    """
    if not text.strip():
        raise BadPayload(source, "empty answer")
    leftover = statement.sub("", text).strip()
    if leftover:
        raise BadPayload(source, "not a quote answer", leftover)
    return [(match.group(1), match.group(2)) for match in statement.finditer(text)]


def build_quote_url(base: str, codes: Sequence[str]) -> str:
    """``{base}/q=sh600111,sz159713`` for Tencent codes (at most QUOTE_BATCH_SIZE)."""
    return f"{base.rstrip('/')}/q={','.join(codes)}"


def parse_quotes(text: str, *, source: str = SOURCE) -> tuple[dict[str, Quote], set[str]]:
    """Quotes by canonical key, and the Tencent codes answered with an empty line.

    ``v_pv_none_match="1";`` does not say which code it stands for; callers compare what they
    asked for with what came back. Anything that is not a complete ``v_…="…";`` statement, or a
    line too short to be dated, raises BadPayload: a truncated or foreign body is not trusted.
    """
    quotes: dict[str, Quote] = {}
    unknown: set[str] = set()
    for code, body in js_statements(text, _STATEMENT, source=source):
        if code == _NO_MATCH:
            continue
        if not body:
            unknown.add(code)
            continue
        quote = parse_quote_fields(code, body.split("~"), source=source)
        quotes[quote.symbol] = quote
    return quotes, unknown


def parse_quote_fields(code: str, fields: Sequence[str], *, source: str = SOURCE) -> Quote:
    """One Tencent quote line, split on ``~``, as a Quote in shares and CNY."""
    try:
        symbol = parse_symbol(code)
    except SymbolError:
        raise BadPayload(source, f"unexpected code {code!r}") from None
    if len(fields) < _MIN_FIELDS:
        raise BadPayload(source, f"{code}: only {len(fields)} fields", "~".join(fields))
    as_of = source_time(fields[_TIME])
    if as_of is None:
        raise BadPayload(source, f"{code}: unreadable time", fields[_TIME])

    def field_at(index: int) -> str | None:
        return fields[index] if index < len(fields) else None

    def num(index: int, what: str) -> Decimal | None:
        raw = field_at(index)
        if index == _PRICE_VOLUME_AMOUNT and raw is not None:
            raw = raw.split("/")[-1] if raw.count("/") == 2 else raw
        return number(raw, f"{code} {what} [{index}]", source=source)

    currency = (field_at(_CURRENCY) or "").strip()
    volume, amount, unit = _volume_and_amount(symbol, num)
    quote = Quote(
        symbol=symbol.key,
        as_of=as_of,
        source=source,
        name=clean_text(fields[_NAME]) or None,
        last=positive(num(_LAST, "last")),
        prev_close=positive(num(_PREV_CLOSE, "previous close")),
        open=positive(num(_OPEN, "open")),
        high=positive(num(_HIGH, "high")),
        low=positive(num(_LOW, "low")),
        volume=quantity(volume),
        amount=quantity(amount),
        bid=positive(num(_BID, "bid")),
        ask=positive(num(_ASK, "ask")),
        pe_ttm=ratio(num(_PE_TTM, "PE TTM")),
        pe_dynamic=ratio(num(_PE_DYNAMIC, "PE dynamic")),
        pe_static=ratio(num(_PE_STATIC, "PE static")),
        market_cap=positive(num(_MARKET_CAP_YI, "market cap"), YI),
        high_52w=positive(num(_HIGH_52W, "52-week high")),
        low_52w=positive(num(_LOW_52W, "52-week low")),
        limit_up=positive(num(_LIMIT_UP, "limit up")),
        limit_down=positive(num(_LIMIT_DOWN, "limit down")),
        currency=currency if re.fullmatch(r"[A-Z]{3}", currency) else default_currency(symbol),
        delay_s=0,
        **_book_and_stats(num, unit, units_for(SOURCE, symbol.board).book),
    )
    # Inferred, not read: no public parser found documents a status field in this line (field
    # 40 is labelled "unknown" by the widely copied easyquotation parser).
    return with_status(quote, None, symbol)


def _volume_and_amount(symbol: Symbol, num: Callable[[int, str], Decimal | None]
                       ) -> tuple[Decimal | None, Decimal | None, int]:
    """Volume in shares, amount in CNY and the shares per volume unit used, by the board's
    units, checked against the payload.

    The exact CNY amount inside ``[35]`` (``price/volume/amount``) wins over ``[37]`` (万元,
    rounded). When amount ÷ volume ÷ average price ``[51]`` clearly implies another volume
    unit than the table's, the payload wins and the disagreement is logged.
    """
    units = units_for(SOURCE, symbol.board)
    raw_volume = num(_VOLUME_LOTS, "volume")
    amount = _exact_amount(num)
    if amount is None:
        wan = num(_AMOUNT_WAN, "amount")
        amount = None if wan is None else wan * units.amount
    unit = checked_volume_unit(SOURCE, symbol.board, Feed.QUOTE, raw_volume, amount,
                               num(_AVERAGE, "average price"))
    return (None if raw_volume is None else raw_volume * unit), amount, unit


def _exact_amount(num: Callable[[int, str], Decimal | None]) -> Decimal | None:
    try:
        return num(_PRICE_VOLUME_AMOUNT, "price/volume/amount")
    except BadPayload:
        return None


def _book_and_stats(num: Any, volume_unit: int, book_unit: int) -> dict[str, Any]:
    """The 五档 book, 内盘/外盘 and the day's statistics of one line, in shares and CNY.

    外盘/内盘 sum to the day's volume, so they take its unit (``volume_unit`` shares each);
    the book's sizes take the board's book unit (units.UNITS)."""

    def pairs(first: int, side: str) -> list[tuple[Decimal | None, Decimal | None]]:
        return [(num(first + 2 * level, f"{side}{level + 1} price"),
                 num(first + 2 * level + 1, f"{side}{level + 1} volume")) for level in range(5)]

    return {
        "book": order_book(pairs(_BID1, "bid"), pairs(_ASK1, "ask"), book_unit),
        "outside_volume": quantity(num(_OUTSIDE_LOTS, "outside volume"), volume_unit),
        "inside_volume": quantity(num(_INSIDE_LOTS, "inside volume"), volume_unit),
        "turnover_rate": percent(num(_TURNOVER, "turnover rate")),
        "amplitude": percent(num(_AMPLITUDE, "amplitude")),
        "float_market_cap": positive(num(_FLOAT_CAP_YI, "float market cap"), YI),
        "pb": book_ratio(num(_PB, "P/B")),
        "volume_ratio": percent(num(_VOLUME_RATIO, "volume ratio")),
        "avg_price": positive(num(_AVG_PRICE, "average price")),
    }


def build_history_url(
    base: str, code: str, start: date | None, end: date | None, *, adjust: str = "qfq"
) -> str:
    """``{base}/appstock/app/fqkline/get?param=sh600111,day,<start>,<end>,640,qfq``."""
    first = start.isoformat() if start else ""
    last = end.isoformat() if end else ""
    param = f"{code},day,{first},{last},{HISTORY_MAX_BARS},{adjust}"
    return f"{base.rstrip('/')}/appstock/app/fqkline/get?param={param}"


def parse_history(
    payload: str | bytes | Mapping[str, Any], *, code: str | None = None, source: str = SOURCE
) -> list[Bar]:
    """Daily bars from a fqkline answer, oldest first; volume in shares.

    Rows are ``[date, open, close, high, low, volume, …]`` under ``qfqday`` (or ``day``), the
    volume in lots but in shares for STAR codes (units.UNITS, Feed.DAILY); when a row goes on
    to ``{notes}, turnover, amount (万元)`` the amount is kept and checks the unit.
    A non-zero ``code`` or an unreadable body is BadPayload; no entry or no bar list for the
    code is SymbolNotFound.
    """
    document = _history_document(payload, source)
    status = document.get("code")
    if status not in (0, "0"):
        raise BadPayload(source, f"upstream error {status!r}: {document.get('msg', '')}")
    data = document.get("data")
    if not isinstance(data, Mapping) or not data:
        raise SymbolNotFound(source, code or "?", f"no history for {code or 'the code'}")
    key = code if code is not None else next(iter(data))
    entry = data.get(key)
    rows = None
    if isinstance(entry, Mapping):
        rows = entry.get("qfqday", entry.get("day"))
    if rows is None:
        raise SymbolNotFound(source, key, f"no history for {key}")
    if not isinstance(rows, list):
        raise BadPayload(source, f"{key}: bars are not a list", str(rows))
    try:
        symbol = parse_symbol(key)
    except SymbolError:
        raise BadPayload(source, f"unexpected code {key!r}") from None
    unit = _daily_unit(rows, symbol)
    bars = {bar.day: bar for bar in (_history_bar(symbol.key, row, unit, source) for row in rows)}
    return [bars[day] for day in sorted(bars)]


def _history_document(payload: str | bytes | Mapping[str, Any], source: str) -> Mapping[str, Any]:
    if isinstance(payload, Mapping):
        return payload
    text = decode_body(payload) if isinstance(payload, bytes) else payload
    try:
        document = json.loads(_JS_ASSIGNMENT.sub("", text, count=1))
    except ValueError:
        raise BadPayload(source, "history answer is not JSON", text) from None
    if not isinstance(document, Mapping):
        raise BadPayload(source, "history answer is not a JSON object", text)
    return document


def _daily_unit(rows: list[Any], symbol: Symbol) -> int:
    """The table's daily volume unit, checked on the newest row when it carries the amount (in
    万元 at [8], after [6] dividend notes and [7] turnover, as akshare's stock_hist_tx reads the
    rows): amount ÷ volume is that day's average, near its (adjusted) close."""
    row = rows[-1] if rows else None
    volume = amount = close = None
    if isinstance(row, list) and len(row) > _ROW_AMOUNT_WAN:
        with contextlib.suppress(ArithmeticError, TypeError, ValueError):
            volume, close = Decimal(str(row[5])), Decimal(str(row[2]))
            amount = Decimal(str(row[_ROW_AMOUNT_WAN])) * units_for(SOURCE, symbol.board,
                                                                    Feed.DAILY).amount
    return checked_volume_unit(SOURCE, symbol.board, Feed.DAILY, volume, amount, close,
                               LAST_PRICE_TOLERANCE)


def _history_bar(key: str, row: Any, volume_unit: int, source: str) -> Bar:
    if not isinstance(row, list) or len(row) < 5:
        raise BadPayload(source, f"{key}: malformed bar", json.dumps(row, ensure_ascii=False))
    try:
        day = date.fromisoformat(str(row[0]))
    except ValueError:
        raise BadPayload(source, f"{key}: bad bar date", str(row[0])) from None

    def num(index: int, what: str) -> Decimal | None:
        value = row[index] if index < len(row) else None
        return number(None if value is None else str(value), f"{key} {day} {what}", source=source)

    close = positive(num(2, "close"))
    if close is None:
        raise BadPayload(source, f"{key} {day}: bar without a close", json.dumps(row))
    return Bar(
        symbol=key,
        day=day,
        open=positive(num(1, "open")),
        high=positive(num(3, "high")),
        low=positive(num(4, "low")),
        close=close,
        volume=quantity(num(5, "volume"), volume_unit),
        amount=quantity(_row_amount(row, key, day, source)),
    )


def _row_amount(row: list[Any], key: str, day: date, source: str) -> Decimal | None:
    """The bar's amount in CNY from [8] (万元), when the row has it."""
    raw = row[_ROW_AMOUNT_WAN] if len(row) > _ROW_AMOUNT_WAN else None
    if isinstance(raw, Mapping | list):
        return None
    wan = number(None if raw is None else str(raw), f"{key} {day} amount", source=source)
    return None if wan is None else wan * WAN


def to_tencent(symbol: Symbol) -> str:
    """Tencent/Sina spelling: ``sh600111``, ``sz159713``, ``bj430047``."""
    if symbol.market is not Market.CN:
        raise SymbolError(f"{symbol} is not an A-share")
    return {Exchange.SS: "sh", Exchange.SZ: "sz", Exchange.BJ: "bj"}[symbol.exchange] + symbol.code
