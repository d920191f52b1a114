"""Turn a feed snapshot into the plain view data each widget renders (no Textual here).

Everything that decides *what* to show lives here, so it is unit-testable without a terminal:
freshness, limit badges, units. The comparison rows are built in tui.comparison_view and the
headlines in tui.news_view; the figures themselves come derived from providers.derived.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from neodymium.config.settings import Settings
from neodymium.providers import calendar, limits
from neodymium.providers.derived import RangeFigures, derived_for
from neodymium.providers.markets import market_info, zone
from neodymium.providers.relay.status import LinkState, RelayStatus
from neodymium.providers.store import Snapshot
from neodymium.providers.symbols import Market, Symbol, parse_symbol
from neodymium.providers.text import clean_text
from neodymium.tui import formatting as fmt
from neodymium.tui import status_words as words
from neodymium.tui.book_view import BookView, build_book, stats_rows, trade_side_rows
from neodymium.tui.comparison_view import (
    DEFAULT_WINDOW,
    ComparisonRow,
    build_comparison,
)
from neodymium.tui.freshness import Freshness, freshness
from neodymium.tui.news_view import NewsLine, NewsMemo, news_filter, news_title
from neodymium.tui.row_memo import RowMemo
from neodymium.tui.session_text import describe_session


@dataclass(frozen=True, slots=True)
class HeaderView:
    """The top status line."""

    title: str
    code: str
    venue: str
    session: str
    clock: str
    sources: str
    freshness: Freshness
    demo: bool
    problems: str = ""
    #: "via relay HOST · relay ok", or "relay unreachable · last update 42s ago" (empty: direct).
    relay: str = ""
    relay_down: bool = False
    #: ``offline: no source reachable (DNS lookup failed) · retrying in 28 s`` or "".
    offline: str = ""


@dataclass(frozen=True, slots=True)
class QuoteView:
    """The quote panel."""

    symbol: str
    name: str
    last: str
    change: str
    change_pct: str
    direction: str
    style: str
    rows: tuple[tuple[str, str], ...]
    freshness: Freshness
    badge: str | None = None
    last_value: float | None = None


@dataclass(frozen=True, slots=True)
class GaugeView:
    """The 52-week range gauge and today's range on the same scale."""

    low: float | None
    high: float | None
    last: float | None
    today_low: float | None
    today_high: float | None
    limit_down: float | None
    limit_up: float | None
    decimals: int
    style: str
    note: str = ""
    #: The note in fewer words, for a gauge too narrow for ``note`` (left out when neither fits).
    short_note: str = ""
    from_high_pct: float | None = None
    from_low_pct: float | None = None
    #: Why there is no range to draw (offline, no 52-week data), instead of "waiting".
    status: str = ""


@dataclass(frozen=True, slots=True)
class ValuationView:
    """P/E and market cap."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ScreenView:
    """Everything the main screen shows."""

    header: HeaderView
    quote: QuoteView
    gauge: GaugeView
    valuation: ValuationView
    comparison: tuple[ComparisonRow, ...]
    window: str
    news: tuple[NewsLine, ...] = field(default_factory=tuple)
    book: BookView | None = None
    #: Why the news pane is empty ("" when it has headlines).
    news_status: str = ""
    #: The news box's title: whose headlines it shows (the primary's or all).
    news_title: str = "News & announcements"


@dataclass(frozen=True, slots=True)
class PrimaryPanels:
    """The primary's panels: what the primary's quote, its figures and the settings make."""

    quote: QuoteView
    gauge: GaugeView
    valuation: ValuationView
    book: BookView | None


def venue_name(symbol: Symbol) -> str:
    """``SSE STAR``, ``SZSE ChiNext``, ``HKEX``: the exchange and, where it matters, the board."""
    info = market_info(symbol.market)
    rule = info.board_rule(symbol.board)
    board = rule.name if rule is not None else ""
    return " ".join(p for p in (info.exchange_names[symbol.exchange], board) if p)


def display_zone(settings: Settings, market: Market) -> tzinfo:
    """The zone times are shown in: the exchange's, unless the user chose one."""
    if settings.display.timezone == "exchange":
        return zone(market)
    return ZoneInfo(settings.display.timezone)


