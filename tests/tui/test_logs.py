"""The log file: rotating, in the platform state directory, at the level asked for."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.cli import build_parser, main
from neodymium.tui.logs import log_path, setup_logging
from neodymium.tui.screens.modals import HealthScreen
from textual.widgets import Static

from tests.tui.conftest import FROZEN, demo_settings


def test_records_at_the_level_and_above_reach_the_file_once(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "neodymium.log"
    assert setup_logging("info", path) == path
    assert setup_logging("info", path) == path  # set up twice: still one handler
    feed_log = logging.getLogger("neodymium.providers.feed")
    feed_log.debug("not this")
    feed_log.info("quotes polled")
    logging.getLogger("apscheduler.executors.default").error("Job raised")
    for handler in logging.getLogger().handlers:
        handler.flush()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [line.split(" ", 3)[3] for line in lines] == [
        "neodymium.providers.feed: quotes polled",
        "apscheduler.executors.default: Job raised",
    ]


def test_an_unwritable_place_is_said_once_and_logging_stays_off(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert setup_logging("info", blocker / "neodymium.log") is None
    assert "not logging to" in capsys.readouterr().err


def test_help_names_the_log_file_in_the_state_directory(tmp_path: Path) -> None:
    text = build_parser().format_help()
    assert str(log_path()) in text and "--log-level" in text
    assert ".local/state" in str(log_path())  # XDG state dir (isolated by conftest)


def test_the_cli_writes_its_log_where_help_says(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--log-level", "debug", "providers"]) == 0
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert log_path().is_file()


async def test_the_health_view_shows_the_log_file(tmp_path: Path) -> None:
    app = NeodymiumApp(demo_settings(), options=AppOptions(demo=True, seed=7,
                                                           log_file=tmp_path / "n.log"),
                       clock=FrozenClock(FROZEN))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HealthScreen)
        shown = app.screen.query_one("#log-file", Static).render()
        assert str(tmp_path / "n.log") in str(shown)
