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

    The first item of a story (the newest, in news order) stands for it; later ones only add
    their source, and their link when the first had none.
    """
    merged: dict[str, NewsItem] = {}
    for item in items:
        key = title_key(item.title) or item.id
        first = merged.get(key)
        if first is None:
            merged[key] = item
            continue
        sources = first.source.split(SOURCE_JOINER)
        if item.source not in sources:
            first = replace(first, source=SOURCE_JOINER.join([*sources, item.source]))
        if first.url is None and item.url is not None:
            first = replace(first, url=item.url)
        merged[key] = first
    return list(merged.values())
