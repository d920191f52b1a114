"""What an unknown config key was probably meant to be: ``[watch] primry`` → ``primary``.

pydantic says only "extra inputs are not permitted"; the model knows the keys a table takes,
so the message can name the closest one, or list them when none is close.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

#: Listed in full when no key is close, up to this many.
MAX_LISTED = 12


def _models_in(annotation: Any) -> list[Any]:
    """The alternatives of an Optional, Union or Annotated annotation (itself otherwise)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _models_in(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [inner for arg in get_args(annotation) for inner in _models_in(arg)]
    return [annotation]


def _step(annotation: Any, part: Any) -> Any:
    """The annotation one location step inside ``annotation`` (None when it cannot tell)."""
    for option in _models_in(annotation):
        origin = get_origin(option)
        args = get_args(option)
        if isinstance(part, int) and origin in (list, tuple, Sequence) and args:
            return args[0]
        if isinstance(part, str) and origin is dict and len(args) == 2:
            return args[1]
        if isinstance(part, str) and isinstance(option, type) and issubclass(option, BaseModel):
            field = option.model_fields.get(part)
            if field is not None:
                return field.annotation
    return None


def table_keys(model: type[BaseModel], location: Sequence[Any]) -> list[str]:
    """The keys the table at ``location`` (the unknown key's own location less the key) takes
    under ``model``; empty when that table is not a model."""
    annotation: Any = model
    for part in location:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    for option in _models_in(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return [field.alias or name for name, field in option.model_fields.items()]
    return []


def unknown_key_message(model: type[BaseModel], location: Sequence[Any]) -> str:
    """``unknown key (did you mean 'primary'?)``, or the keys the table takes when none is
    close, or just ``unknown key``."""
    if not location:
        return "unknown key"
    keys = table_keys(model, location[:-1])
    if not keys:
        return "unknown key"
    close = difflib.get_close_matches(str(location[-1]), keys, n=1, cutoff=0.6)
    if close:
        return f"unknown key (did you mean {close[0]!r}?)"
    home = next((key for key in keys if location[-1] in table_keys(model, (*location[:-1], key))),
                None)
    if home is not None:
        table = ".".join(str(part) for part in (*location[:-1], home))
        return f"unknown key here (it belongs in the [{table}] table)"
    listed = ", ".join(keys[:MAX_LISTED]) + (", …" if len(keys) > MAX_LISTED else "")
    return f"unknown key (this table takes: {listed})"


_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")
#: A bare key (before ``=``) with a character TOML allows only in a quoted key: 稀土 = [...].
_UNQUOTED_KEY = re.compile(r"^\s*([^\s=\"'\[\]#]+)\s*=")


def toml_hint(text: str, message: str) -> str:
    """A hint for a TOML syntax error on a line whose key needs quotes (``稀土 = [...]``, as
    a watchlist group is often written), else the empty string."""
    found = _AT_LINE.search(message)
    lines = text.splitlines()
    if found is None or not 0 < int(found.group(1)) <= len(lines):
        return ""
    key = _UNQUOTED_KEY.match(lines[int(found.group(1)) - 1])
    if key is None or re.fullmatch(r"[A-Za-z0-9_.\-]+", key.group(1)):
        return ""
    return f"; a key with characters other than A-Z, a-z, 0-9, _ and - needs quotes: " \
           f"\"{key.group(1)}\" = …"
