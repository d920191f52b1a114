"""Tencent's minute line: ``web.ifzq.gtimg.cn/appstock/app/minute/query?code=sh600111``.

Answer (format as public clients read it; e.g. the test payloads in code corpus ids
70370113191, 63084924957 and 54811223473)::

    {"code":0,"msg":"","data":{"sh600519":{"data":{"data":["0930 1236.00 349 43136400.00",
      "0931 1234.06 1635 201743930.45", …],"date":"20260928"},"qt":{"sh600519":["1","贵州茅台",
      "600519","1271.00","1275.88", …]}}}}

Each row is ``HHMM price cumulative_volume cumulative_amount(CNY)``, the volume in lots, but in
shares for STAR codes as on the quote line and the daily bars (units.UNITS, Feed.MINUTE). No
STAR minute capture was found, so each session's last row checks the table: its cumulative
amount ÷ volume is the day's average price, which stays within a factor of 3 of the last price
on any board, while the two candidate units are 100× apart. The previous close is field 4 of
the embedded quote line. Rows that do not parse are dropped (clients see stray ones).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import httpx
from neodymium.providers.errors import BadPayload, SymbolNotFound
from neodymium.providers.intraday import Intraday, MinuteBar, minute_x, per_minute
from neodymium.providers.markets import SHANGHAI, Board
from neodymium.providers.symbols import Symbol, parse_symbol
from neodymium.providers.tencent_parse import HISTORY_BASE_URL, decode_body, to_tencent
from neodymium.providers.transport import TransportLimits, bounded_send
from neodymium.providers.units import LAST_PRICE_TOLERANCE, Feed, checked_volume_unit

SOURCE = "tencent"
MINUTE_PATH = "/appstock/app/minute/query"
#: Five sessions: data.<code>.data is a list of {date, prec, data: [rows]}, newest first (the
#: shape a public Rust client's tests parse, code corpus id 61998382585).
FIVE_DAY_PATH = "/appstock/app/day/query"


def build_minute_url(base: str, code: str) -> str:
    """``{base}/appstock/app/minute/query?code=sh600111``."""
    return f"{base.rstrip('/')}{MINUTE_PATH}?code={code}"


def parse_minutes(payload: bytes | str | Mapping[str, Any], code: str) -> Intraday:
    """The minute line of ``code``; a foreign body is BadPayload, no entry SymbolNotFound."""
    document = _document(payload)
    if document.get("code") not in (0, "0"):
        raise BadPayload(SOURCE, f"minute query error {document.get('code')!r}")
    entry = (document.get("data") or {}).get(code)
    if not isinstance(entry, Mapping) or not isinstance(entry.get("data"), Mapping):
        raise SymbolNotFound(SOURCE, code, f"no minute line for {code}")
    block = entry["data"]
    try:
        day = datetime.strptime(str(block.get("date")), "%Y%m%d").date()
    except ValueError:
        raise BadPayload(SOURCE, f"{code}: minute line without a date",
                         str(block.get("date"))) from None
    symbol = parse_symbol(code)
    return Intraday(symbol=symbol.key, day=day, source=SOURCE, prev_close=_prev_close(entry, code),
                    bars=_bars(day, block.get("data"), symbol.board))


def parse_five_days(payload: bytes | str | Mapping[str, Any], code: str) -> list[Intraday]:
    """The sessions of a day/query answer, oldest first, each with its own previous close."""
    document = _document(payload)
    if document.get("code") not in (0, "0"):
        raise BadPayload(SOURCE, f"day query error {document.get('code')!r}")
    entry = (document.get("data") or {}).get(code)
    days = entry.get("data") if isinstance(entry, Mapping) else None
    if not isinstance(days, list):
        raise SymbolNotFound(SOURCE, code, f"no five-day line for {code}")
    sessions = []
    symbol = parse_symbol(code)
    for block in days:
        if not isinstance(block, Mapping):
            continue
        try:
            day = datetime.strptime(str(block.get("date")), "%Y%m%d").date()
        except ValueError:
            continue
        prec = _positive(block.get("prec"))
        sessions.append(Intraday(symbol.key, day, SOURCE, prec,
                                 _bars(day, block.get("data"), symbol.board)))
    return sorted(sessions, key=lambda session: session.day)


def _bars(day: date, lines: object, board: Board) -> tuple[MinuteBar, ...]:
    rows = [_row(line) for line in lines or [] if isinstance(line, str)] \
        if isinstance(lines, list) else []
    parsed = [row for row in rows if row is not None]
    if not parsed:
        return ()
    _, last_price, last_volume, last_amount = parsed[-1]
    unit = checked_volume_unit(SOURCE, board, Feed.MINUTE, Decimal(repr(last_volume)),
                               Decimal(repr(last_amount)), Decimal(repr(last_price)),
                               LAST_PRICE_TOLERANCE)
    volumes = per_minute([raw * unit for _, _, raw, _ in parsed])
    bars = []
    for (clock, price, raw, amount), volume in zip(parsed, volumes, strict=True):
        shares = raw * unit
        bars.append(MinuteBar(at=datetime.combine(day, clock, SHANGHAI), price=price,
                              volume=volume, avg_price=amount / shares if shares else None))
    return tuple(bars)


def _positive(raw: object) -> float | None:
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def _document(payload: bytes | str | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(payload, Mapping):
        return payload
    text = decode_body(payload) if isinstance(payload, bytes) else payload
    start = text.find("{")  # tolerate the ``min_data=`` JS prefix some requests get
    try:
        document = json.loads(text[start:] if start >= 0 else text)
    except ValueError:
        raise BadPayload(SOURCE, "minute answer is not JSON", text) from None
    if not isinstance(document, Mapping):
        raise BadPayload(SOURCE, "minute answer is not an object", text)
    return document


def _row(line: str) -> tuple[time, float, float, float] | None:
    parts = line.split()
    if len(parts) < 4 or len(parts[0]) != 4 or not parts[0].isdigit():
        return None
    try:
        clock = time(int(parts[0][:2]), int(parts[0][2:]))
        price, lots, amount = float(parts[1]), float(parts[2]), float(parts[3])
    except ValueError:
        return None
    if minute_x(clock) is None or price <= 0 or lots < 0 or amount < 0:
        return None
    return clock, price, lots, amount


def _prev_close(entry: Mapping[str, Any], code: str) -> float | None:
    qt = entry.get("qt")
    line = qt.get(code) if isinstance(qt, Mapping) else None
    if isinstance(line, list) and len(line) > 4:
        return _positive(line[4])
    return None


async def fetch_minutes(client: httpx.AsyncClient, symbol: Symbol, base_url: str | None = None,
                        timeout: float = 5.0) -> Intraday:
    """Today's minute line from Tencent (A-shares)."""
    code = to_tencent(symbol)
    request = httpx.Request("GET", build_minute_url(base_url or HISTORY_BASE_URL, code))
    response = await bounded_send(client, SOURCE, request, TransportLimits(timeout=timeout))
    return parse_minutes(response.content, code)


async def fetch_five_days(client: httpx.AsyncClient, symbol: Symbol,
                          base_url: str | None = None, timeout: float = 5.0) -> list[Intraday]:
    """The last five sessions' minute lines from Tencent (A-shares), oldest first."""
    code = to_tencent(symbol)
    request = httpx.Request("GET", f"{(base_url or HISTORY_BASE_URL).rstrip('/')}{FIVE_DAY_PATH}",
                            params={"code": code})
    response = await bounded_send(client, SOURCE, request, TransportLimits(timeout=timeout))
    return parse_five_days(response.content, code)
