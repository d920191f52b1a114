"""Config loading: where it is found, and the errors that name file, key and reason."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from neodymium.config.loader import (
    ConfigError,
    default_config_text,
    find_config,
    load_config,
    parse_settings,
)
from neodymium.config.settings import Settings
from neodymium.config.write_back import update_watchlist
from neodymium.providers import registry

INSTALLED = registry  # the loader asks it for names and Options models


def test_shipped_default_is_valid_and_watches_600111() -> None:
    settings = parse_settings(default_config_text(), "default.toml", INSTALLED)
    assert settings.watch.primary == "600111.SS"
    assert "REMX" in settings.watch.compare
    assert settings.quotes.providers[0] == "tencent"


def test_a_config_without_watch_watches_what_no_config_does(tmp_config) -> None:
    """A config holding only positions (or only a theme) keeps the shipped watchlist and
    comparison: it had shrunk the watchlist from seven rows to the primary alone."""
    shipped = parse_settings(default_config_text(), "default.toml", INSTALLED).watch
    path = tmp_config("[[positions]]\nsymbol = '600111.SS'\nshares = 100\ncost = 40\n")
    assert load_config(path, INSTALLED).settings.watch == shipped
    assert len(shipped.symbols) == 7
    whole = parse_settings(default_config_text(), "default.toml", INSTALLED)
    assert Settings() == whole  # every section: the file and the models say the same


def test_issue_keys_are_accepted(tmp_config) -> None:
    path = tmp_config("""
[watch]
primary = "600111.SS"
symbols = ["600111.SS"]
compare = ["516780.SS", "159713.SZ", "562800.SS", "512400.SS", "REMX"]

[quotes]
providers = ["demo"]
interval = 1.0

[news]
providers = ["demo"]

[display]
colors = "cn"
""")
    loaded = load_config(path, INSTALLED)
    assert loaded.path == path
    assert loaded.settings.quotes.interval == 1.0
    assert loaded.settings.display.colors == "cn"


def test_provider_table_keys(tmp_config) -> None:
    path = tmp_config("""
