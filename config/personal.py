"""The user's own sections: ``[[alerts]]``, ``[notify]``, ``[[positions]]`` and ``[privacy]``."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import Annotated

from neodymium.config.alert_rules import (
    Condition,
    Repeat,
    parse_repeat,
    parse_when,
)
from neodymium.config.section import Section, within
from neodymium.config.symbol_text import canonical_symbol
from pydantic import Field, field_validator


class AlertRule(Section):
    """One ``[[alerts]]`` table: a symbol, a condition and how often it may fire."""

    symbol: str
    when: str
    repeat: str = "once"
    #: Optional words added to the notification.
    note: str | None = None

    @field_validator("symbol")
    @classmethod
    def _symbol(cls, value: str) -> str:
        return canonical_symbol(value)

    @field_validator("when")
    @classmethod
    def _when(cls, value: str) -> str:
        return str(parse_when(value))  # a RuleError is a ValueError: pydantic reports it

    @field_validator("repeat")
    @classmethod
    def _repeat(cls, value: str) -> str:
        return str(parse_repeat(value))

    @cached_property
    def condition(self) -> Condition:
        """The parsed ``when`` (parsed once; the engine asks every second)."""
        return parse_when(self.when)

    @cached_property
    def repeat_policy(self) -> Repeat:
        """The parsed ``repeat``."""
        return parse_repeat(self.repeat)

    @property
    def rule_id(self) -> str:
        """Stable identity of the rule, the key of its state in the cache."""
        return f"{self.symbol} | {self.when} | {self.repeat}"


class NotifySettings(Section):
    """The ``[notify]`` section: how a fired alert reaches the user."""

    in_app: bool = True
    bell: bool = True
    #: OSC 9 and OSC 777 desktop notifications through the terminal (they travel over SSH).
    osc: bool = True
    #: Program run per event with the event as one JSON object on stdin (no shell).
    command: str | None = None
    command_timeout: Annotated[float, Field(allow_inf_nan=True),
                               within(0.1, 300, " seconds")] = 10.0
    #: Apprise URLs (needs the ``notify`` extra).
    apprise: list[str] = Field(default_factory=list)

    @field_validator("command")
    @classmethod
    def _command(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("empty command; leave the key out to run no hook")
        return value

    @field_validator("apprise")
    @classmethod
    def _apprise_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            scheme, sep, _ = url.partition("://")
            if not sep or not scheme.isascii() or not scheme.replace("+", "").isalnum():
                raise ValueError(f"{url!r} is not an apprise URL (scheme://…, e.g. tgram://…)")
        return value


Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]


class PositionSettings(Section):
    """One ``[[positions]]`` table: shares held at a cost per share, fees optional."""

    symbol: str
    shares: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]
    cost: Amount
    fees: Amount = Decimal(0)

    @field_validator("symbol")
    @classmethod
    def _symbol(cls, value: str) -> str:
        return canonical_symbol(value)


class PrivacySettings(Section):
    """The ``[privacy]`` section: what the privacy key (and ``--private``) hides."""

    #: Start with figures masked.
    private: bool = False
    #: In private mode, show codes instead of names.
    codes: bool = False
    #: In private mode, drop up/down colours.
    colors: bool = True
