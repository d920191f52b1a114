"""What one value read from a relay's bucket means to a subscriber's store."""

from __future__ import annotations

from typing import Any

from neodymium.providers.relay import keys
from neodymium.providers.store import Merged


def merged_for(kind: str, symbol: str | None, data: Any, *, direct: bool) -> Merged | None:
    """The store update a quote, bars or news value makes (None for other kinds). While the
    subscriber polls directly its own quotes win, so the relay's are not folded in."""
    if kind == keys.QUOTE and symbol is not None and not direct:
        return Merged(quotes={symbol: data})
    if kind == keys.BARS and symbol is not None:
        return Merged(bars={symbol: data})
    if kind == keys.NEWS:
        return Merged(news=data)
    return None
