"""The ``neodymium`` command line: options, subcommands and --help (no I/O, light imports)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn

from neodymium.tui.export_formats import FORMATS
from neodymium.tui.logs import DEFAULT_LEVEL, LEVELS, log_path

if TYPE_CHECKING:
    from neodymium.providers.clock import Clock

DESCRIPTION = """\
A terminal market watcher that gets Chinese A-shares right.

Without a subcommand it opens the full-screen watcher on the configured primary symbol
(600111.SS 北方稀土 by default): quote, 52-week range, valuation, ETF comparison, news.
"""


def epilog() -> str:
    """The end of --help: where the config and the log are on this machine, and examples."""
    # Imported here, not at the top: cli's imports run before main() holds the collector.
    from neodymium.config.paths import user_config_path

    return f"""\
configuration:
  TOML, read from --config FILE, else $NEODYMIUM_CONFIG, else {user_config_path()},
  else the shipped default. Unknown keys, wrong types and unknown providers are errors (exit 2).

logs:
  {log_path()}  (rotating; --log-level {"|".join(LEVELS)}, default {DEFAULT_LEVEL})

examples:
  neodymium --demo                         offline, simulated data
  neodymium 159713.SZ                      open on another symbol (P in the app saves it)
  neodymium snapshot --demo --format svg --output screen.svg
  neodymium quote 600111.SS REMX --json
  neodymium alerts run --once --json       cron: fire alerts, run the [notify] hook
  neodymium positions --json               holdings, P&L and weights (--private masks them)
  neodymium search bfxt --json             find 北方稀土 by its pinyin initials
  neodymium providers
"""


def _common(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    """Options accepted before or after the subcommand (a subcommand never resets them)."""
    default = argparse.SUPPRESS if sub else None
    flag_default = argparse.SUPPRESS if sub else False
    parser.add_argument("--config", metavar="FILE", default=default,
                        help="read this TOML config")
    parser.add_argument("--demo", action="store_true", default=flag_default,
                        help="use the offline demo provider for every data kind")
    parser.add_argument("--seed", type=int, default=default, help="seed of the demo provider")
    parser.add_argument("--demo-at", type=demo_instant, default=default, metavar="TIME",
                        help="with --demo: the simulated market starts at this moment and runs "
                             "on (2026-08-21T10:30, Shanghai time unless it gives an offset)")
    parser.add_argument("--no-cache", action="store_true", default=flag_default,
                        help="do not read or write the cache")
    parser.add_argument("--private", action="store_true", default=flag_default,
                        help="mask position sizes, values and P&L (on screen and in exports)")
    parser.add_argument("--log-level", choices=LEVELS, default=default,
                        help=f"what goes in the log file (default {DEFAULT_LEVEL})")


class _NotPlain(Exception):
    """The watcher's parser met something only the full parser answers properly."""


class _WatcherParser(argparse.ArgumentParser):
    """The top-level options alone: any error is left to the full parser (see parse)."""

    def error(self, message: str) -> NoReturn:
        raise _NotPlain(message)


