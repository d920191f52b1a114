"""Text from outside meets the screen: links only to http(s), never markup in toasts."""

from __future__ import annotations

from pathlib import Path

import pytest
from neodymium.config.settings import Settings
from neodymium.providers.cache import Cache
from neodymium.providers.clock import FrozenClock
from neodymium.providers.text import safe_link
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.screens.modals import news_detail
from neodymium.tui.view import NewsLine
from textual.app import App

from tests.tui.conftest import FROZEN, demo_settings, make_app


@pytest.mark.parametrize(
    ("url", "link"),
    [("https://x link javascript:alert(1)", "https://x%20link%20javascript:alert(1)"),
     ("https://news.example/a b?q=稀土", "https://news.example/a%20b?q=%E7%A8%80%E5%9C%9F"),
     ("http://x.example/%20already", "http://x.example/%20already"),
     ("javascript:alert(1)", None), ("file:///etc/passwd", None), ("JaVaScRiPt:x", None),
     ("https://", None), ("  ", None), (None, None),
     ("https://x.example/\x1b]8;;file:///\x07", "https://x.example/")],
)
def test_safe_link_allows_only_http_and_encodes_spaces(url, link) -> None:
    assert safe_link(url) == link


def line_with(url: str | None) -> NewsLine:
    return NewsLine(id="x", time="10:00", source="s", title="[bold]t[/]", url=url,
                    kind="news", summary="", published="10:00")


def links_in(text) -> list[str]:
    return [span.style.link for span in text.spans
            if not isinstance(span.style, str) and span.style.link]


def test_a_news_link_with_spaces_cannot_smuggle_a_second_link() -> None:
    text = news_detail(line_with("https://x link javascript:alert(1)"))
    assert links_in(text) == ["https://x%20link%20javascript:alert(1)"]
    assert links_in(news_detail(line_with("javascript:alert(1)"))) == []
    assert "javascript" not in news_detail(line_with("javascript:alert(1)")).plain
    assert "[bold]t[/]" in text.plain  # the title is text, not markup


@pytest.fixture
def toasts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    real = App.notify

    def recording(self, message, **kwargs) -> None:
        shown.append(message)
        real(self, message, **kwargs)

    monkeypatch.setattr(App, "notify", recording)
    return shown


async def test_markup_typed_at_the_add_prompt_is_a_toast_not_a_crash(toasts, tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.data_ready.wait()
        await pilot.press("a")
        await pilot.press("[", "/", "]", "enter")
        await pilot.pause()
        await pilot.pause()
        assert any("[/]" in message for message in toasts)
        assert app.is_running  # a MarkupError would have ended it (and failed run_test)


async def test_markup_in_config_symbols_and_cache_paths_is_shown_as_text(
    toasts, tmp_path: Path
) -> None:
    folder = tmp_path / "a[" / "]b"
    folder.mkdir(parents=True)
    bad_cache = folder / "cache.sqlite3"
    bad_cache.write_bytes(b"not a database at all" * 100)
    settings = Settings.model_validate({
        **demo_settings().model_dump(), "watch": {"primary": "600111.SS",
                                                  "compare": ["[/]", "REMX", "y" * 100_000]},
    }).demo()
    app = NeodymiumApp(settings, options=AppOptions(demo=True, seed=7),
                       clock=FrozenClock(FROZEN), cache=Cache(bad_cache))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        assert any(message.startswith("[/]") for message in toasts)
        assert any("a[/]b" in message for message in toasts)
        assert max(len(message) for message in toasts) < 400  # a 100 kB symbol, excerpted
        assert app.is_running
