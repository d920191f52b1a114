"""Store values as JSON and back: what a relay publishes and a subscriber reads.

Pure functions over the provider models. Validation on the way in is pydantic's, so a message
that lost a field, carries a naive time or a wrong type is refused with :class:`CodecError`
instead of reaching the store. Every message is an envelope ``{"v", "kind", "sent_at", "data"}``;
``sent_at`` is the relay's clock at publishing, for latency, never for freshness (that stays
the upstream's ``as_of`` and the relay's receipt time inside each quote state).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from neodymium.providers.models import Bar, NewsItem
from neodymium.providers.store import ProviderHealth, QuoteState
from pydantic import TypeAdapter, ValidationError

#: Bumped when the layout of ``data`` changes incompatibly; older messages are refused.
VERSION = 1


class CodecError(ValueError):
    """A relay message that cannot be read."""


@dataclass(frozen=True, slots=True)
class RelayHealth:
    """What a relay says about itself and its providers (the ``health`` key)."""

    relay_id: str
    host: str
    active: bool
    heartbeat_at: datetime
    providers: dict[str, ProviderHealth] = field(default_factory=dict)
    symbol_errors: dict[str, str] = field(default_factory=dict)
    loaded: tuple[str, ...] = ()
    #: Every symbol the relay polls (its config plus what subscribers asked for).
    symbols: tuple[str, ...] = ()
    simulated: bool = False


@dataclass(frozen=True, slots=True)
class Envelope:
    """One decoded message."""

    kind: str
    sent_at: datetime
    data: Any


_STATE = TypeAdapter(QuoteState)
_BARS = TypeAdapter(tuple[Bar, ...])
_NEWS = TypeAdapter(tuple[NewsItem, ...])
_HEALTH = TypeAdapter(RelayHealth)
_SENT = TypeAdapter(datetime)

ADAPTERS: dict[str, TypeAdapter[Any]] = {
    "quote": _STATE, "bars": _BARS, "news": _NEWS, "health": _HEALTH,
    # Each relay's own record, active or standby (a RelayHealth without providers).
    "presence": _HEALTH,
}


def _plain(value: object) -> object:
    """Serialiser fallback: the store's read-only mappings are plain dicts on the wire."""
    if isinstance(value, MappingProxyType):
        return dict(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def to_data(kind: str, value: object) -> object:
    """A store value as JSON-ready data (times as ISO 8601 with their offsets)."""
    adapter = ADAPTERS[kind]
    return adapter.dump_python(value, mode="json", fallback=_plain,
                               warnings=False)


def from_data(kind: str, data: object) -> Any:
    """Validate and rebuild a store value; :class:`CodecError` says what is wrong."""
    adapter = ADAPTERS.get(kind)
    if adapter is None:
        raise CodecError(f"unknown kind {kind!r}")
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise CodecError(f"bad {kind} message: {exc.error_count()} error(s), first: "
                         f"{exc.errors()[0]['msg']}") from None


def encode(kind: str, value: object, sent_at: datetime) -> bytes:
    """One message: the envelope around a store value, UTF-8 JSON."""
    envelope = {"v": VERSION, "kind": kind, "sent_at": sent_at.isoformat(),
                "data": to_data(kind, value)}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def decode(payload: bytes) -> Envelope:
    """Read one message; anything malformed raises :class:`CodecError`."""
    try:
        envelope = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CodecError(f"not JSON: {exc}") from None
    if not isinstance(envelope, dict) or envelope.get("v") != VERSION:
        raise CodecError("not a version-1 relay message")
    kind = envelope.get("kind")
    if not isinstance(kind, str):
        raise CodecError("message has no kind")
    try:
        sent_at = _SENT.validate_python(envelope.get("sent_at"))
    except ValidationError:
        raise CodecError("message has no valid sent_at") from None
    if sent_at.tzinfo is None:
        raise CodecError("sent_at must be timezone-aware")
    return Envelope(kind, sent_at, from_data(kind, envelope.get("data")))
