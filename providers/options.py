"""What each provider takes from ``[providers.<name>]``, apart from the providers themselves.

config.loader checks every table against its provider's Options while the config loads,
before the app starts; keeping the models here (pydantic only) means that check does not import
httpx, feedparser and every provider module. A built-in names its model in the
``neodymium.provider_options`` entry-point group (providers.registry.options); a provider
registered without one is loaded and its ``Options`` read instead.
"""

from __future__ import annotations

from typing import Annotated

from neodymium.config.settings import (
    BodyKiB,
    NonNegativeSeconds,
    OriginUrl,
    PositiveSeconds,
    feed_urls,
)
from pydantic import BaseModel, ConfigDict, Field, field_validator

#: Secids per Eastmoney ulist request (no documented cap; public clients stay at or under this).
#: Here, not in eastmoney_quotes, so checking a config does not load the Eastmoney decoders.
ULIST_BATCH_SIZE = 50


class ProviderOptions(BaseModel):
    """The settings every provider takes from ``[providers.<name>]``.

    A provider with settings of its own (endpoints, batch sizes, API keys) declares a subclass
    as its ``Options``; config.loader checks each table against it, so a typo or a wrong type
    is a config error naming file, key and reason.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: OriginUrl | None = None
    #: Seconds one request may take in all (connect, redirects, every read, the whole body).
    timeout: PositiveSeconds = 5.0
    min_interval: NonNegativeSeconds | None = None
    #: Largest body accepted, in KiB after decompression; None: the provider's default.
    max_body_kib: BodyKiB | None = None


class EastmoneyOptions(ProviderOptions):
    """``[providers.eastmoney]``: the host to fall back to while push2 throttles, and how many
    secids one ulist request carries."""

    fallback_base_url: OriginUrl | None = None
    batch_size: Annotated[int, Field(ge=1, le=ULIST_BATCH_SIZE)] = ULIST_BATCH_SIZE


class RssOptions(ProviderOptions):
    """``[providers.rss]``: the feeds to read (``[news].feeds`` unless set here)."""

    feeds: tuple[str, ...] = ()

    @field_validator("feeds")
    @classmethod
    def _urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return feed_urls(value)


class SinaRollOptions(ProviderOptions):
    """``[providers.sina-roll]``: theme words (``[news].keywords`` unless set here)."""

    keywords: tuple[str, ...] = ()

    @field_validator("keywords", mode="before")
    @classmethod
    def _one_word(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


class DemoOptions(ProviderOptions):
    """``[providers.demo]``: the seed of the simulation (``--seed`` sets it too)."""

    seed: int = 0
