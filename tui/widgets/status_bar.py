"""The header: instrument, venue, session state, exchange clock, sources, freshness, DEMO badge."""

from __future__ import annotations

from neodymium.tui.view import HeaderView
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusBar(Widget):
    """Two lines at the top of the screen, rendered from a HeaderView."""

    view: reactive[HeaderView | None] = reactive(None)

    def render(self) -> Text:
        """Render the header view (external text is appended as plain text, never markup)."""
        view = self.view
        if view is None:
            return Text("neodymium · waiting for data…", style="dim")
        width = self.content_size.width or 120
        first = self._first_line(view, venue=True)
        if first.cell_len > width:
            # Narrow: the venue gives way first, so the clock and session stay in sight.
            first = self._first_line(view, venue=False)
        second = Text()
        if view.offline:
            second.append(f" ⚠ {view.offline} ", style="bold reverse red")
            second.append("  ")
        second.append("source ", style="dim")
        second.append(view.sources)
        second.append(" · ", style="dim")
        fresh = view.freshness
        second.append(fresh.label, style="bold red" if fresh.stale else
                      ("yellow" if fresh.delayed else "green"))
        if view.relay:  # before the long notes: at 80 columns the line is cut at the end
            second.append(" · ", style="dim")
            second.append(view.relay, style="bold red" if view.relay_down else "cyan")
        if view.demo:
            second.append(" · simulated data, not market prices", style="yellow")
        if view.problems and not view.offline:
            second.append("  " + view.problems, style="bold yellow")
        first.append("\n")
        first.append_text(second)
        first.no_wrap = True
        first.overflow = "ellipsis"
        return first

    @staticmethod
    def _first_line(view: HeaderView, venue: bool) -> Text:
        """Instrument, code, (venue), clock and session."""
        first = Text()
        if view.demo:
            first.append(" DEMO ", style="bold reverse yellow")
            first.append(" ")
        first.append(view.title, style="bold")
        first.append(f"  {view.code}", style="bold cyan")
        if venue:
            first.append(f" · {view.venue}", style="dim")
        first.append("  │  ", style="dim")
        first.append(view.clock, style="bold")
        first.append("  │  ")
        first.append(view.session)
        return first
