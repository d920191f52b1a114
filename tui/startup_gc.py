"""Garbage collection held off while the watcher starts, and resumed once its first frame is
on the screen.

Start-up allocates a few hundred thousand objects and frees almost none, so every collection
it triggers scans them all for nothing (one full pass alone took about 30 ms). Once the first
frame is painted, one collection frees what start-up left behind, and ``gc.freeze`` moves the
survivors (modules, classes, widgets: they live as long as the app) out of later collections.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Stop automatic collection until :func:`release` (a no-op when it is already off)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Collect once, freeze the survivors and resume automatic collection, if :func:`hold`
    stopped it (otherwise nothing: collection is never turned on behind a caller's back)."""
    global _held
    if _held:
        _held = False
        gc.collect()
        gc.freeze()
        gc.enable()
