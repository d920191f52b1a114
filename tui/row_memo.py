"""Rows kept with what they were built from, so an unchanged symbol's row is not built again.

A snapshot a second mostly moves a few symbols; the tables' other rows come back as the same
objects, which the widgets compare in a step and do not repaint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

R = TypeVar("R")


class RowMemo(Generic[R]):
    """The last row built for each key and the inputs it was built from (only the keys of
    the last build are kept: memory stays bounded by the table's length)."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[tuple[object, ...], R]] = {}

    def row(self, key: str, inputs: tuple[object, ...], build: Callable[[], R]) -> R:
        """The row kept for ``key`` when ``inputs`` equal those it was built from, else
        ``build()``'s (kept for next time). Inputs are compared with ``==``, which finds
        the same objects equal in a step."""
        kept = self._rows.get(key)
        if kept is not None and kept[0] == inputs:
            return kept[1]
        row = build()
        self._rows[key] = (inputs, row)
        return row

    def keep(self, keys: Iterable[str]) -> None:
        """Forget every key but ``keys`` (symbols no longer shown)."""
        wanted = set(keys)
        for key in [key for key in self._rows if key not in wanted]:
            del self._rows[key]
