"""The header remakes only what a second moves: whenever the rest of the view is the same
(same ``still_key``), the parts it keeps plus the moving parts remade are exactly the parts
made from scratch."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from neodymium.tui.freshness import Freshness
from neodymium.tui.view import HeaderView
from neodymium.tui.widgets.status_bar import header_lines, moving_parts, parts_of, still_key

SESSIONS = ["Simulated session", "Continuous trading · closes in 1:02:03",
            "Continuous trading · closes in 1:02:02", "Lunch break · reopens in 9:59",
            "Lunch break · reopens in 9:58", "Lunch break · reopens in 10:00",
            "Closed · opens in 10:00:00"]
FIRST_LINE = ("status-title", "status-clock", "status-second", "status-session",
              "status-countdown")
CLOCKS = ["10:30:01 UTC+8", "10:30:02 UTC+8", "10:31:00 UTC+8", "09:59:59 CST"]


def fresh(chance: random.Random) -> Freshness:
    stale = chance.random() < 0.3
    return Freshness(chance.choice([None, 3.0]), stale=stale, delayed=chance.random() < 0.3,
                     label=chance.choice(["live", "stale 5 min"]),
                     stamp=chance.choice(["", "as of 10:30:01", "as of 10:30:02"]))


def header(chance: random.Random) -> HeaderView:
    return HeaderView(title=chance.choice(["北方稀土", "Rare Earth"]), code="600111.SS",
                      venue=chance.choice(["SSE main board", "SSE STAR"]),
                      session=chance.choice(SESSIONS), clock=chance.choice(CLOCKS),
                      sources=chance.choice(["demo", "eastmoney, sina"]),
                      freshness=fresh(chance), demo=chance.random() < 0.5,
                      problems=chance.choice(["", "⚠ sina backoff"]),
                      offline=chance.choice(["", "offline: no source reachable"]))


@pytest.mark.parametrize("seed", range(20))
def test_the_moving_parts_over_the_kept_ones_are_the_parts_made_anew(seed: int) -> None:
    chance = random.Random(seed)
    compared = 0
    for _ in range(200):
        before = header(chance)
        after = replace(before, clock=chance.choice(CLOCKS), freshness=fresh(chance),
                        session=chance.choice(SESSIONS))
        # Widths about where the venue stops fitting on the first line, and common ones.
        first = sum(parts_of(before, 1000)[part].cell_len for part in FIRST_LINE)
        width = chance.choice([60, 120, first - 1, first, first + 1])
        if still_key(after, width) != still_key(before, width):
            continue
        kept = parts_of(before, width)
        assert {**kept, **moving_parts(after)} == parts_of(after, width)
        compared += 1
    assert compared >= 5


def test_a_new_second_keeps_the_rest_of_the_header() -> None:
    view = header(random.Random(1))
    later = replace(view, clock="10:30:59 UTC+8", freshness=replace(view.freshness))
    assert still_key(later, 120) == still_key(view, 120)
    assert still_key(replace(view, problems="⚠ other"), 120) != still_key(view, 120)
    assert still_key(view, 80) != still_key(view, 120)


def test_the_header_lines_lay_the_parts_out_as_a_row_of_widgets_would() -> None:
    view = replace(header(random.Random(3)), session="Lunch break · reopens in 9:59",
                   clock="11:45:07 UTC+8", offline="", problems="", demo=False,
                   title="北方稀土", code="600111.SS", venue="SSE main board")
    parts = parts_of(view, 200)
    wide = header_lines(parts, 200)
    assert [line.cell_len for line in wide] == [200, 200]  # padded to the width
    assert wide[0].plain.rstrip() == "".join(parts[part].plain for part in FIRST_LINE)
    # Narrow: the countdown (the part that fills the first line) is cut with an ellipsis,
    # the parts before it keep their width.
    before = sum(parts[part].cell_len for part in FIRST_LINE[:-1])
    narrow = header_lines(parts, before + 2)
    assert narrow[0].plain == "".join(parts[part].plain for part in FIRST_LINE[:-1]) + "9…"
    # Narrower than the parts that do not fill: the line is cut at the edge, no ellipsis.
    cut = header_lines(parts, 10)
    assert [line.cell_len for line in cut] == [10, 10]
    assert cut[0].plain == "北方稀土  "  # four wide characters and two of the spaces after


def test_without_a_countdown_the_session_words_fill_the_first_line() -> None:
    view = replace(header(random.Random(4)), session="Simulated session", offline="",
                   clock="11:45:07 UTC+8")
    parts = parts_of(view, 200)
    before = sum(parts[part].cell_len for part in FIRST_LINE[:3])
    line = header_lines(parts, before + 6)[0]
    assert line.plain.endswith(parts["status-session"].plain[:5] + "…")


def test_a_part_that_no_longer_fits_whole_is_left_out_not_cut() -> None:
    view = replace(header(random.Random(5)), offline="offline: no source reachable (DNS lookup "
                   "failed) · retrying in 1 s", sources="tencent", problems="", demo=False)
    parts = parts_of(view, 80)
    second = header_lines(parts, 80)[1].plain
    assert second.startswith(" ⚠ offline: no source reachable (DNS lookup failed)")
    assert "source" not in second.removeprefix(" ⚠ offline: no source")  # no cut "source"
    fresh_part = parts["status-fresh"].plain.rstrip()
    assert second.rstrip().endswith(fresh_part)  # the freshness fits whole after the source
    wide = header_lines(parts, 160)[1].plain
    assert "source tencent" in wide  # with room, it is there


def test_the_code_is_shown_once_until_a_quote_gives_the_name() -> None:
    view = replace(header(random.Random(6)), title="600111.SS", demo=False)
    assert parts_of(view, 120)["status-title"].plain.startswith("600111.SS · ")
    named = replace(view, title="北方稀土")
    assert parts_of(named, 120)["status-title"].plain.startswith("北方稀土  600111.SS")
