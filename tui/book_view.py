"""View data for the 五档 order book and the day's statistics (no Textual here).

Labels come in English (the default) or Chinese (``[display].labels = "zh"``); book sizes are
shown in 手 with Chinese units and in shares with international ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from neodymium.config.settings import Settings
from neodymium.providers.models import BookLevel, Quote
from neodymium.providers.store import Snapshot
from neodymium.providers.symbols import Symbol, parse_symbol
from neodymium.tui import formatting as fmt

DEPTH = 5

#: label key → (English, Chinese)
LABELS: dict[str, tuple[str, str]] = {
    "ask": ("Ask", "卖"),
    "bid": ("Bid", "买"),
    "imbalance_pct": ("Imbal.", "委比"),
    "imbalance": ("Net", "委差"),
    "outside": ("Outside", "外盘"),
    "inside": ("Inside", "内盘"),
    "turnover_rate": ("Turnover", "换手率"),
    "volume_ratio": ("Vol ratio", "量比"),
    "amplitude": ("Amplitude", "振幅"),
    "pb": ("P/B", "市净率"),
    "float_market_cap": ("Float cap", "流通市值"),
    "avg_price": ("Avg price", "均价"),
    "book": ("Order book", "五档"),
}


def label(key: str, settings: Settings) -> str:
    """The label of ``key`` in the configured language."""
    english, chinese = LABELS[key]
    return chinese if settings.display.labels == "zh" else english


@dataclass(frozen=True, slots=True)
class BookRow:
    """One line of the book: its label, price, size and colour against the previous close."""

    label: str
    price: str
    size: str
    style: str


@dataclass(frozen=True, slots=True)
class BookView:
    """Asks from the fifth level down to the first, then bids from the first to the fifth."""

    title: str
    asks: tuple[BookRow, ...]
    bids: tuple[BookRow, ...]
    summary: str
    empty: bool = True


def fmt_size(shares: float | None, units: fmt.Units, hand: int = 100) -> str:
    """A book size: whole 手 (``hand`` shares) with Chinese units, shares with international
    ones."""
    if shares is None:
        return fmt.MISSING
    if units == "cn":
        return f"{shares / hand:,.0f}"
    return f"{shares:,.0f}"


def _rows(side: str, levels: tuple[BookLevel, ...], prev_close: float | None, symbol: Symbol,
          settings: Settings) -> list[BookRow]:
    units = fmt.resolve_units(settings.display.units, symbol)
    decimals = fmt.price_decimals(symbol)
    name = label(side, settings)
    rows = []
    for depth in range(DEPTH):
        level = levels[depth] if depth < len(levels) else None
        change = None if level is None or prev_close is None else level.price - prev_close
        rows.append(BookRow(
            label=f"{name}{depth + 1}",
            price=fmt.fmt_price(level.price if level else None, decimals),
            size=fmt_size(level.volume if level else None, units, fmt.shares_per_hand(symbol)),
            style=fmt.direction_style(change, settings.display.colors),
        ))
    return rows


def build_book(snapshot: Snapshot | None, settings: Settings) -> BookView:
    """The primary's five levels each side, with 委比 and 委差 in the summary line."""
    symbol = parse_symbol(settings.watch.primary)
    state = snapshot.quotes.get(symbol.key) if snapshot else None
    title = label("book", settings)
    quote = state.quote if state else None
    if quote is None or quote.book is None or (state is not None and state.from_cache):
        asks = _rows("ask", (), None, symbol, settings)
        bids = _rows("bid", (), None, symbol, settings)
        return BookView(title, tuple(reversed(asks)), tuple(bids), "no book", True)
    book, prev = quote.book, quote.prev_close
    units = fmt.resolve_units(settings.display.units, symbol)
    pct = book.imbalance_pct
    net = book.imbalance
    summary = (f"{label('imbalance_pct', settings)} "
               f"{fmt.MISSING if pct is None else f'{pct:+.2f}%'}  "
               f"{label('imbalance', settings)} "
               f"{fmt.MISSING if net is None else _signed_size(net, units, symbol)}")
    asks = _rows("ask", book.asks, prev, symbol, settings)
    bids = _rows("bid", book.bids, prev, symbol, settings)
    return BookView(title, tuple(reversed(asks)), tuple(bids), summary, False)


def _signed_size(shares: float, units: fmt.Units, symbol: Symbol) -> str:
    text = fmt_size(abs(shares), units, fmt.shares_per_hand(symbol))
    return f"-{text}" if shares < 0 else f"+{text}" if shares > 0 else text


def stats_rows(quote: Quote | None, symbol: Symbol, settings: Settings
               ) -> tuple[tuple[str, str], ...]:
    """P/B, float cap, turnover, volume ratio, amplitude and average price, labelled."""
    units = fmt.resolve_units(settings.display.units, symbol)
    decimals = fmt.price_decimals(symbol)

    def pct(value: float | None) -> str:
        return fmt.MISSING if value is None else f"{value:.2f}%"

    def ratio(value: float | None) -> str:
        return fmt.MISSING if value is None else f"{value:.2f}"

    q = quote
    currency = (q.currency if q else None) or "CNY"
    return (
        (label("pb", settings), ratio(q.pb if q else None)),
        (label("float_market_cap", settings),
         fmt.fmt_money_unit(q.float_market_cap if q else None, units, currency)),
        (label("turnover_rate", settings), pct(q.turnover_rate if q else None)),
        (label("volume_ratio", settings), ratio(q.volume_ratio if q else None)),
        (label("amplitude", settings), pct(q.amplitude if q else None)),
        (label("avg_price", settings), fmt.fmt_price(q.avg_price if q else None, decimals)),
    )


def trade_side_rows(quote: Quote | None, symbol: Symbol, settings: Settings
                    ) -> tuple[tuple[str, str], ...]:
    """外盘 and 内盘 (bought at the ask, sold at the bid)."""
    units, hand = fmt.resolve_units(settings.display.units, symbol), fmt.shares_per_hand(symbol)
    return (
        (label("outside", settings), fmt.fmt_volume(quote.outside_volume if quote else None,
                                                    units, hand)),
        (label("inside", settings), fmt.fmt_volume(quote.inside_volume if quote else None,
                                                   units, hand)),
    )
