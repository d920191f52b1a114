"""The alerts pane: every rule with its state, what fired recently; snooze, cancel, re-arm,
add and delete (written back to the config)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo

from neodymium.config.settings import AlertRule, Settings
from neodymium.providers.alerts import AlertEngine, AlertEvent
from neodymium.providers.symbols import parse_symbol
from neodymium.tui.alert_status import rule_status
from neodymium.tui.screens.dismissable import SCREENS_CSS, DismissableModal
from neodymium.tui.view import display_zone
from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Static

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
        Binding("n", "new_rule", "New"),
        Binding("d", "delete_rule", "Delete"),
    ]
    AUTO_FOCUS = "#alerts-table"

    def __init__(self, engine: AlertEngine, recent: Sequence[AlertEvent],
                 clock: Callable[[], datetime], settings: Settings,
                 on_edit: Callable[[list[AlertRule]], None]) -> None:
        super().__init__()
        self.engine = engine
        self.recent = recent
        self.clock = clock
        self.settings = settings
        self.on_edit = on_edit

    def _zone(self, symbol: str) -> tzinfo:
        """Times are shown where the screen shows them: the symbol's exchange, or [display]."""
        return display_zone(self.settings, parse_symbol(symbol).market)

    def compose(self) -> ComposeResult:
        with Vertical(id="alerts-body", classes="modal-body"):
            yield Static(Text("Alerts", style="bold"))
            yield Static(Text("No rules yet: n adds one (saved as [[alerts]] in your config).",
                              style="dim"), id="alerts-empty")
            yield DataTable(id="alerts-table", cursor_type="row", zebra_stripes=True)
            yield Static(Text("Recent", style="bold"))
            yield Static(self._recent(), id="alerts-recent")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        self.refresh_rows()

    def refresh_view(self) -> None:
        """Redraw after new events or edits (nothing when the screen is being torn down)."""
        try:
            self.refresh_rows()
        except NoMatches:
            return

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
                     rule_status(state, rule, now), str(state.fire_count), last)
            table.add_row(*(Text(cell) for cell in cells), key=rule.rule_id)
        if self.engine.rules:
            table.move_cursor(row=min(max(row, 0), len(self.engine.rules) - 1))
        self.query_one("#alerts-empty", Static).display = not self.engine.rules
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

    def action_new_rule(self) -> None:
        """Ask for a rule: ``SYMBOL CONDITION [REPEAT]``."""
        self.app.push_screen(AlertPrompt(), self._added)

    def _added(self, rule: AlertRule | None) -> None:
        if rule is None:
            return
        if any(r.rule_id == rule.rule_id for r in self.engine.rules):
            self.app.notify("that rule exists already", title="Not added")
            return
        self.on_edit([*self.engine.rules, rule])

    def action_delete_rule(self) -> None:
        """Remove the highlighted rule from the config (x only cancels it)."""
        if (rule_id := self._selected()) is not None:
            self.on_edit([r for r in self.engine.rules if r.rule_id != rule_id])


_REPEAT_TAIL = re.compile(r"\s+(once|daily|every\s+\d+\s*[smh])\s*$", re.IGNORECASE)


def parse_rule(text: str) -> AlertRule:
    """``600111.SS price >= 55 daily`` → AlertRule; ValueError says what is wrong."""
    symbol, _, rest = text.strip().partition(" ")
    if not rest.strip():
        raise ValueError("write: SYMBOL CONDITION [REPEAT], e.g. 600111.SS price >= 55 daily")
    repeat = "once"
    if match := _REPEAT_TAIL.search(rest):
        repeat, rest = match.group(1), rest[: match.start()]
    try:
        return AlertRule.model_validate({"symbol": symbol, "when": rest, "repeat": repeat})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{where}: {first['msg'].removeprefix('Value error, ')}") from None


class AlertPrompt(ModalScreen[AlertRule | None]):
    """One line: symbol, condition, optional repeat. Enter adds, Escape cancels."""

    CSS_PATH = [SCREENS_CSS]
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#alert-input"

    def compose(self) -> ComposeResult:
        with Vertical(id="alert-prompt", classes="modal-body"):
            yield Static(Text("New alert: SYMBOL CONDITION [REPEAT], e.g. "
                              "600111.SS price >= 55 daily · 159713.SZ change_pct <= -3 · "
                              "600111.SS limit_up every 10m. Enter adds, Escape cancels.",
                              style="bold"))
            yield Input(placeholder="600111.SS price >= 55", id="alert-input")
            yield Static(id="alert-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Validate; stay open with the reason when the line is wrong."""
        try:
            rule = parse_rule(event.value)
        except ValueError as exc:
            self.query_one("#alert-error", Static).update(Text(str(exc), style="red"))
            return
        self.dismiss(rule)

    def action_cancel(self) -> None:
        """Close without adding."""
        self.dismiss(None)
