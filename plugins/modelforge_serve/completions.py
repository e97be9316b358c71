"""`POST /v1/chat/completions`: route, generate, answer (whole or streamed), record.

Everything a client can get wrong is found before the first byte of a stream is sent, so it is
answered with an error status, not an error inside a 200 stream.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from modelforge_serve import generation, llamacpp
from modelforge_serve import openai_schema as schema
from modelforge_serve.chat_request import ChatRequest, parse_chat_request
from modelforge_serve.generation import Generation, StopFilter, check_max_tokens
from modelforge_serve.llamacpp import GGUFPool
from modelforge_serve.pool import ModelPool
from modelforge_serve.routing import LLAMACPP, TRANSFORMERS, Route, Router
from modelforge_serve.settings import ServeSettings
from modelforge_serve.usage import Served, UsageRecorder


@dataclass(frozen=True)
class Backend:
    """One runtime's way to answer: hold the model, encode the prompt, stream, generate."""

    pool: Any  # its `use(target)` holds the model loaded and locked while a request runs
    prepare: Callable[..., Any]
    streamer: Callable[[Any], Any]  # loaded -> an iterator of text pieces with end()
    generate: Callable[..., Generation]


def transformers_streamer(loaded):
    from transformers import TextIteratorStreamer

    return TextIteratorStreamer(loaded.tokenizer, skip_prompt=True, skip_special_tokens=True)


class Completions:
    def __init__(
        self,
        settings: ServeSettings,
        router: Router,
        pool: ModelPool,
        gguf: GGUFPool,
        recorder: UsageRecorder,
    ):
        self.settings = settings
        self.router = router
        self.recorder = recorder
        self.backends = {
            TRANSFORMERS: Backend(
                pool, generation.prepare, transformers_streamer, generation.generate
            ),
            LLAMACPP: Backend(gguf, llamacpp.prepare, llamacpp.streamer, llamacpp.generate),
        }

    def create(self, body: Any) -> dict[str, Any] | Iterator[dict[str, Any]]:
        """A completion dict, or for `stream: true` an iterator of chunk dicts."""
        started = time.monotonic()
        request = parse_chat_request(body)
        check_max_tokens(request, self.settings)
        route = self.router.route(request.model)
        if request.stream:
            return self._stream(route, request, started)
        backend = self.backends[route.target.backend]
        with backend.pool.use(route.target) as loaded:
            result = backend.generate(
                loaded, backend.prepare(loaded, request, self.settings), request
            )
        self._record(route, result, started, stream=False)
        return schema.completion(
            schema.completion_id(),
            route.target.name,
            result.text,
            result.finish_reason,
            schema.usage(result.prompt_tokens, result.completion_tokens),
            _routing(route),
        )

    def _stream(self, route: Route, request: ChatRequest, started: float):
        backend = self.backends[route.target.backend]
        ready: Future = Future()
        done: Future = Future()
        cancel = threading.Event()

        def work() -> None:
            streamer = None
            try:
                with backend.pool.use(route.target) as loaded:
                    prepared = backend.prepare(loaded, request, self.settings)
                    streamer = backend.streamer(loaded)
                    ready.set_result(streamer)
                    done.set_result(backend.generate(loaded, prepared, request, streamer, cancel))
            except Exception as exc:  # noqa: BLE001 - handed to the request thread to answer
                (done if ready.done() else ready).set_exception(exc)
                if streamer is not None:
                    streamer.end()

        threading.Thread(target=work, name="serve-generate", daemon=True).start()
        streamer = ready.result()  # errors before generation starts surface here, as statuses
        return self._chunks(route, request, streamer, done, cancel, started)

    def _chunks(
        self, route, request, streamer, done: Future, cancel: threading.Event, started: float
    ) -> Iterator[dict[str, Any]]:
        ident, name = schema.completion_id(), route.target.name
        stops = StopFilter(request.stop)
        try:
            yield schema.chunk(
                ident, name, {"role": "assistant", "content": ""}, routing=_routing(route)
            )
            for piece in streamer:
                if text := stops.feed(piece):
                    yield schema.chunk(ident, name, {"content": text})
            if text := stops.finish():
                yield schema.chunk(ident, name, {"content": text})
            result: Generation = done.result()
            finish = "stop" if stops.stopped else result.finish_reason
            yield schema.chunk(ident, name, {}, finish_reason=finish)
            if request.include_usage:
                yield schema.chunk(
                    ident,
                    name,
                    None,
                    used=schema.usage(result.prompt_tokens, result.completion_tokens),
                )
            self._record(route, result, started, stream=True)
        finally:
            cancel.set()  # a client gone mid-stream stops the generation it started

    def _record(self, route: Route, result: Generation, started: float, stream: bool) -> None:
        self.recorder.record(
            Served(
                model=route.target.name,
                requested=route.requested,
                reasons=route.reasons,
                latency_ms=(time.monotonic() - started) * 1000,
                prompt_tokens=result.prompt_tokens,
                completion_tokens=result.completion_tokens,
                cpu_seconds=result.cpu_seconds,
                stream=stream,
            )
        )


def _routing(route: Route) -> dict[str, Any]:
    return {"requested": route.requested, "reasons": route.reasons}
