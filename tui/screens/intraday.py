"""The 分时 screen (c for A-shares): today's minute line of the primary, live.

The minute line is fetched when the screen opens and every REFETCH_S while it is shown (a
worker; the chart keeps the last good line when a fetch fails); the live quote's limits come
with each snapshot. v opens the rebased comparison charts, Esc/c/q go back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from neodymium.providers.intraday import Intraday
from neodymium.providers.models import Quote
from neodymium.providers.symbols import Symbol
from neodymium.tui import formatting as fmt
from neodymium.tui.dirty_compositor import install as install_compositor
from neodymium.tui.intraday_view import build_days, build_intraday
from neodymium.tui.screens.dismissable import SCREENS_CSS
from neodymium.tui.widgets.intraday_chart import FAILED, LOADING, NO_MINUTES, IntradayChart
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

#: Seconds between minute-line fetches while the screen is open.
REFETCH_S = 30.0

Fetcher = Callable[[Symbol, datetime], Awaitable[Intraday]]
DaysFetcher = Callable[[Symbol, datetime], Awaitable[list[Intraday]]]


class IntradayScreen(Screen[None]):
    """Full-screen minute line; see the module docstring."""

    CSS_PATH = [SCREENS_CSS]

    BINDINGS = [
        Binding("5", "days", "五日 / 1 day"),
        Binding("v", "compare", "Comparison"),
        Binding("escape", "back", "Back"),
        Binding("c", "back", "Back", show=False),
        Binding("q", "back", "Back", show=False),
    ]

    def __init__(self, symbol: Symbol, name: str, fetch: Fetcher, now: Callable[[], datetime],
                 quote: Quote | None = None, colors: str = "cn",
                 fetch_days: DaysFetcher | None = None, hand: int | None = None) -> None:
        super().__init__()
        install_compositor(self)  # render only what changed: see tui/dirty_compositor.py
        self._fetch_days = fetch_days
        #: True while the 五日 view is on show.
        self.five_days = False
        self.sessions: list[Intraday] = []
        self.symbol, self.label, self._fetch, self._now = symbol, name, fetch, now
        self.quote = quote
        self.intraday: Intraday | None = None
        self.up_down = colors
        #: Shares per 手 when volumes are charted in 手 (cn units), None for shares.
        self.hand = hand
        self.error: str | None = None
        #: True once a fetch has finished (with minutes, none, or an error).
        self.answered = False

    def compose(self) -> ComposeResult:
        with Vertical(id="intraday-box", classes="panel") as box:
            box.border_title = Text(  # the name comes from the upstream: never markup
                f"分时 · {self.label} {self.symbol.key} · 5 五日 · v comparison · Esc back")
            yield IntradayChart(id="intraday-chart", colors=self.up_down,
                                decimals=fmt.price_decimals(self.symbol), hand=self.hand)
            yield Static(id="intraday-note")
        yield Footer()

    def on_mount(self) -> None:
        """Fetch now and every REFETCH_S."""
        self.refetch()
        self.set_interval(REFETCH_S, self.refetch, name="intraday")

    def refetch(self) -> None:
        """Fetch the minute line in a worker (one at a time)."""
        self.run_worker(self._load(), exclusive=True, group="intraday")

    async def _load(self) -> None:
        try:
            if self.five_days and self._fetch_days is not None:
                self.sessions = await self._fetch_days(self.symbol, self._now())
            else:
                self.intraday = await self._fetch(self.symbol, self._now())
            self.error = None
        except Exception as exc:  # any failure: keep the last good line, say why
            self.error = f"minute line not updated: {exc}"
        self.answered = True
        self.redraw()

    def update_quote(self, quote: Quote | None) -> None:
        """The live quote (limits) from the latest snapshot."""
        if quote is not None and quote != self.quote:
            self.quote = quote
            self.redraw()

    def redraw(self) -> None:
        """Hand the chart its data and the note its line."""
        data = (build_days(self.sessions, self.quote) if self.five_days
                else build_intraday(self.intraday, self.quote))
        empty = LOADING if not self.answered else FAILED if self.error else NO_MINUTES
        for chart in self.query(IntradayChart):
            chart.show(data, fmt.price_decimals(self.symbol), empty)
        for note in self.query("#intraday-note").results(Static):
            note.update(self.error or "")

    def action_days(self) -> None:
        """Switch between today's line and the last five sessions (五日)."""
        if self._fetch_days is None:
            return
        self.five_days = not self.five_days
        self.redraw()
        self.refetch()

    def action_back(self) -> None:
        """Back to the watch screen."""
        self.app.pop_screen()

    def action_compare(self) -> None:
        """The rebased comparison charts, one key away."""
        app = self.app
        app.pop_screen()
        app.call_later(app.run_action, "comparison_charts")
