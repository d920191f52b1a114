"""App fixtures: the demo provider on a frozen clock, so screens are deterministic."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.tui.app import AppOptions, NeodymiumApp

#: Friday 2026-01-23 10:30 in Shanghai, the session after the 50.46 close of 2026-01-22.
FROZEN = datetime(2026, 1, 23, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def demo_settings(**display: object) -> Settings:
    """Default settings switched to the demo, polling every second."""
    base = Settings.model_validate({"quotes": {"providers": ["demo"], "interval": 1.0},
                                    "display": display})
    return base.demo()


def make_app(tmp_path=None, clock: FrozenClock | None = None, **display: object) -> NeodymiumApp:
    """A demo app on a frozen clock with a fixed seed and no cache."""
    return NeodymiumApp(
        demo_settings(**display),
        options=AppOptions(demo=True, seed=7, screenshot_dir=tmp_path),
        clock=clock or FrozenClock(FROZEN),
    )


@pytest.fixture
def demo_app(tmp_path) -> NeodymiumApp:
    return make_app(tmp_path)
