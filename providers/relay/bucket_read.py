"""Reading a relay bucket's last values key by key (direct gets, no consumer)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from nats.js.errors import KeyNotFoundError
from nats.js.kv import KeyValue

log = logging.getLogger(__name__)


async def last_value(kv: KeyValue, name: str) -> bytes | None:
    """The value last put at ``name``; None when there is none (never put, deleted) or the
    link failed (the caller's next restart reads again)."""
    try:
        entry = await kv.get(name)
    except KeyNotFoundError:
        return None
    except Exception as exc:
        log.info("reading %s from the bucket: %s", name, type(exc).__name__)
        return None
    return entry.value


async def last_values(kv: KeyValue, names: Sequence[str]) -> list[bytes | None]:
    """The last values of ``names``, read together, in their order."""
    return list(await asyncio.gather(*(last_value(kv, name) for name in names)))
