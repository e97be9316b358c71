"""The [generate] config table: how many examples, which roles, the backends' settings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from modelforge.settings import Section


class RolesSettings(Section):
    """Each role as `backend` or `backend:model` (procedural, hf, openai-compatible, anthropic, gemini)."""

    context: str = "procedural"  # role A: retrieves the knowledge and rules an example needs
    teacher: str = "procedural"  # role B: writes the expert trajectory step by step
    verifier: str = "procedural"  # role C: checks every step and the outcome


class BackendSettings(Section):
    """One chat backend. Keys are read from the environment variable named here, never stored."""

    model: str | None = None  # a model id, or for hf a local path
    base_url: str | None = None  # e.g. a vLLM or Ollama server for openai-compatible
    api_key_env: str | None = None  # default per backend: OPENAI_API_KEY, ANTHROPIC_API_KEY, ...
    timeout_s: float = 60.0  # seconds per request
    max_retries: int = 3  # on timeouts, 429 and 5xx, with exponential backoff (the SDKs' own)
    concurrency: int = 4  # requests in flight at once
    max_tokens: int = 1024  # per answer
    temperature: float = 0.2  # sampling temperature


class GenerateSettings(Section):
    """How many fresh examples each cycle makes, and how they are spread."""

    per_cycle: int = Field(64, ge=0)  # fresh examples every cycle, at least
    pool_target: int = Field(256, ge=0)  # and enough to bring the unserved pool up to this
    max_retries: int = Field(2, ge=0)  # times the verifier may send a trajectory back
    attempts_per_example: int = Field(5, ge=1)  # a batch gives up after n * this attempts
    # an example this similar to a stored one is dropped
    near_duplicate_threshold: float = Field(0.9, gt=0, le=1)
    # how the mix leans: "weakness" toward weak categories (the default until a benchmark
    # measures "edge" better), "edge" toward the champion's pass rate p near ½, by p·(1 − p)
    mix: Literal["weakness", "edge"] = "weakness"
    coverage_floor: float = Field(0.1, ge=0, le=1)  # a share every category gets at least
    weakness_weight: float = Field(0.5, ge=0, le=1)  # the rest, for "weakness": weak vs coverage
    seed: int | None = None  # fixed for reproducible batches; unset draws fresh seeds
    roles: RolesSettings = RolesSettings()
    backends: dict[str, BackendSettings] = Field(default_factory=dict)
