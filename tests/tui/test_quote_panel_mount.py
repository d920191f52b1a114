"""A quote arriving while the quote panel is half mounted is shown, not a crash.

At start-up the first view can reach the panel after it composed its big price but before the
big price composed its three Digits (seen as "zip() argument 2 is longer than argument 1" in a
benchmark child on a loaded machine)."""

from __future__ import annotations

import pytest
from neodymium.tui.app import NeodymiumApp
from neodymium.tui.widgets.quote_panel import BigPrice, QuotePanel
from textual.app import ComposeResult
from textual.widgets import Digits


async def test_a_view_before_the_big_digits_exist_shows_once_they_do(
        demo_app: NeodymiumApp, monkeypatch: pytest.MonkeyPatch) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await demo_app.data_ready.wait()
        await pilot.pause()
        view = demo_app.screen.query_one(QuotePanel).view
        assert view is not None

        def no_digits_yet(self: BigPrice) -> ComposeResult:
            yield from ()

        monkeypatch.setattr(BigPrice, "compose", no_digits_yet)
        panel = QuotePanel()
        await demo_app.screen.mount(panel)
        panel.view = view  # the big price is there, its digits are not
        await pilot.pause()
        big = panel.query_one(BigPrice)
        await big.mount(Digits("—", id="last-whole"), Digits("", id="last-decimals"),
                        Digits("", id="last-digit"))
        await pilot.pause()
        await pilot.pause()
        assert big.value == view.last
