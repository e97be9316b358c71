"""The Ollama Modelfile written beside an exported GGUF, so `ollama create NAME -f Modelfile`
works as is: the prompt format the model was trained with, its stop tokens, and its training
as comments.

Ollama's templates are Go templates, not the tokenizer's Jinja, so the two formats modelforge
trains are written out: ChatML (SmolLM2 and most small chat models) and the embedded bases'
plain format (each message's text on its own line, as `serve` builds it), with the system
message a ChatML template adds by default (SmolLM2's). Any other chat template is left to
Ollama, which reads the GGUF's own.
"""

from __future__ import annotations

import json
import re
from typing import Any

CHATML = (
    "{{- if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}"
    "{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}"
    "<|im_start|>assistant\n"
)
PLAIN = "{{- range .Messages }}{{ .Content }}\n{{ end }}"
PROBE = "modelforge-probe"  # a user message rendered through the chat template
LINEAGE_SHOWN = ("stages", "rules_version", "model_type_version", "config_hash", "metrics")


def template_of(tokenizer) -> tuple[str | None, str | None, list[str]]:
    """(the Go template, or None to let Ollama read the GGUF's; the default system message the
    chat template adds, if any; the stop tokens). ChatML is written only when the tokenizer's
    own template renders a user message exactly as the Go template will."""
    chat_template = getattr(tokenizer, "chat_template", None)
    if not chat_template:
        return PLAIN, None, []
    if "<|im_start|>" not in chat_template:
        return None, None, []
    rendered = tokenizer.apply_chat_template(
        [{"role": "user", "content": PROBE}], tokenize=False, add_generation_prompt=True
    )
    turn = f"<|im_start|>user\n{PROBE}<|im_end|>\n<|im_start|>assistant\n"
    system = re.fullmatch(
        r"<\|im_start\|>system\n(.*)<\|im_end\|>\n", rendered.removesuffix(turn), re.DOTALL
    )
    if not rendered.endswith(turn) or (rendered != turn and system is None):
        return None, None, []
    return CHATML, system.group(1) if system else None, ["<|im_start|>", "<|im_end|>"]


def modelfile(
    gguf_name: str,
    model: str,
    tokenizer,
    context_length: int,
    lineage: dict[str, Any],
) -> str:
    """The Modelfile's text for the GGUF file `gguf_name` in the same folder."""
    template, system, stops = template_of(tokenizer)
    if tokenizer.eos_token and tokenizer.eos_token not in stops:
        stops.append(tokenizer.eos_token)
    lines = [f"# {model}, exported by modelforge"]
    for key in LINEAGE_SHOWN:
        if lineage.get(key) is not None:
            lines.append(f"# {key}: {json.dumps(lineage[key], default=str)}")
    lines += ["", f"FROM ./{gguf_name}"]
    if template is None:
        lines.append("# TEMPLATE: Ollama reads the chat template stored in the GGUF")
    else:
        lines.append(f'TEMPLATE """{template}"""')
    if system:
        lines.append(f'SYSTEM """{system}"""')
    lines += [f"PARAMETER stop {json.dumps(stop)}" for stop in stops]
    lines.append(f"PARAMETER num_ctx {context_length}")
    return "\n".join(lines) + "\n"
