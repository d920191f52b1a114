"""Honest states: offline in words, why panes are empty, what a refresh achieved."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.providers.models import DataKind
from neodymium.providers.store import ProviderHealth, Snapshot
from neodymium.tui import status_words as words
from neodymium.tui.app import NeodymiumApp
from neodymium.tui.screens.modals import HealthScreen
from neodymium.tui.widgets.news_pane import NewsPane
from neodymium.tui.widgets.range_gauge import RangeGauge
from neodymium.tui.widgets.status_bar import StatusBar

NOW = datetime(2026, 8, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DNS = "tencent: transport error: ConnectError: [Errno -2] Name or service not known"


@pytest.mark.parametrize(("message", "cause"), [
    (DNS, "DNS lookup failed"),
    ("sina: transport error: ConnectError: [Errno 111] Connection refused", "connection refused"),
    ("sina: transport error: ConnectError: All connection attempts failed", "could not connect"),
    ("yahoo: timed out after 5.0 s", "timed out"),
    ("eastmoney: HTTP 503 Service Unavailable", "server error"),
    ("tencent: rate limited (429), retry after 30 s", "rate limited by the server"),
    ("sina: HTTP 429 Too Many Requests", "rate limited by the server"),
    # What the fake upstream's faults gave (each said "request failed", or worse, below).
    ("tencent: empty answer (Tencent's sign of throttling); sina: empty answer (Sina's sign of "
     "throttling)", "empty answer"),
    ("tencent: HTTP 302 redirect to 'http://example.invalid/x' not followed (another host)",
     "redirected elsewhere"),
    ("eastmoney: answer is not JSON (got '  <html>maintenance</html>')",
     "unexpected reply format"),
    ("tencent: body larger than the 4 MiB limit", "answer too large"),
    ("tencent: HTTP 404 Not Found", "API address not found (HTTP 404)"),
    ("eastmoney: upstream error rc=102", "the source answered with an error"),
    # A cut-off answer whose digits hold 403 and 503 is a format problem, not a refusal.
    ("tencent: not a quote answer (got 'v_sh600111=\"1~北方稀土~600111~50.46~1403~503…')",
     "unexpected reply format"),
    ("tencent: Tencent does not know bj430047", "symbol not found"),
    (None, ""),
])
def test_plain_cause(message: str | None, cause: str) -> None:
    assert words.plain_cause(message) == cause


def test_a_message_without_telling_words_is_named_by_its_kind() -> None:
    message = "yahoo: 600111.SS: no regularMarketTime"
    assert words.plain_cause(message) == "request failed"
    assert words.plain_cause(message, "bad-payload") == "unexpected reply format"
    assert words.plain_cause("eastmoney: connection closed by the server: x",
                             "unavailable") == "connection failed"  # the words come first


def _health(name: str, kinds: tuple[str, ...], until: datetime | None,
            success: datetime | None = None) -> ProviderHealth:
    return ProviderHealth(name=name, state="backoff" if kinds else "ok", last_error=DNS,
                          last_error_at=NOW, backoff_until=until, failing_kinds=kinds,
                          last_success=success)


def _snapshot(*health: ProviderHealth, loaded: frozenset[DataKind] = frozenset()) -> Snapshot:
    return Snapshot(NOW, MappingProxyType({}), MappingProxyType({}), (),
                    MappingProxyType({h.name: h for h in health}), MappingProxyType({}),
                    loaded, MappingProxyType({}))


SETTINGS = Settings.model_validate({"quotes": {"providers": ["tencent", "sina"]},
                                    "history": {"providers": ["tencent"]},
                                    "news": {"providers": ["sina-roll"]}})


def test_offline_line_counts_down_to_the_later_of_backoff_and_next_poll() -> None:
    snapshot = _snapshot(_health("tencent", ("quotes",), NOW + timedelta(seconds=28)),
                         _health("sina", ("quotes",), NOW + timedelta(seconds=40)))
    line = words.offline_line(snapshot, SETTINGS, NOW, {})
    assert line == "offline: no source reachable (DNS lookup failed) · retrying in 28 s"
    later = {"quotes": NOW + timedelta(seconds=45)}
    assert words.offline_line(snapshot, SETTINGS, NOW, later).endswith("retrying in 45 s")


def test_one_working_source_is_not_offline() -> None:
    snapshot = _snapshot(_health("tencent", ("quotes",), NOW),
                         _health("sina", (), None, success=NOW))
    assert words.offline_line(snapshot, SETTINGS, NOW, {}) == ""
    assert words.failing(snapshot, SETTINGS, DataKind.QUOTES, strict=True) == []


def test_news_status_says_why_it_is_empty() -> None:
    assert words.news_status(None, SETTINGS, NOW, {}) == "Waiting for the first headlines…"
    failed = _snapshot(_health("sina-roll", ("news",), NOW + timedelta(seconds=9)))
    assert words.news_status(failed, SETTINGS, NOW, {}) == (
        "No news: every news source failed (DNS lookup failed) · retrying in 9 s.")
    empty = _snapshot(loaded=frozenset({DataKind.NEWS}))
    assert "No headlines" in words.news_status(empty, SETTINGS, NOW, {})


def test_refresh_outcome_names_what_failed() -> None:
    snapshot = _snapshot(_health("tencent", ("quotes", "history"), NOW),
                         _health("sina", ("quotes",), NOW),
                         _health("sina-roll", (), None, success=NOW))
    message, complete = words.refresh_outcome(snapshot, SETTINGS)
    assert not complete
    assert message == ("quotes failed (DNS lookup failed); history failed (DNS lookup failed)"
                       " · news refreshed")


def _offline_app() -> NeodymiumApp:
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens, connections are refused
    settings = Settings.model_validate({
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS"], "compare": []},
        "quotes": {"providers": ["tencent", "sina"]}, "history": {"providers": ["tencent"]},
        "news": {"providers": ["sina-roll"]},
        "providers": {name: {"base_url": closed, "timeout": 2, "min_interval": 0}
                      for name in ("tencent", "sina", "sina-roll")},
    })
    return NeodymiumApp(settings, clock=FrozenClock(NOW))


async def _until(app: NeodymiumApp, condition) -> None:
    async def wait() -> None:
        while not condition():
            app.snapshot_seen.clear()
            await app.snapshot_seen.wait()
    await asyncio.wait_for(wait(), 30)


async def test_offline_screen_says_so_in_words() -> None:
    app = _offline_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(app, lambda: app.view is not None and app.view.header.offline
                     and app.view.news_status.startswith("No news"))
        await pilot.pause()
        header = app.query_one(StatusBar).plain()
        assert "offline: no source reachable (could not connect) · retrying" in header
        gauge = app.query_one(RangeGauge).render().plain
        assert "waiting" not in gauge and "offline" in gauge
        news = app.query_one(NewsPane)
        assert news.option_count == 1
        assert "every news source failed (could not connect)" in str(
            news.get_option_at_index(0).prompt)
        await pilot.press("h")
        assert isinstance(app.screen, HealthScreen)
        from neodymium.tui.export_grid import screen_grid

        await pilot.pause()
        text = "\n".join("".join(c.char for c in row) for row in screen_grid(app))
        assert "could not connect" in text and "retry in" in text


async def test_r_reports_the_outcome_of_its_refresh() -> None:
    app = _offline_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(app, lambda: app.view is not None and app.view.header.offline)
        shown: list[tuple[str, str]] = []
        app.notify = lambda message, **kw: shown.append((message, kw.get("severity", "")))  # type: ignore[method-assign]
        await pilot.press("r")
        await app.workers.wait_for_complete()
        assert any("quotes failed (could not connect)" in m and s == "warning"
                   for m, s in shown), shown


def test_an_unserved_reason_in_plain_words() -> None:
    """The quote table's Source cell: one cause when every provider says the same, else each
    provider's; a reason not made of provider parts stays as it is."""
    dns = "transport error: ConnectError: [Errno -3] Temporary failure in name resolution"
    providers = ["tencent", "sina", "yahoo"]
    assert words.unserved_words(f"tencent: {dns}; sina: {dns}", providers) == "DNS lookup failed"
    assert words.unserved_words(
        "tencent: Tencent does not know bj430047; yahoo: HTTP 429 Too Many Requests",
        providers) == "tencent: symbol not found; yahoo: rate limited by the server"
    assert words.unserved_words("relay unreachable: refused", providers) == \
        "relay unreachable: refused"
    assert words.unserved_words("eastmoney: timed out", providers) == "eastmoney: timed out"
