"""``neodymium snapshot``: run the app headless, wait for data, write the screen, exit.

Exit status: 0 the screen is complete, 3 written but some data kinds are missing (every
provider of the kind failed, or the timeout passed), 1 nothing could be written.
"""

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
from neodymium.tui.status_words import failing
from textual.pilot import Pilot

EXIT_COMPLETE, EXIT_ERROR, EXIT_MISSING = 0, 1, 3


def missing_kinds(app: NeodymiumApp) -> list[str]:
    """Data kinds that have not arrived yet."""
    loaded = app.snapshot.loaded if app.snapshot else frozenset()
    return sorted(kind.value for kind in ALL_KINDS - loaded)


def failed_kinds(app: NeodymiumApp) -> list[str]:
    """Missing data kinds whose every configured provider has failed: no point waiting."""
    snapshot = app.snapshot
    if snapshot is None:
        return []
    return sorted(kind.value for kind in ALL_KINDS - snapshot.loaded
                  if failing(snapshot, app.settings, kind))


async def wait_for_data(app: NeodymiumApp, timeout: float) -> str | None:
    """Wait until every kind arrived, every provider of a missing kind failed, or the timeout;
    None when complete, else a warning naming what is missing and why."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not app.data_ready.is_set():
        given_up = failed_kinds(app)
        if given_up and set(given_up) == set(missing_kinds(app)):
            return (f"neodymium: every provider failed for {', '.join(given_up)}; "
                    "writing the screen with stale markers")
        app.snapshot_seen.clear()
        try:
            await asyncio.wait_for(app.snapshot_seen.wait(), max(0.0, deadline - loop.time()))
        except TimeoutError:
            missing = ", ".join(missing_kinds(app))
            return (f"neodymium: timed out after {timeout:g}s waiting for {missing}; "
                    "writing the screen with stale markers")
    return None


async def run_snapshot(
    settings: Settings, *, fmt: export.Format, output: Path, size: tuple[int, int],
    timeout: float, seed: int | None = None, demo: bool = False, cache: Cache | None = None,
    clock: Clock = system_clock, private: bool = False, pane: str | None = None,
    view: str = "main",
) -> int:
    """Write one stamped screenshot; exit status 0 complete, 3 missing kinds, 1 error.

    ``pane="positions"`` writes the positions pane over the watch screen; ``private`` masks
    position figures, and the file says it is masked. ``view="intraday"`` writes the 分时
    screen (what c opens) instead of the main screen.
    """
    app = NeodymiumApp(settings, options=AppOptions(demo=demo, seed=seed, private=private),
                       clock=clock, cache=cache)
    outcome: dict[str, object] = {}

    async def capture(pilot: Pilot[object]) -> None:
        warning = await wait_for_data(app, timeout)
        if warning is not None:
            outcome["warning"] = warning
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
        return EXIT_ERROR
    print(f"wrote {outcome.get('path', output)}", file=sys.stderr)
    return EXIT_MISSING if "warning" in outcome else EXIT_COMPLETE


async def open_intraday(app: NeodymiumApp, pilot: Pilot[object]) -> None:
    """Open the minute line as c does and wait for its first fetch."""
    app.action_charts()
    await pilot.pause()
    await app.screen.workers.wait_for_complete()
    await pilot.pause()


__all__ = ["DataKind", "run_snapshot"]
