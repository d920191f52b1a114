"""The 分时 volume pane: one bar per character column, never a comb of half-filled cells."""

from __future__ import annotations

import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.tui.headless import run_snapshot
from neodymium.tui.volume_cells import VolumeCell, canvas_columns, column_of, volume_cells
from plotext._utility import get_matrix_data

from tests.tui.conftest import demo_settings
from tests.tui.test_intraday import AFTERNOON


@pytest.mark.parametrize(("span", "columns"), [(240, 103), (240, 63), (1204, 101), (240, 300)])
def test_a_minute_lands_in_the_column_plotext_draws_it_in(span: int, columns: int) -> None:
    xs = [float(x) for x in range(span + 1)]
    dots = get_matrix_data(xs, [0.0, float(span)], 2 * columns)
    assert [column_of(x, span, columns) for x in xs] == [dot // 2 for dot in dots]


def test_minutes_sharing_a_column_make_one_bar_of_the_largest_volume() -> None:
    xs = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    volumes = [900.0, 10.0, 30.0, 20.0, 5.0, 7.0]
    prices = [10.0, 10.1, 10.0, 9.8, 9.9, 9.9]
    cells = volume_cells(xs, volumes, prices, 10.0, {0.0}, 5.0, 3)
    # Six minutes on three columns: x 0 and 1 share column 0, 2 and 3 column 1, 4 and 5 column 2.
    assert [column_of(x, 5.0, 3) for x in xs] == [0, 0, 1, 1, 2, 2]
    assert cells == [
        VolumeCell(0, 900.0, "up", True),      # 10.1 against the previous close 10.0
        VolumeCell(1, 30.0, "down", False),    # 9.8 against 10.1
        VolumeCell(2, 7.0, "up", False),       # 9.9 against 9.8
    ]


def test_a_flat_column_and_no_previous_close() -> None:
    assert volume_cells([0.0, 1.0], [1.0, 2.0], [5.0, 5.0], None, set(), 1.0, 1) == [
        VolumeCell(0, 2.0, "flat", False)]
    assert volume_cells([], [], [], 1.0, set(), 240.0, 80) == []


def test_the_canvas_width_is_read_off_the_bottom_axis() -> None:
    assert canvas_columns("  12.3 └──────┘   ") == 6
    assert canvas_columns("  12.3 ┤      ├   ") is None


def _volume_pane(text: str) -> list[str]:
    """The volume plot's rows: after the price plot's bottom axis, up to its own."""
    lines = text.splitlines()
    axes = [n for n, line in enumerate(lines) if "└" in line]
    price_axis, volume_axis = axes[0], axes[1]
    return [line[line.index("┤" if "┤" in line else "│", 2):] for line in
            lines[price_axis + 1:volume_axis]]


@pytest.mark.parametrize("size", [(80, 30), (120, 40), (200, 50)])
async def test_the_volume_pane_has_no_half_filled_columns(tmp_path, size: tuple[int, int]) -> None:
    """Drawn minute by minute, an up and a down minute sharing a cell left half of it blank
    (a cell has one colour): the pane read like a comb (▐▐▐▌▐)."""
    output = tmp_path / "intraday.txt"
    code = await run_snapshot(demo_settings(), fmt="txt", output=output, size=size,
                              timeout=20, seed=7, demo=True, clock=FrozenClock(AFTERNOON),
                              view="intraday")
    assert code == 0
    pane = _volume_pane(output.read_text(encoding="utf-8"))
    assert len(pane) >= 4
    assert not any(half in row for row in pane for half in "▐▌▗▖▝▘"), "\n".join(pane)
    bottom = pane[-1]
    assert bottom.count("█") >= 0.8 * (size[0] - 20)  # every minute's column has a bar


async def test_the_legend_shows_the_colours_the_lines_are_drawn_in() -> None:
    """The 均价 line was asked for in "yellow", a name plotext does not have: it drew in its
    default blue beside a yellow legend entry."""
    from neodymium.tui.widgets.charts import PRICE_LINE
    from neodymium.tui.widgets.intraday_chart import AVERAGE_COLOR
    from plotext._dict import color_codes

    from tests.tui.test_intraday import afternoon_app, open_intraday

    app = afternoon_app()
    async with app.run_test(size=(120, 40)) as pilot:
        chart = await open_intraday(app, pilot)
        legend = chart.legend(120)[0]
        styles = {legend.plain[span.start:span.end].strip(): str(span.style)
                  for span in legend.spans}
        drawn = "\n".join(chart.draw(110, 30))
        lines = (("━ avg 均价", AVERAGE_COLOR), ("━ price", PRICE_LINE[chart.dark].color))
        for label, name in lines:
            code = color_codes[name]  # a name plotext knows
            assert f"color({code})" in styles[label]
            assert f"\x1b[38;5;{code}m" in drawn