def build_header(snapshot: Snapshot | None, settings: Settings, now: datetime,
                 simulated: bool) -> HeaderView:
    """The status line: who, where, session, clock, sources and freshness."""
    primary = parse_symbol(settings.watch.primary)
    state = snapshot.quotes.get(primary.key) if snapshot else None
    name = clean_text(state.quote.name) if state and state.quote.name else primary.key
    venue = venue_name(primary)
    if state is not None and state.quote.currency not in (None, "CNY"):
        venue += f" · {state.quote.currency}"
    clock, session, relay = _timed_header(snapshot, settings, now, simulated)
    sources = ", ".join(state.sources()) if state else "—"
    problems = _problems(snapshot) if snapshot else ""
    return HeaderView(
        title=name, code=primary.key, venue=venue, session=session, clock=clock,
        sources=sources, freshness=freshness(state, now, settings, primary.market, simulated),
        demo=simulated, problems=problems, relay=relay,
        relay_down=bool(snapshot and snapshot.relay
                        and snapshot.relay.state is LinkState.UNREACHABLE),
    )


def _timed_header(snapshot: Snapshot | None, settings: Settings, now: datetime,
                  simulated: bool) -> tuple[str, str, str]:
    """The header's texts that time moves: the clock, the session and the relay's note."""
    primary = parse_symbol(settings.watch.primary)
    local = now.astimezone(display_zone(settings, primary.market))
    session = (simulated_session(primary.market, local) if simulated
               else describe_session(calendar.session_state(primary.market, now)))
    if not simulated and calendar.is_provisional(primary.market, local.date()):
        session += " · provisional calendar"
    relay = relay_note(snapshot.relay, now) if snapshot and snapshot.relay else ""
    return fmt.stamp_time(local, "%H:%M:%S"), session, relay


def simulated_session(market: Market, local: datetime) -> str:
    """The demo's session in the header: "Simulated session" while its exchange trades, and
    what it is doing otherwise ("Simulated · lunch break", "Simulated · closed")."""
    # Imported here: only the demo needs it, and the real watcher's first frame goes without.
    from neodymium.providers.simulated_hours import pause_name

    pause = pause_name(market, local.astimezone(zone(market)))
    return "Simulated session" if pause is None else f"Simulated · {pause}"


def relay_note(status: RelayStatus, now: datetime) -> str:
    """The header's word on the relay: which server, whether it is live, how old the news is."""
    if status.state is LinkState.UNREACHABLE:
        age = (f"last update {fmt.fmt_age((now - status.last_update).total_seconds())} ago"
               if status.last_update else "no update yet")
        note = f"relay unreachable · {age}"
        return note + (" · polling directly" if status.direct else "")
    if status.state is LinkState.CONNECTING:
        return f"connecting to relay {status.server}…"
    who = f" · relay {clean_text(status.active_relay)} ok" if status.active_relay else ""
    return f"via relay {status.server}{who}"


def _problems(snapshot: Snapshot) -> str:
    failing = [h for h in snapshot.health.values()
               if h.state in {"backoff", "circuit-open", "failing"}]
    parts = []
    if failing:
        parts.append("⚠ " + ", ".join(
            f"{h.name} {h.state} ({'/'.join(h.failing_kinds)})" if h.failing_kinds
            else f"{h.name} {h.state}" for h in failing))
    if snapshot.symbol_errors:
        parts.append(f"{len(snapshot.symbol_errors)} symbol(s) unavailable")
    return " · ".join(parts)


def build_quote(snapshot: Snapshot | None, settings: Settings, now: datetime,
                simulated: bool) -> QuoteView:
    """The quote panel for the primary symbol."""
    primary = parse_symbol(settings.watch.primary)
    state = snapshot.quotes.get(primary.key) if snapshot else None
    units = fmt.resolve_units(settings.display.units, primary)
    decimals = fmt.price_decimals(primary)
    convention = settings.display.colors
    fresh = freshness(state, now, settings, primary.market, simulated)
    if state is None:
        return QuoteView(primary.key, primary.key, "—", "—", "—", "flat", "", (), fresh)
    q = state.quote
    currency = q.currency or market_info(primary.market).currency
    figures = derived_for(snapshot, settings).of(primary.key) if snapshot else None
    info = figures.limit_info if figures else limits.LimitInfo()
    halted = fmt.status_badge(q)
    rows: tuple[tuple[str, str], ...] = (
        ("Open", fmt.fmt_price(q.open, decimals)),
        ("Prev", fmt.fmt_price(q.prev_close, decimals)),
        ("High", fmt.fmt_price(q.high, decimals)),
        ("Low", fmt.fmt_price(q.low, decimals)),
        ("Volume", fmt.fmt_volume(q.volume, units, fmt.shares_per_hand(primary))),
        ("Amount", fmt.fmt_money_unit(q.amount, units, currency)),
        ("Bid", fmt.fmt_price(q.bid, decimals)),
        ("Ask", fmt.fmt_price(q.ask, decimals)),
        ("Limit ↑", halted or fmt.fmt_price(info.up, decimals)),
        ("Limit ↓", halted or fmt.fmt_price(info.down, decimals)),
    )
    if primary.market is Market.CN:
        rows += trade_side_rows(q, primary, settings)
    badge = halted or info.note
    status = figures.limit_status if figures else limits.LimitStatus.NONE
    if badge is None and status is not limits.LimitStatus.NONE:
        badge = status.value
    return QuoteView(
        symbol=primary.key, name=clean_text(q.name or primary.key),
        last=fmt.fmt_price(q.last, decimals),
        change="" if halted else fmt.fmt_change(q.change, decimals),
        change_pct="" if halted else fmt.fmt_pct(q.change_pct),
        direction="flat" if halted else fmt.direction(q.change),
        style="" if halted else fmt.direction_style(q.change, convention), rows=rows,
        freshness=fresh, badge=badge, last_value=q.last,
    )


