"""neodymium against a bare Textual app in a real pseudo-terminal, interleaved in one run.

Run from the repo root::

    python -m benchmarks.bench_pty            # short: about 4 minutes
    python -m benchmarks.bench_pty --full     # the report: CPU 3 x 60 s, RSS after 10 minutes

Both programs run as the user runs them, on the slave side of a 160x48 pty (``TERM``
xterm-256color, truecolor); the parent reads every byte they write and stamps it. No terminal
emulation: a frame "shows the price" when the price's text arrives on the pty.

* **First frame to the cached price.** neodymium starts with ``python -m neodymium.tui.cli
  --config FILE``: a warm cache (see bench_startup) and every real provider pointed at
  ``http://127.0.0.1:9``, where nothing listens, so the price can only come from the cache. The
  bare app is one ``Label`` holding the same price text. Time from spawn to the price's bytes:
  for neodymium the top rows of the quote panel's big digits. The warm-up start keeps where
  its first frame showed them, so each measured start is a restart on the same config and
  size: the opening paint (tui/opening_paint.py) writes the cached price there before
  Textual's app is imported. Also printed: when Textual's watch screen is up (the quote
  panel's border title) and when the price arrives as text (the watchlist and comparison,
  mounted just after the first frame). Median of ``--runs`` (>= 5) interleaved pairs, after
  one warm-up pair.
* **Ticking at 1 Hz.** ``neodymium --demo`` (quotes every second) watching 6 symbols (the
  primary and the default comparison) and 60 (then A-shares of the demo's universe: every row a
  moving price), in the watchlist and the comparison, against the bare app whose label shows a
  clock updated every second. After a warm-up,
  over ``--cpu-seconds``: CPU seconds per minute (utime + stime from /proc), bytes per second
  (median of the whole seconds, and the mean), the median burst (chunks less than 50 ms apart)
  and the median of the biggest burst of each second in which the primary's price changed.
  The demo follows the exchanges' 3 s snapshot cadence, staggered per symbol, so most seconds
  carry a few symbols' changes and one in three or fewer the primary's (the dearest): the
  median second alone is not the whole story. Median of ``--cpu-runs`` (>= 3) rounds, the
  three programs in rotating order.
* **Resident memory after ``--rss-minutes``** of the 6-symbol demo, beside the bare app.

Times and CPU vary with the machine's load (printed); ratios against the bare app measured in
the same run mean more than absolute figures. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks import bench_startup
from benchmarks.pty_child import (
    COLUMNS,
    ROWS,
    Chunk,
    PtyChild,
    PtyError,
    bursts,
    median_or_zero,
    per_second,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
FRAME_TIMEOUT_S = 60.0
#: Seconds after the first frame before ticking is measured (history and news land first).
WARM_S = 4.0
DEMO_MARKER = b"DEMO"
DEMO_SEED = 7
#: Where the ticking demo's clock starts (``--demo-at``): a Thursday morning in session, so
#: bytes and CPU per tick do not depend on the hour the benchmark runs at (at the close, or
#: at night, other cells move). 10 minutes of RSS ticking stay within the morning session.
DEMO_AT = datetime(2026, 8, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
#: The bare app: one Label; with "tick" it shows a clock that changes every second.
BARE_SCRIPT = """\
import sys, time
from textual.app import App
from textual.widgets import Label

text, tick = sys.argv[1], sys.argv[2] == "tick"

class Bare(App):
    def compose(self):
        yield Label(text, id="label")

    def on_mount(self):
        if tick:
            self.set_interval(1.0, self.tick)

    def tick(self):
        self.query_one(Label).update(text + " " + time.strftime("%H:%M:%S"))

