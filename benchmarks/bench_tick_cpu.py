"""CPU per demo tick, in process, against a bare Textual app in the same run.

Run from the repo root::

    python -m benchmarks.bench_tick_cpu                 # 3 rounds x 60 ticks
    python -m benchmarks.bench_tick_cpu --ticks 200 --profile 6   # and where the time goes

Each program runs headless at 160x48 on a frozen clock (the seeded demo, as the pty benchmark's
``neodymium --demo``) and is driven one simulated second at a time, as the real app is: the
clock moves a second, the feed polls the demo (``Feed.poll_quotes``) and the app takes the
snapshot, then the app's one-second timer runs (``_each_second``), as they follow each other
on the whole second. Every frame is rendered to the bytes the
Linux driver would write (``RepaintCounter``), so the terminal output's cost is counted too.
CPU is ``time.process_time()`` over ``--ticks`` ticks after a warm-up, in milliseconds per
tick; the bare app updates one Label with a clock each tick. Rounds rotate the programs'
order; the median round is printed. ``CPU-s/min`` is ms per tick x 60 / 1000: what the same
work costs at 1 Hz, without Python start-up or idle wake-ups (bench_pty measures those).
``floor ms`` is each tick's least CPU over the rounds, averaged: every round does the same work
tick by tick, so the least is that work with most of a shared machine's noise taken out (the
figure to compare before and after a change).

``idle6`` is the 6-symbol app driven the same way with nothing to do (the clock moves, no poll,
no clock tick): the harness's own cost, mostly ``pilot.pause`` visiting every widget twice a
tick, which grows with the widget count and which the real app does not pay. ``neo6`` minus
``idle6`` is the app's own work per tick, the figure a change to the app moves.

Times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.providers.demo.universe import a_share_watchlist
from textual.app import App, ComposeResult
from textual.widgets import Label

from benchmarks.repaint_bytes import RepaintCounter

#: A Friday morning in Shanghai: every simulated symbol trades.
FROZEN = datetime(2026, 1, 23, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
SIZE = (160, 48)
PRIMARY = "600111.SS"
SEED = 7
WARM_TICKS = 5
PROGRAMS = ("bare", "idle6", "neo6", "neo60")


@dataclass
class Round:
    """One program's ticks: CPU milliseconds per tick and bytes per tick, and each tick's CPU
    milliseconds in order."""

    program: str
    ms_per_tick: float
    bytes_per_tick: float
    ticks: list[float]


def floor_ms(rounds: list[Round]) -> float:
    """Each tick's least CPU over the rounds, averaged: the ticks do the same work in every
    round (frozen clock, seeded demo), so the least is the work without the machine's noise."""
    return statistics.fmean(min(column) for column in zip(*(r.ticks for r in rounds),
                                                          strict=True))


def watching(count: int) -> Settings:
    """The demo polling every second with ``count`` symbols in the watchlist and comparison
    (the defaults first, then A-shares of the demo's universe, as bench_pty does)."""
    compare = a_share_watchlist([PRIMARY, *Settings().watch.compare], count)[1:]
    return Settings.model_validate({
        "quotes": {"providers": ["demo"], "interval": 1.0},
        "watch": {"primary": PRIMARY, "symbols": [PRIMARY, *compare], "compare": compare},
    }).demo()


class Bare(App[None]):
    """One Label showing a clock, as bench_pty's bare app."""

    def __init__(self, clock: FrozenClock) -> None:
        super().__init__()
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Label("600111.SS", id="label")

    def tick(self) -> None:
        self.query_one(Label).update(f"600111.SS {self.clock():%H:%M:%S}")


Step = Callable[[], Awaitable[None]]


async def _drive(app: App[None], step: Step, ticks: int,
                 profiler: cProfile.Profile | None) -> tuple[float, float, list[float]]:
    """Run ``step`` ``ticks`` times after a warm-up: CPU ms and bytes per tick, and each
    tick's CPU ms."""
    for _ in range(WARM_TICKS):
        await step()
    counter = RepaintCounter(app)
    if profiler is not None:
        profiler.enable()
    each = []
    cpu = time.process_time()
    for _ in range(ticks):
        start = time.process_time()
        await step()
        each.append((time.process_time() - start) * 1000)
    cpu = time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
    counter.close()
    return cpu * 1000 / ticks, counter.total / ticks, each


