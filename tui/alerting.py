"""Alerts inside the TUI: evaluate on each snapshot and clock tick, deliver every event.

Delivery, each switched by ``[notify]``: an in-app notification (never markup: names come from
outside), the terminal bell (``App.bell``), OSC 9/777 desktop notifications written through
the app's driver so they are ordered with the frames it writes, and the command hook and
apprise, run in a worker off the event loop.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from neodymium.providers import notify
from neodymium.providers.alerts import AlertEngine, AlertEvent
from neodymium.providers.store import Snapshot

if TYPE_CHECKING:
    from neodymium.tui.app import NeodymiumApp

#: Fired events kept for the alerts pane.
RECENT_KEPT = 50

TerminalWrite = Callable[[str], None]


def terminal_writer(app: NeodymiumApp) -> TerminalWrite:
    """Write escape sequences to the app's terminal, in order with its frames.

    Textual 8 has no public accessor for the driver; ``App.bell`` and ``App.copy_to_clipboard``
    (OSC 52) write through it the same way, which keeps a sequence from landing inside a frame.
    Headless apps (tests, ``snapshot``) have no terminal, so nothing is written.
    """

    def write(data: str) -> None:
        driver = getattr(app, "_driver", None)
        if driver is not None and not app.is_headless:
            driver.write(data)

    return write


class AlertDelivery:
    """The app's alert engine and its delivery channels."""

    def __init__(self, app: NeodymiumApp, engine: AlertEngine,
                 write: TerminalWrite | None = None) -> None:
        self.app = app
        self.engine = engine
        self.write = write or terminal_writer(app)
        self.recent: deque[AlertEvent] = deque(maxlen=RECENT_KEPT)

    def check(self, snapshot: Snapshot | None, now: datetime) -> list[AlertEvent]:
        """Evaluate every rule now and deliver what fires."""
        if snapshot is None or not self.engine.rules:
            return []
        events = self.engine.evaluate(snapshot, now)
        for event in events:
            self.deliver(event)
        return events

    def deliver(self, event: AlertEvent) -> None:
        """Every configured channel, in order of immediacy."""
        self.recent.appendleft(event)
        settings = self.app.settings.notify
        if settings.in_app:
            self.app.notify(event.body, title=f"Alert · {event.title}", severity="warning",
                            timeout=15, markup=False)
        if settings.bell:
            self.app.bell()
        if settings.osc:
            self.write(notify.osc_notification(event.title, event.body, tmux=notify.in_tmux()))
        if settings.command or settings.apprise:
            self.app.run_worker(self._dispatch(event), group="alert-hooks")

    async def _dispatch(self, event: AlertEvent) -> None:
        for problem in await notify.dispatch(event, self.app.settings.notify):
            self.app.notify(problem, title="Alert hook", severity="error", markup=False)
