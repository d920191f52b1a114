"""What subscribers asked a relay to poll: bounded, renewed, expiring. Pure bookkeeping."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from neodymium.providers.symbols import SymbolError, parse_symbol

#: A subscriber renews its ask this often; the relay forgets it after WANT_TTL without one.
WANT_RENEW = timedelta(seconds=10)
WANT_TTL = 3 * WANT_RENEW
#: Most subscribers a relay keeps asks for (each costs a little memory until it expires).
MAX_CLIENTS = 1000


@dataclass(frozen=True, slots=True)
class Answer:
    """The reply to one ask."""

    accepted: list[str]
    refused: dict[str, str]
    changed: bool


@dataclass
class _Ask:
    keys: list[str]
    expires: datetime


@dataclass
class Wants:
    """The relay's own symbols plus what live subscribers asked for, at most ``limit`` in all."""

    config: Sequence[str]
    limit: int
    asks: dict[str, _Ask] = field(default_factory=dict)

    def _config_keys(self) -> list[str]:
        keys = []
        for raw in self.config:
            try:
                keys.append(parse_symbol(raw).key)
            except SymbolError:
                continue
        return list(dict.fromkeys(keys))

    def union_keys(self, without: str | None = None) -> list[str]:
        """Every symbol polled: the config's first, then subscribers' in the order asked."""
        keys = self._config_keys()
        for client, ask in self.asks.items():
            if client != without:
                keys.extend(ask.keys)
        return list(dict.fromkeys(keys))

    def union(self) -> list[str]:
        """The watchlist the relay's feed polls (config entries as written, bad ones too, so
        the feed reports them as it would for a terminal)."""
        return list(dict.fromkeys([*self.config, *self.union_keys()]))

    def ask(self, client: str, symbols: Sequence[str], now: datetime) -> Answer:
        """Replace a client's ask; symbols past the limit or not symbols at all are refused."""
        if client not in self.asks and len(self.asks) >= MAX_CLIENTS:
            reason = f"the relay serves at most {MAX_CLIENTS} subscribers' asks; try later"
            return Answer([], dict.fromkeys(symbols, reason), False)
        before = self.union_keys()
        polled = self.union_keys(without=client)
        accepted: list[str] = []
        refused: dict[str, str] = {}
        for raw in symbols:
            try:
                key = parse_symbol(raw).key
            except SymbolError as exc:
                refused[raw] = str(exc)
                continue
            added = len([k for k in accepted if k not in polled])
            if key in polled or key in accepted or len(polled) + added < self.limit:
                accepted.append(key)
            else:
                refused[raw] = f"the relay polls at most {self.limit} symbols; limit reached"
        self.asks[client] = _Ask(list(dict.fromkeys(accepted)), now + WANT_TTL)
        return Answer(list(dict.fromkeys(accepted)), refused, self.union_keys() != before)

    def expire(self, now: datetime) -> bool:
        """Forget asks not renewed in time; True when the polled set shrank."""
        before = self.union_keys()
        self.asks = {c: a for c, a in self.asks.items() if a.expires > now}
        return self.union_keys() != before
