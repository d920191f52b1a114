"""Garbage collection held off while the watcher starts, and resumed once its first frame is
on the screen.

Start-up allocates a few hundred thousand objects and frees almost none, so every collection
it triggers scans them all for nothing (one full pass alone took about 30 ms). Once the first
frame is painted, one collection frees what start-up left behind, and ``gc.freeze`` moves the
survivors (modules, classes, widgets: they live as long as the app) out of later collections.

Then the youngest generation is collected every ``YOUNG_THRESHOLD`` allocations instead of
Python's 700. A ticking screen allocates a few thousand short-lived objects a second (strips and
the caches each one carries) and keeps tens of thousands alive: at 700 the collector ran about
once a second and a full pass about once a minute, ~70 ms of CPU a minute in all; at 10,000 it
costs about a third of that, for at most 10,000 objects (~1 MB) waiting longer to be examined.
Reference counting still frees everything that is not in a cycle at once.
"""

from __future__ import annotations

import gc

_held = False
#: Allocations between two collections of the youngest generation (Python's default: 700).
YOUNG_THRESHOLD = 10_000


def hold() -> None:
    """Stop automatic collection until :func:`release` (a no-op when it is already off)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Collect once, freeze the survivors, raise the young threshold and resume collection, if
    :func:`hold` stopped it (otherwise nothing: collection is never turned on behind a
    caller's back)."""
    global _held
    if _held:
        _held = False
        gc.collect()
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        gc.enable()
