"""The first frame shows the cached price before the runtime exists, and imports nothing heavy.

Every real provider points at 127.0.0.1:9, where nothing listens: the price on screen can only
come from the cache.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from neodymium.config.loader import parse_settings
from neodymium.providers import registry
from neodymium.providers.cache import Cache
from neodymium.providers.clock import FrozenClock
from neodymium.providers.models import Quote
from neodymium.tui.app import NeodymiumApp
from neodymium.tui.screens.watch import WatchScreen
from rich.console import Console
from textual.app import ComposeResult
from textual.renderables.digits import Digits as DigitsRenderable

SHANGHAI = ZoneInfo("Asia/Shanghai")
TRADING = datetime(2026, 8, 21, 10, 0, tzinfo=SHANGHAI)
UNREACHABLE = "http://127.0.0.1:9"
#: What the first frame must not wait for (the issue's list, and the data side's modules).
HEAVY = ("numpy", "pandas", "exchange_calendars", "apscheduler", "httpx", "feedparser",
         "plotext", "textual_plotext", "PIL", "neodymium.providers.runtime",
         "neodymium.providers.feed", "neodymium.providers.base", "neodymium.providers.tencent",
         "neodymium.tui.screens.charts", "neodymium.tui.screens.intraday",
         "neodymium.tui.screens.alerts", "neodymium.tui.screens.positions",
         "neodymium.tui.alerting", "neodymium.providers.alerts", "neodymium.providers.notify",
         "neodymium.providers.registry", "neodymium.tui.screens.modals",
         # the panels' contents mounted just after the first frame, and the screens only
         # they lead to
         "neodymium.tui.widgets.comparison_table", "neodymium.tui.widgets.cell_column",
         "neodymium.tui.widgets.book_panel", "neodymium.tui.widgets.watchlist",
         "neodymium.tui.widgets.news_pane", "neodymium.tui.screens.book",
         "neodymium.tui.screens.watchlist", "neodymium.tui.screens.dismissable",
         # the demo's hours (the header of a real watcher never asks them)
         "neodymium.providers.simulated_hours")


def warm_cache(path: Path) -> None:
    cache = Cache(path)
    cache.open()
    cache.put_quote(Quote("600111.SS", TRADING - timedelta(hours=18), "tencent", name="北方稀土",
                          last=19.2, prev_close=18.9))
    cache.close()


def config_text(cache: Path) -> str:
    """Real providers for every kind, each at an address where nothing answers."""
    tables = "".join(f'[providers.{name}]\nbase_url = "{UNREACHABLE}"\n'
                     for name in registry.names() if name != "demo")
    return (f"[cache]\npath = {json.dumps(str(cache))}\n"
            '[watch]\nprimary = "600111.SS"\nsymbols = ["600111.SS"]\ncompare = ["159713.SZ"]\n'
            + tables)


def big_digits(text: str) -> set[str]:
    """The lines of ``text`` in the quote panel's big digits (as Textual draws them)."""
    console = Console(width=80, color_system=None)
    with console.capture() as capture:
        console.print(DigitsRenderable(text))
    return {line.strip() for line in capture.get().splitlines() if line.strip()}


def shows_big(app: NeodymiumApp, text: str) -> bool:
    """True when the screen shows ``text`` in big digits (the SVG splits a line into runs
    of text: they are joined before looking)."""
    svg = app.export_screenshot()
    shown = html.unescape("".join(re.findall(r">([^<]*)<", svg))).replace("\xa0", " ")
    return all(line in shown for line in big_digits(text))


