"""The log file: every module's records at the chosen level, in a rotating file in the platform
state directory (``~/.local/state/neodymium/log`` on Linux), never on the terminal the TUI owns."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

LEVELS = ("debug", "info", "warning", "error")
DEFAULT_LEVEL = "warning"
#: Bytes per file, and how many older files are kept beside it.
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_handler: logging.Handler | None = None


def log_path() -> Path:
    """Where the log is written on this platform (computed only; nothing is created)."""
    return Path(platformdirs.user_log_dir("neodymium", appauthor=False)) / "neodymium.log"


def setup_logging(level: str = DEFAULT_LEVEL, path: Path | None = None) -> Path | None:
    """Send log records at ``level`` and above (apscheduler's and httpx's too) to the rotating
    file; return its path, or None when it cannot be written (said once on stderr)."""
    global _handler
    target = path or log_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(target, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                      encoding="utf-8")
    except OSError as exc:
        print(f"neodymium: not logging to {target}: {exc}", file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    root.setLevel(level.upper())
    # apscheduler says "running job …" at info every second; its job errors are errors.
    chatty = logging.DEBUG if level == "debug" else logging.WARNING
    logging.getLogger("apscheduler").setLevel(chatty)
    logging.captureWarnings(True)
    _handler = handler
    return target


def stop_logging() -> None:
    """Detach and close the log file (the level is left as it was)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
