"""The positions pane: holdings valued live, masked in private mode; add, edit, remove."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from neodymium.config.settings import PositionSettings, Settings
from neodymium.providers.positions import value_positions
from neodymium.providers.store import Snapshot
from neodymium.tui.positions_view import COLUMNS, position_cells, totals_text
from neodymium.tui.screens.dismissable import SCREENS_CSS, DismissableModal
from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Static

#: Called with the new list of positions when the user edits them.
OnEdit = Callable[[list[PositionSettings]], None]


class PositionsScreen(DismissableModal):
    """Holdings with market value, day and total P&L and weights; e edits, d removes."""

    BINDINGS = [
        *DismissableModal.BINDINGS,
        Binding("p", "dismiss", "Close", show=False),
        Binding("e", "edit", "Add/edit"),
        Binding("d", "remove", "Remove"),
        Binding("b", "app.private", "Private"),
    ]
    AUTO_FOCUS = "#positions-table"

    def __init__(self, settings: Settings, snapshot: Snapshot | None, private: bool,
                 on_edit: OnEdit) -> None:
        super().__init__()
        self.settings = settings
        self.snapshot = snapshot
        self.private = private
        self.on_edit = on_edit

    def compose(self) -> ComposeResult:
        with Vertical(id="positions-body", classes="modal-body"):
            yield Static(Text("Positions", style="bold"), id="positions-title")
            yield DataTable(id="positions-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="positions-totals")
        yield Footer()

    def on_mount(self) -> None:
        """Columns once, then the rows."""
        table = self.query_one(DataTable)
        for column in COLUMNS:
            table.add_column(column, key=column)
        self.redraw()

    def update_view(self, settings: Settings, snapshot: Snapshot | None, private: bool) -> None:
        """New quotes, positions or privacy: redraw."""
        self.settings, self.snapshot, self.private = settings, snapshot, private
        if self.is_mounted:
            try:
                self.redraw()
            except NoMatches:  # torn down (app exiting) while a snapshot was queued
                return

    def redraw(self) -> None:
        """Rebuild rows and totals from the latest snapshot."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        quotes = self.snapshot.quotes if self.snapshot is not None else {}
        rows, totals = value_positions(self.settings.positions, quotes)
        privacy = self.settings.privacy
        for item in rows:
            table.add_row(*position_cells(item, self.settings.display.colors, self.private,
                                          privacy), key=item.symbol)
        if rows:
            table.move_cursor(row=min(max(row, 0), len(rows) - 1))
        if not rows:
            text = Text("No positions. e adds one (symbol, shares, cost per share, fees).",
                        style="dim")
        else:
            text = totals_text(totals, self.settings.display.colors, self.private, privacy)
        self.query_one("#positions-totals", Static).update(text)
        title = "Positions" + (" · PRIVATE (b shows figures)" if self.private else "")
        self.query_one("#positions-title", Static).update(Text(title, style="bold"))

    def _highlighted(self) -> PositionSettings | None:
        positions = self.settings.positions
        if not positions:
            return None
        return positions[min(self.query_one(DataTable).cursor_row, len(positions) - 1)]

    def action_edit(self) -> None:
        """Ask for ``SYMBOL SHARES COST [FEES]``; prefilled with the highlighted holding."""
        current = self._highlighted()
        if current is None:
            initial = ""
        elif self.private:  # the prompt must not show what the mask hides
            initial = current.symbol + " "
        else:
            initial = (f"{current.symbol} {current.shares} {current.cost}"
                       + (f" {current.fees}" if current.fees else ""))
        self.app.push_screen(PositionPrompt(initial), self._edited)

    def _edited(self, position: PositionSettings | None) -> None:
        if position is None:
            return
        kept = [p for p in self.settings.positions if p.symbol != position.symbol]
        index = next((i for i, p in enumerate(self.settings.positions)
                      if p.symbol == position.symbol), len(kept))
        self.on_edit([*kept[:index], position, *kept[index:]])

    def action_remove(self) -> None:
        """Remove the highlighted holding."""
        current = self._highlighted()
        if current is not None:
            self.on_edit([p for p in self.settings.positions if p.symbol != current.symbol])


def parse_position(text: str) -> PositionSettings:
    """``600111.SS 1000 41.235 [5]`` → PositionSettings; ValueError says what is wrong."""
    parts = text.split()
    if len(parts) not in (3, 4):
        raise ValueError("write: SYMBOL SHARES COST [FEES], e.g. 600111.SS 1000 41.2")
    try:
        numbers = [Decimal(part) for part in parts[1:]]
    except InvalidOperation:
        raise ValueError("shares, cost and fees must be numbers") from None
    data: dict[str, object] = {"symbol": parts[0], "shares": numbers[0], "cost": numbers[1]}
    if len(numbers) == 3:
        data["fees"] = numbers[2]
    try:
        return PositionSettings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{where}: {first['msg'].removeprefix('Value error, ')}") from None


class PositionPrompt(ModalScreen[PositionSettings | None]):
    """One line: symbol, shares, cost per share, optional fees. Enter saves, Escape cancels."""

    CSS_PATH = [SCREENS_CSS]
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#position-input"

    def __init__(self, initial: str = "") -> None:
        super().__init__()
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="position-prompt", classes="modal-body"):
            yield Static(Text("Add or edit a position: SYMBOL SHARES COST [FEES] "
                              "(e.g. 600111.SS 1000 41.235 5). Enter saves, Escape cancels.",
                              style="bold"))
            yield Input(value=self.initial, placeholder="600111.SS 1000 41.2",
                        id="position-input")
            yield Static(id="position-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Validate; stay open with the reason when the line is wrong."""
        try:
            position = parse_position(event.value)
        except ValueError as exc:
            self.query_one("#position-error", Static).update(Text(str(exc), style="red"))
            return
        self.dismiss(position)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
