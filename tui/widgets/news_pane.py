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


def news_prompt(line: NewsLine) -> Text:
    """One headline as plain styled text (titles are never parsed as markup)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(line.time.ljust(TIME_CELLS), style="dim")
    text.append(line.flag or " ", style="bold yellow")
    text.append(fmt.fit(line.source, SOURCE_CELLS), style="cyan")
    text.append(" ")
    if line.kind == "announcement":
        text.append("公告 ", style="bold magenta")
    text.append(line.title)
    return text


class NewsPane(OptionList):
    """An OptionList of headlines keyed by news id."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines: dict[str, NewsLine] = {}
        self._order: tuple[str, ...] = ()

    def show(self, lines: Sequence[NewsLine]) -> None:
        """Show these headlines; keep the reader's place when new ones arrive on top."""
        order = tuple(line.id for line in lines)
        if order == self._order:
            return
        highlighted_id = None
        if self.highlighted is not None and self.highlighted < len(self._order):
            highlighted_id = self._order[self.highlighted]
        first_visible = self._order[int(self.scroll_y)] if self._order and \
            int(self.scroll_y) < len(self._order) else None
        self.lines = {line.id: line for line in lines}
        self._order = order
        self.clear_options()
        self.add_options([Option(news_prompt(line), id=line.id) for line in lines])
        if highlighted_id in self.lines:
            self.highlighted = order.index(highlighted_id)
        if first_visible is not None and first_visible in self.lines and self.scroll_y > 0:
            self.scroll_to(y=order.index(first_visible), animate=False, immediate=True)

    def selected_line(self) -> NewsLine | None:
        """The headline under the cursor."""
        if self.highlighted is None or self.highlighted >= len(self._order):
            return None
        return self.lines.get(self._order[self.highlighted])
