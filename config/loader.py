"""Find, read and validate the TOML config; write a file atomically (the edits that use it
are in write_back)."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol

from neodymium.config import settings_memo
from neodymium.config.paths import find_config
from neodymium.config.settings import Settings
from pydantic import BaseModel, ValidationError

DEFAULT_NAME = "default.toml"
#: Characters of a bad value quoted in an error message.
EXCERPT_CHARS = 60
#: Nesting beyond this is certainly not a neodymium config (tomllib recurses and gives up).
MAX_NESTING = 32


class Installed(Protocol):
    """What the loader needs to know about the installed providers, from whoever loads the
    config (``neodymium.providers.registry`` is one): config itself never imports providers."""

    def names(self) -> list[str]:
        """Every installed provider name."""
        ...

    def options(self, name: str) -> type[BaseModel]:
        """The Options model of provider ``name`` (may raise when it fails to load)."""
        ...


class ConfigError(Exception):
    """A config problem, told as file, key and reason. The CLI exits 2 on it."""

    def __init__(self, path: str, key: str | None, reason: str) -> None:
        where = f"{path}: {key}: " if key else f"{path}: "
        super().__init__(where + reason)
        self.path = path
        self.key = key
        self.reason = reason


@dataclass(frozen=True, slots=True)
class LoadedConfig:
    """Settings together with the file they came from (None for the shipped default)."""

    settings: Settings
    path: Path | None


def default_config_text() -> str:
    """The TOML that ships inside the package."""
    return files("neodymium.config").joinpath(DEFAULT_NAME).read_text(encoding="utf-8")


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters: a huge bad value never floods the message."""
    if isinstance(value, list | dict) and len(value) > 8:
        value = f"<{type(value).__name__} of {len(value)} items>"
    text = repr(value) if not isinstance(value, str) or len(value) <= limit else repr(value[:limit])
    return text if len(text) <= limit + 2 else text[:limit] + "…"


def _deepest_key(text: str) -> str | None:
    """The dotted key being assigned where brackets first nest deeper than MAX_NESTING."""
    depth = 0
    table = ""
    key: str | None = None
    for line in text.splitlines():
        if depth == 0:
            if header := re.match(r"\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$", line):
                table = header.group(1)
                continue
            if match := re.match(r"\s*([A-Za-z0-9_.\-\"']+)\s*=", line):
                key = f"{table}.{match.group(1)}" if table else match.group(1)
        for char in line:
            depth += char in "[{"
            depth -= char in "]}"
            if depth > MAX_NESTING:
                return key[:EXCERPT_CHARS] if key else None
    return key


def _dotted(loc: Iterable[Any]) -> str:
    """``watch.symbols[2]``: keys dotted, list items counted from 1 (as a reader counts)."""
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def parse_settings(text: str, origin: str, installed: Installed | None = None) -> Settings:
    """Validate TOML text into Settings, raising ConfigError that names file, key and reason;
    with ``installed``, provider names and ``[providers.<name>]`` tables are checked too."""
    import tomllib  # here: a start the settings memo answers never parses TOML

    text = text.removeprefix("\ufeff")  # a UTF-8 BOM (Windows editors) is not an error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from neodymium.config.key_hints import toml_hint  # only ever on an error

        raise ConfigError(origin, None, f"not valid TOML: {exc}{toml_hint(text, str(exc))}") \
            from None
    except RecursionError:
        raise ConfigError(origin, _deepest_key(text),
                          f"nested deeper than {MAX_NESTING} levels") from None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise _config_error(origin, (), exc, data) from None
    except RecursionError:
        raise ConfigError(origin, None, f"nested deeper than {MAX_NESTING} levels") from None
    if installed is not None:
        check_providers(settings, origin, installed)
    return settings


def check_providers(settings: Settings, origin: str, installed: Installed) -> None:
    """Raise ConfigError for what only the installed providers can tell: a provider name
    that is not installed, a ``[providers.<name>]`` key its Options model rejects."""
    check_provider_names(settings, origin, installed.names())
    check_provider_options(settings, origin, installed)


def origin_of(loaded: LoadedConfig) -> str:
    """How errors name the file ``loaded`` came from."""
    return str(loaded.path) if loaded.path is not None else DEFAULT_NAME


def _named_table(data: Mapping[str, Any], loc: tuple[Any, ...]) -> str | None:
    """``alerts[2] (600111.SS "price >= 55").when``: an array-of-tables entry named by what it
    says, so a user with ten alerts knows which one is wrong."""
    if len(loc) < 2 or loc[0] not in {"alerts", "positions"} or not isinstance(loc[1], int):
        return None
    entries = data.get(loc[0])
    entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
    label = ""
    if isinstance(entry, Mapping):
        words = [str(entry.get("symbol", "?"))]
        if loc[0] == "alerts":
            words.append(repr(str(entry.get("when", ""))).replace("'", '"'))
        label = " (" + " ".join(words) + ")"
    rest = _dotted(loc[2:])
    return f"{loc[0]}[{loc[1] + 1}]{label}" + (f".{rest}" if rest else "")