def build_gauge(snapshot: Snapshot | None, settings: Settings) -> GaugeView:
    """52-week range with today's range and limit bands on the same scale."""
    primary = parse_symbol(settings.watch.primary)
    decimals = fmt.price_decimals(primary)
    state = snapshot.quotes.get(primary.key) if snapshot else None
    if state is None:
        return GaugeView(None, None, None, None, None, None, None, decimals, "")
    q = state.quote
    figures = derived_for(snapshot, settings).of(primary.key) if snapshot else None
    span = figures.range_52w if figures else RangeFigures(None, None)
    note, short_note = ("52w from daily bars", "from bars") if span.from_bars else ("", "")
    if span.bars_low is not None and span.bars_high is not None:
        bars = f"{fmt.fmt_price(span.bars_low, decimals)}–{fmt.fmt_price(span.bars_high, decimals)}"
        note, short_note = f"bars (adjusted): {bars}", f"adj. {bars}"
    lims = figures.limits if figures else None
    return GaugeView(
        low=span.low, high=span.high, last=q.last, today_low=q.low, today_high=q.high,
        limit_down=lims[1] if lims else None, limit_up=lims[0] if lims else None,
        decimals=decimals, style=fmt.direction_style(q.change, settings.display.colors),
        note=note, short_note=short_note, from_high_pct=span.from_high_pct,
        from_low_pct=span.from_low_pct,
    )


def build_valuation(snapshot: Snapshot | None, settings: Settings) -> ValuationView:
    """P/E (labelled which) and market cap."""
    primary = parse_symbol(settings.watch.primary)
    state = snapshot.quotes.get(primary.key) if snapshot else None
    units = fmt.resolve_units(settings.display.units, primary)
    if state is None:
        return ValuationView((("P/E TTM", "—"), ("Mkt cap", "—")))
    q = state.quote
    currency = q.currency or "CNY"
    # Short labels so four values fit a 40-column panel: TTM first, then market cap.
    rows = [("P/E TTM", fmt.fmt_ratio(q.pe_ttm)),
            ("Mkt cap", fmt.fmt_money_unit(q.market_cap, units, currency))]
    if primary.market is Market.CN:
        rows[2:2] = stats_rows(q, primary, settings)[:2]  # P/B, and float cap under total cap
    if q.pe_dynamic is not None:
        rows.append(("P/E dyn", fmt.fmt_ratio(q.pe_dynamic)))
    if q.pe_static is not None:
        rows.append(("P/E static", fmt.fmt_ratio(q.pe_static)))
    if primary.market is Market.CN:
        rows.extend(stats_rows(q, primary, settings)[2:])
    return ValuationView(tuple(rows))


