"""How fast neodymium paints its first screen from a warm cache, and how much memory it holds.

Run from the repo root::

    python -m benchmarks.bench_startup              # or: --runs 3 --demo-seconds 5

Every measurement is taken in a fresh ``python`` subprocess, so import cost and resident memory
are what a user gets. The child's first line takes ``time.perf_counter()``; times "child clock"
are measured from there. Times "wall" are measured by the parent from just before it spawns the
child, so they include interpreter start-up (both ends use ``time.monotonic()``, one system-wide
clock on Linux).

Set-up (not timed): a temporary cache file filled through ``Cache`` with two years of daily bars
for every configured symbol, the last quote of each and 40 news items (deterministic values,
dated to end on the last weekday before today), and a TOML config that points every real
provider at ``http://127.0.0.1:9`` (loopback, nothing listens), so the only way to show a price
quickly is the cache. The child starts as the ``neodymium`` command does: garbage collection
held off (``startup_gc``), the arguments parsed (``cli.parse``), the config validated
(``cli.load``, the provider checks left for after the first frame; a memo of the warm-up run's
validation answers, as on a user's second start: see ``config/settings_memo.py``), then
``NeodymiumApp(settings, cache=Cache(path), config_check=…)``, run headless at 120x40.

"First painted frame with data" is the first compositor update Textual hands to its display
while the quote panel already holds the cached price (recorded by a thin ``_display`` override);
the auto-pilot then checks that the price is on the rendered screen.

Rows, each the median of N runs, against a baseline measured in the same run (a minimal Textual
app with one ``Static("hello")``, started the same way, to its first frame):

* imports; ``run_async`` to the first frame (the app's own mount and paint, imports excluded);
  first frame with the cached quote (child clock, and wall from spawn); peak RSS at that frame
  (``VmHWM``: ``ru_maxrss`` would include the parent's RSS, which Linux carries over the exec);
* the demo (offline provider, quotes every second, real clock, no cache) after
  ``--demo-seconds`` (default 10) of running: peak and current RSS, to show steady-state memory.

Below the table, where neodymium's time before its first frame goes, stage by stage: Textual,
pydantic with the config models, the other imports, the config's validation (with the
arguments' parse), the app object, ``run_async`` to the frame (the issue's first-frame goal
needs them all at about 1.3x the minimal app's imports and run together).

Timings are printed, never asserted. The whole run is bounded (about 80 s by default; runs stop
early once the time budget is spent).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import inspect
import itertools
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path, PurePath
from typing import Any
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Loopback, and nothing listens on the discard port: every real request fails at once.
UNREACHABLE = "http://127.0.0.1:9"
HTTP_PROVIDERS = {
    "quotes": ("tencent", "sina", "eastmoney", "yahoo"),
    "history": ("eastmoney", "tencent", "yahoo"),
    "news": ("eastmoney-announcements", "sina-roll"),
}
SIZE = (120, 40)
SEED = 600111
BAR_YEARS = 2
NEWS_COUNT = 40
#: Seconds a child may take to paint before it gives up (and the parent reports it).
FRAME_DEADLINE_S = 30.0
CHILD_TIMEOUT_S = 90.0
#: No new run starts once this many seconds have passed (keeps the whole run under 3 minutes).
BUDGET_S = 130.0
RESULT_MARK = "NDBENCH-RESULT "
MIB = 1024.0  # ru_maxrss and VmRSS are in KiB on Linux

#: The child: a timestamp first, before any import, then the measured start-up.
CHILD_SCRIPT = (
    "import time; T0 = time.perf_counter()\n"
    "import sys\n"
    "from benchmarks.bench_startup import child_main\n"
    "sys.exit(child_main(T0, sys.argv[1:]))\n"
)

NAMES = {
    "600111.SS": "北方稀土",
    "516780.SS": "稀土ETF",
    "159713.SZ": "稀土ETF易方达",
    "562800.SS": "稀有金属ETF",
    "512400.SS": "有色金属ETF",
    "REMX": "VanEck Rare Earth/Strategic Metals ETF",
}
ZONES = {"CN": ZoneInfo("Asia/Shanghai"), "US": ZoneInfo("America/New_York")}


class BenchmarkError(RuntimeError):
    """A child failed, timed out or answered nonsense."""


# -- set-up: the warm cache and the offline config ----------------------------------------------


@dataclass(frozen=True)
class CacheContent:
    """What the warm cache holds."""

    bars: dict[str, list[Any]]
    quotes: list[Any]
    news: list[Any]
    primary_last: float


def last_weekday_before(day: date) -> date:
    """The last weekday strictly before ``day``."""
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def make_cache_content(symbols: Sequence[str], end: date, years: int = BAR_YEARS,
                       news_count: int = NEWS_COUNT) -> CacheContent:
    """Deterministic bars (weekdays, ``years`` back to ``end``), last quotes and news."""
    from neodymium.providers.models import Bar, NewsItem, NewsKind, Quote
    from neodymium.providers.symbols import Market, parse_symbol

    rng = random.Random(SEED)
    days = [end - timedelta(days=n) for n in range(365 * years, -1, -1)]
    days = [day for day in days if day.weekday() < 5]
    bars: dict[str, list[Bar]] = {}
    quotes: list[Quote] = []
    for number, raw in enumerate(symbols):
        symbol = parse_symbol(raw)
        close = 20.0 + 7.0 * number
        rows = []
        for day in days:
            previous, close = close, round(max(1.0, close * (1 + rng.gauss(0.0004, 0.02))), 3)
            high = round(max(previous, close) * (1 + abs(rng.gauss(0, 0.006))), 3)
            low = round(min(previous, close) * (1 - abs(rng.gauss(0, 0.006))), 3)
            volume = float(rng.randrange(5_000_000, 90_000_000, 100))
            rows.append(Bar(symbol.key, day, previous, high, low, close, volume, volume * close))
        bars[symbol.key] = rows
        us = symbol.market is Market.US
        zone = ZONES["US" if us else "CN"]
        as_of = datetime(end.year, end.month, end.day, 16 if us else 15, tzinfo=zone)
        last, prev = rows[-1], rows[-2]
        quotes.append(Quote(
            symbol=symbol.key, as_of=as_of, source="yahoo" if us else "tencent",
            name=NAMES.get(symbol.key, symbol.key), last=last.close, prev_close=prev.close,
            open=last.open, high=last.high, low=last.low, volume=last.volume,
            amount=last.amount, pe_ttm=None if us else 38.5, currency="USD" if us else "CNY",
            high_52w=max(b.high or b.close for b in rows[-250:]),
            low_52w=min(b.low or b.close for b in rows[-250:]),
        ))
    first = parse_symbol(symbols[0]).key
    morning = datetime(end.year, end.month, end.day, 9, tzinfo=ZONES["CN"])
    news = [
        NewsItem(
            id=f"bench-{n}", title=f"稀土行业动态 第{n}期：价格与产量", source="sina-roll",
            published=morning - timedelta(hours=n), url=f"https://example.invalid/news/{n}",
            symbols=(first,), kind=NewsKind.ANNOUNCEMENT if n % 4 == 0 else NewsKind.NEWS,
        )
        for n in range(news_count)
    ]
    return CacheContent(bars, quotes, news, quotes[0].last)


def populate_cache(path: Path, content: CacheContent) -> None:
    """Write the content through the real ``Cache``, then close it."""
    from neodymium.providers.cache import Cache

    cache = Cache(path)
    for warning in cache.open():
        raise BenchmarkError(f"could not open the benchmark cache: {warning}")
    try:
        for symbol, bars in content.bars.items():
            cache.put_bars(symbol, "tencent", bars)
        for quote in content.quotes:
            cache.put_quote(quote)
        cache.put_news(content.news)
    finally:
        cache.close()


def _toml_list(names: Sequence[str]) -> str:
    return "[" + ", ".join(json.dumps(name) for name in names) + "]"


def offline_config_text(cache_path: Path, symbols: Sequence[str]) -> str:
    """A config with the real providers, every one of them pointed at the unreachable port."""
    primary, *compare = symbols
    lines = [
        "[watch]", f"primary = {json.dumps(primary)}", f"symbols = {_toml_list([primary])}",
        f"compare = {_toml_list(compare)}", "",
    ]
    for kind, names in HTTP_PROVIDERS.items():
        lines += [f"[{kind}]", f"providers = {_toml_list(names)}", ""]
    lines += ["[cache]", "enabled = true", f"path = {json.dumps(str(cache_path))}", ""]
    for name in dict.fromkeys(n for names in HTTP_PROVIDERS.values() for n in names):
        lines += [f"[providers.{name}]", f"base_url = {json.dumps(UNREACHABLE)}",
                  "timeout = 5.0", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class Fixture:
    """The files a neodymium child starts from."""

    config: Path
    cache: Path
    content: CacheContent


def prepare(folder: Path, symbols: Sequence[str] | None = None) -> Fixture:
    """Fill a cache and write the offline config in ``folder``."""
    from neodymium.config.settings import Settings

    wanted = list(symbols or Settings().watch.all_symbols_raw())
    content = make_cache_content(wanted, last_weekday_before(date.today()))
    cache_path = folder / "cache.sqlite3"
    populate_cache(cache_path, content)
    config = folder / "neodymium.toml"
    config.write_text(offline_config_text(cache_path, list(content.bars)), encoding="utf-8")
    return Fixture(config, cache_path, content)


# -- the child side -----------------------------------------------------------------------------


def _proc_status_kib(field: str) -> float | None:
    """A ``/proc/self/status`` memory field in KiB, or None where there is no /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return float(line.split()[1])
    except OSError:
        pass
    return None


