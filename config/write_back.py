"""Edits the app makes to the user's config file (watchlist, groups, primary, positions,
alerts): applied with comments and layout kept, validated, then written atomically."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from neodymium.config.loader import atomic_write, default_config_text, parse_settings
from neodymium.config.settings import AlertRule, PositionSettings

if TYPE_CHECKING:  # imported by the edits themselves, not by every start
    import tomlkit


def _edit(path: Path, change: Callable[[tomlkit.TOMLDocument], object]) -> None:
    """Apply ``change`` to the user's file (a missing one starts from the shipped default),
    keeping comments and layout; the result is validated before it atomically replaces the
    file, so a bad edit never reaches the disk."""
    import tomlkit

    source = path.read_text(encoding="utf-8-sig") if path.exists() else default_config_text()
    document = tomlkit.parse(source)
    change(document)
    text = tomlkit.dumps(document)
    parse_settings(text, str(path))
    atomic_write(path, text)


def _set_watch(path: Path, key: str, value: object, group: bool = False) -> None:
    """Set ``[watch].<key>`` (or ``[watch.groups].<key>``) to ``value``, a list written as a
    TOML array (comments kept, validated, atomic)."""

    def change(document: tomlkit.TOMLDocument) -> None:
        import tomlkit

        table = document.setdefault("watch", tomlkit.table())
        if group:
            table = table.setdefault("groups", tomlkit.table())
        if isinstance(value, list):
            array = tomlkit.array()
            array.extend(value)
            table[key] = array
        else:
            table[key] = value

    _edit(path, change)


def update_watchlist(path: Path, symbols: list[str], key: str = "symbols") -> None:
    """Rewrite ``[watch].<key>`` (``symbols`` or ``compare``) in the user's file, keeping
    comments and layout; validated and atomic (see :func:`_edit`)."""
    if key not in {"symbols", "compare"}:
        raise ValueError(f"cannot edit watch.{key}")
    _set_watch(path, key, symbols)


def _toml_number(value: Decimal) -> int | float:
    """A decimal as TOML writes it: an integer when whole, else the float with its digits."""
    return int(value) if value == value.to_integral_value() else float(value)


def update_positions(path: Path, positions: Sequence[PositionSettings]) -> None:
    """Rewrite the ``[[positions]]`` tables in the user's file (comments elsewhere kept)."""
    rows: list[dict[str, object]] = []
    for position in positions:
        row: dict[str, object] = {"symbol": position.symbol,
                                  "shares": _toml_number(position.shares),
                                  "cost": _toml_number(position.cost)}
        if position.fees:
            row["fees"] = _toml_number(position.fees)
        rows.append(row)
    _write_tables(path, "positions", rows)


def update_alerts(path: Path, rules: Sequence[AlertRule]) -> None:
    """Rewrite the ``[[alerts]]`` tables in the user's file (comments elsewhere kept)."""
    _write_tables(path, "alerts", [
        {"symbol": rule.symbol, "when": rule.when, "repeat": rule.repeat}
        | ({"note": rule.note} if rule.note else {})
        for rule in rules
    ])


def _write_tables(path: Path, key: str, rows: Sequence[Mapping[str, object]]) -> None:
    """Replace an array of tables (validated and atomic, see :func:`_edit`)."""

    def change(document: tomlkit.TOMLDocument) -> None:
        import tomlkit

        tables = tomlkit.aot()
        for row in rows:
            table = tomlkit.table()
            for name, value in row.items():
                table[name] = value
            tables.append(table)
        if rows:
            document[key] = tables
        elif key in document:
            del document[key]

    _edit(path, change)


def update_watch_group(path: Path, group: str, symbols: list[str]) -> None:
    """Rewrite ``[watch.groups].<group>`` (comments kept, validated, atomic)."""
    _set_watch(path, group, symbols, group=True)


def save_primary(path: Path, key: str) -> None:
    """Remember ``key`` as ``[watch].primary`` for the next start (comments kept, atomic)."""
    _set_watch(path, "primary", key)
