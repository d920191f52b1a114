"""Headlines as the news pane and the detail screen show them, in the display zone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from neodymium.config.settings import Settings
from neodymium.providers.models import NewsItem
from neodymium.providers.news_match import mentioned_symbols
from neodymium.providers.store import Snapshot
from neodymium.providers.symbols import Symbol, parse_symbol, parse_symbols
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


@dataclass(frozen=True, slots=True)
class NewsFilter:
    """Which headlines the pane shows: the primary's (``everything`` False) or all of them.

    ``watched`` are the other symbols on screen and ``names`` their short names, so an
    untagged headline that names one of them counts as that symbol's news, not the sector's.
    """

    primary: Symbol
    watched: tuple[Symbol, ...] = ()
    names: Mapping[str, str] | None = None
    everything: bool = False

    def key(self) -> tuple[str, bool]:
        """What decides the selection (names only sharpen it; they arrive with the quotes)."""
        return self.primary.key, self.everything


def news_filter(snapshot: Snapshot | None, settings: Settings,
                everything: bool = False) -> NewsFilter:
    """The pane's filter for the current primary, with the watched symbols' names."""
    watched, _ = parse_symbols(settings.all_symbols_raw())
    names = {key: state.quote.name for key, state in (snapshot.quotes if snapshot else {}).items()
             if state.quote.name}
    return NewsFilter(parse_symbol(settings.watch.primary), tuple(watched), names, everything)


def news_title(scope: NewsFilter) -> str:
    """The news box's title: whose news, and the key that widens or narrows it."""
    if scope.everything:
        return "News & announcements · all · n: only " + scope.primary.code
    return f"News & announcements · {scope.primary.code} + sector · n: all"


def news_for(items: Sequence[NewsItem], scope: NewsFilter) -> tuple[NewsItem, ...]:
    """The items the scope shows, in the order given: everything, or the primary's news
    (tagged with it, or naming its code or name) plus sector news that names no other
    watched symbol (the sources keep untagged items only for the configured theme words)."""
    if scope.everything:
        return tuple(items)
    names = scope.names or {}
    others = [symbol for symbol in scope.watched if symbol.key != scope.primary.key]

    def keep(item: NewsItem) -> bool:
        text = f"{item.title} {item.summary or ''}"
        if scope.primary.key in item.symbols or mentioned_symbols(text, [scope.primary], names):
            return True
        return not item.symbols and not mentioned_symbols(text, others, names)

    return tuple(item for item in items if keep(item))


class NewsMemo:
    """Headlines change only with a snapshot, not with the 1 s clock redraw: build them once."""

    def __init__(self) -> None:
        self._items: Sequence[NewsItem] | None = None
        self._zone: tzinfo | None = None
        self._scope: tuple[str, bool] | None = None
        self._lines: tuple[NewsLine, ...] = ()

    def get(self, items: Sequence[NewsItem], zone: tzinfo,
            scope: NewsFilter | None = None) -> tuple[NewsLine, ...]:
        """The lines for these items (only those ``scope`` selects), rebuilt only when the
        items, the zone or the scope change."""
        key = scope.key() if scope else None
        if items != self._items or zone != self._zone or key != self._scope:
            self._lines = build_news(news_for(items, scope) if scope else items, zone)
            self._items, self._zone, self._scope = items, zone, key
        return self._lines