def _rss_now_kib() -> float:
    """Current resident set size (VmRSS), in KiB; 0 where /proc is missing."""
    return _proc_status_kib("VmRSS") or 0.0


def _peak_rss_kib() -> float:
    """Peak resident set size of this program, in KiB.

    ``ru_maxrss`` alone is wrong for a child: Linux carries the parent's RSS at fork over the
    exec, so a child of a big parent reports the parent's size. ``VmHWM`` belongs to the new
    program only; ``ru_maxrss`` is the fallback where there is no /proc.
    """
    peak = _proc_status_kib("VmHWM")
    if peak is not None:
        return peak
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def frame_recorder(base: type, has_data: Callable[[Any], bool]) -> type:
    """A subclass of the app ``base`` that notes when it first paints, and first with data."""
    if not hasattr(base, "_display"):
        raise BenchmarkError("this Textual has no App._display; update the frame recorder")

    class Recorded(base):  # type: ignore[misc, valid-type]
        CSS_PATH = _css_paths_of(base)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.frames = 0
            self.first_frame_at: float | None = None
            self.data_frame_at: float | None = None
            self.data_frame_mono: float | None = None
            self.data_painted = asyncio.Event()

        def _display(self, screen: Any, renderable: Any) -> None:
            skipped = renderable is None or getattr(self, "_batch_count", 0)
            super()._display(screen, renderable)
            if skipped:
                return
            now = time.perf_counter()
            self.frames += 1
            if self.first_frame_at is None:
                self.first_frame_at = now
            if self.data_frame_at is None and has_data(self):
                self.data_frame_at, self.data_frame_mono = now, time.monotonic()
                self.data_painted.set()

    return Recorded


