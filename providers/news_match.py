"""What every news source shares: which watched symbols an item mentions, stable ids, links."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta

from neodymium.providers.symbols import Symbol
from neodymium.providers.text import clean_text

#: How far in the future an item's time may lie (clock skew) before it is clamped to the fetch.
FUTURE_TOLERANCE = timedelta(minutes=10)


def _code_pattern(code: str) -> re.Pattern[str]:
    # A whole token, optionally exchange-prefixed (sh600111): not inside 1600111 or 6001112.
    return re.compile(rf"(?<![0-9A-Za-z])(?:[sS][hHzZ]|[bB][jJ])?{re.escape(code)}(?![0-9A-Za-z])")


def mentioned_symbols(
    text: str, symbols: Sequence[Symbol], names: Mapping[str, str]
) -> tuple[str, ...]:
    """Canonical keys of the symbols whose code (as a whole token) or name appears in ``text``."""
    folded = text.casefold()
    matched: list[str] = []
    for symbol in symbols:
        name = (names.get(symbol.key) or "").strip()
        if _code_pattern(symbol.code).search(text) or (name and name.casefold() in folded):
            matched.append(symbol.key)
    return tuple(dict.fromkeys(matched))


def mentions_keyword(text: str, keywords: Iterable[str]) -> bool:
    """True when any non-blank keyword appears in ``text`` (case-insensitive)."""
    folded = text.casefold()
    return any(word.strip() and word.strip().casefold() in folded for word in keywords)


def web_url(value: object) -> str | None:
    """``value`` as a clean absolute http(s) URL, or None."""
    url = clean_text(value)
    return url if url.startswith(("https://", "http://")) else None


def stable_hash(*parts: object) -> str:
    """A short hex digest of the parts: the same input gives the same id on every run."""
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]
