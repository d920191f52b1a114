"""Tencent: real-time A-share quotes (qt.gtimg.cn) and forward-adjusted daily bars.

The requests live here, the reading of the answers in providers.tencent_parse. One odd code
can make Tencent fail a whole batch, so a batch that comes back unusable is bisected until the
offending codes are isolated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from neodymium.providers.base import Provider
from neodymium.providers.errors import BadPayload, RateLimited, SymbolNotFound, UnsupportedSymbol
from neodymium.providers.models import Bar, DataKind, Quote, QuoteBatch
from neodymium.providers.symbols import Market, Symbol

# The parsing API, re-exported: callers imported it from here before the split.
from neodymium.providers.tencent_parse import HISTORY_BASE_URL as HISTORY_BASE_URL
from neodymium.providers.tencent_parse import HISTORY_WINDOW_DAYS, to_tencent
from neodymium.providers.tencent_parse import QUOTE_BATCH_SIZE as QUOTE_BATCH_SIZE
from neodymium.providers.tencent_parse import a_share_codes as a_share_codes
from neodymium.providers.tencent_parse import build_history_url as build_history_url
from neodymium.providers.tencent_parse import build_quote_url as build_quote_url
from neodymium.providers.tencent_parse import decode_body as decode_body
from neodymium.providers.tencent_parse import js_statements as js_statements
from neodymium.providers.tencent_parse import parse_history as parse_history
from neodymium.providers.tencent_parse import parse_quote_fields as parse_quote_fields
from neodymium.providers.tencent_parse import parse_quotes as parse_quotes


@dataclass
class _Harvest:
    """What a batch (or its bisected parts) yielded."""

    quotes: dict[str, Quote] = field(default_factory=dict)
    rejected: dict[str, BadPayload] = field(default_factory=dict)

    def absorb(self, other: _Harvest) -> None:
        self.quotes.update(other.quotes)
        self.rejected.update(other.rejected)


class TencentProvider(Provider):
    """Tencent real-time A-share quotes (PE ×3, market cap, 52-week range) and daily bars."""

    name = "tencent"
    description = "Tencent qt.gtimg.cn: real-time A-share quotes with PE, market cap, 52w range"
    kinds = frozenset({DataKind.QUOTES, DataKind.HISTORY})
    default_base_url = "https://qt.gtimg.cn"

    @property
    def history_base_url(self) -> str:
        """The configured base URL when set (one host in tests), else Tencent's history host."""
        return (self.options.base_url or HISTORY_BASE_URL).rstrip("/")

    def supports(self, symbol: Symbol, kind: DataKind) -> bool:
        """A-shares (Shanghai, Shenzhen, Beijing) only."""
        return kind in self.kinds and symbol.market is Market.CN

    async def fetch_quotes(self, symbols: Sequence[Symbol]) -> QuoteBatch:
        """Quotes in batches of 60; unknown or batch-poisoning codes go in ``errors``."""
        wanted, errors = a_share_codes(symbols, self.name)
        codes = list(wanted)
        harvest = _Harvest()
        for start in range(0, len(codes), QUOTE_BATCH_SIZE):
            harvest.absorb(await self._fetch_batch(codes[start : start + QUOTE_BATCH_SIZE]))
        quotes = {key: harvest.quotes[key] for key in wanted.values() if key in harvest.quotes}
        for code, key in wanted.items():
            if key in quotes:
                continue
            if code in harvest.rejected:
                errors[key] = SymbolNotFound(
                    self.name, key,
                    f"{code} makes Tencent reject any batch containing it "
                    f"({harvest.rejected[code].message})",
                )
            else:
                errors[key] = SymbolNotFound(self.name, key, f"Tencent does not know {code}")
        return QuoteBatch(quotes=quotes, errors=errors)

    async def fetch_history(self, symbol: Symbol, start: date | None, end: date) -> list[Bar]:
        """Forward-adjusted (qfq) daily bars, one request per ~800 calendar days."""
        if not self.supports(symbol, DataKind.HISTORY):
            raise UnsupportedSymbol(self.name, symbol.key)
        first = start or end - timedelta(days=365)
        code = to_tencent(symbol)
        bars: dict[date, Bar] = {}
        window_start = first
        while window_start <= end:
            window_end = min(end, window_start + timedelta(days=HISTORY_WINDOW_DAYS - 1))
            url = build_history_url(self.history_base_url, code, window_start, window_end)
            response = await self.get(url)
            for bar in parse_history(response.content, code=code, source=self.name):
                bars[bar.day] = bar
            window_start = window_end + timedelta(days=1)
        return [bars[day] for day in sorted(bars) if first <= day <= end]

    async def _request(self, codes: Sequence[str]) -> _Harvest:
        response = await self.get(build_quote_url(self.base_url, codes))
        if not response.content.strip():
            raise RateLimited(self.name, "empty answer (Tencent's sign of throttling)")
        quotes, _unknown = parse_quotes(decode_body(response.content), source=self.name)
        return _Harvest(quotes=quotes)

    async def _fetch_batch(self, codes: Sequence[str]) -> _Harvest:
        """One batch; if its answer is unusable, bisect to isolate the codes that spoil it.

        Transport errors, 429 and 5xx propagate (the host is down; splitting would only hammer
        it). When both halves of the first split fail too, the failure is the host's, not a
        code's, and the original error propagates.
        """
        try:
            return await self._request(codes)
        except BadPayload as error:
            if len(codes) < 2:
                raise
            return await self._bisect(codes, error, top=True)

    async def _bisect(self, codes: Sequence[str], error: BadPayload, *, top: bool) -> _Harvest:
        middle = len(codes) // 2
        halves = (codes[:middle], codes[middle:])
        outcomes: list[_Harvest | BadPayload] = []
        for half in halves:
            try:
                outcomes.append(await self._request(half))
            except BadPayload as failure:
                outcomes.append(failure)
        if top and all(isinstance(outcome, BadPayload) for outcome in outcomes):
            raise error
        harvest = _Harvest()
        for half, outcome in zip(halves, outcomes, strict=True):
            if isinstance(outcome, _Harvest):
                harvest.absorb(outcome)
            elif len(half) == 1:
                harvest.rejected[half[0]] = outcome
            else:
                harvest.absorb(await self._bisect(half, outcome, top=False))
        return harvest

