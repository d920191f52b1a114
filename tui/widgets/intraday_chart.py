"""The 分时 chart: price and 均价 over 09:30–15:00 with the lunch break compressed, the previous
close as the zero line (% scale on the right), limit prices when in range, and volume bars in
the up/down colours with the opening auction's bar marked."""

from __future__ import annotations

from typing import Any

from neodymium.tui.chart_axes import volume_scale, volume_unit_name
from neodymium.tui.intraday_view import IntradayData, in_range, zero_line_range
from neodymium.tui.volume_cells import canvas_columns, volume_cells
from neodymium.tui.widgets.charts import (
    BAR_COLORS,
    MIN_ROWS_WITH_VOLUME,
    PRICE_LINE,
    _Chart,
    _lines,
    _padded,
    bar_convention,
    rich_color,
)
from rich.text import Text

#: plotext's "right" y axis (its stubs infer ``yside`` as a float from a None default).
RIGHT: Any = "right"
#: The 均价 line: plotext's name for the palette's yellow (it has no "yellow": an unknown name
#: fell back to its default blue, beside a yellow legend).
AVERAGE_COLOR = "orange"
AUCTION_COLOR = "blue"
X_TICKS = (0.0, 60.0, 120.0, 180.0, 240.0)
#: What the chart says with no minutes to draw: before the first answer, after a failure (the
#: screen's note gives the reason) and when the source had none.
LOADING = "loading the minute line…"
FAILED = "no minute line: the source failed (the reason is below)"
NO_MINUTES = "no minutes yet today: before the 09:30 open, or not trading"
X_LABELS = ("09:30", "10:30", "11:30|13:00", "14:00", "15:00")


