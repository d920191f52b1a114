"""The one seam between the app's wiring and the relay: which feed to build."""

from __future__ import annotations

from collections.abc import Mapping

from neodymium.config.settings import Settings
from neodymium.providers.base import Provider
from neodymium.providers.cache import Cache
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.feed import Feed


def open_feed(settings: Settings, providers: Mapping[str, Provider], *,
              clock: Clock = system_clock, cache: Cache | None = None,
              direct: bool = False) -> Feed:
    """A polling :class:`Feed`, or a relay subscriber when ``[feed].source`` is a NATS URL
    (never when ``direct``: the relay itself polls, though it shares its desk's config)."""
    if direct or settings.feed.relay_url is None:
        return Feed(settings, providers, clock=clock, cache=cache)
    from neodymium.providers.relay.subscriber import RelayFeed  # nats-py only when used

    return RelayFeed(settings, providers, clock=clock, cache=cache)
