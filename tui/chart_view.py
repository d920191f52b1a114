"""What the chart screen draws, from a feed snapshot (pure: no Textual here).

The comparison chart rebases the primary and each comparison symbol to 100 over a window; the
price chart gives the primary's closes and volumes. Both end at the live price when a quote is
newer than the last daily bar, and today counts as a session: a 5D line starts five sessions
before today, not before yesterday.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from neodymium.config.settings import Settings
from neodymium.providers import analytics
from neodymium.providers.derived import watched_keys, with_live_close
from neodymium.providers.models import Bar
from neodymium.providers.store import Snapshot
from neodymium.providers.symbols import Market, parse_symbol
from neodymium.providers.text import clean_text
from neodymium.tui import formatting as fmt

#: Windows the charts offer, in the order the keys 1..6 pick them (a one-day chart is no chart).
CHART_WINDOWS: tuple[str, ...] = tuple(w for w in analytics.WINDOWS if w != "1D")
DEFAULT_CHART_WINDOW = "1Y"
#: Cells a symbol's name may take in a legend label.
NAME_CELLS = 10


@dataclass(frozen=True)
class Series:
    """One line (or bar set) of a chart: ISO dates and their values, oldest first."""

    label: str
    x: tuple[str, ...]
    y: tuple[float, ...]


@dataclass(frozen=True)
class ChartData:
    """A titled set of series over a window, with a note on what was left out or aligned."""

    title: str
    window: str
    series: tuple[Series, ...]
    note: str


def check_window(window: str) -> str:
    """The window itself if the charts offer it; a ValueError naming the choices otherwise."""
    if window not in CHART_WINDOWS:
        raise ValueError(f"unknown chart window {window!r}; expected one of "
                         f"{', '.join(CHART_WINDOWS)}")
    return window


def short_name(snapshot: Snapshot | None, key: str) -> str:
    """A symbol's display name (from its quote, else the snapshot's names), cut to fit a legend."""
    name = ""
    if snapshot is not None:
        state = snapshot.quotes.get(key)
        name = (state.quote.name if state and state.quote.name else snapshot.names.get(key)) or ""
    name = clean_text(name)
    if not name or name == key:
        return ""
    return fmt.fit(name, NAME_CELLS).rstrip() if fmt.cell_width(name) > NAME_CELLS else name


def series_label(snapshot: Snapshot | None, key: str) -> str:
    """Code and short name, e.g. "600111.SS 北方稀土"."""
    name = short_name(snapshot, key)
    return f"{key} {name}" if name else key


def _start(window: str, bars_by_key: Mapping[str, Sequence[Bar]], primary: str
           ) -> tuple[date | None, bool]:
    """The window's start on the primary's sessions (all symbols' if it has none).

    The flag is True when the history is shorter than the window and the start is simply the
    first day there is.
    """
    days = [bar.day for bar in bars_by_key.get(primary, ())]
    if not days:
        days = [bar.day for bars in bars_by_key.values() for bar in bars]
    if not days:
        return None, False
    start = analytics.window_start(window, max(days), days)
    if start is None:
        return min(days), True
    return start, False


def _covers(bars: Sequence[Bar], start: date) -> bool:
    """A close on or before ``start`` and one on or after it: the window is covered."""
    return (any(bar.day <= start for bar in bars if _finite(bar.close))
            and any(bar.day >= start for bar in bars if _finite(bar.close)))


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def comparison_chart(snapshot: Snapshot | None, settings: Settings, window: str) -> ChartData:
    """The primary and each comparison symbol rebased to 100 at the window's start.

    The start is found on the primary's sessions; each line is rebased on its own first close
    on/after it (A-share and US calendars differ). Symbols without history across the start are
    left out and named in the note.
    """
    check_window(window)
    keys = list(watched_keys(settings))
    primary = keys[0]
    title = f"{primary} vs comparisons · rebased to 100 · {window}"
    if snapshot is None:
        return ChartData(title, window, (), "waiting for data")
    bars = {key: with_live_close(snapshot.bars.get(key, ()), snapshot, parse_symbol(key))
            for key in keys if snapshot.bars.get(key)}
    start, short = _start(window, bars, primary)
    if start is None:
        return ChartData(title, window, (), "no daily history yet")
    covered = {key: series for key, series in bars.items() if _covers(series, start)}
    missing = [key for key in keys if key not in covered]
    frame = analytics.rebased(analytics.closes_frame(covered), start)
    series = []
    for key in keys:
        if key not in covered:
            continue
        column = frame[key].dropna()
        days = tuple(stamp.date().isoformat() for stamp in column.index)
        series.append(Series(series_label(snapshot, key), days, tuple(column.tolist())))
    return ChartData(title, window, tuple(series), _comparison_note(
        start, short, series, missing, [parse_symbol(k).market for k in covered]))


def _comparison_note(start: date, short: bool, series: Sequence[Series], missing: Sequence[str],
                     markets: Sequence[Market]) -> str:
    parts = []
    if short:
        parts.append(f"history shorter than the window: from {start.isoformat()}")
    if len({s.x for s in series}) > 1:
        why = "CN/US calendars differ" if len(set(markets)) > 1 else "trading days differ"
        parts.append(f"{why}: each line based at its first close from {start.isoformat()}")
    else:
        parts.append(f"rebased at the close of {start.isoformat()}")
    if missing:
        parts.append("no history over the window: " + ", ".join(missing))
    return " · ".join(parts)


def volume_unit(settings: Settings) -> str:
    """The unit volumes are charted in: 手 (markets.shares_per_hand) with cn units, else shares."""
    primary = parse_symbol(settings.watch.primary)
    return "手" if fmt.resolve_units(settings.display.units, primary) == "cn" else "shares"


def price_chart(snapshot: Snapshot | None, settings: Settings, window: str
                ) -> tuple[Series, Series]:
    """The primary's closes and volumes over the window (volume in shares, or 手 with cn units).

    Days without a volume are left out of the volume series, never drawn as 0.
    """
    check_window(window)
    primary = parse_symbol(settings.watch.primary)
    unit = volume_unit(settings)
    close_label, volume_label = f"{primary.key} close", f"volume ({unit})"
    raw = snapshot.bars.get(primary.key, ()) if snapshot is not None else ()
    if snapshot is None or not raw:
        return Series(close_label, (), ()), Series(volume_label, (), ())
    bars = with_live_close(raw, snapshot, primary)
    start, _ = _start(window, {primary.key: bars}, primary.key)
    shown = [bar for bar in bars if start is not None and bar.day >= start and _finite(bar.close)]
    per = float(fmt.shares_per_hand(primary)) if unit == "手" else 1.0
    with_volume = [bar for bar in shown if _finite(bar.volume)]
    closes = Series(close_label, tuple(b.day.isoformat() for b in shown),
                    tuple(float(b.close) for b in shown))
    volumes = Series(volume_label, tuple(b.day.isoformat() for b in with_volume),
                     tuple(float(b.volume) / per for b in with_volume))  # type: ignore[arg-type]
    return closes, volumes


def day_directions(closes: Series) -> dict[str, str]:
    """"up", "down" or "flat" per date against the close before; the first date is "flat"."""
    result = dict.fromkeys(closes.x[:1], "flat")
    for day, before, now in zip(closes.x[1:], closes.y, closes.y[1:], strict=False):
        result[day] = "up" if now > before else ("down" if now < before else "flat")
    return result