[providers.tencent]
base_url = "http://127.0.0.1:8080"
timeout = 2.5
""")
    settings = load_config(path, INSTALLED).settings
    assert settings.providers["tencent"].base_url == "http://127.0.0.1:8080"
    assert settings.providers["tencent"].timeout == 2.5


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ("[watch]\nprimry = '600111.SS'\n", "watch.primry", "unknown key"),
        ("[quotes]\ninterval = 'fast'\n", "quotes.interval", "valid number"),
        ("[quotes]\ninterval = -1\n", "quotes.interval", "between 0.1 and 86400 seconds"),
        ("[quotes]\ninterval = inf\n", "quotes.interval", "between 0.1 and 86400 seconds"),
        ("[quotes]\ninterval = 1e300\n", "quotes.interval", "between 0.1 and 86400 seconds"),
        ("[news]\ninterval = nan\n", "news.interval", "between 0.1 and 86400 seconds"),
        ("[providers.tencent]\ntimeout = inf\n", "providers.tencent.timeout",
         "between 0.1 and 300 seconds"),
        ("[providers.tencent]\nmin_interval = 1e300\n", "providers.tencent.min_interval",
         "between 0 and 3600 seconds"),
        ("[providers.tencent]\nmax_body_kib = 0\n", "providers.tencent.max_body_kib",
         "between 1 and 65536 KiB"),
        ("[display]\nnear_limit_pct = inf\n", "display.near_limit_pct", "between 0 and 10"),
        ("[news]\nmax_items = 1\n", "news.max_items", "between 10 and 5000 items"),
        ("[news]\nfeeds = ['file:///dev/zero']\n", "news.feeds", "not an http(s) URL"),
        ("[watch]\nsymbols = " + "[" * 5000 + "]" * 5000 + "\n", "watch.symbols",
         "nested deeper than 32 levels"),
        ("[watch]\ncompare = [" + "{a=" * 5000 + "1" + "}" * 5000 + "]\n", "watch.compare",
         "nested deeper than 32 levels"),
        ("[display]\ncolors = 'green'\n", "display.colors", "'cn', 'us' or 'mono'"),
        ("[quotes]\nproviders = ['nosuch']\n", "quotes.providers", "unknown provider 'nosuch'"),
        ("[providers.tencent]\nbase_url = 'http://x.org/q='\n", "providers.tencent.base_url",
         "scheme://host[:port] only"),
        ("[watch]\nprimary = '!!'\n", "watch.primary", "not a symbol"),
        ("[providers.tencent]\napi_kye = 'k'\n", "providers.tencent.api_kye", "unknown key"),
        ("[providers.tencent]\ntimout = 3\n", "providers.tencent.timout",
         "unknown key (did you mean 'timeout'?)"),
        ("[watch]\nprimry = '600111'\n", "watch.primry", "unknown key (did you mean 'primary'?)"),
        ("[wach]\nprimary = '600111'\n", "wach", "unknown key (did you mean 'watch'?)"),
        ("colors = 'cn'\n", "colors", "unknown key here (it belongs in the [display] table)"),
        ("[[positions]]\nsymbol = '600111'\nshares = 1\ncost = 1\nbroker = 'x'\n",
         "positions[1] (600111).broker",
         "unknown key (this table takes: symbol, shares, cost, fees)"),
        ("[watch]\nprimary = 600111\n", "watch.primary",
         'a code is text: write it in quotes, "600111"'),
        ("[watch]\nsymbols = ['600111', 159713]\n", "watch.symbols[2]",
         'write it in quotes, "159713"'),
        ("[providers.eastmoney]\nbatch_size = 500\n", "providers.eastmoney.batch_size",
         "less than or equal to 50"),
        ("[providers.eastmoney]\nfallback_base_url = 'ftp://x'\n",
         "providers.eastmoney.fallback_base_url", "scheme://host"),
        ("[providers.demo]\nseed = 'seven'\n", "providers.demo.seed", "valid integer"),
        ("[display]\ntimezone = 'Mars/Olympus'\n", "display.timezone", "unknown time zone"),
        ("[calendar]\nextra_closures = ['2027-02-30']\n", "calendar.extra_closures[1]",
         "valid date"),
        ("[calendar]\nextra_sessions = ['next friday']\n", "calendar.extra_sessions[1]",
         "valid date"),
        ("[calendar]\nextra_closures = ['2027-02-12']\nextra_sessions = ['2027-02-12']\n",
         "calendar", "both an extra closure and an extra session"),
    ],
)
def test_errors_name_file_key_and_reason(tmp_config, text: str, key: str, reason: str) -> None:
    path = tmp_config(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, INSTALLED)
    error = caught.value
    assert error.path == str(path)
    assert error.key == key
    assert reason in error.reason
    assert str(path) in str(error) and key in str(error)


@pytest.mark.parametrize("key", ["primary", "theme"])
def test_a_huge_bad_value_is_quoted_as_a_short_excerpt(tmp_config, key: str) -> None:
    section = "watch" if key == "primary" else "display"
    huge = "[/]" + "x" * 3_000_000
    text = f"[{section}]\n{key} = '{huge}'\n"
    if key == "theme":
        text = f"[{section}]\ncolors = '{huge}'\n"
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_config(text), INSTALLED)
    assert len(str(caught.value)) < 400
    assert "[/]xxx" in str(caught.value)


def test_a_utf8_bom_is_accepted(tmp_path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeff[quotes]\ninterval = 2.5\n".encode())
    assert load_config(path, INSTALLED).settings.quotes.interval == 2.5


def test_unknown_provider_lists_installed(tmp_config) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_config("[news]\nproviders = ['bloomberg']\n"), INSTALLED)
    assert "installed providers: " in caught.value.reason
    for name in ("demo", "tencent", "sina", "yahoo", "rss"):
        assert name in caught.value.reason


def test_toml_syntax_error_names_file(tmp_config) -> None:
    path = tmp_config("[watch\nprimary=")
    with pytest.raises(ConfigError) as caught:
        load_config(path, INSTALLED)
    assert caught.value.path == str(path)
    assert "not valid TOML" in caught.value.reason
    assert "needs quotes" not in caught.value.reason


def test_an_unquoted_chinese_key_is_told_to_take_quotes(tmp_config) -> None:
    """TOML's bare keys are ASCII: a group named 稀土 without quotes is a syntax error whose
    own message ("Invalid statement") does not say why."""
    path = tmp_config("[watch.groups]\n稀土 = ['600111']\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, INSTALLED)
    assert "at line 2" in caught.value.reason
    assert 'needs quotes: "稀土" = …' in caught.value.reason


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "absent.toml")


def test_search_order(tmp_config, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_config("[display]\ncolors = 'us'\n", "env.toml")
    explicit = tmp_config("[display]\ncolors = 'cn'\n", "explicit.toml")
    assert find_config() is None
    monkeypatch.setenv("NEODYMIUM_CONFIG", str(env_file))
    assert find_config() == env_file
    assert find_config(explicit) == explicit
    assert load_config().settings.display.colors == "us"


def test_bad_watchlist_symbol_is_kept_for_reporting_not_fatal(tmp_config) -> None:
    settings = load_config(tmp_config("[watch]\nsymbols = ['600111.SS', 'not a symbol!']\n"),
                           INSTALLED).settings
    assert "not a symbol!" in settings.watch.all_symbols_raw()


def test_demo_switches_every_kind() -> None:
    settings = Settings().demo()
    assert settings.quotes.providers == settings.history.providers == ["demo"]
    assert settings.news.providers == ["demo"]


def test_watchlist_write_back_keeps_comments(tmp_config) -> None:
    path = tmp_config("# my notes\n[watch]\nsymbols = ['600111.SS'] # the one\n\n[display]\n"
                      "colors = 'us' # I trade US too\n")
    update_watchlist(path, ["600111.SS", "REMX"])
    text = path.read_text(encoding="utf-8")
    assert "# my notes" in text and "# I trade US too" in text
    assert load_config(path, INSTALLED).settings.watch.symbols == ["600111.SS", "REMX"]
    assert not list(path.parent.glob(".config.toml.*"))


def test_import_has_no_side_effects(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    code = ("import neodymium.config.loader, neodymium.config.settings, neodymium.providers.cache, "
            "neodymium.providers.feed, neodymium.tui.app")
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=Path.cwd())
    assert not (tmp_path / "cfg").exists()
    assert not (tmp_path / "cache").exists()


# -- [[alerts]], [[positions]] -------------------------------------------------------------


def test_bad_alert_rule_names_the_alert_and_what_is_wrong() -> None:
    text = ('[[alerts]]\nsymbol = "600111.SS"\nwhen = "price >= 55"\n\n'
            '[[alerts]]\nsymbol = "600111.SS"\nwhen = "price => 55"\n')
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, "my.toml")
    message = str(caught.value)
    assert message.startswith('my.toml: alerts[2] (600111.SS "price => 55").when: ')
    assert "cannot read 'price => 55'" in message


@pytest.mark.parametrize(("table", "expected"), [
    ('when = "limit_up"\nrepeat = "sometimes"', 'repeat must be "once", "daily" or "every 10m"'),
    ('when = "limit_up >= 3"', "limit_up takes no comparison"),
    ('when = "price"', "price needs a comparison"),
    ('when = "price >= 0"', "a price threshold must be above 0"),
    ('when = "moon >= 1"', "unknown condition 'moon'"),
    ('when = "stale <= 3"', "stale takes a number of seconds"),
    ('when = "limit_up"\nrepet = "daily"', "unknown key"),
])
def test_bad_alert_rules(table: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(f'[[alerts]]\nsymbol = "600111.SS"\n{table}\n', "c.toml")
    assert 'alerts[1] (600111.SS "' in str(caught.value)
    assert expected in str(caught.value)


def test_alert_rules_are_normalised() -> None:
    settings = parse_settings(
        '[[alerts]]\nsymbol = "sh600111"\nwhen = "PRICE>=55.50"\nrepeat = "every 600s"\n'
        '[[alerts]]\nsymbol = "REMX"\nwhen = "change_pct <= -3"\n', "c.toml")
    first, second = settings.alerts
    assert (first.symbol, first.when, first.repeat) == ("600111.SS", "price >= 55.5", "every 10m")
    assert (second.when, second.repeat) == ("change_pct <= -3", "once")
    assert "REMX" in settings.all_symbols_raw()


def test_bad_position_names_the_entry() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings('[[positions]]\nsymbol = "600111.SS"\nshares = -100\ncost = 3\n', "c.toml")
    assert str(caught.value).startswith("c.toml: positions[1] (600111.SS).shares: ")


@pytest.mark.parametrize(("table", "expected"), [
    ('command = "  "', "empty command"),
    ('apprise = ["not a url"]', "is not an apprise URL"),
    ("command_timeout = 0", "notify.command_timeout"),
])
def test_bad_notify_settings(table: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        parse_settings(f"[notify]\n{table}\n", "c.toml")


def test_write_back_keeps_the_files_mode(tmp_config) -> None:
    path = tmp_config("[watch]\nsymbols = ['600111.SS']\n")
    path.chmod(0o600)
    update_watchlist(path, ["600111.SS", "REMX"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_config(path, INSTALLED).settings.watch.symbols == ["600111.SS", "REMX"]


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_write_back_keeps_the_files_owner(tmp_config) -> None:
    path = tmp_config("[watch]\nsymbols = ['600111.SS']\n")
    os.chown(path, 65534, 65534)
    update_watchlist(path, ["600111.SS", "REMX"])
    assert (path.stat().st_uid, path.stat().st_gid) == (65534, 65534)


def test_write_back_goes_through_a_symlink_to_its_target(tmp_path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "neodymium.toml"
    real.write_text("# kept\n[watch]\nsymbols = ['600111.SS']\n", encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    update_watchlist(link, ["600111.SS", "REMX"])
    assert link.is_symlink() and link.resolve() == real
    assert "# kept" in real.read_text(encoding="utf-8")
    assert load_config(real, INSTALLED).settings.watch.symbols == ["600111.SS", "REMX"]


def test_a_read_only_config_is_refused_not_replaced(tmp_config) -> None:
    path = tmp_config("[watch]\nsymbols = ['600111.SS']\n")
    before = path.read_text(encoding="utf-8")
    path.chmod(0o444)
    with pytest.raises(ConfigError) as caught:
        update_watchlist(path, ["600111.SS", "REMX"])
    assert "read-only" in caught.value.reason and caught.value.path == str(path)
    assert path.read_text(encoding="utf-8") == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert not list(path.parent.glob(".config.toml.*"))


def test_temp_files_of_an_interrupted_write_are_removed_on_the_next_start(tmp_config) -> None:
    path = tmp_config("[watch]\nsymbols = ['600111.SS']\n")
    leftover = path.with_name(".config.toml.abc123.tmp")
    leftover.write_text("half a config", encoding="utf-8")
    in_progress = path.with_name(".config.toml.def456.tmp")
    in_progress.write_text("another writer", encoding="utf-8")
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    unrelated = path.with_name("notes.tmp")
    unrelated.write_text("mine", encoding="utf-8")
    os.utime(unrelated, (old, old))

    load_config(path, INSTALLED)

    assert not leftover.exists()
    assert in_progress.exists()  # young: maybe another process is writing right now
    assert unrelated.exists()


def test_a_config_without_a_quote_chain_gets_the_real_sources_not_the_demo(tmp_config) -> None:
    settings = load_config(tmp_config("[quotes]\ninterval = 2.0\n"),
                           installed=registry).settings
    assert settings.quotes.providers == ["tencent", "sina", "eastmoney", "yahoo"]
    assert "demo" not in settings.history.providers + settings.news.providers
