"""Exports keep the terminal's cell grid: SVG run widths, PNG pixel columns, HTML line widths."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html import unescape
from itertools import pairwise
from pathlib import Path

import pytest
from neodymium.tui import export
from neodymium.tui.export_grid import (
    fix_svg_widths,
    grid_html,
    runs,
    screen_grid,
    segments_to_grid,
)
from neodymium.tui.export_png import BANNER_H, CELL_H, CELL_W, MARGIN
from neodymium.tui.widgets.comparison_table import ComparisonTable
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from tests.tui.conftest import make_app

TEXT = re.compile(r'<text [^>]*?x="([0-9.]+)"[^>]*?textLength="([0-9.]+)"[^>]*>(.*?)</text>', re.S)


def test_fix_svg_widths_puts_each_cjk_character_on_its_own_two_cells() -> None:
    svg = ('<text class="a" x="0" y="20" textLength="24.4" clip-path="u">ab</text>'
           '<text class="a" x="24.4" y="20" textLength="73.2">北方稀土ETF</text>')
    fixed = fix_svg_widths(svg)
    pieces = [(float(x), float(w), unescape(t)) for x, w, t in TEXT.findall(fixed)]
    assert pieces == [(0.0, 24.4, "ab"), (24.4, 24.4, "北"), (48.8, 24.4, "方"),
                      (73.2, 24.4, "稀"), (97.6, 24.4, "土"), (122.0, 36.6, "ETF")]


async def test_svg_runs_take_their_cell_width() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        svg = export.render(app, "svg")
    assert isinstance(svg, str)
    found = [(float(x), float(w), unescape(t)) for x, w, t in TEXT.findall(svg)]
    char_width = next(w / len(t) for _, w, t in found if t.isascii() and t.strip())
    wide = [item for item in found if cell_len(item[2]) != len(item[2])]
    assert {"北", "方", "稀", "土"} <= {text for _, _, text in wide}
    assert all(len(text) == 1 for _, _, text in wide)  # one glyph per element: no inner gaps
    for x, width, text in found:
        assert width == pytest.approx(cell_len(text) * char_width, abs=0.01), text
        assert (x / char_width) == pytest.approx(round(x / char_width), abs=1e-3), text


def _table_rows(app) -> list[tuple[int, int]]:
    """(screen row, first cell of the Last value) for each comparison row."""
    table = app.query_one(ComparisonTable)
    region = table.content_region
    grid = screen_grid(app)
    out = []
    for y in range(region.y + 1, region.y + 1 + len(table.rows_shown)):
        text = "".join(c.char for c in grid[y])
        symbol = table.rows_shown[y - region.y - 1].symbol
        assert symbol in text
        last = table.rows_shown[y - region.y - 1].last
        cells = cell_len(text[: text.index(" " + last + " ") + 1])
        out.append((y, cells))
    return out


def _ink_columns(image, box: tuple[int, int, int, int]) -> list[int]:
    """Pixel columns inside ``box`` that differ from the box's top-left (background) pixel."""
    left, top, right, bottom = box
    background = image.getpixel((left, top))
    return [x for x in range(left, right)
            if any(image.getpixel((x, y)) != background for y in range(top, bottom))]


async def test_png_cells_line_up_with_the_grid() -> None:
    pil = pytest.importorskip("PIL.Image", reason="pip install 'neodymium[png]' (Pillow)")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        rows = _table_rows(app)
        png = export.render(app, "png")
    assert isinstance(png, bytes)
    image = pil.open(io.BytesIO(png)).convert("RGB")
    assert image.width == 2 * MARGIN + 120 * CELL_W
    top = MARGIN + BANNER_H
    # The Last values are right-aligned to the same column: each first digit is in one cell.
    firsts = set()
    for y, x in rows:
        box = (MARGIN + x * CELL_W, top + y * CELL_H, MARGIN + (x + 1) * CELL_W,
               top + (y + 1) * CELL_H)
        ink = _ink_columns(image, box)
        assert ink, f"no glyph drawn in the first Last cell of row {y}"
        firsts.add(x)
        # The cell before it is a gap: nothing (a sparkline, a wide glyph) spills into it.
        gap = (box[0] - CELL_W, box[1], box[0], box[3])
        assert not _ink_columns(image, gap), f"something drawn into the gap of row {y}"
    assert len(firsts) == 1


