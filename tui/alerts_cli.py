"""``neodymium alerts run|list|cancel|rearm``: alert rules headless, for servers and cron.

``run`` polls quotes on the feed's own session clock (the configured interval while a market
trades, the slow cadence otherwise), evaluates the rules on every snapshot and once a second
(so ``stale`` rules notice silence), prints each fired event and runs the hooks. ``--once``
fetches once and exits. No Textual is imported here.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from neodymium.config.settings import Settings
from neodymium.providers import notify
from neodymium.providers.alerts import AlertEngine, AlertEvent
from neodymium.providers.cache import Cache
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.feed import Feed
from neodymium.providers.models import DataKind
from neodymium.providers.runtime import Runtime
from neodymium.tui.alert_status import rule_status

#: Seconds between evaluations in ``run`` without ``--once`` (polls follow the feed's cadence).
TICK_S = 1.0


def make_engine(settings: Settings, cache: Cache | None,
                simulated: Callable[[], bool] = lambda: False) -> AlertEngine:
    """The engine for the configured rules, its state in the cache when there is one."""
    if cache is not None:
        for warning in cache.open():
            print(f"neodymium: warning: {warning}", file=sys.stderr)
    return AlertEngine(settings.alerts, stale_after=settings.stale_after(), store=cache,
                       simulated=simulated)


def event_line(event: AlertEvent, as_json: bool) -> str:
    """One printed line per event."""
    if as_json:
        return event.to_json()
    return f"{event.fired_at.astimezone():%Y-%m-%d %H:%M:%S} ALERT {event.title} · {event.body}"


async def emit(events: list[AlertEvent], settings: Settings, *, as_json: bool,
               out: TextIO, terminal: TextIO | None) -> None:
    """Print, ring/notify the terminal (when there is one), run hooks; report hook problems."""
    for event in events:
        print(event_line(event, as_json), file=out, flush=True)
        if terminal is not None:
            terminal.write(notify.terminal_bytes(
                event.title, event.body, bell=settings.notify.bell, osc=settings.notify.osc,
                tmux=notify.in_tmux()))
            terminal.flush()
    for problems in await asyncio.gather(*(notify.dispatch(e, settings.notify) for e in events)):
        for problem in problems:
            print(f"neodymium: {problem}", file=sys.stderr)


async def run_alerts(settings: Settings, *, once: bool, as_json: bool, timeout: float,
                     seed: int | None = None, cache: Cache | None = None,
                     clock: Clock = system_clock, out: TextIO | None = None,
                     terminal: TextIO | None = None) -> int:
    """Evaluate the rules headless; 0 normally, 1 when ``--once`` got no quote at all."""
    out = out or sys.stdout
    if not settings.alerts:
        print("neodymium: no [[alerts]] in the config; nothing to watch", file=sys.stderr)
        return 1
    if terminal is None and sys.stderr.isatty():
        terminal = sys.stderr
    runtime = Runtime(settings, clock=clock, seed=seed, cache=cache, kinds={DataKind.QUOTES})
    engine = make_engine(settings, cache, lambda: runtime.simulated)
    async with runtime:
        if once:
            snapshot = await runtime.poll_once(timeout)
            await emit(engine.evaluate(snapshot, clock()), settings, as_json=as_json,
                       out=out, terminal=terminal)
            return 0 if snapshot.quotes else 1
        await _watch(runtime.feed, engine, settings, clock, as_json=as_json, out=out,
                     terminal=terminal)
    return 0


async def _watch(feed: Feed, engine: AlertEngine, settings: Settings, clock: Clock, *,
                 as_json: bool, out: TextIO, terminal: TextIO | None) -> None:
    """Poll on the feed's cadence and evaluate every tick until interrupted."""
    feed.warm_from_cache()
    while True:
        try:
            await feed.poll_quotes()
        except Exception as exc:  # a poll failure must not stop a long-running watcher
            print(f"neodymium: poll failed: {exc}", file=sys.stderr)
        snapshot = feed.latest or feed.publish()
        await emit(engine.evaluate(snapshot, clock()), settings, as_json=as_json, out=out,
                   terminal=terminal)
        await asyncio.sleep(TICK_S)


def list_rules(settings: Settings, engine: AlertEngine, now: datetime, *,
               as_json: bool, out: TextIO | None = None) -> int:
    """``alerts list``: every rule with its number, state and last firing."""
    out = out or sys.stdout
    rows = []
    for number, rule in enumerate(settings.alerts, start=1):
        state = engine.states[rule.rule_id]
        rows.append({
            "number": number, "symbol": rule.symbol, "when": rule.when, "repeat": rule.repeat,
            "note": rule.note, "status": rule_status(state, rule, now), "fired": state.fire_count,
            "last_fired": state.fired_at.isoformat() if state.fired_at else None,
            "holds": state.truth,
        })
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=out)
        return 0
    if not rows:
        print("no [[alerts]] configured", file=out)
    for row in rows:
        fired = (f"fired {row['fired']}× · last {row['last_fired']}" if row["fired"]
                 else "never fired")
        print(f"{row['number']:>3}  {row['symbol']:<10} {row['when']:<22} {row['repeat']:<10} "
              f"{row['status']:<22} {fired}", file=out)
    return 0


def change_rule(settings: Settings, engine: AlertEngine, action: str, number: int) -> int:
    """``alerts cancel N`` / ``alerts rearm N``; exit 2 for a number that is not a rule."""
    if not 1 <= number <= len(settings.alerts):
        print(f"neodymium: no alert number {number}; `neodymium alerts list` numbers them",
              file=sys.stderr)
        return 2
    rule = settings.alerts[number - 1]
    (engine.cancel if action == "cancel" else engine.rearm)(rule.rule_id)
    done = {"cancel": "cancelled", "rearm": "re-armed"}[action]
    print(f"{done} alert {number}: {rule.symbol} {rule.when} ({rule.repeat})")
    return 0

