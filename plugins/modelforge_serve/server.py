"""The server assembled from an App: settings, routes, pool, usage recorder; run or started in a
thread (tests, benches)."""

from __future__ import annotations

import errno
import threading
from dataclasses import dataclass
from typing import Any

from modelforge.errors import ModelforgeError
from modelforge_serve import openai_schema as schema
from modelforge_serve.admin import Admin
from modelforge_serve.auth import server_token
from modelforge_serve.completions import Completions
from modelforge_serve.http_server import ServeHTTPServer
from modelforge_serve.llamacpp import GGUFPool
from modelforge_serve.pool import ModelPool
from modelforge_serve.routing import Router
from modelforge_serve.usage import UsageRecorder


@dataclass
class Server:
    httpd: ServeHTTPServer
    pool: ModelPool
    recorder: UsageRecorder
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Server:
        """Serve in a background thread (tests, benches)."""
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, args=(0.05,), name="serve-http", daemon=True
        )
        self.thread.start()
        return self

    def serve_forever(self) -> None:
        try:
            self.httpd.serve_forever()
        finally:
            self.close()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.close()

    def close(self) -> None:
        self.httpd.server_close()
        self.recorder.close()


def build_server(app, host: str | None = None, port: int | None = None) -> Server:
    """A server bound to host:port (config defaults; port 0 picks a free one), not yet serving.

    Bound off loopback without a token it raises ModelforgeError before binding; so does an
    address it cannot bind (a port in use), with a one-line message.
    """
    settings = app.config.section("serve")
    host = settings.host if host is None else host
    port = settings.port if port is None else port
    token = server_token(host, settings.token_env)
    router, pool, gguf = Router(app), ModelPool(settings), GGUFPool(settings)
    recorder = UsageRecorder(app.db)  # migrates the database before the first request
    completions = Completions(settings, router, pool, gguf, recorder)
    admin = Admin(router, pool)

    def models(_: Any) -> dict[str, Any]:
        bases = pool.listing()["bases"] + gguf.listing()
        resident = {s["model"] for b in bases for s in b["adapters"]}
        resident |= {b["base"] for b in bases}
        return {
            "object": "list",
            "data": [
                schema.model_object(e, e.name in resident or e.path in resident)
                for e in router.servable()
            ],
        }

    def health(_: Any) -> dict[str, Any]:
        listing = pool.listing()
        return {
            "status": "ok",
            "bases": len(listing["bases"]) + len(gguf.listing()),
            "adapters": sum(len(b["adapters"]) for b in listing["bases"]),
        }

    def adapters(_: Any) -> dict[str, Any]:
        listing = admin.adapters()  # the pools' counters, and the connections' (httpd's, below)
        counters = {**listing["counters"], **gguf.counters, **httpd.counters}
        return {**listing, "bases": listing["bases"] + gguf.listing(), "counters": counters}

    routes = {
        ("GET", "/health"): health,
        ("GET", "/v1/models"): models,
        ("POST", "/v1/chat/completions"): completions.create,
        ("GET", "/admin/adapters"): adapters,
        ("POST", "/admin/adapters"): admin.change,
    }
    try:
        httpd = ServeHTTPServer(
            (host, port),
            routes,
            token,
            settings.max_body_bytes,
            settings.read_timeout_s,
        )
    except OSError as why:
        recorder.close()
        raise ModelforgeError(_bind_failure(host, port, why)) from None
    return Server(httpd, pool, recorder)


def _bind_failure(host: str, port: int, why: OSError) -> str:
    """One line: where, why, and what to do about it."""
    if why.errno == errno.EADDRINUSE:
        return (
            f"cannot listen on {host}:{port}: the port is already in use (another "
            f"`modelforge serve`?); stop that server or pick another with --port"
        )
    if why.errno == errno.EACCES:
        return (
            f"cannot listen on {host}:{port}: permission denied; ports below 1024 need "
            f"privileges, pick another with --port"
        )
    return (
        f"cannot listen on {host}:{port}: {why.strerror or why}; check --host and --port "
        f"([serve] host, port)"
    )
