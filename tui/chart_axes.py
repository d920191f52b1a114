"""Pure chart arithmetic: round axis ticks, date labels, volume buckets and legend packing.

No widget and no plotext here, so each rule is unit-tested on its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from neodymium.tui.chart_view import Series, day_directions
from rich.cells import cell_len
from rich.text import Text

#: Cells a date tick label is given (with its gap) when deciding how many fit.
TICK_CELLS = 11
LEGEND_GAP = "   "


def legend_lines(items: Sequence[tuple[str, str, str]], width: int) -> list[Text]:
    """Legend entries ``(glyph, rich colour, label)`` packed into lines of ``width`` cells."""
    lines: list[Text] = []
    current = Text(no_wrap=True, overflow="ellipsis")
    for glyph, color, label in items:
        entry = Text(no_wrap=True, overflow="ellipsis")
        entry.append(glyph, style=f"bold {color}")
        entry.append(" " + label)
        if current.cell_len and current.cell_len + cell_len(LEGEND_GAP) + entry.cell_len > width:
            lines.append(current)
            current = Text(no_wrap=True, overflow="ellipsis")
        if current.cell_len:
            current.append(LEGEND_GAP)
        current.append_text(entry)
    if current.cell_len:
        lines.append(current)
    for line in lines:
        line.truncate(max(1, width), overflow="ellipsis")
    return lines


def nice_ticks(low: float, high: float, count: int) -> list[float]:
    """Round values (steps of 1, 2, 2.5 or 5 × 10^k) inside [low, high], about ``count`` of them.

    At least two whenever a round step fits twice; a tie goes to the larger step.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    if high <= low:
        return [low]
    power = math.floor(math.log10((high - low) / max(1, count)))
    steps = [m * 10.0 ** p for p in (power - 1, power, power + 1) for m in (1.0, 2.0, 2.5, 5.0)]

    def ticks_of(step: float) -> list[float]:
        first = math.ceil(low / step - 1e-9)
        last = math.floor(high / step + 1e-9)
        return [round(n * step, 10) for n in range(first, last + 1)]

    candidates = [ticks_of(step) for step in sorted(steps, reverse=True)]
    usable = [ticks for ticks in candidates if len(ticks) >= 2] or candidates[-1:]
    return min(usable, key=lambda ticks: abs(len(ticks) - count))


def value_range(values: Sequence[float]) -> tuple[float, float]:
    """The lowest and highest value, widened by 1 % when they are equal (plotext needs a span)."""
    low, high = min(values), max(values)
    if high - low < 1e-9:
        pad = max(abs(low) * 0.01, 0.01)
        return low - pad, high + pad
    return low, high


def tick_decimals(ticks: Sequence[float]) -> int:
    """Decimals that tell neighbouring ticks apart (0 to 3)."""
    if len(ticks) < 2:
        return 0 if not ticks or float(ticks[0]).is_integer() else 2
    step = ticks[1] - ticks[0]
    for decimals in range(4):
        if abs(round(step, decimals) - step) < step * 1e-6:
            return decimals
    return 3


def volume_scale(peak: float, unit: str) -> tuple[float, str]:
    """Divisor and suffix for volume ticks, so tick labels stay ASCII (万/亿 go in the legend)."""
    steps = ((1e8, "亿"), (1e4, "万")) if unit == "手" else ((1e9, "B"), (1e6, "M"), (1e3, "K"))
    for size, suffix in steps:
        if peak >= size:
            return size, suffix
    return 1.0, ""


def volume_unit_name(peak: float, unit: str) -> str:
    """What a legend calls the volume ticks' unit at ``peak``: "万手", "手", "K shares"."""
    _, suffix = volume_scale(peak, unit)
    return f"{suffix}手" if unit == "手" else f"{suffix} shares".strip()


def date_ticks(days: Sequence[date], width: int) -> list[tuple[date, str]]:
    """Dates to label on an axis ``width`` cells wide, with their labels.

    Spans over about four months are labelled at month starts ("2025-07"), shorter ones at
    sessions ("01-23"); as many as fit without crowding.
    """
    if not days:
        return []
    first, last = days[0], days[-1]
    room = max(2, width // TICK_CELLS)
    if (last - first).days > 120:
        months = []
        cursor = date(first.year, first.month, 1)
        while cursor <= last:
            if cursor >= first:
                months.append(cursor)
            cursor = (cursor + timedelta(days=32)).replace(day=1)
        every = max(1, math.ceil(len(months) / room))
        return [(day, day.strftime("%Y-%m")) for day in months[::every]]
    every = max(1, math.ceil(len(days) / room))
    picked = list(days[::every])
    return [(day, day.strftime("%m-%d")) for day in picked]


@dataclass(frozen=True)
class VolumeBucket:
    """One volume bar: ``span`` sessions centred at session index ``x``, their mean volume."""

    x: float
    span: int
    volume: float
    direction: str


def volume_buckets(closes: Series, volumes: Series, columns: int) -> list[VolumeBucket]:
    """Volume bars that fit ``columns`` cells: one per session, or groups of sessions.

    When sessions outnumber the cells, consecutive sessions (grouped from the latest back) share
    a bar showing their mean daily volume, coloured by the group's close against the close
    before it; otherwise later bars would simply paint over earlier ones in the same cell.
    """
    position = {day: index for index, day in enumerate(closes.x)}
    volume_at = dict(zip(volumes.x, volumes.y, strict=True))
    count = len(closes.x)
    span = max(1, math.ceil(count / max(1, columns)))
    directions = day_directions(closes)
    buckets = []
    for end in range(count, 0, -span):
        first = max(0, end - span)
        days = closes.x[first:end]
        known = [volume_at[day] for day in days if day in volume_at]
        if not known:
            continue
        if span == 1:
            direction = directions[days[0]]
        else:
            before = closes.y[first - 1] if first else closes.y[first]
            after = closes.y[end - 1]
            direction = "up" if after > before else ("down" if after < before else "flat")
        buckets.append(VolumeBucket((position[days[0]] + position[days[-1]]) / 2, span,
                                    sum(known) / len(known), direction))
    return buckets[::-1]



def bar_width(xs: Sequence[float], span: float) -> float:
    """The ``width`` plotext needs for bars ``span`` sessions wide.

    plotext scales a bar's width by the mean gap between the x values of one call, so a
    sparse set (the few flat days) would otherwise draw bars many sessions wide.
    """
    if len(xs) < 2 or max(xs) == min(xs):
        return min(1.0, span)
    return min(1.0, span * (len(xs) - 1) / (max(xs) - min(xs)))


def nearest_session(sessions: Sequence[date], day: date) -> int:
    """Index of the first session on/after ``day`` (the last one if none is)."""
    for index, session in enumerate(sessions):
        if session >= day:
            return index
    return len(sessions) - 1
