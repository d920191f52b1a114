"""``neodymium quote``: poll once, print a table or JSON, exit (no TTY needed)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime

from neodymium.config.settings import Settings
from neodymium.providers import calendar, limits
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.markets import zone
from neodymium.providers.models import DataKind, Quote, TradingStatus
from neodymium.providers.runtime import Runtime
from neodymium.providers.store import QuoteState, Snapshot
from neodymium.providers.symbols import Symbol, parse_symbol
from neodymium.providers.text import clean_text
from neodymium.tui import formatting as fmt
from neodymium.tui.freshness import freshness
from neodymium.tui.status_words import unserved_words
from rich.console import Console
from rich.table import Table
from rich.text import Text


def quote_record(key: str, state: QuoteState, settings: Settings, now: datetime,
                 simulated: bool) -> dict[str, object]:
    """One quote as a JSON-ready dict with freshness and session."""
    symbol = parse_symbol(key)
    quote = state.quote
    fresh = freshness(state, now, settings, symbol.market, simulated)
    session = "simulated" if simulated else calendar.session_state(symbol.market, now).phase.value
    info = limits.limit_info(quote, symbol)
    return {
        "symbol": key,
        "name": clean_text(quote.name) if quote.name else None,
        "status": (quote.status or TradingStatus.UNKNOWN).value,
        "status_source": quote.status_source,
        "last": quote.last, "prev_close": quote.prev_close,
        "change": _rounded(quote.change, 6), "change_pct": _rounded(quote.change_pct, 4),
        "open": quote.open, "high": quote.high, "low": quote.low,
        "volume": quote.volume, "amount": quote.amount,
        "bid": quote.bid, "ask": quote.ask,
        "pe_ttm": quote.pe_ttm, "pe_dynamic": quote.pe_dynamic, "pe_static": quote.pe_static,
        "market_cap": quote.market_cap,
        "high_52w": quote.high_52w, "low_52w": quote.low_52w,
        "limit_up": info.up, "limit_down": info.down,
        "limit_source": info.source, "limit_note": info.note,
        "currency": quote.currency,
        **book_and_stats_record(quote),
        "as_of": quote.as_of.astimezone(zone(symbol.market)).isoformat(),
        "received_at": state.received_at.isoformat(),
        "age_s": None if fresh.age_s is None else round(fresh.age_s, 1),
        "delayed": fresh.delayed, "delay_s": quote.delay_s, "stale": fresh.stale,
        "stale_reason": fresh.reason, "freshness": fresh.label,
        "session": session,
        "sources": state.sources(),
    }


def book_and_stats_record(quote: Quote) -> dict[str, object]:
    """The 五档 book (volumes in shares) and the day's statistics; null where not sent."""
    book = None
    if quote.book is not None:
        book = {side: [{"price": level.price, "volume": level.volume} for level in levels]
                for side, levels in (("bids", quote.book.bids), ("asks", quote.book.asks))}
    return {
        "book": book,
        "turnover_rate": quote.turnover_rate, "volume_ratio": quote.volume_ratio,
        "amplitude": quote.amplitude, "pb": quote.pb,
        "float_market_cap": quote.float_market_cap, "avg_price": quote.avg_price,
        "inside_volume": quote.inside_volume, "outside_volume": quote.outside_volume,
    }


