"""The ``neodymium`` command: the interactive watcher, headless snapshots, one-shot quotes.

The options live in cli_args and the subcommands in cli_commands. The watcher's own path
imports only what its first frame needs: the config, the cache and the app's first screen.
This module's own imports stay light: the rest load inside ``main``, after it has held off
garbage collection for the start-up (see startup_gc).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from neodymium.tui import startup_gc
from neodymium.tui.cli_args import (
    COMMANDS,
    build_parser,
    clock_for,
    parse,
    parse_size,
    split_symbol,
)
from neodymium.tui.lean_imports import unused_imports_held_off
from neodymium.tui.logs import DEFAULT_LEVEL, setup_logging

if TYPE_CHECKING:
    from neodymium.config.loader import LoadedConfig
    from neodymium.config.settings import Settings
    from neodymium.tui.app import AppOptions
    from neodymium.tui.opening_paint import OpeningStart

__all__ = ["COMMANDS", "app_options", "build_parser", "load", "main", "parse", "parse_size", "run",
           "split_symbol", "with_primary"]

EXIT_CONFIG = 2
EXIT_NO_TTY = 2
NO_TTY = ("neodymium: standard output is not a terminal, so the full-screen watcher cannot run.\n"
          "  For pipes, cron and ssh without a TTY use:\n"
          "    neodymium quote [SYMBOL...] [--json]      one-shot quotes\n"
          "    neodymium snapshot --format txt -o -      the screen as text (or svg/html/png)\n"
          "  (ssh -t host neodymium gives the watcher a terminal.)")


def load(args: argparse.Namespace, *, providers: bool = True) -> LoadedConfig:
    """Load and validate the config; --demo switches every kind to the demo provider.

    With ``providers=False`` the checks against the installed providers are left out (see
    provider_check): the watcher runs them once its first frame is on the screen.
    """
    from neodymium.config.loader import Installed, LoadedConfig, load_config

    installed: Installed | None = None
    if providers:  # the watcher imports the registry after its first frame
        from neodymium.providers import registry

        installed = registry
    loaded = load_config(args.config, installed=installed, remember=not args.demo)
    if args.demo:
        return LoadedConfig(loaded.settings.demo(), loaded.path)
    return loaded


def provider_check(args: argparse.Namespace) -> Callable[[], None]:
    """The checks ``load(args, providers=False)`` left out, on the config as written (before
    --demo): unknown provider names, ``[providers.<name>]`` keys (ConfigError)."""
    def check() -> None:
        from neodymium.config.loader import check_providers, load_config, origin_of
        from neodymium.providers import registry

        written = load_config(args.config, remember=not args.demo)
        check_providers(written.settings, origin_of(written), registry)

    return check


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    startup_gc.hold()  # resumed by the watcher after its first frame, by other commands now
    try:
        with unused_imports_held_off():
            return run(argv)
    except BrokenPipeError:
        # The reader went away (``neodymium quote | head``): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    finally:
        startup_gc.release()


def with_primary(settings: Settings, raw: str | None) -> Settings:
    """``settings`` opening on ``raw`` (ValueError naming it when it is not a symbol)."""
    if raw is None:
        return settings
    return settings.model_copy(update={"watch": settings.watch.with_primary(raw)})


def run(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run the chosen command."""
    argv, symbol = split_symbol(sys.argv[1:] if argv is None else argv, COMMANDS)
    parser, args = parse(argv)
    if getattr(args, "demo_at", None) is not None and not args.demo:
        parser.error("--demo-at moves the demo's clock: it needs --demo")
    log_file = setup_logging(args.log_level or DEFAULT_LEVEL)
    # The watcher checks the providers after its first frame (entry points, Options models).
    watching = args.command is None and has_terminal()
    opening = opening_start(args, symbol) if watching else None
    try:
        return _run(args, parser, symbol, watching, opening, log_file)
    finally:
        if opening is not None:
            opening.undo(sys.stderr)


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser, symbol: str | None,
         watching: bool, opening: OpeningStart | None, log_file: Path | None) -> int:
    """``run`` once the arguments are parsed (and the opening paint, if any, is up)."""
    from neodymium.config.loader import ConfigError

    try:
        loaded = load(args, providers=not watching)
    except ConfigError as exc:
        if opening is not None:
            opening.undo(sys.stderr)
        print(f"neodymium: config error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        settings = with_primary(loaded.settings, symbol or getattr(args, "symbol", None))
    except ValueError as exc:
        print(f"neodymium: not a symbol: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.command is not None:
        from neodymium.tui.cli_commands import run_command

        startup_gc.release()  # relay, serve and ``alerts run`` run for hours
        return run_command(settings, args, parser)
    if not watching:
        print(NO_TTY, file=sys.stderr)
        return EXIT_NO_TTY
    return watch(settings, args, loaded, log_file, opening)


def wants_opening(args: argparse.Namespace, symbol: str | None) -> bool:
    """Whether this watcher opens on what an earlier start recorded (tui/opening_paint.py):
    the config's own primary, from the cache; not the demo, nor another symbol."""
    return not (args.demo or args.no_cache or symbol or getattr(args, "symbol", None))


def opening_start(args: argparse.Namespace, symbol: str | None) -> OpeningStart | None:
    """The opening paint of a watcher that wants one on a terminal (not in a browser)."""
    if not wants_opening(args, symbol) or os.environ.get("TEXTUAL_DRIVER") \
            or not sys.stdout.isatty() \
            or not sys.stderr.isatty():  # Textual draws on stderr: the paint goes there too
        return None
    from neodymium.tui import opening_paint

    return opening_paint.start(args.config, sys.stderr)


def watch(settings: Settings, args: argparse.Namespace, loaded: LoadedConfig,
          log_file: Path | None, opening: OpeningStart | None = None) -> int:
    """The full-screen watcher (until q). A config error found after its first frame (see
    provider_check) ends it with the message and exit code 2, once the terminal is back."""
    from neodymium.providers.cache import cache_for
    from neodymium.tui.app import NeodymiumApp

    key = opening.key if opening is not None else None
    app = NeodymiumApp(settings, options=app_options(args, loaded, log_file, key),
                       clock=clock_for(args),
                       cache=cache_for(settings, demo=args.demo, disabled=args.no_cache),
                       config_check=provider_check(args))
    if opening is not None:
        opening.handed_over()
    app.run()
    if app.config_error is not None:
        print(f"neodymium: config error: {app.config_error}", file=sys.stderr)
        return EXIT_CONFIG
    return app.return_code or 0  # 1 after an unhandled exception, never a silent 0


def has_terminal() -> bool:
    """A terminal to draw on: stdout is a TTY, or Textual was given another driver (the web
    driver textual-serve sets for each browser session writes to a pipe by design)."""
    return sys.stdout.isatty() or bool(os.environ.get("TEXTUAL_DRIVER"))


def app_options(args: argparse.Namespace, loaded: LoadedConfig,
                log_file: Path | None = None, opening_key: str | None = None) -> AppOptions:
    """How the interactive app starts: the demo never writes to the user's config file."""
    from neodymium.config.paths import user_config_path
    from neodymium.tui.app import AppOptions

    config_path = None if args.demo else (loaded.path or user_config_path())
    return AppOptions(demo=args.demo, seed=args.seed, config_path=config_path,
                      private=args.private, log_file=log_file, opening_key=opening_key)


if __name__ == "__main__":
    raise SystemExit(main())
