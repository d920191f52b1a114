"""The memo of the last validated config: a second start with the same file skips pydantic,
and anything that could make the memo wrong makes it a miss instead."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pydantic
import pytest
from neodymium.config import settings_memo
from neodymium.config.loader import ConfigError, load_config
from neodymium.config.settings import Settings

TEXT = '[watch]\nprimary = "600111.SS"\ncompare = ["159713.SZ"]\n[quotes]\ninterval = 7.0\n'


def no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validating any Settings from now on fails the test."""

    def refuse(*args: object, **kwargs: object) -> Settings:
        raise AssertionError("validated again")

    monkeypatch.setattr(Settings, "model_validate", refuse)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_the_second_load_of_the_same_file_is_not_validated_again(
        config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_config(config).settings
    assert settings_memo.memo_path().is_file()
    no_validation(monkeypatch)
    second = load_config(config).settings
    assert second == first
    assert second.quotes.interval == 7.0 and second.watch.compare == ["159713.SZ"]


def test_the_shipped_default_is_remembered_too(monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_config().settings
    no_validation(monkeypatch)
    assert load_config().settings == first


def test_a_changed_file_is_validated_and_its_error_told(config: Path) -> None:
    load_config(config)
    config.write_text(TEXT.replace("7.0", "0.0"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert (caught.value.path, caught.value.key) == (str(config), "quotes.interval")
    assert "between 0.1 and 86400" in caught.value.reason


def test_another_pydantic_is_a_miss(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_config(config)
    monkeypatch.setattr(pydantic, "VERSION", "0.0.0")
    assert settings_memo.recall(TEXT) is None


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05N."])
def test_a_corrupt_memo_is_a_miss_and_replaced(config: Path, content: bytes) -> None:
    first = load_config(config).settings
    memo = settings_memo.memo_path()
    memo.write_bytes(content)
    assert settings_memo.recall(TEXT) is None
    assert load_config(config).settings == first
    assert settings_memo.recall(TEXT) == first


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX file modes")
def test_a_memo_others_may_write_is_never_loaded(config: Path) -> None:
    first = load_config(config).settings
    memo = settings_memo.memo_path()
    assert memo.stat().st_mode & 0o777 == 0o600
    memo.chmod(0o666)
    assert settings_memo.recall(TEXT) is None
    memo.chmod(0o600)
    assert settings_memo.recall(TEXT) == first


def test_an_unwritable_cache_folder_only_costs_the_memo(
        config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    if sys.platform == "darwin":  # platformdirs ignores XDG there
        pytest.skip("XDG_CACHE_HOME is a Linux/BSD setting")
    assert load_config(config).settings.quotes.interval == 7.0
    assert settings_memo.recall(TEXT) is None


def test_a_remembered_start_imports_no_toml_parser_nor_pydantic_plugins(
        config: Path, tmp_path: Path) -> None:
    """What the memo saves a fresh process: parsing TOML and building the validators (which
    load importlib.metadata for pydantic's plugin scan)."""
    script = ("import json, sys\n"
              "from neodymium.config.loader import load_config\n"
              f"interval = load_config({str(config)!r}).settings.quotes.interval\n"
              "skipped = ('tomllib', 'importlib.metadata', 'pydantic.plugin._loader')\n"
              "print(json.dumps([interval, [m for m in skipped if m in sys.modules]]))\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def start() -> list[object]:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env=env, timeout=60, check=True)
        return list(json.loads(done.stdout.strip().splitlines()[-1]))

    assert start() == [7.0, ["tomllib", "importlib.metadata", "pydantic.plugin._loader"]]
    assert start() == [7.0, []]
