"""The clock's second makes again only what time moves, and that equals a full rebuild.

``with_clock`` keeps the view built from a snapshot and replaces its clock, session, relay
note, the primary's freshness and the honest-state countdowns; each test checks the result
against ``build_screen`` from scratch at the later time, label for label.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from neodymium.providers.relay.status import LinkState, RelayStatus
from neodymium.providers.store import Snapshot
from neodymium.tui.app import NeodymiumApp
from neodymium.tui.view import ScreenView, build_screen, with_clock

from tests.tui.conftest import FROZEN
from tests.tui.test_repaint_bytes import _settled

#: Later times: the next second, a minute on, the lunch break, after the close, the next day.
LATER = (timedelta(seconds=1), timedelta(minutes=1), timedelta(hours=1, minutes=30),
         timedelta(hours=5), timedelta(days=1, hours=1))


def _same(ticked: ScreenView, rebuilt: ScreenView) -> None:
    """Equal views, and the freshness texts the equality leaves out equal too."""
    assert ticked == rebuilt
    for part in ("header", "quote"):
        mine, theirs = getattr(ticked, part).freshness, getattr(rebuilt, part).freshness
        assert (mine.label, mine.age_s, mine.stamp) == (theirs.label, theirs.age_s, theirs.stamp)


async def _demo_snapshot(demo_app: NeodymiumApp) -> Snapshot:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await _settled(demo_app, pilot)
        assert demo_app.snapshot is not None
        return demo_app.snapshot


@pytest.mark.parametrize("simulated", [True, False])
@pytest.mark.parametrize("later", LATER)
async def test_a_clock_second_equals_a_rebuild(demo_app: NeodymiumApp, simulated: bool,
                                               later: timedelta) -> None:
    snapshot = await _demo_snapshot(demo_app)
    settings = demo_app.settings
    polls = {"quotes": FROZEN + timedelta(seconds=30)}
    built = build_screen(snapshot, settings, FROZEN, simulated, next_polls=polls)
    now = FROZEN + later
    _same(with_clock(built, snapshot, settings, now, simulated, next_polls=polls),
          build_screen(snapshot, settings, now, simulated, next_polls=polls))


@pytest.mark.parametrize("state", list(LinkState))
async def test_the_relay_note_ages_with_the_clock(demo_app: NeodymiumApp,
                                                  state: LinkState) -> None:
    snapshot = await _demo_snapshot(demo_app)
    relay = RelayStatus("nats.example:4222", state, active_relay="desk-1",
                        last_update=FROZEN - timedelta(seconds=5))
    snapshot = replace(snapshot, relay=relay)
    settings = demo_app.settings
    built = build_screen(snapshot, settings, FROZEN, False)
    now = FROZEN + timedelta(seconds=70)
    ticked = with_clock(built, snapshot, settings, now, False)
    _same(ticked, build_screen(snapshot, settings, now, False))
    if state is LinkState.UNREACHABLE:
        assert ticked.header.relay != built.header.relay  # "last update 1m 15s ago"


async def test_no_snapshot_equals_a_rebuild(demo_app: NeodymiumApp) -> None:
    settings = demo_app.settings
    built = build_screen(None, settings, FROZEN, False)
    now = FROZEN + timedelta(seconds=3)
    _same(with_clock(built, None, settings, now, False),
          build_screen(None, settings, now, False))


async def test_the_clock_rebuilds_a_view_of_other_settings(demo_app: NeodymiumApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await _settled(demo_app, pilot)
        watch = demo_app.settings.watch.with_primary("516780.SS")
        demo_app.settings = demo_app.settings.model_copy(update={"watch": watch})
        demo_app.tick_clock()  # nothing redrew for the new primary yet: the tick does it all
        assert demo_app.view is not None and demo_app.view.header.code == "516780.SS"


@pytest.mark.parametrize(("later", "session"), [
    (timedelta(0), "Simulated session"),
    (timedelta(hours=1, minutes=30), "Simulated · lunch break"),
    (timedelta(hours=5), "Simulated · closed"),
    (timedelta(days=1), "Simulated · weekend"),  # FROZEN is a Friday
])
async def test_the_demo_header_says_when_its_exchange_pauses(demo_app: NeodymiumApp,
                                                             later: timedelta,
                                                             session: str) -> None:
    """The demo keeps the exchange's hours: its header says why nothing moves."""
    snapshot = await _demo_snapshot(demo_app)
    settings = demo_app.settings
    built = build_screen(snapshot, settings, FROZEN, True)
    now = FROZEN + later
    assert build_screen(snapshot, settings, now, True).header.session == session
    assert with_clock(built, snapshot, settings, now, True).header.session == session
