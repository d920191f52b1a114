"""``python -m tests.fakeupstream``: the config it writes is valid and reads every source from the
fake, so a person can run issue 8's cases by hand (``neodymium quote … --config …``)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from neodymium.config.loader import parse_settings
from neodymium.providers.clock import FrozenClock
from neodymium.tui.oneshot import run_quote

from tests.fakeupstream import FakeUpstream
from tests.fakeupstream.__main__ import HTTP_PROVIDERS, WATCH, config_text
from tests.tui.test_trust import CAPTURE_EVENING


def test_the_written_config_points_every_source_at_the_fake(
        fake_upstream: FakeUpstream, capsys: pytest.CaptureFixture[str]) -> None:
    settings = parse_settings(config_text(fake_upstream.base_url), "fake-upstream.toml")
    assert settings.watch.symbols == WATCH and not settings.cache.enabled
    assert {settings.providers[name].base_url for name in HTTP_PROVIDERS} == {
        fake_upstream.base_url}
    code = asyncio.run(run_quote(settings, ["688256.SS"], as_json=True, timeout=5,
                                 clock=FrozenClock(CAPTURE_EVENING)))
    (record,) = json.loads(capsys.readouterr().out)["quotes"]
    assert code == 0 and record["volume"] == 16_559_805


def test_a_capped_request_log_keeps_the_newest_and_counts_them_all() -> None:
    with FakeUpstream(keep_requests=3) as upstream, httpx.Client() as client:
        paths = [f"/q=sh600111,n{i}" for i in range(10)]
        for path in paths:
            client.get(f"{upstream.base_url}{path}")
        assert upstream.count("tencent-quote") == 10
        kept = [request.raw_path for request in upstream.requests_to("tencent-quote")]
        assert 3 <= len(kept) <= 6 and kept == paths[-len(kept):]
