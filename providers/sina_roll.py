"""Sina finance roll news (feed.mix.sina.com.cn), filtered locally to the watched symbols.

The roll list is market-wide (no per-stock filter was ever verified upstream), so items are kept
only when they mention a watched symbol's code or name, or one of the configured theme keywords
(``[providers.sina-roll]`` extra ``keywords``, e.g. ``稀土``). The body is UTF-8 JSON, unlike the
GBK quote endpoint on hq.sinajs.cn.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from neodymium.providers.base import Provider
from neodymium.providers.errors import BadPayload
from neodymium.providers.markets import SHANGHAI
from neodymium.providers.models import DataKind, NewsItem, NewsKind
from neodymium.providers.news_match import (
    FUTURE_TOLERANCE,
    mentioned_symbols,
    mentions_keyword,
    stable_hash,
    web_url,
)
from neodymium.providers.options import SinaRollOptions as SinaRollOptions  # re-exported
from neodymium.providers.symbols import Symbol
from neodymium.providers.text import clean_text

NAME = "sina-roll"
ROLL_PATH = "/api/roll/get"
REFERER = "https://finance.sina.com.cn/"
SOURCE = "新浪财经"
#: The roll list's page id and the finance channel (``lid=2516`` in every client seen).
PAGE_ID = 153
FINANCE_LID = 2516
#: The upstream caps ``num`` at 50 per page.
MAX_NUM = 50
#: An item dated further ahead of the fetch than this has a broken time and is skipped.

_MAX_SOURCE_CHARS = 24
#: Fields whose text is searched for codes, names and keywords.
_MATCH_FIELDS = ("title", "stitle", "intro", "summary", "keywords")


def build_roll_params(lid: int = FINANCE_LID, num: int = MAX_NUM, page: int = 1) -> dict[str, str]:
    """Query parameters of one roll-list page (``num`` clamped to the upstream's 1…50)."""
    return {
        "pageid": str(PAGE_ID),
        "lid": str(lid),
        "k": "",
        "num": str(max(1, min(MAX_NUM, num))),
        "page": str(max(1, page)),
    }


def _published(item: Mapping[str, Any], fetched_at: datetime) -> tuple[datetime, bool] | None:
    """The item's time and whether it was clamped: one beyond the clock-skew tolerance in the
    future is clamped to ``fetched_at`` (and flagged), not trusted and not dropped."""
    for key in ("ctime", "mtime", "intime"):
        try:
            seconds = int(str(item.get(key, "")).strip())
            when = datetime.fromtimestamp(seconds, SHANGHAI)
        except (TypeError, ValueError, OverflowError, OSError):
            continue
        if seconds > 0:
            if when > fetched_at + FUTURE_TOLERANCE:
                return fetched_at, True
            return when, False
    return None


def _title(value: object) -> str:
    return clean_text(html.unescape(str(value))) if isinstance(value, str) else ""


def _source(item: Mapping[str, Any]) -> str:
    media = clean_text(item.get("media_name"))[:_MAX_SOURCE_CHARS]
    return SOURCE if not media or media == SOURCE else f"{SOURCE}/{media}"


def _item_id(item: Mapping[str, Any], url: str | None, title: str, ctime: datetime) -> str:
    docid = clean_text(item.get("docid"))
    if docid:
        return f"{NAME}:{docid}"
    return f"{NAME}:{stable_hash(url) if url else stable_hash(title, ctime.timestamp())}"


def roll_items(payload: bytes | str) -> list[Mapping[str, Any]]:
    """The raw ``result.data`` items of a roll answer; BadPayload for anything else."""
    try:
        document = json.loads(payload)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise BadPayload(NAME, f"not JSON: {exc}", payload) from None
    result = document.get("result") if isinstance(document, dict) else None
    if not isinstance(result, dict):
        raise BadPayload(NAME, "no result object", payload)
    status = result.get("status")
    if isinstance(status, dict) and status.get("code", 0) not in (0, "0"):
        message = clean_text(status.get("msg")) or "no message"
        raise BadPayload(NAME, f"upstream status {status.get('code')!r}: {message}")
    data = result.get("data")
    if not isinstance(data, list):
        raise BadPayload(NAME, "result.data is not a list", payload)
    return [item for item in data if isinstance(item, dict)]


def parse_roll(
    payload: bytes | str,
    symbols: Sequence[Symbol],
    names: Mapping[str, str],
    keywords: Iterable[str],
    fetched_at: datetime,
) -> list[NewsItem]:
    """News items of a roll answer that mention a watched symbol or keyword, newest first.

    ``symbols`` on each item lists the watched symbols it names; an item kept only for a theme
    keyword has none (it is a general headline for the theme). Items without a title or a usable
    time are skipped.
    """
    keywords = tuple(keywords)
    items: dict[str, NewsItem] = {}
    for raw in roll_items(payload):
        title = _title(raw.get("title")) or _title(raw.get("stitle"))
        stamped = _published(raw, fetched_at)
        if not title or stamped is None:
            continue
        published, clamped = stamped
        text = " ".join(clean_text(raw.get(key)) for key in _MATCH_FIELDS)
        matched = mentioned_symbols(text, symbols, names)
        if not matched and not mentions_keyword(text, keywords):
            continue
        url = web_url(raw.get("url")) or web_url(raw.get("wapurl"))
        item_id = _item_id(raw, url, title, published)
        items.setdefault(
            item_id,
            NewsItem(
                id=item_id,
                title=title,
                source=_source(raw),
                published=published,
                url=url,
                symbols=matched,
                kind=NewsKind.NEWS,
                summary=clean_text(raw.get("intro")) or clean_text(raw.get("summary")) or None,
                clamped=clamped,
            ),
        )
    return sorted(items.values(), key=lambda news: news.published, reverse=True)


class SinaRollProvider(Provider):
    """Market-wide Sina finance headlines, kept when they mention what is watched."""

    name: ClassVar[str] = NAME
    description: ClassVar[str] = "Sina finance roll news, filtered to watched symbols and keywords"
    kinds: ClassVar[frozenset[DataKind]] = frozenset({DataKind.NEWS})
    default_base_url: ClassVar[str | None] = "https://feed.mix.sina.com.cn"

    Options = SinaRollOptions
    options: SinaRollOptions

    @property
    def keywords(self) -> tuple[str, ...]:
        """Theme words that make a headline relevant (``[news].keywords`` by default)."""
        return self.options.keywords

    async def fetch_news(
        self, symbols: Sequence[Symbol], names: Mapping[str, str]
    ) -> list[NewsItem]:
        """One page of the finance roll, filtered to the symbols, their names and keywords."""
        if not symbols and not self.keywords:
            return []
        response = await self.get(
            f"{self.base_url}{ROLL_PATH}",
            params=build_roll_params(),
            headers={"Referer": REFERER},
        )
        return parse_roll(response.content, symbols, names, self.keywords, self.clock())