def build_screen(snapshot: Snapshot | None, settings: Settings, now: datetime,
                 simulated: bool, window: str = DEFAULT_WINDOW,
                 news_memo: NewsMemo | None = None,
                 next_polls: Mapping[str, datetime] | None = None,
                 all_news: bool = False,
                 comparison_memo: RowMemo[ComparisonRow] | None = None,
                 primary_memo: RowMemo[PrimaryPanels] | None = None) -> ScreenView:
    """Everything for the main screen from one snapshot (``news_memo``: the caller's, so the
    headlines are built once per snapshot rather than on every clock redraw; ``next_polls``:
    when the feed next polls each kind, for honest retry countdowns; ``all_news``: every
    headline rather than the primary's and the sector's; ``comparison_memo``: the caller's,
    so an unchanged symbol keeps its comparison row; ``primary_memo``: the caller's, so a
    snapshot that did not move the primary keeps its quote, gauge, valuation and book)."""
    primary = parse_symbol(settings.watch.primary)
    memo = news_memo or NewsMemo()
    scope = news_filter(snapshot, settings, all_news)
    header = build_header(snapshot, settings, now, simulated)
    panels = _primary_panels(snapshot, settings, now, simulated, primary, primary_memo)
    view = ScreenView(
        header=header,
        # The quote's freshness is the header's (the same quote, clock and settings).
        quote=replace(panels.quote, freshness=header.freshness),
        gauge=panels.gauge,
        valuation=panels.valuation,
        comparison=build_comparison(snapshot, settings, window, comparison_memo),
        window=window,
        news=memo.get(snapshot.news if snapshot else (), display_zone(settings, primary.market),
                      scope),
        book=panels.book,
        news_title=news_title(scope),
    )
    return _with_status_words(view, snapshot, settings, now, next_polls)


def _primary_panels(snapshot: Snapshot | None, settings: Settings, now: datetime,
                    simulated: bool, primary: Symbol,
                    memo: RowMemo[PrimaryPanels] | None) -> PrimaryPanels:
    """The primary's panels, kept in ``memo`` while its quote (and whether it is the cached
    one), figures and the settings stay the same objects (or equal); the quote's freshness is
    the caller's to set. The quote, not its state: each poll stamps a new receipt time on
    the state, also when the quote is the one polled before (the demo's 1 s polls of a 3 s
    snapshot), and only the freshness reads that time."""
    def build() -> PrimaryPanels:
        return PrimaryPanels(
            build_quote(snapshot, settings, now, simulated), build_gauge(snapshot, settings),
            build_valuation(snapshot, settings),
            build_book(snapshot, settings) if primary.market is Market.CN else None)

    if memo is None:
        return build()
    state = snapshot.quotes.get(primary.key) if snapshot else None
    figures = derived_for(snapshot, settings).of(primary.key) if snapshot and state else None
    memo.keep((primary.key,))
    inputs = (state.quote if state else None, state.from_cache if state else None,
              figures, settings)
    return memo.row(primary.key, inputs, build)


def with_clock(view: ScreenView, snapshot: Snapshot | None, settings: Settings, now: datetime,
               simulated: bool, next_polls: Mapping[str, datetime] | None = None) -> ScreenView:
    """``view`` (built from ``snapshot``) with only what the clock moves made again: the
    header's clock, session and relay note, the primary's freshness (the header's and the
    quote's, worked out once), and the retry countdowns of the gauge and news; the rest
    changes with a snapshot, not with a second."""
    primary = parse_symbol(settings.watch.primary)
    state = snapshot.quotes.get(primary.key) if snapshot else None
    fresh = freshness(state, now, settings, primary.market, simulated)
    clock, session, relay = _timed_header(snapshot, settings, now, simulated)
    view = replace(view, header=replace(view.header, clock=clock, session=session, relay=relay,
                                        freshness=fresh),
                   quote=replace(view.quote, freshness=fresh))
    return _with_status_words(view, snapshot, settings, now, next_polls)


def _with_status_words(view: ScreenView, snapshot: Snapshot | None, settings: Settings,
                       now: datetime, next_polls: Mapping[str, datetime] | None) -> ScreenView:
    """The honest-state texts (offline line, empty gauge, news status), which age with ``now``."""
    polls = next_polls or {}
    gauge = view.gauge
    if gauge.low is None or gauge.high is None or gauge.last is None:
        key = parse_symbol(settings.watch.primary).key
        gauge = replace(gauge, status=words.gauge_status(snapshot, settings, key, now, polls))
    return replace(
        view, gauge=gauge,
        header=replace(view.header, offline=words.offline_line(snapshot, settings, now, polls)),
        news_status=words.news_status(snapshot, settings, now, polls) or _none_for(view, settings))


def _none_for(view: ScreenView, settings: Settings) -> str:
    """Why a pane with headlines elsewhere shows none: the filter on the primary."""
    if view.news:
        return ""
    code = parse_symbol(settings.watch.primary).code
    return f"No headlines about {code} or its sector yet · n shows every headline."
