"""View data for the watchlist beside the quote: one compact row per symbol (no Textual here).

Rows follow the main panel's rules: the colour convention, the limit badge, the freshness
(stale or cached rows are marked), names cleaned of control characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from neodymium.config.settings import Settings
from neodymium.providers.derived import SymbolFigures, derived_for
from neodymium.providers.limits import LimitStatus
from neodymium.providers.models import DataKind, Quote
from neodymium.providers.store import Snapshot
from neodymium.providers.symbols import Symbol, SymbolError, parse_symbol
from neodymium.providers.text import clean_text
from neodymium.tui import formatting as fmt
from neodymium.tui.formatting import Convention
from neodymium.tui.freshness import freshness
from neodymium.tui.row_memo import RowMemo
from neodymium.tui.status_words import failing

#: The group that is ``[watch].symbols`` itself.
ALL_GROUP = "Watchlist"
#: Characters of a row's change %: its column less the space that keeps it off the price
#: (a limit-up +10.01% is shown "+10.0%", not run into the price).
PCT_CELLS = 6
#: Short badges for the narrow list (the quote panel spells them out).
BADGES = {
    LimitStatus.AT_UP: "涨停",
    LimitStatus.AT_DOWN: "跌停",
    LimitStatus.NEAR_UP: "↑近",
    LimitStatus.NEAR_DOWN: "↓近",
}


@dataclass(frozen=True, slots=True)
class WatchRow:
    """One line of the watchlist."""

    symbol: str
    code: str
    name: str
    last: str
    change_pct: str
    style: str
    badge: str = ""
    stale: bool = False
    primary: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class WatchListView:
    """The rows of the group on show, and which group it is out of how many."""

    group: str
    groups: tuple[str, ...]
    rows: tuple[WatchRow, ...]


def group_names(settings: Settings) -> tuple[str, ...]:
    """``[watch].symbols`` first, then each ``[watch.groups]`` table in file order."""
    return (ALL_GROUP, *settings.watch.groups)


def group_members(settings: Settings, group: str) -> list[str]:
    """The raw symbols of a group (the watchlist for ALL_GROUP or an unknown name)."""
    if group != ALL_GROUP and group in settings.watch.groups:
        return list(settings.watch.groups[group])
    return list(settings.watch.symbols)


def build_watchlist(snapshot: Snapshot | None, settings: Settings, group: str,
                    now: datetime, simulated: bool = False,
                    memo: RowMemo[WatchRow] | None = None) -> WatchListView:
    """The group's rows; a symbol without a quote shows its code and why it has none. With
    ``memo`` (the caller's, kept between snapshots) a symbol whose quote, figures and
    staleness did not change keeps the row built before, the same object."""
    groups = group_names(settings)
    group = group if group in groups else ALL_GROUP
    primary = settings.watch.primary
    # When no quote provider is reachable the header already says why; a row repeating the
    # transport error in place of the name ("tencent: DNS lookup…") says nothing of the symbol.
    offline = snapshot is not None and bool(failing(snapshot, settings, DataKind.QUOTES,
                                                    strict=False))
    rows = []
    for raw in dict.fromkeys(group_members(settings, group)):
        try:
            symbol = parse_symbol(raw)
        except SymbolError:
            rows.append(WatchRow(raw, clean_text(raw), "", fmt.MISSING, fmt.MISSING, "",
                                 note="not a symbol"))
            continue
        code = symbol.key.split(".")[0]
        state = snapshot.quotes.get(symbol.key) if snapshot else None
        if state is None:
            note = snapshot.symbol_errors.get(symbol.key, "") if snapshot and not offline else ""
            rows.append(WatchRow(symbol.key, code, "", fmt.MISSING, fmt.MISSING, "", stale=True,
                                 primary=symbol.key == primary, note=clean_text(note)))
            continue
        # Limits and their status come derived once per snapshot (none for halted codes and
        # new listings), not recomputed on every 1 s redraw.
        figures = derived_for(snapshot, settings).of(symbol.key) if snapshot else None
        stale = freshness(state, now, settings, symbol.market, simulated).stale
        build = partial(_quoted_row, symbol, state.quote, figures, stale,
                        symbol.key == primary, settings.display.colors)
        if memo is None:
            rows.append(build())
            continue
        inputs = (state.quote, figures, stale, primary, settings.display.colors)
        rows.append(memo.row(symbol.key, inputs, build))
    if memo is not None:
        memo.keep(row.symbol for row in rows)
    return WatchListView(group, groups, tuple(rows))


def _quoted_row(symbol: Symbol, q: Quote, figures: SymbolFigures | None, stale: bool,
                primary: bool, convention: Convention) -> WatchRow:
    """The row of a symbol with a quote."""
    badge = BADGES.get(figures.limit_status, "") if figures else ""
    halted = fmt.status_badge(q)
    if halted is not None:
        badge = halted
    elif q.last is None and q.prev_close is not None:
        badge = "停牌"  # no trade today: suspended or not yet traded
    return WatchRow(
        symbol=symbol.key, code=symbol.key.split(".")[0], name=clean_text(q.name or ""),
        last=fmt.fmt_price(q.last, fmt.price_decimals(symbol)),
        # A halted code is not trading flat or up: its badge stands in for the change.
        change_pct="" if halted else fmt.fmt_pct_within(q.change_pct, PCT_CELLS),
        style="" if halted else fmt.direction_style(q.change, convention),
        badge=badge, stale=stale, primary=primary,
    )


def moved(items: Sequence[str], index: int, step: int) -> list[str]:
    """``items`` with the one at ``index`` moved ``step`` places (clamped at the ends)."""
    out = list(items)
    target = max(0, min(len(out) - 1, index + step))
    out.insert(target, out.pop(index))
    return out
