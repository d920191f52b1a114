"""Messages that flow up to the app."""

from __future__ import annotations

from dataclasses import dataclass

from neodymium.providers.store import Snapshot
from textual.message import Message


@dataclass
class SnapshotArrived(Message):
    """The feed published a new snapshot; bursts coalesce to the newest."""

    snapshot: Snapshot

    def can_replace(self, message: Message) -> bool:
        """A newer snapshot replaces an older one still in the queue."""
        return isinstance(message, SnapshotArrived)