def quote_table(snapshot: Snapshot, settings: Settings, keys: Sequence[str],
                now: datetime | None = None, simulated: bool = False) -> Table:
    """A plain table of the quotes, CJK-aware, in the configured colour convention; with
    ``now``, a quote the screen would call STALE (by the exchange's clock) says so here too."""
    table = Table(header_style="bold", box=None)
    for column in ("Symbol", "Name", "Last", "Change", "%", "Volume", "As of", "Source"):
        table.add_column(column, justify="right" if column in {"Last", "Change", "%"} else "left",
                         no_wrap=column != "Source")
    for key in keys:
        state = snapshot.quotes.get(key)
        if state is None:
            table.add_row(key, "—", "—", "—", "—", "—", "—",
                          Text(_unserved_cell(key, snapshot, settings)))
            continue
        symbol = parse_symbol(key)
        q = state.quote
        decimals = fmt.price_decimals(symbol)
        style = fmt.direction_style(q.change, settings.display.colors)
        halted = fmt.STATUS_BADGES.get(q.status) if q.status is not None else None
        units = fmt.resolve_units(settings.display.units, symbol)
        table.add_row(
            key, Text(fmt.fit(clean_text(q.name or ""), 16)), fmt.fmt_price(q.last, decimals),
            Text(halted, style="bold magenta") if halted
            else Text(fmt.fmt_change(q.change, decimals), style=style),
            "" if halted else fmt.fmt_pct(q.change_pct),
            fmt.fmt_volume(q.volume, units, fmt.shares_per_hand(symbol)),
            _as_of(state, settings, symbol, now, simulated),
            Text(", ".join(state.sources())),
        )
    return table


def _unserved_cell(key: str, snapshot: Snapshot, settings: Settings) -> str:
    """The Source cell of a symbol no provider served: its cause in plain words (stderr has
    each provider's full reason), with an old Beijing code's successor."""
    reason = snapshot.symbol_errors.get(key)
    if reason is None:
        return "no data"
    return unserved_words(reason, settings.quotes.providers, key)


async def run_quote(settings: Settings, symbols: Sequence[str], *, as_json: bool,
                    timeout: float, seed: int | None = None,
                    clock: Clock = system_clock) -> int:
    """Poll quotes once and print them; each symbol not served is named on stderr with every
    provider's reason; exit 1 when no quote at all could be had."""
    if symbols:
        settings = settings.model_copy(update={"watch": settings.watch.model_copy(
            update={"primary": parse_symbol(symbols[0]).key if _valid(symbols[0]) else
                    settings.watch.primary, "symbols": list(symbols), "compare": []})})
    async with Runtime(settings, clock=clock, seed=seed, kinds={DataKind.QUOTES}) as runtime:
        snapshot = await runtime.poll_once(timeout)
    feed = runtime.feed
    keys = [s.key for s in feed.symbols]
    for raw, reason in feed.invalid_symbols.items():
        print(f"neodymium: skipped {raw}: {reason}", file=sys.stderr)
    missing = [k for k in keys if k not in snapshot.quotes]
    for key in missing:
        reason = snapshot.symbol_errors.get(key, "no provider answered in time")
        print(f"neodymium: {key} not served: {reason}", file=sys.stderr)
    now = clock()
    simulated = runtime.simulated
    if as_json:
        records = [quote_record(k, snapshot.quotes[k], settings, now, simulated)
                   for k in keys if k in snapshot.quotes]
        errors = {k: v for k, v in snapshot.symbol_errors.items()}
        print(json.dumps({"quotes": records, "errors": errors, "demo": simulated},
                         ensure_ascii=False, indent=2))
    else:
        # A pipe gets a wide, fixed width rather than wrapping at Rich's default of 80.
        console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)
        console.print(quote_table(snapshot, settings, keys, now, simulated))
        if simulated:
            console.print("DEMO: simulated data, not market prices", style="yellow")
    return 0 if snapshot.quotes else 1


def _as_of(state: QuoteState, settings: Settings, symbol: Symbol, now: datetime | None,
           simulated: bool) -> Text:
    """The exchange's time of the quote, and STALE when it is (as the screen's header)."""
    text = Text(fmt.stamp_time(state.quote.as_of.astimezone(zone(symbol.market)),
                               "%m-%d %H:%M:%S"))
    if now is not None and freshness(state, now, settings, symbol.market, simulated).stale:
        text.append(" STALE", style="bold red")
    return text


def _rounded(value: float | None, digits: int) -> float | None:
    """Drop float noise (0.5799999999999983) from derived values; None stays None."""
    return None if value is None else round(value, digits)


def _valid(text: str) -> bool:
    try:
        parse_symbol(text)
    except ValueError:
        return False
    return True
