"""Names on the NATS side: bucket keys per symbol and kind, subjects, the lease bucket."""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Characters a KV key may hold besides the escape; anything else is written =XX (hex).
_PLAIN = re.compile(r"[A-Za-z0-9_.\-]")

QUOTE = "quote"
BARS = "bars"
NEWS = "news"
HEALTH = "health"
#: One key per relay, active or standby: its presence and heartbeat.
PRESENCE = "relay"
LEASE_KEY = "holder"


def escape(symbol: str) -> str:
    """A symbol as a KV key token (``600111.SS`` stays, ``^GSPC`` becomes ``=5EGSPC``)."""
    return "".join(ch if _PLAIN.fullmatch(ch) else "".join(f"={b:02X}" for b in ch.encode())
                   for ch in symbol)


def unescape(token: str) -> str:
    """The inverse of :func:`escape`."""
    raw = re.sub(rb"=([0-9A-F]{2})", lambda m: bytes([int(m.group(1), 16)]), token.encode())
    return raw.decode()


def quote_key(symbol: str) -> str:
    """The bucket key of a symbol's merged quote."""
    return f"{QUOTE}.{escape(symbol)}"


def bars_key(symbol: str) -> str:
    """The bucket key of a symbol's daily bars."""
    return f"{BARS}.{escape(symbol)}"


def symbol_keys(symbols: Iterable[str]) -> list[str]:
    """The bucket keys of each symbol's quote and bars."""
    return [key for symbol in symbols for key in (quote_key(symbol), bars_key(symbol))]


def presence_key(relay_id: str) -> str:
    """The bucket key of one relay's presence record."""
    return f"{PRESENCE}.{escape(relay_id)}"


def split_key(key: str) -> tuple[str, str | None]:
    """``quote.600111.SS`` → (``quote``, ``600111.SS``); ``news`` → (``news``, None)."""
    kind, _, rest = key.partition(".")
    return kind, (unescape(rest) if rest else None)


def lease_bucket(bucket: str) -> str:
    """The bucket whose one key says which relay polls; its TTL is the lease's."""
    return f"{bucket}-lease"


def want_subject(bucket: str) -> str:
    """Where subscribers ask for symbols (request/reply)."""
    return f"neodymium.{bucket}.want"


def update_subject(bucket: str, key: str) -> str:
    """Where each change is also published, for consumers that do not read the bucket."""
    return f"neodymium.{bucket}.update.{key}"