async def run_bare(ticks: int, profiler: cProfile.Profile | None = None) -> Round:
    """The bare app, ticking."""
    clock = FrozenClock(FROZEN)
    app = Bare(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        async def step() -> None:
            clock.advance(1)
            app.tick()
            await pilot.pause()

        ms, sent, each = await _drive(app, step, ticks, profiler)
    return Round("bare", ms, sent, each)


async def run_neodymium(count: int, ticks: int,
                        profiler: cProfile.Profile | None = None, idle: bool = False) -> Round:
    """The seeded demo with ``count`` symbols, ticking (``idle``: the clock moves, nothing
    polls or ticks: the harness's own cost)."""
    from neodymium.tui.app import AppOptions, NeodymiumApp

    clock = FrozenClock(FROZEN)
    app = NeodymiumApp(watching(count), options=AppOptions(demo=True, seed=SEED), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.data_ready.wait()
        assert app.feed is not None and app.feed.scheduler is not None
        app.feed.scheduler.pause()  # the bench moves time, not the scheduler
        await app.feed.refresh_now()
        feed = app.feed

        async def step() -> None:
            clock.advance(1)
            if not idle:
                await feed.poll_quotes()  # the demo polls on the whole second,
            await pilot.pause()
            if not idle:
                app._each_second()  # and the clock ticks just after it
            await pilot.pause()

        ms, sent, each = await _drive(app, step, ticks, profiler)
    return Round(f"{'idle' if idle else 'neo'}{count}", ms, sent, each)


def run(program: str, ticks: int, profiler: cProfile.Profile | None = None) -> Round:
    """One round of ``program`` (bare, idle6, neo6 or neo60)."""
    if program == "bare":
        return asyncio.run(run_bare(ticks, profiler))
    if program.startswith("idle"):
        return asyncio.run(run_neodymium(int(program.removeprefix("idle")), ticks, profiler,
                                         idle=True))
    return asyncio.run(run_neodymium(int(program.removeprefix("neo")), ticks, profiler))


def measure(rounds: int, ticks: int) -> dict[str, list[Round]]:
    """``rounds`` rounds of every program, their order rotating."""
    results: dict[str, list[Round]] = {program: [] for program in PROGRAMS}
    for number in range(rounds):
        turn = number % len(PROGRAMS)
        order = PROGRAMS[turn:] + PROGRAMS[:turn]
        for program in order:
            results[program].append(run(program, ticks))
    return results


def table(results: dict[str, list[Round]], ticks: int) -> str:
    """The medians, with the ratio to the bare app."""
    rounds = len(results["bare"])
    lines = [f"neodymium CPU per demo tick, in process: headless {SIZE[0]}x{SIZE[1]}, frozen "
             f"clock, seed {SEED}; median of {rounds} round(s) x {ticks} ticks",
             "",
             f"{'program':<22}{'ms/tick':>9}{'CPU-s/min':>11}{'x bare':>8}{'bytes/tick':>12}"
             f"{'floor ms':>10}"]
    bare = statistics.median(r.ms_per_tick for r in results["bare"])
    names = {"bare": "bare app (one Label)", "idle6": "idle harness, 6 symb.",
             "neo6": "neodymium, 6 symbols", "neo60": "neodymium, 60 symbols"}
    for program, name in names.items():
        if not results.get(program):
            continue
        ms = statistics.median(r.ms_per_tick for r in results[program])
        sent = statistics.median(r.bytes_per_tick for r in results[program])
        lines.append(f"{name:<22}{ms:>9.2f}{ms * 60 / 1000:>11.3f}"
                     f"{ms / bare if bare else 0:>8.1f}{sent:>12.0f}"
                     f"{floor_ms(results[program]):>10.2f}")
    if results.get("idle6") and results.get("neo6"):
        idle = statistics.median(r.ms_per_tick for r in results["idle6"])
        work = statistics.median(r.ms_per_tick for r in results["neo6"]) - idle
        floor = floor_ms(results["neo6"]) - floor_ms(results["idle6"])
        lines += ["", f"the app's own work, 6 symbols (neo6 - idle6): {work:.2f} ms/tick "
                  f"(floors: {floor:.2f})"]
    return "\n".join(lines)


def profile(program: str, ticks: int, top: int = 35) -> str:
    """Where ``program``'s ticks spend their time (cProfile, cumulative)."""
    profiler = cProfile.Profile()
    run(program, ticks, profiler)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Print the table (and, with --profile, one program's profile)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_tick_cpu",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--ticks", type=int, default=60, help="ticks per round (default 60)")
    parser.add_argument("--profile", choices=("6", "60"), default=None,
                        help="also print a cProfile of neodymium with 6 or 60 symbols")
    args = parser.parse_args(argv)
    ticks = max(1, args.ticks)
    print(table(measure(max(1, args.runs), ticks), ticks))
    if args.profile:
        print()
        print(profile(f"neo{args.profile}", ticks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
