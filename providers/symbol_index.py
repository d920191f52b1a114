"""Search over the market's symbols by code, name, full pinyin and pinyin initials.

Pinyin is computed once per entry when the list is built or refreshed (pypinyin), never per
keystroke; a query is a scan over prepared lowercase keys, a few milliseconds for ~15,000
entries. A small list ships in the wheel so search works offline and in the demo.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from neodymium.providers.symbols import SymbolError, parse_symbol
from neodymium.providers.text import clean_text

#: How many matches a search returns by default.
DEFAULT_LIMIT = 20


@dataclass(frozen=True, slots=True)
class SymbolEntry:
    """One searchable instrument; ``pinyin`` and ``initials`` are lowercase ASCII."""

    key: str
    name: str
    kind: str
    pinyin: str
    initials: str

    @property
    def code(self) -> str:
        """The code without its exchange suffix (``600111``, ``REMX``)."""
        return self.key.split(".")[0]


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name: ``北方稀土`` → (``beifangxitu``, ``bfxt``).

    Latin letters and digits are kept as they are (``稀土ETF`` → ``xitu etf`` / ``xtetf``).
    """
    from pypinyin import Style, lazy_pinyin  # imported when a list is built, not at start-up

    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="default")
    full = "".join(syllables).lower()
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    initials = "".join(letters).lower()  # a Latin run (ETF) stays whole
    return (
        "".join(ch for ch in full if ch.isalnum()),
        "".join(ch for ch in initials if ch.isalnum()),
    )


def make_entry(raw: str, name: str, kind: str) -> SymbolEntry | None:
    """An entry with its pinyin, or None when ``raw`` is not a symbol."""
    try:
        key = parse_symbol(raw).key
    except SymbolError:
        return None
    clean = clean_text(name)
    full, initials = pinyin_keys(clean)
    return SymbolEntry(key, clean, kind, full, initials)


def build_entries(rows: Iterable[tuple[str, str, str]]) -> list[SymbolEntry]:
    """Entries (with pinyin) from ``(symbol, name, kind)`` rows; bad symbols are skipped."""
    entries: dict[str, SymbolEntry] = {}
    for raw, name, kind in rows:
        entry = make_entry(raw, name, kind)
        if entry is not None:
            entries.setdefault(entry.key, entry)
    return list(entries.values())


def entries_to_json(entries: Sequence[SymbolEntry]) -> str:
    """The list as stored in the cache (pinyin included, so loading computes nothing)."""
    return json.dumps([[e.key, e.name, e.kind, e.pinyin, e.initials] for e in entries],
                      ensure_ascii=False)


def entries_from_json(text: str) -> list[SymbolEntry]:
    """The stored list back; an unreadable payload is an empty list."""
    try:
        rows = json.loads(text)
        return [SymbolEntry(str(k), str(n), str(t), str(p), str(i)) for k, n, t, p, i in rows]
    except (ValueError, TypeError):
        return []


@cache
def shipped_rows() -> tuple[tuple[str, str, str], ...]:
    """The ``(symbol, name, kind)`` rows of the small list shipped in the wheel, without pinyin
    (the demo's universe reads them; read once, on first use)."""
    text = resources.files("neodymium.providers").joinpath("data/symbols.json").read_text(
        encoding="utf-8")
    return tuple((str(key), str(name), str(kind))
                 for key, name, kind in json.loads(text)["entries"])


def shipped_entries() -> list[SymbolEntry]:
    """The small list shipped in the wheel."""
    return build_entries(shipped_rows())


class SymbolIndex:
    """Prepared keys for a fast ranked search."""

    def __init__(self, entries: Iterable[SymbolEntry]) -> None:
        self.entries = list(entries)
        self._keys = [(e.code.lower(), e.name.lower(), e.pinyin, e.initials)
                      for e in self.entries]
        #: One string per entry, so a query first narrows with a single ``in`` test each.
        self._blobs = ["\x00".join(keys) for keys in self._keys]
        self._by_key = {entry.key: entry for entry in reversed(self.entries)}

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: str) -> SymbolEntry | None:
        """The entry of a canonical symbol (``600111.SS``), or None."""
        return self._by_key.get(key)

    def with_names(self, names: Iterable[tuple[str, str]], kind: str = "watched") -> SymbolIndex:
        """This index plus ``(symbol, name)`` pairs it does not hold (the watched symbols,
        named by their quotes): a list that lacks them, offline or before its first
        refresh, still finds them by name and pinyin. Itself when there are none to add."""
        extra = [entry for raw, name in names
                 if (entry := make_entry(raw, name, kind)) is not None
                 and entry.key not in self._by_key]
        return SymbolIndex([*self.entries, *extra]) if extra else self

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> list[SymbolEntry]:
        """Matches ranked: exact code, code prefix, initials prefix, pinyin or name prefix,
        then anything containing the query; ties keep the list's order."""
        q = "".join(query.split()).lower()
        if not q:
            return []
        hits = [position for position, blob in enumerate(self._blobs) if q in blob]
        ranked = sorted((self._rank(q, position), position) for position in hits)
        return [self.entries[position] for _, position in ranked[:limit]]

    def _rank(self, q: str, position: int) -> int:
        code, name, full, initials = self._keys[position]
        if code == q:
            return 0
        if code.startswith(q):
            return 1
        if initials.startswith(q):
            return 2
        if full.startswith(q) or name.startswith(q):
            return 3
        return 4
