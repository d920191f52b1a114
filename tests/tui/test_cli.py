"""The command line: snapshot, quote, providers, --help, config errors."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.providers.markets import SHANGHAI
from neodymium.tui.cli import main, parse
from neodymium.tui.cli_args import clock_for


def test_help_documents_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    for word in ("snapshot", "quote", "providers", "cache", "--demo", "--config",
                 "NEODYMIUM_CONFIG"):
        assert word in out


def test_snapshot_txt_is_stamped_plain_text(tmp_path: Path) -> None:
    output = tmp_path / "screen.txt"
    code = main(["snapshot", "--demo", "--no-cache", "--seed", "3", "--format", "txt",
                 "--output", str(output), "--size", "120x40", "--timeout", "30"])
    assert code == 0
    text = output.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("neodymium · ") and "sources: demo" in first and "DEMO" in first
    assert "北方稀土" in text and "600111.SS" in text
    assert "\x1b" not in text


def test_demo_at_starts_the_demo_at_that_moment_in_shanghai_time(tmp_path: Path) -> None:
    """A screenshot of the demo mid-session whatever the hour it is taken at: the moment is
    read as Shanghai time, and the simulated market (quote times, session) is at it."""
    output = tmp_path / "screen.txt"
    assert main(["snapshot", "--demo", "--demo-at", "2026-08-21T10:30", "--no-cache",
                 "--seed", "3", "--format", "txt", "--output", str(output),
                 "--size", "120x40", "--timeout", "30"]) == 0
    text = output.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("neodymium · 2026-08-21 10:30:0") and "(Asia/Shanghai)" in first
    assert re.search(r"as of 10:(29:5\d|30:0\d)", text)  # the demo's last tick, not today's


def test_the_demo_outside_the_sessions_starts_an_hour_before_the_last_close() -> None:
    """``--demo`` at 16:35 on a Friday reads 14:00 that day (its 分时 line then ends at its
    quote); inside a session, the wall's time; ``--demo-at`` wins; without --demo, the wall."""
    friday_evening = FrozenClock(datetime(2026, 12, 4, 16, 35, tzinfo=SHANGHAI))
    _, args = parse(["--demo"])
    assert clock_for(args, friday_evening)() == datetime(2026, 12, 4, 14, 0, tzinfo=SHANGHAI)
    in_session = FrozenClock(datetime(2026, 12, 4, 10, 5, tzinfo=SHANGHAI))
    assert clock_for(args, in_session)() == in_session()
    _, args = parse(["--demo", "--demo-at", "2026-08-21T10:30"])
    assert clock_for(args, friday_evening)() == datetime(2026, 8, 21, 10, 30, tzinfo=SHANGHAI)
    _, args = parse([])
    assert clock_for(args, friday_evening)() == friday_evening()


