"""Provider errors, and the one place where httpx failures are mapped to them."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from neodymium.providers.symbols import successor_hint

if TYPE_CHECKING:  # imported where a transport error is mapped: config checks need no httpx
    import httpx

EXCERPT_CHARS = 120
#: The longest pause any upstream may ask for; a larger Retry-After is read as this.
MAX_RETRY_AFTER_S = 3600.0


class ProviderError(Exception):
    """Base of every provider failure; ``retryable`` says whether trying later may help."""

    kind = "error"
    retryable = True
    #: What went wrong on the wire, when it was the transport: "timeout", "reset", "transport"
    #: or "" (set by :func:`error_for_exception`, so no caller inspects httpx types).
    cause = ""

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


class PermanentError(ProviderError):
    """HTTP 404/410, or a redirect we do not follow: the endpoint is wrong until something
    changes. Not a symbol's fault, so it backs off (longer than a transient failure)."""

    kind = "permanent"
    retryable = False


class SymbolNotFound(ProviderError):
    """The upstream does not know this symbol."""

    kind = "not-found"
    retryable = False

    def __init__(self, provider: str, symbol: str, message: str | None = None) -> None:
        super().__init__(provider, message or f"symbol {symbol} not found")
        self.symbol = symbol


def unserved_reason(key: str, reasons: list[str] | None) -> str:
    """Why no provider served ``key``: each one's reason ("; " between them), and for an old
    Beijing code the 920 code it moved to (once, not per provider: see successor_hint)."""
    return "; ".join(reasons or ["no configured quote provider serves this symbol"]) \
        + successor_hint(key)


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
        excerpt = excerpt if excerpt.strip() else ""  # 120 blanks tell the user nothing
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
    """Seconds from a Retry-After header (delta-seconds or HTTP date), or None.

    Read defensively: garbage, NaN and dates nobody can parse are None; anything larger than
    MAX_RETRY_AFTER_S (``1e12``, ``inf``, a date in 2999) is capped to it.
    """
    if not value:
        return None
    value = value.strip()[:64]
    seconds: float | None
    try:
        seconds = float(value)
    except ValueError:
        seconds = _seconds_until(value, now or datetime.now(UTC))
    if seconds is None or math.isnan(seconds):
        return None
    return min(MAX_RETRY_AFTER_S, max(0.0, seconds))


def _seconds_until(value: str, now: datetime) -> float | None:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return (when - now).total_seconds()
    except OverflowError:
        return MAX_RETRY_AFTER_S


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
    if status >= 500:
        return ProviderUnavailable(provider, f"HTTP {status} {response.reason_phrase}".rstrip())
    if status in (404, 410):
        return PermanentError(provider, f"HTTP {status} {response.reason_phrase}".rstrip())
    return BadPayload(provider, f"unexpected HTTP {status}", response.content[:EXCERPT_CHARS])


def error_for_exception(provider: str, exc: BaseException) -> ProviderError:
    """Map an httpx (or other transport) exception to a ProviderError, with its ``cause``."""
    import httpx

    if isinstance(exc, ProviderError):
        return exc
    error: ProviderError
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        error = ProviderUnavailable(provider, f"timed out ({type(exc).__name__})")
        error.cause = "timeout"
    elif isinstance(exc, httpx.RemoteProtocolError | ConnectionResetError | ConnectionAbortedError):
        error = ProviderUnavailable(
            provider, f"connection closed by the server: {excerpt_of(str(exc))}"
        )
        error.cause = "reset"
    elif isinstance(exc, httpx.TransportError | OSError):
        error = ProviderUnavailable(
            provider, f"transport error: {type(exc).__name__}: {excerpt_of(str(exc))}"
        )
        error.cause = _reset_or(exc, "transport")
    elif isinstance(exc, httpx.DecodingError):
        error = BadPayload(provider, f"undecodable body: {excerpt_of(str(exc))}")
    else:
        error = BadPayload(provider, f"{type(exc).__name__}: {excerpt_of(str(exc))}")
    return error


def _reset_or(exc: BaseException, default: str) -> str:
    """"reset" when a reset connection is anywhere in the exception's causes."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionResetError | ConnectionAbortedError):
            return "reset"
        current = current.__cause__ or current.__context__
    return default
