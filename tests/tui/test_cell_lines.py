"""Lines shown one by one: a change renders only the lines that differ, and the widget then
shows exactly what drawing every line again would show."""

from __future__ import annotations

import random

import pytest
from neodymium.tui.widgets.cells import CellText, joined
from rich.text import Text
from textual.app import App, ComposeResult
from textual.strip import Strip

WORDS = ["Open", "49.95", "1805.78亿元", "—", "1,403", "Limit ↑", "P/E TTM", ""]
STYLES = ["", "dim", "bold red", "green", "bold reverse yellow"]


class Lines(App[None]):
    """One column of lines, as a field grid's column is."""

    CSS = "CellText { width: 24; height: 7; text-wrap: nowrap; }"

    def compose(self) -> ComposeResult:
        yield CellText(id="column")


def line(chance: random.Random) -> Text:
    text = Text()
    for _ in range(chance.randint(0, 3)):
        text.append(chance.choice(WORDS) + " ", style=chance.choice(STYLES))
    return text


def whole(widget: CellText) -> list[Strip]:
    """What drawing the widget from scratch gives (Textual's own rendering)."""
    widget.refresh()
    return [widget.render_line(y) for y in range(widget.size.height)]


@pytest.mark.parametrize("seed", range(3))
async def test_lines_changed_one_by_one_show_what_a_whole_drawing_shows(seed: int) -> None:
    chance = random.Random(seed)
    app = Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        column = app.query_one(CellText)
        lines = [line(chance) for _ in range(7)]
        column.show_lines(lines)
        await pilot.pause()
        for _ in range(30):
            for y in chance.sample(range(7), chance.randint(0, 3)):
                lines[y] = line(chance)
            column.show_lines(lines)
            shown = [column.render_line(y) for y in range(7)]
            assert shown == whole(column)
            assert str(column.content) == str(joined(lines))


def count_renders(column: CellText) -> list[str]:
    """From now on, what ``column`` renders (each renderable as text), in order."""
    rendered: list[str] = []
    draw = column._strips_of

    def counting(renderable: object) -> list[Strip]:
        rendered.append(str(renderable))
        return draw(renderable)  # type: ignore[arg-type]

    column._strips_of = counting  # type: ignore[method-assign]
    return rendered


async def test_only_the_changed_line_is_rendered_again() -> None:
    app = Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        column = app.query_one(CellText)
        lines = [Text(f"row {y}") for y in range(7)]
        column.show_lines(lines)
        await pilot.pause()
        before = [column.render_line(y) for y in range(7)]
        rendered = count_renders(column)
        column.show_lines([*lines[:3], Text("row 3 moved"), *lines[4:]])
        assert rendered == ["row 3 moved"]  # that one line: no blank rows above it
        after = [column.render_line(y) for y in range(7)]
        assert after[:3] == before[:3] and after[4:] == before[4:]
        assert after[3].text.startswith("row 3 moved")
        assert after == whole(column)  # the segments say row 3, as Textual's own drawing


async def test_changed_lines_render_from_the_first_to_the_last() -> None:
    app = Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        column = app.query_one(CellText)
        lines = [Text(f"row {y}", style="bold" if y % 2 else "") for y in range(7)]
        column.show_lines(lines)
        await pilot.pause()
        rendered = count_renders(column)
        lines[2], lines[5] = Text("two", style="red"), Text("five")
        column.show_lines(lines)
        assert rendered == ["two\n\n\nfive"]  # rows 3 and 4 kept, left blank here
        assert [column.render_line(y) for y in range(7)] == whole(column)


async def test_a_line_seen_before_is_not_rendered_again() -> None:
    app = Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        column = app.query_one(CellText)
        seconds = [Text.assemble(("10:30:", "bold"), (f"{s:02}", "bold green")) for s in (1, 2)]
        column.show(seconds[0])
        await pilot.pause()
        column.show(seconds[1])
        rendered = count_renders(column)
        column.show(seconds[0].copy())  # equal, not the same object
        assert rendered == []
        assert [column.render_line(y) for y in range(7)] == whole(column)


