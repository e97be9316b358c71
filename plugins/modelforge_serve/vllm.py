"""For GPU deployments: the `vllm serve` command lines that serve the same adapters.

vLLM serves one base per process, so there is one command per base, listing every adapter on it
that passes the lineage check as `--lora-modules name=path`. Adapters added later are loaded at
run time through vLLM's own `POST /v1/load_lora_adapter` once the server was started with
VLLM_ALLOW_RUNTIME_LORA_UPDATING=True. The bearer token goes in VLLM_API_KEY, never on the
command line, where `ps` would show it.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path

from modelforge.registry import list_models
from modelforge_serve.openai_errors import ApiError
from modelforge_serve.routing import Router
from modelforge_serve.settings import ServeSettings

# vLLM accepts only these values for --max-lora-rank.
LORA_RANKS = (8, 16, 32, 64, 128, 256, 320, 512)


@dataclass(frozen=True)
class VllmCommand:
    base: str
    argv: list[str]
    env: dict[str, str]  # values may name other variables ($VAR), expanded by the shell

    def shell(self) -> str:
        assignments = [f'{key}="{value}"' for key, value in self.env.items()]
        return " ".join([*assignments, *map(shlex.quote, self.argv)])


@dataclass(frozen=True)
class VllmPlan:
    commands: list[VllmCommand]
    refused: dict[str, str]  # adapters left out, and why


def vllm_plan(router: Router, settings: ServeSettings, host: str, port: int) -> VllmPlan:
    """One command per base that has servable adapters, in registry order."""
    adapters: dict[str, dict[str, str]] = {}
    refused: dict[str, str] = {}
    for entry in list_models(router.app.db):
        if entry.kind != "local" or not entry.adapter:
            continue
        try:
            target = router.target(entry.name)
        except ApiError as why:
            refused[entry.name] = why.message
            continue
        adapters.setdefault(target.base, {})[entry.name] = target.adapter
    return VllmPlan(
        [command(base, modules, settings, host, port) for base, modules in adapters.items()],
        refused,
    )


def command(
    base: str, modules: dict[str, str], settings: ServeSettings, host: str, port: int
) -> VllmCommand:
    vllm = settings.vllm
    argv = [
        vllm.executable,
        "serve",
        base,
        "--host",
        host,
        "--port",
        str(port),
        "--enable-lora",
        "--max-loras",
        str(vllm.max_loras),
        "--max-cpu-loras",
        str(max(vllm.max_cpu_loras, vllm.max_loras)),
        "--max-lora-rank",
        str(lora_rank_limit(modules.values())),
        "--gpu-memory-utilization",
        str(vllm.gpu_memory_utilization),
        "--lora-modules",
        *(f"{name}={path}" for name, path in modules.items()),
        *vllm.extra_args,
    ]
    env = {"VLLM_ALLOW_RUNTIME_LORA_UPDATING": "True", "VLLM_API_KEY": f"${settings.token_env}"}
    return VllmCommand(base, argv, env)


def lora_rank_limit(paths) -> int:
    """The smallest rank vLLM accepts that covers every adapter's `r` (and its rank_pattern)."""
    highest = 1
    for path in paths:
        config = json.loads((Path(path) / "adapter_config.json").read_text(encoding="utf-8"))
        highest = max(
            highest, int(config.get("r", 8)), *map(int, (config.get("rank_pattern") or {}).values())
        )
    return next((rank for rank in LORA_RANKS if rank >= highest), highest)