@pytest.mark.parametrize(("argv", "said"), [
    (["--demo-at", "2026-08-21T10:30", "quote"], "it needs --demo"),
    (["--demo", "--demo-at", "tomorrow", "quote"], "like 2026-08-21T10:30"),
])
def test_demo_at_outside_the_demo_or_not_a_moment_is_refused(
        argv: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert said in capsys.readouterr().err


def test_snapshot_svg_is_valid_xml(tmp_path: Path) -> None:
    output = tmp_path / "screen.svg"
    assert main(["snapshot", "--demo", "--no-cache", "--format", "svg", "--output", str(output),
                 "--size", "80x24", "--timeout", "30"]) == 0
    root = ET.parse(output).getroot()
    assert root.tag.endswith("svg")
    text = " ".join("".join(node.itertext()) for node in root.iter()).replace("\xa0", " ")
    assert "DEMO (simulated data" in text and "sources: demo" in text


def test_snapshot_html(tmp_path: Path) -> None:
    output = tmp_path / "screen.html"
    assert main(["snapshot", "--demo", "--no-cache", "--format", "html", "--output", str(output),
                 "--timeout", "30"]) == 0
    html = output.read_text(encoding="utf-8")
    assert "<html" in html.lower() and "DEMO" in html


def test_snapshot_stops_once_every_provider_failed_and_exits_3(
        tmp_path: Path, tmp_config, fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.fakeupstream import Fault

    for route in ("tencent-quote", "tencent-kline"):
        fake_upstream.set_fault(route, Fault("slow", delay=30))
    config = tmp_config(f"""
[quotes]
providers = ["tencent"]
[history]
providers = ["tencent"]
[news]
providers = ["rss"]
feeds = ["{fake_upstream.base_url}/rss/good.xml"]
[providers.tencent]
base_url = "{fake_upstream.base_url}"
timeout = 0.5
""")
    output = tmp_path / "late.txt"
    # A generous timeout: the snapshot must end as soon as tencent has failed, not after it.
    code = main(["--config", str(config), "snapshot", "--no-cache", "--format", "txt",
                 "--output", str(output), "--timeout", "120"])
    assert code == 3
    err = capsys.readouterr().err
    assert "every provider failed" in err and "quotes" in err and "timed out" not in err
    assert output.exists() and "neodymium" in output.read_text(encoding="utf-8")


def test_snapshot_times_out_with_exit_3(tmp_path: Path, tmp_config, fake_upstream,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from tests.fakeupstream import Fault

    fake_upstream.set_fault("tencent-quote", Fault("slow", delay=30))
    config = tmp_config(f"""
[quotes]
providers = ["tencent"]
[history]
providers = ["demo"]
[news]
providers = ["demo"]
[providers.tencent]
base_url = "{fake_upstream.base_url}"
timeout = 20
""")
    output = tmp_path / "late.txt"
    code = main(["--config", str(config), "snapshot", "--no-cache", "--format", "txt",
                 "--output", str(output), "--timeout", "1"])
    assert code == 3
    assert "timed out" in capsys.readouterr().err
    assert output.exists()


def test_snapshot_that_cannot_write_exits_1(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code = main(["snapshot", "--demo", "--format", "txt", "--output",
                 str(blocker / "screen.txt"), "--timeout", "30"])
    assert code == 1


def test_without_a_terminal_the_watcher_exits_2_pointing_to_quote_and_snapshot(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr("sys.stdout", io.StringIO())  # a pipe: isatty() is False
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert main(["--demo"]) == 2
    err = capsys.readouterr().err
    assert "not a terminal" in err and "neodymium quote" in err and "neodymium snapshot" in err


def test_the_demo_never_writes_the_users_config(tmp_config) -> None:
    from neodymium.tui.cli import app_options, build_parser, load

    path = tmp_config("[watch]\ncompare = ['516780.SS']\n")
    for argv, expected in ((["--config", str(path), "--demo"], None),
                           (["--config", str(path)], path)):
        args = build_parser().parse_args(argv)
        assert app_options(args, load(args)).config_path == expected


def test_the_demo_leaves_no_settings_memo_behind(tmp_config) -> None:
    """The demo writes nothing of the user's; the same config without --demo is remembered."""
    from neodymium.config.settings_memo import memo_path
    from neodymium.tui.cli import build_parser, load, provider_check

    path = tmp_config("[watch]\ncompare = ['516780.SS']\n")
    args = build_parser().parse_args(["--config", str(path), "--demo"])
    load(args, providers=False)
    provider_check(args)()
    assert not memo_path().exists()
    load(build_parser().parse_args(["--config", str(path)]))
    assert memo_path().is_file()


def test_quote_demo_of_an_unknown_symbol_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "--demo", "FOO.XX"]) == 1
    assert "not in the demo's universe" in capsys.readouterr().err


def test_quote_names_every_failed_provider(tmp_config, fake_upstream,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from tests.fakeupstream import Fault

    fake_upstream.set_fault("tencent-quote", Fault("status", status=503))
    fake_upstream.set_fault("sina-quote", Fault("status", status=502))
    config = tmp_config(f"""
[quotes]
providers = ["tencent", "sina"]
[providers.tencent]
base_url = "{fake_upstream.base_url}"
timeout = 2
[providers.sina]
base_url = "{fake_upstream.base_url}"
timeout = 2
""")
    assert main(["--config", str(config), "quote", "--no-cache", "600111.SS"]) == 1
    captured = capsys.readouterr()
    err = captured.err
    assert "600111.SS not served" in err and "tencent" in err and "sina" in err
    assert "503" in err and "502" in err  # stderr: each provider's whole reason
    row = next(line for line in captured.out.splitlines() if "600111.SS" in line)
    assert row.split()[-2:] == ["server", "error"]  # the table: the cause, once


def test_quote_of_an_old_beijing_code_names_its_920_successor_once(
        tmp_config, fake_upstream, capsys: pytest.CaptureFixture[str]) -> None:
    """Tencent and Sina both no longer know bj430047 (the fake, as they since the 2025 code
    switch); the reason says each, then the code to use instead, once."""
    config = tmp_config(f"""
[quotes]
providers = ["tencent", "sina"]
[providers.tencent]
base_url = "{fake_upstream.base_url}"
[providers.sina]
base_url = "{fake_upstream.base_url}"
""")
    assert main(["--config", str(config), "quote", "--no-cache", "430047.BJ"]) == 1
    captured = capsys.readouterr()
    err = captured.err
    assert "430047.BJ not served" in err and "Tencent does not know" in err
    assert "Sina does not know" in err
    assert err.count("Beijing codes moved to 920xxx in 2025: try 920047.BJ") == 1
    out = " ".join(captured.out.split())
    assert "symbol not found (Beijing codes moved to 920xxx in 2025: try 920047.BJ)" in out


def test_quote_json_carries_freshness(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "--demo", "--json", "600111.SS", "REMX", "not a symbol"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    records = {r["symbol"]: r for r in data["quotes"]}
    assert set(records) == {"600111.SS", "REMX"}
    record = records["600111.SS"]
    for key in ("as_of", "age_s", "delayed", "stale", "session", "last", "prev_close"):
        assert key in record
    assert record["name"] == "北方稀土"
    assert data["demo"] is True
    assert "not a symbol" in captured.err


def test_quote_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "600111.SS" in out and "REMX" in out and "DEMO" in out


def test_providers_lists_installed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["providers"]) == 0
    out = capsys.readouterr().out
    for name in ("demo", "tencent", "sina", "eastmoney", "yahoo", "rss", "sina-roll"):
        assert name in out


def test_config_error_exits_2_naming_file_and_key(tmp_config,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_config("[quotes]\nintervl = 5\n")
    assert main(["--config", str(path), "quote"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "quotes.intervl" in err and "unknown key" in err


def test_unknown_provider_exits_2(tmp_config, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_config("[quotes]\nproviders = ['bloomberg']\n")
    assert main(["--config", str(path), "providers"]) == 2
    assert "installed providers" in capsys.readouterr().err


def test_a_closed_pipe_is_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone, like `neodymium providers | head -1` after one line
    with open(write_end, "w", buffering=1, encoding="utf-8") as closed:
        monkeypatch.setattr("sys.stdout", closed)
        assert main(["providers"]) == 141


WATCHER_ARGV = [[], ["--demo"], ["--config", "x.toml", "--seed", "7", "--private"],
                ["--log-level", "debug", "--no-cache"], ["--config=x.toml", "--demo"]]


@pytest.mark.parametrize("argv", WATCHER_ARGV)
def test_the_watchers_options_parse_without_the_subcommands_and_mean_the_same(
        argv: list[str]) -> None:
    """The watcher's command line is parsed by the top-level options alone (the subcommands'
    parsers are not built before its first frame), to the same namespace as the full parser."""
    from neodymium.tui.cli_args import build_parser, parse

    parser, args = parse(argv)
    assert "COMMAND" not in parser.format_usage()  # no subcommand parser was built
    assert args == build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", [["quote", "--json"], ["--demo", "providers"], ["--he"],
                                  ["-h"], ["--seed", "x"], ["--colour"], ["stray"]])
def test_help_subcommands_and_errors_go_to_the_full_parser(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Help, a subcommand or a mistake: the full parser answers, with the same help and the
    same error (exit 2, the usage listing the commands) as before."""
    from neodymium.tui.cli_args import build_parser, parse

    try:
        expected = build_parser().parse_args(argv)
    except SystemExit as exc:
        expected_exit, expected_out = exc.code, capsys.readouterr()
        with pytest.raises(SystemExit) as caught:
            parse(argv)
        assert (caught.value.code, capsys.readouterr()) == (expected_exit, expected_out)
        assert "COMMAND" in expected_out.out + expected_out.err
    else:
        parser, args = parse(argv)
        assert "COMMAND" in parser.format_usage() and args == expected


def test_the_quote_table_marks_a_days_old_quote_stale_as_the_screen_does() -> None:
    import io
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from neodymium.config.settings import Settings
    from neodymium.providers.models import Quote
    from neodymium.providers.store import Store
    from neodymium.tui.oneshot import quote_table
    from rich.console import Console

    shanghai = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 12, 2, 10, 5, tzinfo=shanghai)  # a Wednesday morning session

    def table_text(as_of: datetime) -> str:
        store = Store()
        store.put_quote(Quote("600111.SS", as_of, "tencent", name="北方稀土", last=50.46,
                              prev_close=49.88), now)
        console = Console(width=160, record=True, file=io.StringIO())
        console.print(quote_table(store.snapshot(now, {}), Settings(), ["600111.SS"], now))
        return console.export_text()

    old = table_text(datetime(2026, 8, 21, 15, 0, 3, tzinfo=shanghai))
    assert "08-21 15:00:03" in old and "STALE" in old
    assert "STALE" not in table_text(now - timedelta(seconds=3))