class IntradayChart(_Chart):
    """Minute line of the primary; see the module docstring."""

    def __init__(self, *, colors: str = "cn", decimals: int = 2, hand: int | None = None,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.convention = bar_convention(colors)
        self.decimals = decimals
        #: Shares per 手 when volumes are shown in 手 (cn units), None for shares.
        self.hand = hand
        self.empty = LOADING
        self.data = IntradayData()

    def show(self, data: IntradayData, decimals: int, empty: str = LOADING) -> None:
        """New minutes (redrawn at the next paint only when they changed), and what to say
        while there are none."""
        if data != self.data or decimals != self.decimals or empty != self.empty:
            self.data, self.decimals, self.empty = data, decimals, empty
            self._changed()

    def has_data(self) -> bool:
        """True with at least one minute and a zero line."""
        return bool(self.data.xs) and self.data.prev_close is not None

    def empty_message(self) -> str:
        """Why there is no line: still loading, the source failed, or no minutes yet."""
        return self.empty

    def legend(self, width: int) -> list[Text]:
        """Price, 均价, zero line and the auction's bar."""
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("━ price  ", style=f"bold {rich_color(PRICE_LINE[self.dark].color)}")
        line.append("━ avg 均价  ", style=f"bold {rich_color(AVERAGE_COLOR)}")
        line.append("┄ prev close  ", style="dim")
        line.append("▌ 09:25 auction", style=AUCTION_COLOR)
        if any(self.data.volumes):
            _, unit = volume_label(max(self.data.volumes), self.hand)
            line.append(f"  volume ({unit})", style="dim")
        if self.data.source:
            line.append(f"  · {self.data.day} · {self.data.source}", style="dim")
        return [line]

    def draw(self, width: int, height: int) -> list[str]:
        """Price above volume, on one x axis of 241 minute marks."""
        data = self.data
        prev = data.prev_close
        assert prev is not None
        with_volume = height >= MIN_ROWS_WITH_VOLUME and any(data.volumes)
        volume_rows = max(4, height // 3) if with_volume else 0
        low, high = zero_line_range(data)
        ticks = [low + (high - low) * k / 4 for k in range(5)]
        price_labels = [f"{t:.{self.decimals}f}" for t in ticks]
        pct_labels = [f"{(t / prev - 1) * 100:+.2f}%" for t in ticks]
        peak = max(max(data.volumes), 1.0)
        volume_labels = ["0", volume_label(peak, self.hand)[0]]
        # Both plots get the same label widths on both sides, so their x axes line up.
        label_width = max(map(len, price_labels + volume_labels))
        right_width = max(map(len, pct_labels))
        xs = [float(x) for x in data.xs]

        price = self._new_plot(width, height - volume_rows)
        line = PRICE_LINE[self.dark]
        price.plot(xs, list(data.prices), color=line.color, marker=line.marker)
        averaged = [(x, a) for x, a in zip(xs, data.avgs, strict=True) if a is not None]
        if averaged:
            price.plot([x for x, _ in averaged], [a for _, a in averaged], color=AVERAGE_COLOR,
                       marker="hd")
        price.hline(prev, "gray")
        up, down = BAR_COLORS[self.convention][:2]
        for limit, color in ((data.limit_up, up), (data.limit_down, down)):
            if limit is not None and in_range(limit, low, high):
                price.hline(limit, color)
        # The same line against the right axis in percent: it overlays the price exactly.
        price.plot(xs, [(p / prev - 1) * 100 for p in data.prices], color=line.color,
                   marker=line.marker, yside=RIGHT)
        price.ylim(low, high)
        price.ylim((low / prev - 1) * 100, (high / prev - 1) * 100, yside=RIGHT)
        price.yticks(ticks, _padded(price_labels, label_width))
        price.yticks([(t / prev - 1) * 100 for t in ticks],
                     [label.ljust(right_width) for label in pct_labels], yside=RIGHT)
        x_ticks, x_labels = self._x_ticks()
        for start, _ in data.day_starts[1:]:
            price.vline(start - 0.5, "gray")
        price.xlim(0, data.span)
        price.xaxes(True, False)
        if with_volume:
            price.xticks([], [])
        else:
            price.xticks(x_ticks, x_labels)
        lines = _lines(price)
        if not with_volume:
            return lines[:height]

        columns = canvas_columns(price.uncolorize(lines[-1])) if lines else None
        if not columns:
            return lines[:height]
        volume = self._new_plot(width, volume_rows)
        colors = dict(zip(("up", "down", "flat"), BAR_COLORS[self.convention], strict=True))
        auctions = {float(x) for x, _ in data.day_starts} or {0.0}
        # An invisible right-side series gives the volume plot the price plot's right margin
        # (first: a bar drawn over it keeps its cell).
        volume.plot([0.0], [0.0], yside=RIGHT, marker=" ")
        # One bar per character column (see volume_cells), on an x axis in columns: on
        # 0 .. columns - 0.5 plotext puts x at half-block 2x, so [k, k + 0.5] fills column k.
        for cell in volume_cells(xs, data.volumes, data.prices, prev, auctions, data.span,
                                 columns):
            volume.bar([cell.column + 0.25], [cell.volume], width=0.5, marker="hd",
                       color=AUCTION_COLOR if cell.auction else colors[cell.direction])
        volume.ylim(0.0, peak)
        volume.ylim(0.0, peak, yside=RIGHT)
        volume.yticks([0.0, peak], _padded(volume_labels, label_width))
        volume.yticks([0.0], [" " * right_width], yside=RIGHT)
        scale = (columns - 0.5) / data.span
        volume.xlim(0, columns - 0.5)
        volume.xaxes(True, False)
        volume.xticks([tick * scale for tick in x_ticks], x_labels)
        return (lines + _lines(volume))[:height]

    def _x_ticks(self) -> tuple[list[float], list[str]]:
        """Clock times for one session, the sessions' dates for 五日."""
        if self.data.day_starts:
            return ([float(x) for x, _ in self.data.day_starts],
                    [label for _, label in self.data.day_starts])
        return list(X_TICKS), list(X_LABELS)


def volume_label(shares: float, hand: int | None) -> tuple[str, str]:
    """The tallest bar's tick label, ASCII (plotext mis-measures CJK), and the unit the legend
    names for it: ("63.4", "万手") for 63.4M shares in 手 of 100, ("63.4", "M shares") in shares."""
    unit = "手" if hand else "shares"
    value = shares / hand if hand else shares
    size, _ = volume_scale(value, unit)
    text = f"{value / size:.1f}" if size > 1 else f"{value:.0f}"
    return text, volume_unit_name(value, unit)
