"""The watchlist beside the quote: rows, selection (Enter, click), groups, edits written back,
60+ symbols in one batched request, and only changed rows repainted."""

from __future__ import annotations

from dataclasses import replace as dc_replace
from pathlib import Path

import pytest
from neodymium.config.loader import load_config
from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.providers.runtime import Runtime
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.cli import split_symbol, with_primary
from neodymium.tui.screens.watchlist import WatchlistScreen
from neodymium.tui.watchlist_view import ALL_GROUP, WatchListView, build_watchlist, moved
from neodymium.tui.widgets.quote_panel import QuotePanel
from neodymium.tui.widgets.watchlist import WatchList
from rich.text import Text
from textual.app import App, ComposeResult
from textual.content import Content

from tests.providers.test_feed import Scripted
from tests.tui.conftest import FROZEN

SYMBOLS = ["600111.SS", "516780.SS", "159713.SZ", "562800.SS", "512400.SS", "REMX"]
CONFIG = """\
# my desk
[watch]
primary = "600111.SS"
symbols = ["600111.SS", "516780.SS", "159713.SZ", "562800.SS", "512400.SS", "REMX"]  # mine

[watch.groups]
"稀土" = ["600111.SS", "159713.SZ"]  # rare earths
"""


def desk_app(tmp_path: Path, config: str = CONFIG) -> NeodymiumApp:
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    settings = load_config(path).settings.demo()
    return NeodymiumApp(settings, options=AppOptions(demo=True, seed=7, config_path=path),
                        clock=FrozenClock(FROZEN))


async def ready(app: NeodymiumApp, pilot) -> None:
    await app.data_ready.wait()
    await pilot.pause()


async def settle(app: NeodymiumApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_rows_follow_the_main_panel_rules() -> None:
    settings = Settings.model_validate({"watch": {"symbols": ["600111.SS", "nonsense!!"]}})
    view = build_watchlist(None, settings, "no such group", FROZEN)
    assert view.group == ALL_GROUP
    assert [row.code for row in view.rows] == ["600111", "nonsense!!"]
    assert view.rows[0].stale and view.rows[0].last == "—"
    assert view.rows[1].note == "not a symbol"
    assert moved(["a", "b", "c"], 2, -1) == ["a", "c", "b"]
    assert moved(["a", "b", "c"], 0, -1) == ["a", "b", "c"]


async def test_enter_makes_the_highlighted_row_the_primary(tmp_path: Path) -> None:
    app = desk_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        watchlist = app.screen.query_one(WatchList)
        assert watchlist.region.width > 0
        watchlist.focus()
        await pilot.press("down", "down", "enter")
        await settle(app, pilot)
        assert app.settings.watch.primary == "159713.SZ"
        assert app.view is not None and app.view.header.code == "159713.SZ"
        assert app.view.quote.symbol == "159713.SZ" and app.view.quote.last != "—"
        assert app.view.comparison[0].symbol == "159713.SZ"
        assert app.screen.query_one(QuotePanel).view.symbol == "159713.SZ"
        # the choice is for this session: the file still opens on 600111.SS until P
        assert load_config(tmp_path / "config.toml").settings.watch.primary == "600111.SS"
        await pilot.press("P")
        text = (tmp_path / "config.toml").read_text(encoding="utf-8")
        assert 'primary = "159713.SZ"' in text and "# my desk" in text


async def test_click_opens_a_row_and_g_cycles_groups(tmp_path: Path) -> None:
    app = desk_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.click("#watchlist", offset=(3, 5))  # the sixth row: REMX
        await settle(app, pilot)
        assert app.settings.watch.primary == "REMX"
        await pilot.press("g")
        box = app.screen.query_one("#watch-box")
        assert app.group == "稀土" and box.border_title == "稀土 (2)"
        await pilot.press("g")
        assert app.group == ALL_GROUP


async def test_add_remove_reorder_write_back_with_comments(tmp_path: Path) -> None:
    app = desk_app(tmp_path)
    path = tmp_path / "config.toml"
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        app.screen.query_one(WatchList).focus()
        await pilot.press("a", *"600392.ss", "enter")
        await settle(app, pilot)
        assert load_config(path).settings.watch.symbols[-1] == "600392.SS"
        assert "600392.SS" in {s.key for s in app.feed.symbols}
        await pilot.press("down", "shift+down")
        await settle(app, pilot)
        assert load_config(path).settings.watch.symbols[:3] == [
            "600111.SS", "159713.SZ", "516780.SS"]
        await pilot.press("d")  # the moved row is still highlighted
        await settle(app, pilot)
        assert "516780.SS" not in load_config(path).settings.watch.symbols
        await pilot.press("g", "a", *"000831.sz", "enter")
        await settle(app, pilot)
        assert load_config(path).settings.watch.groups["稀土"] == [
            "600111.SS", "159713.SZ", "000831.SZ"]
        text = path.read_text(encoding="utf-8")
        assert "# my desk" in text and "# rare earths" in text


async def test_narrow_terminal_opens_the_list_on_l(tmp_path: Path) -> None:
    app = desk_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        assert app.screen.query_one("#watch-box").region.width == 0
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, WatchlistScreen)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, WatchlistScreen)
        assert app.settings.watch.primary == "516780.SS"


