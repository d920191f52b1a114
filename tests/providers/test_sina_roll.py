"""Sina roll news: the pure parser on recorded-format payloads, then the provider over real HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.providers.errors import AuthError, BadPayload, ProviderUnavailable, RateLimited
from neodymium.providers.models import NewsKind
from neodymium.providers.sina_roll import (
    SHANGHAI,
    SinaRollOptions,
    SinaRollProvider,
    build_roll_params,
    mentioned_symbols,
    parse_roll,
)
from neodymium.providers.symbols import parse_symbol

from tests.fakeupstream import FakeUpstream, Fault
from tests.fakeupstream.routes_sina_roll import ITEMS, envelope

#: Research 5.4's sample answer, byte for byte.
RESEARCH_SAMPLE = """{"result":{"status":{"code":0,"msg":"succ"},"timestamp":"Fri Aug 21 18:30:00 +0800 2026","top":[],"lid":2516,"total":2,"data":[{"docid":"comos:nfxqkva1234567","title":"北方稀土上调三季度稀土精矿交易价格","stitle":"","url":"https://finance.sina.com.cn/stock/s/2026-08-21/doc-inhfxqkva1234567.shtml","wapurl":"https://finance.sina.cn/stock/s/2026-08-21/detail-inhfxqkva1234567.d.html","intro":"北方稀土8月21日晚间公告，调整2026年第三季度稀土精矿交易价格。","summary":"","ctime":"1787306400","intime":"1787306412","mtime":"1787306400","media_name":"新浪财经","keywords":"北方稀土,稀土精矿,包钢股份"},{"docid":"comos:nfxqkvb7654321","title":"稀土永磁板块午后拉升 多只稀土ETF涨超1%","stitle":"","url":"https://finance.sina.com.cn/stock/etf/2026-08-21/doc-inhfxqkvb7654321.shtml","wapurl":"https://finance.sina.cn/stock/etf/2026-08-21/detail-inhfxqkvb7654321.d.html","intro":"稀土ETF富国、稀土ETF华泰柏瑞午后走强。","summary":"","ctime":"1787292000","intime":"1787292015","mtime":"1787292000","media_name":"新浪财经","keywords":"稀土,ETF"}]}}""".encode()  # noqa: E501

CNRE = parse_symbol("600111.SS")
ETF = parse_symbol("159713.SZ")
NAMES = {"600111.SS": "北方稀土"}
FETCHED = datetime(2026, 8, 21, 10, 30, tzinfo=UTC)  # 18:30 in Shanghai, after the last item


def payload(items: list[dict[str, Any]], **status: Any) -> bytes:
    """A roll answer around ``items`` in the recorded format."""
    return json.dumps(envelope(items, **status), ensure_ascii=False).encode("utf-8")


def item(**fields: Any) -> dict[str, Any]:
    """A recorded-format item mentioning 600111, with fields overridden."""
    base = {
        "docid": "comos:test0000001",
        "title": "北方稀土(600111)公告",
        "url": "https://finance.sina.com.cn/stock/s/2026-08-21/doc-itest0000001.shtml",
        "intro": "",
        "ctime": "1787306400",
        "media_name": "新浪财经",
    }
    return {**base, **fields}


RECORDED = payload(ITEMS)


def titles(news: list[Any]) -> list[str]:
    return [entry.title for entry in news]


# -- request ----------------------------------------------------------------------------------


def test_roll_params_ask_for_the_finance_channel_and_clamp_the_page_size() -> None:
    assert build_roll_params() == {
        "pageid": "153", "lid": "2516", "k": "", "num": "50", "page": "1"
    }
    assert build_roll_params(num=500)["num"] == "50"
    assert build_roll_params(num=0, page=0) == {**build_roll_params(), "num": "1"}


# -- filtering --------------------------------------------------------------------------------


def test_research_sample_keeps_the_item_naming_the_stock() -> None:
    news = parse_roll(RESEARCH_SAMPLE, [CNRE], NAMES, (), FETCHED)

    assert [entry.id for entry in news] == ["sina-roll:comos:nfxqkva1234567"]
    (only,) = news
    assert only.title == "北方稀土上调三季度稀土精矿交易价格"
    assert only.source == "新浪财经"
    assert only.kind is NewsKind.NEWS
    assert only.symbols == ("600111.SS",)
    assert only.url == "https://finance.sina.com.cn/stock/s/2026-08-21/doc-inhfxqkva1234567.shtml"
    assert only.summary == "北方稀土8月21日晚间公告，调整2026年第三季度稀土精矿交易价格。"


def test_filtering_by_code_alone_finds_code_mentions_in_title_and_intro() -> None:
    news = parse_roll(RECORDED, [CNRE], {}, (), FETCHED)

    assert titles(news) == [
        "有色金属板块午后走强",  # intro: 北方稀土(sh600111)
        "[bold red]600111[/bold red] 盘中快速拉升 [red]涨超5%[/red]",
    ]
    assert all(entry.symbols == ("600111.SS",) for entry in news)


def test_filtering_by_name_adds_name_mentions_including_the_keywords_tag() -> None:
    news = parse_roll(RECORDED, [CNRE], NAMES, (), FETCHED)

    assert titles(news) == [
        "北方稀土上调三季度稀土精矿交易价格",
        "三季度精矿关联交易定价落地",  # named only in Sina's keywords tag
        "有色金属板块午后走强",
        "[bold red]600111[/bold red] 盘中快速拉升 [red]涨超5%[/red]",
    ]


def test_theme_keyword_keeps_sector_news_without_claiming_a_symbol() -> None:
    news = parse_roll(RECORDED, [CNRE], NAMES, ("稀土",), FETCHED)

    by_title = {entry.title: entry for entry in news}
    assert len(news) == 5
    assert by_title["稀土永磁板块午后拉升 多只稀土ETF涨超1%"].symbols == ()
    assert by_title["北方稀土上调三季度稀土精矿交易价格"].symbols == ("600111.SS",)


def test_nothing_watched_keeps_nothing() -> None:
    assert parse_roll(RECORDED, [], {}, (), FETCHED) == []
    assert parse_roll(RECORDED, [], {}, ("", "  "), FETCHED) == []


def test_unrelated_symbols_and_keywords_do_not_match() -> None:
    assert parse_roll(RECORDED, [ETF], {"159713.SZ": "稀土ETF易方达"}, ("钨",), FETCHED) == []


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("北方稀土(600111)涨停", True),
        ("sh600111 放量", True),
        ("600111.SH 公告", True),
        ("代码1600111不是它", False),
        ("6001112 也不是", False),
        ("北方稀土 涨停", True),
        ("北方 稀土", False),
    ],
)
def test_codes_match_as_whole_tokens_and_names_as_substrings(text: str, matched: bool) -> None:
    assert mentioned_symbols(text, [CNRE], NAMES) == (("600111.SS",) if matched else ())


def test_a_headline_naming_two_watched_symbols_lists_both_once() -> None:
    news = parse_roll(
        payload([item(title="北方稀土与159713同步走强 600111领涨")]),
        [CNRE, ETF], NAMES, (), FETCHED,
    )
    assert news[0].symbols == ("600111.SS", "159713.SZ")


# -- identity, time, text ---------------------------------------------------------------------


def test_ids_are_stable_across_parses_and_fetch_times() -> None:
    first = parse_roll(RECORDED, [CNRE], NAMES, ("稀土",), FETCHED)
    second = parse_roll(RECORDED, [CNRE], NAMES, ("稀土",), FETCHED + timedelta(minutes=5))

    assert [entry.id for entry in first] == [entry.id for entry in second]
    assert len({entry.id for entry in first}) == len(first)
    assert all(entry.id.startswith("sina-roll:comos:") for entry in first)


def test_items_without_docid_get_a_stable_id_from_url_or_title_and_time() -> None:
    no_docid = item(docid="")
    no_url = item(docid="", url="", wapurl="")
    other_url = item(docid="", url="https://finance.sina.com.cn/other.shtml")
    ids = [parse_roll(payload([raw]), [CNRE], {}, (), FETCHED)[0].id
           for raw in (no_docid, no_url, other_url, no_docid)]

    assert ids[0] == ids[3]
    assert len(set(ids[:3])) == 3
    assert all(value.startswith("sina-roll:") and len(value) > len("sina-roll:") for value in ids)


def test_published_is_shanghai_time_from_unix_seconds() -> None:
    news = parse_roll(RESEARCH_SAMPLE, [CNRE], NAMES, (), FETCHED)

    assert news[0].published == datetime(2026, 8, 21, 18, 0, tzinfo=SHANGHAI)
    assert news[0].published == datetime(2026, 8, 21, 10, 0, tzinfo=UTC)
    assert news[0].published.utcoffset() == timedelta(hours=8)


def test_newest_first_and_duplicates_collapse() -> None:
    news = parse_roll(
        payload([item(docid="a", ctime="1787290000"), item(docid="b"), item(docid="a")]),
        [CNRE], {}, (), FETCHED,
    )
    assert [entry.id for entry in news] == ["sina-roll:b", "sina-roll:a"]


def test_escape_sequences_are_stripped_and_markup_brackets_kept_literally() -> None:
    news = parse_roll(RECORDED, [CNRE], {}, (), FETCHED)
    hostile = next(entry for entry in news if "盘中快速拉升" in entry.title)

    assert "\x1b" not in hostile.title
    assert hostile.title == "[bold red]600111[/bold red] 盘中快速拉升 [red]涨超5%[/red]"
    assert hostile.summary == "盘中异动提示。"  # an OSC 8 hyperlink escape removed


def test_source_names_the_originating_outlet_and_empty_intro_is_none() -> None:
    news = parse_roll(
        payload([item(media_name="证券时报网", intro="", summary="")]), [CNRE], {}, (), FETCHED
    )
    assert news[0].source == "新浪财经/证券时报网"
    assert news[0].summary is None


def test_non_web_urls_are_dropped_and_the_mobile_url_is_a_fallback() -> None:
    hostile = parse_roll(payload([item(url="javascript:alert(1)", wapurl="")]),
                         [CNRE], {}, (), FETCHED)
    mobile = parse_roll(payload([item(url="", wapurl="https://finance.sina.cn/x.d.html")]),
                        [CNRE], {}, (), FETCHED)
    assert hostile[0].url is None
    assert mobile[0].url == "https://finance.sina.cn/x.d.html"


def test_broken_items_are_skipped_and_the_rest_kept() -> None:
    raw = [
        item(docid="ok"),
        item(docid="no-title", title="", stitle=""),
        item(docid="bad-time", ctime="yesterday"),
        item(docid="no-time", ctime=None),
        item(docid="zero-time", ctime="0"),
        item(docid="millis", ctime="1787306400000"),
        item(docid="future", ctime=str(int((FETCHED + timedelta(days=3)).timestamp()))),
        "not an object",
        item(docid="mtime-only", ctime="", mtime="1787306000"),
    ]
    news = parse_roll(payload(raw), [CNRE], {}, (), FETCHED)  # type: ignore[arg-type]

    assert sorted(entry.id for entry in news) == [
        "sina-roll:future", "sina-roll:mtime-only", "sina-roll:ok"]
    future = next(entry for entry in news if entry.id == "sina-roll:future")
    assert future.clamped and future.published == FETCHED  # clamped to the fetch, flagged
    assert not any(entry.clamped for entry in news if entry.id != "sina-roll:future")


# -- bad payloads -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html>Kinsoku jikou desu!</html>",
        RECORDED[: len(RECORDED) // 2],
        b"[]",
        b'{"result": null}',
        b'{"result": {"status": {"code": 0}, "data": {}}}',
        json.dumps(envelope(ITEMS), ensure_ascii=False).encode("gbk"),
    ],
    ids=["empty", "html", "truncated", "list", "no-result", "data-not-list", "gbk"],
)
def test_malformed_payloads_raise_bad_payload(body: bytes) -> None:
    with pytest.raises(BadPayload):
        parse_roll(body, [CNRE], NAMES, (), FETCHED)


def test_non_zero_status_raises_with_the_upstream_message() -> None:
    with pytest.raises(BadPayload, match="参数错误"):
        parse_roll(payload([], code=1, msg="参数错误"), [CNRE], NAMES, (), FETCHED)


# -- the provider over real HTTP ---------------------------------------------------------------


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as shared:
        yield shared


def provider_for(
    upstream: FakeUpstream, client: httpx.AsyncClient, timeout: float = 1.0, **extra: Any
) -> SinaRollProvider:
    options = SinaRollOptions(base_url=upstream.base_url, timeout=timeout, **extra)
    return SinaRollProvider(client, options, clock=FrozenClock(FETCHED))


async def test_fetch_news_filters_the_roll_and_sends_sina_headers(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    provider = provider_for(fake_upstream, client)

    news = await provider.fetch_news([CNRE], NAMES)

    assert len(news) == 4
    assert all(entry.symbols == ("600111.SS",) for entry in news)
    (request,) = fake_upstream.requests_to("sina-roll")
    assert request.param("pageid") == "153"
    assert request.param("lid") == "2516"
    assert request.param("num") == "50"
    assert request.headers["referer"] == "https://finance.sina.com.cn/"
    assert "Mozilla" in request.headers["user-agent"]


async def test_keywords_come_from_provider_options(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    provider = provider_for(fake_upstream, client, keywords=["稀土"])
    assert len(await provider.fetch_news([CNRE], NAMES)) == 5

    single = provider_for(fake_upstream, client, keywords="稀土")
    theme_only = await single.fetch_news([], {})
    assert len(theme_only) == 4  # the 600111 flash without 稀土 is not kept
    assert all(entry.symbols == () for entry in theme_only)


async def test_nothing_to_watch_sends_no_request(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    assert await provider_for(fake_upstream, client).fetch_news([], {}) == []
    assert fake_upstream.count("sina-roll") == 0


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(kind="status", status=500), ProviderUnavailable),
        (Fault(kind="status", status=403, body=b"Kinsoku jikou desu!"), AuthError),
        (Fault(kind="reset"), ProviderUnavailable),
        (Fault(kind="empty"), BadPayload),
        (Fault(kind="truncated"), BadPayload),
        (Fault(kind="garbage"), BadPayload),
        (Fault(kind="wrong-encoding"), BadPayload),
    ],
    ids=["500", "403", "reset", "empty", "truncated", "garbage", "wrong-encoding"],
)
async def test_upstream_faults_map_to_provider_errors(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient, fault: Fault, error: type
) -> None:
    fake_upstream.set_fault("sina-roll", fault)
    with pytest.raises(error) as raised:
        await provider_for(fake_upstream, client).fetch_news([CNRE], NAMES)
    assert raised.value.provider == "sina-roll"


async def test_429_is_rate_limited_with_retry_after(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake_upstream.set_fault("sina-roll", Fault(kind="status", status=429, retry_after="30"))
    with pytest.raises(RateLimited) as raised:
        await provider_for(fake_upstream, client).fetch_news([CNRE], NAMES)
    assert raised.value.retry_after == 30.0


async def test_slow_upstream_times_out_as_unavailable(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake_upstream.set_fault("sina-roll", Fault(kind="slow", delay=10.0))
    with pytest.raises(ProviderUnavailable, match="timed out"):
        await provider_for(fake_upstream, client, timeout=0.2).fetch_news([CNRE], NAMES)


async def test_upstream_error_status_in_the_envelope_is_bad_payload(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake_upstream.scenario.set("sina_roll_status", (-1, "lid error"))
    with pytest.raises(BadPayload, match="lid error"):
        await provider_for(fake_upstream, client).fetch_news([CNRE], NAMES)


async def test_missing_fields_degrade_item_by_item(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake_upstream.set_fault("sina-roll", Fault(kind="missing-fields"))

    news = await provider_for(fake_upstream, client).fetch_news([CNRE], NAMES)

    by_title = {entry.title: entry for entry in news}
    assert sorted(by_title) == sorted([
        "北方稀土上调三季度稀土精矿交易价格",  # intro gone: summary None
        "有色金属板块午后走强",  # docid gone: id from the URL
        "[bold red]600111[/bold red] 盘中快速拉升 [red]涨超5%[/red]",  # no docid, no URL
    ])
    assert by_title["北方稀土上调三季度稀土精矿交易价格"].summary is None
    assert by_title["[bold red]600111[/bold red] 盘中快速拉升 [red]涨超5%[/red]"].url is None
    assert len({entry.id for entry in news}) == 3
