"""RSS/Atom feeds a user might list in ``[news].feeds``, served at ``/rss/<name>.xml``.

- ``good``: RSS 2.0 (RFC 822 dates, a relative link, HTML in descriptions, Rich markup in a title).
- ``atom``: Atom 1.0 (an HTML-typed title, ``updated`` only on one entry).
- ``broken-item``: RSS 2.0 that is not well-formed (a raw ESC byte in a title) with one item that
  has no title and a date nobody can parse, and one with an unparseable date but a title.
- ``cn-wire``: a Chinese wire repeating a Sina roll story, with entities, a bad pubDate and an
  undated item (see CN_WIRE).
- ``garbage``: not XML at all (a maintenance page with binary junk).
- ``surrogate``: ``good`` with a lone surrogate character reference (``&#xd800;``) in one title.
- ``firehose``: 10,000 well-formed items (a feed that dumps its whole archive).

The ``missing_fields`` variant is a well-formed feed without a channel title whose items lack guid,
link, date or description in turn.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tests.fakeupstream.server import FakeRequest, FakeResponse, Route, Scenario

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"

GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>Rare Earth Wire: Metals &amp; Mining Headlines</title>
<link>https://wire.example/</link>
<description>Metals and mining news</description>
<lastBuildDate>Fri, 21 Aug 2026 18:00:00 GMT</lastBuildDate>
<item>
  <title>China Northern Rare Earth (600111) raises Q3 concentrate price</title>
  <link>https://wire.example/news/cnre-q3-price.html</link>
  <guid isPermaLink="true">https://wire.example/news/cnre-q3-price.html</guid>
  <pubDate>Fri, 21 Aug 2026 10:05:00 GMT</pubDate>
  <description>&lt;p&gt;The Baotou producer &lt;b&gt;北方稀土&lt;/b&gt;
    lifts prices &amp;amp; volumes.&lt;/p&gt;</description>
</item>
<item>
  <title>[bold red]REMX[/bold red] rallies as rare-earth names jump</title>
  <link>/news/remx-rally.html</link>
  <pubDate>Fri, 21 Aug 2026 13:30:00 -0400</pubDate>
  <description>The VanEck Rare Earth and Strategic Metals ETF rose 3%.</description>
</item>
<item>
  <title>Copper slips on demand worries</title>
  <link>https://wire.example/news/copper.html</link>
  <guid isPermaLink="false">wire-2026-0820-003</guid>
  <pubDate>Thu, 20 Aug 2026 22:00:00 +0000</pubDate>
  <description>LME copper fell 0.8%.</description>
</item>
<item>
  <title>Lithium prices hold steady in August</title>
  <link>https://wire.example/news/lithium.html</link>
  <guid isPermaLink="false">wire-2026-0820-002</guid>
  <pubDate>Thu, 20 Aug 2026 08:00:00 +0000</pubDate>
</item>
</channel>
</rss>
""".encode()

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>稀土快讯</title>
  <id>urn:uuid:7d1d3a2e-0000-4000-8000-000000000001</id>
  <updated>2026-08-21T18:00:00+08:00</updated>
  <link href="https://atom.example/"/>
  <entry>
    <title type="html">&lt;b&gt;北方稀土&lt;/b&gt;获北向资金增持</title>
    <id>tag:atom.example,2026-08-21:cnre-northbound</id>
    <link href="https://atom.example/a/cnre-northbound"/>
    <published>2026-08-21T16:00:00+08:00</published>
    <updated>2026-08-21T16:05:00+08:00</updated>
    <summary>北向资金连续三日净买入。</summary>
  </entry>
  <entry>
    <title>Rare-earth magnet exports rise in July</title>
    <id>tag:atom.example,2026-08-20:magnets</id>
    <link href="https://atom.example/a/magnets"/>
    <updated>2026-08-20T09:00:00Z</updated>
    <summary type="html">&lt;p&gt;Exports rose &lt;em&gt;12%&lt;/em&gt;.&lt;/p&gt;</summary>
  </entry>
</feed>
""".encode()

BROKEN_ITEM = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>Desk Alerts</title>
<link>https://alerts.example/</link>
<item>
  <title>Rare earths: morning note</title>
  <link>https://alerts.example/1</link>
  <guid>alerts-1</guid>
  <pubDate>Fri, 21 Aug 2026 01:00:00 GMT</pubDate>
</item>
<item>
  <link>https://alerts.example/2</link>
  <pubDate>sometime last week</pubDate>
  <description>An item with no title at all.</description>
</item>
<item>
  <title>\x1b[31mALERT\x1b[0m 600111 volume spike [blink]now[/blink]</title>
  <link>https://alerts.example/3</link>
  <guid>alerts-3</guid>
  <pubDate>Fri, 21 Aug 2026 02:30:00 GMT</pubDate>
</item>
<item>
  <title>Undated desk chatter</title>
  <link>https://alerts.example/4</link>
  <guid>alerts-4</guid>
  <pubDate>31 Febtember 2026 25:61</pubDate>
</item>
<item>
  <title>Afternoon wrap</title>
  <link>https://alerts.example/5</link>
  <guid>alerts-5</guid>
  <pubDate>Fri, 21 Aug 2026 07:00:00 GMT</pubDate>
</item>
</channel>
</rss>
"""

