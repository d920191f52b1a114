"""The minute line (分时): the lunch-compressed axis, Tencent's minute query and Eastmoney's
trends2 on recorded-format payloads (tests/fakeupstream/routes_minutes.py says where from), the
source chain, and the demo's line."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import httpx
import pytest
from neodymium.config.settings import Settings
from neodymium.providers.demo import DemoProvider
from neodymium.providers.eastmoney_trends import fetch_trends, parse_trends
from neodymium.providers.errors import BadPayload, SymbolNotFound
from neodymium.providers.intraday import minute_x, per_minute
from neodymium.providers.intraday_source import fetch_intraday
from neodymium.providers.symbols import parse_symbol
from neodymium.providers.tencent_minute import fetch_minutes, parse_minutes
from neodymium.tui.intraday_view import build_intraday, zero_line_range

from tests.fakeupstream import FakeUpstream, Fault

SHANGHAI = ZoneInfo("Asia/Shanghai")
NORTHERN = parse_symbol("600111.SS")
#: The Swift test payload in the code corpus (id 70370113191), a 600519 day with a stray row
#: and an impossible time, trimmed.
TENCENT_600519 = (
    '{"code":0,"msg":"","data":{"sh600519":{"data":{"data":["0930 1236.00 349 43136400.00",'
    '"0931 1234.06 1635 201743930.45","1130 1238.10 9000 1111.00","1300 1239.00 9100 2222.00",'
    '"1500 1239.58 22537 2783140281.00","bad row","2561 1.0 1 1"],"date":"20260928"},'
    '"qt":{"sh600519":["1","贵州茅台","600519","1239.58","1271.00"]}}}}'
)


@pytest.mark.parametrize(("clock", "x"), [
    (time(9, 30), 0), (time(10, 30), 60), (time(11, 30), 120), (time(13, 0), 120),
    (time(13, 1), 121), (time(15, 0), 240), (time(12, 0), None), (time(9, 25), None),
    (time(15, 1), None),
])
def test_lunch_break_takes_no_room(clock: time, x: int | None) -> None:
    assert minute_x(clock) == x


def test_per_minute_volumes_from_running_totals() -> None:
    assert per_minute([100.0, 250.0, None, 250.0, 240.0]) == [100.0, 150.0, None, 0.0, None]


def test_tencent_minute_rows_in_shares_with_average_and_prev_close() -> None:
    line = parse_minutes(TENCENT_600519.encode(), "sh600519")
    assert line.symbol == "600519.SS" and line.day == date(2026, 9, 28)
    assert line.prev_close == 1271.00
    assert [bar.at.time() for bar in line.bars] == [
        time(9, 30), time(9, 31), time(11, 30), time(13, 0), time(15, 0)]  # bad rows dropped
    assert [bar.volume for bar in line.bars][:2] == [34_900, (1635 - 349) * 100]
    assert line.bars[0].avg_price == pytest.approx(43136400.00 / 34_900)
    assert line.bars[0].at.tzinfo == SHANGHAI
    with pytest.raises(SymbolNotFound):
        parse_minutes(TENCENT_600519.encode(), "sh600111")
    with pytest.raises(BadPayload):
        parse_minutes(b"<html>busy</html>", "sh600519")


def test_eastmoney_trends_sessions_chain_their_zero_lines() -> None:
    rows = ["2026-08-20 15:00,49.80,49.88,49.90,49.80,100,498800.00,49.700",
            "2026-08-21 09:30,49.95,49.95,49.95,49.95,12000,59940000.00,49.950",
            "2026-08-21 12:00,1,1,1,1,1,1,1", "garbage"]
    payload = {"rc": 0, "data": {"preClose": 49.10, "trends": rows}}
    first, second = parse_trends(payload, NORTHERN)
    assert (first.day, first.prev_close) == (date(2026, 8, 20), 49.10)
    assert (second.day, second.prev_close) == (date(2026, 8, 21), 49.88)
    assert second.bars[0].volume == 1_200_000 and second.bars[0].avg_price == 49.95
    assert len(second.bars) == 1  # 12:00 is lunch, "garbage" is not a row
    with pytest.raises(SymbolNotFound):
        parse_trends({"rc": 0, "data": None}, NORTHERN)


def test_chart_data_merges_the_seam_and_centres_on_the_prev_close() -> None:
    data = build_intraday(parse_minutes(TENCENT_600519.encode(), "sh600519"))
    assert data.xs == (0, 1, 120, 240)  # 11:30 and 13:00 share x = 120
    assert data.volumes[2] == (9000 - 1635) * 100 + (9100 - 9000) * 100
    assert data.prices[2] == 1239.00  # the later of the two minutes
    assert data.directions[:2] == ("down", "down")  # against 1271.00, then against 1236.00
    low, high = zero_line_range(data)
    assert (low + high) / 2 == pytest.approx(1271.00)
    assert low <= min(data.prices) and high >= 1271.00


async def test_fetch_through_http_and_fall_back_to_eastmoney(
        fake_upstream: FakeUpstream) -> None:
    base = fake_upstream.base_url
    settings = Settings.model_validate({
        "quotes": {"providers": ["tencent", "eastmoney"]},
        "providers": {"tencent": {"base_url": base}, "eastmoney": {"base_url": base}},
    })
    now = datetime(2026, 8, 21, 15, 5, tzinfo=SHANGHAI)
    async with httpx.AsyncClient() as client:
        tencent = await fetch_minutes(client, NORTHERN, base)
        assert tencent.prev_close == 49.88 and len(tencent.bars) == 6
        trends = await fetch_trends(client, NORTHERN, 1, base)
        assert trends[-1].bars[-1].price == 50.46
        assert (await fetch_intraday(settings, client, {}, NORTHERN, now)).source == "tencent"
        fake_upstream.set_fault("tencent-minute", Fault(kind="status", status=503))
        line = await fetch_intraday(settings, client, {}, NORTHERN, now)
        assert line.source == "eastmoney" and line.prev_close == 49.88
        with pytest.raises(ValueError, match="A-shares"):
            await fetch_intraday(settings, client, {}, parse_symbol("REMX"), now)


async def test_demo_line_matches_its_quotes_and_skips_lunch() -> None:
    async with httpx.AsyncClient() as client:
        demo = DemoProvider(client)
        settings = Settings().demo()
        now = datetime(2026, 1, 23, 14, 0, tzinfo=SHANGHAI)
        line = await fetch_intraday(settings, client, {"demo": demo}, NORTHERN, now)
        quote = demo.quote_at(NORTHERN, now)
    assert line.source == "demo" and line.prev_close == quote.prev_close
    assert line.bars[-1].price == quote.last
    assert all(minute_x(bar.at.time()) is not None for bar in line.bars)
    assert len(line.bars) == 121 + 61  # 09:30–11:30 and 13:00–14:00


async def test_five_days_oldest_first_side_by_side(fake_upstream: FakeUpstream) -> None:
    from neodymium.providers.intraday_source import fetch_intraday_days
    from neodymium.tui.intraday_view import build_days

    base = fake_upstream.base_url
    settings = Settings.model_validate({
        "quotes": {"providers": ["tencent"]},
        "providers": {"tencent": {"base_url": base}, "eastmoney": {"base_url": base}},
    })
    now = datetime(2026, 8, 21, 15, 5, tzinfo=SHANGHAI)
    async with httpx.AsyncClient() as client:
        sessions = await fetch_intraday_days(settings, client, {}, NORTHERN, now)
        assert [s.day for s in sessions] == [date(2026, 8, 20), date(2026, 8, 21)]
        assert [s.prev_close for s in sessions] == [48.72, 49.88]
        fake_upstream.set_fault("tencent-five-days", Fault(kind="status", status=503))
        fallback = await fetch_intraday_days(settings, client, {}, NORTHERN, now)
        assert fallback[-1].source == "eastmoney"
    data = build_days(sessions)
    assert data.prev_close == 48.72 and data.span == 2 * 241 - 1
    assert data.day_starts == ((0, "08-20"), (241, "08-21"))
    assert data.xs[:2] == (0, 240) and data.xs[2] == 241  # the second day starts at 241


@pytest.mark.parametrize("fault", [
    Fault(kind="gzip-bomb"),
    Fault(kind="endless"),
    Fault(kind="redirect", location=""),
    Fault(kind="trickle", delay=0.5),
])
async def test_minute_lines_go_through_the_bounded_transport(
        fake_upstream: FakeUpstream, fault: Fault) -> None:
    """A hostile minute endpoint costs a bounded body and a bounded time, and fails as one of
    our errors (so the chain falls through to the next source), like every provider request."""
    from neodymium.providers.errors import ProviderError

    base = fake_upstream.base_url
    fake_upstream.set_fault("tencent-minute", fault)
    fake_upstream.set_fault("em-trends", fault)
    async with httpx.AsyncClient() as client:
        with pytest.raises(ProviderError):
            await fetch_minutes(client, NORTHERN, base, timeout=2.0)
        with pytest.raises(ProviderError):
            await fetch_trends(client, NORTHERN, 1, base, timeout=2.0)
        fake_upstream.clear_fault("em-trends")
        settings = Settings.model_validate({
            "quotes": {"providers": ["tencent", "eastmoney"]},
            "providers": {"tencent": {"base_url": base, "timeout": 2.0},
                          "eastmoney": {"base_url": base}},
        })
        now = datetime(2026, 8, 21, 15, 5, tzinfo=SHANGHAI)
        line = await fetch_intraday(settings, client, {}, NORTHERN, now)
        assert line.source == "eastmoney"