async def test_the_first_frame_shows_the_cached_price_before_the_runtime(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite3"
    warm_cache(path)
    settings = parse_settings(config_text(path), "test.toml", registry)
    app = NeodymiumApp(settings, clock=FrozenClock(TRADING), cache=Cache(path))
    start_runtime = NeodymiumApp._start_runtime

    async def noting_the_screen(self: NeodymiumApp) -> None:
        """Called once the first frame is painted: note what it shows, then go on as usual."""
        app.seen = {
            "runtime": self._runtime, "feed": self.feed,
            "last": self.view.quote.last if self.view else None,
            "stale": self.view.quote.freshness.stale if self.view else None,
            "on_screen": shows_big(self, "19.20"),
        }
        await start_runtime(self)

    monkeypatch.setattr(NeodymiumApp, "_start_runtime", noting_the_screen)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert app.seen == {"runtime": None, "feed": None, "last": "19.20", "stale": True,
                            "on_screen": True}
        for _ in range(50):  # and then the runtime opens, as before
            if app.feed is not None:
                break
            await pilot.pause()
        assert app.feed is not None
        assert app.view is not None and app.view.quote.last == "19.20"


def test_the_first_frame_imports_no_heavy_module(tmp_path: Path) -> None:
    """The real command (``neodymium --config F``), headless: at the first frame none of the
    heavy modules is in sys.modules and the garbage collector has not run."""
    path = tmp_path / "cache.sqlite3"
    warm_cache(path)
    config = tmp_path / "config.toml"
    config.write_text(config_text(path), encoding="utf-8")
    script = f"""
import gc, json, sys
from neodymium.tui import app as app_module

seen = {{}}

async def first_frame(self):
    seen["last"] = self.view.quote.last if self.view else None
    seen["heavy"] = sorted(name for name in {HEAVY!r} if name in sys.modules)
    seen["collecting_at_first_frame"] = gc.isenabled()
    self.exit()

app_module.NeodymiumApp._start_runtime = first_frame
run = app_module.NeodymiumApp.run
app_module.NeodymiumApp.run = lambda self: run(self, headless=True, size=(160, 48))
from neodymium.tui import cli
cli.has_terminal = lambda: True
code = cli.main(["--config", {str(config)!r}])
print(json.dumps({{"code": code, "collecting_after": gc.isenabled(), **seen}}))
"""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # Garbage collection is held off until the first frame, and resumed after it.
    assert result == {"code": 0, "last": "19.20", "heavy": [],
                      "collecting_at_first_frame": False, "collecting_after": True}


BOXES = ("#watch-box", "#quote-box", "#range-box", "#book-box", "#compare-box", "#news-box")
#: What is mounted just after the first frame.
LATER = "ComparisonTable, BookPanel, WatchList, NewsPane"


async def test_what_is_mounted_after_the_first_frame_does_not_move_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first frame shows every panel where it stays, titled; the comparison table and
    the book replace blank slots of their height, the watchlist and the news pane fill their
    boxes, the footer its row, just after it, and nothing moves; the clock starts after it."""
    path = tmp_path / "cache.sqlite3"
    warm_cache(path)
    settings = parse_settings(config_text(path), "test.toml", registry)
    app = NeodymiumApp(settings, clock=FrozenClock(TRADING), cache=Cache(path))
    start_runtime = NeodymiumApp._start_runtime

    def layout() -> dict[str, object]:
        """Where each panel is, and its title."""
        return {box: (app.screen.query_one(box).region, app.screen.query_one(box).border_title)
                for box in BOXES}

    async def noting_the_layout(self: NeodymiumApp) -> None:
        app.first = (layout(), len(self.screen.query(LATER)),
                     {timer.name for timer in self._timers})
        app.footer_row = (self.screen.query_one("#footer-slot").region,
                          len(self.screen.query("Footer")))
        await start_runtime(self)

    monkeypatch.setattr(NeodymiumApp, "_start_runtime", noting_the_layout)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        first_layout, mounted_at_first, timers_at_first = app.first
        assert mounted_at_first == 0
        # The clock starts after the first frame (its tick would redraw every panel first).
        assert not timers_at_first & {"second-align", "second"}
        assert first_layout["#watch-box"][1] == "Watchlist (1)"
        assert isinstance(app.screen, WatchScreen)
        await app.screen.complete()
        await pilot.pause()
        assert len(app.screen.query(LATER)) == 4
        assert not app.screen.query(".slot")
        assert layout() == first_layout
        # The footer too: it takes the row its slot held, with its keys.
        slot_region, footers_at_first = app.footer_row
        assert footers_at_first == 0
        assert app.screen.query_one("Footer").region == slot_region
        assert slot_region.y == 47 and slot_region.height == 1
        assert len(app.screen.query("Footer FooterKey")) > 3
        assert {"second-align", "second"} & {timer.name for timer in app._timers}


async def test_the_panels_left_out_of_the_first_frame_do_not_wait_for_the_runtime(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison table, the book, the watchlist and the news pane are mounted before
    the app imports and opens its runtime (which blocks the loop for a while, over a second
    on a loaded machine): before, the screen's own after-refresh callback ran only once the
    runtime was open."""
    path = tmp_path / "cache.sqlite3"
    warm_cache(path)
    settings = parse_settings(config_text(path), "test.toml", registry)
    app = NeodymiumApp(settings, clock=FrozenClock(TRADING), cache=Cache(path))
    open_runtime = NeodymiumApp._open_runtime
    mounted: list[int] = []

    async def noting_the_panels(self: NeodymiumApp) -> None:
        mounted.append(len(self.screen.query(LATER)))
        await open_runtime(self)

    monkeypatch.setattr(NeodymiumApp, "_open_runtime", noting_the_panels)
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(50):
            if mounted:
                break
            await pilot.pause()
        assert mounted == [4]


def test_a_provider_error_found_after_the_first_frame_exits_2_naming_file_and_key(
        tmp_path: Path) -> None:
    """The watcher checks provider names and tables once its first frame is up: an unknown
    provider then ends it cleanly (terminal restored, no traceback) with exit code 2 and the
    message that names the file, the key and what is wrong."""
    path = tmp_path / "cache.sqlite3"
    warm_cache(path)
    config = tmp_path / "config.toml"
    config.write_text(config_text(path).replace(
        '[watch]', '[quotes]\nproviders = ["tencent", "bloomberg"]\n[watch]'), encoding="utf-8")
    script = f"""
import json, sys
from neodymium.tui import app as app_module

seen = {{}}
start_runtime = app_module.NeodymiumApp._start_runtime

async def noting_the_first_frame(self):
    seen["last"] = self.view.quote.last if self.view else None
    await start_runtime(self)

app_module.NeodymiumApp._start_runtime = noting_the_first_frame
run = app_module.NeodymiumApp.run
app_module.NeodymiumApp.run = lambda self: run(self, headless=True, size=(160, 48))
from neodymium.tui import cli
cli.has_terminal = lambda: True
code = cli.main(["--config", {str(config)!r}])
print(json.dumps({{"code": code, **seen}}))
"""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"code": 2, "last": "19.20"}
    assert done.stderr.strip() == (f"neodymium: config error: {config}: quotes.providers: "
                                   "unknown provider 'bloomberg'; installed providers: "
                                   + ", ".join(sorted(registry.names())))


