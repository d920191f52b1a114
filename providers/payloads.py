"""Reading a JSON answer: the checks every JSON upstream's parser starts with."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from neodymium.providers.errors import BadPayload


def json_document(payload: bytes | str | Mapping[str, Any], source: str) -> Any:
    """The parsed JSON of an answer (a mapping counts as parsed already); an empty, truncated
    or foreign body is BadPayload."""
    if isinstance(payload, Mapping):
        return payload
    if not payload.strip():
        raise BadPayload(source, "empty answer")
    try:
        return json.loads(payload)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        raise BadPayload(source, "answer is not JSON", payload) from None
