"""The config check reads each provider's Options without importing the provider."""

from __future__ import annotations

import subprocess
import sys

import pytest
from neodymium.providers import registry


@pytest.mark.parametrize("name", registry.names())
def test_options_entry_point_names_the_providers_own_model(name: str) -> None:
    assert registry.options(name) is registry.load(name).Options


def test_checking_every_providers_table_imports_no_provider_module() -> None:
    config = "".join(f'[providers.{name}]\nbase_url = "http://127.0.0.1:9"\n'
                     for name in registry.names() if name != "demo")
    script = (
        "import sys\n"
        "from neodymium.config.loader import parse_settings\n"
        "from neodymium.providers import registry\n"
        f"parse_settings({config!r}, 'test.toml', registry)\n"
        "print(sorted(m for m in ('httpx', 'feedparser', 'neodymium.providers.base',"
        " 'neodymium.providers.rss', 'neodymium.providers.eastmoney') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_a_bad_option_is_still_a_config_error() -> None:
    from neodymium.config.loader import ConfigError, parse_settings

    with pytest.raises(ConfigError, match="batch_size"):
        parse_settings("[providers.eastmoney]\nbatch_size = 0\n", "test.toml", registry)
