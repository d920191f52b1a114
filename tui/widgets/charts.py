"""Line charts drawn with plotext: the rebased comparison and the primary's price and volume.

The widgets only draw what they are handed (tui.chart_view builds it). Lines differ in colour
and in marker, so they can be told apart in 16 colours and in an SVG export; the legend is a
Rich line above the plot, because plotext counts a CJK character as one cell and would push
its own legend box out of line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from neodymium.tui.chart_axes import (
    VolumeBucket,
    bar_width,
    date_ticks,
    legend_lines,
    nearest_session,
    nice_ticks,
    tick_decimals,
    value_range,
    volume_buckets,
    volume_scale,
    volume_unit_name,
)
from neodymium.tui.chart_view import ChartData, Series
from plotext._dict import color_codes
from rich.console import Group, RenderableType
from rich.text import Text
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot


@dataclass(frozen=True)
class LineStyle:
    """A plotext colour name and marker, and the glyph the legend shows for them."""

    color: str
    marker: str
    glyph: str


#: One style per line, primary first: no two share a colour name or a marker. Bright colours
#: for dark themes, deeper ones for light themes.
LINE_STYLES: tuple[LineStyle, ...] = (
    LineStyle("orange+", "hd", "▄▀"),
    LineStyle("cyan+", "•", "••"),
    LineStyle("magenta+", "+", "++"),
    LineStyle("blue+", "x", "xx"),
    LineStyle("orange", "o", "oo"),
    LineStyle("cyan", "*", "**"),
    LineStyle("magenta", "=", "=="),
    LineStyle("gray+", "#", "##"),
)
LIGHT_LINE_STYLES: tuple[LineStyle, ...] = (
    LineStyle("blue", "hd", "▄▀"),
    LineStyle("magenta", "•", "••"),
    LineStyle("cyan", "+", "++"),
    LineStyle("orange", "x", "xx"),
    LineStyle("gray", "o", "oo"),
    LineStyle("blue+", "*", "**"),
    LineStyle("magenta+", "=", "=="),
    LineStyle("black", "#", "##"),
)
#: Up / down / flat volume bar colours by colour convention (cn: red up, us: green up).
BAR_COLORS = {"cn": ("red", "green", "gray"), "us": ("green", "red", "gray")}


def bar_convention(colors: str) -> str:
    """The key of BAR_COLORS a chart draws with: ``mono`` (NO_COLOR, where the terminal greys
    every colour and the text says up and down by weight) draws as ``cn``."""
    return colors if colors in BAR_COLORS else "cn"
#: The price line's style, by "the theme is dark".
PRICE_LINE = {True: LineStyle("cyan+", "hd", "▄▀"), False: LineStyle("blue", "hd", "▄▀")}
BASE_LINE_COLOR = "gray"
#: Below this many rows for the plot the volume panel is dropped.
MIN_ROWS_WITH_VOLUME = 8


def rich_color(name: str) -> str:
    """The Rich colour for a plotext colour name (the same 16-colour palette index)."""
    return f"color({color_codes[name]})"


def style_for(index: int, dark: bool = True) -> LineStyle:
    """The style of the ``index``-th line (cycling if there are more lines than styles)."""
    styles = LINE_STYLES if dark else LIGHT_LINE_STYLES
    return styles[index % len(styles)]



def _lines(plot: Plot) -> list[str]:
    """The plot's ANSI text as lines, without the empty line plotext ends with."""
    lines = plot.build().split("\n")
    while lines and not plot.uncolorize(lines[-1]).strip():
        lines.pop()
    return lines


def _padded(labels: Sequence[str], width: int) -> list[str]:
    return [label.rjust(width) for label in labels]


