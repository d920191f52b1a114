"""Honest states in plain words: offline, why a pane is empty, when the next try comes.

Pure functions over a snapshot and the settings (no Textual): the header's offline line, the
news pane's and the 52-week panel's reasons for showing nothing, and an error message turned
into a cause a user can act on ("DNS lookup failed", not ``ConnectError: [Errno -2] …``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from datetime import datetime

from neodymium.config.settings import Settings
from neodymium.providers.models import DataKind
from neodymium.providers.store import ProviderHealth, Snapshot
from neodymium.providers.symbols import successor_hint
from neodymium.tui import formatting as fmt

#: Patterns in an error message (lower case, the upstream's quoted text taken out) and the
#: cause they mean, first match wins. A status counts only as "http NNN". Compiled by ``re``
#: on first use (its cache keeps them), not at import: the first frame imports this module.
CAUSE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"name or service not known|nodename nor servname|getaddrinfo|name resolution"
     r"|no address associated|dns", "DNS lookup failed"),
    (r"connection refused", "connection refused"),
    (r"all connection attempts failed", "could not connect"),
    (r"network is unreachable|no route to host", "network unreachable"),
    (r"certificate|ssl|tls", "TLS/certificate error"),
    (r"timed out|timeout|deadline", "timed out"),
    (r"http 429|rate.limit|too many requests", "rate limited by the server"),
    (r"http 40[13]|forbidden|unauthori[sz]ed|auth", "refused: not authorised"),
    (r"http 5\d\d|server error|bad gateway|unavailable", "server error"),
    (r"http 3\d\d|redirect", "redirected elsewhere"),
    (r"http 404|http 410", "API address not found (HTTP 404)"),
    (r"empty answer|empty body", "empty answer"),
    (r"throttl", "throttled by the source"),
    (r"larger than|too large", "answer too large"),
    (r"connection reset|connection closed|remote protocol|disconnected|connecterror|transport",
     "connection failed"),
    (r"upstream error|upstream status", "the source answered with an error"),
    (r"payload|parse|decode|unexpected|format|not json|not a [a-z ]*answer",
     "unexpected reply format"),
    (r"not found|does not know|not in the demo", "symbol not found"),
)
#: What an upstream sent, quoted in a message as repr writes it ('…' or "…", opening after a
#: non-letter, so an apostrophe as in "Tencent's" opens nothing): its bytes say nothing about
#: the cause, and its digits (a volume of 1,403,…) are no HTTP status.
QUOTED = r"(?i)(?<![a-z])(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"

#: The cause an error's kind (ProviderError.kind) means, when its message's words say none.
KIND_CAUSES = {
    "bad-payload": "unexpected reply format", "unavailable": "source unavailable",
    "rate-limited": "rate limited by the server", "auth": "refused: not authorised",
    "permanent": "refused by the source", "not-found": "symbol not found",
    "unsupported": "not served by this source", "bug": "a bug in neodymium (see the log)",
}


def plain_cause(message: str | None, kind: str = "") -> str:
    """The cause of an error in a few plain words ("" when there is no message): from its
    message's words, else from its ``kind``."""
    if not message:
        return ""
    lowered = re.sub(QUOTED, "", message).lower()
    for pattern, cause in CAUSE_PATTERNS:
        if re.search(pattern, lowered):
            return cause
    return KIND_CAUSES.get(kind, "request failed")


def providers_of(settings: Settings, kind: DataKind) -> list[str]:
    """The providers configured for a data kind, in order."""
    section = {DataKind.QUOTES: settings.quotes, DataKind.HISTORY: settings.history,
               DataKind.NEWS: settings.news}[kind]
    return list(section.providers)


def failing(snapshot: Snapshot, settings: Settings, kind: DataKind,
            strict: bool = True) -> list[ProviderHealth]:
    """The failing providers of a kind when none serves it (else []).

    ``strict``: every configured provider must have been tried and failed (the snapshot
    command gives up on that); otherwise it is enough that some failed and none is
    working (the screen says "offline" on that, without waiting for providers it has not
    had to ask yet).
    """
    names = providers_of(settings, kind)
    health = [snapshot.health.get(name) for name in names]
    failed = [h for h in health if h is not None and kind.value in h.failing_kinds]
    if not failed:
        return []
    if strict:
        return failed if len(failed) == len(names) else []
    working = [h for h in health if h is not None and kind.value not in h.failing_kinds
               and h.last_success is not None]
    return [] if working else failed


def retry_at(health: list[ProviderHealth], next_poll: datetime | None) -> datetime | None:
    """When the next attempt happens: the earliest provider out of backoff, but never before
    the kind's next scheduled poll."""
    untils = [h.backoff_until for h in health if h.backoff_until is not None]
    earliest = min(untils) if untils else None
    if earliest is None:
        return next_poll
    if next_poll is None:
        return earliest
    return max(earliest, next_poll)


