"""PNG screenshots drawn cell by cell with Pillow, so every glyph sits on the terminal grid.

Latin text comes from a monospace font, CJK (two-cell) characters from a CJK font, and box
drawing and block elements (borders, sparklines, the big price digits) are drawn as lines
and rectangles filling their cell, as a terminal does; no font's idea of their width counts.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from neodymium.tui.export_grid import Grid, colors

#: Pixel size of one cell and of the font drawn in it.
CELL_W, CELL_H, FONT_PX = 10, 20, 16
MARGIN = 8
BANNER_H = 24
MONO_FAMILIES = ("DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono")
CJK_FAMILIES = ("Noto Sans Mono CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei Mono")

#: Box drawing: (left, right, up, down) arm weights, 1 light, 2 heavy.
BOX: dict[str, tuple[int, int, int, int]] = {
    "─": (1, 1, 0, 0), "━": (2, 2, 0, 0), "│": (0, 0, 1, 1), "┃": (0, 0, 2, 2),
    "┌": (0, 1, 0, 1), "┐": (1, 0, 0, 1), "└": (0, 1, 1, 0), "┘": (1, 0, 1, 0),
    "╭": (0, 1, 0, 1), "╮": (1, 0, 0, 1), "╰": (0, 1, 1, 0), "╯": (1, 0, 1, 0),
    "┏": (0, 2, 0, 2), "┓": (2, 0, 0, 2), "┗": (0, 2, 2, 0), "┛": (2, 0, 2, 0),
    "├": (0, 1, 1, 1), "┤": (1, 0, 1, 1), "┬": (1, 1, 0, 1), "┴": (1, 1, 1, 0),
    "┼": (1, 1, 1, 1), "┣": (0, 2, 2, 2), "┫": (2, 0, 2, 2), "┳": (2, 2, 0, 2),
    "┻": (2, 2, 2, 0), "╋": (2, 2, 2, 2), "╸": (2, 0, 0, 0), "╺": (0, 2, 0, 0),
    "╹": (0, 0, 2, 0), "╻": (0, 0, 0, 2), "╴": (1, 0, 0, 0), "╶": (0, 1, 0, 0),
    "╵": (0, 0, 1, 0), "╷": (0, 0, 0, 1),
}
#: Block elements: (left, top, right, bottom) as fractions of the cell.
BLOCKS: dict[str, tuple[float, float, float, float]] = {
    **{chr(0x2581 + i): (0.0, 1 - (i + 1) / 8, 1.0, 1.0) for i in range(8)},  # ▁..█
    **{chr(0x258F - i): (0.0, 0.0, (i + 1) / 8, 1.0) for i in range(7)},  # ▏..▉
    "▀": (0.0, 0.0, 1.0, 0.5), "▐": (0.5, 0.0, 1.0, 1.0), "▔": (0.0, 0.0, 1.0, 0.125),
    "▕": (0.875, 0.0, 1.0, 1.0),
}


class PngError(RuntimeError):
    """PNG export is not possible here (Pillow or fonts missing)."""


@dataclass(frozen=True)
class Fonts:
    """Font files found through fontconfig."""

    mono: str
    cjk: str | None


def _match(family: str) -> tuple[str, int] | None:
    """The file (and face index) fontconfig has for exactly this family, if any."""
    if shutil.which("fc-match") is None:
        return None
    out = subprocess.run(["fc-match", "-f", "%{family}\t%{file}\t%{index}", family],
                         capture_output=True, text=True, check=False).stdout
    parts = out.split("\t")
    if len(parts) != 3 or family not in parts[0].split(","):
        return None
    return parts[1], int(parts[2] or 0)


@cache
def find_fonts() -> tuple[tuple[str, int], tuple[str, int] | None]:
    """A monospace font and a CJK font (None when no CJK font is installed)."""
    mono = next((m for m in map(_match, MONO_FAMILIES) if m), None)
    if mono is None:
        raise PngError("PNG export needs a monospace font: apt install fonts-dejavu-core")
    return mono, next((m for m in map(_match, CJK_FAMILIES) if m), None)


def render_png(grid: Grid, banner: str = "") -> bytes:
    """The grid as a PNG: cell (x, y) occupies pixels from MARGIN + x·CELL_W, top + y·CELL_H."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError as exc:
        raise PngError("PNG export needs Pillow: pip install 'neodymium[png]'") from exc
    (mono_path, mono_index), cjk_match = find_fonts()
    mono = ImageFont.truetype(mono_path, FONT_PX, index=mono_index)
    bold = mono
    bold_path = mono_path.replace("Mono.ttf", "Mono-Bold.ttf")
    if bold_path != mono_path and os.path.exists(bold_path):
        bold = ImageFont.truetype(bold_path, FONT_PX)
    cjk = ImageFont.truetype(cjk_match[0], FONT_PX, index=cjk_match[1]) if cjk_match else mono
    columns = len(grid[0]) if grid else 0
    top = MARGIN + (BANNER_H if banner else 0)
    image = Image.new("RGB", (2 * MARGIN + columns * CELL_W, top + len(grid) * CELL_H + MARGIN),
                      "#0c0c0c")
    draw = ImageDraw.Draw(image)
    if banner:
        draw.text((MARGIN, MARGIN), banner, fill="#cccccc", font=mono)
    ascent = mono.getmetrics()[0]
    baseline = (CELL_H - FONT_PX) // 2 + ascent - 2
    for y, row in enumerate(grid):
        x_px = MARGIN
        for cell in row:
            if cell.width == 0:
                continue
            fg, bg = colors(cell.style)
            box = (x_px, top + y * CELL_H, x_px + cell.width * CELL_W, top + (y + 1) * CELL_H)
            draw.rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=bg)
            _glyph(draw, cell.char, box, fg, bold if cell.style.bold else mono, cjk,
                   cell.width, baseline)
            if cell.style.underline:
                draw.line((box[0], box[3] - 2, box[2] - 1, box[3] - 2), fill=fg)
            x_px = box[2]
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _glyph(draw: object, char: str, box: tuple[int, int, int, int], fg: str, mono: object,
           cjk: object, width: int, baseline: int) -> None:
    """Draw one character inside its cell box."""
    from PIL import ImageDraw

    assert isinstance(draw, ImageDraw.ImageDraw)
    left, top, right, bottom = box
    if char in BOX:
        _box(draw, BOX[char], box, fg)
    elif char in BLOCKS:
        fl, ft, fr, fb = BLOCKS[char]
        w, h = right - left, bottom - top
        draw.rectangle((left + round(fl * w), top + round(ft * h), left + round(fr * w) - 1,
                        top + round(fb * h) - 1), fill=fg)
    elif char.strip():
        font = cjk if width == 2 else mono
        draw.text((left, top + baseline), char, fill=fg, font=font, anchor="ls")  # type: ignore[arg-type]


def _box(draw: object, arms: tuple[int, int, int, int], box: tuple[int, int, int, int],
         fg: str) -> None:
    """Lines from the cell's centre to the edges named by ``arms``."""
    from PIL import ImageDraw

    assert isinstance(draw, ImageDraw.ImageDraw)
    left, top, right, bottom = box
    cx, cy = (left + right) // 2, (top + bottom) // 2
    l_arm, r_arm, u_arm, d_arm = arms
    for weight, (x0, y0, x1, y1) in (
        (l_arm, (left, cy, cx, cy)), (r_arm, (cx, cy, right - 1, cy)),
        (u_arm, (cx, top, cx, cy)), (d_arm, (cx, cy, cx, bottom - 1)),
    ):
        if weight:
            half = weight - 1
            draw.rectangle((x0 - half, y0 - half, x1 + half, y1 + half), fill=fg)
