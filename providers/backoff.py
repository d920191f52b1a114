"""Per-host backoff with jitter, Retry-After, and a circuit breaker for hosts that keep failing."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from neodymium.providers.errors import (
    MAX_RETRY_AFTER_S,
    AuthError,
    ProviderError,
    RateLimited,
)


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """How long to stay away from a failing host."""

    base_s: float = 2.0
    #: The longest pause between two probes of a host with transient failures; recovery after
    #: an outage therefore takes at most about this long.
    cap_s: float = 120.0
    #: Consecutive failures after which the circuit counts as open (shown to the user); while
    #: open, each probe is a single request ("half-open") and the pause keeps growing.
    circuit_after: int = 5
    #: First pause after a permanent failure (404, auth), doubling up to ``permanent_cap_s``:
    #: such a host is asked rarely, yet found again within ten minutes once it is fixed.
    permanent_base_s: float = 10.0
    permanent_cap_s: float = 600.0
    #: The longest pause any Retry-After may impose.
    retry_after_cap_s: float = MAX_RETRY_AFTER_S


@dataclass(slots=True)
class HostState:
    """Failure bookkeeping of one host."""

    failures: int = 0
    until: datetime | None = None
    circuit_open: bool = False
    #: When the last failure happened, and whether the host asked us to stay away: a rate
    #: limit, or an authorisation refusal (a 403 from a Chinese quote API is usually an IP
    #: ban, which asking again prolongs). A manual refresh never probes such a host early.
    failed_at: datetime | None = None
    asked_to_wait: bool = False


class Backoff:
    """Decides when a host may be asked again.

    Delay after the n-th consecutive failure is drawn from [d/2, d] where d = min(cap,
    base·2^(n-1)) ("equal jitter"), so recovering clients do not come back in a herd; a
    Retry-After from the upstream is a floor (itself capped). There is no fixed cool-down: the
    circuit is a half-open probe at growing intervals, so a host that comes back is found again
    within one interval. The first success closes it.
    """

    def __init__(
        self, policy: BackoffPolicy | None = None, rng: random.Random | None = None
    ) -> None:
        self.policy = policy or BackoffPolicy()
        self.rng = rng or random.Random()
        self.hosts: dict[str, HostState] = {}

    def state(self, key: str) -> HostState:
        """The bookkeeping of a host (created on first use)."""
        return self.hosts.setdefault(key, HostState())

    def ready(self, key: str, now: datetime) -> bool:
        """True when the host may be asked now."""
        until = self.state(key).until
        return until is None or now >= until

    def failing(self, key: str) -> bool:
        """True while the host's last answer was a failure."""
        return key in self.hosts and self.hosts[key].failures > 0

    def succeeded(self, key: str) -> None:
        """Forget the host's failures."""
        self.hosts[key] = HostState()

    def delay_for(self, failures: int, error: ProviderError) -> float:
        """Seconds to wait after the ``failures``-th consecutive failure with ``error``."""
        policy = self.policy
        if error.retryable:
            base, cap = policy.base_s, policy.cap_s
        else:
            base, cap = policy.permanent_base_s, policy.permanent_cap_s
        ceiling = min(cap, base * 2.0 ** min(failures - 1, 64))
        delay = self.rng.uniform(ceiling / 2, ceiling)
        if isinstance(error, RateLimited) and error.retry_after is not None:
            asked = error.retry_after
            if math.isfinite(asked):
                delay = max(delay, min(asked, policy.retry_after_cap_s))
            else:
                delay = max(delay, policy.retry_after_cap_s)
        return delay

    def wake(self, now: datetime, floor_s: float) -> list[str]:
        """Let a manual refresh probe, now, every paused host whose last failure is at least
        ``floor_s`` old: a dropped network, a timeout, or a 404 or a redirect elsewhere (a
        captive portal before its login); a rate-limited or banning host keeps its pause.
        The woken hosts' keys."""
        woken = []
        for key, state in self.hosts.items():
            if (state.until is not None and state.until > now and not state.asked_to_wait
                    and state.failed_at is not None
                    and (now - state.failed_at).total_seconds() >= floor_s):
                state.until = now
                woken.append(key)
        return woken

    def failed(self, key: str, error: ProviderError, now: datetime) -> datetime:
        """Record a failure and return when the host may be asked again."""
        state = self.state(key)
        state.failed_at = now
        state.asked_to_wait = isinstance(error, RateLimited | AuthError)
        state.failures += 1
        state.circuit_open = state.failures >= self.policy.circuit_after
        state.until = now + timedelta(seconds=self.delay_for(state.failures, error))
        return state.until