def _config_error(origin: str, prefix: Iterable[Any], exc: ValidationError,
                  data: Mapping[str, Any] | None = None,
                  model: type[BaseModel] = Settings) -> ConfigError:
    """The first validation error as file, dotted key (a named table entry where ``data``
    allows) and reason (for an unknown key, the key of ``model`` it was likely meant to be)."""
    first = exc.errors()[0]
    key = _dotted([*prefix, *first["loc"]])
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        from neodymium.config.key_hints import unknown_key_message  # only ever on an error

        message = unknown_key_message(model, tuple(first["loc"]))
    elif ("input" in first and first["type"] not in {"missing"}
          and repr(first["input"]) not in message):
        message = f"{message} (got {excerpt(first['input'])})"
        if first["type"] == "string_type" and isinstance(first["input"], int):
            message += f"; a code is text: write it in quotes, \"{first['input']}\""
    if len(message) > 4 * EXCERPT_CHARS:  # a huge bad value never floods the message
        message = message[: 4 * EXCERPT_CHARS] + "…"
    named = _named_table(data, tuple(first["loc"])) if data is not None else None
    return ConfigError(origin, (named or key)[: 2 * EXCERPT_CHARS], message)


def check_provider_options(settings: Settings, origin: str, installed: Installed) -> None:
    """Raise ConfigError for a ``[providers.<name>]`` key that provider's Options model rejects
    (loads only the providers that have a table)."""
    for name, table in settings.providers.items():
        try:
            options = installed.options(name)
        except Exception as exc:  # a broken plugin is reported, not a traceback
            reason = f"provider fails to load: {exc}"
            raise ConfigError(origin, f"providers.{name}", reason) from None
        try:
            options.model_validate(table.table())
        except ValidationError as exc:
            raise _config_error(origin, ("providers", name), exc, model=options) from None


def check_provider_names(settings: Settings, origin: str, known: Iterable[str]) -> None:
    """Raise ConfigError for a provider name that is not installed."""
    installed = sorted(known)
    sections: Mapping[str, list[str]] = {
        "quotes.providers": settings.quotes.providers,
        "history.providers": settings.history.providers,
        "news.providers": settings.news.providers,
        "providers": list(settings.providers),
    }
    for key, listed in sections.items():
        for name in listed:
            if name not in installed:
                raise ConfigError(
                    origin,
                    key,
                    f"unknown provider {name!r}; installed providers: {', '.join(installed)}",
                )


def load_config(
    explicit: str | os.PathLike[str] | None = None,
    installed: Installed | None = None,
    *,
    remember: bool = True,
) -> LoadedConfig:
    """Load settings from the first config found, else the shipped default. An earlier
    start's Settings for the same text and code come from the settings memo instead
    (``remember``: keep new ones there; the demo writes nothing)."""
    path = find_config(explicit)
    text = default_config_text() if path is None else _read(path)
    origin = DEFAULT_NAME if path is None else str(path)
    settings = settings_memo.recall(text)
    if settings is None:
        settings = parse_settings(text, origin)
        if remember:
            settings_memo.remember(text, settings)
    if installed is not None:
        check_providers(settings, origin, installed)
    return LoadedConfig(settings, path)


def _read(path: Path) -> str:
    """The config file's text (ConfigError when it cannot be read); clears leftover temps."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(str(path), None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), None, f"cannot read: {exc}") from None
    remove_stale_temp_files(path)
    return text


TEMP_SUFFIX = ".tmp"
#: A temp file older than this is left over from an interrupted write, not one in progress.
STALE_TEMP_S = 60.0


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def atomic_write(path: Path, text: str) -> None:
    """Write text to path atomically: temp file in the same directory, fsync, rename.

    A symlink is written through (its target is replaced, the link stays); the file's mode and,
    where allowed, owner are kept; a file the user made read-only is refused, not replaced.
    """
    target = Path(os.path.realpath(path))
    try:
        previous: os.stat_result | None = target.stat()
    except FileNotFoundError:
        previous = None
    writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    if previous is not None and (not previous.st_mode & writable_bits
                                 or not os.access(target, os.W_OK)):
        raise ConfigError(str(path), None, "the file is read-only; not changed")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=TEMP_SUFFIX,
                               dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            if previous is not None:
                os.fchmod(handle.fileno(), stat.S_IMODE(previous.st_mode))
                with contextlib.suppress(PermissionError):
                    os.fchown(handle.fileno(), previous.st_uid, previous.st_gid)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temp_files(path: Path, now: float | None = None) -> list[Path]:
    """Delete temp files an interrupted :func:`atomic_write` of ``path`` left behind."""
    target = Path(os.path.realpath(path))
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        candidates = list(target.parent.glob(f"{glob.escape(_temp_prefix(target))}*{TEMP_SUFFIX}"))
    except OSError:
        return removed
    for leftover in candidates:
        with contextlib.suppress(OSError):
            if now - leftover.lstat().st_mtime >= STALE_TEMP_S and leftover.is_file():
                leftover.unlink()
                removed.append(leftover)
    return removed
