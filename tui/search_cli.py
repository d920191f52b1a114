"""``neodymium search QUERY``: print matching symbols (a table, or JSON for scripts)."""

from __future__ import annotations

import json
import sys

from neodymium.config.settings import Settings
from neodymium.providers.cache import Cache
from neodymium.providers.clock import system_clock
from neodymium.providers.factory import make_client
from neodymium.providers.symbol_list import load_index, refresh_index
from rich.console import Console
from rich.table import Table
from rich.text import Text


async def run_search(settings: Settings, query: str, *, as_json: bool, limit: int,
                     refresh: bool, cache: Cache | None) -> int:
    """Print the matches; exit 1 when there are none (2 when a refresh was asked and failed)."""
    try:
        if cache is not None:
            for warning in cache.open():
                print(f"neodymium: {warning}", file=sys.stderr)
        index, _due = load_index(cache, system_clock())
        if refresh:
            options = settings.providers.get("eastmoney")
            try:
                async with make_client() as client:
                    index = await refresh_index(client, cache,
                                                options.base_url if options else None)
            except Exception as exc:  # the reason is reported; the list in hand is kept
                print(f"neodymium: symbol list not refreshed: {exc}", file=sys.stderr)
                return 2
    finally:
        if cache is not None:
            cache.close()
    matches = index.search(query, max(1, limit))
    if as_json:
        print(json.dumps({"query": query, "matches": [
            {"symbol": e.key, "code": e.code, "name": e.name, "kind": e.kind,
             "pinyin": e.pinyin, "initials": e.initials} for e in matches]},
            ensure_ascii=False, indent=2))
    else:
        table = Table(box=None, header_style="bold")
        for column in ("Symbol", "Name", "Kind", "Pinyin"):
            table.add_column(column, no_wrap=True)
        for e in matches:
            table.add_row(e.key, Text(e.name), e.kind, Text(f"{e.pinyin} ({e.initials})"))
        Console(soft_wrap=False, width=None if sys.stdout.isatty() else 120).print(table)
    return 0 if matches else 1
