"""A feed that reads a relay's bucket instead of polling: ``[feed] source = "nats://…"``.

It is a :class:`Feed` whose store is filled from the bucket: last values at once (a late joiner
paints immediately), then every update. It asks the relay for its own symbols on the want
subject, and judges the relay alive by the health record's heartbeat. When the relay or NATS is
unreachable the snapshot says so; with ``fallback = "direct"`` it runs the inherited polling on
the same store until the relay's heartbeat returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.errors import BucketNotFoundError, NotFoundError
from nats.js.kv import KeyValue
from neodymium.config.settings import Settings
from neodymium.providers.base import Provider
from neodymium.providers.cache import Cache
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.feed import Feed
from neodymium.providers.models import DataKind
from neodymium.providers.relay import codec, keys, presence
from neodymium.providers.relay.asking import ask_relay
from neodymium.providers.relay.bucket_read import last_values
from neodymium.providers.relay.connect import (
    TEARDOWN_S,
    RelayConnectError,
    bounded,
    connect,
    display_host,
    jetstream_reason,
)
from neodymium.providers.relay.folding import merged_for
from neodymium.providers.relay.status import LinkState, RelayStatus
from neodymium.providers.relay.wants import WANT_RENEW
from neodymium.providers.store import Merged, ProviderHealth, Snapshot

log = logging.getLogger(__name__)

#: Heartbeats a relay may miss before subscribers call it unreachable.
MISSED_HEARTBEATS = 3
#: Updates arriving within this window make one snapshot (a relay's cycle is one burst).
COALESCE_S = 0.05
KIND_NAMES = frozenset(kind.value for kind in DataKind)
#: Longest wait between attempts to reach NATS.
RETRY_MAX_S = 5.0


class RelayFeed(Feed):
    """Subscribe to a relay; poll directly only as the configured fallback."""

    def __init__(self, settings: Settings, providers: Mapping[str, Provider], *,
                 clock: Clock = system_clock, cache: Cache | None = None) -> None:
        super().__init__(settings, providers, clock=clock, cache=cache)
        url = settings.feed.relay_url
        if url is None:
            raise ValueError("RelayFeed needs [feed].source = \"nats://host:port\"")
        self.url = url
        self.client_id = uuid.uuid4().hex
        self.status = RelayStatus(server=display_host(url))
        self.relay_health: codec.RelayHealth | None = None
        #: Every relay's presence record by relay id (active and standby).
        self.relays: dict[str, codec.RelayHealth] = {}
        self.received = 0
        #: Called with each message's publish-to-receipt latency in seconds (benchmark hook).
        self.on_latency: Callable[[float], None] | None = None
        self._nc: Client | None = None
        #: The bucket, once opened.
        self._kv: KeyValue | None = None
        self._tasks: list[asyncio.Task[Any]] = []
        self._changed = asyncio.Event()
        self._dirty = asyncio.Event()
        self._watch_restart = asyncio.Event()
        self._applied: dict[str, datetime] = {}
        self._kinds: frozenset[DataKind] = frozenset(DataKind)
        #: When the bucket was last opened: the start of the wait for an active relay.
        self._bucket_opened_at: datetime | None = None
        self.store.relay = self.status

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self, kinds: Collection[DataKind] = frozenset(DataKind)) -> None:
        """Connect and follow the bucket in the background (returns at once); ``kinds`` are
        what the direct fallback polls."""
        self._kinds = frozenset(kinds)
        if self._tasks:
            return
        self._tasks = [asyncio.create_task(self._run(), name="relay-link"),
                       asyncio.create_task(self._flush_loop(), name="relay-flush"),
                       asyncio.create_task(self._monitor(), name="relay-monitor")]

    async def stop(self) -> None:
        """Stop following, stop any direct polling, close the providers."""
        await self._unfollow()
        await super().stop()

    async def stop_polling(self) -> None:
        """Stop following the relay and any direct polling; :meth:`start` follows again."""
        await self._unfollow()
        await super().stop_polling()

    async def _unfollow(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=TEARDOWN_S)
        self._tasks = []
        if self._nc is not None:
            await bounded(self._nc.close())
            self._nc = None

    async def refresh_now(self) -> None:
        """Polling is the relay's job; ask it again for our symbols (or poll when direct)."""
        if self.status.direct:
            await super().refresh_now()
        await self._ask()

    def set_watch(self, settings: Settings) -> None:
        """Watch another set of symbols and tell the relay; symbols it already polls show
        their last values from the bucket at once."""
        before = {symbol.key for symbol in self.symbols}
        super().set_watch(settings)
        if self._nc is not None and self._nc.is_connected:
            self._tasks.append(asyncio.create_task(self._ask()))
            added = [symbol.key for symbol in self.symbols if symbol.key not in before]
            if self._kv is not None and added:
                self._tasks.append(asyncio.create_task(
                    self._read_keys(self._kv, keys.symbol_keys(added))))

    async def poll_quotes(self) -> Snapshot | None:
        """For one-shot use: wait until every symbol has a value or an error, then publish.
        When the relay is unreachable: one direct poll with ``fallback = "direct"``, else the
        bucket's values so far and the reason for the rest."""
        if self.status.direct:  # the fallback's scheduled poll
            return await super().poll_quotes()
        await self.start(self._kinds)
        wanted = {symbol.key for symbol in self.symbols}
        while not wanted <= set(self.store.quotes) | set(self.store.symbol_errors):
            if self.status.state is LinkState.UNREACHABLE:
                if self.settings.feed.fallback == "direct":
                    return await super().poll_quotes()
                for key in wanted - set(self.store.quotes):
                    self.store.symbol_errors[key] = f"relay unreachable: {self.status.reason}"
                break
            await self._wait_changed()
        return self.publish()

    async def poll_history(self) -> Snapshot | None:
        """The relay's bars arrive with the bucket; polled here only as the fallback."""
        return await super().poll_history() if self.status.direct else None

    async def poll_news(self) -> Snapshot | None:
        """The relay's news arrives with the bucket; polled here only as the fallback."""
        return await super().poll_news() if self.status.direct else None

    def _simulated(self) -> bool:
        if self.relay_health is not None and not self.status.direct:
            return self.relay_health.simulated
        return super()._simulated()

    # -- snapshots ----------------------------------------------------------------------------

    async def _flush_loop(self) -> None:
        while True:
            await self._dirty.wait()
            await asyncio.sleep(COALESCE_S)
            self._dirty.clear()
            self.publish()

    def _touch(self) -> None:
        self._dirty.set()
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_changed(self) -> None:
        await self._changed.wait()

    def _set_status(self, **changes: Any) -> None:
        status = replace(self.status, **changes)
        if status != self.status:
            self.status = status
            self._apply_fallback()
            self.store.relay = self.status
            self._touch()

    # -- the link -----------------------------------------------------------------------------

    async def _run(self) -> None:
        delay = 0.25
        while True:
            try:
                self._nc = await connect(self.url, self.settings.relay,
                                         name=f"neodymium {self.client_id[:8]}",
                                         disconnected=self._disconnected,
                                         reconnected=self._reconnected)
            except RelayConnectError as exc:
                self._set_status(state=LinkState.UNREACHABLE, reason=str(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_S)
                continue
            delay = 0.25
            break
        asker = asyncio.create_task(self._ask_loop())
        try:
            while True:
                await self._follow()
        finally:
            asker.cancel()

    async def _disconnected(self) -> None:
        self._set_status(state=LinkState.UNREACHABLE, reason="connection to NATS lost")

    async def _reconnected(self) -> None:
        self._watch_restart.set()
        await self._ask()

    async def _open_bucket(self) -> KeyValue:
        assert self._nc is not None
        js = self._nc.jetstream()
        while True:
            try:
                return await js.key_value(self.settings.relay.bucket)
            except (BucketNotFoundError, NotFoundError):
                self._set_status(state=LinkState.UNREACHABLE, reason="no relay has published")
            except Exception as exc:
                self._set_status(state=LinkState.UNREACHABLE, reason=jetstream_reason(exc))
            await self._restart_or(self.settings.relay.heartbeat)

    async def _restart_or(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._watch_restart.wait(), seconds)

    async def _follow(self) -> None:
        """Follow the update subject, read the bucket's last values, then wait for a restart
        (reconnect). Updates are subscribed first so none falls between the two; a bucket value
        older than an update already applied is ignored (see :meth:`_apply`)."""
        kv = self._kv = await self._open_bucket()
        self._bucket_opened_at = self.clock()
        assert self._nc is not None
        self._watch_restart.clear()
        prefix = keys.update_subject(self.settings.relay.bucket, "")

        async def on_update(msg: Msg) -> None:
            self._apply_safely(msg.subject[len(prefix):], msg.data)

        updates = await self._nc.subscribe(prefix + ">", cb=on_update)
        try:
            await self._read_bucket(kv)
            self.publish()  # the bucket's last values are all in: paint now
            await self._watch_restart.wait()
        finally:
            await bounded(updates.unsubscribe())

    async def _read_bucket(self, kv: KeyValue) -> None:
        """The last values of what this feed shows, by key: the relay's health, then the
        active relay's presence, the news, each symbol's quote and bars (standby relays'
        presence comes with their next heartbeat). Not nats-py's ``watchall``: it may say it
        has caught up while the last values still wait in the client, and a late joiner then
        showed none until each changed again (for a closed market, the next day)."""
        await self._read_keys(kv, [keys.HEALTH])
        health = self.relay_health
        first = [keys.presence_key(health.relay_id)] if health is not None else []
        await self._read_keys(kv, [*first, keys.NEWS,
                                   *keys.symbol_keys(symbol.key for symbol in self.symbols)])

    async def _read_keys(self, kv: KeyValue, names: list[str]) -> None:
        """Read ``names`` from the bucket together and apply what is there, in their order."""
        for name, value in zip(names, await last_values(kv, names), strict=True):
            if value:
                self._apply_safely(name, value)

    def _apply_safely(self, key: str, payload: bytes) -> None:
        try:
            self._apply(key, payload)
        except Exception:  # one bad value must not end the subscription
            log.exception("could not apply the relay's %s", key)

    def _apply(self, key: str, payload: bytes) -> None:
        """Fold one bucket value into the store; a bad message is logged and skipped."""
        try:
            envelope = codec.decode(payload)
        except codec.CodecError as exc:
            log.warning("skipped a relay message at %s: %s", key, exc)
            return
        if envelope.sent_at < self._applied.get(key, envelope.sent_at):
            return  # the bucket's copy of a value an update already replaced
        self._applied[key] = envelope.sent_at
        now = self.clock()
        self.received += 1
        if self.on_latency is not None:
            self.on_latency((now - envelope.sent_at).total_seconds())
        kind, symbol = keys.split_key(key)
        if kind == keys.HEALTH:
            self._apply_health(envelope.data, now)
            return
        if kind == keys.PRESENCE:
            self.relays[envelope.data.relay_id] = envelope.data
            self._adopt_relay_rows(now)
            return
        merged = merged_for(kind, symbol, envelope.data, direct=self.status.direct)
        if merged is not None and self.adopt(merged):
            self._set_status(last_update=now)
            self._touch()

    def _apply_health(self, health: codec.RelayHealth, now: datetime) -> None:
        if not health.active:
            return
        self.relay_health = health
        if not self.status.direct:
            self.adopt(Merged(
                health={**health.providers, **self._relay_rows(now)},
                loaded=frozenset(DataKind(k) for k in health.loaded if k in KIND_NAMES),
                symbol_errors=health.symbol_errors))
        live = (now - health.heartbeat_at) < self._silence()
        self._set_status(last_update=now, active_relay=health.host,
                         state=LinkState.LIVE if live else LinkState.UNREACHABLE,
                         reason="" if live else "the relay is silent")
        self._touch()

    def _relay_rows(self, now: datetime) -> dict[str, ProviderHealth]:
        """Every relay still heard from, active or standby, as rows of the health view."""
        self.relays = presence.live(self.relays, now, self._silence())
        return presence.relay_rows(self.relays, self.relay_health)

    def _adopt_relay_rows(self, now: datetime) -> None:
        if self.status.direct:
            return  # the health view shows this process's own providers meanwhile
        providers = self.relay_health.providers if self.relay_health is not None else {}
        self.adopt(Merged(health={**providers, **self._relay_rows(now)}))
        self._touch()

    def _silence(self) -> timedelta:
        return timedelta(seconds=MISSED_HEARTBEATS * self.settings.relay.heartbeat + 0.5)

    async def _monitor(self) -> None:
        """Call the relay unreachable when its heartbeat stops (NATS up, relay dead), or when
        no active relay has been heard from since the bucket was opened (its last health
        record is a relay's that stepped down, or could not be read)."""
        while True:
            await asyncio.sleep(self.settings.relay.heartbeat)
            now = self.clock()
            if len(presence.live(self.relays, now, self._silence())) < len(self.relays):
                self._adopt_relay_rows(now)  # a relay has gone: its row goes too
            if self.status.state is LinkState.UNREACHABLE:
                continue
            health = self.relay_health
            heard = health.heartbeat_at if health is not None else self._bucket_opened_at
            if heard is not None and now - heard > self._silence():
                self._set_status(state=LinkState.UNREACHABLE,
                                 reason="the relay is silent" if health is not None
                                 else "no relay is active")

    # -- asking for symbols ---------------------------------------------------------------------

    async def _ask_loop(self) -> None:
        while True:
            await self._ask()
            await asyncio.sleep(WANT_RENEW.total_seconds())

    async def _ask(self) -> None:
        """Ask the relay for our symbols; refusals become symbol errors on screen."""
        if self._nc is None or not self._nc.is_connected:
            return
        refused = await ask_relay(self._nc, self.settings.relay.bucket, self.client_id,
                                  [s.key for s in self.symbols])
        for symbol, reason in refused.items():
            self.store.symbol_errors[symbol] = f"refused by relay: {reason}"
        if refused:
            self._touch()

    # -- fallback -------------------------------------------------------------------------------

    def _apply_fallback(self) -> None:
        """Poll directly while unreachable (if configured); stop as soon as the relay is live."""
        want_direct = (self.settings.feed.fallback == "direct"
                       and self.status.state is LinkState.UNREACHABLE)
        if want_direct and not self.status.direct:
            log.info("relay %s unreachable: polling the upstreams directly", self.status.server)
            self.status = replace(self.status, direct=True)
            self._tasks.append(asyncio.create_task(self._start_direct()))
        elif not want_direct and self.status.direct:
            log.info("relay %s is back: following it again", self.status.server)
            self.status = replace(self.status, direct=False)
            self._tasks.append(asyncio.create_task(self._stop_direct()))

    async def _start_direct(self) -> None:
        if self.status.direct and self.schedule is None:  # not already back on the relay
            await Feed.start(self, self._kinds)

    async def _stop_direct(self) -> None:
        await Feed.stop_polling(self)
