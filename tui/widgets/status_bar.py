"""The header: instrument, venue, session state, exchange clock, sources, freshness, DEMO badge.

What changes every second (the clock, the session countdown, the age of the quote) sits in its
own small widget: Textual repaints a changed widget from its first cell, so a clock inside one
long line would resend the whole line each second.
"""

from __future__ import annotations

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
    # Hours and minutes apart from the seconds: a new second sends the seconds' cells only.
    minutes, colon, seconds = view.clock.rpartition(":")
    clock, second = Text(), Text()
    clock.append(minutes + colon, style="bold")
    second.append(seconds, style="bold")
    # The countdown (after the last " in ") apart from the words before it, for the same reason.
    words, mark, left = view.session.rpartition(" in ")
    session, countdown = Text("  │  "), Text()
    session.append(words + mark if mark else view.session)
    countdown.append(left if mark else "")
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
    fresh = view.freshness
    freshness = Text()
    freshness.append(fresh.on_screen, style="bold red" if fresh.stale else
                     ("yellow" if fresh.delayed else "green"))
    note = Text()
    if view.relay:  # before the long notes: at 80 columns the line is cut at the end
        note.append(" · ", style="dim")
        note.append(view.relay, style="bold red" if view.relay_down else "cyan")
    if view.demo:
        note.append(" · simulated data, not market prices", style="yellow")
    if view.problems and not view.offline:
        note.append("  " + view.problems, style="bold yellow")
    return {"status-title": title, "status-clock": clock, "status-second": second,
            "status-session": session, "status-countdown": countdown,
            "status-offline": offline, "status-source": source, "status-fresh": freshness,
            "status-note": note}


class StatusBar(Vertical):
    """Two lines at the top of the screen, rendered from a HeaderView, part by part."""

    view: reactive[HeaderView | None] = reactive(None, repaint=False)
    #: The parts by id, looked up once they are mounted (a DOM query a tick cost more than
    #: the parts' own work).
    _parts: dict[str, CellText] | None = None

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
        parts = parts_of(view, self.content_size.width or 120)
        # Whichever ends the first line takes the rest of it (and its ellipsis when narrow).
        counting = bool(parts.get("status-countdown", Text()).cell_len)
        for part, fills in (("status-session", not counting), ("status-countdown", counting)):
            width = "1fr" if fills else "auto"
            if str(shown[part].styles.width) != width:
                shown[part].styles.width = width
        for line in LINES:
            for part in line:
                shown[part].show(parts.get(part, Text()))

    def plain(self) -> str:
        """The two lines as shown (for tests and plain-text exports)."""
        parts = parts_of(self.view, self.content_size.width or 120)
        return "\n".join("".join(parts[part].plain for part in line if part in parts)
                         for line in LINES)
