"""Screenshots as SVG, HTML, plain text and PNG, from the same rendering as the live screen.

Every export is stamped with the time, the data sources and ``DEMO`` when the data is simulated.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from neodymium.providers.symbols import parse_symbol
from neodymium.providers.text import clean_text
from neodymium.tui.export_formats import FORMATS as FORMATS  # re-exported
from neodymium.tui.export_formats import Format
from neodymium.tui.export_grid import (
    chrome_regions,
    fit_svg_title,
    fix_svg_widths,
    grid_html,
    grid_text,
    screen_grid,
    stretch_svg_box_glyphs,
)
from neodymium.tui.export_png import PngError, render_png
from neodymium.tui.formatting import zone_label
from neodymium.tui.view import display_zone

if TYPE_CHECKING:
    from neodymium.tui.app import NeodymiumApp


#: What every export made in private mode says about itself.
PRIVATE_STAMP = "PRIVATE: position sizes, values and P&L masked"


class ExportError(RuntimeError):
    """An export that cannot be written (e.g. PNG without Pillow or fonts)."""


def stamp(app: NeodymiumApp) -> str:
    """``neodymium · 2026-01-23 10:30:00 UTC+8 (Asia/Shanghai) · sources: demo · DEMO …``."""
    primary = parse_symbol(app.settings.watch.primary)
    local = app.clock().astimezone(display_zone(app.settings, primary.market))
    when = f"{local.strftime('%Y-%m-%d %H:%M:%S')} {zone_label(local)} ({local.tzinfo})"
    sources = sorted({
        origin.source
        for state in (app.snapshot.quotes.values() if app.snapshot else ())
        for origin in state.origins.values()
    })
    parts = ["neodymium", when, "sources: " + (", ".join(sources) or "none yet")]
    if app.snapshot is not None:
        delayed = sorted(h.name for h in app.snapshot.health.values() if h.delayed)
        if delayed:
            parts.append("delayed: " + ", ".join(delayed))
    if app.simulated:
        parts.append("DEMO (simulated data, not market prices)")
    if getattr(app, "private", False):
        parts.append(PRIVATE_STAMP)
    return clean_text(" · ".join(parts))


def render(app: NeodymiumApp, fmt: Format) -> str | bytes:
    """The current screen in a format, stamped; every format keeps the terminal's cell grid."""
    label = stamp(app)
    if fmt == "svg":
        svg = fix_svg_widths(app.export_screenshot(title=label))
        return fit_svg_title(stretch_svg_box_glyphs(svg))
    grid = screen_grid(app)
    if fmt == "png":
        try:
            return render_png(grid, label)
        except PngError as exc:
            raise ExportError(str(exc)) from exc
    if fmt == "txt":
        blank, footer = chrome_regions(app)
        screen = grid_text(grid, blank, footer)
        return f"{label}\n{'-' * min(len(label), app.size.width)}\n" + screen
    if fmt == "html":
        return grid_html(grid, label)
    raise ExportError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def write(app: NeodymiumApp, fmt: Format, path: Path) -> Path:
    """Write the current screen to ``path`` in ``fmt``."""
    content = render(app, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def save_svg(app: NeodymiumApp, folder: Path, now: datetime | None = None) -> Path:
    """Save an SVG screenshot with a timestamped name in ``folder``."""
    when = (now or app.clock()).strftime("%Y%m%d-%H%M%S")
    return write(app, "svg", folder / f"neodymium-{when}.svg")