async def test_sixty_symbols_scroll_and_poll_in_one_batch() -> None:
    codes = [f"{600000 + n}.SS" for n in range(64)]
    clock = FrozenClock(FROZEN)
    provider = Scripted("scripted", clock, fields={"last": 10.0, "prev_close": 9.9})
    settings = Settings.model_validate({
        "watch": {"primary": codes[0], "symbols": codes, "compare": []},
        "quotes": {"providers": ["scripted"]}, "history": {"providers": ["scripted"]},
        "news": {"providers": ["scripted"]},
    })
    app = NeodymiumApp(settings, clock=clock, runtime=Runtime(
        settings, clock=clock, providers={"scripted": provider}))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert sorted(provider.asked[0]) == sorted(codes)  # one batched call per cycle
        watchlist = app.screen.query_one(WatchList)
        assert len(watchlist.rows) == 64 and watchlist.rows[-1].last == "10.00"
        for _ in range(63):
            watchlist.action_cursor(1)
        await pilot.pause()
        assert watchlist.cursor == 63 and watchlist.scroll_offset.y > 0


class _One(App[None]):
    def compose(self) -> ComposeResult:
        yield WatchList(id="w")


async def test_a_tick_repaints_only_the_changed_rows() -> None:
    settings = Settings.model_validate({"watch": {"symbols": SYMBOLS}})
    app = _One()
    async with app.run_test(size=(40, 12)) as pilot:
        widget = app.query_one(WatchList)
        rows = build_watchlist(None, settings, ALL_GROUP, FROZEN).rows
        widget.show(WatchListView(ALL_GROUP, (ALL_GROUP,), rows))
        await pilot.pause()
        before = widget.painted
        assert before >= len(SYMBOLS)
        changed = (*rows[:2], dc_replace(rows[2], last="1.234"), *rows[3:])
        widget.show(WatchListView(ALL_GROUP, (ALL_GROUP,), changed))
        await pilot.pause()
        assert widget.painted - before == 1
        widget.show(WatchListView(ALL_GROUP, (ALL_GROUP,), changed))
        await pilot.pause()
        assert widget.painted - before == 1  # nothing changed: nothing painted


def test_open_on_a_symbol_from_the_command_line() -> None:
    assert split_symbol(["159713.SZ", "--demo"], ("quote",)) == (["--demo"], "159713.SZ")
    assert split_symbol(["--config", "x.toml", "REMX"], ("quote",)) == (
        ["--config", "x.toml"], "REMX")
    assert split_symbol(["quote", "REMX"], ("quote",)) == (["quote", "REMX"], None)
    assert split_symbol(["--log-level", "debug", "providers"], ("providers",)) == (
        ["--log-level", "debug", "providers"], None)
    settings = with_primary(Settings(), "159713.SZ")
    assert settings.watch.primary == "159713.SZ" and "159713.SZ" in settings.watch.symbols
    with pytest.raises(ValueError, match="not a symbol"):
        with_primary(Settings(), "nonsense!!")


async def test_search_by_initials_opens_the_symbol(tmp_path: Path) -> None:
    from neodymium.tui.screens.search import SearchScreen

    app = desk_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"xtetf")
        await pilot.pause()
        assert [e.key for e in app.screen.results] == ["516780.SS", "159713.SZ"]
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, SearchScreen)
        assert app.settings.watch.primary == "159713.SZ"
        assert app.view is not None and app.view.quote.symbol == "159713.SZ"


def test_search_command_prints_json(capsys) -> None:
    import json

    from neodymium.tui.cli import main

    assert main(["search", "bfxt", "--json", "--no-cache"]) == 0
    matches = json.loads(capsys.readouterr().out)["matches"]
    assert matches[0] == {"symbol": "600111.SS", "code": "600111", "name": "北方稀土",
                          "kind": "stock", "pinyin": "beifangxitu", "initials": "bfxt"}
    assert main(["search", "qqqqq", "--no-cache"]) == 1