def retry_words(when: datetime | None, now: datetime) -> str:
    """``retrying in 28 s`` (or ``retrying now``)."""
    if when is None:
        return "retrying"
    seconds = math.ceil((when - now).total_seconds())
    if seconds < 1:
        return "retrying now"
    return f"retrying in {seconds} s" if seconds < 60 else f"retrying in {fmt.fmt_age(seconds)}"


def unserved_words(reason: str, providers: Collection[str], key: str = "") -> str:
    """A symbol's unserved reason (``"tencent: …; sina: …"``, see providers/errors.py) in plain
    words: one cause when every provider gave the same ("DNS lookup failed"), else each
    provider's ("tencent: symbol not found; yahoo: timed out"). A reason not made of
    ``<provider>: …`` parts (the relay's, a bad symbol's) is returned as it is. With the
    symbol's ``key``, an old Beijing code keeps its successor hint (unserved_reason adds it)."""
    hint = successor_hint(key) if key else ""
    if hint and reason.endswith(hint):
        return unserved_words(reason.removesuffix(hint), providers) + hint
    causes: dict[str, str] = {}
    for part in reason.split("; "):
        name, colon, message = part.partition(": ")
        if not colon or name not in providers:
            return reason
        causes[name] = plain_cause(message)
    if len(set(causes.values())) == 1:
        return next(iter(causes.values()))
    return "; ".join(f"{name}: {cause}" for name, cause in causes.items())


def common_cause(health: list[ProviderHealth]) -> str:
    """One cause when the failing providers share it, else the distinct causes joined."""
    causes = list(dict.fromkeys(plain_cause(h.last_error, h.last_error_kind)
                                for h in health if h.last_error))
    return "; ".join(causes)


def offline_line(snapshot: Snapshot | None, settings: Settings, now: datetime,
                 next_polls: Mapping[str, datetime]) -> str:
    """``offline: no source reachable (DNS lookup failed) · retrying in 28 s``, or ""."""
    if snapshot is None:
        return ""
    health = failing(snapshot, settings, DataKind.QUOTES, strict=False)
    if not health:
        return ""
    cause = common_cause(health)
    when = retry_at(health, next_polls.get(DataKind.QUOTES.value))
    reach = "no source reachable" if len(health) > 1 else f"{health[0].name} unreachable"
    return f"offline: {reach}{f' ({cause})' if cause else ''} · {retry_words(when, now)}"


def news_status(snapshot: Snapshot | None, settings: Settings, now: datetime,
                next_polls: Mapping[str, datetime]) -> str:
    """Why the news pane is empty ("" when it has headlines)."""
    if snapshot is not None and snapshot.news:
        return ""
    if not settings.news.providers:
        return "No news sources configured ([news].providers is empty)."
    if snapshot is None or DataKind.NEWS not in snapshot.loaded:
        health = failing(snapshot, settings, DataKind.NEWS, strict=False) if snapshot else []
        if health:
            cause = common_cause(health)
            when = retry_at(health, next_polls.get(DataKind.NEWS.value))
            return (f"No news: every news source failed{f' ({cause})' if cause else ''} · "
                    f"{retry_words(when, now)}.")
        return "Waiting for the first headlines…"
    return "No headlines from the configured sources yet."


def gauge_status(snapshot: Snapshot | None, settings: Settings, primary: str,
                 now: datetime, next_polls: Mapping[str, datetime]) -> str:
    """Why the 52-week panel has no range ("" when it is simply waiting for a first answer)."""
    if snapshot is None:
        return ""
    state = snapshot.quotes.get(primary)
    if state is None:
        health = failing(snapshot, settings, DataKind.QUOTES, strict=False)
        if health:
            when = retry_at(health, next_polls.get(DataKind.QUOTES.value))
            return f"52-week range: no quote (offline) · {retry_words(when, now)}"
        reason = snapshot.symbol_errors.get(primary)
        return f"52-week range: no quote ({plain_cause(reason)})" if reason else ""
    if DataKind.HISTORY not in snapshot.loaded and failing(snapshot, settings, DataKind.HISTORY,
                                                           strict=False):
        return "52-week range unknown: no 52-week high/low from quotes and history unavailable"
    return "52-week range unknown: no 52-week high/low from this source"


def refresh_outcome(snapshot: Snapshot, settings: Settings) -> tuple[str, bool]:
    """What a refresh achieved, in words, and whether everything came back."""
    ok, failed = [], []
    for kind in DataKind:
        health = failing(snapshot, settings, kind, strict=False)
        if health:
            cause = common_cause(health)
            failed.append(f"{kind.value} failed{f' ({cause})' if cause else ''}")
        elif providers_of(settings, kind):
            ok.append(kind.value)
    if not failed:
        return f"Refreshed {', '.join(ok)}.", True
    kept = " · keeping the last values" if snapshot.quotes or snapshot.news else ""
    done = f" · {', '.join(ok)} refreshed" if ok else ""
    return "; ".join(failed) + kept + done, False
