"""Every answered request flows back into the registry (measured latency and cost) and the event
log, written by one background thread so requests neither wait on nor contend for SQLite."""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Any

from modelforge.events import record_event
from modelforge.registry import record_usage

log = logging.getLogger("modelforge.serve")


@dataclass(frozen=True)
class Served:
    """One answered request."""

    model: str
    requested: str
    reasons: list
    latency_ms: float
    prompt_tokens: int
    completion_tokens: int
    cpu_seconds: float
    stream: bool


class UsageRecorder:
    def __init__(self, db):
        self.db = db
        self.queue: queue.Queue[Served | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="serve-usage", daemon=True)
        self.thread.start()

    def record(self, served: Served) -> None:
        self.queue.put(served)

    def flush(self) -> None:
        """Wait until everything recorded so far is in the database."""
        self.queue.join()

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()

    def _run(self) -> None:
        while True:
            served = self.queue.get()
            try:
                if served is None:
                    return
                self._write(served)
            except Exception:  # a full disk must not stop the server answering
                log.exception("could not record a served request")
            finally:
                self.queue.task_done()

    def _write(self, served: Served) -> None:
        tokens = served.prompt_tokens + served.completion_tokens
        record_usage(self.db, served.model, served.latency_ms, tokens, served.cpu_seconds)
        data: dict[str, Any] = {
            "requested": served.requested,
            "reasons": served.reasons,
            "prompt_tokens": served.prompt_tokens,
            "completion_tokens": served.completion_tokens,
            "stream": served.stream,
        }
        record_event(
            self.db,
            "serve.request",
            f"{served.requested} answered by {served.model} in "
            f"{served.latency_ms:.0f} ms ({tokens} tokens)",
            model=served.model,
            latency_ms=round(served.latency_ms, 2),
            tokens=tokens,
            **data,
        )
