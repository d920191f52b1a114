"""A bug in a provider's own code is a bug: logged with its traceback, counted, no backoff."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

import httpx
import pytest
from neodymium.config.settings import Settings
from neodymium.providers.base import Provider
from neodymium.providers.clock import FrozenClock
from neodymium.providers.errors import BadPayload
from neodymium.providers.feed import Feed
from neodymium.providers.models import DataKind, Quote, QuoteBatch
from neodymium.providers.symbols import Symbol

NOW = datetime(2026, 8, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


class Parsing(Provider):
    """Fails the way it is told: a parser bug (KeyError) or a bad payload."""

    name: ClassVar[str] = "parsing"
    kinds: ClassVar[frozenset[DataKind]] = frozenset({DataKind.QUOTES})

    def __init__(self, client: httpx.AsyncClient, failure: Exception | None) -> None:
        super().__init__(client)
        self.failure = failure
        self.calls = 0

    async def fetch_quotes(self, symbols: Sequence[Symbol]) -> QuoteBatch:
        self.calls += 1
        if self.failure is not None:
            raise self.failure
        return QuoteBatch(quotes={s.key: Quote(s.key, NOW, self.name, last=50.0)
                                  for s in symbols}, errors={})


def feed_of(*providers: Provider, clock: FrozenClock) -> Feed:
    settings = Settings.model_validate({
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS"], "compare": []},
        "quotes": {"providers": [p.label for p in providers], "interval": 5},
    })
    return Feed(settings, {p.label: p for p in providers}, clock=clock)


async def test_a_parser_bug_is_logged_counted_and_not_backed_off(
        caplog: pytest.LogCaptureFixture) -> None:
    clock = FrozenClock(NOW)
    async with httpx.AsyncClient() as client:
        buggy = Parsing(client, KeyError("f43"))
        buggy.label = "buggy"
        backup = Parsing(client, None)
        backup.label = "backup"
        feed = feed_of(buggy, backup, clock=clock)
        with caplog.at_level(logging.ERROR, logger="neodymium"):
            snapshot = await feed.poll_quotes()
        assert snapshot is not None
        assert snapshot.quotes["600111.SS"].quote.source == "parsing"  # the next one served
        health = snapshot.health["buggy"]
        assert health.errors == {"bug": 1}
        assert "KeyError" in (health.last_error or "") and "traceback" in health.last_error
        assert health.state != "backoff"
        record = next(r for r in caplog.records if "a bug" in r.getMessage())
        assert record.exc_info is not None and record.exc_info[0] is KeyError
        clock.advance(5)
        await feed.poll_quotes()
        assert buggy.calls == 2  # asked again next cycle: a bug is no reason to wait


async def test_a_bad_payload_still_backs_off() -> None:
    clock = FrozenClock(NOW)
    async with httpx.AsyncClient() as client:
        bad = Parsing(client, BadPayload("parsing", "not JSON"))
        bad.label = "bad"
        feed = feed_of(bad, clock=clock)
        snapshot = await feed.poll_quotes()
        assert snapshot is not None
        assert snapshot.health["bad"].errors == {"bad-payload": 1}
        assert snapshot.health["bad"].state == "backoff"
