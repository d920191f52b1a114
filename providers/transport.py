"""One bounded GET: redirects by rule, and a body counted after decompression while it streams.

httpx inflates a gzip body one network chunk at a time with no output limit, so a 64 KiB chunk of
a gzip bomb becomes ~64 MB before anyone can count it. Here the body is read raw and inflated
with zlib's ``max_length``, so at most the limit (plus one byte) is ever held. Only gzip and
deflate are asked for (``Accept-Encoding``); an answer in another coding is a bad payload.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Collection
from dataclasses import dataclass

import httpx
from neodymium.providers.errors import (
    BadPayload,
    PermanentError,
    ProviderUnavailable,
    error_for_exception,
    error_for_response,
)

#: The default cap on a response body, after decompression: quotes and news fit with room.
DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True, slots=True)
class TransportLimits:
    """What one request may cost."""

    timeout: float
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_redirects: int = 0
    cross_host: bool = False


def size_text(count: int) -> str:
    """``4194304`` → ``4 MiB`` (for messages)."""
    for unit, size in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count} bytes"


class _Inflater:
    """gzip/deflate/identity decoding that never produces more than it is allowed to."""

    def __init__(self, provider: str, coding: str) -> None:
        codings = [c.strip().lower() for c in coding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        self.provider = provider
        self._raw_deflate_tried = False
        self._z: zlib._Decompress | None
        if not codings:
            self._z = None
        elif codings == ["gzip"] or codings == ["x-gzip"]:
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif codings == ["deflate"]:
            self._z = zlib.decompressobj()
        else:
            raise BadPayload(provider, f"unsupported content-encoding {coding[:40]!r}")
        self.deflate = codings == ["deflate"]

    def feed(self, data: bytes, room: int) -> bytes:
        """Inflate ``data``; returns at most ``room + 1`` bytes (more than room: too big)."""
        if self._z is None:
            return data[: room + 1]
        try:
            return self._z.decompress(data, room + 1)
        except zlib.error as exc:
            if self.deflate and not self._raw_deflate_tried:
                self._raw_deflate_tried = True  # some servers send raw deflate, no zlib header
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data, room)
            raise BadPayload(self.provider, f"undecodable body: {exc}") from None

    def flush(self) -> bytes:
        """What is left in the decoder (little: ``feed`` stops at the limit and raises)."""
        return b"" if self._z is None else self._z.flush()


def _redirect_target(provider: str, response: httpx.Response, limits: TransportLimits,
                     followed: int) -> httpx.Request:
    """The next request of a redirect we may follow, else a PermanentError."""
    location = response.headers.get("Location", "")[:200]
    target = response.next_request
    status = response.status_code
    if target is None:
        raise PermanentError(provider, f"HTTP {status} without a usable Location")
    if target.url.scheme not in {"http", "https"}:
        raise PermanentError(provider, f"HTTP {status} redirect to {location!r} (not http(s))")
    same = (target.url.scheme, target.url.host, target.url.port) == (
        response.request.url.scheme, response.request.url.host, response.request.url.port)
    if followed >= limits.max_redirects or not (same or limits.cross_host):
        if not (same or limits.cross_host):
            why = "another host"
        elif not limits.max_redirects:
            why = "this API is never redirected"
        else:
            why = f"too many redirects, {limits.max_redirects} allowed"
        raise PermanentError(provider, f"HTTP {status} redirect to {location!r} not followed "
                                       f"({why})")
    return target


async def fetch_bounded(client: httpx.AsyncClient, provider: str, request: httpx.Request,
                        limits: TransportLimits) -> httpx.Response:
    """Send ``request``; return the final response with its whole (decoded) body read.

    Raises PermanentError for a redirect not allowed by ``limits`` and BadPayload for a body
    over ``limits.max_body_bytes``; httpx errors pass through for the caller to map.
    """
    request.headers.setdefault("Accept-Encoding", ACCEPT_ENCODING)
    followed = 0
    while True:
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            if response.is_redirect:
                request = _redirect_target(provider, response, limits, followed)
                followed += 1
                continue
            body = await _read_bounded(provider, response, limits.max_body_bytes)
        finally:
            await response.aclose()
        headers = [(k, v) for k, v in response.headers.multi_items()
                   if k.lower() not in {"content-encoding", "content-length",
                                        "transfer-encoding"}]
        return httpx.Response(response.status_code, headers=headers, content=body,
                              request=response.request, extensions=dict(response.extensions))


async def _read_bounded(provider: str, response: httpx.Response, limit: int) -> bytes:
    def too_big(got: bytes) -> BadPayload:
        return BadPayload(provider, f"body larger than the {size_text(limit)} limit", got[:120])

    declared = response.headers.get("Content-Length", "")
    coding = response.headers.get("Content-Encoding", "")
    if declared.isdigit() and not coding and int(declared) > limit:
        raise BadPayload(provider, f"body of {declared} bytes is over the "
                                   f"{size_text(limit)} limit")
    inflater = _Inflater(provider, coding)
    parts: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        parts.append(inflater.feed(chunk, limit - size))
        size += len(parts[-1])
        if size > limit:
            raise too_big(_dropped(parts))
    parts.append(inflater.flush())
    size += len(parts[-1])
    if size > limit:
        raise too_big(_dropped(parts))
    return b"".join(parts)


def _dropped(parts: list[bytes]) -> bytes:
    """The body's first bytes (for the error's excerpt), emptying ``parts``: the error's
    traceback keeps this frame, and with it up to the limit's worth of body for as long as the
    error lives (a chained error's traceback sits in a reference cycle until the collector
    runs; a bomb on every quote route held ~130 MiB so)."""
    first = parts[0][:120]
    parts.clear()
    return first


async def bounded_send(client: httpx.AsyncClient, provider: str, request: httpx.Request,
                       limits: TransportLimits, accept: Collection[int] = ()) -> httpx.Response:
    """``fetch_bounded`` within a total deadline of ``limits.timeout``, every failure mapped to
    a ProviderError: the one way any provider's request goes out (statuses in ``accept`` are
    returned for the caller to read)."""
    try:
        async with asyncio.timeout(limits.timeout):
            response = await fetch_bounded(client, provider, request, limits)
    except TimeoutError as exc:
        error = ProviderUnavailable(
            provider, f"timed out: no complete answer within {limits.timeout:g} s")
        error.cause = "timeout"
        raise error from exc
    except Exception as exc:  # every transport failure maps to one of our errors
        raise error_for_exception(provider, exc) from exc
    if response.status_code in accept:
        return response
    failure = error_for_response(provider, response)
    if failure is not None:
        raise failure
    return response
