"""The chart screen: the comparison rebased to 100 on top, the primary's price and volume below."""

from __future__ import annotations

import math
import time

from neodymium.config.settings import Settings
from neodymium.providers.store import Snapshot
from neodymium.providers.symbols import parse_symbol
from neodymium.tui import formatting as fmt
from neodymium.tui.chart_view import (
    CHART_WINDOWS,
    DEFAULT_CHART_WINDOW,
    comparison_chart,
    price_chart,
    volume_unit,
)
from neodymium.tui.dirty_compositor import install as install_compositor
from neodymium.tui.screens.dismissable import SCREENS_CSS
from neodymium.tui.widgets.charts import ComparisonChart, PriceChart
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer


def chart_window(window: str) -> str:
    """A window the charts offer: the one asked for, 5D for 1D, else the default."""
    if window in CHART_WINDOWS:
        return window
    return "5D" if window == "1D" else DEFAULT_CHART_WINDOW


class ChartScreen(Screen[None]):
    """Full-screen charts over a window the user picks with 1–6 or [ and ]."""

    CSS_PATH = [SCREENS_CSS]

    BINDINGS = [
        *(Binding(str(n), f"window('{w}')", "Window", show=n == 1,
                  key_display=f"1–{len(CHART_WINDOWS)}" if n == 1 else None)
          for n, w in enumerate(CHART_WINDOWS, start=1)),
        Binding("left_square_bracket", "step(-1)", "Shorter", key_display="["),
        Binding("right_square_bracket", "step(1)", "Longer", key_display="]"),
        Binding("w", "cycle(1)", "Window", show=False),
        Binding("W", "cycle(-1)", "Window", show=False),
        Binding("escape", "back", "Back"),
        Binding("c", "back", "Back", show=False),
        Binding("q", "back", "Back", show=False),
    ]

    #: Snapshots come every second or so, but a daily chart only moves at its last point and
    #: plotext needs a tenth of a second to draw both charts: redraw at most this often.
    redraw_every_s = 2.0

    def __init__(self, snapshot: Snapshot | None, settings: Settings,
                 window: str = DEFAULT_CHART_WINDOW) -> None:
        super().__init__()
        install_compositor(self)  # render only what changed: see tui/dirty_compositor.py
        self.snapshot = snapshot
        self.settings = settings
        self.window = chart_window(window)
        self._last_redraw = -math.inf
        self._redraw_due: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="chart-compare-box", classes="panel"):
            yield ComparisonChart(id="comparison-chart")
        with Vertical(id="chart-price-box", classes="panel"):
            yield PriceChart(id="price-chart", colors=self.settings.display.colors)
        yield Footer()

    def on_mount(self) -> None:
        """Draw what the snapshot holds."""
        self.redraw()

    def update_snapshot(self, snapshot: Snapshot | None) -> None:
        """Redraw from a newer snapshot: now, or once ``redraw_every_s`` after the last redraw."""
        self.snapshot = snapshot
        if self._redraw_due is not None:
            return  # the redraw already due will use this snapshot
        wait = self._last_redraw + self.redraw_every_s - time.monotonic()
        if wait <= 0:
            self.redraw()
        else:
            self._redraw_due = self.set_timer(wait, self.redraw)

    def set_window(self, window: str) -> None:
        """Chart another window (one of 5D 1M 3M 6M YTD 1Y)."""
        if window not in CHART_WINDOWS:
            raise ValueError(f"unknown chart window {window!r}")
        self.window = window
        self.redraw()

    def action_window(self, window: str) -> None:
        """Pick a window by its key."""
        self.set_window(window)

    def action_step(self, step: int) -> None:
        """The next shorter (-1) or longer (+1) window, stopping at the ends."""
        index = CHART_WINDOWS.index(self.window) + step
        self.set_window(CHART_WINDOWS[max(0, min(len(CHART_WINDOWS) - 1, index))])

    def action_cycle(self, step: int) -> None:
        """The next (or previous) window, wrapping around, as w/W do on the watch screen."""
        index = CHART_WINDOWS.index(self.window) + step
        self.set_window(CHART_WINDOWS[index % len(CHART_WINDOWS)])

    def action_back(self) -> None:
        """Back to the watch screen."""
        self.dismiss()

    def redraw(self) -> None:
        """Rebuild both charts and the titles for the current snapshot and window."""
        if not self.query(ComparisonChart):
            return  # not composed yet: on_mount draws
        if self._redraw_due is not None:
            self._redraw_due.stop()
            self._redraw_due = None
        self._last_redraw = time.monotonic()
        data = comparison_chart(self.snapshot, self.settings, self.window)
        closes, volumes = price_chart(self.snapshot, self.settings, self.window)
        primary = parse_symbol(self.settings.watch.primary)
        self.query_one(ComparisonChart).show(data)
        self.query_one(PriceChart).show(closes, volumes, unit=volume_unit(self.settings),
                                        decimals=fmt.price_decimals(primary))
        demo = bool(getattr(self.app, "simulated", False))
        compare_box = self.query_one("#chart-compare-box")
        compare_box.border_title = self._title(data.title, demo)
        compare_box.border_subtitle = Text(data.note)
        price_box = self.query_one("#chart-price-box")
        price_box.border_title = self._title(f"{closes.label} and volume · {self.window}", demo)

    def _title(self, text: str, demo: bool) -> Text:
        """A border title as plain text: names are data, never markup."""
        title = Text()
        if demo:
            title.append(" DEMO ", style="bold reverse yellow")
            title.append(" ")
        title.append(text)
        return title
