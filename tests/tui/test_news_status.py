"""The news pane's status line (no headlines: why, and when it retries) changes in place."""

from __future__ import annotations

import pytest
from neodymium.tui.widgets.news_pane import NewsPane

from tests.tui.test_news_in_place import PaneApp, record_layouts


async def test_a_ticking_status_rewrites_its_line_without_a_new_layout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 10)) as pilot:
        pane = app.query_one(NewsPane)
        pane.show([], "no news (offline) · retrying in 4m50s")
        await pilot.pause()
        layouts = record_layouts(pane, monkeypatch)
        for left in ("4m49s", "4m48s", "4m47s"):
            pane.show([], f"no news (offline) · retrying in {left}")
            await pilot.pause()
        assert layouts == []
        assert pane.option_count == 1
        assert str(pane.get_option_at_index(0).prompt) == "no news (offline) · retrying in 4m47s"
        assert pane.get_option_at_index(0).disabled
        assert "4m47s" in app.export_screenshot()  # and it is what the screen shows
