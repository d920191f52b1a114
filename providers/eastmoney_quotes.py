"""Eastmoney push2 quotes: ``ulist.np`` (batches of secids) and ``stock/get`` (one rich quote).

ulist lacks the 52-week range, price limits and the order book; those come from stock/get and are
merged in for the same Shanghai trading day (:func:`merge_rich`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from neodymium.providers.eastmoney_extras import (
    FILLABLE,
    LIVE_ONLY,
    STOCK_GET_EXTRA_FIELDS,
    ULIST_EXTRA_FIELDS,
    stock_get_extras,
    ulist_extras,
)
from neodymium.providers.eastmoney_fields import (
    NAME,
    SHANGHAI,
    Fields,
    field_codes,
    is_raw,
    load_document,
    price_decimals,
    unix_time,
)
from neodymium.providers.errors import BadPayload, SymbolNotFound
from neodymium.providers.models import Quote
from neodymium.providers.options import ULIST_BATCH_SIZE
from neodymium.providers.status import eastmoney_status, with_status
from neodymium.providers.symbols import Symbol, parse_symbol
from neodymium.providers.text import clean_text
from neodymium.providers.units import LAST_PRICE_TOLERANCE, Feed, checked_volume_unit
from neodymium.providers.values import default_currency, positive, quantity, ratio

#: stock/get fields: last, high, low, open, volume, amount, limits, code, name, decimals,
#: previous close, time, market cap, PE dynamic/static/TTM, 52-week high/low, trading status.
STOCK_GET_FIELDS = (
    "f43,f44,f45,f46,f47,f48,f51,f52,f57,f58,f59,f60,f86,f116,f162,f163,f164,f174,f175,f292,"
    + STOCK_GET_EXTRA_FIELDS
)
#: ulist fields: decimals, last, volume, amount, PE dynamic, code, market, name, high, low, open,
#: previous close, market cap, PE static, PE TTM, time, trade date.
ULIST_FIELDS = (
    "f1,f2,f5,f6,f9,f12,f13,f14,f15,f16,f17,f18,f20,f114,f115,f124,f297," + ULIST_EXTRA_FIELDS
)

# Which stock/get fields the raw (no fltt) form scales, and how.
_STOCK_GET_PRICES = field_codes(
    11, 13, 15, 17, 19, 31, 33, 35, 37, 39, 43, 44, 45, 46, 51, 52, 60, 71, 169, 174, 175
)
_STOCK_GET_PERCENTS = field_codes(50, 162, 163, 164, 167, 168, 170, 171)
# Which ulist fields the raw form scales. f1 is taken to be the price decimals there, like f59
# in stock/get (seen in public clist/ulist clients, not in the research); requests send fltt=2.
_ULIST_PRICES = field_codes(2, 4, 15, 16, 17, 18)
_ULIST_PERCENTS = field_codes(3, 7, 8, 9, 10, 23, 114, 115)


# -- stock/get ----------------------------------------------------------------------------------


def build_stock_get_params(secid: str, fltt: int | None = 2) -> dict[str, str]:
    """Query parameters of a ``stock/get`` request for one secid."""
    params = {"secid": secid, "invt": "2", "fields": STOCK_GET_FIELDS}
    if fltt is not None:
        params["fltt"] = str(fltt)
    return params


def decode_stock_get(
    data: Mapping[str, Any],
    fltt: int | str | None,
    *,
    symbol: Symbol | None = None,
    source: str = NAME,
    delay_s: int = 0,
) -> Quote:
    """The ``data`` object of a stock/get answer as a Quote in shares and CNY.

    ``fltt`` is what the request sent: with 2 the prices are decimals, otherwise they are
    integers ×10^f59 and percents ×100. ``symbol`` defaults to the one ``f57`` names.
    """
    if symbol is None:
        code = clean_text(data.get("f57"))
        if not code:
            raise BadPayload(source, "stock/get answer without a code (f57)")
        symbol = parse_symbol(code)
    where = f"stock/get {symbol.key}"
    raw = is_raw(fltt)
    fields = Fields(
        data=data,
        raw=raw,
        decimals=price_decimals(data, "f59", raw, where, source),
        prices=_STOCK_GET_PRICES,
        percents=_STOCK_GET_PERCENTS,
        where=where,
        source=source,
    )
    # f48 ÷ f47 is the average price f71 in the table's unit; a disagreement is logged.
    unit = checked_volume_unit(NAME, symbol.board, Feed.QUOTE, fields.get("f47"),
                               fields.get("f48"), fields.get("f71"))
    as_of = unix_time(data.get("f86"), f"{where} f86", source=source)
    if as_of is None:
        raise BadPayload(source, f"{where}: no quote time (f86)")
    quote = Quote(
        symbol=symbol.key,
        as_of=as_of,
        source=source,
        name=clean_text(data.get("f58")) or None,
        last=positive(fields.get("f43")),
        prev_close=positive(fields.get("f60")),
        open=positive(fields.get("f46")),
        high=positive(fields.get("f44")),
        low=positive(fields.get("f45")),
        volume=quantity(fields.get("f47"), unit),
        amount=quantity(fields.get("f48")),
        bid=positive(fields.get("f19")),
        ask=positive(fields.get("f39")),
        pe_ttm=ratio(fields.get("f164")),
        pe_dynamic=ratio(fields.get("f162")),
        pe_static=ratio(fields.get("f163")),
        market_cap=positive(fields.get("f116")),
        high_52w=positive(fields.get("f174")),
        low_52w=positive(fields.get("f175")),
        limit_up=positive(fields.get("f51")),
        limit_down=positive(fields.get("f52")),
        currency=default_currency(symbol),
        delay_s=delay_s,
        **stock_get_extras(fields.get, symbol.board, unit),
    )
    return with_status(quote, eastmoney_status(data.get("f292")), symbol)


def parse_stock_get(
    payload: bytes | str | Mapping[str, Any],
    fltt: int | str | None,
    *,
    symbol: Symbol,
    source: str = NAME,
    delay_s: int = 0,
) -> Quote:
    """A whole stock/get answer; ``data: null`` (Eastmoney's "unknown secid") is SymbolNotFound."""
    document = load_document(payload, source=source)
    data = document.get("data")
    if data is None:
        raise SymbolNotFound(source, symbol.key, f"Eastmoney does not know {symbol.key}")
    if not isinstance(data, Mapping):
        raise BadPayload(source, "stock/get data is not an object", json.dumps(data)[:200])
    return decode_stock_get(data, fltt, symbol=symbol, source=source, delay_s=delay_s)


# -- ulist.np -----------------------------------------------------------------------------------


def build_ulist_params(secids: Sequence[str], fltt: int | None = 2) -> dict[str, str]:
    """Query parameters of one ``ulist.np`` request (at most ULIST_BATCH_SIZE secids)."""
    if len(secids) > ULIST_BATCH_SIZE:
        raise ValueError(f"at most {ULIST_BATCH_SIZE} secids per ulist request")
    params = {"secids": ",".join(secids), "invt": "2", "fields": ULIST_FIELDS}
    if fltt is not None:
        params["fltt"] = str(fltt)
    return params


def decode_ulist_item(
    item: Mapping[str, Any],
    fltt: int | str | None,
    *,
    symbol: Symbol,
    source: str = NAME,
    delay_s: int = 0,
) -> Quote:
    """One ``data.diff`` entry of a ulist answer as a Quote (no 52-week range, limits or book)."""
    where = f"ulist {symbol.key}"
    raw = is_raw(fltt)
    fields = Fields(
        data=item,
        raw=raw,
        decimals=price_decimals(item, "f1", raw, where, source),
        prices=_ULIST_PRICES,
        percents=_ULIST_PERCENTS,
        where=where,
        source=source,
    )
    as_of = unix_time(item.get("f124"), f"{where} f124", source=source)
    if as_of is None:
        raise BadPayload(source, f"{where}: no quote time (f124)")
    quote = Quote(
        symbol=symbol.key,
        as_of=as_of,
        source=source,
        name=clean_text(item.get("f14")) or None,
        last=positive(fields.get("f2")),
        prev_close=positive(fields.get("f18")),
        open=positive(fields.get("f17")),
        high=positive(fields.get("f15")),
        low=positive(fields.get("f16")),
        volume=quantity(fields.get("f5"), checked_volume_unit(
            NAME, symbol.board, Feed.QUOTE, fields.get("f5"), fields.get("f6"), fields.get("f2"),
            LAST_PRICE_TOLERANCE)),
        amount=quantity(fields.get("f6")),
        pe_ttm=ratio(fields.get("f115")),
        pe_dynamic=ratio(fields.get("f9")),
        pe_static=ratio(fields.get("f114")),
        market_cap=positive(fields.get("f20")),
        currency=default_currency(symbol),
        delay_s=delay_s,
        **ulist_extras(fields.get),
    )
    return with_status(quote, None, symbol)


def _diff_items(data: Mapping[str, Any], source: str) -> Iterator[Mapping[str, Any]]:
    diff = data.get("diff")
    if isinstance(diff, Mapping):  # without np=1 the list comes keyed "0", "1", …
        diff = list(diff.values())
    if not isinstance(diff, list):
        raise BadPayload(source, "ulist data.diff is not a list", json.dumps(diff)[:200])
    for item in diff:
        if not isinstance(item, Mapping):
            raise BadPayload(source, "ulist entry is not an object", json.dumps(item)[:200])
        yield item


def parse_ulist(
    payload: bytes | str | Mapping[str, Any],
    wanted: Mapping[str, Symbol],
    fltt: int | str | None,
    *,
    source: str = NAME,
    delay_s: int = 0,
) -> tuple[dict[str, Quote], dict[str, BadPayload]]:
    """Quotes by canonical key from a ulist answer, and per-symbol decoding failures.

    ``wanted`` maps each requested secid to its symbol; entries for secids not asked for are
    ignored. Unknown secids are simply absent (all unknown: ``data: null``).
    """
    document = load_document(payload, source=source)
    data = document.get("data")
    if data is None:
        return {}, {}
    if not isinstance(data, Mapping):
        raise BadPayload(source, "ulist data is not an object", json.dumps(data)[:200])
    quotes: dict[str, Quote] = {}
    failures: dict[str, BadPayload] = {}
    for item in _diff_items(data, source):
        secid = f"{clean_text(item.get('f13'))}.{clean_text(item.get('f12'))}"
        symbol = wanted.get(secid)
        if symbol is None:
            continue
        try:
            quotes[symbol.key] = decode_ulist_item(
                item, fltt, symbol=symbol, source=source, delay_s=delay_s
            )
        except BadPayload as error:
            failures[symbol.key] = error
    return quotes, failures


# -- merging the cached stock/get fields --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RichFields:
    """A stock/get quote kept for the fields ulist lacks, with when it was fetched."""

    quote: Quote
    fetched_at: datetime

    def trade_day(self) -> date:
        """The Shanghai date the stock/get answer describes."""
        return self.quote.as_of.astimezone(SHANGHAI).date()


def merge_rich(quote: Quote, rich: RichFields | None, *, book: bool) -> Quote:
    """``quote`` (from ulist) completed with stock/get fields of the same trading day.

    Price limits and the 52-week range are used only when ``rich`` describes the same Shanghai
    trading day (limits change daily). The 52-week range is widened by today's high/low, which
    may have broken it since it was fetched. ``book`` says ``rich`` was fetched this cycle, so
    its bid/ask are current; a cached book is never shown. The trading status is stock/get's
    (see :func:`_status`). Other values ulist already has win.
    """
    if rich is None or rich.trade_day() != quote.as_of.astimezone(SHANGHAI).date():
        return quote
    cached = rich.quote
    high_52w = _widest(max, cached.high_52w, quote.high)
    low_52w = _widest(min, cached.low_52w, quote.low)
    merged = replace(
        quote,
        name=quote.name or cached.name,
        high_52w=high_52w if cached.high_52w is not None else None,
        low_52w=low_52w if cached.low_52w is not None else None,
        limit_up=cached.limit_up,
        limit_down=cached.limit_down,
        bid=cached.bid if book else None,
        ask=cached.ask if book else None,
        pe_ttm=quote.pe_ttm if quote.pe_ttm is not None else cached.pe_ttm,
        pe_dynamic=quote.pe_dynamic if quote.pe_dynamic is not None else cached.pe_dynamic,
        pe_static=quote.pe_static if quote.pe_static is not None else cached.pe_static,
        market_cap=quote.market_cap if quote.market_cap is not None else cached.market_cap,
        **_status(quote, cached, book),
    )
    live: dict[str, Any] = {name: getattr(cached, name) if book else None for name in LIVE_ONLY}
    filled: dict[str, Any] = {
        name: getattr(cached, name) for name in FILLABLE if getattr(quote, name) is None
    }
    return replace(merged, **live, **filled)


def _status(quote: Quote, cached: Quote, fresh: bool) -> dict[str, Any]:
    """stock/get's status (read from f292, 停牌 / 盘中停牌) over ulist's, which is only inferred,
    with its source.

    A cached one holds until ulist shows trades since it was fetched (a halt was lifted).
    """
    traded_since = (
        quote.volume is not None and cached.volume is not None and quote.volume > cached.volume
    )
    source = quote if cached.status is None or (traded_since and not fresh) else cached
    return {"status": source.status, "status_source": source.status_source}


def _widest(pick: Any, *values: float | None) -> float | None:
    present = [value for value in values if value is not None]
    return pick(present) if present else None

