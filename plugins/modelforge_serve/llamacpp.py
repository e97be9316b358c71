"""GGUF models answered by llama.cpp (llama-cpp-python, the `[llamacpp]` extra): the CPU tier.

A registered model whose path is a `.gguf` file (an export of a trained model, or a GGUF
imported with `models import`) is loaded here instead of by transformers. The prompt is the
model's own chat template from the GGUF metadata, rendered as transformers renders it (no
template: the policy format of `prompt.py`), so both runtimes read the same text. Like the
transformers pool, each model carries one lock: one generation at a time per model, at most
`[serve.llamacpp] max_resident` models in memory.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from modelforge_serve.chat_request import ChatRequest
from modelforge_serve.generation import Generation, Prepared, cut_at_stop, new_tokens
from modelforge_serve.prompt import policy_text
from modelforge_serve.routing import Target
from modelforge_serve.settings import ServeSettings


@dataclass
class GGUFModel:
    """A GGUF file in memory, and the one thread that runs it.

    llama.cpp computes with a pool of worker threads tied to the thread that calls it; called
    from each request's own thread, the pool's workers of an earlier caller kept a core busy
    and generation ran at half speed (measured: 0.52 s a request from one thread, 1.1–1.2 s
    once a second connection's thread called it). So every call goes through `runner`."""

    path: str
    llm: Any  # llama_cpp.Llama; None once evicted
    context_length: int
    template: Any  # a llama_cpp Jinja2ChatFormatter, or None: the policy format
    runner: ThreadPoolExecutor
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, work, *args):
        """work(*args) on the model's own thread, its result or exception here."""
        return self.runner.submit(work, *args).result()

    def prompt(self, messages: list[dict[str, str]]) -> str:
        if self.template is None:
            return policy_text(messages)
        return self.template(messages=messages).prompt


class GGUFPool:
    """The GGUF models in memory, least recently used first."""

    def __init__(self, settings: ServeSettings):
        self.settings = settings
        self.models: OrderedDict[str, GGUFModel] = OrderedDict()
        self.lock = threading.Lock()  # guards `models`; never taken while holding a model lock
        self.counters = {"gguf_loads": 0, "gguf_evictions": 0}

    @contextmanager
    def use(self, target: Target) -> Iterator[GGUFModel]:
        while True:
            model = self._resident(target.base)
            with model.lock:
                if model.llm is None:
                    continue  # evicted while this request waited for it: load it again
                yield model
                return

    def listing(self) -> list[dict[str, Any]]:
        with self.lock:
            return [
                {"base": m.path, "backend": "llamacpp", "adapters": []}
                for m in self.models.values()
            ]

    def _resident(self, path: str) -> GGUFModel:
        with self.lock:
            if path in self.models:
                self.models.move_to_end(path)
                return self.models[path]
            while len(self.models) >= self.settings.llamacpp.max_resident:
                _, evicted = self.models.popitem(last=False)
                with evicted.lock:  # let its request in flight finish first
                    evicted.run(evicted.llm.close)
                    evicted.llm = None
                    evicted.runner.shutdown()
                self.counters["gguf_evictions"] += 1
            runner = ThreadPoolExecutor(1, thread_name_prefix="llamacpp")
            self.models[path] = runner.submit(load, path, self.settings, runner).result()
            self.counters["gguf_loads"] += 1
            return self.models[path]


def load(path: str, settings: ServeSettings, runner: ThreadPoolExecutor) -> GGUFModel:
    from modelforge.extras import require

    llama_cpp = require("llama_cpp", "serving a GGUF model")
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    threads = settings.llamacpp.threads or os.cpu_count() or 1
    context = min(settings.llamacpp.context, trained_context(path) or settings.llamacpp.context)
    with extra_buffers(settings.llamacpp.repack):
        llm = llama_cpp.Llama(
            model_path=path,
            n_ctx=context,
            n_threads=threads,
            n_threads_batch=threads,
            verbose=False,
        )
    template = llm.metadata.get("tokenizer.chat_template")
    formatter = None
    if template:
        formatter = Jinja2ChatFormatter(
            template=template,
            eos_token=special_text(llm, llm.token_eos()),
            bos_token=special_text(llm, llm.token_bos()),
            add_generation_prompt=True,
        )
    return GGUFModel(path, llm, min(llm.n_ctx(), context), formatter, runner)  # n_ctx rounds up


