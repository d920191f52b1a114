"""Garbage collection is held off during start-up and resumed once, by whoever held it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from neodymium.tui import cli, startup_gc


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    startup_gc.release()
    gc.unfreeze()
    gc.set_threshold(*threshold)
    gc.enable()


def test_hold_then_release_resumes_collection_and_freezes_the_survivors() -> None:
    older = gc.get_threshold()[1:]
    startup_gc.hold()
    assert not gc.isenabled()
    startup_gc.release()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    # The young generation is collected less often; the older ones as Python has them.
    assert gc.get_threshold() == (startup_gc.YOUNG_THRESHOLD, *older)
    startup_gc.release()  # a second release changes nothing
    assert gc.isenabled()


def test_release_leaves_the_thresholds_alone_when_it_held_nothing() -> None:
    before = gc.get_threshold()
    startup_gc.release()
    assert gc.get_threshold() == before


def test_release_never_turns_on_a_collector_someone_else_turned_off() -> None:
    gc.disable()
    startup_gc.hold()
    startup_gc.release()
    assert not gc.isenabled()


def test_a_subcommand_runs_with_the_collector_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """``main`` holds collection while it starts; a subcommand (``relay`` and ``alerts run``
    run for hours) gets it back before it runs."""
    from neodymium.tui import cli_commands

    seen: list[bool] = []
    monkeypatch.setattr(cli_commands, "run_command",
                        lambda *args: seen.append(gc.isenabled()) or 0)
    assert cli.main(["--demo", "providers"]) == 0
    assert seen == [True]


def test_a_config_error_leaves_the_collector_on(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[display]\ncolors = 'purple'\n", encoding="utf-8")
    assert cli.main(["--config", str(bad)]) == 2
    assert gc.isenabled()
    assert "display.colors" in capsys.readouterr().err
