"""RSS and Atom headlines from the feeds the user configured (``[news].feeds``).

Every feed is an http(s) URL fetched through :meth:`Provider.get` (the shared httpx client, one
error mapping, a capped body and a deadline) and only the bytes are handed to feedparser, wrapped
in a stream so feedparser never opens a URL or a local file itself. Parsing is tolerant: a feed
with broken markup still yields the items it has, a bad item costs only itself, and a body that
is no feed at all is a BadPayload for that feed only.
"""

from __future__ import annotations

import asyncio
import calendar
import html
import io
import logging
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx
from neodymium.providers.base import Provider, ProviderOptions
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.errors import (
    BadPayload,
    PermanentError,
    ProviderError,
    error_for_exception,
)
from neodymium.providers.models import DataKind, NewsItem, NewsKind
from neodymium.providers.news_match import FUTURE_TOLERANCE, mentioned_symbols, stable_hash, web_url
from neodymium.providers.options import RssOptions as RssOptions  # re-exported
from neodymium.providers.symbols import Symbol
from neodymium.providers.text import clean_text

NAME = "rss"
MAX_SOURCE_CHARS = 32
MAX_SUMMARY_CHARS = 400
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Tags that break a line become a space; inline tags vanish (CJK text has no spaces to keep).
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|hr)\b[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]*>")
#: Items read from one feed: feeds list newest first, and the store keeps 300 in all.
MAX_ITEMS_PER_FEED = 300
_ITEM_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.I)
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")

log = logging.getLogger(__name__)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plain(value: Any, detail: Mapping[str, Any] | None) -> str:
    """Feed text as plain, printable text (markup removed when the feed declares HTML)."""
    text = "" if value is None else str(value)
    if detail is not None and detail.get("type") in _HTML_TYPES:
        text = html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", text)))
    return clean_text(text)


def _valid_xml_char(code: int) -> bool:
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def _replace_bad_reference(match: re.Match[bytes]) -> bytes:
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    return match.group(0) if _valid_xml_char(code) else b"&#xFFFD;"


def first_items(content: bytes, limit: int) -> bytes:
    """The document cut after its ``limit``-th item, closed again, and with character
    references no XML may hold (a lone surrogate ``&#xd800;`` crashes feedparser) replaced
    by U+FFFD, so one bad character costs one character and a 10,000-item archive is parsed
    no further than the items kept."""
    ends = _ITEM_END.finditer(content)
    for count, match in enumerate(ends, start=1):
        if count == limit:
            head = content[: match.end()]
            closing = b"</feed>" if re.search(rb"<(?:[\w.-]+:)?feed[\s>]", head[:4096]) \
                else b"</channel></rss>"
            content = head + b"\n" + closing
            break
    return _CHAR_REF.sub(_replace_bad_reference, content)


