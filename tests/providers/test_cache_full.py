"""A full disk or a read-only cache is not corruption: the good cache stays, writes stop,
the user is told once (in the health view and a toast, not only the log)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from neodymium.providers.cache import Cache
from neodymium.providers.clock import FrozenClock
from neodymium.providers.feed import CACHE_HEALTH, Feed
from neodymium.providers.models import Bar, Quote
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.cli import main
from textual.app import App

from tests.tui.conftest import FROZEN, demo_settings

T0 = datetime(2026, 8, 21, 2, 0, tzinfo=UTC)


def bars(count: int, symbol: str = "600111.SS") -> list[Bar]:
    return [Bar(symbol, date.fromordinal(date(2020, 1, 1).toordinal() + n), 1.0, 2.0, 0.5,
                1.5, 1e6, 1e7) for n in range(count)]


def fill_the_disk(cache: Cache) -> None:
    """SQLite's own page limit: every later write fails with a real SQLITE_FULL."""
    db = cache._conn()
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_keeps_the_cache_skips_writes_and_says_so_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path, clock=FrozenClock(T0))
    assert cache.open() == []
    cache.put_bars("600111.SS", "tencent", bars(10))
    cache.put_quote(Quote("600111.SS", T0, "tencent", last=50.46))
    fill_the_disk(cache)
    caplog.set_level(logging.WARNING)

    for _ in range(20):
        cache.put_bars("600111.SS", "tencent", bars(2000))
        cache.put_quote(Quote("600111.SS", T0, "tencent", last=51.0))

    assert cache.write_problem == "is on a full disk"
    warnings = [r for r in caplog.records if "full disk" in r.getMessage()]
    assert len(warnings) == 1
    assert len(cache.get_bars("600111.SS")) == 10  # the good cache is all there
    assert cache.get_quotes()["600111.SS"].last == 50.46
    assert not list(tmp_path.glob("*.corrupt-*"))  # never moved aside as "corrupt"
    cache.close()
    reopened = Cache(path)
    assert reopened.open() == [] and len(reopened.get_bars("600111.SS")) == 10
    reopened.close()


async def test_the_feed_shows_a_cache_that_stopped_writing_in_health(tmp_path: Path) -> None:
    from neodymium.providers.factory import build_providers

    cache = Cache(tmp_path / "cache.sqlite3", clock=FrozenClock(FROZEN))
    cache.open()
    fill_the_disk(cache)
    settings = demo_settings()
    clock = FrozenClock(FROZEN)
    feed = Feed(settings, build_providers(settings, None, clock, seed=7),  # type: ignore[arg-type]
                clock=clock, cache=cache)
    await feed.refresh_now()  # quotes, a year of bars and news: more than the disk takes
    health = feed.latest.health[CACHE_HEALTH]
    assert health.state == "failing" and "full disk" in health.last_error
    cache.close()


async def test_the_app_tells_the_user_about_a_full_disk(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    real = App.notify

    def recording(self, message, **kwargs) -> None:
        shown.append(message)
        real(self, message, **kwargs)

    monkeypatch.setattr(App, "notify", recording)
    cache = Cache(tmp_path / "cache.sqlite3", clock=FrozenClock(FROZEN))
    cache.open()
    fill_the_disk(cache)
    app = NeodymiumApp(demo_settings(), options=AppOptions(demo=True, seed=7),
                       clock=FrozenClock(FROZEN), cache=cache)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        assert sum("full disk" in message for message in shown) == 1


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The file made read-only for real: ``chattr +i`` as root (root ignores modes), else
    mode 0444 on the file and 0555 on its folder."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("making a file read-only for root needs chattr (apt install e2fsprogs)")
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"this file system has no immutable flag: {made.stderr.decode()[:80]}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        return
    path.chmod(0o444)
    path.parent.chmod(0o555)
    try:
        yield
    finally:
        path.parent.chmod(0o755)


def test_a_read_only_cache_file_is_read_and_reported_not_moved_aside(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path, clock=FrozenClock(T0))
    cache.open()
    cache.put_bars("600111.SS", "tencent", bars(10))
    cache.close()
    caplog.set_level(logging.WARNING)
    with read_only(path):
        readonly = Cache(path)
        warnings = readonly.open()
        assert len(readonly.get_bars("600111.SS")) == 10
        for _ in range(5):
            readonly.put_bars("600111.SS", "tencent", bars(20))  # skipped, no exception
        assert readonly.write_problem == "is read-only"
        assert len([w for w in [*warnings, *(r.getMessage() for r in caplog.records)]
                    if "read-only" in w]) == 1
        readonly.close()
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_cache_clear_on_a_read_only_cache_says_why_exits_1_and_keeps_the_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cache.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(f'[cache]\npath = "{path.as_posix()}"\n', encoding="utf-8")
    cache = Cache(path, clock=FrozenClock(T0))
    cache.open()
    cache.put_bars("600111.SS", "tencent", bars(10))
    cache.close()
    with read_only(path):
        code = main(["--config", str(config), "cache", "clear"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"error: cache {path} is read-only: nothing cleared" in err
    assert "Traceback" not in err
    kept = Cache(path)
    kept.open()
    assert len(kept.get_bars("600111.SS")) == 10
    kept.close()
