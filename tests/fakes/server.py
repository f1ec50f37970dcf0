"""A tiny threaded HTTP server the platform fakes build on.

Each fake registers routes (method, regex on the path) that return `Reply` objects built from the
real platforms' JSON shapes. Tests can add latency to every request, inject failures (429 with
Retry-After, 500, 401...) for the next N requests matching a path, and read the request log to assert
how many calls a client made.
"""
from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    match: re.Match[str] | None = None

    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json", **(headers or {})})

    @classmethod
    def text(cls, text: str, content_type: str = "text/html; charset=utf-8", status: int = 200) -> Reply:
        return cls(status, text.encode(), {"Content-Type": content_type})


Handler = Callable[[Request], Reply]


@dataclass
class _Fault:
    path_pattern: re.Pattern[str]
    reply: Reply
    remaining: int


class FakeService:
    """What every platform fake shares: one FakeServer, its address, starting and stopping."""

    server: FakeServer

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> Self:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hang up early after error replies (yt-dlp does); that is not a test failure."""


class FakeServer:
    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self.latency_s = 0.0
        self.bytes_per_second: float | None = None  # throttles every body, per connection
        self.requests: list[Request] = []
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        # A short poll interval: shutdown() waits up to one interval, and every test stops a server.
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, method: str, path_regex: str, handler: Handler) -> None:
        self._routes.append((method, re.compile(path_regex + r"\Z"), handler))

    def fail(self, path_regex: str, reply: Reply, times: int = 1) -> None:
        """Answer the next `times` requests whose path matches with `reply` instead of the route."""
        with self._lock:
            self._faults.append(_Fault(re.compile(path_regex), reply, times))

    def requests_to(self, path_regex: str) -> list[Request]:
        pattern = re.compile(path_regex)
        return [r for r in self.requests if pattern.search(r.path)]

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _dispatch(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            for fault in self._faults:
                if fault.remaining > 0 and fault.path_pattern.search(request.path):
                    fault.remaining -= 1
                    return fault.reply
        for method, pattern, handler in self._routes:
            match = pattern.match(request.path)
            if method == request.method and match:
                request.match = match
                return handler(request)
        return Reply.json({"error": {"status": 404, "message": "Not found."}}, status=404)

    def _send_body(self, out: Any, body: bytes) -> None:
        rate = self.bytes_per_second
        if not rate:
            out.write(body)
            return
        chunk = max(1024, int(rate / 20))  # 20 writes a second: smooth progress, prompt cancels
        for start in range(0, len(body), chunk):
            out.write(body[start:start + chunk])
            time.sleep(chunk / rate)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out separately; don't wait 40 ms between

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query={k: v[-1] for k, v in parse_qs(parts.query).items()},
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                if server.latency_s:
                    time.sleep(server.latency_s)
                reply = server._dispatch(request)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                server._send_body(self.wfile, reply.body)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

        return _Handler
