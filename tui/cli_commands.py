"""The subcommands of ``neodymium``: each imports what it needs when it runs, so the watcher's
own start-up never pays for them."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

from neodymium.config.settings import Settings
from neodymium.tui.cli_args import clock_for, parse_size

EXIT_CONFIG = 2


def run_command(settings: Settings, args: argparse.Namespace,
                parser: argparse.ArgumentParser) -> int:
    """Run the subcommand ``args.command`` (not None) and return its exit status."""
    commands = {
        "providers": lambda: print_providers(),
        "search": lambda: search_command(settings, args),
        "cache": lambda: cache_command(settings, args),
        "alerts": lambda: alerts_command(settings, args, parser),
        "positions": lambda: positions_command(settings, args),
        "relay": lambda: relay_command(settings, args),
        "serve": lambda: serve_command(args),
        "quote": lambda: quote_command(settings, args),
        "snapshot": lambda: snapshot_command(settings, args, parser),
    }
    return commands[args.command]()


def search_command(settings: Settings, args: argparse.Namespace) -> int:
    """``search QUERY``."""
    from neodymium.providers.runtime import cache_for
    from neodymium.tui.search_cli import run_search

    return asyncio.run(run_search(settings, args.query, as_json=args.json, limit=args.limit,
                                  refresh=args.refresh,
                                  cache=cache_for(settings, demo=args.demo,
                                                  disabled=args.no_cache)))


def positions_command(settings: Settings, args: argparse.Namespace) -> int:
    """``positions``."""
    from neodymium.tui.positions_cli import run_positions

    return asyncio.run(run_positions(
        settings, as_json=args.json, private=args.private or settings.privacy.private,
        timeout=args.timeout, seed=args.seed, clock=clock_for(args)))


def relay_command(settings: Settings, args: argparse.Namespace) -> int:
    """``relay``: the feed headless, published to NATS."""
    from neodymium.config.settings import RelaySettings
    from neodymium.providers.relay.service import serve_relay
    from neodymium.providers.runtime import cache_for
    from pydantic import ValidationError

    try:
        url = RelaySettings(url=args.nats).url if args.nats else settings.relay.url
    except ValidationError as exc:
        print(f"neodymium: --nats: {exc.errors()[0]['msg']}", file=sys.stderr)
        return EXIT_CONFIG
    # A service: its log goes to stderr too (at --log-level), for journald or docker logs.
    stderr = logging.StreamHandler()
    stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.getLogger().addHandler(stderr)
    return asyncio.run(serve_relay(settings, url,
                                   cache=cache_for(settings, demo=args.demo,
                                                   disabled=args.no_cache), seed=args.seed))


def serve_command(args: argparse.Namespace) -> int:
    """``serve``: the watcher in web browsers."""
    from neodymium.tui.serve import serve

    return serve(args, host=args.host, port=args.port, public_url=args.public_url)


def quote_command(settings: Settings, args: argparse.Namespace) -> int:
    """``quote [SYMBOL...]``."""
    from neodymium.tui.oneshot import run_quote

    return asyncio.run(run_quote(settings, args.symbols, as_json=args.json,
                                 timeout=args.timeout, seed=args.seed, clock=clock_for(args)))


def snapshot_command(settings: Settings, args: argparse.Namespace,
                     parser: argparse.ArgumentParser) -> int:
    """``snapshot``: the screen rendered headless to a file."""
    try:
        size = parse_size(args.size)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    from neodymium.providers.runtime import cache_for
    from neodymium.tui.headless import run_snapshot

    return asyncio.run(run_snapshot(
        settings, fmt=args.format, output=Path(args.output), size=size,
        timeout=args.timeout, seed=args.seed, demo=args.demo,
        cache=cache_for(settings, demo=args.demo, disabled=args.no_cache),
        private=args.private or settings.privacy.private, pane=args.pane, view=args.view,
        clock=clock_for(args),
    ))


def alerts_command(settings: Settings, args: argparse.Namespace,
                   parser: argparse.ArgumentParser) -> int:
    """``alerts run|list|cancel|rearm``."""
    from neodymium.providers.clock import system_clock
    from neodymium.providers.runtime import cache_for
    from neodymium.tui import alerts_cli

    cache = cache_for(settings, demo=args.demo, disabled=args.no_cache)
    if args.action == "run":
        try:
            return asyncio.run(alerts_cli.run_alerts(
                settings, once=args.once, as_json=args.json, timeout=args.timeout,
                seed=args.seed, cache=cache))
        except KeyboardInterrupt:
            return 130
    engine = alerts_cli.make_engine(settings, cache)
    try:
        if args.action == "list":
            return alerts_cli.list_rules(settings, engine, system_clock(), as_json=args.json)
        if args.number is None:
            parser.error(f"alerts {args.action} needs a rule number (see `alerts list`)")
        return alerts_cli.change_rule(settings, engine, args.action, args.number)
    finally:
        if cache is not None:
            cache.close()


def print_providers() -> int:
    """List installed providers and their data kinds."""
    from neodymium.providers import registry

    for name in registry.names():
        try:
            provider = registry.load(name)
        except Exception as exc:  # a broken third-party plugin must not hide the others
            print(f"{name:<26} (failed to load: {exc})")
            continue
        kinds = ", ".join(sorted(kind.value for kind in provider.kinds))
        extra = f" · delayed {provider.delay_s // 60}m" if provider.delay_s else ""
        print(f"{name:<26} {kinds:<22} {provider.description}{extra}")
    return 0


def cache_command(settings: Settings, args: argparse.Namespace) -> int:
    """``cache info`` and ``cache clear``."""
    from neodymium.providers.cache import Cache, CacheNotWritable, default_cache_path

    path = Path(settings.cache.path) if settings.cache.path else default_cache_path()
    cache = Cache(path)
    for warning in cache.open():
        print(f"warning: {warning}", file=sys.stderr)
    try:
        if args.action == "clear":
            try:
                cache.clear()
            except CacheNotWritable as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            print(f"cleared {path}")
        info = cache.info()
        print(json.dumps({
            "path": str(info.path), "size_bytes": info.size_bytes, "symbols": info.symbols,
            "bars": info.bars, "quotes": info.quotes, "news": info.news,
            "schema_version": info.schema_version,
        }, indent=2))
    finally:
        cache.close()
    return 0
