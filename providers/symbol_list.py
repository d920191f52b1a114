"""Where search's symbol list comes from: the cache (refreshed daily from Eastmoney's clist),
else the small list shipped in the wheel. The shipped list's US names are always added, since
clist lists only the A-share market."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import httpx
from neodymium.providers.cache import Cache
from neodymium.providers.eastmoney_list import fetch_symbol_list
from neodymium.providers.symbol_index import (
    SymbolEntry,
    SymbolIndex,
    build_entries,
    entries_from_json,
    entries_to_json,
    shipped_entries,
)

#: Age after which the cached list is fetched again.
REFRESH_AFTER = timedelta(days=1)


def _with_shipped(entries: list[SymbolEntry]) -> list[SymbolEntry]:
    known = {entry.key for entry in entries}
    return entries + [entry for entry in shipped_entries() if entry.key not in known]


def load_index(cache: Cache | None, now: datetime) -> tuple[SymbolIndex, bool]:
    """The index to search now, and whether it is due a refresh (no list, or a day old)."""
    stored = cache.get_symbol_list() if cache is not None else None
    if stored is None:
        return SymbolIndex(shipped_entries()), True
    fetched_at, payload = stored
    entries = entries_from_json(payload)
    if not entries:
        return SymbolIndex(shipped_entries()), True
    return SymbolIndex(_with_shipped(entries)), now - fetched_at >= REFRESH_AFTER


async def refresh_index(client: httpx.AsyncClient, cache: Cache | None,
                        base_url: str | None = None) -> SymbolIndex:
    """Fetch the market list, compute pinyin once, store it; errors propagate."""
    rows = await fetch_symbol_list(client, base_url)
    # The pinyin pass takes seconds for ~15,000 names: off the event loop.
    entries = await asyncio.to_thread(build_entries, rows)
    if cache is not None and entries:
        cache.put_symbol_list(entries_to_json(entries))
    return SymbolIndex(_with_shipped(entries))
