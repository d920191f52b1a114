"""Issue 8, end to end: each case reaches the screen and ``quote --json`` against the fake
upstream (recorded-format payloads, real HTTP on 127.0.0.1) on a frozen clock."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.tui.app import NeodymiumApp
from neodymium.tui.oneshot import run_quote
from neodymium.tui.widgets.quote_panel import QuotePanel
from neodymium.tui.widgets.status_bar import StatusBar
from rich.console import Console

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: The recorded 600111 line is stamped Friday 2026-08-21 15:00:03.
FRIDAY_CLOSE = datetime(2026, 8, 21, 15, 0, 3, tzinfo=SHANGHAI)
#: The STAR/ChiNext captures are stamped Wednesday 2026-06-03 15:50.
CAPTURE_EVENING = datetime(2026, 6, 3, 18, 0, tzinfo=SHANGHAI)


def settings_for(fake_upstream, symbols: list[str], providers: tuple[str, ...] = ("tencent",),
                 ) -> Settings:
    return Settings.model_validate({
        "watch": {"primary": symbols[0], "symbols": symbols, "compare": []},
        "quotes": {"providers": list(providers), "interval": 5},
        "history": {"providers": ["tencent"]}, "news": {"providers": ["sina-roll"]},
        "providers": {name: {"base_url": fake_upstream.base_url, "timeout": 2,
                             "min_interval": 0}
                      for name in ("tencent", "sina", "sina-roll", "eastmoney")},
    })


def quote_json(settings: Settings, symbols: list[str], now: datetime,
               capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code = asyncio.run(run_quote(settings, symbols, as_json=True, timeout=5,
                                 clock=FrozenClock(now)))
    document = json.loads(capsys.readouterr().out)
    document["code"] = code
    return document


def records(document: dict[str, object]) -> dict[str, dict[str, object]]:
    return {r["symbol"]: r for r in document["quotes"]}  # type: ignore[index, union-attr]


async def panel_text(settings: Settings, now: datetime) -> tuple[str, str]:
    """The quote panel and status bar as a user sees them."""
    app = NeodymiumApp(settings, clock=FrozenClock(now))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        panel = app.query_one(QuotePanel)
        console = Console(width=120, record=True, file=io.StringIO())
        for part in panel.query("Static, CellText"):
            console.print(part.content)
        return console.export_text(), app.query_one(StatusBar).plain()


# -- freshness -------------------------------------------------------------------------------


def test_yesterdays_quote_during_the_session_is_stale_with_its_date(
        fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    monday = datetime(2026, 8, 24, 10, 0, tzinfo=SHANGHAI)
    record = records(quote_json(settings_for(fake_upstream, ["600111.SS"]), ["600111.SS"],
                                monday, capsys))["600111.SS"]
    assert record["stale"] is True
    assert record["stale_reason"] == "previous session"
    assert record["as_of"] == "2026-08-21T15:00:03+08:00"
    assert record["age_s"] == pytest.approx((monday - FRIDAY_CLOSE).total_seconds(), abs=0.1)
    assert record["freshness"] == "as of 08-21 15:00 · STALE"
    assert record["received_at"].startswith("2026-08-24T")


async def test_stale_quote_shows_its_date_on_screen(fake_upstream) -> None:
    monday = datetime(2026, 8, 24, 10, 0, tzinfo=SHANGHAI)
    text, header = await panel_text(settings_for(fake_upstream, ["600111.SS"]), monday)
    # The panel says STALE first (a narrow panel cuts the end of the label, never the word),
    # and the stamp; the header says the whole label.
    assert "STALE · 08-21 15:00" in text
    assert "as of 08-21 15:00 · STALE" in header


def test_after_the_close_the_close_is_last_close_not_stale(
        fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    evening = datetime(2026, 8, 21, 20, 0, tzinfo=SHANGHAI)
    record = records(quote_json(settings_for(fake_upstream, ["600111.SS"]), ["600111.SS"],
                                evening, capsys))["600111.SS"]
    assert (record["stale"], record["stale_reason"], record["freshness"]) == (
        False, None, "last close")


def test_a_stamp_that_stopped_moving_in_the_session_is_stale_with_the_silence(
        fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    fake_upstream.scenario.set("time:600111.SS", "20260821100000")
    record = records(quote_json(settings_for(fake_upstream, ["600111.SS"]), ["600111.SS"],
                                datetime(2026, 8, 21, 10, 5, tzinfo=SHANGHAI), capsys))["600111.SS"]
    assert (record["stale"], record["stale_reason"], record["age_s"]) == (
        True, "no update for 300 s", 300.0)
    assert record["freshness"] == "5m00s ago · STALE"


async def test_lunch_break_is_midday_break(fake_upstream) -> None:
    lunch_settings = settings_for(fake_upstream, ["600111.SS"])
    fake_upstream.scenario.set("time:600111.SS", "20260821113000")
    text, _ = await panel_text(lunch_settings, datetime(2026, 8, 21, 12, 0, tzinfo=SHANGHAI))
    assert "midday break 午间休市" in text and "STALE" not in text


# -- trading status --------------------------------------------------------------------------


@pytest.mark.parametrize("provider", ["tencent", "sina"])
def test_suspended_and_delisted_are_not_flat_trading(
        provider: str, fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    symbols = ["605999.SS", "600001.SS", "600111.SS", "609999.SS"]
    document = quote_json(settings_for(fake_upstream, symbols, (provider,)), symbols,
                          FRIDAY_CLOSE.replace(hour=20), capsys)
    found = records(document)
    assert found["605999.SS"]["status"] == "suspended"
    assert (found["605999.SS"]["limit_up"], found["605999.SS"]["limit_down"]) == (None, None)
    assert found["600001.SS"]["status"] == "delisted"
    assert found["600111.SS"]["status"] == "trading"
    assert "609999.SS" in document["errors"] and document["code"] == 0
    # Sina sends a status field (32); Tencent's line has none, so its status is read off it.
    source = "upstream" if provider == "sina" else "inferred"
    assert {found[key]["status_source"] for key in ("605999.SS", "600001.SS")} == {source}


def test_sina_no_record_is_a_symbol_error(fake_upstream,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    symbols = ["600003.SS", "600111.SS"]
    document = quote_json(settings_for(fake_upstream, symbols, ("sina",)), symbols,
                          FRIDAY_CLOSE.replace(hour=20), capsys)
    assert set(records(document)) == {"600111.SS"}
    assert "not listed, or no longer" in document["errors"]["600003.SS"]


async def test_suspended_badge_replaces_change_and_limits(fake_upstream) -> None:
    text, _ = await panel_text(settings_for(fake_upstream, ["605999.SS"]),
                               FRIDAY_CLOSE.replace(hour=20))
    assert "停牌" in text and "+0.00" not in text and "0.00%" not in text
    assert "54.87" not in text  # no limit price for a suspended code


def test_eastmoney_status_field_marks_an_intraday_halt(
        fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    # 605998 traded this morning (open, volume) and was then halted: only f292 (14) says so.
    symbols = ["605998.SS", "605999.SS", "600111.SS"]
    found = records(quote_json(settings_for(fake_upstream, symbols, ("eastmoney",)), symbols,
                               FRIDAY_CLOSE.replace(hour=20), capsys))
    assert found["605998.SS"]["status"] == "suspended"
    assert found["605998.SS"]["volume"] == 12345600  # it did trade: the field, not inference
    assert (found["605998.SS"]["limit_up"], found["605998.SS"]["limit_down"]) == (None, None)
    assert found["605999.SS"]["status"] == "suspended"
    assert found["600111.SS"]["status"] == "trading"  # no f292 in the capture: inferred
    assert [found[key]["status_source"] for key in symbols] == [
        "upstream", "upstream", "inferred"]


def test_eastmoney_says_when_a_status_was_only_inferred(
        fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    """stock/get (and its f292) is fetched for two symbols a cycle to spare Eastmoney's
    throttle; in one pass the others' status is read off ulist's figures, and says so."""
    symbols = ["600111.SS", "159713.SZ", "605998.SS"]
    found = records(quote_json(settings_for(fake_upstream, symbols, ("eastmoney",)), symbols,
                               FRIDAY_CLOSE.replace(hour=20), capsys))
    assert (found["605998.SS"]["status"], found["605998.SS"]["status_source"]) == (
        "trading", "inferred")  # the halt is in f292 only, not fetched this cycle


async def test_eastmoney_halt_shows_the_badge_not_the_change(fake_upstream) -> None:
    # 600111 is watched too: the fakes keep no daily bars for the hand-made halt.
    settings = settings_for(fake_upstream, ["605998.SS", "600111.SS"], ("eastmoney",))
    text, _ = await panel_text(settings, FRIDAY_CLOSE.replace(hour=20))
    assert "停牌" in text
    assert "+0.50" not in text and "+2.50%" not in text  # the morning's change is not shown
    assert "22.00" not in text and "18.00" not in text  # nor the limits Eastmoney sent


# -- units by board --------------------------------------------------------------------------


@pytest.mark.parametrize("provider", ["tencent", "sina"])
def test_star_volume_is_shares_and_amount_exact(
        provider: str, fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    symbols = (["688256.SS", "300308.SZ", "920118.BJ", "510050.SS"] if provider == "tencent"
               else ["688256.SS"])
    found = records(quote_json(settings_for(fake_upstream, symbols, (provider,)), symbols,
                               CAPTURE_EVENING, capsys))
    assert found["688256.SS"]["volume"] == 16_559_805  # shares, not ×100
    assert found["688256.SS"]["amount"] == 22_683_725_029  # exact CNY, not 2,268,373 万
    if provider == "tencent":
        assert found["300308.SZ"]["volume"] == 34_525_100  # 345,251 lots × 100
        assert found["300308.SZ"]["amount"] == 43_881_189_297
        assert found["920118.BJ"]["volume"] == 324_000  # Beijing: lots
        assert found["920118.BJ"]["amount"] == 5_425_465
        assert found["510050.SS"]["volume"] == 585_833_100  # Shanghai ETF: lots


async def test_star_volume_on_screen(fake_upstream) -> None:
    text, _ = await panel_text(settings_for(fake_upstream, ["688256.SS"]), CAPTURE_EVENING)
    assert "16.56万手" in text  # 16,559,805 shares = 165,598 lots


def test_shanghai_b_share_in_usd_with_its_tick_and_lot(
        fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    found = records(quote_json(settings_for(fake_upstream, ["900901.SS"]), ["900901.SS"],
                               FRIDAY_CLOSE.replace(hour=20), capsys))
    record = found["900901.SS"]
    assert (record["currency"], record["volume"], record["amount"]) == ("USD", 679_900, 568_736)
    assert (record["limit_up"], record["limit_down"], record["limit_source"]) == (
        0.915, 0.749, "upstream")


async def test_b_share_volume_in_hands_of_a_thousand_on_screen(fake_upstream) -> None:
    text, _ = await panel_text(settings_for(fake_upstream, ["900901.SS"]),
                               FRIDAY_CLOSE.replace(hour=20))
    assert "679.9手" in text  # 679,900 shares = 679.9 lots of 1000, not 6799 lots of 100
    assert "0.838" in text and "0.915" in text  # three decimals, the upstream's limit


# -- limits ----------------------------------------------------------------------------------


def test_new_listing_has_no_limit_and_computed_limits_are_in_json(
        fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    symbols = ["688795.SS", "688256.SS", "600001.SS"]
    found = records(quote_json(settings_for(fake_upstream, symbols), symbols, CAPTURE_EVENING,
                               capsys))
    listing = found["688795.SS"]
    assert (listing["limit_up"], listing["limit_down"], listing["limit_source"]) == (
        None, None, None)
    assert listing["limit_note"] == "no limit (new listing)"
    star = found["688256.SS"]
    assert (star["limit_up"], star["limit_down"], star["limit_source"]) == (
        1560.0, 1040.0, "upstream")
    for key in ("pe_ttm", "pe_dynamic", "pe_static", "market_cap"):
        assert star[key] is not None
    assert star["pe_dynamic"] == 213.64 and star["pe_static"] == 420.47


def test_limits_computed_when_upstream_sends_none(
        fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    found = records(quote_json(settings_for(fake_upstream, ["600111.SS"], ("sina",)),
                               ["600111.SS"], FRIDAY_CLOSE.replace(hour=20), capsys))
    record = found["600111.SS"]
    assert (record["limit_up"], record["limit_down"], record["limit_source"]) == (
        54.87, 44.89, "computed")


async def test_new_listing_shows_no_limit_badge_not_limit_up(fake_upstream) -> None:
    text, _ = await panel_text(settings_for(fake_upstream, ["688795.SS"]), CAPTURE_EVENING)
    assert "no limit (new listing)" in text and "涨停" not in text


# -- calendar --------------------------------------------------------------------------------


def test_all_stale_quotes_do_not_cancel_a_known_trading_day(
        fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    from neodymium.providers import calendar
    from neodymium.providers.markets import Market

    monday = datetime(2026, 8, 24, 11, 0, tzinfo=SHANGHAI)  # in the calendar's known years
    try:
        record = records(quote_json(settings_for(fake_upstream, ["600111.SS"]), ["600111.SS"],
                                    monday, capsys))["600111.SS"]
        assert record["session"] == "continuous" and record["stale"] is True
        assert calendar.is_session_day(Market.CN, monday.date())
    finally:
        calendar.clear_non_session_marks()


async def test_provisional_calendar_is_said_on_screen(fake_upstream) -> None:
    _, bar = await panel_text(settings_for(fake_upstream, ["600111.SS"]),
                              datetime(2027, 3, 1, 10, 0, tzinfo=SHANGHAI))
    assert "provisional calendar" in bar
    _, known = await panel_text(settings_for(fake_upstream, ["600111.SS"]),
                                datetime(2026, 8, 24, 10, 0, tzinfo=SHANGHAI))
    assert "provisional calendar" not in known


def test_a_configured_closure_closes_a_known_trading_day(
        fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    from neodymium.providers import calendar
    from neodymium.providers.markets import Market

    monday = datetime(2026, 8, 24, 10, 0, tzinfo=SHANGHAI)
    settings = settings_for(fake_upstream, ["600111.SS"]).model_copy(update={
        "calendar": Settings.model_validate(
            {"calendar": {"extra_closures": ["2026-08-24"]}}).calendar})
    try:
        record = records(quote_json(settings, ["600111.SS"], monday, capsys))["600111.SS"]
        assert calendar.session_state(Market.CN, monday).holiday_name == "closed (config)"
    finally:
        calendar.set_overrides(Market.CN)
    assert record["session"] == "holiday"  # a trading day in the table, closed by the config


# -- other markets and currencies ------------------------------------------------------------

LONDON = ZoneInfo("Europe/London")


def yahoo_settings(fake_upstream, symbol: str) -> Settings:
    return Settings.model_validate({
        "watch": {"primary": symbol, "symbols": [symbol], "compare": []},
        "quotes": {"providers": ["yahoo"]}, "history": {"providers": ["yahoo"]},
        "news": {"providers": ["sina-roll"]},
        "providers": {name: {"base_url": fake_upstream.base_url, "timeout": 2,
                             "min_interval": 0} for name in ("yahoo", "sina-roll")},
    })


def test_london_pence_stay_pence_on_london_time(fake_upstream,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    evening = datetime(2026, 8, 21, 18, 0, tzinfo=LONDON)
    record = records(quote_json(yahoo_settings(fake_upstream, "VOD.L"), ["VOD.L"], evening,
                                capsys))["VOD.L"]
    assert record["currency"] == "GBp" and record["last"] == 115.75  # pence, not £115.75
    assert record["as_of"] == "2026-08-21T16:30:00+01:00"  # London's clock, not New York's
    assert record["session"] == "closed" and record["freshness"] == "last close"
    assert record["stale"] is False


async def test_london_symbol_on_screen(fake_upstream) -> None:
    app = NeodymiumApp(yahoo_settings(fake_upstream, "VOD.L"),
                       clock=FrozenClock(datetime(2026, 8, 21, 12, 0, tzinfo=LONDON)))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        header = app.view.header
        assert header.venue == "LSE · GBp"
        assert header.clock == "12:00:00 UTC+1"  # zones by offset, never an abbreviation
        assert header.session.startswith("Trading")  # 12:00 London is in session


# -- news ------------------------------------------------------------------------------------


async def test_news_dedup_entities_future_and_undated(fake_upstream) -> None:
    from neodymium.tui.widgets.news_pane import NewsPane

    settings = Settings.model_validate({
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS"], "compare": []},
        "quotes": {"providers": ["tencent"]}, "history": {"providers": ["tencent"]},
        "news": {"providers": ["sina-roll", "rss"],
                 "feeds": [f"{fake_upstream.base_url}/rss/cn-wire.xml"]},
        "providers": {name: {"base_url": fake_upstream.base_url, "timeout": 2,
                             "min_interval": 0} for name in ("tencent", "sina-roll")},
    })
    app = NeodymiumApp(settings, clock=FrozenClock(datetime(2026, 8, 21, 20, 0,
                                                            tzinfo=SHANGHAI)))
    async with app.run_test(size=(160, 50)) as pilot:
        await app.data_ready.wait()
        for _ in range(50):
            if any("cn-wire" in line.id for line in app.view.news):
                break
            await pilot.pause(0.05)
        lines = app.view.news
        pane = app.query_one(NewsPane)
        shown = [pane.get_option_at_index(i).prompt.plain  # type: ignore[union-attr]
                 for i in range(pane.option_count)]
    titles = [line.title for line in lines]
    story = [line for line in lines if "精矿交易价格" in line.title]
    assert len(story) == 1  # Sina roll and the wire: one headline, both sources
    assert "新浪财经" in story[0].source and "稀土快讯" in story[0].source
    assert '"稀土"出口管制细则发布 & 即日起实施' in titles  # entities decoded, even twice-escaped
    clamped = next(line for line in lines if line.title == "稀土永磁企业夜间公告汇总")
    assert clamped.time == "08-21 20:00" and clamped.flag == "?"  # fetch time, flagged
    undated = lines[-1]
    assert undated.title == "稀土行业协会月度价格指数" and undated.time == "—"
    assert "—" in shown[-1] and "稀土行业协会月度价格指数" in shown[-1]
    assert any("08-21 20:00?" in row and "夜间公告汇总" in row for row in shown)


async def test_suspended_row_in_the_comparison_table_says_so(fake_upstream) -> None:
    settings = settings_for(fake_upstream, ["600111.SS"])
    settings = settings.model_copy(update={"watch": settings.watch.model_copy(
        update={"compare": ["605999.SS"]})})
    app = NeodymiumApp(settings, clock=FrozenClock(FRIDAY_CLOSE.replace(hour=20)))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        rows = {row.symbol: row for row in app.view.comparison}
    assert rows["605999.SS"].day_pct == "停牌"
    assert rows["600111.SS"].day_pct == "+1.16%"
