"""The composed screen as a grid of terminal cells, and the text formats drawn from it.

Every export works from cells, not characters: a CJK character takes two cells, so a run's
width is its cell width (``rich.cells``), which is what the terminal does. The SVG that Rich
writes sizes each text run by its character count; ``fix_svg_widths`` corrects that.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape, unescape
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, get_character_cell_size
from rich.color_triplet import ColorTriplet
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import DEFAULT_TERMINAL_THEME
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.app import App


@dataclass(frozen=True, slots=True)
class Cell:
    """One terminal cell: its character ("" for the right half of a wide one) and style."""

    char: str
    style: Style
    width: int = 1


Grid = list[list[Cell]]
BLANK = Cell(" ", Style())


def segments_to_grid(lines: Iterable[Sequence[Segment]], width: int) -> Grid:
    """Cells of each line, exactly ``width`` per line (wide characters fill two)."""
    grid: Grid = []
    for segments in lines:
        row: list[Cell] = []
        for segment in segments:
            if segment.control:
                continue
            style = segment.style or Style()
            for char in segment.text:
                size = get_character_cell_size(char)
                if size == 0:
                    continue
                row.append(Cell(char, style, size))
                if size == 2:
                    row.append(Cell("", style, 0))
        row = row[:width] + [BLANK] * max(0, width - len(row))
        grid.append(row)
    return grid


def screen_grid(app: App[Any]) -> Grid:
    """The app's current screen (with any modal over it) as cells."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", legacy_windows=False, safe_box=False)
    # The compositor is the only way to get the composed frame as segments; Textual's own
    # export_screenshot uses it the same way.
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    if update is None:
        return [[BLANK] * width for _ in range(height)]
    lines = Segment.split_and_crop_lines(console.render(update, console.options), width,
                                         pad=True)
    return segments_to_grid(lines, width)[:height]


def chrome_regions(app: App[Any]) -> tuple[list[Region], set[int]]:
    """Scrollbar regions to blank, and screen rows taken by the key footer (to drop)."""
    screen = app.screen
    bars: list[Region] = []
    footer_rows: set[int] = set()
    for widget in screen.walk_children(Widget):
        if isinstance(widget, Footer) and widget.display:
            region = widget.region
            footer_rows.update(range(region.y, region.bottom))
        if not widget.is_scrollable or not widget.display:
            continue
        if widget.show_vertical_scrollbar:
            bars.append(widget.vertical_scrollbar.region)
        if widget.show_horizontal_scrollbar:
            bars.append(widget.horizontal_scrollbar.region)
    return [bar for bar in bars if bar.area], footer_rows


def grid_text(grid: Grid, blank: Sequence[Region] = (), drop_rows: Iterable[int] = ()) -> str:
    """Plain text of the grid: ``blank`` regions become spaces, ``drop_rows`` are left out."""
    dropped = set(drop_rows)
    out = []
    for y, row in enumerate(grid):
        if y in dropped:
            continue
        chars = []
        for x, cell in enumerate(row):
            if any(region.contains(x, y) for region in blank):
                chars.append(" " * max(1, cell.width) if cell.width else "")
            else:
                chars.append(cell.char)
        out.append("".join(chars).rstrip())
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def colors(style: Style) -> tuple[str, str]:
    """Foreground and background hex of a cell (reverse and dim applied)."""
    theme = DEFAULT_TERMINAL_THEME
    fg = style.color.get_truecolor(theme) if style.color else theme.foreground_color
    bg = (style.bgcolor.get_truecolor(theme, foreground=False) if style.bgcolor
          else theme.background_color)
    if style.reverse:
        fg, bg = bg, fg
    if style.dim:
        fg = ColorTriplet(*(round((a + b) / 2) for a, b in zip(fg, bg, strict=True)))
    return fg.hex, bg.hex


