"""Eastmoney push2 answers: the JSON envelope and the field reader shared by every endpoint.

Answers are requested with ``fltt=2`` (decimals), but the readers also take the raw form (prices
×10^decimals, percents ×100).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from neodymium.providers.errors import BadPayload
from neodymium.providers.markets import SHANGHAI
from neodymium.providers.payloads import json_document
from neodymium.providers.symbols import Exchange, Market, Symbol, SymbolError
from neodymium.providers.values import number

NAME = "eastmoney"


def field_codes(*numbers: int) -> frozenset[str]:
    """The field names ``f<n>`` of ``numbers``."""
    return frozenset(f"f{n}" for n in numbers)


def unix_time(raw: object, what: str, *, source: str = NAME) -> datetime | None:
    """Unix seconds as an Asia/Shanghai datetime, or None when missing or zero."""
    value = number(raw, what, source=source)
    if value is None or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(int(value), SHANGHAI)
    except (OverflowError, OSError, ValueError):
        raise BadPayload(source, f"{what} is not a time", str(raw)) from None



@dataclass(frozen=True, slots=True)
class Fields:
    """Reads one answer object, undoing the raw form's scaling when ``fltt`` was not 2."""

    data: Mapping[str, Any]
    raw: bool
    decimals: int
    prices: frozenset[str]
    percents: frozenset[str]
    where: str
    source: str

    def get(self, key: str) -> Decimal | None:
        value = number(self.data.get(key), f"{self.where} {key}", source=self.source)
        if value is None or not self.raw:
            return value
        if key in self.prices:
            return value.scaleb(-self.decimals)
        if key in self.percents:
            return value.scaleb(-2)
        return value


def price_decimals(data: Mapping[str, Any], key: str, raw: bool, where: str, source: str) -> int:
    value = number(data.get(key), f"{where} {key}", source=source)
    if value is None:
        if raw:
            raise BadPayload(source, f"{where}: raw answer without price decimals ({key})")
        return 2
    if value != value.to_integral_value() or not 0 <= value <= 6:
        raise BadPayload(source, f"{where}: implausible price decimals {key}={value}")
    return int(value)


def is_raw(fltt: int | str | None) -> bool:
    return str(fltt) != "2"



# -- JSON envelope ------------------------------------------------------------------------------


def load_document(
    payload: bytes | str | Mapping[str, Any], *, source: str = NAME
) -> Mapping[str, Any]:
    """The JSON object of an answer; an empty, truncated or foreign body is BadPayload.

    A non-zero ``rc`` (Eastmoney's own error code) is BadPayload too.
    """
    document = json_document(payload, source)
    if not isinstance(document, Mapping):
        raise BadPayload(source, "answer is not a JSON object", json.dumps(document)[:200])
    rc = document.get("rc", 0)
    if rc not in (0, "0"):
        raise BadPayload(source, f"upstream error rc={rc!r}")
    return document


def to_eastmoney_secid(symbol: Symbol) -> str:
    """Eastmoney secid: ``1.600111`` for Shanghai (stocks, ETFs and indexes), else ``0.``."""
    if symbol.market is not Market.CN:
        raise SymbolError(f"{symbol} needs a resolved Eastmoney US market (105/106/107)")
    return f"{1 if symbol.exchange is Exchange.SS else 0}.{symbol.code}"
