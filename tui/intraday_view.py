"""View data for the 分时 chart (no Textual here): x on the lunch-compressed axis, price and
average lines, per-minute volumes coloured by the minute's move, limits when in range."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from neodymium.providers.intraday import SESSION_MINUTES, Intraday, minute_x
from neodymium.providers.models import Quote


@dataclass(frozen=True, slots=True)
class IntradayData:
    """What the chart draws; empty ``xs`` means nothing yet."""

    xs: tuple[int, ...] = ()
    prices: tuple[float, ...] = ()
    avgs: tuple[float | None, ...] = ()
    volumes: tuple[float, ...] = ()
    directions: tuple[str, ...] = ()
    prev_close: float | None = None
    limit_up: float | None = None
    limit_down: float | None = None
    day: str = ""
    source: str = ""
    #: The last x (240 for one session; 5 × 241 − 1 for 五日).
    span: int = 240
    #: Where each session starts and its MM-DD label (五日 only).
    day_starts: tuple[tuple[int, str], ...] = ()


def build_intraday(intraday: Intraday | None, quote: Quote | None = None) -> IntradayData:
    """Chart data; a minute that maps to the same x as an earlier one (13:00 after 11:30)
    replaces it, so the lunch break takes no room."""
    if intraday is None:
        return IntradayData()
    points: dict[int, tuple[float, float | None, float]] = {}
    for bar in intraday.bars:
        x = minute_x(bar.at.time())
        if x is None:
            continue
        volume = bar.volume or 0.0
        previous = points.get(x)
        points[x] = (bar.price, bar.avg_price, volume + (previous[2] if previous else 0.0))
    xs = tuple(sorted(points))
    prices = tuple(points[x][0] for x in xs)
    directions = []
    before = intraday.prev_close
    for price in prices:
        directions.append("flat" if before is None or price == before
                          else "up" if price > before else "down")
        before = price
    return IntradayData(
        xs=xs, prices=prices, avgs=tuple(points[x][1] for x in xs),
        volumes=tuple(points[x][2] for x in xs), directions=tuple(directions),
        prev_close=intraday.prev_close,
        limit_up=quote.limit_up if quote else None, limit_down=quote.limit_down if quote else None,
        day=intraday.day.isoformat(), source=intraday.source,
    )


def zero_line_range(data: IntradayData) -> tuple[float, float]:
    """A y range centred on the previous close that holds every price and average."""
    values = [*data.prices, *(a for a in data.avgs if a is not None)]
    centre = data.prev_close or (sum(values) / len(values))
    span = max((abs(v - centre) for v in values), default=0.0)
    span = max(span * 1.08, centre * 0.005)
    return centre - span, centre + span


def in_range(value: float | None, low: float, high: float) -> bool:
    """True when a limit price falls inside the drawn range."""
    return value is not None and low <= value <= high


def build_days(sessions: Sequence[Intraday], quote: Quote | None = None) -> IntradayData:
    """五日: the sessions side by side (each 241 marks), zero line at the first one's previous
    close, each session's average line its own."""
    if not sessions:
        return IntradayData()
    width = SESSION_MINUTES + 1
    parts = [build_intraday(session, quote) for session in sessions]
    xs: list[int] = []
    prices: list[float] = []
    avgs: list[float | None] = []
    volumes: list[float] = []
    directions: list[str] = []
    for k, part in enumerate(parts):
        xs.extend(x + k * width for x in part.xs)
        prices.extend(part.prices)
        avgs.extend(part.avgs)
        volumes.extend(part.volumes)
        directions.extend(part.directions)
    return IntradayData(
        xs=tuple(xs), prices=tuple(prices), avgs=tuple(avgs), volumes=tuple(volumes),
        directions=tuple(directions), prev_close=sessions[0].prev_close,
        limit_up=quote.limit_up if quote else None, limit_down=quote.limit_down if quote else None,
        day=f"{sessions[0].day.isoformat()}…{sessions[-1].day.isoformat()}",
        source=sessions[-1].source, span=len(sessions) * width - 1,
        day_starts=tuple((k * width, s.day.strftime("%m-%d")) for k, s in enumerate(sessions)),
    )
