"""The news pane: newest first; new items arrive at the top without moving what you read."""

from __future__ import annotations

from collections.abc import Sequence

from neodymium.tui import formatting as fmt
from neodymium.tui.news_view import NewsLine
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

SOURCE_CELLS = 10
TIME_CELLS = 11  # "08-21 15:00"
#: Wide panes show source names in full (up to this many cells).
WIDE_SOURCE_CELLS = 24
WIDE_CELLS = 140


def source_cells(width: int) -> int:
    """Cells for the source name at a pane width."""
    return WIDE_SOURCE_CELLS if width >= WIDE_CELLS else SOURCE_CELLS


def news_prompt(line: NewsLine, cells: int = SOURCE_CELLS, mono: bool = False) -> Text:
    """One headline as plain styled text (titles are never parsed as markup)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(line.time.ljust(TIME_CELLS), style="dim")
    text.append(line.flag or " ", style="bold yellow")
    text.append(fmt.fit(line.source, cells), style="cyan")
    text.append(" ")
    if line.kind == "announcement":
        # Magenta greys to near-black under NO_COLOR: there the badge is reversed instead.
        text.append("公告", style="bold reverse" if mono else "bold magenta")
        text.append(" ")
    text.append(line.title)
    return text


class NewsPane(OptionList):
    """An OptionList of headlines, newest first; ``lines`` and the order say which headline
    each option shows (options have no ids: a headline's prompt is replaced in place)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines: dict[str, NewsLine] = {}
        self._order: tuple[str, ...] = ()
        self._status: str | None = None
        self._cells = SOURCE_CELLS

    def show(self, lines: Sequence[NewsLine], status: str = "") -> None:
        """Show these headlines (or, with none, why); keep the reader's place when new ones
        arrive on top."""
        if not lines:
            self._show_status(status)
            return
        order = tuple(line.id for line in lines)
        cells = source_cells(self.size.width)
        if order == self._order and self._status is None and cells == self._cells:
            return
        same_widths = self._status is None and cells == self._cells
        self._status, self._cells = None, cells
        highlighted_id = None
        if self.highlighted is not None and self.highlighted < len(self._order):
            highlighted_id = self._order[self.highlighted]
        first_visible = self._order[int(self.scroll_y)] if self._order and \
            int(self.scroll_y) < len(self._order) else None
        shown = [self.lines[key] for key in self._order]
        self.lines = {line.id: line for line in lines}
        self._order = order
        mono = self.app.no_color
        if same_widths and len(shown) == self.option_count:
            # Headlines change in place: the lines that differ get a new prompt, extra ones
            # are added at the end, surplus ones removed from it. Clearing and adding them
            # all again emptied the list for a moment, and the screen was laid out twice.
            keep = min(len(shown), len(lines))
            for index, (before, after) in enumerate(zip(shown[:keep], lines[:keep],
                                                        strict=True)):
                if before != after:
                    self.replace_option_prompt_at_index(index, news_prompt(after, cells, mono))
            if len(lines) > keep:
                self.add_options([Option(news_prompt(line, cells, mono)) for line in lines[keep:]])
            for index in range(len(shown) - 1, keep - 1, -1):
                self.remove_option_at_index(index)
        else:
            self.clear_options()
            self.add_options([Option(news_prompt(line, cells, mono)) for line in lines])
        self.highlighted = order.index(highlighted_id) if highlighted_id in self.lines else None
        if first_visible is not None and first_visible in self.lines and self.scroll_y > 0:
            self.scroll_to(y=order.index(first_visible), animate=False, immediate=True)

    def _show_status(self, status: str) -> None:
        """No headlines: one line saying why (it cannot be highlighted or opened)."""
        message = status or "Waiting for the first headlines…"
        if message == self._status:
            return
        if self._status is not None and self.option_count == 1:
            # A new word for the same line (a countdown ticks every second): clearing and
            # adding the line again laid the whole screen out again each time.
            self._status = message
            self.replace_option_prompt_at_index(0, Text(message, style="italic"))
            return
        self._status, self._order, self.lines = message, (), {}
        self.clear_options()
        self.add_option(Option(Text(message, style="italic"), disabled=True))

    def on_focus(self) -> None:
        """Tabbing in highlights the first headline, so Enter opens it at once."""
        if self.highlighted is None and self._order:
            self.highlighted = 0

    def on_resize(self) -> None:
        """Wider or narrower: the source names get their room on the next show."""
        if source_cells(self.size.width) != self._cells and self._order:
            self.show([self.lines[key] for key in self._order])

    def selected_line(self) -> NewsLine | None:
        """The headline under the cursor."""
        if self.highlighted is None or self.highlighted >= len(self._order):
            return None
        return self.lines.get(self._order[self.highlighted])
