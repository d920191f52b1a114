"""Run the fake upstream by hand and point neodymium at it.

    python -m tests.fakeupstream [--port N] [--config PATH] [--set KEY=VALUE ...]

Serves every recorded-format route on 127.0.0.1, prints the base URL, writes a config (default
``fake-upstream.toml`` in the current directory) whose providers all read from it, and serves until
interrupted. ``--set`` puts scenario keys (see the routes_*.py docstrings), e.g.
``--set price:600111.SS=52.10`` or ``--set time:600111.SS=20260821113000``; ``--quotes sina``
and ``--primary 688256.SS`` choose the quote providers and the symbol the watcher opens on.
Then, for example:

    neodymium quote 688256.SS 300308.SZ --json --config fake-upstream.toml
    neodymium --config fake-upstream.toml
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from tests.fakeupstream.server import FakeUpstream

#: The codes the fake answers for issue 8's cases (routes_tencent.py says where each is from).
WATCH = ["600111.SS", "688256.SS", "300308.SZ", "920118.BJ", "510050.SS", "900901.SS",
         "605999.SS", "600001.SS", "688795.SS"]
QUOTES = ("tencent", "sina", "eastmoney", "yahoo")
HTTP_PROVIDERS = ("tencent", "sina", "eastmoney", "yahoo", "sina-roll",
                  "eastmoney-announcements")


def config_text(base_url: str, quotes: tuple[str, ...] = QUOTES, primary: str = WATCH[0]) -> str:
    """A neodymium config whose every provider reads from ``base_url``; no cache."""
    symbols = WATCH if primary in WATCH else [primary, *WATCH]
    lines = [  # JSON lists and strings are TOML ones
        "# Written by python -m tests.fakeupstream: every source is the local fake upstream.",
        "[watch]", f"primary = {json.dumps(primary)}", f"symbols = {json.dumps(symbols)}",
        "compare = []", "",
        "[quotes]", f"providers = {json.dumps(list(quotes))}", "",
        "[history]", 'providers = ["tencent", "eastmoney"]', "",
        "[news]", 'providers = ["sina-roll", "rss"]', f'feeds = ["{base_url}/rss/cn-wire.xml"]', "",
        "[cache]", "enabled = false", "",
    ]
    for name in HTTP_PROVIDERS:
        lines += [f'[providers."{name}"]', f'base_url = "{base_url}"', "timeout = 3",
                  "min_interval = 0", ""]
    return "\n".join(lines)


def _scenario_value(key: str, raw: str) -> object:
    """``price:…`` keys take a number; the others (``time:…``) the text as given."""
    return float(raw) if key.startswith("price:") else raw


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fakeupstream", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--config", type=Path, default=Path("fake-upstream.toml"),
                        help="where to write the neodymium config")
    parser.add_argument("--quotes", default=",".join(QUOTES), metavar="P1,P2",
                        help="quote providers in order (default: %(default)s)")
    parser.add_argument("--primary", default=WATCH[0], help="the primary symbol")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a scenario key, e.g. price:600111.SS=52.10 (repeatable)")
    args = parser.parse_args(argv)
    try:
        upstream = FakeUpstream().start(args.port)
    except OSError as exc:
        parser.exit(2, f"python -m tests.fakeupstream: cannot listen on 127.0.0.1:{args.port}: "
                       f"{exc.strerror}\n")
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--set {item!r}: expected KEY=VALUE")
        upstream.scenario.set(key, _scenario_value(key, value))
    quotes = tuple(name.strip() for name in args.quotes.split(",") if name.strip())
    args.config.write_text(config_text(upstream.base_url, quotes, args.primary), encoding="utf-8")
    print(upstream.base_url)
    print(f"config: {args.config.resolve()}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.2):  # a bounded wait lets the signal handler run promptly
            pass
    except KeyboardInterrupt:
        pass
    finally:
        upstream.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
