"""``neodymium snapshot``: run the app headless, wait for data, write the screen, exit."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from neodymium.config.settings import Settings
from neodymium.providers.cache import Cache
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.models import DataKind
from neodymium.tui import export
from neodymium.tui.app import ALL_KINDS, AppOptions, NeodymiumApp
from textual.pilot import Pilot


def missing_kinds(app: NeodymiumApp) -> list[str]:
    """Data kinds that have not arrived yet."""
    loaded = app.snapshot.loaded if app.snapshot else frozenset()
    return sorted(kind.value for kind in ALL_KINDS - loaded)


async def run_snapshot(
    settings: Settings, *, fmt: export.Format, output: Path, size: tuple[int, int],
    timeout: float, seed: int | None = None, demo: bool = False, cache: Cache | None = None,
    clock: Clock = system_clock, private: bool = False, pane: str | None = None,
    view: str = "main",
) -> int:
    """Write one stamped screenshot; exit status 0, or 1 if writing failed.

    ``pane="positions"`` writes the positions pane over the watch screen; ``private`` masks
    position figures, and the file says it is masked. ``view="intraday"`` writes the 分时
    screen (what c opens) instead of the main screen.
    """
    app = NeodymiumApp(settings, options=AppOptions(demo=demo, seed=seed, private=private),
                       clock=clock, cache=cache)
    outcome: dict[str, object] = {}

    async def capture(pilot: Pilot[object]) -> None:
        try:
            await asyncio.wait_for(app.data_ready.wait(), timeout)
        except TimeoutError:
            missing = ", ".join(missing_kinds(app))
            outcome["warning"] = (f"neodymium: timed out after {timeout:g}s waiting for "
                                  f"{missing}; writing the screen with stale markers")
        app.redraw()
        if pane == "positions":
            app.action_positions()
        await pilot.pause()
        if view == "intraday":
            await open_intraday(app, pilot)
        try:
            if str(output) == "-":
                outcome["content"] = export.render(app, fmt)
                outcome["path"] = "standard output"
            else:
                outcome["path"] = export.write(app, fmt, output)
        except (export.ExportError, OSError) as exc:
            outcome["error"] = exc
        app.exit()

    await app.run_async(headless=True, size=size, auto_pilot=capture)
    # Textual captures print() while the app runs, so everything is reported after it exits.
    if "warning" in outcome:
        print(outcome["warning"], file=sys.stderr)
    content = outcome.get("content")
    if isinstance(content, bytes):
        sys.stdout.buffer.write(content)
    elif isinstance(content, str):
        sys.stdout.write(content)
    if "error" in outcome:
        print(f"neodymium: {outcome['error']}", file=sys.stderr)
        return 1
    print(f"wrote {outcome.get('path', output)}", file=sys.stderr)
    return 0


async def open_intraday(app: NeodymiumApp, pilot: Pilot[object]) -> None:
    """Open the minute line as c does and wait for its first fetch."""
    app.action_charts()
    await pilot.pause()
    await app.screen.workers.wait_for_complete()
    await pilot.pause()


__all__ = ["DataKind", "run_snapshot"]
