"""Headlines as the news pane and the detail screen show them, in the display zone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo

from neodymium.providers.models import NewsItem
from neodymium.providers.text import clean_text
from neodymium.tui import formatting as fmt


@dataclass(frozen=True, slots=True)
class NewsLine:
    """One headline."""

    id: str
    time: str
    source: str
    title: str
    url: str | None
    kind: str
    summary: str
    published: str
    flag: str = ""  # "?" when the time is the fetch time standing in for a future date


#: The time column of an undated headline (never the fetch time dressed as a date).
UNDATED = "—"


def build_news(items: Sequence[NewsItem], zone: tzinfo) -> tuple[NewsLine, ...]:
    """Headlines, newest first, with times in ``zone`` (the display zone)."""
    lines = []
    for item in items:
        local = item.published.astimezone(zone)
        published = fmt.stamp_time(local, "%Y-%m-%d %H:%M")
        if not item.dated:
            published = f"undated (first seen {published})"
        elif item.clamped:
            published = f"{published} (the source dated it in the future; shown at fetch time)"
        lines.append(NewsLine(
            id=item.id, time=local.strftime("%m-%d %H:%M") if item.dated else UNDATED,
            source=clean_text(item.source), title=clean_text(item.title), url=item.url,
            kind=item.kind.value, summary=clean_text(item.summary or "", keep_newlines=True),
            published=published, flag="?" if item.clamped else "",
        ))
    return tuple(lines)


class NewsMemo:
    """Headlines change only with a snapshot, not with the 1 s clock redraw: build them once."""

    def __init__(self) -> None:
        self._items: Sequence[NewsItem] | None = None
        self._zone: tzinfo | None = None
        self._lines: tuple[NewsLine, ...] = ()

    def get(self, items: Sequence[NewsItem], zone: tzinfo) -> tuple[NewsLine, ...]:
        """The lines for these items, rebuilt only when the items (or the zone) change."""
        if items is not self._items or zone != self._zone:
            self._lines = build_news(items, zone)
            self._items, self._zone = items, zone
        return self._lines