def _published(entry: dict[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = dict.get(entry, key)  # not entry.get: feedparser's deprecated key aliasing
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (TypeError, ValueError, OverflowError, OSError):
                continue
    return None


def _source(feed: Mapping[str, Any], feed_url: str) -> str:
    title = _plain(feed.get("title"), feed.get("title_detail"))
    return shorten(title or urlsplit(feed_url).hostname or feed_url, MAX_SOURCE_CHARS)


def _entry_url(entry: Mapping[str, Any], feed_url: str) -> str | None:
    link = clean_text(entry.get("link"))
    if not link:
        return None
    if entry.get("guidislink"):  # feedparser took the guid as the link: only a full URL counts
        return web_url(link)
    return web_url(urljoin(feed_url, link))


def _entry_id(entry: Mapping[str, Any], url: str | None, title: str, dated: datetime | None) -> str:
    key = clean_text(entry.get("id")) or url
    if not key:
        key = stable_hash(title, dated.isoformat() if dated else "")
    return f"{NAME}:{key}"


def parse_feed(
    content: bytes,
    feed_url: str,
    symbols: Sequence[Symbol],
    names: Mapping[str, str],
    fetched_at: datetime,
    limit: int = MAX_ITEMS_PER_FEED,
) -> list[NewsItem]:
    """Headlines of (at most ``limit`` items of) one RSS/Atom document, newest first.

    Items without a date are stamped ``fetched_at`` and marked undated (they sort below dated
    items and show no time); the id does not depend on that stamp, and the store keeps the
    first version of an id, so the stamp is "first seen". Items dated beyond a small clock skew
    into the future (a +0000 pubDate that is really China time) are clamped to ``fetched_at``
    and flagged. Titles have their HTML entities decoded. Items without a title are skipped.
    A body with no entries that is not a well-formed feed raises BadPayload.
    """
    document = feedparser.parse(io.BytesIO(first_items(content, limit)))
    entries = (document.get("entries") or [])[:limit]
    if not entries:
        if document.get("bozo") or not document.get("version"):
            reason = document.get("bozo_exception") or "no RSS or Atom root element"
            raise BadPayload(NAME, f"{feed_url} is not a feed: {reason}", content)
        return []
    source = _source(document.get("feed") or {}, feed_url)
    items: dict[str, NewsItem] = {}
    for entry in entries:
        try:
            item = _item(entry, feed_url, source, symbols, names, fetched_at)
        except (ValueError, TypeError, UnicodeError) as exc:  # one bad item, not the feed
            log.warning("feed %s: skipped an item: %s", feed_url, exc)
            continue
        if item is not None:
            items.setdefault(item.id, item)
    return sorted(items.values(), key=lambda news: news.published, reverse=True)


def _item(entry: Any, feed_url: str, source: str, symbols: Sequence[Symbol],
          names: Mapping[str, str], fetched_at: datetime) -> NewsItem | None:
    """One entry as a NewsItem, or None when it has no title."""
    title = clean_text(html.unescape(_plain(entry.get("title"), entry.get("title_detail"))))
    dated = _published(entry)
    if not title:
        return None
    clamped = dated is not None and dated > fetched_at + FUTURE_TOLERANCE
    summary = _plain(entry.get("summary"), entry.get("summary_detail"))
    url = _entry_url(entry, feed_url)
    item_id = _entry_id(entry, url, title, dated)
    return NewsItem(
        id=item_id,
        title=title,
        source=source,
        published=fetched_at if dated is None or clamped else dated,
        url=url,
        symbols=mentioned_symbols(f"{title} {summary}", symbols, names),
        kind=NewsKind.NEWS,
        summary=shorten(summary, MAX_SUMMARY_CHARS) or None,
        dated=dated is not None,
        clamped=clamped,
    )


class RssProvider(Provider):
    """Headlines from configured RSS/Atom feeds, tagged with the watched symbols they name."""

    Options = RssOptions
    options: RssOptions

    name: ClassVar[str] = NAME
    description: ClassVar[str] = "RSS and Atom feeds listed in [news].feeds"
    kinds: ClassVar[frozenset[DataKind]] = frozenset({DataKind.NEWS})
    #: Feeds move (http → https, a new host); a few redirects are followed, http(s) only.
    max_redirects: ClassVar[int] = 3
    cross_host_redirects: ClassVar[bool] = True

    def __init__(
        self,
        client: httpx.AsyncClient,
        options: ProviderOptions | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(client, options, clock)
        #: Feeds that failed on the last poll (URL → error), for health reporting.
        self.feed_errors: dict[str, ProviderError] = {}

    async def fetch_news(
        self, symbols: Sequence[Symbol], names: Mapping[str, str]
    ) -> list[NewsItem]:
        """Items of every configured feed; raises only when every feed failed."""
        feeds = tuple(dict.fromkeys(self.options.feeds))
        if not feeds:
            return []
        results = await asyncio.gather(
            *(self._fetch_feed(url, symbols, names) for url in feeds), return_exceptions=True
        )
        items: dict[str, NewsItem] = {}
        errors: dict[str, ProviderError] = {}
        for url, result in zip(feeds, results, strict=True):
            if isinstance(result, BaseException):
                if not isinstance(result, Exception):
                    raise result
                errors[url] = error_for_exception(self.name, result)
                log.warning("feed %s failed: %s", url, errors[url])
            else:
                for item in result:
                    items.setdefault(item.id, item)
        self.feed_errors = errors
        if len(errors) == len(feeds):
            raise errors[feeds[0]]
        return sorted(items.values(), key=lambda news: news.published, reverse=True)

    async def _fetch_feed(
        self, url: str, symbols: Sequence[Symbol], names: Mapping[str, str]
    ) -> list[NewsItem]:
        content = await self._read(url)
        return parse_feed(content, url, symbols, names, self.clock())

    async def _read(self, url: str) -> bytes:
        """The feed's bytes over HTTP(S) through :meth:`get` (capped, with a deadline); any
        other scheme is refused (config rejects them too: ``file:///dev/zero`` never ends)."""
        if urlsplit(url).scheme not in {"http", "https"}:
            raise PermanentError(self.name, f"{url[:80]!r} is not an http(s) URL")
        return (await self.get(url)).content
