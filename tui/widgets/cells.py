"""Widgets drawn once per change, whose changes repaint only the cells that differ.

Textual re-renders a widget's whole renderable whenever any part of it is refreshed, and sends
the widget's whole region unless told which cells changed (a box's whole area when its border
subtitle changes). A ``LineCache`` widget renders its
renderable once when its data changes (exactly as Textual would: ``visualize`` then
``Visual.to_strips``), keeps the lines (Textual's Line API serves them from there), compares
them with the lines shown before and refreshes only the cells that differ. Nothing is rendered
again until the data, the size or the styles change. A widget that can say its lines one by one
(``text_lines``) has only the lines that changed rendered again (one value of a seven-line column
costs one line's rendering, not seven).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Self

from rich.cells import cell_len
from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual, VisualType, visualize
from textual.widget import Widget


def _common(a: str, b: str, step: int) -> int:
    """How many leading (``step`` 1) or trailing (``step`` -1) characters ``a`` and ``b``
    share."""
    count, most = 0, min(len(a), len(b))
    first = 0 if step == 1 else -1
    while count < most and a[first + step * count] == b[first + step * count]:
        count += 1
    return count


def _same_cells(a: list[Segment], b: list[Segment], step: int) -> int:
    """Cells at the start (``step`` 1) or end (``step`` -1) of two lines that look the same:
    whole equal segments, then the shared characters of the first that differs when its
    style did not change."""
    cells, count, most = 0, 0, min(len(a), len(b))
    first = 0 if step == 1 else -1
    while count < most and a[first + step * count] == b[first + step * count]:
        cells += b[first + step * count].cell_length
        count += 1
    if count < most:
        x, y = a[first + step * count], b[first + step * count]
        if x.style == y.style:
            shared = _common(x.text, y.text, step)
            cells += cell_len(y.text[:shared] if step == 1 else y.text[len(y.text) - shared:])
    return cells


def changed_cells(old: Strip, new: Strip) -> tuple[int, int] | None:
    """A span of cells (start, end) covering every cell where ``new`` differs from ``old``;
    None when equal. Compared segment by segment, character by character only inside the
    first and the last segment that differ."""
    if old == new:
        return None
    a = [segment for segment in old if not segment.control]
    b = [segment for segment in new if not segment.control]
    start = _same_cells(a, b, 1)
    if old.cell_length != new.cell_length:  # lines of a widget are as wide as it: rare
        return start, max(old.cell_length, new.cell_length)
    end = new.cell_length - min(_same_cells(a, b, -1), new.cell_length - start)
    return (start, end) if end > start else None


def changed_regions(old: list[Strip], new: list[Strip]) -> list[Region]:
    """Regions (content coordinates) of the cells that differ, line by line."""
    regions = []
    for y, (before, after) in enumerate(zip(old, new, strict=False)):
        span = changed_cells(before, after)
        if span is not None:
            regions.append(Region(span[0], y, span[1] - span[0], 1))
    longest = max(len(old), len(new))
    width = max((strip.cell_length for strip in (*old, *new)), default=0)
    for y in range(min(len(old), len(new)), longest):
        regions.append(Region(0, y, width, 1))
    return regions


class LineCache(Widget):
    """A widget whose ``render()`` runs once per change; ``repaint_changes`` after the data
    changed refreshes only the cells that look different."""

    #: What these widgets show is never a link: Textual's link styling (a walk up the DOM for
    #: the background on every drawing, a fifth of its cost) is left out.
    auto_links = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._strips: list[Strip] | None = None
        self._drawn: Size | None = None
        #: The lines ``_strips`` were drawn from, when the widget says them (``text_lines``).
        self._drawn_lines: tuple[Text, ...] | None = None
        #: Lines drawn since the last whole drawing, by look, with the row each was drawn
        #: on: a value seen before on any row (the clock's seconds, a price moving back, a
        #: book's prices moving a row as the market moves) is not rendered again.
        self._seen: dict[LineKey, tuple[int, Strip]] = {}

    def text_lines(self) -> tuple[Text, ...] | None:
        """What ``render()`` shows as its lines (no-wrap Texts, ``render()`` being them joined
        by newlines), or None when the widget cannot say them: then it is drawn whole."""
        return None

    def _draw(self, size: Size | None = None) -> list[Strip]:
        """The lines at ``size`` (the widget's size, looked up once by the caller: each look
        walks the DOM to the screen and asks the compositor)."""
        size = self.size if size is None else size
        lines = self.text_lines()
        width = size.width
        if lines is not None and not all(line.cell_len <= width and "\t" not in line.plain
                                         for line in lines):
            lines = None  # a line that folds, wraps or has tabs takes more than its row
        old_lines, self._drawn_lines = self._drawn_lines, lines
        strips = self._redraw_lines(old_lines, lines, size)
        if strips is None:
            self._seen.clear()  # a whole drawing: perhaps new styles or a new size
            strips = self._strips_of(self.render())
            if lines is not None and len(lines) == len(strips) and self._by_line(size):
                for y, (line, strip) in enumerate(zip(lines, strips, strict=True)):
                    self._seen[line_key(line)] = (y, strip)
        self._drawn = size
        return strips

    def _strips_of(self, renderable: VisualType) -> list[Strip]:
        """``renderable``'s lines, exactly as Textual draws them in this widget."""
        width, height = self.size
        visual = visualize(self, renderable, markup=False)
        return Visual.to_strips(self, visual, width, height, self.visual_style)

    def _by_line(self, size: Size) -> bool:
        """Whether each line is drawn on its own row, whatever the others (no alignment of
        the block, no selection, no line cut off below ``size``)."""
        lines = self._drawn_lines
        return (lines is not None and len(lines) <= size.height
                and self.styles.content_align == ("left", "top")
                and self.text_selection is None)

    def _redraw_lines(self, old: tuple[Text, ...] | None, new: tuple[Text, ...] | None,
                      size: Size) -> list[Strip] | None:
        """The strips with only the lines that differ from ``old`` rendered again; None when
        they must be drawn whole (first drawing, new size or line count, a line wider than
        the widget, a block alignment or a selection, which depend on every line)."""
        shown = self._strips
        if (old is None or new is None or shown is None or self._drawn != size
                or not len(new) == len(old) == len(shown) or not self._by_line(size)):
            return None
        strips = list(shown)
        missing: dict[int, LineKey] = {}
        # Lines drawn from the left edge keep their segments when characters change in place
        # (centred or right-aligned ones start after a pad that depends on the line).
        in_place = self.styles.text_align in {"left", "start"}
        for y, (before, after) in enumerate(zip(old, new, strict=True)):
            if before != after:
                key = line_key(after)
                seen = self._seen.get(key)
                if seen is not None:
                    strips[y] = moved(seen[1], y - seen[0])
                elif in_place and (retexted := same_shape(strips[y], before, after)) is not None:
                    strips[y] = retexted
                else:
                    missing[y] = key
        if missing:
            # Only the rows from the first missing line to the last are rendered (those
            # between that are not redrawn are left blank: next to nothing to render); the
            # rows' numbers, which Textual records in the segments, are then moved down to
            # where the lines are shown.
            first, last = min(missing), max(missing)
            drawn = self._strips_of(joined(new[y] if y in missing else Text()
                                           for y in range(first, last + 1)))
            if len(drawn) != last + 1 - first:  # a line wrapped or folded: the lines moved
                return None
            if len(self._seen) + len(missing) > SEEN_LINES:
                self._seen.clear()
            for y, key in missing.items():
                strips[y] = moved(drawn[y - first], first)
                self._seen[key] = (y, strips[y])
        return strips

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        """Textual's refresh; a whole repaint (styles, size, theme) draws the lines again."""
        if repaint and not regions:
            self._strips = None
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self

    def repaint_changes(self) -> None:
        """Draw the new lines and refresh the cells that differ from those shown."""
        old, size = self._strips, self.size
        if old is None or not self.display or self._drawn != size or not size:
            self.refresh()
            return
        new = self._draw(size)
        self._strips = new
        regions = changed_regions(old, new)
        if regions:
            self.refresh(*regions)

    def render_line(self, y: int) -> Strip:
        """A line of the last drawing (drawn now if the size or styles changed since)."""
        size = self.size
        if self._strips is None or self._drawn != size:
            self._strips = self._draw(size)
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)


