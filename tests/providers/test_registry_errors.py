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
    ProviderUnavailable,
    RateLimited,
    SymbolNotFound,
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
     (404, {}, SymbolNotFound), (500, {}, ProviderUnavailable), (503, {}, ProviderUnavailable),
     (418, {}, BadPayload)],
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
