"""One completion from a loaded model: the prompt checked against the limits, then `generate`."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from modelforge_serve.chat_request import ChatRequest
from modelforge_serve.openai_errors import ApiError
from modelforge_serve.pool import Loaded
from modelforge_serve.prompt import prompt_text
from modelforge_serve.settings import ServeSettings


@dataclass(frozen=True)
class Prepared:
    """The encoded prompt and how many tokens may follow it."""

    inputs: dict
    prompt_tokens: int
    max_new_tokens: int


@dataclass(frozen=True)
class Generation:
    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str  # stop | length
    cpu_seconds: float


def check_max_tokens(request: ChatRequest, settings: ServeSettings) -> None:
    """ApiError(400) for a request asking more than the server's `max_tokens`."""
    if request.max_tokens is not None and request.max_tokens > settings.max_tokens:
        raise ApiError(
            400,
            f"max_tokens is {request.max_tokens}, above this server's limit of "
            f"{settings.max_tokens}",
            code="max_tokens_exceeded",
            param="max_tokens",
        )


def prepare(loaded: Loaded, request: ChatRequest, settings: ServeSettings) -> Prepared:
    """The prompt's tokens; ApiError(400) when prompt and max_tokens overflow the context."""
    text = prompt_text(loaded.tokenizer, request.messages)
    inputs = loaded.tokenizer(text, return_tensors="pt").to(loaded.device)
    prompt_tokens = int(inputs["input_ids"].shape[1])
    room = new_tokens(loaded.context_length, prompt_tokens, request, settings)
    return Prepared(dict(inputs), prompt_tokens, room)


def new_tokens(
    context_length: int, prompt_tokens: int, request: ChatRequest, settings: ServeSettings
) -> int:
    """How many tokens may follow the prompt; ApiError(400) when they overflow the context."""
    room = context_length - prompt_tokens
    wanted = request.max_tokens or settings.default_max_tokens
    if room < 1 or (request.max_tokens is not None and wanted > room):
        raise ApiError(
            400,
            f"this model's context is {context_length} tokens; the "
            f"messages take {prompt_tokens} and max_tokens asks {wanted} more",
            code="context_length_exceeded",
            param="messages",
        )
    return min(wanted, room)


def generate(
    loaded: Loaded,
    prepared: Prepared,
    request: ChatRequest,
    streamer=None,
    cancel: threading.Event | None = None,
) -> Generation:
    """Run the model; `streamer` receives tokens as they come, `cancel` stops it early."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class Cancelled(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            return bool(cancel is not None and cancel.is_set())

    tokenizer = loaded.tokenizer
    options = {
        "max_new_tokens": prepared.max_new_tokens,
        "pad_token_id": tokenizer.pad_token_id,
        "eos_token_id": tokenizer.eos_token_id,
        "streamer": streamer,
        "stopping_criteria": StoppingCriteriaList([Cancelled()]),
    }
    if request.temperature > 0:
        options.update(do_sample=True, temperature=request.temperature, top_p=request.top_p)
        if request.seed is not None:
            torch.manual_seed(request.seed)
    else:
        options.update(do_sample=False, temperature=None, top_p=None, top_k=None)
    if request.stop:
        options.update(stop_strings=request.stop, tokenizer=tokenizer)
    started = time.process_time()
    with torch.inference_mode():
        output = loaded.model.generate(**prepared.inputs, **options)
    new = output[0][prepared.prompt_tokens :].tolist()
    full = tokenizer.decode(new, skip_special_tokens=True)
    text = cut_at_stop(full, request.stop)
    ran_out = len(new) >= prepared.max_new_tokens and new[-1] != tokenizer.eos_token_id
    return Generation(
        text,
        prepared.prompt_tokens,
        len(new),
        "length" if ran_out and text == full else "stop",
        time.process_time() - started,
    )


def cut_at_stop(text: str, stops: list[str]) -> str:
    """The text before the first stop sequence (OpenAI leaves the stop sequence out)."""
    ends = [text.find(stop) for stop in stops if stop in text]
    return text[: min(ends)] if ends else text


class StopFilter:
    """Streams text while holding back what could be the start of a stop sequence."""

    def __init__(self, stops: list[str]):
        self.stops = stops
        self.hold = max((len(s) for s in stops), default=1) - 1
        self.pending = ""
        self.stopped = False

    def feed(self, piece: str) -> str:
        if self.stopped:
            return ""
        self.pending += piece
        cut = cut_at_stop(self.pending, self.stops)
        if len(cut) < len(self.pending):
            self.stopped, self.pending = True, ""
            return cut
        safe = len(self.pending) - self.hold
        out, self.pending = self.pending[: max(safe, 0)], self.pending[max(safe, 0) :]
        return out

    def finish(self) -> str:
        out, self.pending = ("" if self.stopped else self.pending), ""
        return out
