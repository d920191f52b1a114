"""The entry-point registry and the one place httpx failures become ProviderErrors."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from neodymium.providers import registry
from neodymium.providers.base import Provider
from neodymium.providers.errors import (
    AuthError,
    BadPayload,
    PermanentError,
    ProviderUnavailable,
    RateLimited,
    error_for_exception,
    error_for_response,
    parse_retry_after,
)
from neodymium.providers.models import Quote


def test_names_lists_builtins() -> None:
    names = registry.names()
    for name in ("demo", "tencent", "sina", "eastmoney", "eastmoney-announcements", "yahoo",
                 "sina-roll", "rss"):
        assert name in names


def test_unknown_name_lists_installed() -> None:
    with pytest.raises(registry.UnknownProvider) as caught:
        registry.load("nope")
    assert "demo" in str(caught.value) and "tencent" in str(caught.value)


def test_load_returns_provider_class() -> None:
    assert issubclass(registry.load("demo"), Provider)


@pytest.mark.parametrize(
    ("status", "headers", "kind"),
    [(429, {"Retry-After": "7"}, RateLimited), (403, {}, AuthError), (401, {}, AuthError),
     (404, {}, PermanentError), (410, {}, PermanentError), (500, {}, ProviderUnavailable),
     (503, {}, ProviderUnavailable), (418, {}, BadPayload)],
)
def test_status_mapping(status: int, headers: dict[str, str], kind: type) -> None:
    error = error_for_response("p", httpx.Response(status, headers=headers))
    assert isinstance(error, kind)
    if kind is RateLimited:
        assert error.retry_after == 7


def test_success_is_not_an_error() -> None:
    assert error_for_response("p", httpx.Response(200)) is None


def test_exception_mapping() -> None:
    request = httpx.Request("GET", "http://x")
    assert isinstance(error_for_exception("p", httpx.ReadTimeout("t", request=request)),
                      ProviderUnavailable)
    assert isinstance(error_for_exception("p", httpx.ConnectError("c", request=request)),
                      ProviderUnavailable)
    assert isinstance(error_for_exception("p", ValueError("bad")), BadPayload)


def test_resets_and_timeouts_are_classified_once_through_the_cause_chain() -> None:
    read_reset = httpx.ReadError("boom")
    read_reset.__context__ = ConnectionResetError(104, "reset by peer")
    assert error_for_exception("p", read_reset).cause == "reset"
    assert error_for_exception("p", httpx.RemoteProtocolError("Server disconnected")).cause \
        == "reset"
    assert error_for_exception("p", httpx.ReadTimeout("slow")).cause == "timeout"
    assert error_for_exception("p", TimeoutError()).cause == "timeout"
    assert error_for_exception("p", httpx.ConnectError("refused")).cause == "transport"
    assert error_for_exception("p", ValueError("parser")).cause == ""


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("7", 7.0), ("1e12", 3600.0), ("inf", 3600.0), ("-5", 0.0), ("nan", None),
     ("garbage", None), ("", None), ("x" * 10_000, None),
     ("Fri, 21 Aug 2999 07:00:00 GMT", 3600.0), ("Fri, 21 Aug 1999 07:00:00 GMT", 0.0),
     ("Fri, 21 Aug 2026 07:00:30 GMT", 30.0)],
)
def test_retry_after_is_capped_and_read_defensively(header: str, seconds: float | None) -> None:
    now = datetime(2026, 8, 21, 7, 0, tzinfo=UTC)
    assert parse_retry_after(header, now) == seconds


def test_retry_after_http_date() -> None:
    now = datetime(2026, 8, 21, 7, 0, tzinfo=UTC)
    assert parse_retry_after("Fri, 21 Aug 2026 07:01:00 GMT", now) == 60
    assert parse_retry_after("garbage") is None
    assert parse_retry_after(None) is None


def test_quote_requires_aware_time_and_computes_change() -> None:
    with pytest.raises(ValueError):
        Quote("X", datetime(2026, 1, 1), "s")
    quote = Quote("X", datetime(2026, 1, 1, tzinfo=UTC), "s", last=50.46, prev_close=49.88)
    assert round(quote.change, 2) == 0.58
    assert round(quote.change_pct, 2) == 1.16
    assert Quote("X", datetime(2026, 1, 1, tzinfo=UTC), "s", last=1.0).change_pct is None
