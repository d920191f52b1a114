"""Keep two optional imports of the watcher's dependencies out of its process.

httpx imports its own command-line client (click and pygments) whenever click is installed,
which apprise (the ``notify`` extra) and the test tools bring in; httpcore imports trio
whenever trio is installed (selenium, in the test extra, brings it in). neodymium uses
neither: it has its own command line and runs on asyncio. Together they held ~7.5 MiB of
the watcher's resident memory. Both libraries import them inside ``try/except ImportError``
and carry on without, so the command holds them off while it runs, through ``sys.modules``
(a ``None`` entry makes ``import`` raise ``ModuleNotFoundError``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

UNUSED_BY_DEPENDENCIES = ("httpx._main", "trio")


@contextmanager
def unused_imports_held_off(names: Iterable[str] = UNUSED_BY_DEPENDENCIES) -> Iterator[None]:
    """While inside, importing one of ``names`` that is not loaded yet raises ImportError."""
    held = [name for name in names if name not in sys.modules]
    for name in held:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in held:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
