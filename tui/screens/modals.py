"""Modal views: help, a news item's detail, provider health."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from neodymium.providers.store import ProviderHealth
from neodymium.providers.text import safe_link
from neodymium.tui import formatting as fmt
from neodymium.tui.health_table import HealthTable
from neodymium.tui.news_view import NewsLine
from neodymium.tui.screens.dismissable import DismissableModal as DismissableModal
from neodymium.tui.status_words import unserved_words
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Footer, Static

HELP_TEXT = """\
neodymium — a terminal market watcher

Keys
  q          quit
  r          refresh every data kind now (paused sources too, unless rate-limited)
  s          save a screenshot (SVG) and say where
  h          provider health: state, latency, errors, backoff
  w / W      next / previous comparison window (1D 5D 1M 3M 6M YTD 1Y)
  c          分时: the A-share primary's minute line (5 五日, v the comparison charts);
             for other primaries the charts: the primary and its ETFs rebased to 100
             (there: 1–6 or [ ] pick the window, Esc goes back)
  o          sort the comparison: again flips the direction, then the next column
             (or click a column header; the primary stays on top)
  a / d      add a symbol (code, 名称, pinyin, ticker) to the comparison / remove one
             (saved to your config file, comments kept; u undoes the last remove)
  k          the 五档 order book (盘口) (beside the quote when there is room)
  /          search by code, name, pinyin or initials (600111, 北方稀土, beifang, bfxt)
  l          the watchlist (at the left from 100 columns); g next group
             Enter or a click makes a row the primary; P saves it for next time
             with the watchlist focused: a / d add / remove, Shift+↑ ↓ reorder
  A          alerts: rules, state, recent events (z snooze 1h, x cancel, u re-arm,
             n new, d delete; saved to your config file)
  p          positions: value, day and total P&L, weights (e add/edit, d remove)
  b          private: mask position sizes, values and P&L, on screen and in exports
  ?          this help
  ↑ ↓ PgUp PgDn Home End   move in the news pane (mouse wheel scrolls too)
  Enter      open the highlighted headline (link, summary)
  n          news: the primary's headlines and the sector's (theme words), or all of them
  Tab        move focus between the comparison table and the news pane
  Ctrl+P     command palette (refresh, screenshot, health, theme…)
  Ctrl+Z     suspend to the shell; fg brings the watcher back

Colours follow [display].colors: "cn" is red for up and green for down, "us" the reverse.
Times are exchange-local unless [display].timezone says otherwise.
A DEMO badge means the prices are simulated, not market data.
"""


class HelpScreen(DismissableModal):
    """Key bindings and a short tour."""

    BINDINGS = [*DismissableModal.BINDINGS, Binding("question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body", classes="modal-body"):
            yield Static(Text(HELP_TEXT), id="help-text")
        yield Footer()


class NewsDetailScreen(DismissableModal):
    """One headline with its source, time, summary and link (a terminal hyperlink)."""

    def __init__(self, line: NewsLine) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="news-detail", classes="modal-body"):
            yield Static(news_detail(self.line), id="news-detail-text")
        yield Footer()


def news_detail(line: NewsLine) -> Text:
    """The detail text of a headline. The link is a Style object, never a style string (a URL
    with spaces could otherwise smuggle a second ``link javascript:…``), and only http(s)."""
    body = Text()
    body.append(line.title + "\n\n", style="bold")
    body.append(f"{line.source} · {line.published}", style="cyan")
    if line.kind == "announcement":
        body.append(" · announcement", style="magenta")
    body.append("\n\n")
    if line.summary:
        body.append(line.summary + "\n\n")
    link = safe_link(line.url)
    if link:
        body.append("Link: ", style="dim")
        body.append(link, style=Style(underline=True, link=link))
    return body


def last_errors(health: Mapping[str, ProviderHealth], now: datetime) -> Text:
    """The latest error of each provider, with its age (wrapped, never cut)."""
    text = Text()
    for item in sorted(health.values(), key=lambda h: h.name):
        if item.last_error and item.last_error_at is not None:
            age = fmt.fmt_age((now - item.last_error_at).total_seconds())
            text.append(f"{item.name} ({age} ago): ", style="bold")
            text.append(item.last_error + "\n")
    return text or Text("No errors.", style="dim")


class HealthScreen(DismissableModal):
    """Provider health, refreshed with every snapshot."""

    BINDINGS = [*DismissableModal.BINDINGS, Binding("h", "dismiss", "Close")]

    def __init__(self, health: Mapping[str, ProviderHealth], now: datetime,
                 symbol_errors: Mapping[str, str], *, log_file: Path | None = None,
                 next_polls: Mapping[str, datetime] | None = None) -> None:
        super().__init__()
        self.health = health
        self.now = now
        self.symbol_errors = symbol_errors
        self.log_file = log_file
        self.next_polls = next_polls

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="health-body", classes="modal-body"):
            yield Static(Text("Provider health", style="bold"))
            yield Static(HealthTable(self.health, self.now, self.next_polls),
                         id="health-table")
            yield Static(Text("Last errors", style="bold"))
            yield Static(last_errors(self.health, self.now), id="last-errors")
            yield Static(self._symbol_errors(), id="symbol-errors")
            log = f"Log: {self.log_file}" if self.log_file else "Log: not written"
            yield Static(Text(log, style="dim"), id="log-file")
        yield Footer()

    def update_health(self, health: Mapping[str, ProviderHealth], now: datetime,
                      symbol_errors: Mapping[str, str],
                      next_polls: Mapping[str, datetime] | None = None) -> None:
        """Redraw with fresher numbers."""
        self.health, self.now, self.symbol_errors = health, now, symbol_errors
        self.next_polls = next_polls
        if not self.is_mounted:
            return
        try:
            table = self.query_one("#health-table", Static)
            errors = self.query_one("#last-errors", Static)
            symbols = self.query_one("#symbol-errors", Static)
        except NoMatches:  # composing (it draws the numbers just set) or torn down
            return
        table.update(HealthTable(health, now, next_polls))
        errors.update(last_errors(health, now))
        symbols.update(self._symbol_errors())

    def _symbol_errors(self) -> Text:
        if not self.symbol_errors:
            return Text("Every symbol is served.", style="dim")
        # Each provider's own message is under "Last errors"; here the cause in plain words.
        text = Text("Symbols not served:\n", style="bold yellow")
        for key, reason in sorted(self.symbol_errors.items()):
            text.append(f"  {key}: ", style="bold")
            text.append(unserved_words(reason, self.health.keys(), key) + "\n")
        return text
