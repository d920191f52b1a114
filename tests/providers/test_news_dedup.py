"""One story from two sources is one headline; entities decoded; undated below dated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from neodymium.providers.models import NewsItem
from neodymium.providers.news_dedup import merge_duplicates, news_order, title_key
from neodymium.providers.sina_roll import parse_roll
from neodymium.providers.symbols import parse_symbol

from tests.providers.test_sina_roll import FETCHED, item, payload

NOON = datetime(2026, 8, 21, 12, 0, tzinfo=UTC)


def news(id_: str, title: str, source: str, minutes: int = 0, *, dated: bool = True,
         url: str | None = None) -> NewsItem:
    return NewsItem(id=id_, title=title, source=source, url=url, dated=dated,
                    published=NOON + timedelta(minutes=minutes))


def test_title_key_ignores_spacing_punctuation_width_and_entities() -> None:
    spaced, plain = "北方稀土 上调三季度稀土精矿交易价格！", "北方稀土上调三季度稀土精矿交易价格"
    assert title_key(spaced) == title_key(plain)
    assert title_key("&quot;Rare&quot;  earths, up") == title_key("“Rare” Earths up")
    assert title_key("ＡＢＣ：上涨") == title_key("abc:上涨")
    assert title_key("稀土上涨") != title_key("稀土下跌")


def test_duplicates_merge_into_one_item_naming_both_sources() -> None:
    items = [news("a", "稀土精矿 提价！", "新浪财经", 5),
             news("b", "稀土精矿提价", "稀土快讯", 3, url="https://w.example/1"),
             news("c", "别的消息", "稀土快讯", 1)]
    merged = merge_duplicates(items)
    assert [m.id for m in merged] == ["a", "c"]
    assert merged[0].source == "新浪财经 + 稀土快讯"
    assert merged[0].url == "https://w.example/1"  # the first had no link


def test_a_source_repeating_its_own_title_is_a_later_event() -> None:
    items = [news("late", "600111 at 47.07", "flash", 5), news("early", "600111 at 47.07",
                                                                  "flash", 1)]
    assert [m.id for m in merge_duplicates(items)] == ["late", "early"]


def test_undated_items_sort_below_dated_ones() -> None:
    items = [news("old", "old", "s", -600), news("undated", "u", "s", 60, dated=False),
             news("new", "new", "s", 0)]
    assert [i.id for i in sorted(items, key=news_order, reverse=True)] == [
        "new", "old", "undated"]


def test_sina_titles_have_entities_decoded() -> None:
    raw = [item(docid="e", title="北方稀土&amp;包钢股份：&quot;关联交易&quot;获批")]
    found = parse_roll(payload(raw), [parse_symbol("600111.SS")], {"600111.SS": "北方稀土"},
                       (), FETCHED)
    assert [entry.title for entry in found] == ['北方稀土&包钢股份："关联交易"获批']