def _css_paths_of(base: type) -> list[Path] | None:
    """The base app's CSS files as absolute paths (Textual resolves them against the module
    that defines the class, which for the recorder would be this one)."""
    paths = getattr(base, "CSS_PATH", None)
    if paths is None:
        return None
    folder = Path(inspect.getfile(base)).parent
    listed = [paths] if isinstance(paths, str | PurePath) else list(paths)
    return [folder / path for path in listed]


def _screen_text(app: Any) -> str:
    svg = app.export_screenshot()
    return html.unescape(svg).replace("\xa0", " ")


async def _run_child_app(app: Any, expected: Callable[[Any], str], hold_s: float,
                         t0: float, imports_done: float) -> dict[str, Any]:
    """Run ``app`` headless until it paints with data (then ``hold_s`` more); report."""
    report: dict[str, Any] = {}

    async def auto_pilot(pilot: Any) -> None:
        try:
            await asyncio.wait_for(app.data_painted.wait(), FRAME_DEADLINE_S)
        except TimeoutError:
            report["error"] = f"no frame with data within {FRAME_DEADLINE_S:.0f} s"
        report["peak_rss_kib"] = _peak_rss_kib()
        report["rss_kib"] = _rss_now_kib()
        await pilot.pause()
        text = expected(app)
        report["shown"] = text
        report["verified"] = bool(text) and text in _screen_text(app)
        if hold_s > 0:
            frames_before = app.frames
            await pilot.pause(hold_s)
            report["held_frames"] = app.frames - frames_before
            report["peak_rss_kib"] = _peak_rss_kib()
            report["rss_kib"] = _rss_now_kib()
        app.exit()

    run_started = time.perf_counter()
    await app.run_async(headless=True, size=SIZE, auto_pilot=auto_pilot)
    report.update(
        imports_ms=(imports_done - t0) * 1e3,
        run_ms=None if app.data_frame_at is None else (app.data_frame_at - run_started) * 1e3,
        first_frame_ms=None if app.first_frame_at is None else (app.first_frame_at - t0) * 1e3,
        frame_ms=None if app.data_frame_at is None else (app.data_frame_at - t0) * 1e3,
        frame_mono=app.data_frame_mono, frames=app.frames,
    )
    return report