def test_halted_codes_show_their_status_badge_and_no_limit_badge() -> None:
    from neodymium.providers.models import Quote, TradingStatus
    from neodymium.providers.store import Store

    store = Store()
    for key, status, last in (("600111.SS", TradingStatus.SUSPENDED, 50.46),
                              ("600392.SS", TradingStatus.DELISTED, 55.5),
                              ("000831.SZ", TradingStatus.TRADING, 55.51)):
        store.put_quote(Quote(symbol=key, as_of=FROZEN, source="tencent", name=key[:6],
                              last=last, prev_close=50.46, status=status), FROZEN)
    settings = Settings.model_validate(
        {"watch": {"primary": "600111.SS", "symbols": ["600111.SS", "600392.SS", "000831.SZ"]}})
    rows = {r.symbol: r for r in build_watchlist(store.snapshot(FROZEN, {}), settings, ALL_GROUP,
                                                  FROZEN).rows}
    assert rows["600111.SS"].badge == "停牌"
    assert rows["600392.SS"].change_pct == ""  # no +10 % shown for a delisted code
    assert rows["600392.SS"].badge == "退市"  # +10 % but delisted: never 涨停
    assert rows["000831.SZ"].badge == "涨停"


def test_a_limit_up_change_keeps_a_space_before_it() -> None:
    """+10.01% (and a new listing's +425.43%) would fill the change column to its edge and run
    into the price: fewer decimals keep the space."""
    from neodymium.providers.models import Quote
    from neodymium.providers.store import Store
    from neodymium.tui.widgets.watchlist import _cells

    store = Store()
    for key, last, prev in (("000831.SZ", 55.51, 50.46), ("688795.SS", 600.5, 113.0)):
        store.put_quote(Quote(symbol=key, as_of=FROZEN, source="tencent", name=key[:6],
                              last=last, prev_close=prev), FROZEN)
    settings = Settings.model_validate(
        {"watch": {"primary": "000831.SZ", "symbols": ["000831.SZ", "688795.SS"]}})
    rows = build_watchlist(store.snapshot(FROZEN, {}), settings, ALL_GROUP, FROZEN).rows
    assert [_cells(row)[2].text for row in rows] == ["   55.51 +10.0%", "  600.50  +431%"]


def test_an_outage_leaves_the_name_column_alone_but_a_bad_code_is_named() -> None:
    from neodymium.providers.store import ProviderHealth, Store

    settings = Settings.model_validate({"watch": {"primary": "600111.SS",
                                                  "symbols": ["600111.SS", "609999.SS"]},
                                        "quotes": {"providers": ["tencent"]}})
    store = Store()
    store.symbol_errors = {"600111.SS": "tencent: DNS lookup failed",
                           "609999.SS": "tencent: no such code 609999"}
    down = {"tencent": ProviderHealth("tencent", state="backoff", last_error="DNS lookup failed",
                                      failing_kinds=("quotes",))}
    store.health = down
    offline = build_watchlist(store.snapshot(FROZEN, {}), settings, ALL_GROUP, FROZEN)
    assert [row.note for row in offline.rows] == ["", ""]  # the header says why, once
    up = {"tencent": ProviderHealth("tencent", state="ok", last_success=FROZEN)}
    store.health = up
    online = build_watchlist(store.snapshot(FROZEN, {}), settings, ALL_GROUP, FROZEN)
    assert online.rows[1].note == "tencent: no such code 609999"


async def test_a_group_name_with_brackets_is_shown_as_written(tmp_path: Path) -> None:
    app = desk_app(tmp_path, CONFIG.replace('"稀土" =', '"[b]稀土[/b]" ='))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("g")
        title = str(app.screen.query_one("#watch-box").border_title)
        # Textual draws a border title through its markup parser: the name must come out whole.
        assert Content.from_markup(title).plain == "[b]稀土[/b] (2)"


async def test_adding_to_a_group_whose_name_looks_like_markup_titles_it_as_written(
        tmp_path: Path) -> None:
    """The add box is titled with the group's name, which is the user's text: "[b]新股[/b]"
    is shown with its brackets, not read as bold (nor a crash on "[/]")."""
    config = ('[watch]\nsymbols = ["600111.SS"]\n'
              '[watch.groups]\n"[b]新股[/b]" = ["600111.SS"]\n')
    app = desk_app(tmp_path, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("g")
        assert app.group == "[b]新股[/b]"
        app.screen.query_one(WatchList).focus()
        await pilot.press("a")
        await settle(app, pilot)
        box = app.screen.query_one("#search-box")
        assert box.border_title is not None
        assert "Add to [b]新股[/b]" in Text.from_markup(str(box.border_title)).plain
