"""The 52-week range gauge, today's range on the same scale, and the day's limit band."""

from __future__ import annotations

from neodymium.tui import formatting as fmt
from neodymium.tui.view import GaugeView
from neodymium.tui.widgets.cells import LineCache
from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive

LABEL_CELLS = 6
#: The fewest cells a gauge's bar keeps.
MIN_BAR = 4


def position(value: float, low: float, high: float, cells: int) -> int:
    """The cell index of value on a low..high scale of ``cells`` cells (clamped)."""
    if cells <= 1 or high <= low:
        return 0
    ratio = (value - low) / (high - low)
    return max(0, min(cells - 1, round(ratio * (cells - 1))))


#: The legend of the gauge rows (shown under the panel).
LEGEND = "● last  ━ today's range  ↓↑ limits"


def scale_line(label: str, low: float, high: float, decimals: int, width: int,
               segment: tuple[float, float] | None, marker: float | None,
               style: str, segment_style: str = "bold", track: str = "─",
               ends: tuple[str, str] = ("", "")) -> Text:
    """One gauge row: ``label low ──━━●━──── high`` fitted to ``width`` cells; ``track`` and
    ``ends`` (e.g. ↓ ↑) set a row apart as its own scale."""
    left = ends[0] + fmt.fmt_price(low, decimals)
    right = fmt.fmt_price(high, decimals) + ends[1]
    # Too narrow for label, prices and a bar: the label goes, never a price (a limit row's
    # ↓ ↑ still say what it is).
    label_cells = LABEL_CELLS if width - len(left) - len(right) - 2 - MIN_BAR >= LABEL_CELLS else 0
    cells = max(MIN_BAR, width - label_cells - len(left) - len(right) - 2)
    bar = [track] * cells
    styles = ["dim"] * cells
    if segment is not None:
        start = position(segment[0], low, high, cells)
        end = position(segment[1], low, high, cells)
        for index in range(start, end + 1):
            bar[index] = "━"
            styles[index] = segment_style
    if marker is not None:
        index = position(marker, low, high, cells)
        bar[index] = "●"
        styles[index] = f"bold {style}"
    # Only the label is dim: a dim base style would dim the marker too (dark grey in 16
    # colours and under NO_COLOR).
    line = Text()
    if label_cells:
        line.append(fmt.fit(label, label_cells), style="dim")
    line.append(left + " ")
    # One span a run of cells in one style (a span a cell made ~100 segments to render).
    start = 0
    for index in range(1, cells + 1):
        if index == cells or styles[index] != styles[start]:
            line.append("".join(bar[start:index]), style=styles[start])
            start = index
    line.append(" " + right)
    return line


def _pct1(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}%"


def distances(from_high: float | None, from_low: float | None, width: int) -> list[str]:
    """The price's distance from the 52-week high and low, in the longest wording that fits
    ``width`` (the figures are never cut): "-16.7% from high · +144.2% from low", then
    "high -16.7% · low +144.2%", then "hi -16.7% · lo +144.2%". Returned as its pieces:
    figures and words alternate with the separator."""
    high, low = _pct1(from_high), _pct1(from_low)
    forms = ([f"{high} from high", " · ", f"{low} from low"],
             [f"high {high}", " · ", f"low {low}"],
             [f"hi {high}", " · ", f"lo {low}"])
    for form in forms:
        if sum(len(piece) for piece in form) <= width:
            return form
    return forms[-1]


def fitting_note(view: GaugeView, room: int) -> str:
    """The gauge's note after the distances, in the longest wording that fits ``room`` cells
    whole (a range cut short would misstate it), or nothing."""
    for note in (view.note, view.short_note):
        text = f" · {note}"
        if note and cell_len(text) <= room:
            return text
    return ""


class RangeGauge(LineCache):
    """Renders a GaugeView; redraws to the width it is given, only the cells that changed."""

    view: reactive[GaugeView | None] = reactive(None, repaint=False)

    def watch_view(self) -> None:
        """Refresh the cells that differ between the old and the new gauge."""
        self.repaint_changes()

    def render(self) -> Text:
        """Three or four lines: 52w scale, distances, and the day's limit band."""
        return self.text_of(self.view, self.content_size.width)

    def text_lines(self) -> tuple[Text, ...] | None:
        """The gauge's lines, so that a new price renders only the lines it moved (mostly
        the distances from the high and the low); a status in a style of its own is drawn
        whole."""
        text = self.render()
        if text.style:
            return None
        return tuple(text.split("\n", allow_blank=True))

    @staticmethod
    def text_of(view: GaugeView | None, content_width: int) -> Text:
        """The gauge's lines at a width."""
        width = max(20, content_width)
        if view is None or view.low is None or view.high is None or view.last is None:
            if view is not None and view.status:
                return Text(view.status, style="bold yellow")
            return Text("52-week range: waiting for data…", style="dim")
        today = None
        if view.today_low is not None and view.today_high is not None:
            today = (view.today_low, view.today_high)
        out = scale_line("52w", view.low, view.high, view.decimals, width, today, view.last,
                         view.style)
        out.append("\n")
        indent = LABEL_CELLS if width >= 50 else 0
        out.append(" " * indent)
        pieces = distances(view.from_high_pct, view.from_low_pct, width - indent)
        high, separator, low = pieces
        out.append(high, style="bold")
        out.append(separator, style="dim")
        out.append(low, style="bold")
        note = fitting_note(view, width - indent - sum(cell_len(piece) for piece in pieces))
        if note:
            out.append(note, style="dim italic")
        if view.limit_down is not None and view.limit_up is not None:
            out.append("\n")
            out.append_text(scale_line("limit", view.limit_down, view.limit_up, view.decimals,
                                       width, today, view.last, view.style, "bold cyan",
                                       track="╌", ends=("↓", "↑")))
        out.no_wrap = True
        return out
