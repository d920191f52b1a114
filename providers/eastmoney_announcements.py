"""Eastmoney company announcements (np-anotice-stock): the official filings of watched A-shares.

One request per poll for every watched A-share stock and ETF (``stock_list=600111,516780``),
first page only, newest first. Each item becomes a ``NewsItem`` of kind ANNOUNCEMENT with the
stable id ``em-ann:<art_code>`` and a link to Eastmoney's detail page. Times are the publication
time (``display_time``) in Asia/Shanghai; ``notice_date`` (the filing's date, often the next day
at midnight) is used only when nothing better is given.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from neodymium.providers.base import Provider
from neodymium.providers.eastmoney import throttled
from neodymium.providers.errors import BadPayload, ProviderError
from neodymium.providers.markets import SHANGHAI
from neodymium.providers.models import DataKind, NewsItem, NewsKind
from neodymium.providers.payloads import json_document
from neodymium.providers.symbols import Market, Symbol
from neodymium.providers.text import clean_text

NAME = "eastmoney-announcements"
SOURCE = "东方财富公告"
ANNOUNCEMENTS_PATH = "/api/security/ann"
REFERER = "https://data.eastmoney.com/notices/"
DETAIL_URL = "https://data.eastmoney.com/notices/detail/{code}/{art_code}.html"
ID_PREFIX = "em-ann:"
#: Items per request (the upstream allows up to 100).
PAGE_SIZE = 50

#: Publication time first, then the internal time, then the filing date.
_TIME_KEYS = ("display_time", "eiTime", "notice_date")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S:%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
_ART_CODE = re.compile(r"^[A-Za-z0-9]{6,40}$")
_SUMMARY_SEPARATOR = " · "


def build_announcement_params(codes: Sequence[str], page_size: int = PAGE_SIZE) -> dict[str, str]:
    """Query parameters for the first page of announcements of the bare codes, newest first."""
    return {
        "sr": "-1",
        "page_size": str(max(1, min(100, page_size))),
        "page_index": "1",
        "ann_type": "A",
        "client_source": "web",
        "stock_list": ",".join(codes),
        "f_node": "0",
        "s_node": "0",
    }


def published_at(item: Mapping[str, Any]) -> datetime | None:
    """When the announcement was published (Asia/Shanghai), or None when no time is readable."""
    for key in _TIME_KEYS:
        text = clean_text(item.get(key))
        for layout in _TIME_FORMATS:
            try:
                return datetime.strptime(text, layout).replace(tzinfo=SHANGHAI)
            except ValueError:
                continue
    return None


def announcement_items(payload: bytes | str) -> list[Mapping[str, Any]]:
    """The raw ``data.list`` of an answer; ``data: null`` is no items; anything else odd is
    BadPayload (including ``success: 0`` with the upstream's error message)."""
    document = json_document(payload, NAME)
    if not isinstance(document, Mapping):
        raise BadPayload(NAME, "answer is not a JSON object", json.dumps(document)[:200])
    if document.get("success", 1) in (0, "0", False):
        message = clean_text(document.get("error")) or "no message"
        raise BadPayload(NAME, f"upstream refused: {message}")
    data = document.get("data")
    if data is None:
        return []
    if not isinstance(data, Mapping) or "list" not in data:
        raise BadPayload(NAME, "data has no list", json.dumps(data, ensure_ascii=False)[:200])
    items = data["list"]
    if items is None:
        return []
    if not isinstance(items, list):
        raise BadPayload(NAME, "data.list is not a list", json.dumps(items)[:200])
    return [item for item in items if isinstance(item, Mapping)]


def _item_codes(item: Mapping[str, Any]) -> list[str] | None:
    codes = item.get("codes")
    if not isinstance(codes, list):
        return None
    return [clean_text(entry.get("stock_code")) for entry in codes if isinstance(entry, Mapping)]


def parse_announcements(payload: bytes | str, wanted: Mapping[str, str]) -> list[NewsItem]:
    """Announcements of the watched codes, newest first.

    ``wanted`` maps bare codes (``600111``) to canonical keys. An item's ``symbols`` are the
    watched codes among its ``codes``; an item without ``codes`` is attributed only when a single
    code was asked for. Items without a usable ``art_code``, title or time are skipped.
    """
    news: dict[str, NewsItem] = {}
    for item in announcement_items(payload):
        art_code = clean_text(item.get("art_code"))
        title = (clean_text(html.unescape(str(item.get("title") or "")))
                 or clean_text(html.unescape(str(item.get("title_ch") or ""))))
        published = published_at(item)
        if not _ART_CODE.match(art_code) or not title or published is None:
            continue
        codes = _item_codes(item)
        if codes is None:
            codes = list(wanted) if len(wanted) == 1 else []
        matched = [code for code in codes if code in wanted]
        if not matched:
            continue
        item_id = f"{ID_PREFIX}{art_code}"
        news.setdefault(
            item_id,
            NewsItem(
                id=item_id,
                title=title,
                source=SOURCE,
                published=published,
                url=DETAIL_URL.format(code=matched[0], art_code=art_code),
                symbols=tuple(dict.fromkeys(wanted[code] for code in matched)),
                kind=NewsKind.ANNOUNCEMENT,
                summary=_columns(item),
            ),
        )
    return sorted(news.values(), key=lambda entry: entry.published, reverse=True)


def _columns(item: Mapping[str, Any]) -> str | None:
    """The announcement's categories (关联交易, 半年度报告全文 …) as a short summary."""
    columns = item.get("columns")
    if not isinstance(columns, list):
        return None
    names = [clean_text(column.get("column_name")) for column in columns
             if isinstance(column, Mapping)]
    return _SUMMARY_SEPARATOR.join(name for name in names if name) or None


class EastmoneyAnnouncementsProvider(Provider):
    """Official filings of watched A-share stocks and ETFs, via Eastmoney."""

    name: ClassVar[str] = NAME
    description: ClassVar[str] = "Eastmoney company announcements (公告) for watched A-shares"
    kinds: ClassVar[frozenset[DataKind]] = frozenset({DataKind.NEWS})
    default_base_url: ClassVar[str | None] = "https://np-anotice-stock.eastmoney.com"
    default_min_interval: ClassVar[float] = 1.0

    def supports(self, symbol: Symbol, kind: DataKind) -> bool:
        """A-share stocks and funds; not US listings, not indexes (they file nothing)."""
        return kind in self.kinds and symbol.market is Market.CN and not symbol.is_index

    async def fetch_news(
        self, symbols: Sequence[Symbol], names: Mapping[str, str]
    ) -> list[NewsItem]:
        """The latest page of announcements of every supported symbol, in one request."""
        wanted = {s.code: s.key for s in symbols if self.supports(s, DataKind.NEWS)}
        if not wanted:
            return []
        try:
            response = await self.get(
                f"{self.base_url}{ANNOUNCEMENTS_PATH}",
                params=build_announcement_params(list(wanted)),
                headers={"Referer": REFERER},
            )
        except ProviderError as error:
            if error.cause == "reset":
                raise throttled(self.name, error) from error
            raise
        return parse_announcements(response.content, wanted)
