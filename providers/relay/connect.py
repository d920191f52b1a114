"""Open NATS with the configured auth and TLS; name the server without its secrets.

Credentials come from ``[relay]`` or the environment (the environment wins, so a shared config
file need hold none). They go to nats-py and nowhere else: logs and screens get
:func:`display_host`, which drops any user:password@ written into a URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import ssl
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import nats
from nats.aio.client import Client
from nats.errors import NoRespondersError, NoServersError
from nats.js.errors import ServiceUnavailableError
from neodymium.config.settings import RelaySettings

log = logging.getLogger(__name__)

Callback = Callable[[], Awaitable[None]]
#: Longest a teardown step may take (a NATS unsubscribe or close can wait on a lost server).
TEARDOWN_S = 2.0
#: Why a server turned the relay away when trying again cannot help.
AUTH_REFUSED = "authorization refused (check token, user/password or creds)"

ENV = {
    "token": "NEODYMIUM_NATS_TOKEN", "user": "NEODYMIUM_NATS_USER",
    "password": "NEODYMIUM_NATS_PASSWORD", "creds": "NEODYMIUM_NATS_CREDS",
    "nkey_seed": "NEODYMIUM_NATS_NKEY",
}


def display_host(url: str) -> str:
    """``nats://u:p@desk-1:4222`` → ``desk-1:4222``: safe to show and log."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    return f"{host}:{parts.port}" if parts.port else host


def auth_options(url: str, settings: RelaySettings,
                 env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """nats-py connect options: the URL without userinfo, plus token/user/password/creds/TLS."""
    env = os.environ if env is None else env
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    options: dict[str, Any] = {"servers": [urlunsplit(parts._replace(netloc=netloc))]}
    if parts.username and parts.password is None:
        options["token"] = unquote(parts.username)
    elif parts.username:
        options["user"] = unquote(parts.username)
        options["password"] = unquote(parts.password or "")
    configured = {
        "token": settings.token.get_secret_value() if settings.token else None,
        "user": settings.user,
        "password": settings.password.get_secret_value() if settings.password else None,
        "creds": settings.creds, "nkey_seed": settings.nkey_seed,
    }
    for name, variable in ENV.items():
        value = env.get(variable) or configured[name]
        if value:
            options[{"creds": "user_credentials", "nkey_seed": "nkeys_seed"}.get(name, name)] = \
                value
    tls = tls_context(settings)
    if tls is not None:
        options["tls"] = tls
    return options


def tls_context(settings: RelaySettings) -> ssl.SSLContext | None:
    """A verifying TLS context when a CA or client certificate is configured."""
    if not (settings.tls_ca or settings.tls_cert):
        return None
    context = ssl.create_default_context(cafile=settings.tls_ca)
    if settings.tls_cert:
        context.load_cert_chain(settings.tls_cert, settings.tls_key)
    return context


class RelayConnectError(ConnectionError):
    """NATS could not be reached or refused us; the text names the host, never a secret.

    ``lasting``: trying again cannot help until someone changes the credentials (the server
    refused them); otherwise the server may simply not be up yet.
    """

    def __init__(self, message: str, *, lasting: bool = False) -> None:
        super().__init__(message)
        self.lasting = lasting


async def connect(url: str, settings: RelaySettings, *, name: str,
                  disconnected: Callback | None = None, reconnected: Callback | None = None,
                  timeout: float = 2.0) -> Client:
    """Connect once (raises :class:`RelayConnectError`), then reconnect forever if dropped."""
    host = display_host(url)

    async def error_cb(exc: Exception) -> None:
        # The exception's class and text name no credential; the URL is never logged.
        log.debug("nats %s: %s: %s", host, type(exc).__name__, exc)

    async def noop() -> None:
        return None

    try:
        client = await nats.connect(
            **auth_options(url, settings), name=name, error_cb=error_cb,
            disconnected_cb=disconnected or noop, reconnected_cb=reconnected or noop,
            allow_reconnect=False, max_reconnect_attempts=1, connect_timeout=timeout,
            ping_interval=2,
            max_outstanding_pings=2, reconnect_time_wait=0.5,
        )
    except Exception as exc:  # nats-py raises OSError, its own errors or TimeoutError
        reason = _reason(exc)
        raise RelayConnectError(f"relay {host}: {reason}",
                                lasting=reason == AUTH_REFUSED) from None
    # Only a first connection fails fast; once in, a dropped link is retried forever.
    client.options["allow_reconnect"] = True
    client.options["max_reconnect_attempts"] = -1
    return client


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if "authorization" in text.lower():
        return AUTH_REFUSED
    if isinstance(exc, NoServersError):
        return "unreachable (no NATS server answered)"
    if isinstance(exc, (OSError, TimeoutError)):
        return f"unreachable ({text})"
    return text


def jetstream_reason(exc: BaseException) -> str:
    """Why JetStream would not open a bucket, in words for whoever runs the server."""
    if isinstance(exc, (ServiceUnavailableError, NoRespondersError)):
        return "JetStream is not enabled on this server (start nats-server with -js)"
    if isinstance(exc, TimeoutError):
        return "JetStream did not answer in time"
    return _reason(exc)


async def bounded(step: Awaitable[object]) -> None:
    """Run a teardown step, giving up after :data:`TEARDOWN_S` or on any error."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(step, TEARDOWN_S)
