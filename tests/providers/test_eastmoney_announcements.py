"""Eastmoney announcements: the parser on the recorded payload and bad ones, then the client
against the fake upstream with faults switched on."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from neodymium.providers.base import ProviderOptions
from neodymium.providers.eastmoney import THROTTLE_PAUSE_S
from neodymium.providers.eastmoney_announcements import (
    SOURCE,
    EastmoneyAnnouncementsProvider,
    build_announcement_params,
    parse_announcements,
    published_at,
)
from neodymium.providers.errors import BadPayload, ProviderUnavailable, RateLimited
from neodymium.providers.models import DataKind, NewsKind
from neodymium.providers.symbols import parse_symbol

from tests.fakeupstream import FakeUpstream, Fault

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: research §5.1, the recorded answer for stock_list=600111.
SAMPLE = (
    '{"data":{"list":[{"art_code":"AN202608211658453210","codes":[{"ann_type":"A,SHA",'
    '"inner_code":"7155893117498110","market_code":"1","short_name":"北方稀土",'
    '"stock_code":"600111"}],"columns":[{"column_code":"001002003001","column_name":"关联交易"}],'
    '"display_time":"2026-08-21 17:05:32:118","eiTime":"2026-08-21 17:01:47:000",'
    '"notice_date":"2026-08-22 00:00:00",'
    '"title":"北方稀土:关于调整2026年第三季度稀土精矿交易价格的公告",'
    '"title_ch":"北方稀土:关于调整2026年第三季度稀土精矿交易价格的公告","title_en":"",'
    '"product_code":"","sort_date":"2026-08-21 17:05:32"},{"art_code":"AN202608151658321987",'
    '"codes":[{"ann_type":"A,SHA","inner_code":"7155893117498110","market_code":"1",'
    '"short_name":"北方稀土","stock_code":"600111"}],"columns":[{"column_code":"001001002001",'
    '"column_name":"半年度报告全文"}],"display_time":"2026-08-15 16:40:12:004",'
    '"eiTime":"2026-08-15 16:38:55:000","notice_date":"2026-08-16 00:00:00",'
    '"title":"北方稀土:2026年半年度报告","title_ch":"北方稀土:2026年半年度报告","title_en":"",'
    '"product_code":"","sort_date":"2026-08-15 16:40:12"}],"page_index":1,"page_size":20,'
    '"total_hits":1893},"error":"","success":1}'
).encode()
WANTED = {"600111": "600111.SS"}


def answer(items: list[dict], **extra: object) -> bytes:
    document = {"data": {"list": items, "page_index": 1, "page_size": 20,
                         "total_hits": len(items)}, "error": "", "success": 1, **extra}
    return json.dumps(document, ensure_ascii=False).encode()


def sample_items() -> list[dict]:
    return json.loads(SAMPLE)["data"]["list"]


def test_recorded_answer_becomes_announcements() -> None:
    items = parse_announcements(SAMPLE, WANTED)

    assert [item.id for item in items] == ["em-ann:AN202608211658453210",
                                           "em-ann:AN202608151658321987"]
    first = items[0]
    assert first.title == "北方稀土:关于调整2026年第三季度稀土精矿交易价格的公告"
    assert (first.kind, first.source, first.symbols) == (
        NewsKind.ANNOUNCEMENT, SOURCE, ("600111.SS",)
    )
    assert first.url == (
        "https://data.eastmoney.com/notices/detail/600111/AN202608211658453210.html"
    )
    assert first.published == datetime(2026, 8, 21, 17, 5, 32, 118000, tzinfo=SHANGHAI)
    assert first.published.utcoffset() == timedelta(hours=8)
    assert first.summary == "关联交易"


def test_publication_time_prefers_display_time_over_the_filing_date() -> None:
    item = sample_items()[0]

    assert published_at(item).hour == 17
    assert published_at({"eiTime": item["eiTime"]}).minute == 1
    assert published_at({"notice_date": item["notice_date"]}) == datetime(
        2026, 8, 22, tzinfo=SHANGHAI
    )
    assert published_at({"notice_date": "soon"}) is None


def test_items_without_id_title_or_time_are_skipped() -> None:
    items = sample_items()
    no_code, no_title, no_time, bad_code = (dict(items[0]) for _ in range(4))
    no_title["title"] = no_title["title_ch"] = " "
    no_code["art_code"] = ""
    for key in ("display_time", "eiTime", "notice_date"):
        no_time.pop(key)
    bad_code["art_code"] = "../../etc/passwd"

    assert parse_announcements(answer([no_code, no_title, no_time, bad_code]), WANTED) == []


def test_symbols_are_the_watched_codes_among_the_items_codes() -> None:
    item = sample_items()[0]
    item["codes"].append({"stock_code": "600010", "short_name": "包钢股份"})
    other = dict(sample_items()[1], codes=[{"stock_code": "600010"}])
    wanted = {"600010": "600010.SS", "516780": "516780.SS"}

    both = parse_announcements(answer([item]), {**WANTED, **wanted})
    only_northern = parse_announcements(answer([item, other]), WANTED)

    assert both[0].symbols == ("600111.SS", "600010.SS")
    assert [news.symbols for news in only_northern] == [("600111.SS",)]


def test_an_item_without_codes_is_attributed_only_when_one_code_was_asked() -> None:
    item = sample_items()[0]
    del item["codes"]

    assert parse_announcements(answer([item]), WANTED)[0].symbols == ("600111.SS",)
    assert parse_announcements(answer([item]), {**WANTED, "516780": "516780.SS"}) == []


def test_titles_are_cleaned_of_terminal_escapes() -> None:
    item = dict(sample_items()[0], title="北方稀土:\x1b[31m公告\x1b[0m\u202e\n续")

    assert parse_announcements(answer([item]), WANTED)[0].title == "北方稀土:公告 续"


def test_duplicates_are_merged_by_art_code() -> None:
    items = sample_items()

    assert len(parse_announcements(answer([items[0], items[0], items[1]]), WANTED)) == 2


@pytest.mark.parametrize("payload", [
    json.dumps({"data": None, "error": "", "success": 1}).encode(),
    json.dumps({"data": {"list": None, "total_hits": 0}, "success": 1}).encode(),
    answer([]),
])
def test_no_announcements(payload: bytes) -> None:
    assert parse_announcements(payload, WANTED) == []


@pytest.mark.parametrize(("payload", "message"), [
    (b"", "empty"),
    (b"<html>", "not JSON"),
    (SAMPLE[:200], "not JSON"),
    (b"[]", "not a JSON object"),
    (json.dumps({"data": None, "error": "参数错误", "success": 0}).encode(), "参数错误"),
    (json.dumps({"data": {"items": []}, "success": 1}).encode(), "no list"),
    (json.dumps({"data": {"list": "x"}, "success": 1}).encode(), "not a list"),
])
def test_bad_answers_are_bad_payload(payload: bytes, message: str) -> None:
    with pytest.raises(BadPayload, match=message):
        parse_announcements(payload, WANTED)


def test_request_parameters() -> None:
    params = build_announcement_params(["600111", "516780"])

    assert params["stock_list"] == "600111,516780"
    assert (params["sr"], params["page_index"], params["ann_type"]) == ("-1", "1", "A")
    assert build_announcement_params(["600111"], page_size=500)["page_size"] == "100"


# -- the client against the fake upstream -------------------------------------------------------


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as shared:
        yield shared


@pytest.fixture
def announcements(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream
) -> EastmoneyAnnouncementsProvider:
    options = ProviderOptions(base_url=fake_upstream.base_url, timeout=1.0, min_interval=0.0)
    return EastmoneyAnnouncementsProvider(client, options)


def symbols(*keys: str):
    return [parse_symbol(key) for key in keys]


WATCH = symbols("600111.SS", "516780.SS", "159713.SZ", "REMX")


def test_serves_a_share_stocks_and_funds_only(
    announcements: EastmoneyAnnouncementsProvider,
) -> None:
    assert announcements.supports(parse_symbol("600111.SS"), DataKind.NEWS)
    assert announcements.supports(parse_symbol("516780.SS"), DataKind.NEWS)
    assert not announcements.supports(parse_symbol("REMX"), DataKind.NEWS)
    assert not announcements.supports(parse_symbol("000001.SS"), DataKind.NEWS)  # the index
    assert not announcements.supports(parse_symbol("600111.SS"), DataKind.QUOTES)


async def test_one_request_for_every_watched_a_share(
    announcements: EastmoneyAnnouncementsProvider, fake_upstream: FakeUpstream
) -> None:
    items = await announcements.fetch_news(WATCH, {})

    assert fake_upstream.count("em-announcements") == 1
    request = fake_upstream.requests_to("em-announcements")[0]
    assert request.param("stock_list") == "600111,516780,159713"
    assert request.headers["referer"].startswith("https://data.eastmoney.com/")
    assert [item.published for item in items] == sorted(
        (item.published for item in items), reverse=True
    )
    by_id = {item.id: item for item in items}
    assert by_id["em-ann:AN202607201657500011"].symbols == ("516780.SS",)
    assert by_id["em-ann:AN202608071657998812"].symbols == ("600111.SS",)  # 包钢 not watched
    assert "em-ann:AN202608051657900431" not in by_id  # 包钢股份 only
    escaped = by_id["em-ann:AN202608121658100077"]
    assert "\x1b" not in escaped.title and escaped.title.startswith("北方稀土:关于股票交易")
    assert all(item.kind is NewsKind.ANNOUNCEMENT for item in items)


async def test_only_us_symbols_cost_no_request(
    announcements: EastmoneyAnnouncementsProvider, fake_upstream: FakeUpstream
) -> None:
    assert await announcements.fetch_news(symbols("REMX"), {}) == []
    assert fake_upstream.requests == []


async def test_unknown_codes_give_no_items(
    announcements: EastmoneyAnnouncementsProvider,
) -> None:
    assert await announcements.fetch_news(symbols("600999.SS"), {}) == []


@pytest.mark.parametrize("status", [500, 503])
async def test_server_errors_are_unavailable(
    announcements: EastmoneyAnnouncementsProvider, fake_upstream: FakeUpstream, status: int
) -> None:
    fake_upstream.set_fault("em-announcements", Fault(kind="status", status=status))

    with pytest.raises(ProviderUnavailable):
        await announcements.fetch_news(WATCH, {})


async def test_429_is_rate_limited_with_retry_after(
    announcements: EastmoneyAnnouncementsProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault(
        "em-announcements", Fault(kind="status", status=429, retry_after="120")
    )

    with pytest.raises(RateLimited) as caught:
        await announcements.fetch_news(WATCH, {})
    assert caught.value.retry_after == 120.0


async def test_reset_is_throttling(
    announcements: EastmoneyAnnouncementsProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("em-announcements", Fault(kind="reset"))

    with pytest.raises(RateLimited) as caught:
        await announcements.fetch_news(WATCH, {})
    assert caught.value.retry_after == THROTTLE_PAUSE_S


async def test_timeout_is_unavailable(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream
) -> None:
    fast = EastmoneyAnnouncementsProvider(
        client, ProviderOptions(base_url=fake_upstream.base_url, timeout=0.2, min_interval=0.0)
    )
    fake_upstream.set_fault("em-announcements", Fault(kind="slow", delay=3.0))

    with pytest.raises(ProviderUnavailable, match="timed out"):
        await fast.fetch_news(WATCH, {})


@pytest.mark.parametrize("kind", ["empty", "truncated", "garbage"])
async def test_unreadable_answers_are_bad_payload(
    announcements: EastmoneyAnnouncementsProvider, fake_upstream: FakeUpstream, kind: str
) -> None:
    fake_upstream.set_fault("em-announcements", Fault(kind=kind))

    with pytest.raises(BadPayload):
        await announcements.fetch_news(WATCH, {})


async def test_missing_fields_degrade_item_by_item(
    announcements: EastmoneyAnnouncementsProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("em-announcements", Fault(kind="missing-fields"))

    items = {item.id: item for item in await announcements.fetch_news(WATCH, {})}

    # Only notice_date left: the filing date (the next day) at midnight stands in.
    assert items["em-ann:AN202608211658453210"].published == datetime(
        2026, 8, 22, tzinfo=SHANGHAI
    )
    assert "em-ann:AN202608151658321987" not in items  # no art_code: no stable id
    assert "em-ann:AN202608121658100077" not in items  # no codes, several asked
    assert items["em-ann:AN202608071657998812"].summary is None  # no columns
    assert "em-ann:AN202607201657500011" not in items  # no time at all
    assert len(items) == 2
