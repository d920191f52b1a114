"""``neodymium serve``: the watcher in web browsers through textual-serve.

textual-serve starts one app process per browser session; each runs this same command line, so
with ``[feed] source = "nats://…"`` every viewer subscribes to the relay and a hundred viewers
still mean one poller. Binds to localhost by default: publish it through a reverse proxy that
does authentication (README).
"""

from __future__ import annotations

import argparse
import shlex
import sys

from textual_serve.server import Server


def app_command(args: argparse.Namespace) -> str:
    """The command line each browser session runs: this Python, the same config and flags."""
    parts = [sys.executable, "-m", "neodymium.tui.cli"]
    if getattr(args, "config", None):
        parts += ["--config", str(args.config)]
    if getattr(args, "demo", False):
        parts.append("--demo")
    if getattr(args, "seed", None) is not None:
        parts += ["--seed", str(args.seed)]
    if getattr(args, "no_cache", False):
        parts.append("--no-cache")
    return shlex.join(parts)


def serve(args: argparse.Namespace, *, host: str, port: int, public_url: str | None) -> int:
    """Serve until interrupted."""
    server = Server(app_command(args), host=host, port=port, title="neodymium",
                    public_url=public_url)
    print(f"neodymium: serving on http://{host}:{port} (Ctrl+C stops)", file=sys.stderr)
    server.serve()
    return 0