@pytest.mark.parametrize("size", [(160, 48), (90, 30), (70, 20)])
async def test_the_screen_is_styled_for_its_size_before_its_panels(
        size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """The breakpoint classes (-wide/-narrow, -tall/-short) are on the screen before its
    panels are composed, the same ones Textual gives it on the first resize: that resize
    then changes nothing (before, it restyled every panel a second time)."""
    from neodymium.config.settings import Settings

    breakpoints = {name for _, name in WatchScreen.HORIZONTAL_BREAKPOINTS
                   + WatchScreen.VERTICAL_BREAKPOINTS}
    composed: list[set[str]] = []
    compose = WatchScreen.compose

    def noting_the_classes(self: WatchScreen) -> ComposeResult:
        panels = compose(self)
        first = next(panels)  # the classes are set before the first panel is yielded
        composed.append(set(self.classes) & breakpoints)
        yield first
        yield from panels

    monkeypatch.setattr(WatchScreen, "compose", noting_the_classes)
    app = NeodymiumApp(Settings(), clock=FrozenClock(TRADING))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert composed == [set(app.screen.classes) & breakpoints]
        assert len(composed[0]) == 2


async def test_the_first_frame_styles_each_panel_once_and_looks_fully_styled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual restyles a screen when it is resumed; the first resume follows the mount,
    which styled every panel already, so the watch screen leaves that pass out. Focusing
    the comparison table restyles its columns and the focused panel: that comes just after
    the first frame. Every node of the first frame has the styles a full restyle gives it."""
    from textual.css.stylesheet import Stylesheet

    path = tmp_path / "cache.sqlite3"
    warm_cache(path)
    settings = parse_settings(config_text(path), "test.toml", registry)
    app = NeodymiumApp(settings, clock=FrozenClock(TRADING), cache=Cache(path))
    styled: dict[int, int] = {}
    apply = Stylesheet.apply

    def counting(self: Stylesheet, node: object, *args: object, **kwargs: object) -> None:
        if not hasattr(app, "first"):
            styled[id(node)] = styled.get(id(node), 0) + 1
        apply(self, node, *args, **kwargs)  # type: ignore[arg-type]

    async def noting_the_frame(self: NeodymiumApp) -> None:
        cells = list(self.screen.query("CellText, CellColumn"))
        nodes = list(self.screen.walk_children(with_self=True))
        times_styled = [styled.get(id(cell), 0) for cell in cells]
        as_styled = [node.styles.css for node in nodes]
        self.update_styles(self.screen)  # what the first resume used to do
        app.first = (times_styled, as_styled, [node.styles.css for node in nodes])
        await self.screen.complete()  # the panels' contents, then the focus

    monkeypatch.setattr(Stylesheet, "apply", counting)
    monkeypatch.setattr(NeodymiumApp, "_start_runtime", noting_the_frame)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        times_styled, as_styled, restyled = app.first
        assert len(times_styled) >= 5 and set(times_styled) == {1}
        assert len(as_styled) > 20 and as_styled == restyled
        await pilot.pause()
        assert app.focused is app.screen.query_one("#comparison")


async def test_q_pressed_during_start_up_quits_cleanly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``q`` typed while the watcher starts waits in Textual's queue behind the panels'
    mount and the runtime's opening, then quits: exit code 0, no error, the cache closed."""
    path = tmp_path / "cache.sqlite3"
    warm_cache(path)
    settings = parse_settings(config_text(path), "test.toml", registry)
    cache = Cache(path)
    app = NeodymiumApp(settings, clock=FrozenClock(TRADING), cache=cache)
    start_runtime = NeodymiumApp._start_runtime
    closed: list[bool] = []
    close = Cache.close

    def noting_the_close(self: Cache) -> None:
        closed.append(True)
        close(self)

    async def pressing_q(self: NeodymiumApp) -> None:
        self.simulate_key("q")  # the first frame is up; the rest of the start is not
        await start_runtime(self)

    monkeypatch.setattr(NeodymiumApp, "_start_runtime", pressing_q)
    monkeypatch.setattr(Cache, "close", noting_the_close)
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(100):
            if app.return_code is not None:
                break
            await pilot.pause()
        assert app.return_code == 0
    assert closed


def panels_css_read(app: NeodymiumApp) -> bool:
    """True once the later panels' rules (styles/panels.tcss) are in the app's stylesheet."""
    from neodymium.tui.screens.watch import PANELS_CSS

    return app.stylesheet.has_source(str(PANELS_CSS))


async def test_the_later_panels_rules_are_read_after_the_first_frame_and_style_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """app.tcss holds no rule for the panels mounted after the first frame: theirs are read
    as they mount, and style them as a full restyle does (the table's height cap, the
    book's 10 lines, the news pane's borderless fill)."""
    path = tmp_path / "cache.sqlite3"
    warm_cache(path)
    settings = parse_settings(config_text(path), "test.toml", registry)
    app = NeodymiumApp(settings, clock=FrozenClock(TRADING), cache=Cache(path))
    start_runtime = NeodymiumApp._start_runtime

    async def noting_the_frame(self: NeodymiumApp) -> None:
        app.read_at_first_frame = panels_css_read(self)
        await start_runtime(self)

    monkeypatch.setattr(NeodymiumApp, "_start_runtime", noting_the_frame)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        await app.screen.complete()
        await pilot.pause()
        assert app.read_at_first_frame is False
        assert panels_css_read(app)
        later = list(app.screen.query(LATER))
        as_styled = [panel.styles.css for panel in later]
        app.update_styles(app.screen)
        assert as_styled == [panel.styles.css for panel in later]
        table = app.screen.query_one("#comparison")
        assert table.styles.max_height is not None and table.styles.max_height.cells == 9
        book = app.screen.query_one("#book")
        assert book.styles.height is not None and book.styles.height.cells == 10
        news = app.screen.query_one("#news")
        assert news.styles.height is not None and news.styles.height.fraction == 1
        assert not news.styles.border.top[0]


async def test_the_book_screen_opened_before_the_panels_mount_reads_their_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal too narrow for the book beside the quote, ``k`` opens it as a screen;
    pressed during start-up, before the watch screen has mounted its own panels (and read
    their rules), its panel still has the book's 10 lines, and the watch screen's panels
    are styled too once they mount."""
    from neodymium.tui.screens.book import BookScreen

    path = tmp_path / "cache.sqlite3"
    warm_cache(path)
    settings = parse_settings(config_text(path), "test.toml", registry)
    app = NeodymiumApp(settings, clock=FrozenClock(TRADING), cache=Cache(path))
    start_runtime = NeodymiumApp._start_runtime

    async def opening_the_book(self: NeodymiumApp) -> None:
        app.read_at_first_frame = panels_css_read(self)
        await self.push_screen(BookScreen(None))
        panel = self.screen.query_one("#book-modal-panel")
        app.book_height = panel.styles.height.cells if panel.styles.height else None
        await start_runtime(self)

    monkeypatch.setattr(NeodymiumApp, "_start_runtime", opening_the_book)
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.pause()
        assert app.read_at_first_frame is False
        assert app.book_height == 10
        watch = app.screen_stack[0]
        assert isinstance(watch, WatchScreen)
        await watch.complete()
        table = watch.query_one("#comparison")
        assert table.styles.max_height is not None
