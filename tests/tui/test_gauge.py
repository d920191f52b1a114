"""The 52-week gauge: the marker stays visible in every colour mode; limits are their own scale."""

from __future__ import annotations

from neodymium.tui.widgets.range_gauge import scale_line


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
