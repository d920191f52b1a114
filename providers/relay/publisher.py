"""``neodymium relay``: the runtime, headless, publishing every change to a JetStream bucket.

The relay runs a :class:`Runtime` (``direct``: it polls, whatever ``[feed].source`` says) for its
whole life; only while it holds the lease does the runtime poll. It polls the union of its
config's symbols and what subscribers ask for on the want subject (bounded by
``[relay].max_symbols``; asks past the limit are refused, with the reason in the reply). Each
changed value is put in the bucket (last value per key, so late joiners paint at once) and
published on an update subject; a health record doubles as the heartbeat subscribers judge the
relay's liveness by.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import KeyValueConfig
from nats.js.kv import KeyValue
from neodymium.config.settings import Settings
from neodymium.providers.relay import codec, keys
from neodymium.providers.relay.connect import (
    RelayConnectError,
    connect,
    display_host,
    jetstream_reason,
)
from neodymium.providers.relay.lease import Lease, ensure_bucket
from neodymium.providers.relay.wants import Wants
from neodymium.providers.runtime import Runtime
from neodymium.providers.store import Snapshot

log = logging.getLogger(__name__)

#: Seconds between tries to reach NATS and open the bucket at start: doubling from the first
#: to the last.
OPEN_RETRY_FIRST_S = 1.0
OPEN_RETRY_MAX_S = 30.0


@dataclass
class RelayCounters:
    """What a relay has done, for tests and the benchmark."""

    puts: int = 0
    bytes: int = 0
    activations: int = 0


class Relay:
    """One relay process: lease, the runtime polling while it holds it, publisher, wants.

    :meth:`run` opens the runtime after reaching NATS and closes it on the way out.
    """

    def __init__(self, runtime: Runtime, url: str, *, relay_id: str | None = None,
                 report: Callable[[str], None] | None = None) -> None:
        if not runtime.direct:
            raise ValueError("a relay polls: build its Runtime with direct=True")
        self.runtime = runtime
        self.settings = settings = runtime.settings
        self.url = url
        self.server = display_host(url)
        self.clock = runtime.clock
        self.host = socket.gethostname()
        self.relay_id = relay_id or f"{self.host}-{uuid.uuid4().hex[:8]}"
        #: Where problems the operator must see go (``neodymium relay`` prints them).
        self.report = report or log.warning
        self.open_retry_s = (OPEN_RETRY_FIRST_S, OPEN_RETRY_MAX_S)
        self.config = settings.relay
        self.wants = Wants(settings.all_symbols_raw(), settings.relay.max_symbols)
        #: Cache warnings from opening the runtime (a damaged file set aside, say).
        self.warnings: list[str] = []
        self.counters = RelayCounters()
        self.active = asyncio.Event()
        #: Set once :meth:`run` has stopped and released the lease.
        self.stopped = asyncio.Event()
        self._stop: asyncio.Event | None = None
        self._nc: Client | None = None
        self._kv: KeyValue | None = None
        self._lease: Lease | None = None
        self._latest: Snapshot | None = None
        self._dirty = asyncio.Event()
        self._published: dict[str, object] = {}
        self._publisher: asyncio.Task[None] | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until ``stop`` is set: hold or wait for the lease, poll, publish, heartbeat."""
        self._stop = stop
        self.stopped.clear()
        try:
            if not await self._connect_when_ready(stop):
                return
            self.warnings = await self.runtime.open()
            for warning in self.warnings:
                log.warning("cache: %s", warning)
            self.runtime.feed.subscribe(self._on_snapshot)
            if not await self._open_when_ready(stop):
                return
            assert self._nc is not None  # connected above
            await self._nc.subscribe(keys.want_subject(self.config.bucket), cb=self._on_want)
            self._publisher = asyncio.create_task(self._publish_loop())
            tick = min(self.config.heartbeat, self.config.lease_ttl / 3)
            while not stop.is_set():
                await self._tick()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), tick)
        finally:
            await self._shutdown()
            self.stopped.set()

    async def stop(self) -> None:
        """Ask :meth:`run` to stop and wait until it has."""
        if self._stop is not None:
            self._stop.set()
            await self.stopped.wait()

    async def _open(self) -> None:
        assert self._nc is not None
        js = self._nc.jetstream()
        self._kv = await ensure_bucket(js, KeyValueConfig(bucket=self.config.bucket, history=1))
        self._lease = Lease(js, self.config.bucket, self.relay_id, self.config.lease_ttl)
        await self._lease.open()

    async def _connect_when_ready(self, stop: asyncio.Event) -> bool:
        """Reach NATS, trying again (with backoff) while it is down or not up yet; a server
        that refuses our credentials ends the run (RelayConnectError). False when ``stop``
        came first."""

        async def attempt() -> None:
            self._nc = await connect(self.url, self.config,
                                     name=f"neodymium-relay {self.relay_id}",
                                     reconnected=self._reconnected)

        def reason_of(exc: Exception) -> str:
            if not isinstance(exc, RelayConnectError) or exc.lasting:
                raise exc
            return str(exc).removeprefix(f"relay {self.server}: ")

        return await self._until_ready(stop, attempt, reason_of, "connected")

    async def _open_when_ready(self, stop: asyncio.Event) -> bool:
        """Open the bucket and lease, trying again (with backoff) while JetStream refuses: not
        enabled, still starting, or slow. False when ``stop`` came first."""
        return await self._until_ready(stop, self._open, jetstream_reason,
                                       f"bucket {self.config.bucket!r} open")

    async def _until_ready(self, stop: asyncio.Event, attempt: Callable[[], Awaitable[None]],
                           reason_of: Callable[[Exception], str], ready: str) -> bool:
        """Run ``attempt`` until it succeeds, waiting longer after each failure (from the first
        to the last of ``open_retry_s``). Each new reason is reported once, and ``ready`` once
        it succeeds after a report. False when ``stop`` came first."""
        delay, longest = self.open_retry_s
        said: str | None = None
        while not stop.is_set():
            try:
                await attempt()
            except Exception as exc:
                reason = reason_of(exc)
                if reason != said:
                    self.report(f"relay {self.server}: {reason}; trying again every "
                                f"{longest:g} s at most")
                    said = reason
            else:
                if said is not None:
                    self.report(f"relay {self.server}: {ready}")
                return True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, longest)
        return False

    async def _reconnected(self) -> None:
        """After a server restart the buckets may be new: reopen them and republish all."""
        log.info("reconnected to %s", self.server)
        try:
            await self._open()
        except Exception as exc:  # keep serving; the next tick retries
            log.warning("reopening buckets failed: %s", type(exc).__name__)
            return
        self._published.clear()
        self._dirty.set()

    async def _tick(self) -> None:
        """Renew or seek the lease, follow subscribers' wants, send the heartbeat."""
        assert self._lease is not None
        try:
            held = await self._lease.acquire()
        except Exception as exc:  # NATS down: keep polling only while the lease may be ours
            log.warning("lease check failed: %s", type(exc).__name__)
            held = self._lease.held
        if held and not self.active.is_set():
            await self._activate()
        elif not held and self.active.is_set():
            await self._deactivate()
        if self.active.is_set() and self.wants.expire(self.clock()):
            self._rewatch()
        await self._heartbeat()

    async def _heartbeat(self) -> None:
        """Every relay says it is there (active or standby); the active one also sends the
        health record subscribers judge the feed's liveness by."""
        presence = codec.RelayHealth(relay_id=self.relay_id, host=self.host,
                                     active=self.active.is_set(), heartbeat_at=self.clock())
        try:
            await self._put(keys.presence_key(self.relay_id), "presence", presence, force=True)
            if self.active.is_set():
                await self._put(keys.HEALTH, "health", self._health(self.runtime.feed.latest),
                                force=True)
        except Exception as exc:  # NATS away: the next tick tries again
            log.warning("heartbeat failed: %s", type(exc).__name__)

    async def _activate(self) -> None:
        """Poll the wanted symbols. Values kept from an earlier turn are not sent again
        until polled anew: the standby that held the lease meanwhile has put fresher ones."""
        log.info("relay %s active: polling %d symbols", self.relay_id, len(self.wants.union()))
        self.counters.activations += 1
        self.active.set()
        self._rewatch()
        await self.runtime.start()

    async def _deactivate(self) -> None:
        if not self.active.is_set():
            return
        log.info("relay %s standing by", self.relay_id)
        self.active.clear()
        await self.runtime.stop()

    async def _shutdown(self) -> None:
        await self._deactivate()
        await self.runtime.close()
        if self._publisher is not None:
            self._publisher.cancel()
        if self._lease is not None and self._nc is not None and self._nc.is_connected:
            try:
                await self._lease.release()
            except Exception as exc:
                log.debug("lease release failed: %s", type(exc).__name__)
        if self._nc is not None:
            await self._nc.close()

    # -- wants ----------------------------------------------------------------------------------

    def _watch_settings(self) -> Settings:
        watch = self.settings.watch.model_copy(update={"symbols": self.wants.union()})
        return self.settings.model_copy(update={"watch": watch})

    def _rewatch(self) -> None:
        if self.active.is_set():
            self.runtime.feed.set_watch(self._watch_settings())

    async def _on_want(self, msg: Msg) -> None:
        """A subscriber asks for symbols; reply with what is accepted and what is refused."""
        try:
            request = json.loads(msg.data)
            client = str(request["client"])[:100]
            symbols = [str(s)[:32] for s in request["symbols"]][: self.config.max_symbols + 1]
        except (ValueError, KeyError, TypeError):
            reply: dict[str, object] = {"error": "expected {\"client\": id, \"symbols\": [...]}"}
        else:
            answer = self.wants.ask(client, symbols, self.clock())
            if answer.changed:
                self._rewatch()
            reply = {"accepted": answer.accepted, "refused": answer.refused,
                     "relay": self.host, "active": self.active.is_set()}
        if msg.reply:
            await msg.respond(json.dumps(reply, ensure_ascii=False).encode())

    # -- publishing ---------------------------------------------------------------------------

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        self._latest = snapshot
        self._dirty.set()

    async def _publish_loop(self) -> None:
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            snapshot = self._latest
            if snapshot is None or not self.active.is_set():
                continue
            try:
                await self._publish(snapshot)
            except Exception as exc:  # NATS away: the values are sent again after reconnecting
                log.warning("publishing failed: %s", type(exc).__name__)
                self._published.clear()

    async def _publish(self, snapshot: Snapshot) -> None:
        """Put every value that changed since the last publish (by identity: the store makes a
        new object for each update), then the health record."""
        polled = set(self.wants.union_keys())
        for symbol, state in snapshot.quotes.items():
            if symbol in polled:
                await self._put(keys.quote_key(symbol), "quote", state)
        for symbol, bars in snapshot.bars.items():
            if symbol in polled:
                await self._put(keys.bars_key(symbol), "bars", bars)
        news_ids = tuple(item.id for item in snapshot.news)
        if self._published.get(keys.NEWS) != news_ids:
            await self._put(keys.NEWS, "news", snapshot.news, force=True)
            self._published[keys.NEWS] = news_ids
        if self.active.is_set():  # a relay that stepped down meanwhile leaves health alone
            await self._put(keys.HEALTH, "health", self._health(snapshot), force=True)

    async def _put(self, key: str, kind: str, value: object, force: bool = False) -> None:
        if not force and self._published.get(key) is value:
            return
        if self._kv is None or self._nc is None:
            return
        payload = codec.encode(kind, value, self.clock())
        await self._kv.put(key, payload)
        await self._nc.publish(keys.update_subject(self.config.bucket, key), payload)
        self._published[key] = value
        self.counters.puts += 1
        self.counters.bytes += len(payload)

    def _health(self, snapshot: Snapshot | None) -> codec.RelayHealth:
        return codec.RelayHealth(
            relay_id=self.relay_id, host=self.host, active=self.active.is_set(),
            heartbeat_at=self.clock(),
            providers=dict(snapshot.health) if snapshot else {},
            symbol_errors=dict(snapshot.symbol_errors) if snapshot else {},
            loaded=tuple(sorted(kind.value for kind in snapshot.loaded)) if snapshot else (),
            symbols=tuple(self.wants.union_keys()),
            simulated=self.runtime.simulated,
        )
