"""Watch jobs until they finish: exponential backoff, bounded, and stoppable at any moment."""

from __future__ import annotations

import time
from collections.abc import Callable

from modelforge.db import Database
from modelforge.errors import StageInterrupted
from modelforge_finetune import jobs, runner
from modelforge_finetune.providers.base import Adapter
from modelforge_finetune.settings import PollSettings

SLICE_S = 0.05  # how often a sleep looks at the stop flag


def pause(seconds: float, should_stop: Callable[[], bool]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not should_stop():
        time.sleep(min(SLICE_S, max(deadline - time.monotonic(), 0)))


def wait(
    db: Database,
    poll: PollSettings,
    watched: list[tuple[Adapter, jobs.FinetuneJob]],
    should_stop: Callable[[], bool],
) -> list[jobs.FinetuneJob]:
    """Refresh every job until all are finished; StageInterrupted on stop or past the timeout
    (the jobs keep running at the provider; the resumed stage finds them by name)."""
    started = time.monotonic()
    delay = poll.first_s
    while True:
        watched = [(adapter, runner.refresh(db, adapter, job)) for adapter, job in watched]
        waiting = [job.name for _, job in watched if not job.finished]
        if not waiting:
            return [job for _, job in watched]
        if should_stop():
            raise StageInterrupted(f"stopped while waiting for {', '.join(waiting)}")
        if time.monotonic() - started > poll.stage_timeout_s:
            raise StageInterrupted(
                f"still running after {poll.stage_timeout_s:.0f} s: {', '.join(waiting)}; "
                "the stage resumes and polls them again"
            )
        pause(delay, should_stop)
        delay = min(delay * poll.factor, poll.max_s)
