"""Turn a feed snapshot into the plain view data each widget renders (no Textual here).

Everything that decides *what* to show lives here, so it is unit-testable without a terminal:
freshness, limit badges, units, analytics for the comparison table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from neodymium.config.settings import Settings
from neodymium.providers import analytics, calendar, limits
from neodymium.providers.markets import market_info, zone
from neodymium.providers.models import Bar, NewsItem, Quote, TradingStatus
from neodymium.providers.store import Snapshot
from neodymium.providers.symbols import Market, Symbol, parse_symbol
from neodymium.providers.text import clean_text
from neodymium.tui import formatting as fmt
from neodymium.tui.chart_view import with_live_close
from neodymium.tui.freshness import Freshness, freshness

#: Badges shown in place of the change and the limits for codes that do not trade.
STATUS_BADGES = {TradingStatus.SUSPENDED: "停牌", TradingStatus.DELISTED: "退市",
                 TradingStatus.NOT_YET_LISTED: "未上市"}
#: The time column of an undated headline (never the fetch time dressed as a date).
UNDATED = "—"
#: Windows the comparison table can show, in the order the window keys cycle through.
TABLE_WINDOWS = ("1D", "5D", "1M", "3M", "6M", "YTD", "1Y")
DEFAULT_WINDOW = "1M"
SPARK_SESSIONS = 20
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"



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
    from_high_pct: float | None = None
    from_low_pct: float | None = None


@dataclass(frozen=True, slots=True)
class ValuationView:
    """P/E and market cap."""

    rows: tuple[tuple[str, str], ...]


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


@dataclass(frozen=True, slots=True)
class NewsLine:
    """One headline."""

    id: str
    time: str
    source: str
    title: str
    url: str | None
    kind: str
    summary: str
    published: str
    flag: str = ""  # "?" when the time is the fetch time standing in for a future date


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


def _halted(quote: Quote | None) -> str | None:
    """停牌 / 退市 / 未上市 for a code that does not trade, else None."""
    if quote is None or quote.status is None:
        return None
    return STATUS_BADGES.get(quote.status)


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
    zone = display_zone(settings, primary.market)
    local = now.astimezone(zone)
    session = ("Simulated session" if simulated
               else calendar.session_state(primary.market, now).describe())
    if not simulated and calendar.is_provisional(primary.market, local.date()):
        session += " · provisional calendar"
    sources = ", ".join(state.sources()) if state else "—"
    problems = _problems(snapshot) if snapshot else ""
    return HeaderView(
        title=name, code=primary.key, venue=venue, session=session,
        clock=local.strftime("%H:%M:%S %Z"), sources=sources,
        freshness=freshness(state, now, settings, primary.market, simulated),
        demo=simulated, problems=problems,
    )


def _problems(snapshot: Snapshot) -> str:
    failing = [h for h in snapshot.health.values() if h.state in {"backoff", "circuit-open"}]
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
    info = limits.limit_info(q, primary)
    halted = _halted(q)
    rows = (
        ("Open", fmt.fmt_price(q.open, decimals)),
        ("Prev", fmt.fmt_price(q.prev_close, decimals)),
        ("High", fmt.fmt_price(q.high, decimals)),
        ("Low", fmt.fmt_price(q.low, decimals)),
        ("Volume", fmt.fmt_volume(q.volume, units)),
        ("Amount", fmt.fmt_money(q.amount, units, currency)),
        ("Bid", fmt.fmt_price(q.bid, decimals)),
        ("Ask", fmt.fmt_price(q.ask, decimals)),
        ("Limit ↑", halted or fmt.fmt_price(info.up, decimals)),
        ("Limit ↓", halted or fmt.fmt_price(info.down, decimals)),
    )
    badge = halted or info.note
    if badge is None and info.prices is not None:
        status = limits.limit_status(q.last, info.prices[0], info.prices[1], q.prev_close,
                                     settings.display.near_limit_pct)
        badge = None if status is limits.LimitStatus.NONE else status.value
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
    bars = snapshot.bars.get(primary.key, ()) if snapshot else ()
    low, high = q.low_52w, q.high_52w
    note = ""
    computed = analytics.high_low_52w(bars, q.as_of.date()) if bars else None
    if computed is not None:
        c_high, c_low = computed[0], computed[1]
        if low is None or high is None:
            low, high = c_low, c_high
            note = "52w from daily bars"
        elif abs(c_high / high - 1) > 0.005 or abs(c_low / low - 1) > 0.005:
            note = (f"bars (adjusted): {fmt.fmt_price(c_low, decimals)}–"
                    f"{fmt.fmt_price(c_high, decimals)}")
    if q.last is not None and low is not None and high is not None:
        low, high = min(low, q.last), max(high, q.last)
    lims = limits.limit_info(q, primary).prices
    return GaugeView(
        low=low, high=high, last=q.last, today_low=q.low, today_high=q.high,
        limit_down=lims[1] if lims else None, limit_up=lims[0] if lims else None,
        decimals=decimals, style=fmt.direction_style(q.change, settings.display.colors),
        note=note,
        from_high_pct=analytics.pct_from(q.last, high) if high else None,
        from_low_pct=analytics.pct_from(q.last, low) if low else None,
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
    rows = [("P/E TTM", _ratio(q.pe_ttm)),
            ("Mkt cap", fmt.fmt_money(q.market_cap, units, currency))]
    if q.pe_dynamic is not None:
        rows.append(("P/E dyn", _ratio(q.pe_dynamic)))
    if q.pe_static is not None:
        rows.append(("P/E static", _ratio(q.pe_static)))
    return ValuationView(tuple(rows))


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


class ComparisonMemo:
    """Recompute analytics only when the bars or the last prices change."""

    def __init__(self) -> None:
        self._key: object = None
        self._value: Mapping[str, analytics.Comparison] = {}

    def get(self, primary: str, bars: Mapping[str, Sequence[Bar]], last: Mapping[str, float],
            asof: date) -> Mapping[str, analytics.Comparison]:
        """The comparisons, from the memo when nothing changed."""
        key = (primary, asof, tuple((k, len(b), b[-1] if b else None) for k, b in bars.items()),
               tuple(sorted(last.items())))
        if key != self._key:
            self._value = analytics.compare(primary, bars, last, asof)
            self._key = key
        return self._value


_MEMO = ComparisonMemo()


def spark(values: Sequence[float]) -> str:
    """A one-line block sparkline, one cell per value, scaled min to max."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high <= low:
        return SPARK_BLOCKS[3] * len(values)
    top = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[round((v - low) / (high - low) * top)] for v in values)