def runs(row: Sequence[Cell]) -> list[tuple[int, int, str, Style]]:
    """A row as ``(first cell, cells, text, style)`` runs of one style."""
    out: list[tuple[int, int, str, Style]] = []
    x = 0
    for cell in row:
        if out and out[-1][3] == cell.style:
            start, cells, text, style = out[-1]
            out[-1] = (start, cells + cell.width, text + cell.char, style)
        elif cell.width:
            out.append((x, cell.width, cell.char, cell.style))
        x += cell.width
    return out


#: The HTML export's font size and row height in whole pixels: DejaVu Sans Mono at 16px
#: draws a box-drawing line 19px tall, so rows of 19px join a box's sides without a seam.
HTML_FONT_PX = 16
HTML_ROW_PX = 19


def grid_html(grid: Grid, banner: str, background: str = "#0c0c0c") -> str:
    """A standalone HTML page: one block per line, each run exactly its cells wide.

    Runs are inline blocks sized in ``ch``, lines a whole number of pixels high
    (``HTML_ROW_PX``) with no margins, so a browser can neither leave gaps between lines nor
    let a CJK font's widths push a column out of line: in a run with CJK, each wide character
    is a block of its own two cells (a CJK font draws it narrower than ``2ch``, which would
    pull the rest of the run off its cells). Rows of a fractional pixel height (1.2em of 16px)
    put every other row on a half pixel, and a box's vertical line showed hairline gaps.
    """
    body = []
    for row in grid:
        spans = []
        for _, _, text, style in runs(row):
            look = _css(style)
            for piece in _split_by_width(text):
                spans.append(f'<span style="width:{cell_len(piece)}ch;{look}">'
                             f"{escape(piece)}</span>")
        body.append(f'<div class="l">{"".join(spans)}</div>')
    width = len(grid[0]) if grid else 0
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>neodymium</title><style>\n"
        f"body{{background:{background};margin:0;padding:12px}}\n"
        ".banner{font:14px monospace;color:#cccccc;margin:0 0 8px}\n"
        f".t{{font:{HTML_FONT_PX}px/{HTML_ROW_PX}px 'DejaVu Sans Mono','Noto Sans Mono CJK SC',"
        f"monospace;width:{width}ch;background:{background}}}\n"
        f".l{{height:{HTML_ROW_PX}px;white-space:pre;overflow:hidden;display:flex}}\n"
        f".l span{{display:inline-block;flex:none;height:{HTML_ROW_PX}px;overflow:hidden}}\n"
        "</style></head><body>\n"
        f'<p class="banner">{escape(banner)}</p>\n<div class="t">\n'
        + "\n".join(body) + "\n</div>\n</body></html>\n"
    )


def _css(style: Style) -> str:
    """A run's colours and font as inline CSS (its width is set per piece)."""
    fg, bg = colors(style)
    css = [f"color:{fg}", f"background:{bg}"]
    if style.bold:
        css.append("font-weight:bold")
    if style.italic:
        css.append("font-style:italic")
    if style.underline:
        css.append("text-decoration:underline")
    return ";".join(css)


_TEXT_TAG = re.compile(r'<text ([^>]*?)x="([0-9.]+)"([^>]*?)textLength="([0-9.]+)"([^>]*)>'
                       r"(.*?)</text>", re.S)


def _char_width(svg: str) -> float | None:
    """The SVG's cell width, from a run of narrow characters (Rich: font size × 0.61)."""
    for match in _TEXT_TAG.finditer(svg):
        text = unescape(match.group(6))
        if text and cell_len(text) == len(text):
            return float(match.group(4)) / len(text)
    return None


