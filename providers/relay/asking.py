"""A subscriber's ask: the symbols it wants a relay to poll, sent on the bucket's want subject."""

from __future__ import annotations

import json
import logging

from nats.aio.client import Client
from neodymium.providers.relay import keys

log = logging.getLogger(__name__)
#: Seconds a relay has to answer an ask.
ASK_TIMEOUT_S = 2.0


async def ask_relay(nc: Client, bucket: str, client_id: str, symbols: list[str]) -> dict[str, str]:
    """Ask the relay to poll ``symbols``; the reasons it refused some, by symbol (empty when it
    took them all, or when no relay answered: the heartbeat tells that)."""
    request = {"client": client_id, "symbols": symbols}
    try:
        reply = await nc.request(keys.want_subject(bucket), json.dumps(request).encode(),
                                 timeout=ASK_TIMEOUT_S)
        answer = json.loads(reply.data)
    except Exception as exc:  # no relay listening yet
        log.debug("want request: %s", type(exc).__name__)
        return {}
    refused = answer.get("refused") if isinstance(answer, dict) else None
    if not isinstance(refused, dict):
        return {}
    return {str(symbol): str(reason) for symbol, reason in refused.items()}
