"""The feed's cache writes: one transaction per cycle and kind, on a worker thread."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from neodymium.config.settings import Settings
from neodymium.providers.cache import Cache
from neodymium.providers.clock import FrozenClock
from neodymium.providers.runtime import Runtime

NOW = datetime(2026, 1, 23, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
WATCHED = ["600111.SS", "159713.SZ", "516780.SS", "REMX"]


class RecordingCache(Cache):
    """A real cache that also notes which thread made each batched write, and how big."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writes: list[tuple[str, int, int]] = []

    def put_quotes(self, quotes):
        self.writes.append(("quotes", len(quotes), threading.get_ident()))
        super().put_quotes(quotes)

    def put_bar_sets(self, sets):
        self.writes.append(("bars", len(sets), threading.get_ident()))
        super().put_bar_sets(sets)

    def put_news(self, items):
        self.writes.append(("news", len(items), threading.get_ident()))
        return super().put_news(items)


async def test_a_cycle_writes_each_kind_once_off_the_event_loop(tmp_path: Path) -> None:
    settings = Settings.model_validate({
        "watch": {"primary": WATCHED[0], "symbols": [WATCHED[0]], "compare": WATCHED[1:]},
        "quotes": {"providers": ["demo"]}, "history": {"providers": ["demo"]},
        "news": {"providers": ["demo"]},
    })
    cache = RecordingCache(tmp_path / "cache.sqlite3")
    async with Runtime(settings, clock=FrozenClock(NOW), cache=cache) as runtime:
        await runtime.poll_once(timeout=20)
    loop_thread = threading.get_ident()
    kinds = sorted(kind for kind, _, _ in cache.writes)
    assert kinds == ["bars", "news", "quotes"]
    sizes = {kind: size for kind, size, _ in cache.writes}
    assert sizes["quotes"] == len(WATCHED) and sizes["bars"] == len(WATCHED)
    assert all(thread != loop_thread for _, _, thread in cache.writes)

    reread = Cache(tmp_path / "cache.sqlite3")
    try:
        assert sorted(reread.get_quotes()) == sorted(WATCHED)
        assert all(reread.get_bars(key) for key in WATCHED)
    finally:
        reread.close()


async def test_a_quote_polled_again_unchanged_is_not_written_again(tmp_path: Path) -> None:
    settings = Settings.model_validate({
        "watch": {"primary": WATCHED[0], "symbols": [WATCHED[0]], "compare": WATCHED[1:2]},
        "quotes": {"providers": ["demo"], "interval": 1},
        "history": {"providers": ["demo"]}, "news": {"providers": ["demo"]},
    })
    clock = FrozenClock(NOW)
    cache = RecordingCache(tmp_path / "cache.sqlite3")
    async with Runtime(settings, clock=clock, cache=cache) as runtime:
        await runtime.poll_once(timeout=20)
        feed = runtime.feed
        polls = 0
        for _ in range(12):  # the demo's snapshots change every few seconds, not every poll
            before = {key: state.quote for key, state in feed.store.quotes.items()}
            cache.writes.clear()
            clock.advance(1)
            if await feed.poll_quotes() is None:
                continue
            polls += 1
            changed = [key for key, state in feed.store.quotes.items()
                       if state.quote != before[key]]
            assert [size for _, size, _ in cache.writes] == ([len(changed)] if changed else [])
        assert polls >= 6
        reread = Cache(tmp_path / "cache.sqlite3")
        try:
            stored = reread.get_quotes()
        finally:
            reread.close()
        assert {key: (quote.as_of, quote.last) for key, quote in stored.items()} == {
            key: (state.quote.as_of, state.quote.last)
            for key, state in feed.store.quotes.items()}