def _child_neodymium(t0: float, args: list[str]) -> dict[str, Any]:
    from neodymium.tui import startup_gc

    startup_gc.hold()  # as cli.main does; the app resumes collection after its first frame
    stamps = [("child start", t0)]  # each stage ends at its stamp and is named after it
    import textual.app  # noqa: F401  (what the minimal app imports too)

    stamps.append(("textual.app (and this script)", time.perf_counter()))
    import neodymium.config.loader  # noqa: F401  (pydantic with it)

    stamps.append(("pydantic and the config models", time.perf_counter()))
    from neodymium.providers.cache import Cache
    from neodymium.tui import cli
    from neodymium.tui.app import AppOptions, NeodymiumApp

    imports_done = time.perf_counter()
    stamps.append(("the other imports (the app, cache, view)", imports_done))
    config_path, expected_last = args[0], float(args[1])
    _, command = cli.parse(["--config", config_path])  # as cli.run parses the watcher's
    settings = cli.load(command, providers=False).settings
    stamps.append(("config validation", time.perf_counter()))  # and the arguments
    if settings.cache.path is None:
        raise BenchmarkError(f"{config_path} names no cache path")
    app_class = frame_recorder(NeodymiumApp, _shows_cached_price(expected_last))
    app = app_class(settings, options=AppOptions(), cache=Cache(Path(settings.cache.path)),
                    config_check=cli.provider_check(command))
    stamps.append(("the app object", time.perf_counter()))
    report = asyncio.run(_run_child_app(app, lambda a: a.view.quote.last if a.view else "",
                                        0.0, t0, imports_done))
    report["stages"] = [(name, (end - start) * 1e3)
                        for (_, start), (name, end) in itertools.pairwise(stamps)]
    return report


def _shows_cached_price(expected_last: float) -> Callable[[Any], bool]:
    """True once the quote panel holds the cached last price."""

    def shows(app: Any) -> bool:
        view = app.view
        if view is None or view.quote.last == "—" or view.quote.last_value != expected_last:
            return False
        panels = app.screen.query("#last-price")
        return bool(panels) and str(panels.first().value) == view.quote.last

    return shows


def _child_demo(t0: float, args: list[str]) -> dict[str, Any]:
    from neodymium.config.settings import Settings
    from neodymium.tui.app import AppOptions, NeodymiumApp

    imports_done = time.perf_counter()
    hold_s = float(args[0])
    settings = Settings.model_validate({"quotes": {"providers": ["demo"], "interval": 1.0}}).demo()
    app_class = frame_recorder(NeodymiumApp, lambda a: a.view is not None
                               and a.view.quote.last != "—")
    app = app_class(settings, options=AppOptions(demo=True, seed=7))
    return asyncio.run(_run_child_app(app, lambda a: a.view.quote.last if a.view else "",
                                      hold_s, t0, imports_done))


def _child_baseline(t0: float, args: list[str]) -> dict[str, Any]:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    imports_done = time.perf_counter()

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    app = frame_recorder(Hello, lambda a: True)()
    return asyncio.run(_run_child_app(app, lambda a: "hello", 0.0, t0, imports_done))


CHILDREN: dict[str, Callable[[float, list[str]], dict[str, Any]]] = {
    "neodymium": _child_neodymium,
    "baseline": _child_baseline,
    "demo": _child_demo,
}


def child_main(t0: float, argv: list[str]) -> int:
    """Entry point inside the child: run one kind, print one result line."""
    kind, args = argv[0], argv[1:]
    report = CHILDREN[kind](t0, args)
    report["kind"] = kind
    print(RESULT_MARK + json.dumps(report), flush=True)
    return 0 if "error" not in report else 1


# -- the parent side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One child's answer."""

    kind: str
    imports_ms: float
    run_ms: float
    frame_ms: float
    wall_ms: float
    peak_rss_mib: float
    rss_mib: float
    frames: int
    held_frames: int
    shown: str
    #: Where the time before ``run_async`` went, stage by stage (neodymium only).
    stages: tuple[tuple[str, float], ...] = ()


