"""Smoke tests of the benchmarks: tiny sizes, structure only, never speed.

They exist so that a change that breaks a benchmark (an import, a renamed API, a child that no
longer paints) fails CI instead of being found the next time someone measures.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from neodymium.config.loader import load_config
from neodymium.providers import registry
from neodymium.providers.cache import Cache

from benchmarks import __main__ as run_all
from benchmarks import (
    bench_analytics,
    bench_desk,
    bench_pty,
    bench_soak,
    bench_startup,
    bench_tick_cpu,
)
from benchmarks.pty_child import Chunk, bursts, per_second

SYMBOLS = ["600111.SS", "516780.SS", "REMX"]


def test_analytics_benchmark_measures_every_row_on_few_symbols(capsys) -> None:
    everything = bench_analytics.make_bars()
    bars = {symbol: everything[symbol] for symbol in list(everything)[:3]}
    rows = bench_analytics.measure(1, bars)
    assert [row.task.split(" ")[0] for row in rows] == ["analytics", "cache", "cache", "cache"]
    for row in rows:
        assert len(row.times) == len(row.baseline_times) == 1
        assert row.times[0] > 0 and row.baseline_times[0] > 0
    bench_analytics.print_table(rows, 1, bars)
    printed = capsys.readouterr().out
    assert "analytics refresh" in printed and "ratio" in printed


def test_cache_content_is_deterministic_and_lands_in_the_cache(tmp_path: Path) -> None:
    end = date(2026, 11, 20)
    content = bench_startup.make_cache_content(SYMBOLS, end, news_count=5)
    again = bench_startup.make_cache_content(SYMBOLS, end, news_count=5)
    assert content == again
    assert list(content.bars) == SYMBOLS
    for bars in content.bars.values():
        assert 500 < len(bars) < 530  # two years of weekdays
        assert bars[-1].day == end and all(bar.day.weekday() < 5 for bar in bars)
    assert content.primary_last == content.bars["600111.SS"][-1].close

    path = tmp_path / "cache.sqlite3"
    bench_startup.populate_cache(path, content)
    cache = Cache(path)
    info = cache.info()
    assert (info.symbols, info.quotes, info.news) == (3, 3, 5)
    assert info.bars == sum(len(bars) for bars in content.bars.values())
    assert cache.get_quotes()["600111.SS"].last == content.primary_last
    cache.close()


def test_offline_config_points_every_real_provider_at_loopback(tmp_path: Path) -> None:
    config = tmp_path / "neodymium.toml"
    config.write_text(bench_startup.offline_config_text(tmp_path / "c.sqlite3", SYMBOLS),
                      encoding="utf-8")
    settings = load_config(config, installed=registry).settings
    assert settings.watch.primary == "600111.SS"
    assert settings.cache.path == str(tmp_path / "c.sqlite3")
    named = settings.provider_names()
    assert "demo" not in named
    for name in named:
        table = settings.providers[name]
        assert urlsplit(table.base_url).hostname == "127.0.0.1"


def test_parse_report_refuses_a_child_that_did_not_paint_the_price() -> None:
    with pytest.raises(bench_startup.BenchmarkError):
        bench_startup.parse_report("nothing here\n", 0.0)
    report = {"kind": "neodymium", "frame_ms": 10.0, "verified": False, "shown": "18.66"}
    with pytest.raises(bench_startup.BenchmarkError, match="not on the screen"):
        bench_startup.parse_report(bench_startup.RESULT_MARK + json.dumps(report), 0.0)


def test_startup_benchmark_runs_each_child_once(tmp_path: Path) -> None:
    measured = bench_startup.measure(1, 1.0, warm_up=False, folder=tmp_path)
    for samples in (measured.neodymium, measured.baseline, measured.demo):
        assert len(samples) == 1
    neodymium, baseline, demo = measured.neodymium[0], measured.baseline[0], measured.demo[0]
    assert neodymium.shown == f"{measured.fixture.content.primary_last:.2f}"
    assert baseline.shown == "hello"
    assert demo.held_frames > 0
    for sample in (neodymium, baseline, demo):
        assert 0 < sample.imports_ms < sample.frame_ms < sample.wall_ms
        assert sample.run_ms > 0 and sample.peak_rss_mib > 0 and sample.frames > 0
    rows = bench_startup.rows_of(measured)
    assert len(rows) == 7
    for row in rows:
        assert row.values[0] > 0 and row.baseline_values[0] > 0
    table = bench_startup.format_table(measured)
    assert "benchmark" in table and "ratio" in table
    assert sum(line.startswith(row.task) for row in rows for line in table.splitlines()) == 7
    # Where neodymium's first frame goes: every stage before run_async took some time.
    stages = dict(neodymium.stages)
    assert list(stages)[1:3] == ["pydantic and the config models",
                                 "the other imports (the app, cache, view)"]
    assert all(ms > 0 for ms in stages.values()) and "config validation" in stages
    assert "pydantic and the config models" in table


def test_run_all_passes_runs_through(monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(bench_analytics, "main", lambda argv: seen.append(("a", argv)) or 0)
    monkeypatch.setattr(bench_startup, "main", lambda argv: seen.append(("s", argv)) or 0)
    monkeypatch.setattr(bench_desk, "main", lambda argv: seen.append(("d", argv)) or 0)
    monkeypatch.setattr(bench_tick_cpu, "main", lambda argv: seen.append(("t", argv)) or 0)
    monkeypatch.setattr(bench_pty, "main", lambda argv: seen.append(("p", argv)) or 0)
    assert run_all.main(["--runs", "2"]) == 0
    runs = ["--runs", "2"]
    assert seen == [("a", runs), ("s", runs), ("d", runs), ("t", runs), ("p", runs)]
    seen.clear()
    monkeypatch.setattr(bench_startup, "main", lambda argv: seen.append(("s", argv)) or 1)
    assert run_all.main([]) == 1
    assert seen == [("a", []), ("s", []), ("d", []), ("t", []), ("p", [])]


def test_relay_benchmark_measures_both_phases_on_few_symbols(capsys) -> None:
    from benchmarks import bench_relay
    from tests.relay.natsserver import MISSING, server_binary

    if server_binary() is None:
        pytest.skip(MISSING)
    phases = bench_relay.measure(subscribers=2, seconds=1.5, symbols=5)
    assert [phase.subscribers for phase in phases] == [1, 2]
    for phase in phases:
        # One batch per cycle carrying every symbol, whatever the number of subscribers.
        assert phase.requests >= 1 and phase.symbols_per_request == 5
        assert phase.messages > 0 and phase.latencies
    bench_relay.print_table(phases, 5)
    assert "quote req/s" in capsys.readouterr().out


def test_desk_benchmark_measures_search_and_watchlist_ticks() -> None:
    lines = bench_desk.measure_search(1, size=40)
    assert lines[0].startswith("search over 40 entries") and len(lines) == 1 + 10
    ticks = bench_desk.measure_watchlist(3, counts=(6,))
    assert ticks[1].strip().startswith("6 rows:") and "repainted" in ticks[1]


def test_soak_runs_briefly_and_reports_every_table(capsys) -> None:
    result = asyncio.run(bench_soak.soak(6.0, 0.3, seed=3, outage_s=(1.0, 2.0)))
    assert result.rss and all(mib > 0 for _, mib in result.rss)
    assert result.outages and result.polls > 0
    assert set(result.healthy_per_minute) == set(bench_soak.ROUTES)
    for outage in result.outages:
        assert outage.provider in bench_soak.ROUTES and outage.ended >= outage.started
    bench_soak.print_report(result)
    printed = capsys.readouterr().out
    assert "| t (s) | RSS (MiB) |" in printed and "recovered after (s)" in printed


def test_bytes_per_second_and_bursts_from_timed_chunks() -> None:
    chunks = [Chunk(10.00, 100), Chunk(10.01, 50), Chunk(10.50, 7), Chunk(11.2, 30),
              Chunk(12.9, 1)]
    assert per_second(chunks, 10.0, 3) == [157, 30, 1]
    assert per_second(chunks, 10.4, 2) == [37, 0]  # outside the window: not counted
    assert bursts(chunks) == [150, 7, 30, 1]
    assert bursts([]) == []


def test_demo_config_has_the_asked_number_of_symbols(tmp_path: Path) -> None:
    for count in (6, 60):
        path = bench_pty.demo_config(tmp_path, count)
        settings = load_config(path, installed=registry).settings
        assert len(settings.watch.all_symbols_raw()) == count
        assert settings.watch.primary == "600111.SS"


def test_pty_benchmark_runs_each_program_once(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(bench_pty, "WARM_S", 0.2)
    results = bench_pty.measure(1, 1, 2.0, 0.0, folder=tmp_path, warm_up=False)
    assert len(results.first_neo) == len(results.first_bare) == len(results.text_neo) == 1
    assert len(results.screen_neo) == 1
    assert results.first_bare[0] > 0 and results.first_neo[0] > 0
    # The quote panel's big digits are in the first frame; the tables' text comes after.
    assert results.first_neo[0] <= results.screen_neo[0] <= results.text_neo[0]
    for kind in ("bare", "neo6", "neo60"):
        (sample,) = results.ticking[kind]
        assert sample.rss_mib > 0 and sample.cpu_per_min >= 0
    assert results.ticking["neo6"][0].bytes_per_s > 0  # the demo ticked on the pty
    assert results.ticking["neo6"][0].mean_bytes_per_s > 0
    table = bench_pty.table(results)
    assert "first frame with the cached price" in table and "<= 300 B" in table
    assert "the price as text too" in table
    assert "biggest burst when the primary moved" in table


def test_the_big_price_marker_is_the_top_row_of_each_digits_widget() -> None:
    """49.95 is drawn as ``49.`` and ``95`` in Textual's 3x3 font (the point sits low)."""
    assert bench_pty.big_price_rows("19.20") == ["╶╮ ╭─╮".encode(), "╶─╮╭─╮".encode()]
    assert bench_pty.big_price_rows("7") == ["╶─┐".encode()]


