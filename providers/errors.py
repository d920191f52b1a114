"""Provider errors, and the one place where httpx failures are mapped to them."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

EXCERPT_CHARS = 120


class ProviderError(Exception):
    """Base of every provider failure; ``retryable`` says whether trying later may help."""

    kind = "error"
    retryable = True

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider
        self.message = message


class ProviderUnavailable(ProviderError):
    """Timeout, transport failure, 5xx or a reset connection."""

    kind = "unavailable"


class RateLimited(ProviderError):
    """HTTP 429 (or a throttling pattern); ``retry_after`` seconds when the upstream said."""

    kind = "rate-limited"

    def __init__(self, provider: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(provider, message)
        self.retry_after = retry_after


class AuthError(ProviderError):
    """HTTP 401/403: retrying without a change will not help."""

    kind = "auth"
    retryable = False
    #: The start of the upstream's answer, to tell one kind of refusal from another.
    excerpt = ""


class SymbolNotFound(ProviderError):
    """The upstream does not know this symbol."""

    kind = "not-found"
    retryable = False

    def __init__(self, provider: str, symbol: str, message: str | None = None) -> None:
        super().__init__(provider, message or f"symbol {symbol} not found")
        self.symbol = symbol


class UnsupportedSymbol(ProviderError):
    """The provider does not serve this market at all; the next provider should."""

    kind = "unsupported"
    retryable = False

    def __init__(self, provider: str, symbol: str) -> None:
        super().__init__(provider, f"does not serve {symbol}")
        self.symbol = symbol


class BadPayload(ProviderError):
    """The upstream answered with something we cannot parse (its format changed)."""

    kind = "bad-payload"

    def __init__(self, provider: str, message: str, payload: str | bytes | None = None) -> None:
        excerpt = excerpt_of(payload) if payload is not None else ""
        super().__init__(provider, f"{message}{f' (got {excerpt!r})' if excerpt else ''}")
        self.excerpt = excerpt


class ProviderBug(ProviderError):
    """The provider's own code failed (a parser raising something other than BadPayload): a
    bug to fix, logged with its traceback and counted, not a bad payload to back off from."""

    kind = "bug"
    retryable = False


def excerpt_of(payload: str | bytes, limit: int = EXCERPT_CHARS) -> str:
    """A short printable excerpt of a payload for logs and error messages."""
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text if len(text) <= limit else text[:limit] + "…"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def error_for_response(provider: str, response: httpx.Response) -> ProviderError | None:
    """The error an HTTP status means, or None for a success status."""
    status = response.status_code
    if status < 400:
        return None
    if status == 429:
        return RateLimited(
            provider,
            "HTTP 429 Too Many Requests",
            parse_retry_after(response.headers.get("Retry-After")),
        )
    if status in (401, 403):
        error = AuthError(provider, f"HTTP {status} {response.reason_phrase}".rstrip())
        error.excerpt = excerpt_of(response.content)
        return error
    if status == 404:
        return SymbolNotFound(provider, "?", "HTTP 404 Not Found")
    if status >= 500:
        return ProviderUnavailable(provider, f"HTTP {status} {response.reason_phrase}".rstrip())
    return BadPayload(provider, f"unexpected HTTP {status}", response.content[:EXCERPT_CHARS])


def error_for_exception(provider: str, exc: Exception) -> ProviderError:
    """Map an httpx (or other transport) exception to a ProviderError."""
    if isinstance(exc, ProviderError):
        return exc
    if isinstance(exc, httpx.TimeoutException):
        return ProviderUnavailable(provider, f"timed out ({type(exc).__name__})")
    if isinstance(exc, httpx.RemoteProtocolError):
        return ProviderUnavailable(provider, f"connection closed by the server: {exc}")
    if isinstance(exc, httpx.TransportError):
        return ProviderUnavailable(provider, f"transport error: {type(exc).__name__}: {exc}")
    if isinstance(exc, httpx.DecodingError):
        return BadPayload(provider, f"undecodable body: {exc}")
    return BadPayload(provider, f"{type(exc).__name__}: {exc}")
