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
    """The app's single AsyncClient: timeouts always set, HTTP/1.1. Redirects are not followed
    here: :meth:`Provider.get` follows the few each provider allows."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(10.0, connect=5.0), limits=CLIENT_LIMITS, follow_redirects=False
    )


def provider_options(settings: Settings, provider: type[Provider], name: str,
                     seed: int | None = None) -> ProviderOptions:
    """``[providers.<name>]`` validated by the provider's own Options model.

    Settings kept elsewhere in the config are offered to every model that declares a field of
    that name and the table does not set: ``[news].feeds`` and ``[news].keywords``. ``--seed``
    sets ``seed``.
    """
    table = settings.providers.get(name)
    values = dict(table.table()) if table is not None else {}
    shared: dict[str, object] = {"feeds": tuple(settings.news.feeds),
                                 "keywords": tuple(settings.news.keywords)}
    fields = provider.Options.model_fields
    for key, value in shared.items():
        if key in fields:
            values.setdefault(key, value)
    if seed is not None and "seed" in fields:
        values["seed"] = seed  # the command line wins over the file
    return provider.Options.model_validate(values)


def build_providers(
    settings: Settings, client: httpx.AsyncClient, clock: Clock = system_clock,
    seed: int | None = None,
) -> dict[str, Provider]:
    """Instantiate every provider the settings name, in first-mention order."""
    names = list(dict.fromkeys(
        [*settings.quotes.providers, *settings.history.providers, *settings.news.providers]
    ))
    providers: dict[str, Provider] = {}
    for name in names:
        provider = registry.load(name)
        providers[name] = provider(client, provider_options(settings, provider, name, seed), clock)
    return providers
