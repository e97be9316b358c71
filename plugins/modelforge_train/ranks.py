"""Several processes under `accelerate launch`: only the main one touches the database, the
example store and the artifact registry. It runs the lifecycle as a single process would and,
at each training stage, hands the others what they need to join in (the drawn examples, the
base, the stage's work directory, the model it starts from); the others only train.

The messages go through `torch.distributed` (accelerate's broadcast_object_list): every
process calls `share` the same number of times, the main one with the message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

DONE = None  # the main process has no more stages for the others


@dataclass(frozen=True)
class StagePlan:
    """What a non-main process needs to train a stage alongside the main one."""

    spec: str  # "srl" or "rlvr"
    model_type: str
    work_dir: str
    examples: list[dict[str, Any]]  # the drawn examples, as Example.model_dump()
    base: Any  # policy.BaseModel
    start_from: dict[str, Any] | None


def world_size() -> int:
    return int(os.environ.get("WORLD_SIZE", "1"))


def several() -> bool:
    """Whether this process is one of several started by a launcher."""
    return world_size() > 1


def is_main() -> bool:
    return int(os.environ.get("RANK", "0")) == 0


def share(message: Any = None) -> Any:
    """The main process's message, on every process; the others pass nothing."""
    import torch
    from accelerate import PartialState
    from accelerate.utils import broadcast_object_list

    # the same state the trainer's arguments make (use_cpu without a GPU): gloo on CPUs
    PartialState(cpu=not torch.cuda.is_available())
    box = [message if is_main() else None]
    broadcast_object_list(box, from_process=0)
    return box[0]


def close() -> None:
    """On every process, once the last stage is trained: wait for the others, then tear the
    process group down, so that no rank leaves while another still talks to it."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def leave(status: int) -> None:
    """End this process now, its output flushed, without the interpreter's finalization.

    gloo's worker threads can still hold the last reference to a finished collective when the
    interpreter shuts down; releasing it then needs the GIL, the thread is unwound instead, and
    the C++ runtime aborts the process (`terminate called without an active exception`,
    SIGABRT), after which the launcher ends the other ranks and fails the run: 2 runs in 12,
    and still 2 in 30 with the process group destroyed first (a rank kept Python references to
    it that no garbage collection freed). Everything a rank writes (the database, checkpoints,
    the artifact) is committed before this point, so nothing is lost by skipping finalization."""
    import logging
    import sys

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(status)


def hand_out(plan: StagePlan) -> None:
    """From the main process: the stage about to be trained (nothing with one process)."""
    if several():
        share(plan)
