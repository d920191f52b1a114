"""The alerts pane: every rule with its state, what fired recently; snooze, cancel, re-arm."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo

from neodymium.config.settings import Settings
from neodymium.providers.alerts import AlertEngine, AlertEvent
from neodymium.providers.symbols import parse_symbol
from neodymium.tui.screens.modals import DismissableModal
from neodymium.tui.view import display_zone
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

#: How long ``z`` snoozes a rule.
SNOOZE = timedelta(hours=1)
COLUMNS = ("#", "Symbol", "When", "Repeat", "State", "Fired", "Last fired")


class AlertsScreen(DismissableModal):
    """Rules and recent events; keys act on the highlighted rule."""

    BINDINGS = [
        *DismissableModal.BINDINGS,
        Binding("A", "dismiss", "Close", show=False),
        Binding("z", "snooze", "Snooze 1h"),
        Binding("x", "cancel_rule", "Cancel"),
        Binding("u", "rearm", "Re-arm"),
    ]
    AUTO_FOCUS = "#alerts-table"

    def __init__(self, engine: AlertEngine, recent: Sequence[AlertEvent],
                 clock: Callable[[], datetime], settings: Settings) -> None:
        super().__init__()
        self.engine = engine
        self.recent = recent
        self.clock = clock
        self.settings = settings

    def _zone(self, symbol: str) -> tzinfo:
        """Times are shown where the screen shows them: the symbol's exchange, or [display]."""
        return display_zone(self.settings, parse_symbol(symbol).market)

    def compose(self) -> ComposeResult:
        with Vertical(id="alerts-body", classes="modal-body"):
            yield Static(Text("Alerts", style="bold"))
            if not self.engine.rules:
                yield Static(Text("No rules. Add [[alerts]] tables to your config, e.g.\n"
                                  '  [[alerts]]\n  symbol = "600111.SS"\n'
                                  '  when = "price >= 55"\n  repeat = "once"', style="dim"))
            yield DataTable(id="alerts-table", cursor_type="row", zebra_stripes=True)
            yield Static(Text("Recent", style="bold"))
            yield Static(self._recent(), id="alerts-recent")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Redraw every row from the engine's state, keeping the cursor."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for number, rule in enumerate(self.engine.rules, start=1):
            state = self.engine.states[rule.rule_id]
            zone = self._zone(rule.symbol)
            now = self.clock().astimezone(zone)
            last = (state.fired_at.astimezone(zone).strftime("%m-%d %H:%M:%S")
                    if state.fired_at else "—")
            cells = (str(number), rule.symbol, rule.when, rule.repeat,
                     state.status(rule, now), str(state.fire_count), last)
            table.add_row(*(Text(cell) for cell in cells), key=rule.rule_id)
        if self.engine.rules:
            table.move_cursor(row=min(row, len(self.engine.rules) - 1))
        self.query_one("#alerts-recent", Static).update(self._recent())

    def _recent(self) -> Text:
        if not self.recent:
            return Text("Nothing fired yet in this session.", style="dim")
        text = Text()
        for event in self.recent:
            text.append(f"{event.fired_at.astimezone(self._zone(event.symbol)):%H:%M:%S} ",
                        style="dim")
            text.append(event.title, style="bold")
            text.append(f" · {event.body}\n")
        return text

    def _selected(self) -> str | None:
        if not self.engine.rules:
            return None
        table = self.query_one(DataTable)
        return self.engine.rules[table.cursor_row].rule_id

    def action_snooze(self) -> None:
        """Snooze the highlighted rule for an hour."""
        if (rule_id := self._selected()) is not None:
            self.engine.snooze(rule_id, self.clock() + SNOOZE)
            self.refresh_rows()

    def action_cancel_rule(self) -> None:
        """Stop the highlighted rule (until re-armed)."""
        if (rule_id := self._selected()) is not None:
            self.engine.cancel(rule_id)
            self.refresh_rows()

    def action_rearm(self) -> None:
        """Forget what the highlighted rule fired and whether it was cancelled or snoozed."""
        if (rule_id := self._selected()) is not None:
            self.engine.rearm(rule_id)
            self.refresh_rows()
