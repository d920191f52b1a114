"""Where the data comes from when a relay is involved: ``[feed]`` and ``[relay]`` (NATS)."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from neodymium.config.section import Section
from pydantic import Field, SecretStr, field_validator

NATS_SCHEMES = frozenset({"nats", "tls", "ws", "wss"})


def _nats_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in NATS_SCHEMES or not parts.hostname:
        raise ValueError(f"{value!r} must be nats://host[:port] (or tls://, ws://, wss://)")
    return value


class FeedSettings(Section):
    """The ``[feed]`` section: poll the upstreams here, or subscribe to a relay."""

    #: "direct" polls the upstreams from this process; nats://host:port reads a relay's bucket.
    source: str = "direct"
    #: "direct": poll the upstreams while the relay is unreachable; "none": show it and wait.
    fallback: Literal["direct", "none"] = "none"

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        return value if value == "direct" else _nats_url(value)

    @property
    def relay_url(self) -> str | None:
        """The relay's NATS URL, or None when polling directly."""
        return None if self.source == "direct" else self.source


class RelaySettings(Section):
    """The ``[relay]`` section: NATS connection, auth and TLS, bucket, lease, limits.

    Secrets may instead come from $NEODYMIUM_NATS_TOKEN, $NEODYMIUM_NATS_USER,
    $NEODYMIUM_NATS_PASSWORD, $NEODYMIUM_NATS_CREDS and $NEODYMIUM_NATS_NKEY; they are never shown.
    """

    #: Where ``neodymium relay`` publishes when --nats is not given.
    url: str = "nats://127.0.0.1:4222"
    bucket: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")] = "neodymium"
    #: Seconds a relay holds the polling lease without renewing it; the standby takes over after.
    lease_ttl: Annotated[float, Field(ge=1, le=120)] = 5.0
    #: Seconds between the active relay's heartbeats; subscribers call it gone after 3 missed.
    heartbeat: Annotated[float, Field(gt=0, le=60)] = 1.0
    #: Most symbols one relay polls (its config plus subscribers' requests).
    max_symbols: Annotated[int, Field(ge=1, le=5000)] = 200
    token: SecretStr | None = None
    user: str | None = None
    password: SecretStr | None = None
    #: A .creds file (JWT + nkey seed) or an nkey seed file.
    creds: str | None = None
    nkey_seed: str | None = None
    #: CA bundle to verify the server, and a client certificate and key for mutual TLS.
    tls_ca: str | None = None
    tls_cert: str | None = None
    tls_key: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _nats_url(value)
