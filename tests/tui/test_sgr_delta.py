"""``SgrWriter`` paints what Textual's writer paints, sending each style change once."""

from __future__ import annotations

import random

import pytest
from neodymium.tui.sgr_delta import Pen, SgrWriter, pen_of, transition
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tests.tui.terminal_model import Terminal

ATTRIBUTES = ("bold", "dim", "italic", "underline", "blink", "blink2", "reverse", "conceal",
              "strike", "underline2", "frame", "encircle", "overline")
COLOURS = (None, "default", "red", "bright_cyan", "color(208)", "#e0e0e0", "#121212", "#98e024")


def random_style(rng: random.Random) -> Style | None:
    """A style with a few attributes on (or set off), colours of every kind, sometimes a link."""
    if rng.random() < 0.08:
        return None
    attributes = {name: rng.random() < 0.5 for name in rng.sample(ATTRIBUTES, rng.randint(0, 4))}
    link = "https://example.com/news" if rng.random() < 0.05 else None
    return Style(color=rng.choice(COLOURS), bgcolor=rng.choice(COLOURS), link=link,
                 **attributes)


def random_segments(rng: random.Random, count: int) -> list[Segment]:
    """Runs of text (some wide, some empty) in random styles, styles often repeated."""
    pool = [random_style(rng) for _ in range(6)]
    texts = ("50.48", " ", "北方稀土", "-0.79%", "", "━━", "as of 12:00:41")
    return [Segment(rng.choice(texts), rng.choice(pool)) for _ in range(count)]


def textual_output(lines: list[list[Segment]], color_system: ColorSystem) -> str:
    """What Textual sends for these lines: a move to each, then each segment's whole style."""
    console_system = {ColorSystem.TRUECOLOR: "truecolor", ColorSystem.EIGHT_BIT: "256",
                      ColorSystem.STANDARD: "standard"}[color_system]
    console = Console(color_system=console_system, force_terminal=True)  # type: ignore[arg-type]
    return "".join(f"\x1b[{y + 1};1H" + Strip(line).render(console)
                   for y, line in enumerate(lines))


def our_output(lines: list[list[Segment]], color_system: ColorSystem) -> str:
    writer = SgrWriter(color_system)
    for y, line in enumerate(lines):
        writer.move_to(0, y)
        writer.write(line)
    return writer.finish()


@pytest.mark.parametrize("color_system",
                         [ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT, ColorSystem.STANDARD])
@pytest.mark.parametrize("seed", range(12))
def test_random_lines_paint_the_same_cells_as_textual_in_fewer_bytes(
        seed: int, color_system: ColorSystem) -> None:
    rng = random.Random(seed)
    lines = [random_segments(rng, rng.randint(1, 14)) for _ in range(6)]
    theirs, ours = Terminal(120, 6), Terminal(120, 6)
    theirs.feed(textual_output(lines, color_system))
    ours.feed(our_output(lines, color_system))
    assert ours.rows() == theirs.rows()
    assert ours.attributes == set() and not ours.foreground and not ours.background
    assert len(ours_sent := our_output(lines, color_system)) <= len(
        textual_output(lines, color_system)), ours_sent


def pen(style: str) -> Pen | None:
    return pen_of(Style.parse(style), ColorSystem.TRUECOLOR)


def test_a_change_of_foreground_sends_the_foreground_alone() -> None:
    assert transition(pen("#e0e0e0 on #121212"), pen("#98e024 on #121212")) == (
        "\x1b[38;2;152;224;36m")


def test_turning_bold_off_keeps_dim_and_the_colours() -> None:
    assert transition(pen("bold dim red on #121212"), pen("dim red on #121212")) == (
        "\x1b[22;2m")


def test_the_same_look_from_another_style_sends_nothing() -> None:
    assert transition(pen("red on #121212"), pen_of(Style.parse("red on #121212") + Style(
        meta={"offset": (1, 2)}), ColorSystem.TRUECOLOR)) == ""


def test_a_reset_and_the_whole_style_when_that_is_shorter() -> None:
    assert transition(pen("bold italic underline red on blue"), pen("green")) == "\x1b[0;32m"


def test_a_style_that_sets_nothing_resets() -> None:
    assert pen("") is None
    assert transition(pen("bold"), None) == "\x1b[0m"
    assert transition(None, None) == ""


def test_the_column_alone_when_the_cursor_stays_on_its_row() -> None:
    writer = SgrWriter(ColorSystem.TRUECOLOR)
    writer.move_to(3, 1)
    writer.write([Segment("ab")])
    writer.move_to(5, 1)
    writer.write([Segment("c")])
    writer.move_to(9, 1)
    writer.move_to(0, 2)
    assert writer.finish() == "\x1b[2;4Hab" + "c" + "\x1b[10G" + "\x1b[3;1H"
