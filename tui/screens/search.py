"""``/``: find a symbol by code, name, full pinyin or initials (600111, 北方稀土, beifang, bfxt)
and open it as the primary; ``a`` uses the same screen to add one to a list."""

from __future__ import annotations

from neodymium.providers.symbol_index import SymbolEntry, SymbolIndex
from neodymium.providers.symbols import SymbolError, parse_symbol
from neodymium.tui.screens.dismissable import SCREENS_CSS
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

RESULTS = 12
#: The name of a result that is the query itself, read as a code the list does not hold.
BY_CODE = "by its code (not in the symbol list)"
SEARCH_TITLE = "Search · code, 名称, pinyin, initials"


def option_text(entry: SymbolEntry) -> Text:
    """One result line: key, name, pinyin initials (plain text, never markup)."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{entry.key:<10} ", style="bold")
    if entry.kind == "code":
        line.append(entry.name, style="dim italic")
        return line
    line.append(entry.name)
    line.append(f"  {entry.initials}", style="dim")
    return line


def code_entry(query: str, results: list[SymbolEntry], index: SymbolIndex, *,
               tickers: bool = False) -> SymbolEntry | None:
    """The query read as a symbol (``300308``, ``sh600111``, ``00700.HK``) when it has a digit
    or an exchange suffix (so a pinyin query is never read as a US ticker, unless ``tickers``)
    and no result is that symbol already: the list's own entry when it holds it under another
    spelling, else an entry for the code as typed (a listing newer than the list, or no list)."""
    text = "".join(query.split())
    if not tickers and not is_code_like(text):
        return None
    try:
        key = parse_symbol(text).key
    except SymbolError:
        return None
    if any(entry.key == key for entry in results):
        return None
    return index.get(key) or SymbolEntry(key, BY_CODE, "code", "", "")


def is_code_like(text: str) -> bool:
    """A digit or a dot: a code (``300308``, ``00700.HK``), never a pinyin query."""
    return any(ch.isdigit() or ch == "." for ch in text)


class SearchScreen(ModalScreen[str | None]):
    """A query box over a result list; Enter chooses the highlighted (or first) result.

    With ``tickers`` (adding to a list) letters are also offered as a ticker, after the list's
    matches (``REMX``), and Enter with no result hands the text back for the app to say why
    it is not a symbol.
    """

    CSS_PATH = [SCREENS_CSS]

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]

    def __init__(self, index: SymbolIndex, note: str = "", *, heading: str = SEARCH_TITLE,
                 tickers: bool = False) -> None:
        super().__init__()
        self.index = index
        self.note = note
        self.heading = heading
        self.tickers = tickers
        self.results: list[SymbolEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box", classes="panel") as box:
            box.border_title = escape(self.heading)  # a group's name is text
            yield Input(placeholder="600111 · 北方稀土 · beifang · bfxt", id="search-input")
            yield OptionList(id="search-results")
            yield Static(self._note(""), id="search-note", markup=False)

    def _note(self, query: str, found: int = 0) -> str:
        """Under the results: how many of the list's symbols matched (``found``), among how
        many; the list's size alone before anything is typed. "99 symbols" under one result
        read as a count of results."""
        size = self.note or f"{len(self.index):,} symbols"
        text = query.strip()
        if not text:
            return size
        if found:
            first = "the first " if found >= RESULTS else ""
            return f"{first}{found} match{'es' if found != 1 else ''} among {size}"
        if self.results:  # only the code or ticker as typed
            return f"{text!r} is not among {size}: offered as typed"
        return f"no match for {text!r} among {size}"

    def use_index(self, index: SymbolIndex) -> None:
        """Search a newer list (the market list just refreshed) from now on, this query too."""
        self.index = index
        if self.is_mounted:
            self._show(self.query_one(Input).value)

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _query(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _show(self, query: str) -> None:
        results = self.index.search(query, RESULTS)
        by_code = code_entry(query, results, self.index, tickers=self.tickers)
        if by_code is None:
            self.results = results
        elif is_code_like(query):
            self.results = [by_code, *results]
        else:  # letters: the list's matches first, the ticker after them
            self.results = [*results, by_code]
        self.query_one("#search-note", Static).update(self._note(query, len(results)))
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
    def _submit(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and self.results:
            self.dismiss(self.results[options.highlighted].key)
        elif self.tickers and event.value.strip():
            self.dismiss(event.value.strip())

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
