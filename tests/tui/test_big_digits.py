"""The big price's digits: drawn from memory when a look comes back, and always exactly what
Textual's own Digits draws for the same value and styles."""

from __future__ import annotations

from neodymium.tui.widgets.big_digits import KEPT, BigDigits
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import Digits

CSS = """
Digits { width: 12; height: 3; color: red; }
.-up { color: green; text-style: bold; }
"""


class Pair(App[None]):
    """A BigDigits and a Textual Digits, styled alike."""

    CSS = CSS

    def compose(self) -> ComposeResult:
        yield BigDigits("1", id="kept")
        yield Digits("1", id="plain")


def lines(widget: Digits) -> list[Strip]:
    return [widget.render_line(y) for y in range(widget.size.height)]


def count_renders(widget: BigDigits) -> list[str]:
    """From now on, the values ``widget`` renders, in order."""
    rendered: list[str] = []
    render = widget.render

    def counting() -> object:
        rendered.append(widget.value)
        return render()

    widget.render = counting  # type: ignore[method-assign]
    return rendered


async def test_big_digits_draw_what_textuals_digits_draw() -> None:
    app = Pair()
    async with app.run_test(size=(40, 10)) as pilot:
        kept, plain = app.query_one("#kept", BigDigits), app.query_one("#plain", Digits)
        for value, up, background in [("5", False, None), ("6", True, None),
                                      ("5", True, "blue"), ("5", False, None), ("9.", True, None)]:
            for widget in (kept, plain):
                widget.update(value)
                widget.set_class(up, "-up")
                widget.styles.background = background
            await pilot.pause()
            assert lines(kept) == lines(plain)


async def test_a_look_seen_before_is_not_rendered_again() -> None:
    app = Pair()
    async with app.run_test(size=(40, 10)) as pilot:
        kept = app.query_one("#kept", BigDigits)
        kept.update("5")
        await pilot.pause()
        lines(kept)
        rendered = count_renders(kept)
        for value in ("6", "5", "6"):  # a last digit moving back and forth
            kept.update(value)
            await pilot.pause()
            lines(kept)
        assert rendered == ["6"]
        kept.set_class(True, "-up")  # another colour: another look
        await pilot.pause()
        lines(kept)
        assert rendered == ["6", "6"]


async def test_the_kept_drawings_are_bounded() -> None:
    app = Pair()
    async with app.run_test(size=(40, 10)) as pilot:
        kept = app.query_one("#kept", BigDigits)
        for number in range(KEPT + 20):
            kept.update(str(number % 100).zfill(2))
            kept.set_class(number >= 100, "-up")
            await pilot.pause()
            lines(kept)
        rendered = count_renders(kept)
        kept.update("00")
        await pilot.pause()
        lines(kept)
        assert rendered == ["00"]  # the oldest look was let go, so it is drawn again
