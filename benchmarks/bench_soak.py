"""Soak: the real feed against the fake upstream while random faults come and go.

``python -m benchmarks.bench_soak [--seconds 180] [--interval 0.5] [--seed 1]``

The feed polls quotes (Tencent → Sina → Yahoo) and news on its own apscheduler jobs, on the real
clock, every ``--interval`` seconds. A fault toggler switches random faults (5xx, 429, resets,
garbage, 404, trickling and endless bodies, gzip bombs, redirect loops) on a random set of quote
routes (the first choice alone, the first two, all three, or only a fallback) for a random
outage, then off again. Reported:

- RSS over time (this process: feed, client and the in-process fake upstream together; the
  fake keeps only its newest ``KEPT_REQUESTS`` requests, so its log does not grow with the run);
- per outage, requests per minute the faulty route received while it was down (backoff at
  work) next to the healthy rate, and the time from the fault's end to the provider's first
  success, next to the probe interval in effect when the fault ended.

Numbers are printed, never asserted. ``tests/test_benchmarks_smoke.py`` runs a few seconds of
it so a broken benchmark fails CI.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from neodymium.config.settings import Settings
from neodymium.providers.clock import Clock
from neodymium.providers.feed import Feed
from neodymium.providers.runtime import Runtime
from neodymium.providers.store import Snapshot

from benchmarks.bench_startup import _rss_now_kib
from tests.fakeupstream import FakeUpstream, Fault

#: The recorded trading day of the fake upstream's quotes, early in its morning session. The
#: feed runs on a clock that starts here and moves in real time: on today's date it would see
#: quotes from another day half an hour after the open and (rightly) call today a holiday.
SESSION_START = datetime(2026, 8, 21, 9, 35, tzinfo=ZoneInfo("Asia/Shanghai"))
#: Provider → the fake upstream route its quotes come from.
ROUTES = {"tencent": "tencent-quote", "sina": "sina-quote", "yahoo": "yahoo-chart"}
#: Who goes down together: the first choice alone (the next one takes over), the first two
#: (the third serves what it can), everything, or only a fallback (probed in the background).
SCENARIOS = (("tencent",), ("tencent",), ("tencent", "sina"), ("tencent", "sina", "yahoo"),
             ("sina",))
#: Requests the fake upstream keeps (it counts them all): the soak reads counts, not requests.
KEPT_REQUESTS = 500
#: Longest wait for the providers of one outage to recover before the next outage starts.
RECOVERY_WAIT_S = 150.0
FAULTS = (
    Fault("status", status=503), Fault("status", status=429, retry_after="3"),
    Fault("status", status=404),
    Fault("reset"), Fault("garbage"), Fault("trickle", delay=0.2), Fault("endless"),
    Fault("gzip-bomb"), Fault("redirect"),
)


@dataclass
class Outage:
    """One fault switched on for a while, and what followed."""

    provider: str
    fault: str
    started: float
    ended: float = 0.0
    requests: int = 0
    probe_interval_s: float | None = None
    recovered_s: float | None = None

    @property
    def per_minute(self) -> float:
        return 60.0 * self.requests / max(self.ended - self.started, 1e-9)


@dataclass
class Soak:
    """Everything measured in one run."""

    seconds: float
    interval: float
    rss: list[tuple[float, float]] = field(default_factory=list)
    outages: list[Outage] = field(default_factory=list)
    healthy_per_minute: dict[str, float] = field(default_factory=dict)
    polls: int = 0


def settings_for(upstream: FakeUpstream, interval: float) -> Settings:
    """Quotes from three providers and news from one, all on the fake upstream."""
    names = (*ROUTES, "sina-roll")
    return Settings.model_validate({
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS"],
                  "compare": ["159713.SZ", "REMX"]},
        "quotes": {"providers": list(ROUTES), "interval": interval},
        "history": {"providers": ["tencent"]},
        "news": {"providers": ["sina-roll"], "interval": max(interval, 1.0)},
        "providers": {name: {"base_url": upstream.base_url, "timeout": 1.0, "min_interval": 0}
                      for name in names},
    })


def _label(fault: Fault) -> str:
    if fault.kind == "status":
        extra = f" RA={fault.retry_after}" if fault.retry_after else ""
        return f"HTTP {fault.status}{extra}"
    return fault.kind


async def _toggle_faults(upstream: FakeUpstream, soak: Soak, rng: random.Random,
                         stop_at: float, outage_s: tuple[float, float]) -> None:
    """Take a random set of providers down (each with its own random fault) for a random
    while, then bring them back, until ``stop_at``."""
    while time.monotonic() < stop_at:
        await asyncio.sleep(rng.uniform(soak.interval, 4 * soak.interval))
        down = rng.choice(SCENARIOS)
        length = min(rng.uniform(*outage_s), max(0.0, stop_at - time.monotonic()))
        outages = []
        for provider in down:
            fault = rng.choice(FAULTS)
            route = ROUTES[provider]
            outages.append((route, upstream.count(route),
                            Outage(provider, _label(fault), time.monotonic())))
            upstream.set_fault(route, Fault(fault.kind, status=fault.status, delay=fault.delay,
                                            retry_after=fault.retry_after))
        await asyncio.sleep(length)
        for route, before, outage in outages:
            upstream.clear_fault(route)
            outage.ended = time.monotonic()
            outage.requests = upstream.count(route) - before
            soak.outages.append(outage)
        # Let every provider that was hit come back before the next outage, so a recovery
        # time is never the next outage's length (bounded: a 404 may pause one for minutes).
        hit = [outage for _, _, outage in outages if outage.requests]
        settle_until = min(stop_at, time.monotonic() + RECOVERY_WAIT_S)
        while time.monotonic() < settle_until and any(o.recovered_s is None for o in hit):
            await asyncio.sleep(soak.interval)


def session_clock() -> Clock:
    """SESSION_START, advancing with the real (monotonic) time from now on."""
    started = time.monotonic()
    return lambda: SESSION_START + timedelta(seconds=time.monotonic() - started)


def _watch_recovery(soak: Soak, feed: Feed) -> None:
    """On every snapshot: note each outage's first success after it ended."""

    def seen(snapshot: Snapshot) -> None:
        soak.polls += 1
        now_wall = feed.clock()
        now = time.monotonic()
        for outage in soak.outages:
            health = snapshot.health.get(outage.provider)
            if outage.recovered_s is not None or health is None:
                continue
            if outage.probe_interval_s is None:
                until = health.backoff_until
                outage.probe_interval_s = max(0.0, (until - now_wall).total_seconds()) \
                    if until is not None else 0.0
            success = health.last_success
            if success is not None and health.state == "ok" and \
                    (now_wall - success).total_seconds() < now - outage.ended:
                outage.recovered_s = max(0.0, (success - now_wall).total_seconds()
                                         + now - outage.ended)

    feed.subscribe(seen)


