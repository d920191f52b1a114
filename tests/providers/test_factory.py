"""Each provider's options come from its own table, validated by its own Options model."""

from __future__ import annotations

import httpx
import pytest
from neodymium.config.settings import Settings
from neodymium.providers import registry
from neodymium.providers.factory import build_providers, provider_options
from pydantic import ValidationError


def settings(**extra: object) -> Settings:
    return Settings.model_validate({
        "quotes": {"providers": ["demo", "eastmoney"]},
        "news": {"providers": ["sina-roll", "rss"], "keywords": ["稀土", "永磁"],
                 "feeds": ["https://example.org/a.xml"]},
        **extra,
    })


def test_news_settings_reach_the_providers_that_declare_them() -> None:
    roll = provider_options(settings(), registry.load("sina-roll"), "sina-roll")
    rss = provider_options(settings(), registry.load("rss"), "rss")
    assert roll.keywords == ("稀土", "永磁")
    assert rss.feeds == ("https://example.org/a.xml",)
    assert not hasattr(provider_options(settings(), registry.load("tencent"), "tencent"),
                       "keywords")


def test_a_providers_own_table_wins_over_the_shared_setting() -> None:
    custom = settings(providers={"sina-roll": {"keywords": "稀土永磁", "timeout": 2}})
    roll = provider_options(custom, registry.load("sina-roll"), "sina-roll")
    assert roll.keywords == ("稀土永磁",)
    assert roll.timeout == 2


def test_the_command_line_seed_wins_over_the_table() -> None:
    seeded = settings(providers={"demo": {"seed": 5}})
    demo = registry.load("demo")
    assert provider_options(seeded, demo, "demo").seed == 5
    assert provider_options(seeded, demo, "demo", seed=9).seed == 9


async def test_built_providers_carry_their_own_options() -> None:
    custom = settings(providers={"eastmoney": {"base_url": "http://127.0.0.1:9",
                                               "fallback_base_url": "http://127.0.0.1:10",
                                               "batch_size": 7}})
    async with httpx.AsyncClient() as client:
        built = build_providers(custom, client, seed=3)
    eastmoney = built["eastmoney"]
    assert eastmoney.delayed_base_url == "http://127.0.0.1:10"
    assert eastmoney.options.batch_size == 7
    assert built["demo"].seed == 3


def test_a_bad_value_in_code_built_settings_is_still_refused() -> None:
    bad = settings(providers={"eastmoney": {"batch_size": 0}})
    with pytest.raises(ValidationError, match="batch_size"):
        provider_options(bad, registry.load("eastmoney"), "eastmoney")
