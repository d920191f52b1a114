"""The cached price on the terminal before Textual's app is imported: the opening paint.

A watcher started again on the same config, in a terminal of the same size, writes what its
last start's first frame showed, where and in the colours it showed it: the primary's name on
the header line, its cached price in the quote panel's big digits, the change and when the
price was cached. That takes the interpreter, the ``textual`` package (the digits' drawing),
the cache and this module: about half of Textual's app alone. Textual's first frame follows
and paints every cell; the price stays where it was and the rest of the screen fills in round
it. Textual enters the alternate screen again: tmux keeps the paint; xterm clears it first, so
there the price blinks for the ~50 ms before Textual's first frame.

The places come from the record the app keeps once its first frame is on the screen
(opening_record), in the user's cache folder, under a key made of the config's text and the
sources that decide the layout. Anything else paints nothing and the start is as before:
another config or size, no record, no cached quote for the primary, a changed source.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from neodymium.config.kept_files import source_stamps, trusted
from neodymium.config.paths import user_cache_file
from neodymium.providers.cache_codec import quote_from_json
from neodymium.providers.models import Quote
from neodymium.providers.text import clean_text
from neodymium.tui.formatting import direction, fmt_change, fmt_pct, fmt_price, split_price
from rich.cells import cell_len, set_cell_size
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.renderables.digits import Digits

RECORD_NAME = "opening.json"
#: Records kept (one per config and terminal size), newest first.
KEPT = 8
#: Larger than any real record file; a bigger file is not read.
MAX_BYTES = 1 << 16
#: What the opening paint enters: the alternate screen, cursor hidden (Textual does the same).
ENTER = "\x1b[?1049h\x1b[?25l"
#: What undoes ENTER when the watcher stops before Textual took the terminal over.
LEAVE = "\x1b[0m\x1b[?1049l\x1b[?25h"
#: Sources whose change may move what the first frame shows, or where.
LAYOUT_SOURCES = ("config/*.py", "config/*.toml", "tui/styles/*.tcss", "tui/widgets/*.py",
                  "tui/screens/watch.py", "tui/opening_*.py")
COLOUR = re.compile(r"#[0-9a-f]{6}")
COLOR_SYSTEMS = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT,
                 "truecolor": ColorSystem.TRUECOLOR, "windows": ColorSystem.WINDOWS}
PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Place:
    """Where a piece of the first frame sat and how it looked: colours by the price's
    direction ("" for a piece that does not follow it), "#rrggbb"."""

    x: int
    y: int
    width: int
    background: str | None = None
    colours: Mapping[str, str] = field(default_factory=dict)
    bold: bool = False

    def colour(self, direction: str) -> str | None:
        return self.colours.get(direction) or self.colours.get("")


@dataclass(frozen=True)
class Opening:
    """One config's first frame in one terminal size."""

    key: str
    columns: int
    rows: int
    primary: str
    cache: str
    zone: str
    decimals: int
    background: str | None
    title: Place
    digits: tuple[Place, Place, Place]  # the whole part, the decimals but the last, the last
    change: Place
    age: Place


def record_path() -> Path:
    """Where the records live: beside the settings memo, in the user's cache folder."""
    return user_cache_file(RECORD_NAME)


