"""Run a relay until SIGINT/SIGTERM: the body of ``neodymium relay``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

from neodymium.config.settings import Settings
from neodymium.providers.cache import Cache
from neodymium.providers.relay.connect import RelayConnectError, display_host
from neodymium.providers.relay.publisher import Relay
from neodymium.providers.runtime import Runtime

log = logging.getLogger(__name__)


async def serve_relay(settings: Settings, url: str, *, cache: Cache | None = None,
                      seed: int | None = None, stop: asyncio.Event | None = None) -> int:
    """Publish until stopped; exit status 0, or 1 when NATS cannot be reached or refuses us."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    relay = Relay(Runtime(settings, cache=cache, seed=seed, direct=True), url,
                  report=lambda text: print(f"neodymium: {text}", file=sys.stderr, flush=True))
    print(f"neodymium relay {relay.relay_id}: publishing to {display_host(url)} "
          f"bucket {settings.relay.bucket!r}", file=sys.stderr)
    try:
        await relay.run(stop)
    except RelayConnectError as exc:
        print(f"neodymium: {exc}", file=sys.stderr)
        return 1
    return 0