def moved(strip: Strip, rows: int) -> Strip:
    """``strip`` as Textual renders the same line ``rows`` rows further down (up when
    negative): the text-selection offset each segment carries in its style's meta moves."""
    if not rows:
        return strip
    segments = []
    for text, style, control in strip:
        offset = style.meta.get("offset") if style is not None else None
        if style is not None and offset is not None:
            style = style + Style.from_meta({"offset": (offset[0], offset[1] + rows)})
        segments.append(Segment(text, style, control))
    return Strip(segments, strip.cell_length)


#: A Text's own justify values that leave it drawn from the left edge.
LEFT_JUSTIFY = frozenset({None, "default", "left"})


def same_shape(strip: Strip, old: Text, new: Text) -> Strip | None:
    """``strip`` (drawn from ``old``) with ``new``'s characters, when ``new`` is ``old`` with
    only characters changed for others as wide, under the same styles (a clock's seconds, a
    price's last digit): Textual draws such a line in the same segments, with the same styles
    at the same offsets, so only their text differs. None when the shapes differ."""
    before, after = old.plain, new.plain
    if (len(before) != len(after) or old.spans != new.spans or old.style != new.style
            or old.end != new.end or old.justify != new.justify
            or old.justify not in LEFT_JUSTIFY):
        return None
    for x, y in zip(before, after, strict=True):
        if x != y and (cell_len(x) != 1 or cell_len(y) != 1):
            return None
    segments, start = [], 0
    for text, style, control in strip:
        if control:
            segments.append(Segment(text, style, control))
            continue
        end = start + len(text)
        if end <= len(before):
            if before[start:end] != text:
                return None  # the strip is not the old line's characters as they are
            text = after[start:end]
        elif start < len(before):
            return None  # a segment runs past the line: drawn otherwise (padding, folding)
        segments.append(Segment(text, style))
        start = end
    if start < len(before):
        return None
    return Strip(segments, strip.cell_length)