def parse_report(stdout: str, spawned_mono: float) -> Sample:
    """The child's result line as a Sample (wall time against the parent's spawn stamp)."""
    lines = [line for line in stdout.splitlines() if line.startswith(RESULT_MARK)]
    if not lines:
        raise BenchmarkError("the child printed no result line")
    report = json.loads(lines[-1][len(RESULT_MARK):])
    if report.get("error") or report.get("frame_ms") is None:
        raise BenchmarkError(f"{report.get('kind')}: {report.get('error', 'no frame')}")
    if not report.get("verified"):
        raise BenchmarkError(f"{report['kind']}: {report.get('shown')!r} is not on the screen")
    return Sample(
        kind=report["kind"], imports_ms=report["imports_ms"], run_ms=report["run_ms"],
        frame_ms=report["frame_ms"],
        wall_ms=(report["frame_mono"] - spawned_mono) * 1e3,
        peak_rss_mib=report["peak_rss_kib"] / MIB, rss_mib=report["rss_kib"] / MIB,
        frames=report["frames"], held_frames=report.get("held_frames", 0),
        shown=report["shown"],
        stages=tuple((name, ms) for name, ms in report.get("stages", ())),
    )


def with_bytecode(env: dict[str, str], folder: Path) -> dict[str, str]:
    """``env`` with compiled bytecode kept under ``folder``, so the warm-up run compiles each
    module once and the timed runs load it, as from an installed package. Without this a
    caller's ``PYTHONDONTWRITEBYTECODE`` made every timed run compile neodymium's sources
    (about 0.1 s) while the baseline loaded Textual's installed bytecode."""
    kept = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**kept, "PYTHONPYCACHEPREFIX": str(folder / "pycache")}


def run_child(kind: str, *args: str, bytecode: Path | None = None) -> Sample:
    """Start one fresh interpreter for ``kind`` and wait for its result (bytecode and the
    user cache folder kept under ``bytecode`` when given: see with_bytecode; the warm-up run
    leaves the validated config's memo there, as a user's earlier start does)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    if bytecode is not None:
        env = {**with_bytecode(env, bytecode), "XDG_CACHE_HOME": str(bytecode / "xdg-cache")}
    spawned = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD_SCRIPT, kind, *args], cwd=REPO_ROOT, env=env,
            capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkError(f"{kind}: no answer within {CHILD_TIMEOUT_S:.0f} s") from exc
    try:
        return parse_report(done.stdout, spawned)
    except (BenchmarkError, ValueError, KeyError) as exc:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise BenchmarkError(f"{kind} (exit {done.returncode}): {exc}\n{tail}") from exc


@dataclass
class Row:
    """One line of the table: a measured value against its baseline, in one unit."""

    task: str
    values: list[float]
    baseline: str
    baseline_values: list[float]
    unit: str


@dataclass
class Measured:
    """Everything one run of the benchmark produced."""

    neodymium: list[Sample]
    baseline: list[Sample]
    demo: list[Sample]
    demo_seconds: float
    fixture: Fixture


def measure(runs: int, demo_seconds: float, *, warm_up: bool = True,
            budget_s: float = BUDGET_S, folder: Path | None = None) -> Measured:
    """Interleave neodymium, baseline and demo children ``runs`` times (within the budget)."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="nd-bench-startup-") as scratch:
        fixture = prepare(folder or Path(scratch))
        expected = repr(fixture.content.primary_last)
        pyc = Path(scratch)
        if warm_up:  # compiles .pyc files, fills the page cache and the config memo
            run_child("neodymium", str(fixture.config), expected, bytecode=pyc)
            run_child("baseline", bytecode=pyc)
        neodymium, baseline, demo = [], [], []
        for _ in range(runs):
            neodymium.append(run_child("neodymium", str(fixture.config), expected, bytecode=pyc))
            baseline.append(run_child("baseline", bytecode=pyc))
            demo.append(run_child("demo", str(demo_seconds), bytecode=pyc))
            if time.monotonic() - started > budget_s:
                break
    return Measured(neodymium, baseline, demo, demo_seconds, fixture)


