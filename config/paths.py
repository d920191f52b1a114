"""Where neodymium's files live: the config (--config, $NEODYMIUM_CONFIG or the platform's
file) and what it keeps in the user's cache folder. No pydantic here: the watcher's opening
paint finds the config and its record before anything validates the config."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "NEODYMIUM_CONFIG"
APP_NAME = "neodymium"


def user_config_path() -> Path:
    """Where the user's config lives on this platform (not created here)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def user_cache_file(name: str) -> Path:
    """``name`` in the user's cache folder on this platform (not created here)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / name


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The config file to read: --config, then $NEODYMIUM_CONFIG, then the platform file."""
    if explicit:
        return Path(explicit)
    if env := os.environ.get(ENV_VAR):
        return Path(env)
    candidate = user_config_path()
    return candidate if candidate.is_file() else None
