"""Build the configured providers around one shared httpx client."""

from __future__ import annotations

import httpx
from neodymium.config.settings import Settings
from neodymium.providers import registry
from neodymium.providers.base import Provider, ProviderOptions
from neodymium.providers.clock import Clock, system_clock

#: Connection limits for the one client the whole app shares.
CLIENT_LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=10)


def make_client() -> httpx.AsyncClient:
    """The app's single AsyncClient: timeouts always set, redirects followed, HTTP/1.1."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(10.0, connect=5.0), limits=CLIENT_LIMITS, follow_redirects=True
    )


def provider_options(settings: Settings, name: str, seed: int | None = None) -> ProviderOptions:
    """Options for one provider from ``[providers.<name>]`` (and ``[news].feeds`` for rss)."""
    table = settings.providers.get(name)
    extra: dict[str, object] = {}
    if table is not None and table.fallback_base_url:
        extra["fallback_base_url"] = table.fallback_base_url
    if seed is not None:
        extra["seed"] = seed
    if name in settings.news.providers:
        extra["keywords"] = tuple(settings.news.keywords)
    return ProviderOptions(
        base_url=table.base_url if table else None,
        timeout=table.timeout if table else 5.0,
        min_interval=table.min_interval if table else None,
        feeds=tuple(settings.news.feeds),
        extra=extra,
    )


def build_providers(
    settings: Settings, client: httpx.AsyncClient, clock: Clock = system_clock,
    seed: int | None = None,
) -> dict[str, Provider]:
    """Instantiate every provider the settings name, in first-mention order."""
    names = list(dict.fromkeys(
        [*settings.quotes.providers, *settings.history.providers, *settings.news.providers]
    ))
    return {
        name: registry.load(name)(client, provider_options(settings, name, seed), clock)
        for name in names
    }
