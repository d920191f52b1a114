"""Screenshots as SVG, HTML, plain text and PNG, from the same rendering as the live screen.

Every export is stamped with the time, the data sources and ``DEMO`` when the data is simulated.
"""

from __future__ import annotations

import io
from datetime import datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from neodymium.providers.symbols import parse_symbol
from neodymium.providers.text import clean_text
from neodymium.tui.view import display_zone
from rich.console import Console

if TYPE_CHECKING:
    from neodymium.tui.app import NeodymiumApp

Format = Literal["svg", "html", "txt", "png"]
FORMATS: tuple[Format, ...] = ("svg", "html", "txt", "png")


#: What every export made in private mode says about itself.
PRIVATE_STAMP = "PRIVATE: position sizes, values and P&L masked"


class ExportError(RuntimeError):
    """An export that cannot be written (e.g. PNG without cairosvg)."""


def stamp(app: NeodymiumApp) -> str:
    """``neodymium · 2026-01-23 10:30:00 CST · sources: demo · DEMO (simulated data)``."""
    primary = parse_symbol(app.settings.watch.primary)
    local = app.clock().astimezone(display_zone(app.settings, primary.market))
    when = local.strftime("%Y-%m-%d %H:%M:%S %Z")
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


def _recorded_console(app: NeodymiumApp) -> Console:
    """Render the current screen into a recording console, as App.export_screenshot does."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True,
        color_system="truecolor", record=True, legacy_windows=False, safe_box=False,
    )
    # The compositor is the only way to get the composed frame as segments; Textual's own
    # export_screenshot uses it the same way.
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    console.print(update)
    return console


def render(app: NeodymiumApp, fmt: Format) -> str | bytes:
    """The current screen in a format, stamped."""
    label = stamp(app)
    if fmt == "svg":
        return app.export_screenshot(title=label)
    if fmt == "png":
        return svg_to_png(app.export_screenshot(title=label))
    console = _recorded_console(app)
    if fmt == "txt":
        screen = console.export_text(styles=False)
        lines = [line.rstrip() for line in screen.splitlines()]
        return f"{label}\n{'-' * min(len(label), app.size.width)}\n" + "\n".join(lines) + "\n"
    if fmt == "html":
        html = console.export_html(inline_styles=True)
        banner = f"<p style=\"font-family:monospace\">{escape(label)}</p>"
        return html.replace("<body>", f"<body>\n{banner}", 1)
    raise ExportError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


#: Monospace families with CJK glyphs, tried in order for PNG export (cairo does not fall back
#: per glyph, so a Latin-only font would draw 北方稀土 as boxes).
CJK_MONO_FAMILIES = ("Noto Sans Mono CJK SC", "Sarasa Mono SC", "WenQuanYi Zen Hei Mono")


def cjk_mono_family() -> str | None:
    """The first installed CJK-capable monospace family, asked of fontconfig; None if none."""
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        return None
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                            check=False).stdout
    for family in CJK_MONO_FAMILIES:
        if family in listed:
            return family
    return None


def svg_to_png(svg: str) -> bytes:
    """Rasterise an SVG screenshot (needs the optional ``png`` extra: cairosvg).

    The terminal font is swapped for a CJK-capable monospace family when one is installed.
    """
    try:
        import cairosvg
    except (ImportError, OSError) as exc:
        raise ExportError(
            "PNG export needs cairosvg and the cairo library: pip install 'neodymium[png]'"
        ) from exc
    family = cjk_mono_family()
    if family is not None:
        svg = svg.replace("font-family: Fira Code, monospace;", f'font-family: "{family}";')
        svg = svg.replace('font-family: "Fira Code";', f'font-family: "{family}";')
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=None, scale=1.0)


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