@contextmanager
def extra_buffers(enabled: bool) -> Iterator[None]:
    """llama.cpp's extra buffer types (weights repacked for AMX and other kernels) crash every
    quantised model at its first token on some CPUs: measured here on a Xeon with AMX in a VM
    (a q8_0 export and the Q4_1 SmolLM2 alike), as llama.cpp issue #20824 reports. `Llama()`
    has no switch for them, so the default parameters it starts from are changed while it
    loads (model loads are serialised by the pool's lock)."""
    import llama_cpp.llama_cpp as low

    if enabled:
        yield
        return
    default = low.llama_model_default_params

    def without():
        params = default()
        params.use_extra_bufts = False
        return params

    low.llama_model_default_params = without
    try:
        yield
    finally:
        low.llama_model_default_params = default


def trained_context(path: str) -> int | None:
    """The context length the model was trained with, from the file's header."""
    from gguf import GGUFReader

    fields = GGUFReader(path).fields
    architecture = fields["general.architecture"].contents()
    length = fields.get(f"{architecture}.context_length")
    return int(length.contents()) if length is not None else None


def special_text(llm, token: int) -> str:
    return "" if token < 0 else llm.detokenize([token], special=True).decode("utf-8", "replace")


def prepare(model: GGUFModel, request: ChatRequest, settings: ServeSettings) -> Prepared:
    """The prompt's tokens as llama.cpp reads them; ApiError(400) on overflowing the context."""
    text = model.prompt(request.messages)
    tokens = model.run(model.llm.tokenize, text.encode("utf-8"), True, True)  # add_bos, special
    room = new_tokens(model.context_length, len(tokens), request, settings)
    return Prepared({"tokens": tokens}, len(tokens), room)


class TextPieces:
    """The text of a generation as it comes, for a stream to read (as transformers' streamer)."""

    def __init__(self) -> None:
        self.pieces: queue.Queue[str | None] = queue.Queue()

    def put_text(self, piece: str) -> None:
        self.pieces.put(piece)

    def end(self) -> None:
        self.pieces.put(None)

    def __iter__(self) -> Iterator[str]:
        while (piece := self.pieces.get()) is not None:
            yield piece


def streamer(model: GGUFModel) -> TextPieces:
    return TextPieces()


def generate(
    model: GGUFModel,
    prepared: Prepared,
    request: ChatRequest,
    pieces: TextPieces | None = None,
    cancel: threading.Event | None = None,
) -> Generation:
    """Sample up to max_new_tokens; `pieces` receives text as it comes, `cancel` stops early."""
    return model.run(sample, model, prepared, request, pieces, cancel)


def sample(model, prepared, request, pieces, cancel) -> Generation:
    """The generation itself, on the model's own thread."""
    llm, eos = model.llm, model.llm.token_eos()
    if request.temperature > 0:
        if request.seed is not None:
            llm.set_seed(request.seed)
        sampling = {"temp": request.temperature, "top_p": request.top_p, "top_k": 0}
    else:
        sampling = {"temp": 0.0, "top_k": 1, "top_p": 1.0}
    started = time.process_time()
    new: list[int] = []
    text = ""
    try:
        tokens = llm.generate(
            prepared.inputs["tokens"], min_p=0.0, repeat_penalty=1.0, reset=True, **sampling
        )
        for token in tokens:
            if token == eos:
                new.append(token)
                break
            new.append(token)
            # decoded whole each time, so a character split across tokens comes out whole
            full = llm.detokenize(new).decode("utf-8", errors="ignore")
            if pieces is not None and len(full) > len(text):
                pieces.put_text(full[len(text) :])
            text = full
            if len(new) >= prepared.max_new_tokens or (cancel is not None and cancel.is_set()):
                break
            if request.stop and cut_at_stop(text, request.stop) != text:
                break
    finally:
        if pieces is not None:
            pieces.end()
    cut = cut_at_stop(text, request.stop)
    ran_out = len(new) >= prepared.max_new_tokens and new[-1] != eos
    return Generation(
        cut,
        prepared.prompt_tokens,
        len(new),
        "length" if ran_out and cut == text else "stop",
        time.process_time() - started,
    )