def stats_horizon(window: str) -> int:
    """Correlation/beta horizon that fits a return window: 60 sessions short, 250 long."""
    return 60 if window in {"1D", "5D", "1M", "3M"} else 250


def build_comparison(snapshot: Snapshot | None, settings: Settings,
                     window: str = DEFAULT_WINDOW) -> tuple[ComparisonRow, ...]:
    """The primary and each comparison symbol: return and spread over ``window``, risk stats."""
    if snapshot is None:
        return ()
    primary = parse_symbol(settings.watch.primary)
    keys = [primary.key] + [k for k in _valid_keys(settings.watch.compare) if k != primary.key]
    last = {k: s.quote.last for k, s in snapshot.quotes.items()
            if k in keys and s.quote.last is not None}
    # Today's live price is today's session: windows count back from it, not from the last bar.
    bars = {k: with_live_close(snapshot.bars.get(k, ()), snapshot, parse_symbol(k)) for k in keys}
    asof = max((b[-1].day for b in bars.values() if b), default=snapshot.as_of.date())
    comparisons = _MEMO.get(primary.key, bars, last, asof)
    horizon = stats_horizon(window)
    convention = settings.display.colors
    rows = []
    for key in keys:
        symbol = parse_symbol(key)
        state = snapshot.quotes.get(key)
        comp = comparisons.get(key)
        quote = state.quote if state else None
        closes = analytics.sparkline(bars[key], SPARK_SESSIONS) if bars[key] else []
        trend = (closes[-1] - closes[0]) if len(closes) > 1 else None
        ret = comp.returns.get(window) if comp else None
        spread = comp.spread.get(window) if comp and key != primary.key else None
        corr = (comp.corr_60 if horizon == 60 else comp.corr_250) if comp else None
        beta = (comp.beta_60 if horizon == 60 else comp.beta_250) if comp else None
        is_primary = key == primary.key
        rows.append(ComparisonRow(
            symbol=key,
            name=clean_text(quote.name) if quote and quote.name else key,
            spark=spark(closes), spark_style=fmt.direction_style(trend, convention),
            last=fmt.fmt_price(quote.last if quote else None, fmt.price_decimals(symbol)),
            day_pct=_halted(quote) or fmt.fmt_pct(quote.change_pct if quote else None),
            day_style=fmt.direction_style(quote.change if quote else None, convention),
            window_return=fmt.fmt_pct(ret),
            window_spread="" if is_primary else _points(spread),
            corr="" if is_primary else _ratio(corr),
            beta="" if is_primary else _ratio(beta),
            vol=_percent(comp.vol_ann if comp else None),
            max_drawdown=_percent(comp.max_drawdown if comp else None),
            sort_values={
                "symbol": key, "name": clean_text(quote.name) if quote and quote.name else key,
                "spark": trend, "last": quote.last if quote else None,
                "day": quote.change_pct if quote else None, "return": ret, "spread": spread,
                "corr": corr, "beta": beta, "vol": comp.vol_ann if comp else None,
                "max_drawdown": comp.max_drawdown if comp else None,
            },
            is_primary=is_primary,
            stale=state is None or state.from_cache,
            note=comp.note if comp else None,
        ))
    return tuple(rows)


