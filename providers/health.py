"""Provider calls timed and accounted: backoff, per-provider health, and bugs told apart.

Polling jobs and the cache report into the same health table (``job failed``, ``cache``).

The feed makes every provider call through :meth:`CallAccounts.call`, so the health view shows
the same latency, error counts and backoff whichever data kind or push stream made the call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import httpx
from neodymium.providers.backoff import Backoff, HostState
from neodymium.providers.base import Provider
from neodymium.providers.clock import Clock
from neodymium.providers.errors import (
    ProviderBug,
    ProviderError,
    SymbolNotFound,
    UnsupportedSymbol,
    error_for_exception,
    excerpt_of,
)
from neodymium.providers.models import DataKind
from neodymium.providers.store import CACHE_HEALTH as CACHE_HEALTH  # re-exported
from neodymium.providers.store import ProviderHealth, Store

log = logging.getLogger(__name__)
T = TypeVar("T")
SYMBOL_ERRORS = (SymbolNotFound, UnsupportedSymbol)


def backoff_key(provider: Provider, kind: DataKind) -> str:
    """Backoff is kept per upstream and data kind: quote and history hosts throttle apart."""
    return f"{provider.backoff_key}/{kind.value}"


def is_bug(exc: Exception) -> bool:
    """True for an exception no upstream can cause: not a mapped provider error, transport
    failure or I/O error, so the provider's own code raised it."""
    return not isinstance(exc, ProviderError | httpx.HTTPError | OSError | TimeoutError)


def with_backoff(health: ProviderHealth, states: Mapping[DataKind, HostState]) -> ProviderHealth:
    """``health`` with state, failing kinds, failures and backoff end taken from the backoff
    state of each data kind: ok, backoff, or circuit-open when any kind's circuit is open."""
    failing = {kind: state for kind, state in states.items() if state.failures}
    if not failing:
        return replace(health, state="ok", failing_kinds=(), consecutive_failures=0,
                       backoff_until=None)
    circuit = any(state.circuit_open for state in failing.values())
    untils = [state.until for state in failing.values() if state.until is not None]
    return replace(
        health, state="circuit-open" if circuit else "backoff",
        failing_kinds=tuple(kind.value for kind in failing),
        consecutive_failures=max(state.failures for state in failing.values()),
        backoff_until=max(untils) if untils else None,
    )


class CallAccounts:
    """Times each provider call and folds its outcome into backoff and the store's health."""

    def __init__(self, store: Store, backoff: Backoff, clock: Clock) -> None:
        self.store = store
        self.backoff = backoff
        self.clock = clock

    async def call(self, name: str, provider: Provider, kind: DataKind,
                   call: Awaitable[T]) -> T:
        """Await ``call``; raise a ProviderError for any failure, after accounting it."""
        started = time.perf_counter()
        try:
            result = await call
        except NotImplementedError:
            raise UnsupportedSymbol(name, "this data kind") from None
        except Exception as exc:
            if is_bug(exc):
                raise self.bug(name, exc) from exc
            error = error_for_exception(name, exc)
            if isinstance(error, SYMBOL_ERRORS):
                raise error from exc
            now = self.clock()
            self.backoff.failed(backoff_key(provider, kind), error, now)
            health = self.current(name)
            errors = dict(health.errors)
            errors[error.kind] = errors.get(error.kind, 0) + 1
            self.store.set_health(self.folded(provider, replace(
                health, last_error=str(error), last_error_kind=error.kind, last_error_at=now,
                requests=health.requests + 1, errors=MappingProxyType(errors),
            )))
            log.warning("%s failed: %s", name, error)
            raise error from exc
        self.backoff.succeeded(backoff_key(provider, kind))
        health = self.current(name)
        self.store.set_health(self.folded(provider, replace(
            health, last_success=self.clock(), latency_s=time.perf_counter() - started,
            requests=health.requests + 1,
        )))
        return result

    def bug(self, name: str, exc: Exception) -> ProviderBug:
        """Log a provider's own failure with its traceback and count it; no backoff."""
        log.error("%s: a bug, not a bad payload", name, exc_info=exc)
        bug = ProviderBug(name, f"{type(exc).__name__}: {excerpt_of(str(exc))}"
                                " (traceback in the log)")
        health = self.current(name)
        errors = dict(health.errors)
        errors[bug.kind] = errors.get(bug.kind, 0) + 1
        self.store.set_health(replace(
            health, last_error=str(bug), last_error_kind=bug.kind, last_error_at=self.clock(),
            requests=health.requests + 1, errors=MappingProxyType(errors)))
        return bug

    def current(self, name: str) -> ProviderHealth:
        """Read after the await: calls of other kinds may have updated it meanwhile."""
        return self.store.health.get(name) or ProviderHealth(name=name)

    def folded(self, provider: Provider, health: ProviderHealth) -> ProviderHealth:
        """State, failures and backoff folded over the provider's data kinds."""
        return with_backoff(health, {kind: self.backoff.state(backoff_key(provider, kind))
                                     for kind in DataKind})

    def note_cache_problem(self, path: Path, problem: str | None) -> None:
        """A cache that stopped taking writes (disk full, read-only) shows in health, once."""
        if problem is None or CACHE_HEALTH in self.store.health:
            return
        self.store.set_health(ProviderHealth(
            name=CACHE_HEALTH, state="failing", last_error_at=self.clock(),
            last_error=f"{path} {problem}: kept as it is, not written this run",
        ))

    def job_failed(self, name: str, exc: Exception) -> None:
        """Show a polling job's unexpected failure in the health view (and keep polling)."""
        key = f"{name} job"
        health = self.store.health.get(key) or ProviderHealth(name=key)
        errors = dict(health.errors)
        errors["bug"] = errors.get("bug", 0) + 1
        self.store.set_health(replace(
            health, state="failing", last_error=f"{type(exc).__name__}: {excerpt_of(str(exc))}"
            " (traceback in the log)", last_error_at=self.clock(),
            errors=MappingProxyType(errors), consecutive_failures=health.consecutive_failures + 1,
        ))

    def job_succeeded(self, name: str) -> bool:
        """Clear a job's failure once it runs through again; True when there was one."""
        key = f"{name} job"
        health = self.store.health.get(key)
        if health is not None and health.state != "ok":
            self.store.set_health(replace(health, state="ok", consecutive_failures=0,
                                          last_success=self.clock()))
            return True
        return False
