"""``neodymium serve``: the watcher in web browsers through textual-serve.

textual-serve starts one app process per browser session; each runs this same command line, so
with ``[feed] source = "nats://…"`` every viewer subscribes to the relay and a hundred viewers
still mean one poller. Binds to localhost by default: publish it through a reverse proxy that
does authentication (README).
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
import sys

import psutil
from textual_serve.server import Server

#: Seconds the browser sessions' apps get to exit after SIGTERM before they are killed.
GRACE_S = 5.0


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


class SessionServer(Server):
    """textual-serve's server that ends every browser session's app when it is stopped.

    On SIGINT or SIGTERM textual-serve waits for each session to wind down, which a supervisor
    (systemd, docker, a test) may not wait for before killing it, leaving the apps running.
    Here the apps are asked to stop at once, and none outlives :func:`serve`.
    """

    def request_exit(self) -> None:
        """SIGTERM every session's app, then leave the way textual-serve does."""
        _signal(_apps(psutil.Process().children(recursive=True)), kill=False)
        super().request_exit()


def _apps(processes: list[psutil.Process]) -> list[psutil.Process]:
    """The processes without children of their own: the apps, not the shells that start them
    (a shell exits with its app and is reaped here, so nothing is left to init)."""
    leaves = []
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            if not process.children():
                leaves.append(process)
    return leaves


def _signal(processes: list[psutil.Process], *, kill: bool) -> None:
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill() if kill else process.terminate()


def end_children(grace: float = GRACE_S) -> None:
    """End this process's children: the apps first, anything left after ``grace`` killed."""
    children = psutil.Process().children(recursive=True)
    _signal(_apps(children), kill=False)
    _, alive = psutil.wait_procs(children, timeout=grace)
    _signal(alive, kill=True)
    psutil.wait_procs(alive, timeout=grace)


def serve(args: argparse.Namespace, *, host: str, port: int, public_url: str | None) -> int:
    """Serve until SIGINT or SIGTERM; every browser session's app ends with it."""
    server = SessionServer(app_command(args), host=host, port=port, title="neodymium",
                           public_url=public_url)
    print(f"neodymium: serving on http://{host}:{port} (Ctrl+C stops)", file=sys.stderr)
    try:
        server.serve()
    finally:
        end_children()
    return 0
