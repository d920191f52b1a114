"""How a subscriber's link to the relay stands, carried on each snapshot for the header."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class LinkState(StrEnum):
    """Where a subscriber stands with its relay."""

    CONNECTING = "connecting"
    LIVE = "live"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class RelayStatus:
    """The subscriber's view of the relay: shown in the header and the health view."""

    #: The NATS server as host[:port], never with credentials.
    server: str
    state: LinkState = LinkState.CONNECTING
    #: The host name of the relay holding the lease (the one polling), once heard from.
    active_relay: str | None = None
    #: When the last message from the relay arrived (subscriber's clock).
    last_update: datetime | None = None
    #: True while this process polls the upstreams itself (``fallback = "direct"``).
    direct: bool = False
    #: Why the relay is unreachable, in words (no secrets).
    reason: str = ""