def layout_key(config_text: str) -> str:
    """The key a record must carry to stand for ``config_text``'s first frame with this code."""
    digest = hashlib.sha256()
    for pattern in LAYOUT_SOURCES:
        digest.update(source_stamps(sorted(PACKAGE.glob(pattern))))
    digest.update(config_text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _place(data: Any) -> Place:
    """A Place from its JSON form (ValueError/TypeError/KeyError when it is not one)."""
    x, y, width = (int(data[name]) for name in ("x", "y", "width"))
    if min(x, y) < 0 or width <= 0:
        raise ValueError("negative place")
    background = data.get("background")
    colours = {str(key): str(value) for key, value in data.get("colours", {}).items()}
    for colour in (background, *colours.values()):
        if colour is not None and not COLOUR.fullmatch(colour):
            raise ValueError(f"not a colour: {colour!r}")
    return Place(x, y, width, background, colours, bool(data.get("bold", False)))


def _opening(data: Any) -> Opening:
    """An Opening from its JSON form (an exception when it is not one)."""
    background = data["background"]
    if background is not None and not COLOUR.fullmatch(background):
        raise ValueError(f"not a colour: {background!r}")
    digits = tuple(_place(part) for part in data["digits"])
    if len(digits) != 3:
        raise ValueError("three digit places")
    opening = Opening(str(data["key"]), int(data["columns"]), int(data["rows"]),
                      str(data["primary"]), str(data["cache"]), str(data["zone"]),
                      int(data["decimals"]), background, _place(data["title"]),
                      (digits[0], digits[1], digits[2]), _place(data["change"]),
                      _place(data["age"]))
    if not 0 <= opening.decimals <= 6:
        raise ValueError("decimals")
    ZoneInfo(opening.zone)
    return opening


def _load(path: Path) -> list[Any]:
    """The records as stored (an empty list when missing, corrupt, or a file another account
    owns or may write: what it says reaches the terminal)."""
    try:
        with path.open("rb") as handle:
            if not trusted(os.fstat(handle.fileno()), MAX_BYTES):
                return []
            data = json.loads(handle.read(MAX_BYTES + 1))
    except (OSError, ValueError):
        return []
    return data if isinstance(data, list) else []


def _openings(path: Path) -> list[Opening]:
    """The records that parse (another version's or a damaged one: as if it were not there)."""
    openings = []
    for data in _load(path):
        with contextlib.suppress(Exception):
            openings.append(_opening(data))
    return openings


def _find(openings: list[Opening], key: str, columns: int, rows: int) -> Opening | None:
    return next((opening for opening in openings
                 if (opening.key, opening.columns, opening.rows) == (key, columns, rows)), None)


def recall(key: str, columns: int, rows: int, path: Path | None = None) -> Opening | None:
    """The record for ``key`` in a ``columns``×``rows`` terminal, or None."""
    return _find(_openings(path or record_path()), key, columns, rows)


def remember(opening: Opening, path: Path | None = None) -> None:
    """Keep ``opening`` (newest first, KEPT in all), its colours merged with the record it
    replaces (a price that fell last time still knows how a rise looks); silently not when
    the cache folder cannot be written."""
    path = path or record_path()
    kept = _openings(path)
    old = _find(kept, opening.key, opening.columns, opening.rows)
    newest = opening if old is None else _merged(old, opening)
    records = [newest, *(each for each in kept
                         if (each.key, each.columns, each.rows)
                         != (opening.key, opening.columns, opening.rows))][:KEPT]
    if records == kept:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{RECORD_NAME}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump([asdict(each) for each in records], handle, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def _merged(old: Opening, new: Opening) -> Opening:
    """``new`` with the colours ``old`` knew and ``new`` did not see."""
    def merge(before: Place, after: Place) -> Place:
        if (before.x, before.y, before.width) != (after.x, after.y, after.width):
            return after
        return replace(after, colours={**before.colours, **after.colours})

    whole, decimals, last = (merge(b, a) for b, a in zip(old.digits, new.digits, strict=True))
    return replace(new, title=merge(old.title, new.title), digits=(whole, decimals, last),
                   change=merge(old.change, new.change), age=merge(old.age, new.age))


def cached_quote(opening: Opening) -> Quote | None:
    """The primary's last cached quote (read only; None when there is none to show)."""
    path = Path(opening.cache)
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.05)
        try:
            row = db.execute("SELECT payload FROM quotes WHERE symbol = ?",
                             (opening.primary,)).fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    quote = quote_from_json(row[0]) if row else None
    return quote if quote is not None and quote.last is not None else None


def title_name(quote: Quote) -> str:
    """The name as the header line starts with it (plain text, spaces folded)."""
    return clean_text(quote.name)


def frame_text(opening: Opening, quote: Quote, color_system: ColorSystem | None) -> str:
    """What the opening paint writes: the alternate screen, cleared, and the pieces."""
    way = direction(quote.change)
    out = [ENTER, "\x1b[0m", _sgr(Style(bgcolor=opening.background), color_system), "\x1b[2J"]

    def put(place: Place, text: str, coloured: bool | str = True) -> None:
        """``text`` at ``place`` in its colour for the price's way (or the one named), cut
        at the screen's edge (the terminal would wrap it onto the next row)."""
        width = min(place.width, opening.columns - place.x)
        if width <= 0 or place.y >= opening.rows:
            return
        colour = place.colour(way) if coloured is True else place.colour(coloured or "")
        style = Style(color=colour, bgcolor=place.background, bold=place.bold)
        out.append(f"\x1b[{place.y + 1};{place.x + 1}H")
        out.append(style.render(set_cell_size(text, width), color_system=color_system))

    title = opening.title
    put(replace(title, x=0, width=opening.columns), "", False)
    name = title_name(quote)
    if name:
        put(title, name, False)
        title = replace(title, x=title.x + cell_len(name) + 2,
                        width=title.width - cell_len(name) - 2)
    put(title, clean_text(quote.symbol), "symbol")
    parts = split_price(fmt_price(quote.last, opening.decimals))
    laid = flow(opening.digits, [Digits.get_width(part) for part in parts])
    first = laid[0]
    for row in range(3):
        line = ""  # one run per row, as Textual writes adjacent parts of one style
        for place, part in zip(laid, parts, strict=True):
            line = line.ljust(place.x - first.x) + digit_rows(part, place.bold)[row]
        put(replace(first, y=first.y + row, width=len(line)), line)
    change_text = f"{fmt_change(quote.change, opening.decimals)}  {fmt_pct(quote.change_pct)}"
    when = quote.as_of.astimezone(ZoneInfo(opening.zone))
    age_text = f"cached · {when:%m-%d %H:%M}"
    change_place, age_place = flow((opening.change, opening.age), [cell_len(change_text)])
    put(change_place, change_text)
    put(age_place, age_text, False)
    out.append("\x1b[0m")
    return "".join(out)


def flow(places: tuple[Place, ...], widths: list[int]) -> list[Place]:
    """``places`` laid out left to right as Textual's ``width: auto`` lays them out for new
    contents: each after the one before at its new width (the first ``len(widths)``), the gaps
    between them kept; a place without a new width keeps its right edge."""
    laid: list[Place] = []
    x = places[0].x
    for index, place in enumerate(places):
        if index:
            before = places[index - 1]
            x += max(0, place.x - (before.x + before.width))
        right = place.x + place.width
        width = widths[index] if index < len(widths) else max(1, right - x)
        laid.append(replace(place, x=x, width=width))
        x += width
    return laid


def _sgr(style: Style, color_system: ColorSystem | None) -> str:
    """The escape sequence that sets ``style`` (what Rich writes before a styled text)."""
    return style.render("\0", color_system=color_system).partition("\0")[0]


def digit_rows(text: str, bold: bool) -> list[str]:
    """The three rows of ``text`` in the big digits Textual's ``Digits`` draws."""
    rows = [segment.text for segment in Digits(text).render(Style(bold=bold))
            if isinstance(segment, Segment) and segment.text != "\n"]
    return rows if len(rows) == 3 else ["", "", ""]


def color_system_of(stream: IO[str]) -> ColorSystem | None:
    """The colours the terminal takes, as Rich (and so Textual) detects them; None with
    NO_COLOR or a terminal without colours."""
    if os.environ.get("NO_COLOR"):
        return None
    from rich.console import Console

    detected = Console(file=stream).color_system
    return COLOR_SYSTEMS.get(detected) if detected else None


def frame_for(key: str, stream: IO[str]) -> str | None:
    """The opening paint recorded under ``key`` for the terminal ``stream`` writes to, when
    a record for its size (``COLUMNS`` and ``LINES`` first, as Textual reads it) and a cached
    quote make one; else None."""
    if os.environ.get("TERM", "") in {"", "dumb"}:
        return None
    columns, rows = shutil.get_terminal_size((0, 0))  # as Textual's driver asks
    opening = recall(key, columns, rows)
    quote = cached_quote(opening) if opening is not None else None
    if opening is None or quote is None:
        return None
    return frame_text(opening, quote, color_system_of(stream))


@dataclass
class OpeningStart:
    """The opening paint of one start: its record key (None: not this start) and whether
    the terminal holds the paint until Textual takes it over."""

    key: str | None = None
    painted: bool = False

    def handed_over(self) -> None:
        """Textual has the terminal now (it leaves the alternate screen itself)."""
        self.painted = False

    def undo(self, stream: IO[str]) -> None:
        """Give the terminal back as it was when the watcher stops before Textual ran."""
        if self.painted:
            self.painted = False
            with contextlib.suppress(OSError, ValueError):
                stream.write(LEAVE)
                stream.flush()


def start(explicit: str | os.PathLike[str] | None, stream: IO[str]) -> OpeningStart:
    """The opening paint for the config ``explicit`` names (as the loader finds it), painted
    when a record allows; never an error (a start without it is only slower)."""
    from neodymium.config.paths import find_config

    try:
        path = find_config(explicit)
        source = path if path is not None else PACKAGE / "config" / "default.toml"
        key = layout_key(source.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return OpeningStart()
    try:
        frame = frame_for(key, stream)
    except Exception:  # a damaged cache or record: the start goes on without the paint
        return OpeningStart(key)
    if frame is None:
        return OpeningStart(key)
    opening = OpeningStart(key, painted=True)
    with contextlib.suppress(OSError, ValueError):
        stream.write(frame)
        stream.flush()
    return opening
