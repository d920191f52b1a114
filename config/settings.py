"""The settings model. Every section forbids unknown keys, so a typo is an error, not a default."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Literal, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Sections that live in their own modules, re-exported: callers import them from here.
from neodymium.config.personal import AlertRule as AlertRule
from neodymium.config.personal import Amount as Amount
from neodymium.config.personal import NotifySettings as NotifySettings
from neodymium.config.personal import PositionSettings as PositionSettings
from neodymium.config.personal import PrivacySettings as PrivacySettings
from neodymium.config.relay_settings import NATS_SCHEMES as NATS_SCHEMES
from neodymium.config.relay_settings import FeedSettings as FeedSettings
from neodymium.config.relay_settings import RelaySettings as RelaySettings
from neodymium.config.section import Section as Section
from neodymium.config.section import within as within
from neodymium.config.symbol_text import canonical_symbol
from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

#: Polling cadences: a tenth of a second (benchmarks) to a day.
Interval = Annotated[float, Field(allow_inf_nan=True), within(0.1, 86_400, " seconds")]
#: One request's whole budget (connect, redirects, the whole body).
PositiveSeconds = Annotated[float, Field(allow_inf_nan=True), within(0.1, 300, " seconds")]
#: Pause between two requests to one host.
NonNegativeSeconds = Annotated[float, Field(allow_inf_nan=True), within(0, 3600, " seconds")]
#: Largest response body, in KiB after decompression.
BodyKiB = Annotated[int, within(1, 65_536, " KiB")]
FeedsT = TypeVar("FeedsT", bound=Sequence[str])


class WatchSettings(Section):
    """What to watch: the primary symbol, the watchlist and the comparison ETFs."""

    primary: str = "600111.SS"
    #: As the shipped default.toml says (a test holds them equal): a config that leaves out
    #: ``[watch]`` (one holding only positions, say) watches what no config watches.
    symbols: list[str] = Field(default_factory=lambda: [
        "600111.SS", "600392.SS", "000831.SZ", "516780.SS", "159713.SZ", "562800.SS",
        "512400.SS"])
    compare: list[str] = Field(
        default_factory=lambda: ["516780.SS", "159713.SZ", "562800.SS", "512400.SS", "REMX"]
    )
    #: Named watchlists (``[watch.groups] 稀土 = ["600111.SS", …]``), cycled with g in the TUI.
    groups: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("primary")
    @classmethod
    def _primary(cls, value: str) -> str:
        return canonical_symbol(value)

    @model_validator(mode="after")
    def _primary_is_watched(self) -> WatchSettings:
        if self.primary not in self.symbols:
            object.__setattr__(self, "symbols", [self.primary, *self.symbols])
        return self

    def all_symbols_raw(self) -> list[str]:
        """Every symbol as written: primary, watchlist, comparisons, groups (bad ones included)."""
        grouped = [raw for members in self.groups.values() for raw in members]
        return list(dict.fromkeys([self.primary, *self.symbols, *self.compare, *grouped]))

    def with_primary(self, raw: str) -> WatchSettings:
        """The same watch with another primary (added to the watchlist when it is not there);
        raises ValueError naming the symbol when it is not one."""
        try:
            return WatchSettings.model_validate({**self.model_dump(), "primary": raw})
        except ValidationError as exc:
            reason = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
            raise ValueError(reason) from None


def feed_urls(value: FeedsT) -> FeedsT:
    """Feed URLs, each http(s): ``file:///dev/zero`` would be read until memory ran out."""
    for url in value:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(f"{url[:80]!r} is not an http(s) URL")
    return value


class PollSettings(Section):
    """A data kind's provider chain and cadence."""

    providers: list[str] = Field(default_factory=lambda: ["demo"])
    interval: Interval = 5.0
    #: Cadence outside trading hours (lunch break, after the close, holidays).
    slow_interval: Interval = 300.0
    #: Age after which a quote is shown as stale while trading; default 3 × interval.
    stale_after: Interval | None = None

    @field_validator("providers")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("list at least one provider")
        return value


class QuoteSettings(PollSettings):
    """The ``[quotes]`` section. Without a ``providers`` list it uses the real sources in the
    shipped order, like history and news: a config that only sets the interval must not get
    simulated prices beside real headlines."""

    providers: list[str] = Field(
        default_factory=lambda: ["tencent", "sina", "eastmoney", "yahoo"]
    )