#: Lines a widget keeps drawn for reuse (about a kilobyte each: ~64 KiB a busy widget).
SEEN_LINES = 64
#: What a line of text looks like: its characters, its style and its spans.
LineKey = tuple[str, str | Style, tuple[Span, ...]]


def line_key(line: Text) -> LineKey:
    """A hashable key for how ``line`` looks (Texts are mutable, so not hashable)."""
    return line.plain, line.style, tuple(line.spans)


def joined(lines: Iterable[Text]) -> Text:
    """Lines as one no-wrap Text, one line each (what a widget of lines renders)."""
    text = Text("\n").join(lines)
    text.no_wrap = True
    return text


class CellText(LineCache):
    """Shows one renderable, or lines of text; a new one repaints only the cells that differ
    from the last (and, shown as lines, renders again only the lines that changed)."""

    def __init__(self, renderable: RenderableType = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._renderable: RenderableType | None = renderable
        self._lines: tuple[Text, ...] | None = None

    @property
    def content(self) -> RenderableType:
        """The renderable last shown (lines shown joined by newlines)."""
        if self._renderable is None:
            self._renderable = joined(self._lines or ())
        return self._renderable

    def render(self) -> RenderableType:
        """The renderable last shown."""
        return self.content

    def text_lines(self) -> tuple[Text, ...] | None:
        """The lines last shown with ``show_lines``, or the one line shown with ``show``
        (a Text without newlines or a style of its own: it renders as itself joined)."""
        renderable = self._renderable
        if (self._lines is None and isinstance(renderable, Text) and not renderable.style
                and "\n" not in renderable.plain):
            return (renderable,)
        return self._lines

    def show(self, renderable: RenderableType) -> None:
        """Show ``renderable``; nothing is sent when it looks the same as before."""
        old = self.content
        self._renderable, self._lines = renderable, None
        if isinstance(renderable, Text) and renderable == old:
            return
        self._changed(_cell_len(old) != _cell_len(renderable))

    def show_lines(self, lines: Sequence[Text]) -> None:
        """Show no-wrap ``lines``; only the lines that differ from those shown are rendered
        again, and only their changed cells are sent."""
        new = tuple(lines)
        old = self._lines
        if new == old:
            return
        widest = _widest(old) if old is not None else _cell_len(self.content)
        self._renderable, self._lines = None, new
        self._changed(widest != _widest(new), old is None or len(old) != len(new))

    def _changed(self, resized: bool, rows_changed: bool = False) -> None:
        """Repaint after a change (``resized``: the text's width changed; ``rows_changed``:
        its number of lines, or the first lines shown)."""
        if not self.display:  # hidden: drawn, and measured, when shown
            self._strips = None
            self.clear_cached_dimensions()
            return
        width_rule = self.styles.width
        if width_rule is not None and width_rule.is_auto and resized:
            self.clear_cached_dimensions()  # Textual keeps the last size per width
            self.refresh(layout=True)  # an auto-width widget changes size: lay it out again
            return
        self.repaint_changes()
        if rows_changed:  # a tick's new values keep the count: nothing to measure then
            self._fit_height()

    def _fit_height(self, again: bool = True) -> None:
        """An auto-height widget of lines is as tall as its lines. Textual remembers a height
        per width, and a change that comes while a layout is pending (a resize) is not
        measured again: the valuation kept the height of its lines at another width (four
        blank rows) or of its empty start when shown after being hidden (one row). So when
        the lines and the height differ, the cached size goes and the layout runs, and once
        more after the next frame in case this one was already under way."""
        height_rule = self.styles.height
        lines = self._lines
        if lines is None or not (height_rule is None or height_rule.is_auto):
            return
        if len(lines) != self.size.height:
            self.clear_cached_dimensions()
            self.refresh(layout=True)
            if again:
                self.call_after_refresh(self._fit_height, False)


def _widest(lines: Sequence[Text]) -> int:
    """Cells of the widest line."""
    return max((line.cell_len for line in lines), default=0)


def _cell_len(renderable: RenderableType) -> int | None:
    """Cells of one line of text (None for anything else: always laid out again)."""
    if isinstance(renderable, str):
        return Text(renderable).cell_len
    if isinstance(renderable, Text):
        return renderable.cell_len
    return None


class TitledBox(Vertical):
    """A bordered panel whose title or subtitle changes repaint only their border row (a plain
    ``border_subtitle`` change repaints the whole box and everything in it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._edge: int | None = None
        self._keep = 0  # cells at the right end of the subtitle's row that do not change

    def set_titles(self, title: str | None, subtitle: str | None) -> None:
        """Change what differs; each change repaints its border row only."""
        if self.border_title != title:
            self._edge = 0
            try:
                self.border_title = title
            finally:
                self._edge = None
        if self.border_subtitle != subtitle:
            self._edge = -1
            # A right-aligned subtitle that fits keeps one dash and the corner after it:
            # those two cells stay as they were, so they are not sent again.
            longest = max(cell_len(text or "") for text in (self.border_subtitle, subtitle))
            self._keep = 2 if (self.styles.border_subtitle_align == "right"
                               and longest + 4 < self.outer_size.width) else 0
            try:
                self.border_subtitle = subtitle
            finally:
                self._edge = None

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        """Textual's refresh; a title change narrows it to the border row."""
        outer = self.outer_size
        if self._edge is not None and not regions and not layout and outer:
            offset = self.content_offset
            row = 0 if self._edge == 0 else outer.height - 1
            keep = self._keep if self._edge == -1 else 0
            regions = (Region(-offset.x, row - offset.y, outer.width - keep, 1),)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
