"""The same story from two sources is one headline: titles compared after normalising."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from neodymium.providers.models import NewsItem

SOURCE_JOINER = " + "


def title_key(title: str) -> str:
    """A title reduced to what identifies the story: entities decoded, full-width forms folded
    (NFKC), whitespace and punctuation dropped, case folded."""
    text = unicodedata.normalize("NFKC", html.unescape(title))
    kept = (char for char in text
            if not char.isspace() and not unicodedata.category(char).startswith("P"))
    return "".join(kept).casefold()


def news_order(item: NewsItem) -> tuple[bool, float, str]:
    """Sort key, newest first when reversed: dated items above undated ones."""
    return (item.dated, item.published.timestamp(), item.id)


def merge_duplicates(items: Iterable[NewsItem]) -> list[NewsItem]:
    """One item per story, in the given order, naming every source that carried it.

    The first item of a story (the newest, in news order) stands for it; the same title from
    another source only adds that source (and its link when the first had none). A source
    repeating its own title is a later event and stays a line of its own.
    """
    result: list[NewsItem] = []
    first_of: dict[str, int] = {}
    for item in items:
        key = title_key(item.title) or item.id
        at = first_of.get(key)
        sources = result[at].source.split(SOURCE_JOINER) if at is not None else []
        if at is None or item.source in sources:
            # A new story, or the same source repeating a title (a later event: kept).
            first_of.setdefault(key, len(result))
            result.append(item)
            continue
        first = replace(result[at], source=SOURCE_JOINER.join([*sources, item.source]))
        if first.url is None and item.url is not None:
            first = replace(first, url=item.url)
        result[at] = first
    return result
