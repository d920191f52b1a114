"""Every relay on the desk as rows of the health view: the one polling and each standby.

Each relay, active or standby, puts its own presence record (a :class:`RelayHealth` without
providers) on every tick; a record whose heartbeat is older than the silence window is a relay
that has gone, and is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from neodymium.providers.relay.codec import RelayHealth
from neodymium.providers.store import ProviderHealth

#: The health view's state of a relay that is there but does not hold the lease.
STANDBY = "standby"


def live(records: Mapping[str, RelayHealth], now: datetime,
         silence: timedelta) -> dict[str, RelayHealth]:
    """The records whose heartbeat is recent enough (by relay id)."""
    return {rid: record for rid, record in records.items()
            if now - record.heartbeat_at < silence}


def relay_rows(records: Mapping[str, RelayHealth],
               active: RelayHealth | None) -> dict[str, ProviderHealth]:
    """One row per relay (``relay <id>``): ``ok`` for the one polling, ``standby`` for the
    others. The active relay's health record gives its row even before its presence does."""
    rows: dict[str, ProviderHealth] = {}
    present = dict(records)
    if active is not None and active.relay_id not in present:
        present[active.relay_id] = active
    for record in sorted(present.values(), key=lambda r: r.relay_id):
        name = f"relay {record.relay_id}"
        rows[name] = ProviderHealth(name=name, state="ok" if record.active else STANDBY,
                                    last_success=record.heartbeat_at)
    return rows
