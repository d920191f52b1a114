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
    """Base of every config section: strict about unknown keys, immutable once loaded.

    ``defer_build``: a model's validator is built when it first validates, not when its class
    is defined, so loading a config builds one schema for the whole Settings instead of one
    per section class at import (the watcher's first frame waits for it).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

