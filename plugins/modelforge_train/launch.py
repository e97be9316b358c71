"""The `accelerate launch` command line that runs `modelforge train` on several processes.

DeepSpeed and FSDP come in through an accelerate config file (TRL ships ZeRO-2/3 and FSDP
ones); modelforge only passes it through, it builds no distributed code of its own.
"""

from __future__ import annotations

import sys


def accelerate_command(
    model_type: str,
    stage: str,
    *,
    num_processes: int,
    config_file: str | None,
    base: str | None = None,
    max_steps: int | None = None,
    from_artifact: int | None = None,
    python: str | None = None,
) -> list[str]:
    """argv for `accelerate launch … -m modelforge train … --launcher local`."""
    command = [
        python or sys.executable,
        "-m",
        "accelerate.commands.launch",
        "--num_processes",
        str(num_processes),
    ]
    if config_file:
        command += ["--config_file", config_file]
    elif num_processes > 1:
        # without it accelerate starts one process on a machine with fewer than two GPUs;
        # with it, torchrun starts them all (on CPUs they train with gloo)
        command += ["--multi_gpu"]
    command += [
        "-m",
        "modelforge",
        "train",
        "--type",
        model_type,
        "--stage",
        stage,
        "--launcher",
        "local",
    ]
    if base:
        command += ["--base", base]
    if max_steps is not None:
        command += ["--max-steps", str(max_steps)]
    if from_artifact is not None:
        command += ["--from", str(from_artifact)]
    return command
