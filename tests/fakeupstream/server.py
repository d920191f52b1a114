"""A fake upstream: a real HTTP server on 127.0.0.1 that answers on the real API paths.

Routes come from the ``routes_*.py`` modules of this package; each exports ``ROUTES``, a list of
:class:`Route`. Every route can be switched into a fault (:class:`Fault`) per test, and every
request is recorded, so tests can assert what the client did.

Used by integration tests and benchmarks alike; never reaches the internet.
"""

from __future__ import annotations

import functools
import gzip
import importlib
import io
import pkgutil
import re
import socket
import struct
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

FAULT_KINDS = frozenset(
    {
        "status",  # answer with `status` (500, 502, 503, 403, 429 …), `retry_after`, `body`
        "slow",  # wait `delay` seconds before answering normally
        "reset",  # close the connection with a TCP reset, no HTTP answer
        "empty",  # 200 with an empty body
        "truncated",  # 200 with the first half of the normal body
        "wrong-encoding",  # the normal body in the other encoding (UTF-8 for GBK routes)
        "missing-fields",  # the route's own degraded variant: well-formed, fields missing
        "garbage",  # 200 with bytes that are no known format
        "endless",  # 200, chunked, a body that never ends (until the client hangs up)
        "gzip-bomb",  # 200, Content-Encoding gzip, `size` bytes of zeros once inflated
        "trickle",  # the normal answer, one byte every `delay` seconds
        "redirect",  # 302 to `location` (another host), or to the same URL when empty (a loop)
    }
)
#: Inflated size of the default gzip bomb (about 64 KiB on the wire).
BOMB_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class FakeRequest:
    """What the client sent."""

    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    raw_path: str

    def param(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class FakeResponse:
    """What the route answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[FakeRequest, "Scenario"], FakeResponse]


@dataclass(frozen=True)
class Route:
    """One upstream endpoint: a name, a regex over the URL path, and how it answers."""

    name: str
    pattern: str
    handler: Handler
    encoding: str = "utf-8"
    missing_fields: Handler | None = None

    def matches(self, path: str) -> bool:
        """True when this route serves the path."""
        return re.search(self.pattern, path) is not None


@dataclass
class Fault:
    """A misbehaviour to switch on for a route."""

    kind: str
    status: int = 503
    retry_after: str | None = None
    delay: float = 0.0
    body: bytes = b""
    times: int | None = None  # None: until cleared; N: only the next N requests
    size: int = BOMB_BYTES  # gzip-bomb: bytes once inflated
    location: str = ""  # redirect: where to (empty: the request's own URL, a loop)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; choose from {sorted(FAULT_KINDS)}")


@functools.cache
def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed (about 1000:1)."""
    out = io.BytesIO()
    block = bytes(1 << 20)
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as packer:
        for start in range(0, size, len(block)):
            packer.write(block[: min(len(block), size - start)])
    return out.getvalue()


class Scenario:
    """Mutable market state the routes answer from; tests change it to see values move."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        """A scenario value."""
        return self.values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        """Change a scenario value."""
        self.values[key] = value


def discover_routes() -> list[Route]:
    """All routes from the ``routes_*`` modules next to this file."""
    package = __name__.rsplit(".", 1)[0]
    routes: list[Route] = []
    for info in sorted(pkgutil.iter_modules(importlib.import_module(package).__path__),
                       key=lambda module: module.name):
        if info.name.startswith("routes_"):
            module = importlib.import_module(f"{package}.{info.name}")
            routes.extend(module.ROUTES)
    return routes


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-request (as one does on a capped or timed-out body) is normal
    here, not a traceback on stderr."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class FakeUpstream:
    """The server. Use as a context manager or call start()/stop().

    ``requests`` keeps every request, oldest first; ``keep_requests`` keeps only about the
    newest that many (between it and twice it), for runs long enough that the log would
    weigh on a memory measurement. ``count`` counts every request either way.
    """

    def __init__(self, routes: list[Route] | None = None,
                 keep_requests: int | None = None) -> None:
        self.routes = routes if routes is not None else discover_routes()
        self.scenario = Scenario()
        self.requests: list[tuple[str, FakeRequest]] = []
        self._keep_requests = keep_requests
        self._counts: Counter[str] = Counter()
        self._faults: dict[str, Fault] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``: what tests put in ``[providers.<name>].base_url``."""
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port: int = 0) -> FakeUpstream:
        """Bind to ``port`` (0: a free one) on 127.0.0.1 and serve in a background thread."""
        upstream = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                upstream._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = _QuietServer(("127.0.0.1", port), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; wakes any slow handlers."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeUpstream:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def set_fault(self, route: str, fault: Fault) -> None:
        """Switch a fault on for a route (by its name)."""
        self._route_named(route)
        with self._lock:
            self._faults[route] = fault

    def clear_fault(self, route: str | None = None) -> None:
        """Switch faults off for one route, or all."""
        with self._lock:
            if route is None:
                self._faults.clear()
            else:
                self._faults.pop(route, None)

    def count(self, route: str) -> int:
        """How many requests the route has received."""
        with self._lock:
            return self._counts[route]

    def requests_to(self, route: str) -> list[FakeRequest]:
        """The requests the route has received (those still kept), oldest first."""
        with self._lock:
            return [request for name, request in self.requests if name == route]

    def _route_named(self, name: str) -> Route:
        for route in self.routes:
            if route.name == name:
                return route
        raise KeyError(f"no route {name!r}; routes: {[r.name for r in self.routes]}")

    def _take_fault(self, route: str) -> Fault | None:
        with self._lock:
            fault = self._faults.get(route)
            if fault is not None and fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    del self._faults[route]
            return fault

    def _handle(self, http: BaseHTTPRequestHandler) -> None:
        split = urlsplit(http.path)
        request = FakeRequest(
            path=unquote(split.path),
            query=parse_qs(split.query, keep_blank_values=True),
            headers={key.lower(): value for key, value in http.headers.items()},
            raw_path=http.path,
        )
        route = next((r for r in self.routes if r.matches(request.path)), None)
        if route is None:
            self._send(http, FakeResponse(b"no such route", status=404))
            return
        with self._lock:
            self.requests.append((route.name, request))
            self._counts[route.name] += 1
            if self._keep_requests is not None and len(self.requests) > 2 * self._keep_requests:
                del self.requests[:len(self.requests) - self._keep_requests]
        fault = self._take_fault(route.name)
        if fault is None:
            self._send(http, route.handler(request, self.scenario))
            return
        self._send_fault(http, route, request, fault)

    def _send_fault(
        self, http: BaseHTTPRequestHandler, route: Route, request: FakeRequest, fault: Fault
    ) -> None:
        if fault.kind == "reset":
            sock: socket.socket = http.connection
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            http.close_connection = True
            sock.close()
            return
        if fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            self._send(http, FakeResponse(fault.body, status=fault.status, headers=headers))
            return
        if fault.kind == "slow":
            if self._stopping.wait(fault.delay):
                return
            self._send(http, route.handler(request, self.scenario))
            return
        if fault.kind == "empty":
            self._send(http, FakeResponse(b"", content_type="text/plain"))
            return
        if fault.kind == "garbage":
            self._send(http, FakeResponse(b"\x00\x17<html>maintenance</html>\xff\xfe"))
            return
        if fault.kind == "redirect":
            self._send(http, FakeResponse(b"", status=302,
                                          headers={"Location": fault.location or http.path}))
            return
        if fault.kind == "endless":
            self._send_endless(http)
            return
        if fault.kind == "gzip-bomb":
            self._send(http, FakeResponse(gzip_bomb(fault.size),
                                          headers={"Content-Encoding": "gzip"}))
            return
        if fault.kind == "trickle":
            self._send_trickle(http, route.handler(request, self.scenario), fault.delay)
            return
        normal = route.handler(request, self.scenario)
        if fault.kind == "truncated":
            normal.body = normal.body[: len(normal.body) // 2]
        elif fault.kind == "wrong-encoding":
            text = normal.body.decode(route.encoding)
            other = "utf-8" if route.encoding.lower() in {"gbk", "gb18030", "gb2312"} else "gbk"
            normal.body = text.encode(other, errors="replace")
        elif fault.kind == "missing-fields":
            if route.missing_fields is None:
                raise ValueError(f"route {route.name} has no missing-fields variant")
            normal = route.missing_fields(request, self.scenario)
        self._send(http, normal)

    def _send_endless(self, http: BaseHTTPRequestHandler) -> None:
        chunk = b"x" * 65536
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        try:
            http.send_response(200)
            http.send_header("Content-Type", "text/plain")
            http.send_header("Transfer-Encoding", "chunked")
            http.end_headers()
            while not self._stopping.is_set():
                http.wfile.write(frame)
        except (BrokenPipeError, ConnectionResetError):
            pass
        http.close_connection = True

    def _send_trickle(self, http: BaseHTTPRequestHandler, response: FakeResponse,
                      delay: float) -> None:
        try:
            http.send_response(response.status)
            http.send_header("Content-Type", response.content_type)
            http.send_header("Content-Length", str(len(response.body)))
            http.end_headers()
            for index in range(len(response.body)):
                http.wfile.write(response.body[index : index + 1])
                http.wfile.flush()
                if self._stopping.wait(delay):
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass
        http.close_connection = True

    @staticmethod
    def _send(http: BaseHTTPRequestHandler, response: FakeResponse) -> None:
        try:
            http.send_response(response.status)
            http.send_header("Content-Type", response.content_type)
            http.send_header("Content-Length", str(len(response.body)))
            for key, value in response.headers.items():
                http.send_header(key, value)
            http.end_headers()
            http.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            return
