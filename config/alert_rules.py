"""Alert conditions and repeat policies, parsed from the strings users write in ``[[alerts]]``.

``when``: ``price >= 55``, ``price <= 40`` (also ``>`` and ``<``), ``change_pct >= 5``,
``change_pct <= -5``, ``volume_ratio >= 2``, ``limit_up``, ``limit_down``, ``limit_open`` (a
limit that opens: at a limit on one observation, off it on the next), ``high_52w`` (last reaches
the 52-week high), ``low_52w``, and ``stale`` or ``stale >= 60`` (no fresh quote for N seconds
while the market trades; without N, the configured stale age).

``repeat``: ``once`` (never again, across restarts), ``daily`` (re-armed at the symbol's next
session), ``every 10m`` (another crossing may fire once that long has passed; s, m, h).
Parsing is pure and raises :class:`RuleError` with a sentence saying what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class RuleError(ValueError):
    """A ``when`` or ``repeat`` that cannot be understood."""


class Kind(StrEnum):
    """What a condition looks at."""

    PRICE = "price"
    CHANGE_PCT = "change_pct"
    VOLUME_RATIO = "volume_ratio"
    LIMIT_UP = "limit_up"
    LIMIT_DOWN = "limit_down"
    LIMIT_OPEN = "limit_open"
    HIGH_52W = "high_52w"
    LOW_52W = "low_52w"
    STALE = "stale"


#: Conditions compared against a number; the others stand alone (``stale`` may take one).
COMPARED = frozenset({Kind.PRICE, Kind.CHANGE_PCT, Kind.VOLUME_RATIO})
OPERATORS = (">=", "<=", ">", "<")

_COMPARISON = re.compile(
    r"^\s*(?P<kind>[a-z_0-9]+)\s*(?:(?P<op>>=|<=|>|<)\s*(?P<value>[-+]?\d+(?:\.\d+)?)\s*)?$"
)
_EVERY = re.compile(r"^\s*every\s+(?P<n>\d+)\s*(?P<unit>[smh])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed ``when``: a kind, and for comparisons an operator and a threshold."""

    kind: Kind
    op: str | None = None
    value: float | None = None

    def __str__(self) -> str:
        if self.op is None:
            return self.kind.value
        return f"{self.kind.value} {self.op} {self.value:g}"

    def compare(self, observed: float) -> bool:
        """True when ``observed`` satisfies the operator and threshold."""
        assert self.op is not None and self.value is not None
        return {
            ">=": observed >= self.value, "<=": observed <= self.value,
            ">": observed > self.value, "<": observed < self.value,
        }[self.op]


class RepeatKind(StrEnum):
    """How often a rule may fire."""

    ONCE = "once"
    DAILY = "daily"
    EVERY = "every"


@dataclass(frozen=True, slots=True)
class Repeat:
    """A parsed ``repeat``; ``every`` carries its period."""

    kind: RepeatKind
    period: timedelta | None = None

    def __str__(self) -> str:
        if self.period is None:
            return self.kind.value
        seconds = int(self.period.total_seconds())
        for unit, size in (("h", 3600), ("m", 60)):
            if seconds % size == 0:
                return f"every {seconds // size}{unit}"
        return f"every {seconds}s"


def parse_when(text: str) -> Condition:
    """``"price >= 55"`` → Condition(PRICE, ">=", 55.0); RuleError says what is wrong."""
    match = _COMPARISON.match(text.lower())
    if match is None:
        raise RuleError(f"cannot read {text!r}; write e.g. \"price >= 55\" or \"limit_up\"")
    try:
        kind = Kind(match["kind"])
    except ValueError:
        known = ", ".join(k.value for k in Kind)
        raise RuleError(f"unknown condition {match['kind']!r}; known: {known}") from None
    op, raw = match["op"], match["value"]
    if kind in COMPARED:
        if op is None:
            raise RuleError(f"{kind.value} needs a comparison, e.g. \"{kind.value} >= 5\"")
        value = float(raw)
        if kind is Kind.PRICE and value <= 0:
            raise RuleError(f"a price threshold must be above 0, got {raw}")
        if kind is Kind.VOLUME_RATIO and value < 0:
            raise RuleError(f"a volume ratio threshold cannot be negative, got {raw}")
        return Condition(kind, op, value)
    if kind is Kind.STALE and op is not None:
        if op not in {">=", ">"}:
            raise RuleError("stale takes a number of seconds: \"stale >= 60\"")
        seconds = float(raw)
        if seconds <= 0:
            raise RuleError(f"stale needs a positive number of seconds, got {raw}")
        return Condition(kind, op, seconds)
    if op is not None:
        raise RuleError(f"{kind.value} takes no comparison; write just \"{kind.value}\"")
    return Condition(kind)


def parse_repeat(text: str) -> Repeat:
    """``"once"``, ``"daily"`` or ``"every 10m"``; RuleError says what is wrong."""
    lowered = text.strip().lower()
    if lowered in {RepeatKind.ONCE, RepeatKind.DAILY}:
        return Repeat(RepeatKind(lowered))
    match = _EVERY.match(lowered)
    if match is None:
        raise RuleError(f"repeat must be \"once\", \"daily\" or \"every 10m\", got {text!r}")
    seconds = int(match["n"]) * _UNIT_SECONDS[match["unit"]]
    if seconds < 1:
        raise RuleError("an \"every\" period must be at least 1s")
    return Repeat(RepeatKind.EVERY, timedelta(seconds=seconds))