Bare().run()
"""
GOALS = {"first": 1.3, "bytes": 300.0, "cpu": 0.5, "rss": 80.0}


@dataclass
class Ticking:
    """One program ticking at 1 Hz for a while."""

    cpu_per_min: float
    bytes_per_s: float
    burst: float
    rss_mib: float
    #: All bytes over all seconds (the median second hides the dear ones).
    mean_bytes_per_s: float = 0.0
    #: Median, over the seconds in which the demo primary's price changed, of each second's
    #: biggest burst (0: not the demo).
    primary_burst: float = 0.0


@dataclass
class Results:
    """Everything one run measured."""

    first_neo: list[float] = field(default_factory=list)
    first_bare: list[float] = field(default_factory=list)
    #: When neodymium's price arrived as text (the watchlist and comparison, a frame later).
    text_neo: list[float] = field(default_factory=list)
    #: When Textual's watch screen was up (after the opening paint, when there is one).
    screen_neo: list[float] = field(default_factory=list)
    ticking: dict[str, list[Ticking]] = field(default_factory=dict)
    rss: dict[str, float] = field(default_factory=dict)
    load: list[tuple[float, float, float]] = field(default_factory=list)
    price: str = ""
    settings: dict[str, float] = field(default_factory=dict)


def child_env(home: Path) -> dict[str, str]:
    """The same terminal for every child; config and cache dirs and compiled bytecode kept
    inside ``home`` (the warm-up pair compiles it: see bench_startup.with_bytecode). COLUMNS
    and LINES are left out: the pty says the size, and Textual takes those first (pytest-xdist
    workers set them to 80x24, where the big price is hidden)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TEXTUAL", "NEODYMIUM", "NO_COLOR"))
           and key not in {"COLUMNS", "LINES"}}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8",
               XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT),
                                                        os.environ.get("PYTHONPATH")])))
    return bench_startup.with_bytecode(env, home)


