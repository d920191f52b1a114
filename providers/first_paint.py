"""The first frame's data: the watched symbols' last cached quotes, read before the runtime
(client, providers, feed) is built, so the screen shows them before anything else is imported.

The feed's own warm-up (quotes, bars and news from the cache) follows a moment later and
replaces this snapshot; until then there are no bars, so no sparklines or comparisons.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from neodymium.config.settings import Settings
from neodymium.providers.cache import Cache
from neodymium.providers.derived import first_figures
from neodymium.providers.store import Snapshot, Store, names_from
from neodymium.providers.symbols import parse_symbols


def cached_snapshot(cache: Cache, settings: Settings, now: datetime) -> Snapshot | None:
    """A snapshot of the cached quotes of every watched symbol (None when there are none)."""
    symbols, _ = parse_symbols(settings.all_symbols_raw())
    wanted = {symbol.key for symbol in symbols}
    store = Store()
    for key, quote in cache.get_quotes().items():
        if key in wanted:
            store.put_quote(quote, quote.as_of, from_cache=True)
    if not store.quotes:
        return None
    snapshot = store.snapshot(now, names_from(store.quotes))
    return replace(snapshot, derived=first_figures(snapshot, settings))