def _split_by_width(text: str) -> list[str]:
    """Maximal pieces of narrow characters, and each wide character on its own.

    A browser draws a CJK glyph at its font's width, not two cells': in SVG it stretches a run
    to its ``textLength`` by adding space between glyphs (the gap would fall inside a pair), in
    HTML the rest of the run moves off its cells. One wide glyph per element (SVG text, HTML
    span) keeps every character on its cells.
    """
    pieces: list[str] = []
    for char in text:
        wide = get_character_cell_size(char) == 2
        if pieces and not wide and get_character_cell_size(pieces[-1][-1]) != 2:
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def fix_svg_widths(svg: str) -> str:
    """Give every SVG text run its cell width: wide characters two cells, not one.

    Runs with CJK are split, so each wide character and each narrow piece starts on its own
    cell.
    """
    char_width = _char_width(svg)
    if char_width is None:
        return svg

    def replace(match: re.Match[str]) -> str:
        before, x, middle, _, after, content = match.groups()
        text = unescape(content)
        if cell_len(text) == len(text):
            return match.group(0)
        out, left = [], float(x)
        for piece in _split_by_width(text):
            width = cell_len(piece) * char_width
            out.append(f'<text {before}x="{left:g}"{middle}textLength="{width:g}"{after}>'
                       f"{escape(piece, quote=False).replace(' ', '&#160;')}</text>")
            left += width
        return "".join(out)

    return _TEXT_TAG.sub(replace, svg)


#: Rich's SVG window: its title (bold Arial, 18px, centred) and where its three buttons end.
_SVG_TITLE = re.compile(r'(<text class="[^"]*-title"[^>]*?)>(.*?</text>)', re.S)
_SVG_WIDTH = re.compile(r'viewBox="0 0 ([0-9.]+) ')
TITLE_PX = 18
#: A generous average advance of the title's glyphs, in ems (bold Arial: about 0.55).
TITLE_EM_PER_CHAR = 0.6
#: Room kept free at each side of the centred title: the window buttons end at x = 77.
TITLE_MARGIN_PX = 84


def fit_svg_title(svg: str) -> str:
    """Keep the window title (the export's stamp: time, sources, DEMO) clear of the window
    buttons and inside the picture: a title that may be wider than the room between them is
    drawn at exactly that width (``textLength``), never cut and never under the buttons."""
    width = _SVG_WIDTH.search(svg)
    title = _SVG_TITLE.search(svg)
    if width is None or title is None:
        return svg
    room = float(width.group(1)) - 2 * TITLE_MARGIN_PX
    text = unescape(re.sub(r"<[^>]+>", "", title.group(2)))
    if cell_len(text) * TITLE_EM_PER_CHAR * TITLE_PX <= room:
        return svg
    fitted = f'{title.group(1)} textLength="{room:g}" lengthAdjust="spacingAndGlyphs">'
    return svg[:title.start()] + fitted + title.group(2) + svg[title.end():]


#: A text run of box-drawing and block characters only (and spaces).
_BOX_RUN = re.compile(r'<text ([^>]*?)y="([0-9.]+)"([^>]*)>((?:[\u2500-\u259f]|&#160;| )+)</text>')
#: Rich's SVG rows: 24.4 px apart, text baseline 18.5 px below a row's top (20 px text).
SVG_ROW_PX = 24.4
SVG_BASELINE_PX = 18.5
#: How much taller box-drawing glyphs are drawn: a fallback font's line (DejaVu Sans Mono:
#: 23.3 px at 20 px) then reaches the next row, as in the terminal.
BOX_STRETCH = 1.1


def stretch_svg_box_glyphs(svg: str) -> str:
    """Draw runs of box-drawing and block characters 10% taller about their row's middle, so
    a box's side is one line, not one line a row with a seam between: Rich's SVG puts rows
    24.4 px apart for Fira Code, and a viewer without it draws these glyphs shorter than a
    row. Each run's clip (its row) stretches with it, so a glyph may reach 1.2 px into the
    rows above and below, where a box's side continues anyway."""

    def stretch(match: re.Match[str]) -> str:
        before, y, after, content = match.groups()
        middle = float(y) - SVG_BASELINE_PX + SVG_ROW_PX / 2
        shift = (1 - BOX_STRETCH) * middle
        return (f'<text {before}y="{y}"{after} transform="matrix(1 0 0 {BOX_STRETCH:g} 0 '
                f'{shift:.2f})">{content}</text>')

    return _BOX_RUN.sub(stretch, svg)
