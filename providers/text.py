"""Text from the outside is data: strip what a terminal would interpret before it is shown."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote, urlsplit

# CSI (ESC [ … final), OSC (ESC ] … BEL or ST), other two-byte escapes, and 8-bit CSI.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_WHITESPACE = re.compile(r"\s+")


#: Short texts (names, codes, headlines) are cleaned once: the same ones come every second.
_CACHED_CHARS = 256


def clean_text(value: object, *, keep_newlines: bool = False) -> str:
    """Plain, printable text: escape sequences and control/format characters removed.

    Bidirectional overrides and other invisible format characters (Unicode category Cf) are
    dropped too, so a headline cannot reorder or hide what the terminal shows. Runs of
    whitespace collapse to one space (newlines kept when asked).
    """
    text = "" if value is None else str(value)
    if len(text) <= _CACHED_CHARS:
        return _clean_cached(text, keep_newlines)
    return _clean(text, keep_newlines)


def _clean(text: str, keep_newlines: bool) -> str:
    text = _ESCAPES.sub("", text)
    kept = []
    for char in text:
        if char == "\n" and keep_newlines:
            kept.append(char)
        elif char in "\t\r\n":
            kept.append(" ")
        elif unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"}:
            continue
        else:
            kept.append(char)
    text = "".join(kept)
    if keep_newlines:
        return "\n".join(_WHITESPACE.sub(" ", line).strip() for line in text.split("\n")).strip()
    return _WHITESPACE.sub(" ", text).strip()


_clean_cached = lru_cache(maxsize=2048)(_clean)


#: Characters a URL may carry as they are; everything else (spaces, quotes, non-ASCII) is
#: percent-encoded, and existing %XX escapes are kept.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"


def safe_link(value: object) -> str | None:
    """``value`` as a link a terminal may open: an absolute http(s) URL with a host, control
    characters removed and spaces (and anything else unsafe) percent-encoded; else None.
    ``javascript:``, ``file:`` and friends never become links."""
    text = clean_text(value)
    if not text:
        return None
    url = quote(text, safe=_URL_SAFE)
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return url