def test_the_primary_moves_only_at_its_demo_snapshots() -> None:
    moved = bench_pty.demo_primary_moves()
    morning = 1_780_020_000  # 2026-05-29 10:00 in Shanghai: the A-share session trades
    seconds = [s for s in range(morning, morning + 90) if moved(s)]
    assert seconds and len({s % 3 for s in seconds}) == 1  # its own 3 s phase, no other


def test_tick_cpu_benchmark_drives_both_apps_and_prints_the_ratio() -> None:
    bare, neo = bench_tick_cpu.run("bare", 2), bench_tick_cpu.run("neo6", 2)
    assert bare.ms_per_tick > 0 and neo.ms_per_tick > 0
    assert neo.bytes_per_tick > 0  # each tick moved the clock (and prices) and painted them
    results = {"bare": [bare], "neo6": [neo], "neo60": [neo]}
    table = bench_tick_cpu.table(results, 2)
    assert "neodymium, 6 symbols" in table and "x bare" in table and "floor ms" in table
    assert len(neo.ticks) == 2 and all(ms > 0 for ms in neo.ticks)


def test_tick_cpu_floor_takes_each_ticks_least_cpu_over_the_rounds() -> None:
    rounds = [bench_tick_cpu.Round("neo6", 3.0, 0, [3.0, 1.0, 5.0]),
              bench_tick_cpu.Round("neo6", 4.0, 0, [2.0, 4.0, 6.0])]
    assert bench_tick_cpu.floor_ms(rounds) == (2.0 + 1.0 + 5.0) / 3


def test_pty_children_take_their_size_from_the_pty(tmp_path: Path, monkeypatch) -> None:
    """COLUMNS and LINES (pytest-xdist's workers set 80x24) would override the pty's 160x48
    in Textual, and hide the big price the first-frame marker looks for."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")
    env = bench_pty.child_env(tmp_path)
    assert "COLUMNS" not in env and "LINES" not in env
    assert env["TERM"] == "xterm-256color"
