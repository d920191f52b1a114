"""Instant start: the app paints the cached quotes (marked cached/stale) before any poll returns."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from neodymium.config.settings import Settings
from neodymium.providers.cache import Cache
from neodymium.providers.clock import FrozenClock
from neodymium.providers.models import Bar, Quote
from neodymium.tui.app import NeodymiumApp
from neodymium.tui.cli import main

from tests.fakeupstream import FakeUpstream, Fault

SHANGHAI = ZoneInfo("Asia/Shanghai")
TRADING = datetime(2026, 8, 21, 10, 0, tzinfo=SHANGHAI)


def warm_cache(path: Path) -> None:
    cache = Cache(path)
    cache.open()
    cache.put_quote(Quote("600111.SS", TRADING - timedelta(hours=18), "tencent", name="北方稀土",
                          last=48.0, prev_close=47.5, pe_ttm=81.0))
    days = [date(2026, 8, 20) - timedelta(days=i) for i in range(30)]
    bars = [Bar("600111.SS", d, 47, 49, 46, 48.0 - i * 0.1, 1e8) for i, d in enumerate(days)]
    cache.put_bars("600111.SS", "tencent", bars)
    cache.close()


async def test_cached_values_paint_before_the_first_poll(tmp_path: Path,
                                                         fake_upstream: FakeUpstream) -> None:
    fake_upstream.set_fault("tencent-quote", Fault("slow", delay=30))
    fake_upstream.set_fault("tencent-kline", Fault("slow", delay=30))
    path = tmp_path / "cache.sqlite3"
    warm_cache(path)
    settings = Settings.model_validate({
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS"], "compare": []},
        "quotes": {"providers": ["tencent"]}, "history": {"providers": ["tencent"]},
        "news": {"providers": ["tencent"]},
        "providers": {"tencent": {"base_url": fake_upstream.base_url, "timeout": 20}},
    })
    app = NeodymiumApp(settings, clock=FrozenClock(TRADING), cache=Cache(path))
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(50):
            await pilot.pause()
            if app.view is not None and app.view.quote.last != "—":
                break
        assert app.view.quote.last == "48.00"
        assert app.view.quote.freshness.stale
        assert "cached" in app.view.header.freshness.label
        assert app.view.header.sources == "tencent"
        assert fake_upstream.count("tencent-quote") <= 1  # the poll is still in flight


def test_cache_info_and_clear(tmp_path: Path, tmp_config,
                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.sqlite3"
    warm_cache(path)
    config = tmp_config(f"[cache]\npath = '{path}'\n")
    assert main(["--config", str(config), "cache", "info"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["quotes"] == 1 and info["bars"] == 30
    assert main(["--config", str(config), "cache"]) == 0  # info is the default action
    assert json.loads(capsys.readouterr().out) == info
    assert main(["--config", str(config), "cache", "clear"]) == 0
    out = capsys.readouterr().out
    assert "cleared" in out and '"bars": 0' in out


def test_corrupt_cache_is_reported_not_fatal(tmp_path: Path, tmp_config,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    config = tmp_config(f"[cache]\npath = '{path}'\n")
    assert main(["--config", str(config), "cache", "info"]) == 0
    assert "warning" in capsys.readouterr().err
    assert list(tmp_path.glob("c.sqlite3.corrupt-*"))
