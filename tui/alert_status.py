"""An alert rule's state in words, for ``alerts list`` and the alerts screen."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neodymium.config.settings import AlertRule
    from neodymium.providers.alerts import RuleState


def rule_status(state: RuleState, rule: AlertRule, now: datetime) -> str:
    """armed, done, cancelled, or snoozed until when (in ``now``'s zone)."""
    phase = state.phase(rule, now)
    if phase == "snoozed" and state.snoozed_until is not None:
        return f"snoozed until {state.snoozed_until.astimezone(now.tzinfo):%H:%M}"
    return phase
