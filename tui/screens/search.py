"""``/``: find a symbol by code, name, full pinyin or initials (600111, 北方稀土, beifang, bfxt)
and open it as the primary."""

from __future__ import annotations

from neodymium.providers.symbol_index import SymbolEntry, SymbolIndex
from neodymium.tui.screens.dismissable import SCREENS_CSS
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

RESULTS = 12


def option_text(entry: SymbolEntry) -> Text:
    """One result line: key, name, pinyin initials (plain text, never markup)."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{entry.key:<10} ", style="bold")
    line.append(entry.name)
    line.append(f"  {entry.initials}", style="dim")
    return line


class SearchScreen(ModalScreen[str | None]):
    """A query box over a result list; Enter opens the highlighted (or first) result."""

    CSS_PATH = [SCREENS_CSS]

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]

    def __init__(self, index: SymbolIndex, note: str = "") -> None:
        super().__init__()
        self.index = index
        self.note = note
        self.results: list[SymbolEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box", classes="panel") as box:
            box.border_title = "Search · code, 名称, pinyin, initials"
            yield Input(placeholder="600111 · 北方稀土 · beifang · bfxt", id="search-input")
            yield OptionList(id="search-results")
            yield Static(self.note or f"{len(self.index):,} symbols", id="search-note")

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _query(self, event: Input.Changed) -> None:
        self.results = self.index.search(event.value, RESULTS)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(option_text(entry), id=entry.key)
                             for entry in self.results])
        if self.results:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        """Move the highlight while typing."""
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted)
    def _submit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and self.results:
            self.dismiss(self.results[options.highlighted].key)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