#: A Chinese-language wire (hand-made, RSS 2.0 as such feeds publish it) that carries the same
#: story as the Sina roll's first item (spaced and with full-width punctuation), a title with
#: entities escaped twice (``&amp;quot;``), a +0000 pubDate that is really China time (so
#: 8 hours in the future), and an undated item.
CN_WIRE = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>稀土快讯</title>
<link>https://cn-wire.example/</link>
<item>
  <title>北方稀土 上调三季度稀土精矿交易价格！</title>
  <link>https://cn-wire.example/a/1001.html</link>
  <guid>cn-wire-1001</guid>
  <pubDate>Fri, 21 Aug 2026 10:02:00 GMT</pubDate>
</item>
<item>
  <title>&amp;quot;稀土&amp;quot;出口管制细则发布 &amp;amp; 即日起实施</title>
  <link>https://cn-wire.example/a/1002.html</link>
  <guid>cn-wire-1002</guid>
  <pubDate>Fri, 21 Aug 2026 09:00:00 GMT</pubDate>
</item>
<item>
  <title>稀土永磁企业夜间公告汇总</title>
  <link>https://cn-wire.example/a/1003.html</link>
  <guid>cn-wire-1003</guid>
  <pubDate>Fri, 21 Aug 2026 19:30:00 +0000</pubDate>
</item>
<item>
  <title>稀土行业协会月度价格指数</title>
  <link>https://cn-wire.example/a/1004.html</link>
  <guid>cn-wire-1004</guid>
</item>
</channel>
</rss>
""".encode()

GARBAGE = b"\x1f\x8b\x08\x00\x00<html><body>Down for maintenance</body></html>\xff\xfe\x00\x17"

#: The GOOD feed with a lone surrogate (``&#xd800;``, never a valid character) in one title.
SURROGATE = GOOD.replace(b"<title>Copper slips on demand worries</title>",
                         b"<title>Copper slips &#xd800; on demand worries</title>")


def many_items(count: int) -> bytes:
    """A well-formed RSS 2.0 feed of ``count`` items, newest first (a firehose feed)."""
    newest = datetime(2026, 8, 21, 10, 0, tzinfo=UTC)
    items = "".join(
        f"<item><title>Wire item {n}</title><link>https://firehose.example/{n}</link>"
        f"<guid>firehose-{n}</guid><pubDate>{format_datetime(newest - timedelta(minutes=n))}"
        f"</pubDate></item>\n"
        for n in range(count)
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>Firehose</title>\n{items}</channel></rss>\n").encode()


FEEDS: dict[str, tuple[bytes, str]] = {
    "surrogate": (SURROGATE, RSS_TYPE),
    "firehose": (many_items(10_000), RSS_TYPE),
    "good": (GOOD, RSS_TYPE),
    "cn-wire": (CN_WIRE, RSS_TYPE),
    "atom": (ATOM, ATOM_TYPE),
    "broken-item": (BROKEN_ITEM, RSS_TYPE),
    "garbage": (GARBAGE, "text/html"),
}

MISSING_FIELDS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<link>https://bare.example/</link>
<item>
  <title>No guid, linked</title>
  <link>https://bare.example/linked</link>
  <pubDate>Fri, 21 Aug 2026 03:00:00 GMT</pubDate>
</item>
<item>
  <title>No guid, no link</title>
  <pubDate>Fri, 21 Aug 2026 02:00:00 GMT</pubDate>
</item>
<item>
  <title>No date</title>
  <guid>bare-3</guid>
</item>
<item>
  <guid>bare-4</guid>
  <pubDate>Fri, 21 Aug 2026 01:00:00 GMT</pubDate>
</item>
</channel>
</rss>
"""


def _feed_name(request: FakeRequest) -> str:
    return request.path.rsplit("/", 1)[-1].removesuffix(".xml")


def feed(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """The named feed, or 404 for a name nobody serves."""
    found = FEEDS.get(_feed_name(request))
    if found is None:
        return FakeResponse(b"no such feed", status=404)
    body, content_type = found
    return FakeResponse(body, content_type=content_type)


def feed_missing_fields(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """Whatever feed was asked for: a well-formed feed whose items lack fields in turn."""
    return FakeResponse(MISSING_FIELDS, content_type=RSS_TYPE)


ROUTES = [
    Route(
        name="rss-feed",
        pattern=r"^/rss/[\w-]+\.xml$",
        handler=feed,
        missing_fields=feed_missing_fields,
    )
]
