"""A provider's health as the health view shows it: its backoff folded over the data kinds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from neodymium.providers.backoff import HostState
from neodymium.providers.models import DataKind
from neodymium.providers.store import ProviderHealth


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