def _top_level(parser_class: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = parser_class(
        prog="neodymium", description=DESCRIPTION, epilog=epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser, sub=False)
    return parser


def parse(argv: Sequence[str]) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """``argv`` parsed (after split_symbol), and the parser that did it.

    The watcher's own command line (options only, no subcommand, no help) is parsed by the
    top-level options alone: building the nine subcommands' parsers cost about half of the
    parser's 4-6 ms before the first frame. Anything else (a bare word, -h/--help, an error)
    goes to the full parser, so help and error messages are the same as ever.
    """
    plain = not any(token.startswith(("-h", "--h")) for token in argv) and not any(
        not token.startswith("-") for token in _without_option_values(argv))
    if plain:
        parser = _top_level(_WatcherParser)
        parser.set_defaults(command=None)
        try:
            return parser, parser.parse_args(argv)
        except _NotPlain:
            pass
    parser = build_parser()
    return parser, parser.parse_args(argv)


def _without_option_values(argv: Sequence[str]) -> list[str]:
    """``argv`` less the values that follow the top-level options taking one."""
    kept: list[str] = []
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUE_OPTIONS:
            skip = True
        else:
            kept.append(token)
    return kept


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also documents everything in --help)."""
    parser = _top_level(argparse.ArgumentParser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    snap = commands.add_parser(
        "snapshot", help="render the screen headless to a file and exit",
        description="Wait until quotes, history and news have arrived, then write the screen "
                    "as SVG, HTML, plain text or PNG. If every provider of a kind fails, or "
                    "--timeout passes, the file is still written, with stale markers and a "
                    "warning on stderr. Exit status: 0 complete, 3 written with missing data "
                    "kinds, 1 error.",
    )
    _common(snap)
    snap.add_argument("--format", choices=FORMATS, default="svg")
    snap.add_argument("--output", "-o", metavar="FILE", required=True)
    snap.add_argument("--size", default="120x40", metavar="COLSxROWS")
    snap.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS")
    snap.add_argument("--pane", choices=("positions",), default=None,
                      help="write this pane over the main screen")
    snap.add_argument("--symbol", metavar="SYMBOL", help="export this symbol as the primary")
    snap.add_argument("--view", choices=("main", "intraday"), default="main",
                      help="main screen, or the 分时 minute line (A-shares)")

    quote = commands.add_parser(
        "quote", help="print quotes once (a table, or JSON with --json) and exit",
        description="One-shot quotes for cron jobs, pipes and SSH without a TTY. Every symbol "
                    "not served is named on stderr with each provider's reason. Exit status: "
                    "1 when no quote at all could be had.",
    )
    _common(quote)
    quote.add_argument("symbols", nargs="*", metavar="SYMBOL",
                       help="symbols (default: the configured watchlist and comparisons)")
    quote.add_argument("--json", action="store_true", help="print JSON")
    quote.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS")

    search = commands.add_parser(
        "search", help="find symbols by code, name, pinyin or initials and exit",
        description="Search the symbol list (the cached Eastmoney list, else the small list "
                    "shipped in the wheel): 600111, 北方稀土, beifang or bfxt.",
    )
    _common(search)
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--limit", type=int, default=20, metavar="N")
    search.add_argument("--refresh", action="store_true",
                        help="fetch the market list from Eastmoney first (and cache it)")

    providers = commands.add_parser(
        "providers", help="list installed providers and what each serves"
    )
    _common(providers)

    alerts = commands.add_parser(
        "alerts", help="evaluate alert rules headless, list them, cancel or re-arm one",
        description="run: poll on the session clock, print each fired alert and run the hooks "
                    "(--once: fetch once and exit). list: rules and their state. cancel N / "
                    "rearm N: by the number list shows.",
    )
    _common(alerts)
    alerts.add_argument("action", choices=("run", "list", "cancel", "rearm"))
    alerts.add_argument("number", nargs="?", type=int, help="the rule number (cancel, rearm)")
    alerts.add_argument("--once", action="store_true", help="fetch once, then exit")
    alerts.add_argument("--json", action="store_true", help="print JSON (one line per event)")
    alerts.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS")

    positions = commands.add_parser(
        "positions", help="value the [[positions]] once: market value, day and total P&L",
        description="Fetch the held symbols' quotes once and print market value, day and total "
                    "P&L (currency and %%) and weights; A-shares in 手 and 元. --private masks "
                    "sizes, values and P&L.",
    )
    _common(positions)
    positions.add_argument("--json", action="store_true", help="print JSON (exact decimals)")
    positions.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS")
    relay = commands.add_parser(
        "relay", help="poll once for a whole desk and publish to NATS JetStream",
        description="Run the feed headless and publish every change to a JetStream key-value "
                    "bucket that terminals with [feed] source = \"nats://host:4222\" read. "
                    "Two relays may run: only the lease holder polls.",
    )
    _common(relay)
    relay.add_argument("--nats", metavar="URL", default=None,
                       help="NATS server (default: [relay].url)")

    serve = commands.add_parser(
        "serve", help="serve the watcher to web browsers (textual-serve)",
        description="One app per browser session; each reads the relay when [feed].source "
                    "names one. Binds to localhost: put a reverse proxy with auth in front.",
    )
    _common(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--public-url", default=None, metavar="URL",
                       help="the URL browsers use, when behind a reverse proxy")

    cache = commands.add_parser("cache", help="show or clear the local cache")
    _common(cache)
    cache.add_argument("action", choices=("info", "clear"), nargs="?", default="info",
                       help="info (the default): where it is and what it holds; clear: empty it")
    return parser


def demo_instant(text: str) -> datetime:
    """``2026-08-21T10:30`` (Shanghai time) or with an offset → an aware datetime."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--demo-at must be a date and time like 2026-08-21T10:30, got {text!r}") from None
    from neodymium.providers.markets import SHANGHAI  # the demo's A-shares trade there

    return moment if moment.tzinfo is not None else moment.replace(tzinfo=SHANGHAI)


def clock_for(args: argparse.Namespace, wall: Clock | None = None) -> Clock:
    """The wall clock, or with ``--demo-at`` one moved to start at that moment; ``--demo``
    outside the A-share sessions starts an hour before the last close or break (see
    providers/demo/minute.demo_start), so its 分时 chart and its quote agree."""
    from neodymium.providers.clock import ShiftedClock, system_clock

    wall = wall or system_clock
    start = getattr(args, "demo_at", None)
    if start is None and getattr(args, "demo", False):
        from neodymium.providers.demo.minute import demo_start

        start = demo_start(wall())
    return wall if start is None else ShiftedClock(start, wall)


def parse_size(text: str) -> tuple[int, int]:
    """``120x40`` → (120, 40)."""
    try:
        cols, rows = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--size must look like 120x40, got {text!r}") from None
    if cols < 40 or rows < 12:
        raise argparse.ArgumentTypeError("--size must be at least 40x12")
    return cols, rows


#: Options of the top-level parser that take a value (skipped when looking for a SYMBOL).
_VALUE_OPTIONS = frozenset({"--config", "--seed", "--log-level", "--demo-at"})


def split_symbol(argv: Sequence[str], commands: Sequence[str]) -> tuple[list[str], str | None]:
    """``neodymium 600111.SS --demo`` → (["--demo"], "600111.SS"): the first bare word that is
    not a subcommand is the symbol to open on (argparse cannot mix it with subcommands)."""
    args = list(argv)
    skip = False
    for index, token in enumerate(args):
        if skip:
            skip = False
            continue
        if token in _VALUE_OPTIONS:
            skip = True
            continue
        if token.startswith("-"):
            continue
        if token in commands:
            return args, None
        return args[:index] + args[index + 1:], token
    return args, None


#: The subcommands (a bare word that is none of them is a symbol to open on).
COMMANDS = ("snapshot", "quote", "search", "providers", "alerts", "positions", "relay", "serve",
            "cache")
