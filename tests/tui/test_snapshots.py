"""Pictures of the main screen (fixed seed, frozen clock) where the picture is the point."""

from __future__ import annotations

import pytest

from tests.tui.conftest import make_app


async def _wait_for_data(pilot) -> None:
    await pilot.app.data_ready.wait()
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_main_screen(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=_wait_for_data)


def test_main_screen_us_colours_intl_units(snap_compare) -> None:
    app = make_app(colors="us", units="intl")
    assert snap_compare(app, terminal_size=(120, 40), run_before=_wait_for_data)