def comparison_note(rows: Sequence[ComparisonRow]) -> str:
    """One line naming symbols whose statistics use aligned or missing history."""
    notes = [f"{row.symbol}: {row.note}" for row in rows if row.note]
    return " · ".join(notes)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}pp"


def _valid_keys(raw: Sequence[str]) -> list[str]:
    keys = []
    for text in raw:
        try:
            keys.append(parse_symbol(text).key)
        except ValueError:
            continue
    return keys


def build_news(
    items: Sequence[NewsItem], settings: Settings, market: Market
) -> tuple[NewsLine, ...]:
    """Headlines, newest first, in the display zone."""
    zone = display_zone(settings, market)
    lines = []
    for item in items:
        local = item.published.astimezone(zone)
        published = local.strftime("%Y-%m-%d %H:%M %Z")
        if not item.dated:
            published = f"undated (first seen {published})"
        elif item.clamped:
            published = f"{published} (the source dated it in the future; shown at fetch time)"
        lines.append(NewsLine(
            id=item.id, time=local.strftime("%m-%d %H:%M") if item.dated else UNDATED,
            source=clean_text(item.source), title=clean_text(item.title), url=item.url,
            kind=item.kind.value, summary=clean_text(item.summary or "", keep_newlines=True),
            published=published, flag="?" if item.clamped else "",
        ))
    return tuple(lines)


class NewsMemo:
    """Headlines change only with a snapshot, not with the 1 s clock redraw: build them once."""

    def __init__(self) -> None:
        self._items: Sequence[NewsItem] | None = None
        self._zone: tzinfo | None = None
        self._lines: tuple[NewsLine, ...] = ()

    def get(self, items: Sequence[NewsItem], settings: Settings,
            market: Market) -> tuple[NewsLine, ...]:
        """The lines for these items, rebuilt only when the items (or the zone) change."""
        zone = display_zone(settings, market)
        if items is not self._items or zone != self._zone:
            self._lines = build_news(items, settings, market)
            self._items, self._zone = items, zone
        return self._lines


_NEWS_MEMO = NewsMemo()


def build_screen(snapshot: Snapshot | None, settings: Settings, now: datetime,
                 simulated: bool, window: str = DEFAULT_WINDOW) -> ScreenView:
    """Everything for the main screen from one snapshot."""
    primary = parse_symbol(settings.watch.primary)
    return ScreenView(
        header=build_header(snapshot, settings, now, simulated),
        quote=build_quote(snapshot, settings, now, simulated),
        gauge=build_gauge(snapshot, settings),
        valuation=build_valuation(snapshot, settings),
        comparison=build_comparison(snapshot, settings, window),
        window=window,
        news=_NEWS_MEMO.get(snapshot.news if snapshot else (), settings, primary.market),
    )


def symbol_of(key: str) -> Symbol:
    """Parse a canonical key (for widgets that need decimals)."""
    return parse_symbol(key)
