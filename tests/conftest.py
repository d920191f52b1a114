"""Shared fixtures: the fake upstream, and isolation from the developer's own files."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from neodymium.tui.logs import stop_logging

from tests.fakeupstream import FakeUpstream


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI (``CI=true``) a skip is a failure: a test that needs a missing system binary or
    extra says what to install, and .ci/run must have installed it."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may be: {reason}"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's config and cache out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.delenv("NEODYMIUM_CONFIG", raising=False)


@pytest.fixture(autouse=True)
def _log_file_closed() -> Iterator[None]:
    """A test that ran the CLI leaves no log file attached to the root logger."""
    level = logging.getLogger().level
    yield
    stop_logging()
    logging.getLogger().setLevel(level)


@pytest.fixture
def fake_upstream() -> Iterator[FakeUpstream]:
    """A running fake upstream on 127.0.0.1 with every recorded route."""
    with FakeUpstream() as server:
        yield server


@pytest.fixture
def tmp_config(tmp_path: Path):
    """Write a config file and return its path: ``tmp_config('[watch]\\n…')``."""

    def write(text: str, name: str = "config.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