def demo_config(folder: Path, count: int) -> Path:
    """A config whose watchlist has ``count`` symbols and whose comparison the same less the
    primary (the defaults, then A-shares of the demo's universe, so every row moves), as
    bench_tick_cpu and tests/tui/test_tick_bytes.py watch."""
    from neodymium.config.settings import Settings
    from neodymium.providers.demo.universe import a_share_watchlist

    watch = Settings().watch
    symbols = a_share_watchlist([watch.primary, *watch.compare], count)
    path = folder / f"demo-{count}.toml"
    path.write_text(f"[watch]\nprimary = {json.dumps(watch.primary)}\n"
                    f"symbols = {json.dumps(symbols)}\n"
                    f"compare = {json.dumps(symbols[1:])}\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Programs:
    """How to start each program, given the fixture."""

    env: dict[str, str]
    config: Path
    demo6: Path
    demo60: Path
    price: str

    def neodymium(self, *args: str) -> PtyChild:
        return PtyChild([sys.executable, "-m", "neodymium.tui.cli", *args], self.env, REPO_ROOT)

    def bare(self, mode: str) -> PtyChild:
        return PtyChild([sys.executable, "-c", BARE_SCRIPT, self.price, mode], self.env,
                        REPO_ROOT)

    def ticking(self, kind: str) -> tuple[PtyChild, bytes, int]:
        """A program ticking at 1 Hz, the marker that says it is up, and the whole seconds
        its demo clock runs ahead of the wall's (unix second s is the demo's s + shift)."""
        if kind == "bare":
            return self.bare("tick"), self.price.encode(), 0
        config = self.demo6 if kind == "neo6" else self.demo60
        # The start carries the wall's fraction of a second now, so the shift the watcher
        # rounds to (ShiftedClock keeps the wall's fraction) is the whole number computed here.
        now = time.time()
        start = DEMO_AT + timedelta(seconds=now % 1)
        shift = round(start.timestamp() - now)
        return (self.neodymium("--demo", "--seed", str(DEMO_SEED), "--demo-at",
                               start.isoformat(), "--config", str(config)), DEMO_MARKER, shift)


def first_frame(child: PtyChild, marker: bytes) -> float:
    """Seconds from spawn to ``marker`` on the pty."""
    child.watch_for(marker)
    with child:
        return child.wait_for(marker, FRAME_TIMEOUT_S)


def big_price_rows(price: str) -> list[bytes]:
    """The top row of the quote panel's big price as the terminal receives it: its whole part
    and its decimals are two ``Digits`` widgets (``49.`` and ``95``), each row one span."""
    from rich.style import Style
    from textual.renderables.digits import Digits

    whole, point, decimals = price.rpartition(".")
    parts = [whole + point, decimals] if point else [price]
    return [next(iter(Digits(part).render(Style()))).text.rstrip().encode() for part in parts]


#: What only Textual's watch screen writes: the quote panel's border title.
SCREEN_MARKER = b" Quote "


def first_frames(child: PtyChild, price: str) -> tuple[float, float, float]:
    """Seconds from spawn to neodymium's first frame with the cached price (its big digits
    in the quote panel), to Textual's watch screen and to the price as text (the tables,
    mounted just after the first frame)."""
    digits = big_price_rows(price)
    text = price.encode()
    for marker in (*digits, SCREEN_MARKER, text):
        child.watch_for(marker)
    with child:
        first = max(child.wait_for(marker, FRAME_TIMEOUT_S) for marker in digits)
        return (first, child.wait_for(SCREEN_MARKER, FRAME_TIMEOUT_S),
                child.wait_for(text, FRAME_TIMEOUT_S))


def tick_for(child: PtyChild, marker: bytes, seconds: float,
             primary_moved: Callable[[int], bool] | None = None) -> Ticking:
    """Start, wait for ``marker`` and WARM_S, then measure ``seconds`` of ticking;
    ``primary_moved(unix_second)`` says in which seconds the demo's primary changed price."""
    child.watch_for(marker)
    with child:
        child.wait_for(marker, FRAME_TIMEOUT_S)
        time.sleep(WARM_S)
        cpu0, t0 = child.cpu_seconds(), time.monotonic()
        wall = time.time() - t0  # monotonic -> unix time
        time.sleep(seconds)
        cpu1, t1 = child.cpu_seconds(), time.monotonic()
        rss = child.rss_mib()
        chunks = child.chunks_between(t0, t1)
    whole = max(1, int(t1 - t0))
    primary = []
    if primary_moved is not None:
        moved = [c for c in chunks if primary_moved(int(c.at + wall))]
        # The second's biggest burst is the primary's repaint (the clock's and the flash's
        # ending are small bursts of their own, which would pull a plain median down).
        primary = [max(bursts(second)) for second in _bursts_by_second(moved, wall)]
    return Ticking(cpu_per_min=(cpu1 - cpu0) / (t1 - t0) * 60.0,
                   bytes_per_s=median_or_zero(per_second(chunks, t0, whole)),
                   burst=median_or_zero(bursts(chunks)), rss_mib=rss,
                   mean_bytes_per_s=sum(c.size for c in chunks) / (t1 - t0),
                   primary_burst=median_or_zero(primary))


def _bursts_by_second(chunks: list[Chunk], wall: float) -> list[list[Chunk]]:
    """Chunks grouped by the unix second they were read in."""
    seconds: dict[int, list[Chunk]] = {}
    for chunk in chunks:
        seconds.setdefault(int(chunk.at + wall), []).append(chunk)
    return list(seconds.values())


def demo_primary_moves(seed: int = DEMO_SEED) -> Callable[[int], bool]:
    """Whether the demo primary's last price at unix second ``s`` differs from ``s - 1``'s
    (the demo is a pure function of seed, symbol and instant)."""

    import httpx
    from neodymium.config.settings import Settings
    from neodymium.providers.demo import DemoProvider
    from neodymium.providers.demo.provider import DemoOptions
    from neodymium.providers.symbols import parse_symbol

    demo = DemoProvider(httpx.AsyncClient(), DemoOptions(seed=seed))
    primary = parse_symbol(Settings().watch.primary)

    def last(second: int) -> float | None:
        return demo.quote_at(primary, datetime.fromtimestamp(second, UTC)).last

    return lambda second: last(second) != last(second - 1)


def shifted(moves: Callable[[int], bool], shift: int) -> Callable[[int], bool]:
    """``moves`` asked about the demo's second for unix second ``s``."""
    return lambda second: moves(second + shift)


def measure(runs: int, cpu_runs: int, cpu_seconds: float, rss_minutes: float, *,
            folder: Path, warm_up: bool = True,
            progress: Callable[[str], None] = lambda text: None) -> Results:
    """All three phases, each interleaving neodymium and the bare app."""
    fixture = bench_startup.prepare(folder)
    price = f"{fixture.content.primary_last:.2f}"
    programs = Programs(child_env(folder), fixture.config, demo_config(folder, 6),
                        demo_config(folder, 60), price)
    results = Results(price=price, load=[os.getloadavg()], settings={
        "runs": runs, "cpu_runs": cpu_runs, "cpu_seconds": cpu_seconds,
        "rss_minutes": rss_minutes})
    neo_args = ("--config", str(programs.config))
    if warm_up:  # compiles .pyc files, fills the page cache; not counted
        first_frame(programs.neodymium(*neo_args), price.encode())
        first_frame(programs.bare("still"), price.encode())
    for run in range(runs):
        progress(f"first frame {run + 1}/{runs}")
        pair = [("neo", programs.neodymium(*neo_args)), ("bare", programs.bare("still"))]
        for kind, child in pair if run % 2 == 0 else pair[::-1]:
            if kind == "neo":
                first, screen, text = first_frames(child, price)
                results.first_neo.append(first)
                results.screen_neo.append(screen)
                results.text_neo.append(text)
            else:
                results.first_bare.append(first_frame(child, price.encode()))
    kinds = ["bare", "neo6", "neo60"]
    moves = demo_primary_moves()
    for run in range(cpu_runs):
        for kind in kinds[run % 3:] + kinds[:run % 3]:
            progress(f"ticking {run + 1}/{cpu_runs}: {kind}")
            child, marker, shift = programs.ticking(kind)
            moved = None if kind == "bare" else shifted(moves, shift)
            results.ticking.setdefault(kind, []).append(
                tick_for(child, marker, cpu_seconds, moved))
    if rss_minutes > 0:
        progress(f"memory after {rss_minutes:g} min")
        try:
            results.rss = resident_after(programs, rss_minutes * 60.0)
        except PtyError as exc:  # keep what was measured; say what went wrong
            progress(f"memory phase failed: {exc}")
    results.load.append(os.getloadavg())
    return results


def resident_after(programs: Programs, seconds: float) -> dict[str, float]:
    """RSS of the bare app and the 6-symbol demo, run side by side for ``seconds``."""
    started = [(*programs.ticking(kind)[:2], kind) for kind in ("bare", "neo6")]
    for child, marker, _ in started:
        child.watch_for(marker)
        child.start()
    try:
        for child, marker, _ in started:
            child.wait_for(marker, FRAME_TIMEOUT_S)
        time.sleep(seconds)
        return {kind: child.rss_mib() for child, _, kind in started}
    finally:
        for child, _, _ in started:
            child.stop()


def _median(values: list[float]) -> float:
    return median_or_zero(values)


def table(results: Results) -> str:
    """The printed report: bare app | neodymium | ratio | goal."""
    s = results.settings
    lines = [
        f"neodymium vs a bare Textual app in a {COLUMNS}x{ROWS} pty, interleaved in one run",
        f"first frame: median of {len(results.first_neo)} runs (warm cache, providers at "
        f"{bench_startup.UNREACHABLE}, price {results.price}); ticking: median of "
        f"{s['cpu_runs']:g} x {s['cpu_seconds']:g} s after {WARM_S:g} s warm-up",
        f"python {platform.python_version()}, {os.cpu_count()} cpus, load average "
        + " -> ".join(f"{load[0]:.1f}" for load in results.load),
        "",
    ]
    header = f"{'metric':<44} {'bare app':>10} {'neodymium':>11} {'ratio':>7}  {'goal':<12}"
    lines += [header, "-" * len(header)]

    def row(name: str, bare: float, neo: float, digits: int, goal: str) -> None:
        ratio = f"{neo / bare:.1f}x" if bare > 0 else "n/a"
        lines.append(f"{name:<44} {bare:>10.{digits}f} {neo:>11.{digits}f} {ratio:>7}  {goal:<12}")

    row("first frame with the cached price (s)", _median(results.first_bare),
        _median(results.first_neo), 2, f"<= {GOALS['first']}x")
    if results.screen_neo:
        row("  Textual's watch screen up (s)", _median(results.first_bare),
            _median(results.screen_neo), 2, "")
    if results.text_neo:
        row("  the price as text too (tables mounted) (s)", _median(results.first_bare),
            _median(results.text_neo), 2, "")
    tick = {kind: results.ticking.get(kind, []) for kind in ("bare", "neo6", "neo60")}

    def med(kind: str, attr: str) -> float:
        return _median([getattr(sample, attr) for sample in tick[kind]])

    row("bytes per 1 s demo tick, 6 symbols (median s)", med("bare", "bytes_per_s"),
        med("neo6", "bytes_per_s"), 0, f"<= {GOALS['bytes']:g} B")
    row("  mean bytes per second, 6 symbols", med("bare", "mean_bytes_per_s"),
        med("neo6", "mean_bytes_per_s"), 0, "")
    row("  median burst, 6 symbols (B)", med("bare", "burst"), med("neo6", "burst"), 0, "")
    row("  biggest burst when the primary moved (B)", med("bare", "burst"),
        med("neo6", "primary_burst"), 0, "")
    row("bytes per 1 s demo tick, 60 symbols", med("bare", "bytes_per_s"),
        med("neo60", "bytes_per_s"), 0, "")
    row("  mean bytes per second, 60 symbols", med("bare", "mean_bytes_per_s"),
        med("neo60", "mean_bytes_per_s"), 0, "")
    row("CPU-s/min at 1 Hz, 6 symbols", med("bare", "cpu_per_min"),
        med("neo6", "cpu_per_min"), 2, f"<= {GOALS['cpu']}")
    row("CPU-s/min at 1 Hz, 60 symbols", med("bare", "cpu_per_min"),
        med("neo60", "cpu_per_min"), 2, "")
    row(f"RSS after {s['cpu_seconds']:g} s ticking, 6 symbols (MiB)", med("bare", "rss_mib"),
        med("neo6", "rss_mib"), 1, "")
    if results.rss:
        row(f"RSS after {s['rss_minutes']:g} min, 6 symbols (MiB)", results.rss["bare"],
            results.rss["neo6"], 1, f"<= {GOALS['rss']:g} MiB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_pty",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="first-frame pairs (default 5)")
    parser.add_argument("--cpu-runs", type=int, default=3, help="ticking rounds (default 3)")
    parser.add_argument("--cpu-seconds", type=float, default=20.0,
                        help="seconds of ticking measured per program and round (default 20)")
    parser.add_argument("--rss-minutes", type=float, default=1.0,
                        help="minutes before the memory reading (default 1; 0 skips it)")
    parser.add_argument("--full", action="store_true",
                        help="the report's sizes: --cpu-seconds 60 --rss-minutes 10")
    args = parser.parse_args(argv)
    if args.full:
        args.cpu_seconds, args.rss_minutes = 60.0, 10.0
    with tempfile.TemporaryDirectory(prefix="nd-bench-pty-") as scratch:
        try:
            results = measure(max(1, args.runs), max(1, args.cpu_runs),
                              max(1.0, args.cpu_seconds), max(0.0, args.rss_minutes),
                              folder=Path(scratch),
                              progress=lambda text: print(f"... {text}", file=sys.stderr))
        except (PtyError, bench_startup.BenchmarkError, OSError) as exc:
            print(f"bench_pty: {exc}", file=sys.stderr)
            return 1
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
