"""What every config section shares: strict unknown-key handling and bounds that name their
range."""

from __future__ import annotations

from typing import Any

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

