"""Which relay polls: a key in a bucket whose TTL is the lease's.

The holder renews by a revision-checked update; a standby creates the key, which succeeds only
when it is absent (expired, deleted or never written). So at most one relay polls, and when the
holder dies the key expires with the bucket's TTL and a standby wins it on its next try.
"""

from __future__ import annotations

import contextlib
import logging

from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import (
    BadRequestError,
    BucketNotFoundError,
    KeyNotFoundError,
    KeyWrongLastSequenceError,
    NotFoundError,
)
from nats.js.kv import KeyValue
from neodymium.providers.relay.keys import LEASE_KEY, lease_bucket

log = logging.getLogger(__name__)


async def ensure_bucket(js: JetStreamContext, config: KeyValueConfig) -> KeyValue:
    """Open a bucket, creating it when missing (an existing one is used as it is)."""
    try:
        return await js.key_value(config.bucket)
    except (BucketNotFoundError, NotFoundError):
        pass
    try:
        return await js.create_key_value(config=config)
    except BadRequestError:  # another relay created it meanwhile
        return await js.key_value(config.bucket)


class Lease:
    """One relay's claim on the polling lease."""

    def __init__(self, js: JetStreamContext, bucket: str, holder: str, ttl: float) -> None:
        self.js = js
        self.bucket = lease_bucket(bucket)
        self.holder = holder
        self.ttl = ttl
        self.revision: int | None = None
        self._kv: KeyValue | None = None

    async def open(self) -> None:
        """Open (or create) the lease bucket; memory storage: a lease outlives no server."""
        self._kv = await ensure_bucket(self.js, KeyValueConfig(
            bucket=self.bucket, history=1, ttl=self.ttl, storage=StorageType.MEMORY,
        ))
        self.revision = None

    @property
    def held(self) -> bool:
        """True while the last acquire or renew succeeded."""
        return self.revision is not None

    async def acquire(self) -> bool:
        """Renew the lease if held, else try to take it; True when this relay holds it."""
        if self._kv is None:
            await self.open()
        assert self._kv is not None
        value = self.holder.encode()
        if self.revision is not None:
            try:
                self.revision = await self._kv.update(LEASE_KEY, value, last=self.revision)
                return True
            except (KeyWrongLastSequenceError, BadRequestError):
                log.warning("lost the relay lease")
                self.revision = None
        try:
            self.revision = await self._kv.create(LEASE_KEY, value)
        except (KeyWrongLastSequenceError, BadRequestError):
            return False
        log.info("holding the relay lease")
        return True

    async def current(self) -> str | None:
        """Who holds the lease now, or None."""
        if self._kv is None:
            return None
        try:
            entry = await self._kv.get(LEASE_KEY)
        except KeyNotFoundError:
            return None
        return entry.value.decode() if entry.value else None

    async def release(self) -> None:
        """Give the lease up at once (on a clean stop) so a standby need not wait for the TTL."""
        if self._kv is None or self.revision is None:
            return
        with contextlib.suppress(KeyWrongLastSequenceError, BadRequestError):
            await self._kv.delete(LEASE_KEY, last=self.revision)
        self.revision = None
