"""The positions pane, the privacy key, and private exports that carry no masked figure."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from neodymium.config.loader import load_config
from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.providers.positions import value_positions
from neodymium.tui import export
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.positions_view import COLUMNS, MASK, position_cells, totals_text
from neodymium.tui.screens.positions import PositionPrompt, PositionsScreen, parse_position
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input

from tests.tui.conftest import FROZEN

POSITIONS = [
    {"symbol": "600111.SS", "shares": 1000, "cost": 41.235, "fees": 5},
    {"symbol": "159713.SZ", "shares": 20000, "cost": 1.05},
]


def positions_app(private: bool = False, config_path: Path | None = None) -> NeodymiumApp:
    settings = Settings.model_validate({
        "quotes": {"providers": ["demo"], "interval": 1.0}, "positions": POSITIONS,
    }).demo()
    return NeodymiumApp(settings, options=AppOptions(demo=True, seed=7, private=private,
                                                     config_path=config_path),
                        clock=FrozenClock(FROZEN))


def figures(app: NeodymiumApp) -> list[str]:
    """Every held figure the pane shows when not private, as it is written on screen."""
    assert app.snapshot is not None
    rows, totals = value_positions(app.settings.positions, app.snapshot.quotes)
    shown: list[str] = []
    for row in rows:
        cells = [c.plain for c in position_cells(row, "cn", False, app.settings.privacy)]
        shown += [cells[COLUMNS.index(name)]
                  for name in ("Held", "Value", "Day P&L", "Total P&L", "Total %", "Weight")]
    shown += re.findall(r"[-+]?[\d,]+\.\d\d元", totals_text(totals, "cn", False,
                                                            app.settings.privacy).plain)
    return shown


def visible_text(content: str | bytes, fmt: str) -> str:
    """What a reader sees, without markup or the spaces runs are split at."""
    text = content.decode() if isinstance(content, bytes) else content
    if fmt in {"svg", "html"}:
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("private", [False, True])
async def test_exports_in_private_mode_carry_no_masked_figure(private: bool) -> None:
    app = positions_app(private=private)
    async with app.run_test(size=(160, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PositionsScreen)
        secrets = figures(app)
        assert len(secrets) >= 12
        for fmt in ("txt", "svg", "html"):
            seen = visible_text(export.render(app, fmt), fmt)  # type: ignore[arg-type]
            leaked = [s for s in secrets if re.sub(r"\s+", "", s) in seen]
            if private:
                assert leaked == [], fmt
                assert re.sub(r"\s+", "", export.PRIVATE_STAMP) in seen, fmt
                assert MASK in seen
            else:  # the same check finds them when nothing is masked
                assert leaked == secrets, fmt
                assert "PRIVATE" not in seen


async def open_positions(app: NeodymiumApp, pilot) -> DataTable:
    """Wait for the data, press p, and return the positions table."""
    await app.data_ready.wait()
    await pilot.press("p")
    await pilot.pause()
    return app.screen.query_one(DataTable)


async def test_the_privacy_key_masks_and_unmasks_the_pane() -> None:
    app = positions_app()
    async with app.run_test(size=(160, 40)) as pilot:
        table = await open_positions(app, pilot)
        assert str(table.get_row_at(0)[2]) == "10手"
        await pilot.press("b")
        await pilot.pause()
        assert app.private and str(table.get_row_at(0)[2]) == MASK
        assert "PRIVATE" in export.stamp(app)
        await pilot.press("b")
        await pilot.pause()
        assert str(table.get_row_at(0)[2]) == "10手"


async def test_edit_and_remove_positions_written_back(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# my holdings\n[watch]\nprimary = \"600111.SS\"\n", encoding="utf-8")
    app = positions_app(config_path=path)
    async with app.run_test(size=(160, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.press("p", "e")
        await pilot.pause()
        assert isinstance(app.screen, PositionPrompt)
        prompt = app.screen.query_one(Input)
        assert prompt.value == "600111.SS 1000 41.235 5"
        prompt.value = "600111.SS 1200 40.5"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PositionsScreen)
        await pilot.press("down", "d")
        await pilot.pause()
    saved = load_config(path).settings
    assert [(p.symbol, str(p.shares), str(p.cost)) for p in saved.positions] == [
        ("600111.SS", "1200", "40.5")]
    assert path.read_text(encoding="utf-8").startswith("# my holdings\n")


def test_parse_position_says_what_is_wrong() -> None:
    assert parse_position("sh600111 100 3.5 1").fees == 1
    for text, reason in (("600111.SS 100", "SYMBOL SHARES COST"),
                         ("600111.SS x 3", "must be numbers"),
                         ("600111.SS -5 3", "shares: Input should be greater than 0"),
                         ("NOT A SYMBOL 1 2", "SYMBOL SHARES COST")):
        with pytest.raises(ValueError, match=reason):
            parse_position(text)


async def test_at_80_columns_the_whole_p_and_l_shows_and_costs_have_price_decimals() -> None:
    app = positions_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_positions(app, pilot)
        ends, x = {}, 0
        for column in table.ordered_columns:
            x += column.get_render_width(table)
            ends[str(column.label)] = x
        assert ends["Total P&L"] <= table.size.width < ends["Weight"]  # on screen unscrolled
        costs = [str(table.get_cell_at(Coordinate(row, COLUMNS.index("Cost"))))
                 for row in range(table.row_count)]
        assert costs == ["41.235", "1.050"]  # as entered, with the market's decimals