def rows_of(measured: Measured) -> list[Row]:
    """The table rows, each against the minimal app measured in the same run."""
    neo, base, demo = measured.neodymium, measured.baseline, measured.demo
    held = f"{measured.demo_seconds:g} s"
    return [
        Row("imports: config, providers, tui.app", [s.imports_ms for s in neo],
            "textual.app + Static", [s.imports_ms for s in base], "ms"),
        Row("run_async to first frame with cached quote", [s.run_ms for s in neo],
            "minimal app, run_async to frame", [s.run_ms for s in base], "ms"),
        Row("first frame with cached quote (child clock)", [s.frame_ms for s in neo],
            "minimal app first frame", [s.frame_ms for s in base], "ms"),
        Row("first frame with cached quote (wall, spawn)", [s.wall_ms for s in neo],
            "minimal app, wall from spawn", [s.wall_ms for s in base], "ms"),
        Row("peak RSS at that first frame", [s.peak_rss_mib for s in neo],
            "minimal app peak RSS", [s.peak_rss_mib for s in base], "MiB"),
        Row(f"demo after {held}: peak RSS", [s.peak_rss_mib for s in demo],
            "minimal app peak RSS", [s.peak_rss_mib for s in base], "MiB"),
        Row(f"demo after {held}: current RSS", [s.rss_mib for s in demo],
            "minimal app current RSS", [s.rss_mib for s in base], "MiB"),
    ]


def format_table(measured: Measured) -> str:
    """The printed report: context lines, then benchmark | median | baseline | ratio."""
    content = measured.fixture.content
    bar_count = sum(len(bars) for bars in content.bars.values())
    runs = len(measured.neodymium)
    frames = statistics.median(s.held_frames for s in measured.demo) if measured.demo else 0
    lines = [
        f"neodymium start-up/memory benchmark: median of {runs} fresh processes, headless "
        f"{SIZE[0]}x{SIZE[1]}",
        f"warm cache: {len(content.bars)} symbols, {bar_count} daily bars, "
        f"{len(content.quotes)} quotes, {len(content.news)} news; providers at {UNREACHABLE}; "
        f"cached price shown: {measured.neodymium[0].shown if runs else '-'}",
        f"demo: quotes every 1 s for {measured.demo_seconds:g} s, median {frames:g} frames "
        f"painted in that time",
        f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cpus",
        "",
    ]
    header = (f"{'benchmark':<46} {'median':>10}   {'baseline':<30} {'median':>10} "
              f"{'ratio':>6}")
    lines += [header, "-" * len(header)]
    for row in rows_of(measured):
        median = statistics.median(row.values)
        base = statistics.median(row.baseline_values)
        ratio = f"{median / base:.1f}x" if base > 0 else "n/a"
        digits = 0 if row.unit == "ms" else 1
        lines.append(
            f"{row.task:<46} {median:>7.{digits}f} {row.unit:<3}"
            f"  {row.baseline:<30} {base:>7.{digits}f} {row.unit:<3} {ratio:>5}"
        )
    lines += stages_lines(measured)
    return "\n".join(lines)


def stages_lines(measured: Measured) -> list[str]:
    """Where neodymium's time to its first frame goes, as medians (those of the stages need
    not add up to the median total), beside the minimal app's imports and run."""
    samples = [sample.stages for sample in measured.neodymium if sample.stages]
    if not samples:
        return []
    parts = [f"{name} {statistics.median(dict(stages)[name] for stages in samples):.0f} ms"
             for name, _ in samples[0]]
    parts.append("run_async to the frame "
                 f"{statistics.median(s.run_ms for s in measured.neodymium):.0f} ms")
    base = measured.baseline
    minimal = (f"textual.app + Static {statistics.median(s.imports_ms for s in base):.0f} ms, "
               f"run_async {statistics.median(s.run_ms for s in base):.0f} ms") if base else "-"
    return ["", "neodymium before its first frame (child clock, medians): " + " · ".join(parts),
            f"the minimal app: {minimal}"]


def main(argv: list[str] | None = None) -> int:
    """Prepare the cache, measure in subprocesses, print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_startup",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per row (default 5)")
    parser.add_argument("--demo-seconds", type=float, default=10.0,
                        help="how long the demo runs before its memory is read (default 10)")
    args = parser.parse_args(argv)
    runs = max(1, min(args.runs, 9))
    demo_seconds = max(1.0, min(args.demo_seconds, 30.0))
    try:
        measured = measure(runs, demo_seconds)
    except BenchmarkError as exc:
        print(f"bench_startup: {exc}", file=sys.stderr)
        return 1
    print(format_table(measured))
    return 0


if __name__ == "__main__":
    sys.exit(main())
