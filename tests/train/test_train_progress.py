"""`modelforge train` shows a progress bar on a terminal (pre-training the base, then the
steps), following the running stage's progress as `modelforge status` shows it."""

from __future__ import annotations

import io
import time
from contextlib import nullcontext

from modelforge.models import Cycle, StageRun


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def running_stage(app, done: int, total: int) -> int:
    with app.db.session() as session:
        cycle = Cycle(model_type="arith", trigger="train")
        session.add(cycle)
        session.flush()
        run = StageRun(
            cycle_id=cycle.id, stage="train_srl", progress_done=done, progress_total=total
        )
        session.add(run)
        session.flush()
        return run.id


def test_the_bar_follows_the_running_stage_on_a_terminal(app):
    from modelforge_train.cli import progress_bar

    run_id = running_stage(app, 3, 10)
    terminal = Terminal()
    with progress_bar(app.db, "arith", terminal):
        deadline = time.monotonic() + 10
        while "3/10" not in terminal.getvalue():  # drawn by the bar's own thread
            assert time.monotonic() < deadline, terminal.getvalue()
            time.sleep(0.05)
        with app.db.session() as session:
            session.get(StageRun, run_id).progress_done = 7
    shown = terminal.getvalue()
    assert "train_srl" in shown and "7/10" in shown  # the last figures land on exit


def test_no_bar_off_a_terminal_or_in_an_accelerate_rank(app, monkeypatch):
    from modelforge_train.cli import LOCK_HELD_BY, progress_bar

    assert isinstance(progress_bar(app.db, "arith", io.StringIO()), nullcontext)
    monkeypatch.setenv(LOCK_HELD_BY, "1")
    assert isinstance(progress_bar(app.db, "arith", Terminal()), nullcontext)


def test_train_runs_its_stages_under_the_bar(invoke, monkeypatch):
    from modelforge_train import cli, direct_run

    calls = []

    def bar(db, model_type, stream=None):
        calls.append(("bar", model_type))
        return nullcontext()

    def run_stages(app, model_type, stages, **options):
        calls.append(("run", stages))
        return [{"stage": "train_srl", "status": "done", "cycle_id": 1, "result": None}]

    monkeypatch.setattr(cli, "progress_bar", bar)
    monkeypatch.setattr(direct_run, "run_stages", run_stages)
    result = invoke("train", "--type", "arith", "--stage", "srl")
    assert result.exit_code == 0, result.output
    assert calls == [("bar", "arith"), ("run", ("train_srl",))]
