"""Pictures of the main screen (fixed seed, frozen clock) where the picture is the point."""

from __future__ import annotations

import pytest

from tests.tui.conftest import make_app


async def _wait_for_data(pilot) -> None:
    await pilot.app.data_ready.wait()
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (200, 50), (60, 20)],
                         ids=["120x40", "80x24", "200x50", "60x20"])
def test_main_screen(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=_wait_for_data)


def test_main_screen_us_colours_intl_units(snap_compare) -> None:
    app = make_app(colors="us", units="intl")
    assert snap_compare(app, terminal_size=(120, 40), run_before=_wait_for_data)


async def _open_book(pilot) -> None:
    await _wait_for_data(pilot)
    await pilot.press("k")
    await pilot.pause()


def test_book_on_k_at_80x24_in_chinese(snap_compare) -> None:
    assert snap_compare(make_app(labels="zh"), terminal_size=(80, 24), run_before=_open_book)


def _desk_app():
    from neodymium.config.settings import Settings
    from neodymium.providers.clock import FrozenClock
    from neodymium.tui.app import AppOptions, NeodymiumApp

    from tests.tui.conftest import FROZEN

    settings = Settings.model_validate({"watch": {
        "symbols": ["600111.SS", "516780.SS", "159713.SZ", "562800.SS", "512400.SS",
                    "600392.SS", "000831.SZ", "REMX"],
        "groups": {"稀土": ["600111.SS", "600392.SS"]},
    }}).demo()
    return NeodymiumApp(settings, options=AppOptions(demo=True, seed=7),
                        clock=FrozenClock(FROZEN))


async def _open_watchlist(pilot) -> None:
    await _wait_for_data(pilot)
    await pilot.press("l")
    await pilot.pause()


def test_watchlist_beside_the_quote_at_120x40(snap_compare) -> None:
    assert snap_compare(_desk_app(), terminal_size=(120, 40), run_before=_wait_for_data)


def test_watchlist_on_l_at_80x24(snap_compare) -> None:
    assert snap_compare(_desk_app(), terminal_size=(80, 24), run_before=_open_watchlist)


async def _open_intraday(pilot) -> None:
    await _wait_for_data(pilot)
    await pilot.press("c")
    await pilot.pause()
    await pilot.app.screen.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_intraday_lunch_compressed(snap_compare, size: tuple[int, int]) -> None:
    from tests.tui.test_intraday import afternoon_app

    assert snap_compare(afternoon_app(), terminal_size=size, run_before=_open_intraday)
def test_main_screen_no_color(snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # Textual reads (and removes) it when the app is made
    app = make_app()
    assert app.no_color and app.settings.display.colors == "mono"
    assert snap_compare(app, terminal_size=(120, 40), run_before=_wait_for_data)