class HistorySettings(PollSettings):
    """The ``[history]`` section."""

    providers: list[str] = Field(default_factory=lambda: ["eastmoney", "tencent", "yahoo"])
    interval: Interval = 3600.0
    #: Calendar days of daily bars to keep (enough for 1Y returns and 250-day statistics).
    days: Annotated[int, within(30, 3660, " days")] = 800


class NewsSettings(PollSettings):
    """The ``[news]`` section."""

    providers: list[str] = Field(
        default_factory=lambda: ["eastmoney-announcements", "sina-roll"]
    )
    interval: Interval = 60.0
    feeds: list[str] = Field(default_factory=list)
    #: Theme words that make a general headline relevant (e.g. "稀土"), besides codes and names.
    keywords: list[str] = Field(default_factory=lambda: ["稀土"])
    max_items: Annotated[int, within(10, 5000, " items")] = 300

    @field_validator("feeds")
    @classmethod
    def _feed_urls(cls, value: list[str]) -> list[str]:
        return feed_urls(value)


class DisplaySettings(Section):
    """The ``[display]`` section."""

    colors: Literal["cn", "us", "mono"] = "cn"
    units: Literal["auto", "cn", "intl"] = "auto"
    theme: str = "textual-dark"
    timezone: str = "exchange"
    #: Distance from a price limit, in percent of the previous close, that earns a badge.
    near_limit_pct: Annotated[float, Field(allow_inf_nan=True),
                              within(0, 10, " percent")] = 1.0
    #: Labels of the order book and the day's statistics: English or Chinese (换手率, 五档…).
    labels: Literal["en", "zh"] = "en"

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


def origin_url(value: str | None) -> str | None:
    """``scheme://host[:port]`` of an http(s) upstream, without a trailing slash; the API path
    is the provider's to add."""
    if value is None:
        return value
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"{value[:80]!r} must be scheme://host[:port]")
    if parts.path not in {"", "/"} or parts.query:
        raise ValueError(
            f"{value[:80]!r} must be scheme://host[:port] only; the API path is added"
        )
    return value.rstrip("/")


OriginUrl = Annotated[str, AfterValidator(origin_url)]


class ProviderSettings(Section):
    """The ``[providers.<name>]`` tables: where and how patiently to reach an upstream.

    Every provider takes these four keys. Keys a provider declares in its own ``Options``
    model (a fallback host, a seed, an API key, a batch size) pass through here and are
    checked against that model when the config is loaded (config.loader).
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    base_url: OriginUrl | None = None
    #: Seconds one request may take in all: connect, redirects and the whole body.
    timeout: PositiveSeconds = 5.0
    min_interval: NonNegativeSeconds | None = None
    #: Largest response body accepted, in KiB after decompression (default 4096: 4 MiB).
    max_body_kib: BodyKiB | None = None

    def table(self) -> dict[str, object]:
        """The keys the user wrote, with their values (the provider's own ones included)."""
        return self.model_dump(exclude_unset=True)


class CalendarSettings(Section):
    """The ``[calendar]`` section: corrections to the A-share (Shanghai/Shenzhen) calendar,
    e.g. a closure the provisional table does not know yet. Dates are ``YYYY-MM-DD``."""

    extra_closures: list[date] = Field(default_factory=list)
    extra_sessions: list[date] = Field(default_factory=list)

    @model_validator(mode="after")
    def _disjoint(self) -> CalendarSettings:
        both = sorted(set(self.extra_closures) & set(self.extra_sessions))
        if both:
            days = ", ".join(day.isoformat() for day in both)
            raise ValueError(f"{days} is both an extra closure and an extra session")
        return self


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
    alerts: list[AlertRule] = Field(default_factory=list)
    notify: NotifySettings = Field(default_factory=NotifySettings)
    positions: list[PositionSettings] = Field(default_factory=list)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    feed: FeedSettings = Field(default_factory=FeedSettings)
    relay: RelaySettings = Field(default_factory=RelaySettings)

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

    def all_symbols_raw(self) -> list[str]:
        """Everything to poll: the watch lists, then alert and position symbols."""
        extra = [rule.symbol for rule in self.alerts] + [p.symbol for p in self.positions]
        return list(dict.fromkeys([*self.watch.all_symbols_raw(), *extra]))

    def stale_after(self) -> float:
        """Seconds after which a trading-hours quote is stale."""
        return self.quotes.stale_after or 3.0 * self.quotes.interval