async def test_html_lines_are_all_the_screen_width() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        grid = screen_grid(app)
        html = export.render(app, "html")
    assert isinstance(html, str)
    for row in grid:
        assert sum(cells for _, cells, _, _ in runs(row)) == 100
    lines = re.findall(r'<div class="l">(.*?)</div>', html)
    assert len(lines) == 30
    for line in lines:
        assert sum(int(w) for w in re.findall(r"width:(\d+)ch", line)) == 100
    assert grid_html(grid, "x").count('<div class="l">') == 30


def test_html_gives_each_cjk_character_its_own_two_cells() -> None:
    grid = segments_to_grid([[Segment("北方稀土  CNY", Style(bold=True))]], 14)
    html = grid_html(grid, "x")
    line = re.findall(r'<div class="l">(.*?)</div>', html)[0]
    pieces = [(int(w), unescape(t)) for w, t in re.findall(r"width:(\d+)ch;[^>]*>(.*?)</span>",
                                                          line)]
    assert pieces == [(2, "北"), (2, "方"), (2, "稀"), (2, "土"), (5, "  CNY"), (1, " ")]
    assert line.count("font-weight:bold") == 5


async def test_txt_has_no_footer_or_scrollbar() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        text = export.render(app, "txt")
        news = app.query_one("NewsPane")
        assert news.show_vertical_scrollbar
        bar = news.vertical_scrollbar.region
    assert isinstance(text, str)
    assert "palette" not in text and "Quit" not in text
    lines = text.splitlines()[2:]
    for y in range(bar.y, bar.bottom):
        line = lines[y] if y < len(lines) else ""
        assert line[bar.x: bar.right].strip() == "", line


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("headless Chromium not installed: apt install chromium (.ci/system-packages)")
    return path


def _screenshot(browser: str, page: Path, window: str) -> Path:
    """Headless Chromium's drawing of ``page`` (a PNG beside it); skipped if it draws none."""
    shot = page.with_suffix(".png")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--window-size={window}", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120, check=False)
    if not shot.exists():
        pytest.skip("chromium could not take a screenshot here")
    return shot


async def _export_at_80x24(fmt: str) -> str:
    """The demo app's screen at 80x24 once its data has arrived, exported as ``fmt``."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        return str(export.render(app, fmt))  # type: ignore[arg-type]


async def test_chromium_draws_the_html_with_a_straight_right_edge(tmp_path: Path) -> None:
    pil = pytest.importorskip("PIL.Image", reason="pip install 'neodymium[png]' (Pillow)")
    browser = _chromium()
    page = tmp_path / "screen.html"
    page.write_text(await _export_at_80x24("html"), encoding="utf-8")
    image = pil.open(_screenshot(browser, page, "1000,700")).convert("RGB")
    page_bg = image.getpixel((image.width - 1, image.height - 1))
    # Rightmost painted column of each text line's band: all lines end at the same pixel.
    ends = set()
    for y in range(60, 60 + 20 * 18, 7):
        painted = [x for x in range(image.width) if image.getpixel((x, y)) != page_bg]
        if painted:
            ends.add(max(painted))
    # Within a pixel (the browser rounds fractional ``ch`` widths); a CJK run the font draws
    # narrower or wider than its cells would move the edge by several pixels.
    assert ends and max(ends) - min(ends) <= 1, sorted(ends)


async def test_chromium_keeps_text_after_cjk_on_its_cells(tmp_path: Path) -> None:
    """A run with CJK and then narrow text (a highlighted row is one run) ends where a run of
    the same cells without CJK ends: the browser's CJK glyph widths do not move what follows."""
    pil = pytest.importorskip("PIL.Image", reason="pip install 'neodymium[png]' (Pillow)")
    browser = _chromium()
    red = Style(color="#ff0000", bgcolor="#000000")
    green = Style(color="#00ff00", bgcolor="#000000")
    grid = segments_to_grid([[Segment("北方稀土  CNY 48.16", red)],
                             [Segment("          CNY 48.16", green)]], 20)
    page = tmp_path / "cjk.html"
    page.write_text(grid_html(grid, "", background="#000000"), encoding="utf-8")
    image = pil.open(_screenshot(browser, page, "400,120")).convert("RGB")
    reds, greens = [], []
    for y in range(image.height):
        for x in range(image.width):
            r, g, b = image.getpixel((x, y))
            if r > 150 and g < 80 and b < 80:
                reds.append(x)
            elif g > 150 and r < 80 and b < 80:
                greens.append(x)
    assert reds and greens
    assert abs(max(reds) - max(greens)) <= 1, (max(reds), max(greens))


