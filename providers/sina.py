"""Sina (hq.sinajs.cn): real-time A-share prices, the fallback when Tencent is unavailable.

Answers ``var hq_str_sh600111="北方稀土,49.950,…,2026-08-21,15:00:03,00,";`` lines in GBK,
volume already in shares and amount in CNY. No P/E, market cap or 52-week range. Sina refuses
requests without ``Referer: https://finance.sina.com.cn/`` (HTTP 403 "Kinsoku jikou desu!").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from neodymium.providers.base import Provider
from neodymium.providers.book import order_book
from neodymium.providers.errors import AuthError, BadPayload, RateLimited, SymbolNotFound
from neodymium.providers.markets import SHANGHAI
from neodymium.providers.models import DataKind, Quote, QuoteBatch, TradingStatus
from neodymium.providers.status import SINA_NO_RECORD, UPSTREAM, sina_status
from neodymium.providers.symbols import Market, Symbol, SymbolError, parse_symbol
from neodymium.providers.tencent_parse import a_share_codes, decode_body, js_statements
from neodymium.providers.text import clean_text
from neodymium.providers.units import LAST_PRICE_TOLERANCE, Feed, checked_volume_unit, units_for
from neodymium.providers.values import default_currency, number, positive, quantity

SOURCE = "sina"
REFERER = "https://finance.sina.com.cn/"
QUOTE_BATCH_SIZE = 800

_STATEMENT = re.compile(r'var\s+hq_str_([A-Za-z0-9_]+)="([^"]*)"\s*;')
_NAME, _OPEN, _PREV_CLOSE, _LAST, _HIGH, _LOW, _BID, _ASK, _VOLUME, _AMOUNT = range(10)
_DATE, _TIME, _STATUS = 30, 31, 32
#: Book: bid1 volume (shares) at 10 and price at 11 … bid5 at 18/19; asks from 20 to 29.
_BID1_VOLUME, _ASK1_VOLUME = 10, 20
_MIN_FIELDS = _TIME + 1


def build_quote_url(base: str, codes: Sequence[str]) -> str:
    """``{base}/list=sh600111,sz159713`` for Sina codes (at most QUOTE_BATCH_SIZE)."""
    return f"{base.rstrip('/')}/list={','.join(codes)}"


def parse_quotes(text: str, *, source: str = SOURCE) -> tuple[dict[str, Quote], set[str]]:
    """Quotes by canonical key, and the Sina codes answered with an empty string.

    Anything that is not a complete ``var hq_str_…="…";`` statement, or a line too short to be
    dated, raises BadPayload: a truncated or foreign body is not trusted.
    """
    quotes: dict[str, Quote] = {}
    unknown: set[str] = set()
    for code, body in js_statements(text, _STATEMENT, source=source):
        fields = body.split(",")
        if not body.strip() or (len(fields) > _STATUS and fields[_STATUS] == SINA_NO_RECORD):
            unknown.add(code)
            continue
        # Current answers end the list with a comma, older ones did not; the fields read
        # stop at index 31, so the empty last item never matters.
        quote = parse_quote_fields(code, fields, source=source)
        quotes[quote.symbol] = quote
    return quotes, unknown


def parse_quote_fields(code: str, fields: Sequence[str], *, source: str = SOURCE) -> Quote:
    """One Sina quote line, split on ``,``, as a Quote.

    Field 32 is the trading status (``00`` normal, ``02`` halted for the day, ``07`` suspended…);
    a halted line is kept as it is: its zero prices become None, nothing is filled in.
    """
    try:
        symbol = parse_symbol(code)
    except SymbolError:
        raise BadPayload(source, f"unexpected code {code!r}") from None
    if len(fields) < _MIN_FIELDS:
        raise BadPayload(source, f"{code}: only {len(fields)} fields", ",".join(fields))
    as_of = _beijing_time(fields[_DATE], fields[_TIME])
    if as_of is None:
        stamp = f"{fields[_DATE]} {fields[_TIME]}"
        raise BadPayload(source, f"{code}: unreadable date/time", stamp)

    def num(index: int, what: str) -> Decimal | None:
        return number(fields[index], f"{code} {what} [{index}]", source=source)

    units = units_for(SOURCE, symbol.board)

    return Quote(
        symbol=symbol.key,
        as_of=as_of,
        source=source,
        name=clean_text(fields[_NAME]) or None,
        last=positive(num(_LAST, "last")),
        prev_close=positive(num(_PREV_CLOSE, "previous close")),
        open=positive(num(_OPEN, "open")),
        high=positive(num(_HIGH, "high")),
        low=positive(num(_LOW, "low")),
        volume=quantity(num(_VOLUME, "volume"), checked_volume_unit(
            SOURCE, symbol.board, Feed.QUOTE, num(_VOLUME, "volume"), num(_AMOUNT, "amount"),
            num(_LAST, "last"), LAST_PRICE_TOLERANCE)),
        amount=quantity(num(_AMOUNT, "amount"), units.amount),
        bid=positive(num(_BID, "bid")),
        ask=positive(num(_ASK, "ask")),
        currency=default_currency(symbol),
        delay_s=0,
        status=_status(fields),
        status_source=UPSTREAM if _status(fields) is not None else None,
        book=order_book(_pairs(num, _BID1_VOLUME, "bid"), _pairs(num, _ASK1_VOLUME, "ask"),
                        units.book),
    )


def _status(fields: Sequence[str]) -> TradingStatus | None:
    """Field 32 when the line has it (older answers stop at the time)."""
    if len(fields) <= _STATUS or not fields[_STATUS].strip():
        return None
    return sina_status(fields[_STATUS])


def _pairs(num: Any, first: int, side: str) -> list[tuple[Decimal | None, Decimal | None]]:
    """Sina writes each level volume first, then price."""
    return [(num(first + 2 * level + 1, f"{side}{level + 1} price"),
             num(first + 2 * level, f"{side}{level + 1} volume")) for level in range(5)]


def _beijing_time(day: str, clock: str) -> datetime | None:
    try:
        naive = datetime.strptime(f"{day.strip()} {clock.strip()}", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return naive.replace(tzinfo=SHANGHAI)


class SinaProvider(Provider):
    """Sina real-time A-share prices (no P/E, market cap or 52-week range)."""

    name = "sina"
    description = "Sina hq.sinajs.cn: real-time A-share prices (needs its Referer)"
    kinds = frozenset({DataKind.QUOTES})
    default_base_url = "https://hq.sinajs.cn"

    def supports(self, symbol: Symbol, kind: DataKind) -> bool:
        """A-shares (Shanghai, Shenzhen, Beijing) only."""
        return kind in self.kinds and symbol.market is Market.CN

    async def fetch_quotes(self, symbols: Sequence[Symbol]) -> QuoteBatch:
        """Quotes in batches of 800; unknown codes go in ``errors``."""
        wanted, errors = a_share_codes(symbols, self.name)
        codes = list(wanted)
        found: dict[str, Quote] = {}
        for start in range(0, len(codes), QUOTE_BATCH_SIZE):
            found.update(await self._request(codes[start : start + QUOTE_BATCH_SIZE]))
        quotes = {key: found[key] for key in wanted.values() if key in found}
        for code, key in wanted.items():
            if key not in quotes:
                errors[key] = SymbolNotFound(
                    self.name, key, f"Sina does not know {code} (not listed, or no longer)")
        return QuoteBatch(quotes=quotes, errors=errors)

    async def _request(self, codes: Sequence[str]) -> dict[str, Quote]:
        try:
            response = await self.get(
                build_quote_url(self.base_url, codes), headers={"Referer": REFERER}
            )
        except AuthError as exc:
            if "kinsoku" not in exc.excerpt.lower():
                raise
            raise AuthError(
                self.name,
                f"{exc.message} 'Kinsoku jikou desu!': Sina refuses requests whose Referer header "
                f"is missing or rejected (sent Referer: {REFERER})",
            ) from exc
        if not response.content.strip():
            raise RateLimited(self.name, "empty answer (Sina's sign of throttling)")
        quotes, _unknown = parse_quotes(decode_body(response.content), source=self.name)
        return quotes
