"""``neodymium positions [--json] [--private]``: value the holdings once and print them."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from neodymium.config.settings import Settings
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.models import DataKind
from neodymium.providers.positions import value_positions
from neodymium.providers.runtime import Runtime
from neodymium.tui.positions_view import COLUMNS, position_cells, positions_json, totals_text
from rich.console import Console
from rich.table import Table

RIGHT = frozenset(COLUMNS) - {"Symbol", "Name"}


def holdings_only(settings: Settings) -> Settings:
    """The settings narrowed to the held symbols (nothing else is fetched)."""
    held = [p.symbol for p in settings.positions]
    watch = settings.watch.model_copy(update={"primary": held[0], "symbols": held,
                                              "compare": []})
    return settings.model_copy(update={"watch": watch, "alerts": []})


async def run_positions(settings: Settings, *, as_json: bool, private: bool, timeout: float,
                        seed: int | None = None, clock: Clock = system_clock,
                        out: TextIO | None = None) -> int:
    """Fetch the held symbols' quotes once and print the positions; 1 when none is priced."""
    out = out or sys.stdout
    if not settings.positions:
        print("neodymium: no [[positions]] in the config", file=sys.stderr)
        return 1
    narrowed = holdings_only(settings)
    async with Runtime(narrowed, clock=clock, seed=seed, kinds={DataKind.QUOTES}) as runtime:
        snapshot = await runtime.poll_once(timeout)
    rows, totals = value_positions(settings.positions, snapshot.quotes)
    for key, reason in snapshot.symbol_errors.items():
        print(f"neodymium: {key}: {reason}", file=sys.stderr)
    if as_json:
        print(json.dumps(positions_json(rows, totals, private), ensure_ascii=False, indent=2),
              file=out)
    else:
        console = Console(file=out, soft_wrap=False,
                          width=None if out.isatty() else 160, no_color=private and
                          not settings.privacy.colors)
        table = Table(header_style="bold", box=None)
        for column in COLUMNS:
            table.add_column(column, justify="right" if column in RIGHT else "left",
                             no_wrap=True)
        for row in rows:
            table.add_row(*position_cells(row, settings.display.colors, private,
                                          settings.privacy))
        console.print(table)
        console.print(totals_text(totals, settings.display.colors, private, settings.privacy))
    return 0 if any(row.last is not None for row in rows) else 1