async def soak(seconds: float, interval: float, seed: int,
               outage_s: tuple[float, float] = (3.0, 20.0)) -> Soak:
    """Run the feed for ``seconds`` under random faults and return what was measured."""
    result = Soak(seconds=seconds, interval=interval)
    rng = random.Random(seed)
    with FakeUpstream(keep_requests=KEPT_REQUESTS) as upstream:
        settings = settings_for(upstream, interval)
        runtime = Runtime(settings, clock=session_clock())  # the app's client, providers, feed
        await runtime.open()
        feed = runtime.feed
        feed.rng.seed(seed)  # the backoff's jitter too: one seed, one run
        _watch_recovery(result, feed)
        started = time.monotonic()
        await runtime.start()
        healthy_for = min(seconds / 6, 10.0)
        counts = {p: upstream.count(r) for p, r in ROUTES.items()}
        await asyncio.sleep(healthy_for)
        result.healthy_per_minute = {
            p: 60.0 * (upstream.count(r) - counts[p]) / healthy_for for p, r in ROUTES.items()
        }
        stop_at = started + seconds
        toggler = asyncio.create_task(_toggle_faults(upstream, result, rng, stop_at, outage_s))
        while time.monotonic() < stop_at:
            result.rss.append((time.monotonic() - started, _rss_now_kib() / 1024.0))
            await asyncio.sleep(min(5.0, max(seconds / 12, 0.5)))
        await toggler
        upstream.clear_fault()
        await asyncio.sleep(min(10.0, seconds / 6))  # the last outage's recovery
        result.rss.append((time.monotonic() - started, _rss_now_kib() / 1024.0))
        await runtime.close()
    return result


def print_report(result: Soak) -> None:
    """The RSS and outage tables, in Markdown."""
    print(f"## soak: {result.seconds:g} s, quotes every {result.interval:g} s, "
          f"{len(result.outages)} outages, {result.polls} snapshots")
    print()
    print("| t (s) | RSS (MiB) |")
    print("| ---: | ---: |")
    for at, mib in result.rss:
        print(f"| {at:.0f} | {mib:.1f} |")
    print()
    healthy = ", ".join(f"{p} {n:.0f}" for p, n in result.healthy_per_minute.items())
    print(f"healthy requests/min per route: {healthy}")
    print()
    print("| provider | fault | outage (s) | req/min during | probe interval at end (s) "
          "| recovered after (s) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for outage in result.outages:
        interval = "—" if outage.probe_interval_s is None else f"{outage.probe_interval_s:.1f}"
        if outage.requests == 0:
            recovered = "not hit"  # nobody asked the route while it was down
        elif outage.recovered_s is None:
            recovered = "not yet"
        else:
            recovered = f"{outage.recovered_s:.1f}"
        print(f"| {outage.provider} | {outage.fault} | {outage.ended - outage.started:.1f} "
              f"| {outage.per_minute:.1f} | {interval} | {recovered} |")
    rss = [mib for _, mib in result.rss]
    if rss:
        print()
        print(f"RSS min {min(rss):.1f} MiB, max {max(rss):.1f} MiB, "
              f"last {rss[-1]:.1f} MiB")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, soak, print."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_soak",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180.0,
                        help="how long to soak (default 180; CI smoke uses a few)")
    parser.add_argument("--interval", type=float, default=0.5,
                        help="quote polling interval in seconds (default 0.5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for noisy in ("neodymium", "apscheduler"):  # every failure is expected here
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    outage = (max(args.interval * 4, 2.0), max(args.seconds / 8, 3.0))
    print_report(asyncio.run(soak(args.seconds, args.interval, args.seed, outage)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
