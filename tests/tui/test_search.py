"""``/`` search: the watched symbols are found by pinyin even when the market list lacks them,
a code the list does not hold can still be opened, a refreshed list reaches the open search,
and a query that matches nothing says so."""

from __future__ import annotations

from dataclasses import replace as dc_replace
from datetime import datetime
from pathlib import Path

from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.providers.markets import SHANGHAI
from neodymium.providers.symbol_index import SymbolIndex, make_entry, shipped_entries
from neodymium.tui.app import NeodymiumApp
from neodymium.tui.screens.search import BY_CODE, RESULTS, SearchScreen, code_entry
from textual.widgets import Static

from tests.fakeupstream import FakeUpstream
from tests.tui.conftest import make_app

MONDAY = datetime(2026, 8, 24, 10, 0, tzinfo=SHANGHAI)


def small_index() -> SymbolIndex:
    entries = [make_entry("600111.SS", "北方稀土", "stock"),
               make_entry("159713.SZ", "稀土ETF", "fund")]
    return SymbolIndex(entry for entry in entries if entry is not None)


def test_watched_names_join_the_index_once() -> None:
    index = small_index()
    grown = index.with_names([("300308.SZ", "中际旭创"), ("600111.SS", "北方稀土")])
    assert [entry.key for entry in grown.search("zjxc")] == ["300308.SZ"]
    assert [entry.key for entry in grown.search("zhongji")] == ["300308.SZ"]
    assert len(grown) == 3  # 600111.SS was known: not added twice
    assert index.with_names([("600111.SS", "北方稀土"), ("not a symbol!", "x")]) is index


def test_a_code_the_list_lacks_is_offered_but_pinyin_never_reads_as_a_ticker() -> None:
    index = small_index()
    offered = code_entry("300308", index.search("300308"), index)
    assert offered is not None and (offered.key, offered.name) == ("300308.SZ", BY_CODE)
    assert code_entry("00700.hk", [], index) is not None
    assert code_entry("zjxc", [], index) is None  # letters alone: a pinyin query, not ZJXC
    assert code_entry("600111", index.search("600111"), index) is None  # already a result
    spelled = code_entry("sh600111", index.search("sh600111"), index)  # the list has it
    assert spelled is not None and (spelled.key, spelled.name) == ("600111.SS", "北方稀土")
    assert code_entry("1234567", [], index) is None  # not a symbol
    ticker = code_entry("remx", [], index, tickers=True)  # adding: letters may be a ticker
    assert ticker is not None and (ticker.key, ticker.name) == ("REMX", BY_CODE)
    assert code_entry("北方", [], index, tickers=True) is None


def upstream_settings(upstream: FakeUpstream) -> Settings:
    return Settings.model_validate({
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS", "300308.SZ"],
                  "compare": []},
        "quotes": {"providers": ["tencent"], "interval": 5},
        "history": {"providers": ["tencent"]}, "news": {"providers": ["sina-roll"]},
        "providers": {name: {"base_url": upstream.base_url, "timeout": 2, "min_interval": 0}
                      for name in ("tencent", "sina-roll", "eastmoney")},
        "cache": {"enabled": False},
    })


def note_of(app: NeodymiumApp) -> str:
    return str(app.screen.query_one("#search-note", Static).render())


async def test_search_finds_watched_names_takes_the_new_list_and_opens_a_code(
        fake_upstream: FakeUpstream) -> None:
    app = NeodymiumApp(upstream_settings(fake_upstream), clock=FrozenClock(MONDAY))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        shipped = len(shipped_entries()) + 1  # and 300308.SZ, named by its quote
        await pilot.press(*"zjxc")
        await pilot.pause()
        assert [entry.key for entry in app.screen.results] == ["300308.SZ"]
        assert app.screen.results[0].name == "中际旭创"  # named by its quote

        await app.workers.wait_for_complete()  # the market list, fetched on the first search
        await pilot.pause()
        assert len(app.screen.index) > shipped  # the open search took the new list
        size = f"{len(app.screen.index):,} symbols"
        assert note_of(app) == f"1 match among {size}"
        assert [entry.key for entry in app.screen.results] == ["300308.SZ"]  # still found

        await pilot.press(*["backspace"] * 4)
        await pilot.pause()
        assert note_of(app) == size  # nothing typed: the list's size alone
        await pilot.press("6")  # many codes begin with 6: the list shows the first few
        await pilot.pause()
        assert len(app.screen.results) >= RESULTS
        assert note_of(app) == f"the first {RESULTS} matches among {size}"
        await pilot.press("backspace")

        await pilot.press(*"qqqq")
        await pilot.pause()
        assert app.screen.results == []
        assert note_of(app) == f"no match for 'qqqq' among {len(app.screen.index):,} symbols"

        await pilot.press(*["backspace"] * 4, *"688795")
        await pilot.pause()
        assert [entry.key for entry in app.screen.results] == ["688795.SS"]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert app.settings.watch.primary == "688795.SS"


async def test_a_adds_by_pinyin_offers_a_ticker_last_and_reports_what_is_no_symbol(
        tmp_path: Path) -> None:
    """``a`` looks the text up as ``/`` does: initials add the A-share they name (not a US
    ticker spelled like them), letters the list lacks are offered as a ticker after its
    matches, and text that is no symbol at all is reported, not added."""
    config = tmp_path / "config.toml"
    app = make_app(tmp_path)
    app.options = dc_replace(app.options, config_path=config)
    told: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kwargs: (told.append(message), notify(message, **kwargs))[1]
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen) and app.screen.tickers
        await pilot.press(*"zgxt")
        await pilot.pause()
        assert [entry.key for entry in app.screen.results] == ["000831.SZ", "ZGXT"]
        assert app.screen.results[-1].name == BY_CODE
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.settings.watch.compare[-1] == "000831.SZ"  # 中国稀土, not a ticker ZGXT

        await pilot.press("a", *"qqqq")  # nothing in the list: the ticker
        await pilot.pause()
        assert [entry.key for entry in app.screen.results] == ["QQQQ"]
        assert note_of(app).startswith("'qqqq' is not among ")
        assert note_of(app).endswith(" symbols: offered as typed")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.settings.watch.compare[-1] == "QQQQ"

        before = list(app.settings.watch.compare)
        await pilot.press("a", *"XYZ.SS", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert app.settings.watch.compare == before
        assert any("a Shanghai code has six digits" in message for message in told)
