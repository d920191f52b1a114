"""What every config section shares: strict unknown-key handling, bounds that name their range,
and symbols spelled canonically."""

from __future__ import annotations

from typing import Any

from neodymium.providers.symbols import SymbolError, parse_symbol
from pydantic import AfterValidator, BaseModel, ConfigDict


def within(low: float, high: float, unit: str = "") -> AfterValidator:
    """A bound that names the whole range when it fails (NaN and inf fail too)."""

    def check(value: Any) -> Any:
        if not low <= value <= high:
            raise ValueError(f"must be between {low:g} and {high:g}{unit}")
        return value

    return AfterValidator(check)


class Section(BaseModel):
    """Base of every config section: strict about unknown keys, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def canonical_symbol(value: str) -> str:
    """A symbol field's value in its canonical spelling, or the parser's reason as an error."""
    try:
        return parse_symbol(value).key
    except SymbolError as exc:
        raise ValueError(str(exc)) from None
