"""Per-host backoff with jitter, Retry-After, and a circuit breaker for hosts that keep failing."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from neodymium.providers.errors import ProviderError, RateLimited


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """How long to stay away from a failing host."""

    base_s: float = 2.0
    cap_s: float = 300.0
    #: Consecutive failures after which the circuit opens for ``cooldown_s``.
    circuit_after: int = 5
    cooldown_s: float = 300.0


@dataclass(slots=True)
class HostState:
    """Failure bookkeeping of one host."""

    failures: int = 0
    until: datetime | None = None
    circuit_open: bool = False


class Backoff:
    """Decides when a host may be asked again.

    Delay after the n-th consecutive failure is drawn from [d/2, d] where d = min(cap, base·2^(n-1))
    ("equal jitter"), so recovering clients do not come back in a herd; a Retry-After from the
    upstream is a floor. After ``circuit_after`` failures the circuit opens for the cool-down; the
    first success closes it.
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

    def succeeded(self, key: str) -> None:
        """Forget the host's failures."""
        self.hosts[key] = HostState()

    def failed(self, key: str, error: ProviderError, now: datetime) -> datetime:
        """Record a failure and return when the host may be asked again."""
        state = self.state(key)
        state.failures += 1
        policy = self.policy
        ceiling = min(policy.cap_s, policy.base_s * 2 ** (state.failures - 1))
        delay = self.rng.uniform(ceiling / 2, ceiling)
        if isinstance(error, RateLimited) and error.retry_after is not None:
            delay = max(delay, error.retry_after)
        if state.failures >= policy.circuit_after:
            state.circuit_open = True
            delay = max(delay, policy.cooldown_s)
        if not error.retryable:
            delay = max(delay, policy.cooldown_s)
        state.until = now + timedelta(seconds=delay)
        return state.until
