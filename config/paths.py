"""Where the config lives: --config, $NEODYMIUM_CONFIG or the platform's file (no pydantic here:
the watcher's opening paint finds the file before anything validates it)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "NEODYMIUM_CONFIG"
APP_NAME = "neodymium"


def user_config_path() -> Path:
    """Where the user's config lives on this platform (not created here)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The config file to read: --config, then $NEODYMIUM_CONFIG, then the platform file."""
    if explicit:
        return Path(explicit)
    if env := os.environ.get(ENV_VAR):
        return Path(env)
    candidate = user_config_path()
    return candidate if candidate.is_file() else None
