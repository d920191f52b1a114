"""The comparison table's rows: the primary and each comparison symbol over a return window.

The figures come derived from the snapshot (providers.derived); this module only formats them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from neodymium.config.settings import Settings
from neodymium.providers.derived import SymbolFigures, derived_for
from neodymium.providers.store import QuoteState, Snapshot
from neodymium.providers.symbols import Market, parse_symbol
from neodymium.providers.text import clean_text
from neodymium.tui import formatting as fmt
from neodymium.tui.formatting import Convention
from neodymium.tui.row_memo import RowMemo

if TYPE_CHECKING:
    from neodymium.providers.analytics import Comparison

#: Windows the comparison table can show, in the order the window keys cycle through.
TABLE_WINDOWS = ("1D", "5D", "1M", "3M", "6M", "YTD", "1Y")
DEFAULT_WINDOW = "1M"
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One line of the ETF comparison table: text per column and a number to sort it by."""

    symbol: str
    name: str
    spark: str
    spark_style: str
    last: str
    day_pct: str
    day_style: str
    window_return: str
    window_spread: str
    corr: str
    beta: str
    vol: str
    max_drawdown: str
    sort_values: Mapping[str, float | str | None]
    is_primary: bool = False
    stale: bool = False
    note: str | None = None
    #: ISO currency of the quote (shown when the table mixes currencies).
    currency: str = ""
    #: Return and spread text for every window (for wide tables that show several).
    returns: Mapping[str, str] = field(default_factory=dict)
    spreads: Mapping[str, str] = field(default_factory=dict)


def spark(values: Sequence[float]) -> str:
    """A one-line block sparkline, one cell per value, scaled min to max."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high <= low:
        return SPARK_BLOCKS[3] * len(values)
    top = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[round((v - low) / (high - low) * top)] for v in values)


@lru_cache(maxsize=256)
def spark_of(closes: tuple[float, ...]) -> str:
    """``spark`` of a row's closes, kept: a row is built again for each new quote, while its
    closes move only with the last price."""
    return spark(closes)


def stats_horizon(window: str) -> int:
    """Correlation/beta horizon that fits a return window: 60 sessions short, 250 long."""
    return 60 if window in {"1D", "5D", "1M", "3M"} else 250


def build_comparison(snapshot: Snapshot | None, settings: Settings,
                     window: str = DEFAULT_WINDOW,
                     memo: RowMemo[ComparisonRow] | None = None) -> tuple[ComparisonRow, ...]:
    """The primary and each comparison symbol: return and spread over ``window``, risk stats.
    With ``memo`` (the caller's, kept between snapshots) a symbol whose quote and figures did
    not change keeps the row built before, the same object."""
    if snapshot is None:
        return ()
    derived = derived_for(snapshot, settings)
    convention = settings.display.colors
    rows = []
    for key in derived.keys:
        state = snapshot.quotes.get(key)
        figures = derived.of(key)
        build = partial(_row, state, figures, derived.primary, window, convention)
        if memo is None:
            rows.append(build())
            continue
        inputs = (state.quote if state else None, state.from_cache if state else None,
                  figures, derived.primary, window, convention)
        rows.append(memo.row(key, inputs, build))
    if memo is not None:
        memo.keep(derived.keys)
    return tuple(rows)


def _row(state: QuoteState | None, figures: SymbolFigures, primary: str, window: str,
         convention: Convention) -> ComparisonRow:
    """One symbol's row: its quote and derived figures over ``window``."""
    key = figures.key
    symbol = parse_symbol(key)
    horizon = stats_horizon(window)
    comp = figures.comparison
    quote = state.quote if state else None
    closes = figures.spark
    trend = figures.trend
    ret = comp.returns.get(window) if comp else None
    spread = comp.spread.get(window) if comp and key != primary else None
    corr = (comp.corr_60 if horizon == 60 else comp.corr_250) if comp else None
    beta = (comp.beta_60 if horizon == 60 else comp.beta_250) if comp else None
    is_primary = key == primary
    return ComparisonRow(
        symbol=key,
        name=clean_text(quote.name) if quote and quote.name else key,
        spark=spark_of(closes), spark_style=fmt.direction_style(trend, convention),
        last=fmt.fmt_price(quote.last if quote else None, fmt.price_decimals(symbol)),
        day_pct=fmt.status_badge(quote) or fmt.fmt_pct(quote.change_pct if quote else None),
        day_style=fmt.direction_style(quote.change if quote else None, convention),
        window_return=fmt.fmt_pct(ret),
        window_spread="" if is_primary else _points(spread),
        corr="" if is_primary else fmt.fmt_ratio(corr),
        beta="" if is_primary else fmt.fmt_ratio(beta),
        vol=_percent(comp.vol_ann if comp else None),
        max_drawdown=_percent(comp.max_drawdown if comp else None),
        sort_values={
            "symbol": key, "name": clean_text(quote.name) if quote and quote.name else key,
            "spark": trend, "last": quote.last if quote else None,
            "day": quote.change_pct if quote else None, "return": ret, "spread": spread,
            "corr": corr, "beta": beta, "vol": comp.vol_ann if comp else None,
            "max_drawdown": comp.max_drawdown if comp else None,
            **{f"return:{w}": (comp.returns.get(w) if comp else None)
               for w in TABLE_WINDOWS},
            **{f"spread:{w}": (comp.spread.get(w) if comp and not is_primary else None)
               for w in TABLE_WINDOWS},
        },
        is_primary=is_primary,
        stale=state is None or state.from_cache,
        note=comp.note if comp else None,
        currency=(quote.currency if quote and quote.currency else
                  ("CNY" if symbol.market is Market.CN else "USD")),
        returns=_window_returns(comp),
        spreads=_window_spreads(comp, is_primary),
        )


def _window_returns(comp: Comparison | None) -> dict[str, str]:
    """Every window's return as text (wide tables show several windows)."""
    returns = comp.returns if comp else {}
    return {w: fmt.fmt_pct(returns.get(w)) for w in TABLE_WINDOWS}


def _window_spreads(comp: Comparison | None, is_primary: bool) -> dict[str, str]:
    """Every window's spread as text (blank on the primary's own row)."""
    spreads = comp.spread if comp and not is_primary else {}
    return {w: "" if is_primary else _points(spreads.get(w)) for w in TABLE_WINDOWS}


#: The table's note when it holds the primary alone ([watch] compare is empty).
NOTHING_TO_COMPARE = "nothing to compare with: a adds a symbol"


def comparison_note(rows: Sequence[ComparisonRow]) -> str:
    """One line naming symbols whose statistics use aligned or missing history, or saying
    how to add one when the table holds the primary alone."""
    notes = [f"{row.symbol}: {row.note}" for row in rows if row.note]
    if rows and all(row.is_primary for row in rows):
        notes.append(NOTHING_TO_COMPARE)
    return " · ".join(notes)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}pp"


