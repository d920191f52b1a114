"""The settings model. Every section forbids unknown keys, so a typo is an error, not a default."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from neodymium.providers.symbols import SymbolError, parse_symbol
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PositiveSeconds = Annotated[float, Field(gt=0)]


class Section(BaseModel):
    """Base of every config section: strict about unknown keys, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _canonical(value: str) -> str:
    try:
        return parse_symbol(value).key
    except SymbolError as exc:
        raise ValueError(str(exc)) from None


class WatchSettings(Section):
    """What to watch: the primary symbol, the watchlist and the comparison ETFs."""

    primary: str = "600111.SS"
    symbols: list[str] = Field(default_factory=lambda: ["600111.SS"])
    compare: list[str] = Field(
        default_factory=lambda: ["516780.SS", "159713.SZ", "562800.SS", "512400.SS", "REMX"]
    )

    @field_validator("primary")
    @classmethod
    def _primary(cls, value: str) -> str:
        return _canonical(value)

    @model_validator(mode="after")
    def _primary_is_watched(self) -> WatchSettings:
        if self.primary not in self.symbols:
            object.__setattr__(self, "symbols", [self.primary, *self.symbols])
        return self

    def all_symbols_raw(self) -> list[str]:
        """Every symbol as written: primary, watchlist, comparisons (bad ones included)."""
        return list(dict.fromkeys([self.primary, *self.symbols, *self.compare]))


class PollSettings(Section):
    """A data kind's provider chain and cadence."""

    providers: list[str] = Field(default_factory=lambda: ["demo"])
    interval: PositiveSeconds = 5.0
    #: Cadence outside trading hours (lunch break, after the close, holidays).
    slow_interval: PositiveSeconds = 300.0
    #: Age after which a quote is shown as stale while trading; default 3 × interval.
    stale_after: PositiveSeconds | None = None

    @field_validator("providers")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("list at least one provider")
        return value


class QuoteSettings(PollSettings):
    """The ``[quotes]`` section."""


class HistorySettings(PollSettings):
    """The ``[history]`` section."""

    providers: list[str] = Field(default_factory=lambda: ["eastmoney", "tencent", "yahoo"])
    interval: PositiveSeconds = 3600.0
    #: Calendar days of daily bars to keep (enough for 1Y returns and 250-day statistics).
    days: Annotated[int, Field(ge=30, le=3660)] = 800


class NewsSettings(PollSettings):
    """The ``[news]`` section."""

    providers: list[str] = Field(
        default_factory=lambda: ["eastmoney-announcements", "sina-roll"]
    )
    interval: PositiveSeconds = 60.0
    feeds: list[str] = Field(default_factory=list)
    #: Theme words that make a general headline relevant (e.g. "稀土"), besides codes and names.
    keywords: list[str] = Field(default_factory=lambda: ["稀土"])
    max_items: Annotated[int, Field(ge=10, le=5000)] = 300

    @field_validator("feeds")
    @classmethod
    def _feed_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if urlsplit(url).scheme not in {"http", "https", "file"}:
                raise ValueError(f"{url!r} is not an http(s) URL")
        return value


class DisplaySettings(Section):
    """The ``[display]`` section."""

    colors: Literal["cn", "us"] = "cn"
    units: Literal["auto", "cn", "intl"] = "auto"
    theme: str = "textual-dark"
    timezone: str = "exchange"
    #: Distance from a price limit, in percent of the previous close, that earns a badge.
    near_limit_pct: Annotated[float, Field(ge=0, le=10)] = 1.0

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value == "exchange":
            return value
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class ProviderSettings(Section):
    """The ``[providers.<name>]`` tables: where and how patiently to reach an upstream."""

    base_url: str | None = None
    fallback_base_url: str | None = None
    timeout: PositiveSeconds = 5.0
    min_interval: Annotated[float, Field(ge=0)] | None = None

    @field_validator("base_url", "fallback_base_url")
    @classmethod
    def _origin_only(cls, value: str | None) -> str | None:
        if value is None:
            return value
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(f"{value!r} must be scheme://host[:port]")
        if parts.path not in {"", "/"} or parts.query:
            raise ValueError(f"{value!r} must be scheme://host[:port] only; the API path is added")
        return value.rstrip("/")


class CacheSettings(Section):
    """The ``[cache]`` section."""

    enabled: bool = True
    path: str | None = None


class Settings(Section):
    """The whole configuration."""

    watch: WatchSettings = Field(default_factory=WatchSettings)
    quotes: QuoteSettings = Field(default_factory=QuoteSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)
    news: NewsSettings = Field(default_factory=NewsSettings)
    display: DisplaySettings = Field(default_factory=DisplaySettings)
    providers: dict[str, ProviderSettings] = Field(default_factory=dict)
    cache: CacheSettings = Field(default_factory=CacheSettings)

    def provider_names(self) -> set[str]:
        """Every provider named by any data kind."""
        return {*self.quotes.providers, *self.history.providers, *self.news.providers}

    def demo(self) -> Settings:
        """Every data kind switched to the offline demo provider, quotes every second."""
        return self.model_copy(
            update={
                "quotes": self.quotes.model_copy(
                    update={"providers": ["demo"], "interval": min(self.quotes.interval, 1.0)}
                ),
                "history": self.history.model_copy(update={"providers": ["demo"]}),
                "news": self.news.model_copy(update={"providers": ["demo"]}),
            }
        )

    def stale_after(self) -> float:
        """Seconds after which a trading-hours quote is stale."""
        return self.quotes.stale_after or 3.0 * self.quotes.interval