async def test_lines_moving_to_other_rows_are_not_rendered_again() -> None:
    app = Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        column = app.query_one(CellText)
        prices = [Text(f"50.{60 + y}", style="red" if y % 3 else "green") for y in range(8)]
        column.show_lines(prices[:7])
        await pilot.pause()
        rendered = count_renders(column)
        column.show_lines(prices[1:])  # a book's prices, a tick up: each moves up a row
        assert rendered == ["50.67"]  # only the new price is rendered
        up = [column.render_line(y) for y in range(7)]
        column.show_lines(prices[:7])  # and back down: nothing new to render
        assert rendered == ["50.67"]
        down = [column.render_line(y) for y in range(7)]
        assert down == whole(column)
        column.show_lines(prices[1:])
        assert up == whole(column)


@pytest.mark.parametrize("seed", range(3))
async def test_one_line_shown_as_text_changes_as_a_whole_drawing_would(seed: int) -> None:
    chance = random.Random(seed)
    app = Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        column = app.query_one(CellText)
        column.show(line(chance))
        await pilot.pause()
        for _ in range(30):
            column.show(line(chance))
            shown = [column.render_line(y) for y in range(7)]
            assert shown == whole(column)


def clock_line(time: str, name: str = "北方稀土") -> Text:
    """A header-like line: a wide name, then a time in its own style, then a tail."""
    return Text.assemble((name, "bold"), " · ", (time, "bold green"), (" CST trading", "dim"))


class TwoColumns(App[None]):
    """A column changed line by line and one drawn whole each time, side by side."""

    CSS = "CellText { width: 36; height: 7; text-wrap: nowrap; }"

    def compose(self) -> ComposeResult:
        yield CellText(id="column")
        yield CellText(id="fresh")


async def change_in_place(app: App[None], size: tuple[int, int], first: list[Text],
                          steps: list[list[Text]]) -> list[str]:
    """Show ``first``, then each of ``steps``, on the column changed line by line; after each
    step it must show what the other column, drawing the same lines whole, shows. Returns what
    the column rendered after ``first``."""
    async with app.run_test(size=size) as pilot:
        column, fresh = app.query_one("#column", CellText), app.query_one("#fresh", CellText)
        column.show_lines(first)
        await pilot.pause()
        rendered = count_renders(column)
        for lines in steps:
            column.show_lines(lines)
            fresh.show_lines(lines)
            height = column.size.height
            assert [column.render_line(y) for y in range(height)] == whole(fresh)
        return rendered


async def test_characters_changed_in_place_are_not_rendered_again() -> None:
    # The clock's seconds and an age: same widths and styles.
    steps = [[clock_line(f"10:30:{second:02}"), Text(f"age {second % 10}s", style="dim")]
             for second in range(2, 12)]
    first = [clock_line("10:30:01"), Text("age 3s", style="dim")]
    assert await change_in_place(TwoColumns(), (80, 20), first, steps) == []


@pytest.mark.parametrize(("before", "after"), [
    (clock_line("10:30:01"), clock_line("10:30:0北")),  # a narrow character for a wide one
    (clock_line("10:30:01"), clock_line("10:30:011")),  # longer: the styles move
    (clock_line("10:30:01"), Text.assemble(("北方稀土", "bold"), " · ",
                                           ("10:30:02", "bold red"), (" CST trading", "dim"))),
    (clock_line("10:30:01"), clock_line("10:30:02", name="北方稀士")),  # a wide one changed
])
async def test_lines_of_another_shape_are_rendered_as_a_whole_drawing_would(
        before: Text, after: Text) -> None:
    app = TwoColumns()
    async with app.run_test(size=(80, 20)) as pilot:
        column = app.query_one("#column", CellText)
        column.show_lines([before])
        await pilot.pause()
        rendered = count_renders(column)
        column.show_lines([after])
        assert rendered == [after.plain]
        assert [column.render_line(0)] == whole(column)[:1]


class RightAligned(TwoColumns):
    """The two columns, their lines right-aligned (drawn after a pad)."""

    CSS = "CellText { width: 12; height: 3; text-wrap: nowrap; text-align: right; }"


async def test_right_aligned_lines_changed_in_place_show_what_a_whole_drawing_shows() -> None:
    steps = [[Text(value), Text(f"1.{value[-1]}", style="bold")] for value in ("   6", "   7")]
    first = [Text("   5"), Text("1.5", style="bold")]
    await change_in_place(RightAligned(), (40, 10), first, steps)