class _Chart(PlotextPlot):
    """A plotext plot with a Rich legend above it.

    plotext takes tens of milliseconds to build a figure, so the result is kept until the data,
    the size or the theme change; repaints in between reuse it.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._revision = 0
        self._drawn: tuple[object, RenderableType] | None = None

    def _changed(self) -> None:
        """New data: draw again at the next paint."""
        self._revision += 1
        self.refresh()

    def legend(self, width: int) -> list[Text]:
        """The legend lines for this width."""
        return []

    def draw(self, width: int, height: int) -> list[str]:
        """The plot as ANSI lines, at most ``height`` of them."""
        return []

    def empty_message(self) -> str:
        """What to say when there is nothing to draw."""
        return "no data"

    def has_data(self) -> bool:
        """True when there is something to draw."""
        return False

    def render(self) -> RenderableType:
        """Legend, then the plot in the rows that remain."""
        width, height = self.size.width, self.size.height
        if not self.has_data() or width < 10 or height < 3:
            return Text(self.empty_message(), style="dim", justify="center")
        key = (self._revision, width, height, self.app.theme)
        if self._drawn is None or self._drawn[0] != key:
            legend = self.legend(width)[: max(0, height - 3)]
            body = self.draw(width, height - len(legend))
            self._drawn = (key, Group(*legend, Text.from_ansi("\n".join(body), no_wrap=True)))
        return self._drawn[1]

    @property
    def dark(self) -> bool:
        """True under a dark theme (bright line colours), False under a light one."""
        return bool(self.app.current_theme.dark)

    def _new_plot(self, width: int, height: int) -> Plot:
        plot = Plot()
        # plotext caps a figure at the size of the terminal it guesses (80 columns under
        # pytest, say); the widget's size is what counts.
        plot._limit_size(False, False)  # type: ignore[attr-defined]
        plot.plotsize(width, height)
        plot._set_size(width, height)
        plot.theme(self._get_plotext_theme_name(self.app.theme))
        return plot


class ComparisonChart(_Chart):
    """Lines rebased to 100, one per symbol, on a calendar-date axis with a line at 100."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.data: ChartData | None = None

    def show(self, data: ChartData) -> None:
        """Draw this chart data (nothing to do when it is what is shown)."""
        if data != self.data:
            self.data = data
            self._changed()

    def has_data(self) -> bool:
        return self.data is not None and any(s.y for s in self.data.series)

    def empty_message(self) -> str:
        if self.data is None:
            return "waiting for data…"
        return f"no history to chart over {self.data.window}: {self.data.note}"

    def legend(self, width: int) -> list[Text]:
        assert self.data is not None
        lines = legend_lines(self._legend_items(compact=False), width)
        if len(lines) > max(1, self.size.height // 6):
            lines = legend_lines(self._legend_items(compact=True), width)
        return lines

    def _legend_items(self, compact: bool) -> list[tuple[str, str, str]]:
        """Glyph, colour and "label change" per line; ``compact`` keeps only the code."""
        assert self.data is not None
        items = []
        for index, series in enumerate(self.data.series):
            style = style_for(index, self.dark)
            label = series.label.split(" ", 1)[0] if compact else series.label
            change = f" {series.y[-1] - 100.0:+.1f}%" if series.y else ""
            items.append((style.glyph, rich_color(style.color), label + change))
        return items

    def draw(self, width: int, height: int) -> list[str]:
        assert self.data is not None
        drawn = [(index, s) for index, s in enumerate(self.data.series) if s.y]
        values = [v for _, s in drawn for v in s.y]
        # One column step per session of any line: no weekend gaps, calendars still aligned.
        days = sorted({d for _, s in drawn for d in s.x})
        position = {day: index for index, day in enumerate(days)}
        plot = self._new_plot(width, height)
        low, high = value_range(values)
        ticks = nice_ticks(low, high, max(2, (height - 3) // 2))
        decimals = tick_decimals(ticks)
        plot.yticks(ticks, [f"{t:.{decimals}f}" for t in ticks])
        plot.ylim(low, high)
        if low <= 100.0 <= high:
            plot.hline(100.0, BASE_LINE_COLOR)
        for index, series in drawn:
            style = style_for(index, self.dark)
            plot.plot([position[d] for d in series.x], list(series.y), color=style.color,
                      marker=style.marker)
        label_width = max(map(len, (f"{t:.{decimals}f}" for t in ticks)), default=3)
        sessions = [date.fromisoformat(d) for d in days]
        labelled = date_ticks(sessions, width - label_width - 2)
        plot.xticks([nearest_session(sessions, day) for day, _ in labelled],
                    [label for _, label in labelled])
        plot.xlim(0, max(1, len(days) - 1))
        plot.xaxes(True, False)
        return _lines(plot)[:height]


class PriceChart(_Chart):
    """The primary's closes with daily volume bars below, one column per session.

    Volume bars are coloured by the day's direction in the user's convention (cn: red up).
    """

    def __init__(self, *, colors: str = "cn", **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.convention = bar_convention(colors)
        self.closes = Series("", (), ())
        self.volumes = Series("", (), ())
        self.unit = "shares"
        self.decimals = 2

    def show(self, closes: Series, volumes: Series, *, unit: str = "shares",
             decimals: int = 2) -> None:
        """Draw these closes (quoted with ``decimals``) and volumes (in ``unit``: shares or 手)."""
        if (closes, volumes, unit, decimals) != (self.closes, self.volumes, self.unit,
                                                 self.decimals):
            self.closes, self.volumes = closes, volumes
            self.unit, self.decimals = unit, decimals
            self._changed()

    def has_data(self) -> bool:
        return bool(self.closes.y)

    def empty_message(self) -> str:
        return "no daily history for the primary yet"

    def legend(self, width: int) -> list[Text]:
        up, down, flat = BAR_COLORS[self.convention]
        line = PRICE_LINE[self.dark]
        items = [(line.glyph, rich_color(line.color),
                  f"{self.closes.label} {self.closes.y[-1]:.{self.decimals}f}")]
        if self.volumes.y:
            unit = volume_unit_name(max(self.volumes.y), self.unit)
            items.append(("██", rich_color(up), f"volume ({unit}) up"))
            items.append(("██", rich_color(down), "down"))
            items.append(("██", rich_color(flat), "flat"))
        return legend_lines(items, width)

    def draw(self, width: int, height: int) -> list[str]:
        sessions = [date.fromisoformat(d) for d in self.closes.x]
        with_volume = height >= MIN_ROWS_WITH_VOLUME and bool(self.volumes.y)
        volume_rows = max(4, height // 3) if with_volume else 0
        low, high = value_range(self.closes.y)
        price_ticks = nice_ticks(low, high, max(2, (height - volume_rows - 2) // 2))
        price_labels = [f"{t:.{tick_decimals(price_ticks)}f}" for t in price_ticks]
        # Bars are bucketed for the cells the price labels leave (volume labels are shorter).
        buckets = volume_buckets(self.closes, self.volumes,
                                 width - max(map(len, price_labels), default=3) - 2)
        with_volume = with_volume and bool(buckets)
        volume_rows = volume_rows if with_volume else 0
        volume_ticks, volume_labels = self._volume_ticks(buckets) if with_volume else ([], [])
        label_width = max(map(len, price_labels + volume_labels), default=3)
        dated = date_ticks(sessions, width - label_width - 2)
        x_ticks = [float(nearest_session(sessions, day)) for day, _ in dated]
        x_labels = [label for _, label in dated]
        xmax = max(1, len(sessions) - 1)

        price = self._new_plot(width, height - volume_rows)
        line = PRICE_LINE[self.dark]
        price.plot(list(range(len(sessions))), list(self.closes.y), color=line.color,
                   marker=line.marker)
        price.yticks(price_ticks, _padded(price_labels, label_width))
        price.ylim(low, high)
        price.xlim(0, xmax)
        price.xaxes(True, False)
        if with_volume:
            price.xticks([], [])
        else:
            price.xticks(x_ticks, x_labels)
        lines = _lines(price)
        if not with_volume:
            return lines[:height]

        volume = self._new_plot(width, volume_rows)
        for direction, color in zip(("up", "down", "flat"), BAR_COLORS[self.convention],
                                    strict=True):
            chosen = [b for b in buckets if b.direction == direction]
            if chosen:
                xs = [b.x for b in chosen]
                volume.bar(xs, [b.volume for b in chosen], color=color,
                           width=bar_width(xs, chosen[0].span), marker="hd")
        volume.xaxes(True, False)
        volume.yticks(volume_ticks, _padded(volume_labels, label_width))
        volume.ylim(0.0, max(max(b.volume for b in buckets), 1.0))
        volume.xlim(0, xmax)
        volume.xticks(x_ticks, x_labels)
        return (lines + _lines(volume))[:height]

    def _volume_ticks(self, buckets: Sequence[VolumeBucket]) -> tuple[list[float], list[str]]:
        """Round values from 0 to the tallest bar, in the legend's scale (ASCII labels only)."""
        size, _ = volume_scale(max(self.volumes.y), self.unit)
        peak = max(b.volume for b in buckets) / size
        ticks = [t for t in nice_ticks(0.0, peak, 2) if t <= peak]
        decimals = tick_decimals(ticks)
        return [t * size for t in ticks], [f"{t:.{decimals}f}" for t in ticks]

