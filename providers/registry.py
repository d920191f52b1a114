"""Find providers by name through the ``neodymium.providers`` entry-point group.

Built-ins register there too, so a third-party provider is one ``pip install`` away. Listing
names imports nothing; loading an unknown name raises UnknownProvider listing the installed ones.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the base (httpx, pydantic) is imported when a provider is loaded
    from neodymium.providers.base import Provider
    from pydantic import BaseModel

GROUP = "neodymium.providers"
#: Each provider's Options model, where it can be imported without the provider (optional).
OPTIONS_GROUP = "neodymium.provider_options"


class UnknownProvider(LookupError):
    """A provider name that no installed package registers."""

    def __init__(self, name: str, installed: list[str]) -> None:
        super().__init__(
            f"unknown provider {name!r}; installed providers: {', '.join(installed) or 'none'}"
        )
        self.name = name
        self.installed = installed


@cache
def _groups() -> dict[str, dict[str, EntryPoint]]:
    """Both groups, from one scan of the installed distributions per process (a scan costs
    several milliseconds; the config check asks once per provider table)."""
    found = entry_points()
    return {group: {ep.name: ep for ep in found.select(group=group)}
            for group in (GROUP, OPTIONS_GROUP)}


def _entry_points() -> dict[str, EntryPoint]:
    return _groups()[GROUP]


def names() -> list[str]:
    """Installed provider names, sorted; imports no provider module."""
    return sorted(_entry_points())


@cache
def load(name: str) -> type[Provider]:
    """The provider class registered under ``name``."""
    from neodymium.providers.base import Provider

    points = _entry_points()
    if name not in points:
        raise UnknownProvider(name, sorted(points))
    provider = points[name].load()
    if not (isinstance(provider, type) and issubclass(provider, Provider)):
        raise TypeError(f"entry point {name!r} does not name a Provider subclass")
    return provider


@cache
def options(name: str) -> type[BaseModel]:
    """The Options model of provider ``name`` (the config loader checks its table with it):
    from the ``neodymium.provider_options`` group when it names one (no provider module is
    imported), else the loaded provider's ``Options``."""
    from neodymium.providers.options import ProviderOptions

    light = _groups()[OPTIONS_GROUP]
    if name in light and name in _entry_points():
        model = light[name].load()
        if isinstance(model, type) and issubclass(model, ProviderOptions):
            return model
    return load(name).Options
