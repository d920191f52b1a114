"""The header: instrument, venue, session state, exchange clock, sources, freshness, DEMO badge.

What changes every second (the clock, the session countdown, the age of the quote) sits in its
own small widget: Textual repaints a changed widget from its first cell, so a clock inside one
long line would resend the whole line each second.
"""

from __future__ import annotations

from dataclasses import replace

from neodymium.tui.freshness import Freshness
from neodymium.tui.view import HeaderView
from neodymium.tui.widgets.cells import CellText
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import reactive

#: The parts of each line, in order; the last of each line takes the rest of the width.
LINES = (("status-title", "status-clock", "status-second", "status-session",
          "status-countdown"),
         ("status-offline", "status-source", "status-fresh", "status-note"))


def parts_of(view: HeaderView | None, width: int = 120) -> dict[str, Text]:
    """The header's parts at ``width`` cells (external text is appended as plain text, never
    markup). Narrow, the venue gives way first, so the clock and session stay in sight.

    Styles go on spans, not on a Text itself: a Text's own style loses the theme's ANSI colours
    when Textual converts it.
    """
    if view is None:
        waiting = Text()
        waiting.append("neodymium · waiting for data…", style="dim")
        return {"status-title": waiting}
    title = Text()
    if view.demo:
        title.append(" DEMO ", style="bold reverse yellow")
        title.append(" ")
    title.append(view.title, style="bold")
    title.append(f"  {view.code}", style="bold cyan")
    venue = Text(f" · {view.venue}")
    venue.stylize("dim")
    separator = Text()
    separator.append("  │  ", style="dim")
    moving = moving_parts(view)
    clock, second, countdown = (moving[part] for part in
                                ("status-clock", "status-second", "status-countdown"))
    session = Text("  │  ")
    session.append(session_words(view))
    if sum(t.cell_len for t in (title, venue, separator, clock, second, session,
                                countdown)) <= width:
        title.append_text(venue)
    title.append_text(separator)
    offline = Text()
    if view.offline:
        offline.append(f" ⚠ {view.offline} ", style="bold reverse red")
        offline.append("  ")
    source = Text()
    source.append("source ", style="dim")
    source.append(view.sources)
    source.append(" · ", style="dim")
    note = Text()
    if view.relay:  # before the long notes: at 80 columns the line is cut at the end
        note.append(" · ", style="dim")
        note.append(view.relay, style="bold red" if view.relay_down else "cyan")
    if view.demo:
        note.append(" · simulated data, not market prices", style="yellow")
    if view.problems and not view.offline:
        note.append("  " + view.problems, style="bold yellow")
    return {"status-title": title, "status-session": session, "status-offline": offline,
            "status-source": source, "status-note": note, **moving}


def session_words(view: HeaderView) -> str:
    """The session's words, without the countdown after the last " in " (shown apart)."""
    words, mark, _ = view.session.rpartition(" in ")
    return words + mark if mark else view.session


def moving_parts(view: HeaderView) -> dict[str, Text]:
    """The parts a second moves: the clock, the countdown and the quote's freshness, each
    apart from what stays (a new second sends its own cells only)."""
    minutes, colon, seconds = view.clock.rpartition(":")
    clock, second = Text(), Text()
    clock.append(minutes + colon, style="bold")
    second.append(seconds, style="bold")
    _, mark, left = view.session.rpartition(" in ")
    countdown = Text()
    countdown.append(left if mark else "")
    fresh = view.freshness
    freshness = Text()
    freshness.append(fresh.on_screen, style="bold red" if fresh.stale else
                     ("yellow" if fresh.delayed else "green"))
    return {"status-clock": clock, "status-second": second, "status-countdown": countdown,
            "status-fresh": freshness}


def still_key(view: HeaderView, width: int) -> tuple[object, ...]:
    """What every part but the moving ones is made from: while it stays the same, those parts
    (and whether the venue fits) stay the same and only the moving parts are made again."""
    _, mark, left = view.session.rpartition(" in ")
    return (replace(view, clock="", session=session_words(view), freshness=STILL),
            Text(view.clock).cell_len, Text(left if mark else "").cell_len, width)


#: The freshness in a ``still_key`` (it is one of the moving parts).
STILL = Freshness(None, stale=False, delayed=False, label="")


class StatusBar(Vertical):
    """Two lines at the top of the screen, rendered from a HeaderView, part by part."""

    view: reactive[HeaderView | None] = reactive(None, repaint=False)
    #: The parts by id, looked up once they are mounted (a DOM query a tick cost more than
    #: the parts' own work).
    _parts: dict[str, CellText] | None = None
    #: The ``still_key`` of the view shown last (None: every part is shown again).
    _still: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        for line in LINES:
            with Horizontal(classes="status-line"):
                for part in line:
                    yield CellText(id=part)

    def on_mount(self) -> None:
        """Show a view that arrived before the parts existed."""
        self._show(self.view)

    def on_resize(self, event: Resize) -> None:
        """A new width may drop or bring back the venue."""
        self._show(self.view)

    def watch_view(self, new: HeaderView | None) -> None:
        """Hand each part its text (a part that did not change sends nothing)."""
        self._show(new)

    def _show(self, view: HeaderView | None) -> None:
        shown = self._parts
        if shown is None or not all(part.is_attached for part in shown.values()):
            shown = {widget.id or "": widget for widget in self.query(CellText)}
            if not shown:  # not composed yet: on_mount shows the view
                return
            self._parts = shown
            self._still = None
        width = self.content_size.width or 120
        still = still_key(view, width) if view is not None else None
        if view is not None and still == self._still:  # a new second: only what it moves
            for part, text in moving_parts(view).items():
                shown[part].show(text)
            return
        self._still = still
        parts = parts_of(view, width)
        # Whichever ends the first line takes the rest of it (and its ellipsis when narrow).
        counting = bool(parts.get("status-countdown", Text()).cell_len)
        for part, fills in (("status-session", not counting), ("status-countdown", counting)):
            rule = "1fr" if fills else "auto"
            if str(shown[part].styles.width) != rule:
                shown[part].styles.width = rule
        for line in LINES:
            for part in line:
                shown[part].show(parts.get(part, Text()))

    def plain(self) -> str:
        """The two lines as shown (for tests and plain-text exports)."""
        parts = parts_of(self.view, self.content_size.width or 120)
        return "\n".join("".join(parts[part].plain for part in line if part in parts)
                         for line in LINES)
