"""Textual's ``Digits`` with its drawings kept: the big price's parts draw from memory.

A ``Digits`` renders a Rich renderable (three rows of box characters, aligned) each time it is
refreshed: a tick renders the digit it moved, its flash tints it (drawn again) and the flash's
end draws it once more, about a tenth of a ticking screen's CPU. The last digit shows ten
values in a few colours, so each drawing is kept under what it depends on (the value, the
widget's styles and size) and served again when the same look comes back.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Self

from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widgets import Digits

#: Drawings kept per widget (a few KiB each).
KEPT = 64


class BigDigits(Digits):
    """A ``Digits`` whose lines are drawn once per look (value, styles, size)."""

    def __init__(self, value: str = "", **kwargs: object) -> None:
        super().__init__(value, **kwargs)  # type: ignore[arg-type]
        self._drawings: OrderedDict[Hashable, list[Strip]] = OrderedDict()
        #: The drawing on show and its size, until the next refresh (a look costs a walk up
        #: the DOM for the styles: once a drawing, not once a line).
        self._shown: tuple[Size, list[Strip]] | None = None

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        """Textual's refresh; the next line drawn looks up the drawing again."""
        self._shown = None
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self

    def notify_style_update(self) -> None:
        """New styles: the next line drawn looks up the drawing again."""
        self._shown = None
        super().notify_style_update()

    def _look(self) -> Hashable:
        """What a drawing depends on: Digits.render reads the value, the rich style and the
        text alignment; Visual.to_strips the size, the visual style and the content
        alignment."""
        styles = self.styles
        return (self.value, self.rich_style, self.visual_style, self.size, styles.text_align,
                styles.content_align)

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the drawing for the current look (drawn now if not kept)."""
        if self.text_selection is not None:  # a selection tints the text: drawn as Textual does
            return super().render_line(y)
        size = self.size
        if self._shown is not None and self._shown[0] == size:
            return self._line(self._shown[1], y)
        look = self._look()
        kept = self._drawings.get(look)
        if kept is None:
            width, height = size
            visual = visualize(self, self.render(), markup=False)
            lines = Visual.to_strips(self, visual, width, height, self.visual_style)
            self._drawings[look] = lines
            while len(self._drawings) > KEPT:
                self._drawings.popitem(last=False)
        else:
            lines = kept
            self._drawings.move_to_end(look)
        self._shown = (size, lines)
        return self._line(lines, y)

    def _line(self, lines: list[Strip], y: int) -> Strip:
        """Line ``y`` of a drawing (blank below it)."""
        if y < len(lines):
            return lines[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)
