"""How the cache stores values: finite numbers, instants as epoch microseconds for ordering,
quotes and news items as JSON that keeps each time's zone."""

from __future__ import annotations

import json
import math
from contextlib import suppress
from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from neodymium.providers.models import NewsItem, NewsKind, Quote

_QUOTE_FIELDS = frozenset(f.name for f in fields(Quote))
_NEWS_FIELDS = frozenset(f.name for f in fields(NewsItem))


def finite(value: float | None) -> float | None:
    """A finite number or None (SQLite would turn NaN into NULL anyway)."""
    if value is None or not math.isfinite(value):
        return None
    return value


def micros(moment: datetime) -> int:
    """Microseconds since the epoch, for ordering by instant whatever the zone."""
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _moment_json(moment: datetime) -> dict[str, str | None]:
    zone = moment.tzinfo.key if isinstance(moment.tzinfo, ZoneInfo) else None
    return {"iso": moment.isoformat(), "zone": zone}


def _moment_from_json(value: dict[str, str | None]) -> datetime:
    moment = datetime.fromisoformat(str(value["iso"]))
    if value.get("zone"):
        with suppress(ZoneInfoNotFoundError, ValueError):
            moment = moment.astimezone(ZoneInfo(str(value["zone"])))
    return moment


def quote_json(quote: Quote) -> str:
    """A quote as JSON: every field, non-finite numbers as null, ``as_of`` with its zone."""
    data: dict[str, Any] = {
        key: None if isinstance(value, float) and not math.isfinite(value) else value
        for key, value in asdict(quote).items()
    }
    data["as_of"] = _moment_json(quote.as_of)
    return json.dumps(data, ensure_ascii=False, allow_nan=False, default=_plain)


def quote_from_json(payload: str) -> Quote | None:
    """The quote stored by :func:`quote_json`, or None when it cannot be read back."""
    try:
        data = {k: v for k, v in json.loads(payload).items() if k in _QUOTE_FIELDS}
        data["as_of"] = _moment_from_json(data["as_of"])
        # A stored order book is stale by definition: a start-up never shows one.
        data["book"] = None
        return Quote(**data)
    except (ValueError, KeyError, TypeError):
        return None


def news_json(item: NewsItem) -> str:
    """A news item as JSON, ``published`` with its zone."""
    data = asdict(item)
    data["published"] = _moment_json(item.published)
    data["symbols"] = list(item.symbols)
    data["kind"] = item.kind.value
    return json.dumps(data, ensure_ascii=False, default=_plain)


def news_from_json(payload: str) -> NewsItem | None:
    """The item stored by :func:`news_json`, or None when it cannot be read back."""
    try:
        data = {k: v for k, v in json.loads(payload).items() if k in _NEWS_FIELDS}
        data["published"] = _moment_from_json(data["published"])
        data["symbols"] = tuple(data.get("symbols", ()))
        data["kind"] = NewsKind(data.get("kind", NewsKind.NEWS))
        return NewsItem(**data)
    except (ValueError, KeyError, TypeError):
        return None


def _plain(value: object) -> object:
    """numpy scalars and the like, as plain Python numbers."""
    item = getattr(value, "item", None)
    if callable(item):
        return item()
    raise TypeError(f"cannot store {type(value).__name__} in the cache")
