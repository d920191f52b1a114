"""How a symbol may be written, and the canonical key each spelling stands for.

Canonical keys: ``600111.SS`` (Shanghai), ``159713.SZ`` (Shenzhen), ``430047.BJ`` (Beijing),
bare tickers such as ``REMX`` for US listings, and ``0700.HK``, ``VOD.L`` and ``7203.T`` for
Hong Kong, London and Tokyo (Yahoo's spelling). These are text rules only, so the config can
check what the user wrote; ``neodymium.providers.symbols`` places a key on its board and market.
The exchange is never inferred from ``startswith("6")`` alone: Shanghai ETFs start with 5, and
``000001`` is a Shenzhen stock but also the Shanghai index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class SymbolError(ValueError):
    """A string that is not a symbol we can place on an exchange."""


@dataclass(frozen=True, slots=True)
class Spelling:
    """A symbol as parsed from text: its code and its exchange's suffix (``US`` for tickers)."""

    code: str
    suffix: str

    @property
    def key(self) -> str:
        """The canonical key: ``600111.SS``, ``0700.HK``, ``REMX``."""
        return self.code if self.suffix == "US" else f"{self.code}.{self.suffix}"


_CN_KEY = re.compile(r"^(\d{6})\.(SS|SH|SZ|BJ)$")
_CN_PREFIXED = re.compile(r"^(sh|sz|bj)(\d{6})$")
_US_TICKER = re.compile(r"^[A-Z][A-Z0-9.\-]{0,9}$")
_SUFFIX_ALIASES = {"SH": "SS", "sh": "SS", "sz": "SZ", "bj": "BJ"}
#: A mainland exchange's suffix on something that is not a six-digit code (``XYZ.SS``,
#: ``60011.SH``): a typo, not a US ticker with a dot.
_CN_SUFFIX = re.compile(r"^(.+)\.(SS|SH|SZ|BJ)$")
_CN_EXCHANGE_NAMES = {"SS": "Shanghai", "SH": "Shanghai", "SZ": "Shenzhen", "BJ": "Beijing"}
# Yahoo-style suffixes of other exchanges: 0700.HK, VOD.L, 7203.T.
_FOREIGN_KEY = re.compile(r"^(\d{1,5}\.HK|[A-Z0-9]{1,5}\.L|\d{3}[0-9A-Z]\.T)$")


def _suffix_for_bare_code(code: str) -> str:
    """Place a bare six-digit code on its exchange (stock rules, never index rules)."""
    if code.startswith(("43", "83", "87", "92")):
        return "BJ"
    if code.startswith(("5", "6", "9")):
        return "SS"
    return "SZ"


def spell(text: str) -> Spelling:
    """Parse user or config input into code and exchange suffix.

    Accepts ``600111.SS``, ``600111.SH``, ``sh600111``, a bare ``600111`` (placed by the
    exchange prefix table; a bare ``000001`` is the Shenzhen stock, write ``000001.SS`` for the
    index), ``0700.HK``-style keys and US tickers such as ``REMX``; raises :class:`SymbolError`.
    """
    raw = text.strip()
    if not raw:
        raise SymbolError("empty symbol")
    upper = raw.upper()
    if match := _CN_KEY.match(upper):
        return Spelling(match.group(1), _SUFFIX_ALIASES.get(match.group(2), match.group(2)))
    if match := _CN_SUFFIX.match(upper):
        raise SymbolError(f"{text!r} is not a symbol: a {_CN_EXCHANGE_NAMES[match.group(2)]} "
                          f"code has six digits (like 600111.SS)")
    if match := _CN_PREFIXED.match(raw.lower()):
        return Spelling(match.group(2), _SUFFIX_ALIASES[match.group(1)])
    if _FOREIGN_KEY.match(upper):
        code, suffix = upper.rsplit(".", 1)
        return Spelling(code.zfill(4) if suffix == "HK" else code, suffix)
    if re.fullmatch(r"\d{6}", raw):
        return Spelling(raw, _suffix_for_bare_code(raw))
    if _US_TICKER.match(upper) and not upper.isdigit():
        return Spelling(upper, "US")
    raise SymbolError(f"{text!r} is not a symbol (try 600111.SS, 159713.SZ or REMX)")


def canonical_symbol(value: str) -> str:
    """A symbol field's value in its canonical spelling, or the parser's reason as an error
    (pydantic reports a ValueError as the field's problem)."""
    return spell(value).key


#: The Beijing Stock Exchange moved its listed companies from 43/83/87 codes to 920 plus the
#: old code's last three digits in 2025 (833819 → 920819, 430489 → 920489).
_OLD_BEIJING_KEY = re.compile(r"^(?:43|83|87)\d(\d{3})\.BJ$")


def beijing_successor(key: str) -> str | None:
    """The 920 code an old Beijing code moved to (``430047.BJ`` → ``920047.BJ``), else None."""
    match = _OLD_BEIJING_KEY.match(key)
    return f"920{match.group(1)}.BJ" if match else None
