"""The `[serve]` config table: where the server listens, what it accepts, what stays resident."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from modelforge.settings import Section


class VllmSettings(Section):
    """What `modelforge serve --vllm` puts on the vLLM command line for GPU deployments."""

    executable: str = "vllm"  # the vllm command
    max_loras: int = 4  # adapters vLLM keeps on the GPU at once
    max_cpu_loras: int = 16  # adapters it keeps in host memory
    gpu_memory_utilization: float = 0.9  # share of GPU memory vLLM may take
    extra_args: list[str] = []  # added to the vllm command line as they are


class LlamaCppSettings(Section):
    """How `serve` runs GGUF models with llama.cpp (the `[llamacpp]` extra)."""

    threads: int = Field(0, ge=0)  # CPU threads a generation uses; 0: every core
    context: int = Field(2048, gt=0)  # tokens of context kept per model (capped by its own)
    max_resident: int = Field(2, gt=0)  # GGUF models kept in memory; least recently used goes
    # llama.cpp's repacked weight buffers (AMX and others): faster quantised matrices on some
    # CPUs, a crash at the first token on others (an AMX Xeon in a VM); off unless measured safe
    repack: bool = False


class ServeSettings(Section):
    """The OpenAI-compatible server: where it listens, what it accepts and keeps loaded."""

    host: str = "127.0.0.1"  # anything but loopback requires a bearer token
    port: int = Field(8765, ge=1, le=65535)  # the TCP port
    token_env: str = "MODELFORGE_SERVE_TOKEN"  # the variable holding the bearer token
    max_body_bytes: int = Field(1_000_000, gt=0)  # larger requests get 413
    read_timeout_s: float = Field(60.0, gt=0)  # a connection silent this long is closed
    max_tokens: int = Field(512, gt=0)  # the most `max_tokens` a request may ask for
    default_max_tokens: int = Field(128, gt=0)  # when a request names none
    max_resident_adapters: int = 4  # per base; the least recently used is unloaded
    max_resident_bases: int = 2  # base models (and full-weight models) kept in memory
    device: str = "auto"  # auto: cuda when available, else cpu
    # the weights' type in memory; auto: the model's own
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"
    vllm: VllmSettings = VllmSettings()
    llamacpp: LlamaCppSettings = LlamaCppSettings()
