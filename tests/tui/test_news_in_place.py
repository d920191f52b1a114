"""A full news list that takes new headlines (the oldest leaving) changes its prompts in
place: nothing is laid out again, and the reader keeps the headline they were on."""

from __future__ import annotations

from typing import Any

import pytest
from neodymium.tui.news_view import NewsLine
from neodymium.tui.widgets.news_pane import NewsPane
from textual.app import App, ComposeResult


class PaneApp(App[None]):
    def compose(self) -> ComposeResult:
        yield NewsPane(id="news")


def record_layouts(pane: NewsPane, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """From now on, the options of each ``refresh`` of ``pane`` that asks for a layout."""
    layouts: list[dict[str, Any]] = []
    refresh = pane.refresh

    def spy(*regions: Any, **options: Any) -> Any:
        if options.get("layout"):
            layouts.append(options)
        return refresh(*regions, **options)

    monkeypatch.setattr(pane, "refresh", spy)
    return layouts


def headline(number: int) -> NewsLine:
    return NewsLine(id=f"n{number}", time=f"08-21 {number:02d}:00", source="wire",
                    title=f"headline {number}", url=None, kind="news", summary="",
                    published="")


def prompts(pane: NewsPane) -> list[str]:
    return [str(pane.get_option_at_index(i).prompt) for i in range(pane.option_count)]


async def test_new_headlines_in_a_full_list_replace_prompts_without_a_layout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 8)) as pilot:
        pane = app.query_one(NewsPane)
        first = [headline(n) for n in range(12, 2, -1)]  # ten, newest first
        pane.show(first)
        await pilot.pause()
        pane.focus()
        await pilot.press("home", "down", "down")
        reading = pane.selected_line()
        assert reading is not None and reading.id == "n10"
        layouts = record_layouts(pane, monkeypatch)
        newer = [headline(14), headline(13), *first[:-2]]  # two new on top, two old gone
        pane.show(newer)
        await pilot.pause()
        assert layouts == []
        assert pane.option_count == 10
        assert [p.split()[-1] for p in prompts(pane)] == [str(n) for n in range(14, 4, -1)]
        assert pane.selected_line() == reading  # still on the same headline, two rows down
        assert pane.highlighted == 4
        assert "14:00" in app.export_screenshot()  # the newest is on the screen

