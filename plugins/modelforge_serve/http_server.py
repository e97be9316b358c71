"""The HTTP layer, on the standard library's ThreadingHTTPServer (one thread per connection,
HTTP/1.1 keep-alive, streams as chunked server-sent events). No web framework is installed;
this keeps the server a dependency-free part of the core install.

Every error is an OpenAI-shaped JSON body with its status; an unexpected exception is logged
with its traceback here and answered 500 without one. A client that goes away mid-request is
answered nothing: its connection is closed and counted (`counters`, listed by /admin/adapters).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from modelforge_serve.auth import check_bearer
from modelforge_serve.openai_errors import ApiError, error_body

log = logging.getLogger("modelforge.serve")

Handler = Callable[[Any], Any]  # takes the JSON body (None for GET), returns dict or iterator
OPEN_PATHS = ("/health",)  # answered without a token, for load balancers and probes


def parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError) as why:
        raise ApiError(
            400, f"the request body is not valid JSON: {why}", code="invalid_json"
        ) from None
    except RecursionError:  # the decoder recurses per level; 100k `[` exhaust the stack
        raise ApiError(
            400, "the request body is JSON nested too deeply to parse", code="invalid_json"
        ) from None


DISCARD_FACTOR = 16  # bodies past 16x the limit are not read: the connection just closes
GONE = (BrokenPipeError, ConnectionResetError)  # writing to a client that has left


class ClientGone(Exception):
    """The client closed the connection before its request was complete."""


class ServeHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 refuses connections from a burst of clients

    def __init__(
        self,
        address,
        routes: dict[tuple[str, str], Handler],
        token: str | None,
        max_body_bytes: int,
        read_timeout_s: float | None,
    ):
        super().__init__(address, RequestHandler)
        self.routes = routes
        self.token = token
        self.max_body_bytes = max_body_bytes
        self.read_timeout_s = read_timeout_s
        self.counters = {"client_disconnects": 0}
        self._counters_lock = threading.Lock()

    def count(self, name: str) -> None:
        with self._counters_lock:
            self.counters[name] += 1


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ServeHTTPServer

    def setup(self) -> None:
        # Every blocking read and write on the connection gives up after read_timeout_s: a
        # client that stalls mid-request, or idles on keep-alive, is disconnected instead of
        # holding its thread forever. The standard library closes it on a timeout between
        # requests; _raw_body answers 408 to one inside a body.
        self.timeout = self.server.read_timeout_s
        super().setup()

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def _dispatch(self, method: str) -> None:
        try:
            raw = self._raw_body()  # read first, so the connection stays usable after an error
            path = urlsplit(self.path).path.rstrip("/") or "/"
            handler = self.server.routes.get((method, path))
            if handler is None:
                known = any(p == path for _, p in self.server.routes)
                raise ApiError(
                    405 if known else 404,
                    f"{method} {path} is not " + ("allowed" if known else "a route"),
                    code="method_not_allowed" if known else "unknown_url",
                )
            if path not in OPEN_PATHS:
                check_bearer(self.headers.get("Authorization"), self.server.token)
            result = handler(parse_json(raw) if method == "POST" else None)
        except ClientGone:
            self._client_gone()
            return
        except ApiError as error:
            self._send_json(error.status, error.body())
            return
        except Exception:
            log.exception("unexpected error answering %s %s", method, self.path)
            self._send_json(
                500,
                error_body(
                    500,
                    "the server failed to answer this request; its log has the details",
                    "internal_error",
                ),
            )
            return
        if isinstance(result, dict):
            self._send_json(200, result)
        else:
            self._send_stream(result)

    def _raw_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            raise ApiError(411, "send the body with a Content-Length", code="length_required")
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            self.close_connection = True
            raise ApiError(400, "Content-Length is not a number", code="invalid_request") from None
        if length > self.server.max_body_bytes:
            self.close_connection = True  # the unread body must not be taken for a request
            self._discard(length)
            raise ApiError(
                413,
                f"the request body is {length} bytes; this server accepts at "
                f"most {self.server.max_body_bytes}",
                code="request_too_large",
            )
        try:
            raw = self.rfile.read(length) if length > 0 else b""
        except ConnectionResetError:
            raise ClientGone from None
        except TimeoutError:
            self.close_connection = True
            raise ApiError(
                408,
                f"the request body did not arrive within {self.server.read_timeout_s}s",
                code="request_timeout",
            ) from None
        if len(raw) < length:  # the stream ended early: the client left, the body is not malformed
            raise ClientGone
        return raw

    def _client_gone(self) -> None:
        self.close_connection = True
        self.server.count("client_disconnects")
        log.debug("%s left before its request was complete", self.address_string())

    def _discard(self, length: int) -> None:
        """Read and drop an oversized body, up to a bound, so the client hears the 413 and
        not a reset connection while it is still sending."""
        left = min(length, DISCARD_FACTOR * self.server.max_body_bytes)
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                return
            left -= len(chunk)

    # ------------------------------------------------------------ responses

    def _send_json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        try:
            self.end_headers()
            self.wfile.write(data)
        except GONE:
            self._client_gone()

    def _send_stream(self, events: Iterator[dict[str, Any]]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            try:
                for event in events:
                    self._chunk(f"data: {json.dumps(event)}\n\n")
            except ApiError as error:  # after the headers: the error travels as an event
                self._chunk(f"data: {json.dumps(error.body())}\n\n")
            except (*GONE, TimeoutError):
                raise
            except Exception:
                log.exception("unexpected error while streaming %s", self.path)
                body = error_body(
                    500, "generation failed; the server's log has the details", "internal_error"
                )
                self._chunk(f"data: {json.dumps(body)}\n\n")
            self._chunk("data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
        except GONE:  # the client left; closing `events` cancels generation
            self._client_gone()
        except TimeoutError:  # the client stopped reading
            self.close_connection = True
        finally:
            close = getattr(events, "close", None)
            if close is not None:
                close()

    def _chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()
