"""The header: instrument, venue, session state, exchange clock, sources, freshness, DEMO badge.

The header is one widget of two lines, each laid out from its parts as a row of widgets would
be: the parts at their own width, the last to show taking the rest of the line (cut with an
ellipsis). What changes every second (the clock, the session countdown, the age of the quote)
is made again alone, and only the cells that changed are refreshed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from neodymium.tui.freshness import Freshness
from neodymium.tui.view import HeaderView
from neodymium.tui.widgets.cells import LineCache, joined
from rich.console import RenderableType
from rich.text import Text
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
    if view.title and view.title != view.code:
        title.append(view.title, style="bold")
        title.append(f"  {view.code}", style="bold cyan")
    else:  # the code alone until a quote gives the name
        title.append(view.code, style="bold cyan")
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


def header_lines(parts: dict[str, Text], width: int) -> tuple[Text, ...]:
    """The two lines at ``width`` cells: each part at its own width, the part that fills its
    line (the countdown while there is one, else the session's words; the notes on the second
    line) given what is left and cut with an ellipsis. A later part that no longer fits whole
    is left out rather than cut (``… retrying in 1 s   source`` said nothing); a first part
    wider than the line is cut at the edge."""
    counting = bool(parts.get("status-countdown", Text()).cell_len)
    fills = {"status-countdown" if counting else "status-session", "status-note"}
    lines = []
    for line in LINES:
        texts = [parts.get(part, Text()) for part in line]
        kept: list[tuple[str, Text]] = []
        fixed = 0
        for part, text in zip(line, texts, strict=True):
            if part not in fills:
                if kept and fixed + text.cell_len > width:
                    continue
                fixed += text.cell_len
            kept.append((part, text))
        shown = Text(no_wrap=True)
        for part, text in kept:
            if part in fills:
                text = text.copy()
                text.truncate(max(0, width - fixed), overflow="ellipsis", pad=True)
            shown.append_text(text)
        shown.truncate(width, pad=True)
        lines.append(shown)
    return tuple(lines)


class StatusBar(LineCache):
    """Two lines at the top of the screen, rendered from a HeaderView."""

    view: reactive[HeaderView | None] = reactive(None, repaint=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The parts shown, by name (see ``parts_of``).
        self._parts: dict[str, Text] = parts_of(None)
        #: The ``still_key`` of the view shown last (None: every part is made again).
        self._still: tuple[object, ...] | None = None

    def on_resize(self, event: Resize) -> None:
        """A new width may drop or bring back the venue."""
        self._show(self.view)

    def watch_view(self, new: HeaderView | None) -> None:
        """Make the parts the view changed; only the cells that changed are sent."""
        self._show(new)

    def _show(self, view: HeaderView | None) -> None:
        width = self.content_size.width or 120
        still = still_key(view, width) if view is not None else None
        if view is not None and still == self._still:  # a new second: only what it moves
            self._parts = {**self._parts, **moving_parts(view)}
        else:
            self._still = still
            self._parts = parts_of(view, width)
        self.repaint_changes()

    def text_lines(self) -> tuple[Text, ...]:
        """The two lines at the widget's width."""
        return header_lines(self._parts, self.size.width)

    def render(self) -> RenderableType:
        """The two lines."""
        return joined(self.text_lines())

    def plain(self) -> str:
        """The two lines as shown (for tests and plain-text exports)."""
        parts = self._parts
        return "\n".join("".join(parts[part].plain for part in line if part in parts)
                         for line in LINES)
