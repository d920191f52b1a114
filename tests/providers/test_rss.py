"""RSS/Atom: the pure feed parser on recorded-format feeds, then the provider over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from neodymium.providers import rss
from neodymium.providers.clock import FrozenClock
from neodymium.providers.errors import (
    BadPayload,
    PermanentError,
    ProviderUnavailable,
    RateLimited,
)
from neodymium.providers.models import NewsKind
from neodymium.providers.rss import RssOptions, RssProvider, parse_feed
from neodymium.providers.symbols import parse_symbol
from pydantic import ValidationError

from tests.fakeupstream import FakeUpstream, Fault
from tests.fakeupstream.routes_rss import ATOM, BROKEN_ITEM, GARBAGE, GOOD, MISSING_FIELDS

CNRE = parse_symbol("600111.SS")
REMX = parse_symbol("REMX")
SYMBOLS = [CNRE, REMX]
NAMES = {"600111.SS": "北方稀土"}
FETCHED = datetime(2026, 8, 21, 22, 0, tzinfo=UTC)  # after every dated item
FEED_URL = "https://feeds.example/rss/good.xml"


def parse(content: bytes, fetched_at: datetime = FETCHED, url: str = FEED_URL) -> list[Any]:
    return parse_feed(content, url, SYMBOLS, NAMES, fetched_at)


# -- RSS 2.0 ----------------------------------------------------------------------------------


def test_rss2_items_come_out_newest_first_in_utc() -> None:
    news = parse(GOOD)

    assert [entry.title for entry in news] == [
        "[bold red]REMX[/bold red] rallies as rare-earth names jump",
        "China Northern Rare Earth (600111) raises Q3 concentrate price",
        "Copper slips on demand worries",
        "Lithium prices hold steady in August",
    ]
    assert news[0].published == datetime(2026, 8, 21, 17, 30, tzinfo=UTC)  # 13:30 -0400
    assert all(entry.published.utcoffset() == timedelta(0) for entry in news)
    assert all(entry.kind is NewsKind.NEWS for entry in news)


def test_rss2_ids_prefer_guid_then_link() -> None:
    assert [entry.id for entry in parse(GOOD)] == [
        "rss:https://feeds.example/news/remx-rally.html",
        "rss:https://wire.example/news/cnre-q3-price.html",
        "rss:wire-2026-0820-003",
        "rss:wire-2026-0820-002",
    ]


def test_ids_are_stable_across_parses_and_fetch_times() -> None:
    for feed in (GOOD, ATOM, BROKEN_ITEM, MISSING_FIELDS):
        first = [entry.id for entry in parse(feed)]
        again = [entry.id for entry in parse(feed, FETCHED + timedelta(hours=1))]
        assert sorted(first) == sorted(again)
        assert len(set(first)) == len(first)


def test_relative_links_resolve_against_the_feed_url() -> None:
    remx = parse(GOOD)[0]
    assert remx.url == "https://feeds.example/news/remx-rally.html"


def test_symbols_are_the_watched_codes_and_names_mentioned() -> None:
    by_title = {entry.title: entry.symbols for entry in parse(GOOD)}

    assert by_title["China Northern Rare Earth (600111) raises Q3 concentrate price"] == (
        "600111.SS",
    )
    assert by_title["[bold red]REMX[/bold red] rallies as rare-earth names jump"] == ("REMX",)
    assert by_title["Copper slips on demand worries"] == ()  # a general headline, still shown


def test_html_descriptions_become_plain_text_and_the_source_is_the_short_feed_title() -> None:
    cnre = parse(GOOD)[1]

    assert cnre.summary == "The Baotou producer 北方稀土 lifts prices & volumes."
    assert cnre.source == "Rare Earth Wire: Metals & Minin…"
    assert len(cnre.source) == 32
    assert parse(GOOD)[3].summary is None


# -- Atom -------------------------------------------------------------------------------------


def test_atom_entries_use_published_then_updated_and_strip_html_titles() -> None:
    news = parse(ATOM)

    assert [(entry.id, entry.title, entry.published) for entry in news] == [
        ("rss:tag:atom.example,2026-08-21:cnre-northbound", "北方稀土获北向资金增持",
         datetime(2026, 8, 21, 8, 0, tzinfo=UTC)),
        ("rss:tag:atom.example,2026-08-20:magnets", "Rare-earth magnet exports rise in July",
         datetime(2026, 8, 20, 9, 0, tzinfo=UTC)),
    ]
    assert news[0].symbols == ("600111.SS",)
    assert news[0].source == "稀土快讯"
    assert news[1].summary == "Exports rose 12%."


# -- broken feeds -----------------------------------------------------------------------------


def test_a_broken_item_is_skipped_and_the_others_survive_malformed_xml() -> None:
    news = parse(BROKEN_ITEM)

    assert sorted(entry.id for entry in news) == [
        "rss:alerts-1", "rss:alerts-3", "rss:alerts-4", "rss:alerts-5"
    ]
    assert all(entry.title for entry in news)


def test_escape_sequences_are_stripped_and_markup_brackets_kept_literally() -> None:
    alert = next(entry for entry in parse(BROKEN_ITEM) if entry.id == "rss:alerts-3")

    assert alert.title == "ALERT 600111 volume spike [blink]now[/blink]"
    assert alert.symbols == ("600111.SS",)
    assert "[bold red]REMX[/bold red]" in parse(GOOD)[0].title


def test_undated_items_are_stamped_with_the_fetch_time() -> None:
    undated = next(entry for entry in parse(BROKEN_ITEM) if entry.id == "rss:alerts-4")
    assert undated.published == FETCHED


def test_items_dated_in_the_future_are_clamped_to_the_fetch_and_flagged() -> None:
    early = datetime(2026, 8, 21, 12, 0, tzinfo=UTC)  # before some of the feed's dates
    late = {entry.id: entry for entry in parse(GOOD)}
    news = parse(GOOD, early)
    assert {entry.id for entry in news} == set(late)  # clamped, not dropped
    for entry in news:
        future = late[entry.id].published > early + timedelta(minutes=10)
        assert entry.clamped is future
        assert entry.published == (early if future else late[entry.id].published)
    assert any(entry.clamped for entry in news) and not all(entry.clamped for entry in news)


def test_missing_fields_fall_back_for_ids_links_dates_and_source() -> None:
    news = {entry.title: entry for entry in parse(MISSING_FIELDS, url="http://h:1/rss/x.xml")}

    assert sorted(news) == ["No date", "No guid, linked", "No guid, no link"]
    assert news["No guid, linked"].id == "rss:https://bare.example/linked"
    assert news["No guid, no link"].id.startswith("rss:")
    assert news["No guid, no link"].url is None
    assert news["No date"].id == "rss:bare-3"
    assert news["No date"].url is None  # a guid that is no URL is not a link
    assert news["No date"].published == FETCHED
    assert not news["No date"].dated and news["No guid, linked"].dated
    assert {entry.source for entry in news.values()} == {"h"}


def test_a_well_formed_feed_without_items_is_empty_not_an_error() -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    assert parse(empty) == []


@pytest.mark.parametrize(
    "body",
    [GARBAGE, b"", b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", b'{"a": 1}'],
    ids=["garbage", "empty", "html", "json"],
)
def test_bodies_that_are_no_feed_raise_bad_payload(body: bytes) -> None:
    with pytest.raises(BadPayload, match="is not a feed"):
        parse(body)


def test_a_body_that_looks_like_a_path_is_never_opened_as_a_file(tmp_path: Path) -> None:
    local = tmp_path / "secret.xml"
    local.write_bytes(GOOD)
    with pytest.raises(BadPayload):
        parse(str(local).encode())


# -- the provider over real HTTP ---------------------------------------------------------------


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as shared:
        yield shared


def provider_for(client: httpx.AsyncClient, *feeds: str, timeout: float = 1.0) -> RssProvider:
    options = RssOptions(feeds=feeds, timeout=timeout, min_interval=0.0)
    return RssProvider(client, options, clock=FrozenClock(FETCHED))


def feed_urls(upstream: FakeUpstream, *names: str) -> list[str]:
    return [f"{upstream.base_url}/rss/{name}.xml" for name in names]


async def test_fetch_news_merges_every_feed_newest_first(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    good, atom = feed_urls(fake_upstream, "good", "atom")
    provider = provider_for(client, good, atom)

    news = await provider.fetch_news(SYMBOLS, NAMES)

    assert len(news) == 6
    assert [entry.published for entry in news] == sorted(
        (entry.published for entry in news), reverse=True
    )
    assert {entry.source for entry in news} == {"Rare Earth Wire: Metals & Minin…", "稀土快讯"}
    assert news[0].url == f"{fake_upstream.base_url}/news/remx-rally.html"
    assert fake_upstream.count("rss-feed") == 2
    assert provider.feed_errors == {}
    assert all("Mozilla" in request.headers["user-agent"]
               for request in fake_upstream.requests_to("rss-feed"))


async def test_a_garbage_feed_does_not_hide_a_good_one(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    garbage, good = feed_urls(fake_upstream, "garbage", "good")
    provider = provider_for(client, garbage, good)

    news = await provider.fetch_news(SYMBOLS, NAMES)

    assert len(news) == 4
    assert list(provider.feed_errors) == [garbage]
    assert isinstance(provider.feed_errors[garbage], BadPayload)


async def test_when_every_feed_fails_the_first_feeds_error_is_raised(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    garbage, missing = feed_urls(fake_upstream, "garbage", "no-such-feed")

    with pytest.raises(BadPayload):
        await provider_for(client, garbage, missing).fetch_news(SYMBOLS, NAMES)
    with pytest.raises(PermanentError):  # HTTP 404: backs off like any failure
        await provider_for(client, missing, garbage).fetch_news(SYMBOLS, NAMES)


async def test_no_feeds_configured_is_no_news_and_no_request(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    assert await provider_for(client).fetch_news(SYMBOLS, NAMES) == []
    assert fake_upstream.count("rss-feed") == 0


async def test_500_on_every_feed_is_unavailable(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake_upstream.set_fault("rss-feed", Fault(kind="status", status=500))
    with pytest.raises(ProviderUnavailable):
        await provider_for(client, *feed_urls(fake_upstream, "good", "atom")).fetch_news(
            SYMBOLS, NAMES
        )


async def test_429_is_rate_limited_with_retry_after(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake_upstream.set_fault("rss-feed", Fault(kind="status", status=429, retry_after="120"))
    with pytest.raises(RateLimited) as raised:
        await provider_for(client, *feed_urls(fake_upstream, "good")).fetch_news(SYMBOLS, NAMES)
    assert raised.value.retry_after == 120.0


async def test_one_failing_request_spares_the_other_feed(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake_upstream.set_fault("rss-feed", Fault(kind="status", status=503, times=1))

    good, atom = feed_urls(fake_upstream, "good", "atom")
    provider = provider_for(client, good, atom)

    news = await provider.fetch_news(SYMBOLS, NAMES)

    (failed,) = provider.feed_errors  # whichever request reached the server first got the 503
    assert isinstance(provider.feed_errors[failed], ProviderUnavailable)
    assert len(news) == (4 if failed == atom else 2)


async def test_slow_feed_times_out_as_unavailable(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake_upstream.set_fault("rss-feed", Fault(kind="slow", delay=10.0))
    provider = provider_for(client, *feed_urls(fake_upstream, "good"), timeout=0.2)
    with pytest.raises(ProviderUnavailable, match="timed out"):
        await provider.fetch_news(SYMBOLS, NAMES)


async def test_empty_body_is_bad_payload(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake_upstream.set_fault("rss-feed", Fault(kind="empty"))
    with pytest.raises(BadPayload):
        await provider_for(client, *feed_urls(fake_upstream, "good")).fetch_news(SYMBOLS, NAMES)


async def test_truncated_feed_yields_the_items_before_the_cut(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake_upstream.set_fault("rss-feed", Fault(kind="truncated"))

    news = await provider_for(client, *feed_urls(fake_upstream, "good")).fetch_news(
        SYMBOLS, NAMES
    )

    assert [entry.id for entry in news] == ["rss:https://wire.example/news/cnre-q3-price.html"]


async def test_truncated_garbage_is_still_bad_payload(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake_upstream.set_fault("rss-feed", Fault(kind="truncated"))
    with pytest.raises(BadPayload):
        await provider_for(client, *feed_urls(fake_upstream, "garbage")).fetch_news(
            SYMBOLS, NAMES
        )


async def test_missing_fields_variant_degrades_item_by_item(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    fake_upstream.set_fault("rss-feed", Fault(kind="missing-fields"))

    news = await provider_for(client, *feed_urls(fake_upstream, "good")).fetch_news(
        SYMBOLS, NAMES
    )

    assert sorted(entry.title for entry in news) == [
        "No date", "No guid, linked", "No guid, no link"
    ]
    assert {entry.source for entry in news} == {"127.0.0.1"}


async def test_only_http_urls_are_read_never_files(
    tmp_path: Path, client: httpx.AsyncClient
) -> None:
    local = tmp_path / "wire.xml"
    local.write_bytes(ATOM)
    for url in (local.as_uri(), "file:///dev/zero", "ftp://wire.example/feed.xml"):
        with pytest.raises(ValidationError, match="not an http"):  # a config error
            provider_for(client, url)
        unchecked = RssOptions.model_construct(feeds=(url,), timeout=1.0, min_interval=0.0)
        with pytest.raises(PermanentError, match="not an http"):  # and never read anyway
            await RssProvider(client, unchecked).fetch_news(SYMBOLS, NAMES)


async def test_a_lone_surrogate_costs_one_character_not_the_feed(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient
) -> None:
    (url,) = feed_urls(fake_upstream, "surrogate")
    news = await provider_for(client, url).fetch_news(SYMBOLS, NAMES)
    titles = [item.title for item in news]
    assert len(titles) == 4
    assert "Copper slips \ufffd on demand worries" in titles
    assert all(title.encode("utf-8") for title in titles)  # nothing a terminal cannot take


async def test_a_10000_item_feed_is_parsed_no_further_than_the_items_kept(
    fake_upstream: FakeUpstream, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    (url,) = feed_urls(fake_upstream, "firehose")
    seen: list[int] = []
    real_parse = rss.feedparser.parse

    def counting(stream, *args, **kwargs):
        document = real_parse(stream, *args, **kwargs)
        seen.append(len(document.entries))
        return document

    monkeypatch.setattr(rss.feedparser, "parse", counting)
    news = await provider_for(client, url).fetch_news(SYMBOLS, NAMES)
    assert len(news) == rss.MAX_ITEMS_PER_FEED
    assert seen == [rss.MAX_ITEMS_PER_FEED]  # feedparser never saw the other 9,700
    assert news[0].title == "Wire item 0"


def test_first_items_closes_an_atom_document_too() -> None:
    cut = rss.first_items(ATOM, 1)
    assert cut.endswith(b"</feed>") and cut.count(b"<entry>") == 1
