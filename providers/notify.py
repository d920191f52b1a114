"""Delivering alert events outside the screen: terminal escapes, a command hook, apprise.

OSC 9 (iTerm2, Windows Terminal, kitty, WezTerm, ghostty) and OSC 777 (foot, urxvt, WezTerm,
ghostty) desktop notifications are written to the terminal itself, so they reach the user's
own desktop over SSH. Under tmux they are wrapped in its passthrough (``ESC P tmux; … ESC \\``,
inner escapes doubled; tmux >= 3.3 needs ``set -g allow-passthrough on``). Every text that
goes into a sequence is cleaned first: an upstream name cannot smuggle an escape through.
No Textual here: the TUI and the headless ``alerts run`` both use these.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from neodymium.config.settings import NotifySettings
from neodymium.providers.alerts import AlertEvent
from neodymium.providers.text import clean_text

log = logging.getLogger(__name__)

BEL = "\x07"
ESC = "\x1b"
ST = ESC + "\\"
#: Longest title/body put into a notification (terminals truncate or drop long ones).
MAX_TEXT = 200
#: Bytes of a hook's stderr kept for the report.
MAX_HOOK_STDERR = 2000


def notification_text(text: str, limit: int = MAX_TEXT) -> str:
    """Printable, single-line, no ``;`` (the OSC field separator), at most ``limit`` chars."""
    cleaned = clean_text(text).replace(";", ",")
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def in_tmux(environ: Mapping[str, str] | None = None) -> bool:
    """True when the output goes through tmux: $TMUX is set, or (over SSH from inside a local
    tmux, where $TMUX stays behind) $TERM is tmux's own ``tmux-256color``/``tmux``."""
    env = os.environ if environ is None else environ
    return bool(env.get("TMUX")) or env.get("TERM", "").startswith("tmux")


def tmux_wrap(sequence: str) -> str:
    """Wrap an escape sequence in tmux's passthrough: ESC P tmux; <ESC doubled> ESC \\."""
    return f"{ESC}Ptmux;" + sequence.replace(ESC, ESC + ESC) + ST


def osc_notification(title: str, body: str, *, tmux: bool) -> str:
    """OSC 9 (message only) then OSC 777 (title and body), wrapped for tmux when asked."""
    title, body = notification_text(title), notification_text(body)
    osc9 = f"{ESC}]9;{title}: {body}{BEL}" if body else f"{ESC}]9;{title}{BEL}"
    osc777 = f"{ESC}]777;notify;{title};{body}{ST}"
    if tmux:
        return tmux_wrap(osc9) + tmux_wrap(osc777)
    return osc9 + osc777


def terminal_bytes(title: str, body: str, *, bell: bool, osc: bool, tmux: bool) -> str:
    """Everything one event writes to the terminal: the bell, then the notifications.

    The bell is a plain BEL even under tmux: tmux handles it (and flags the window) itself.
    """
    return (BEL if bell else "") + (osc_notification(title, body, tmux=tmux) if osc else "")


@dataclass(frozen=True, slots=True)
class HookResult:
    """How a hook run ended: exit status (None when killed), and why it failed if it did."""

    command: str
    returncode: int | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the hook exited 0."""
        return self.returncode == 0 and self.error is None


def hook_argv(command: str) -> list[str]:
    """The hook's argv: shell-like splitting, ``~`` expanded in the program; no shell runs."""
    argv = shlex.split(command)
    if not argv:
        raise ValueError("empty command")
    argv[0] = os.path.expanduser(argv[0])
    return argv


async def run_hook(command: str, payload: str, timeout: float) -> HookResult:
    """Run ``command`` with ``payload`` (one JSON object and a newline) on stdin.

    Never raises for the hook's own failures: a missing program, a non-zero exit or a timeout
    (the process is killed) come back as a HookResult with the reason.
    """
    try:
        argv = hook_argv(command)
        process = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE, start_new_session=True,
        )
    except (OSError, ValueError) as exc:
        return HookResult(command, None, f"cannot run: {exc}")
    try:
        _, stderr = await asyncio.wait_for(
            process.communicate((payload.rstrip("\n") + "\n").encode("utf-8")), timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        return HookResult(command, None, f"timed out after {timeout:g}s; killed")
    if process.returncode != 0:
        said = clean_text(stderr[:MAX_HOOK_STDERR].decode("utf-8", "replace"))
        return HookResult(command, process.returncode,
                          f"exited {process.returncode}" + (f": {said}" if said else ""))
    return HookResult(command, 0)


class AppriseMissing(RuntimeError):
    """Apprise URLs are configured but the ``notify`` extra is not installed."""


def send_apprise(urls: Sequence[str], title: str, body: str) -> bool:
    """Send through apprise (blocking: call it in a thread). False when any URL failed."""
    try:
        import apprise
    except ImportError as exc:
        raise AppriseMissing(
            "[notify].apprise needs the notify extra: pip install 'neodymium[notify]'"
        ) from exc
    sender = apprise.Apprise()
    for url in urls:
        if not sender.add(url):
            log.warning("apprise: cannot use URL %s", url.split("://", 1)[0] + "://…")
    if not len(sender):
        return False
    return bool(sender.notify(title=notification_text(title), body=notification_text(body)))


async def dispatch(event: AlertEvent, settings: NotifySettings) -> list[str]:
    """Run the command hook and apprise for one event; return problems to report (if any).

    The hook's process and apprise's blocking sends run off the event loop.
    """
    problems: list[str] = []
    jobs = []
    if settings.command:
        jobs.append(run_hook(settings.command, event.to_json(), settings.command_timeout))
    for result in await asyncio.gather(*jobs):
        if not result.ok:
            problems.append(f"hook {result.command!r} {result.error}")
    if settings.apprise:
        try:
            sent = await asyncio.to_thread(send_apprise, settings.apprise, event.title,
                                           event.body)
        except AppriseMissing as exc:
            problems.append(str(exc))
        else:
            if not sent:
                problems.append("apprise: not delivered to every URL")
    return problems