def test_chromium_draws_a_box_side_without_seams(tmp_path: Path) -> None:
    """A box's vertical line is one unbroken line in the browser, as in the terminal (rows a
    fractional pixel high left a dark hairline between some of them)."""
    pil = pytest.importorskip("PIL.Image", reason="pip install 'neodymium[png]' (Pillow)")
    browser = _chromium()
    blue = Style(color="#0000ff", bgcolor="#000000")
    box = ["╭────╮", *["│    │"] * 12, "╰────╯"]
    grid = segments_to_grid([[Segment(line, blue)] for line in box], 6)
    page = tmp_path / "box.html"
    page.write_text(grid_html(grid, "", background="#000000"), encoding="utf-8")
    image = pil.open(_screenshot(browser, page, "300,400")).convert("RGB")

    def lit(x: int, y: int) -> bool:
        return image.getpixel((x, y))[2] > 60

    side = max(range(image.width // 2), key=lambda x: sum(lit(x, y) for y in range(image.height)))
    rows = [y for y in range(image.height) if lit(side, y)]
    assert len(rows) > 12 * 15, "the box's left side is not where it was looked for"
    seams = [y for y in range(rows[0], rows[-1]) if not lit(side, y)]
    assert seams == [], f"dark pixels inside the left side at y={seams}"


async def test_the_svg_title_stays_clear_of_the_window_buttons_at_80x24() -> None:
    from neodymium.tui.export_grid import TITLE_MARGIN_PX

    svg = await _export_at_80x24("svg")
    width = float(re.search(r'viewBox="0 0 ([0-9.]+) ', svg).group(1))  # type: ignore[union-attr]
    title = re.search(r'<text class="[^"]*-title"([^>]*)>(.*?)</text>', svg, re.S)
    assert title is not None and "DEMO" in unescape(title.group(2))
    length = re.search(r'textLength="([0-9.]+)"', title.group(1))
    assert length is not None, "an 80-column title is wider than the room between the buttons"
    assert float(length.group(1)) == width - 2 * TITLE_MARGIN_PX
    assert 'lengthAdjust="spacingAndGlyphs"' in title.group(1)


def test_a_short_svg_title_is_left_as_rich_draws_it() -> None:
    from neodymium.tui.export_grid import fit_svg_title

    svg = ('<svg viewBox="0 0 1500 800" xmlns="http://www.w3.org/2000/svg">'
           '<text class="t-title" fill="#c5c8c6" text-anchor="middle" x="750" y="27">'
           'neodymium</text></svg>')
    assert fit_svg_title(svg) == svg


def _short_gaps(column: list[bool]) -> list[int]:
    """Where a lit column has a break of 1-3 pixels (a seam, not the space between boxes)."""
    lit = [y for y, on in enumerate(column) if on]
    return [a for a, b in pairwise(lit) if 1 < b - a <= 4]


async def test_chromium_draws_the_svg_box_sides_without_seams(tmp_path: Path) -> None:
    """Rich's SVG rows are 24.4 px apart for Fira Code; a fallback font's box-drawing line is
    shorter, and every box side had a seam at each row until those glyphs were stretched."""
    pil = pytest.importorskip("PIL.Image", reason="pip install 'neodymium[png]' (Pillow)")
    browser = _chromium()
    page = tmp_path / "screen.svg"
    page.write_text(await _export_at_80x24("svg"), encoding="utf-8")
    image = pil.open(_screenshot(browser, page, "1100,700")).convert("RGB")
    pixels = image.load()

    def border(x: int, y: int) -> bool:
        r, g, b = pixels[x, y]
        return b > 60 and b > r + 20 and g < 140  # the panels' blue box lines

    sides = []
    for x in range(image.width // 2):
        column = [border(x, y) for y in range(image.height)]
        if sum(column) > 100:
            sides.append((x, _short_gaps(column)))
    assert sides, "no box side found"
    assert all(gaps == [] for _, gaps in sides), sides
