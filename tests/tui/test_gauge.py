"""The 52-week gauge: the marker stays visible in every colour mode; limits are their own scale."""

from __future__ import annotations

from neodymium.tui.view import GaugeView
from neodymium.tui.widgets.range_gauge import RangeGauge, scale_line
from textual.app import App, ComposeResult
from textual.strip import Strip


def _style_at(line, index: int) -> str:
    return " ".join(str(span.style) for span in line.spans if span.start <= index < span.end)


def test_marker_is_never_dim_and_only_the_label_is() -> None:
    line = scale_line("52w", 20.0, 60.0, 2, 60, (40.0, 45.0), 42.0, "red")
    marker = line.plain.index("●")
    assert "dim" not in _style_at(line, marker) and "red" in _style_at(line, marker)
    assert "dim" in _style_at(line, 0)
    assert not line.style


def test_limit_row_has_its_own_track_and_ends() -> None:
    line = scale_line("limit", 45.41, 55.51, 2, 60, None, 50.0, "", track="╌", ends=("↓", "↑"))
    assert "↓45.41" in line.plain and line.plain.endswith("55.51↑") and "╌" in line.plain


class Gauge(App[None]):
    """The gauge alone, as wide as in the range panel at 160 columns."""

    CSS = "RangeGauge { width: 45; height: 4; }"

    def compose(self) -> ComposeResult:
        yield RangeGauge()


def gauge_view(last: float) -> GaugeView:
    return GaugeView(low=21.05, high=61.69, last=last, today_low=48.24, today_high=51.53,
                     limit_down=45.41, limit_up=55.51, decimals=2, style="red",
                     from_high_pct=(last / 61.69 - 1) * 100,
                     from_low_pct=(last / 21.05 - 1) * 100)


async def test_a_new_price_renders_only_the_gauge_lines_it_moved() -> None:
    app = Gauge()
    async with app.run_test(size=(60, 8)) as pilot:
        gauge = app.query_one(RangeGauge)
        gauge.view = gauge_view(50.60)
        await pilot.pause()
        before = [gauge.render_line(y) for y in range(4)]
        rendered: list[str] = []
        draw = gauge._strips_of

        def counting(renderable: object) -> list[Strip]:
            rendered.append(str(renderable))
            return draw(renderable)  # type: ignore[arg-type]

        gauge._strips_of = counting  # type: ignore[method-assign]
        gauge.view = gauge_view(50.64)  # the marker keeps its cell; the distances move
        assert rendered == []  # by digits alone: the old line's drawing with new digits
        after = [gauge.render_line(y) for y in range(4)]
        assert after[0] == before[0] and after[2] == before[2] and after[1] != before[1]
        gauge.refresh()  # a whole drawing shows the same
        assert [gauge.render_line(y) for y in range(4)] == after


def test_a_narrow_gauge_shortens_words_and_drops_a_label_but_keeps_every_figure() -> None:
    from neodymium.tui.widgets.range_gauge import distances

    view = gauge_view(51.38)
    for width in (22, 26, 30, 45):
        lines = RangeGauge.text_of(view, width).plain.split("\n")
        assert all(len(line) <= width for line in lines), (width, lines)
        assert lines[0].startswith("52w") and lines[0].endswith("61.69")
        assert "↓45.41" in lines[2] and lines[2].endswith("55.51↑")
        assert "-16.7%" in lines[1] and "+144.1%" in lines[1]
    assert distances(-16.7, 144.1, 40) == ["-16.7% from high", " · ", "+144.1% from low"]
    assert distances(-16.7, 144.1, 26) == ["high -16.7%", " · ", "low +144.1%"]
    assert distances(-16.7, 144.1, 22) == ["hi -16.7%", " · ", "lo +144.1%"]


def test_the_bars_note_is_shown_whole_shortened_or_not_at_all() -> None:
    from dataclasses import replace

    view = replace(gauge_view(50.46), note="bars (adjusted): 21.05–61.69",
                   short_note="adj. 21.05–61.69")
    distances_line = {width: RangeGauge.text_of(view, width).plain.split("\n")[1]
                      for width in (100, 63, 45)}
    assert distances_line[100].endswith("+139.7% from low · bars (adjusted): 21.05–61.69")
    assert distances_line[63].endswith("+139.7% from low · adj. 21.05–61.69")
    assert distances_line[45].endswith("+139.7% from low")  # no room: no part of a range
    assert all("…" not in line for line in distances_line.values())
