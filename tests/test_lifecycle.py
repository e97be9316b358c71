import threading

import pytest
from sqlmodel import col, select

from modelforge import StageInterrupted, StageSkipped, hookimpl
from modelforge.lifecycle import STAGES, LifecycleRunner
from modelforge.models import Artifact, Cycle, Event, StageRun


@pytest.fixture
def plugins(bare_plugins):
    """These tests are about the core: no first-party stage plugins."""
    return bare_plugins


class Recorder:
    """A plugin implementing every stage; calls are counted and failures can be injected."""

    def __init__(self):
        self.calls = []
        self.fail_in = None
        self.skip_in = None
        self.interrupt_in = None

    def _stage(self, stage, model_type, ctx):
        self.calls.append(stage)
        if stage == self.fail_in:
            raise ValueError(f"{stage} broke")
        if stage == self.skip_in:
            raise StageSkipped("nothing to do here")
        if stage == self.interrupt_in:
            raise StageInterrupted("asked to stop")
        ctx.progress(1, 1)
        return {"stage": stage, "model_type": model_type}


def stage_plugin(recorder):
    """A plugin object whose hook methods forward to the recorder."""

    class Plugin:
        pass

    for stage in STAGES:

        def hook(model_type, ctx, _stage=stage):
            return recorder._stage(_stage, model_type, ctx)

        hook.__name__ = stage
        setattr(Plugin, stage, staticmethod(hookimpl(hook)))
    return Plugin()


@pytest.fixture
def runner(app):
    return LifecycleRunner(app.db, app.config, app.plugins)


@pytest.fixture
def recorder(plugins):
    recorder = Recorder()
    plugins.register(stage_plugin(recorder), name="recorder")
    return recorder


def stage_runs(db, cycle_id):
    with db.session() as session:
        return session.exec(
            select(StageRun).where(StageRun.cycle_id == cycle_id).order_by(col(StageRun.id))
        ).all()


def test_without_plugins_every_stage_is_skipped_not_done(runner):
    cycle = runner.run_cycle("arith")
    runs = stage_runs(runner.db, cycle.id)
    assert [run.stage for run in runs] == list(STAGES)
    assert {(run.status, run.detail) for run in runs} == {("skipped", "no plugin")}
    assert cycle.status == "done"


def test_stages_run_in_order_and_record_results(runner, recorder):
    cycle = runner.run_cycle("arith")
    assert recorder.calls == list(STAGES)
    runs = stage_runs(runner.db, cycle.id)
    assert all(run.status == "done" for run in runs)
    assert runs[1].result == {"recorder": {"stage": "generate", "model_type": "arith"}}
    assert runs[1].progress_done == runs[1].progress_total == 1
    assert all(run.duration_s is not None and run.finished_at for run in runs)


def test_a_raising_plugin_fails_its_stage_and_the_next_run_resumes_there(runner, recorder):
    recorder.fail_in = "train_srl"
    first = runner.run_cycle("arith")
    assert first.status == "failed"
    assert recorder.calls == ["audit", "generate", "train_srl"]
    failed = stage_runs(runner.db, first.id)[-1]
    assert failed.status == "failed"
    assert failed.error == "plugin 'recorder' raised ValueError: train_srl broke"
    assert "Traceback" in failed.traceback and "train_srl broke" in failed.traceback

    recorder.fail_in = None
    recorder.calls.clear()
    second = runner.run_cycle("arith")
    assert second.id == first.id and second.status == "done"
    assert recorder.calls == list(STAGES[2:])
    statuses = [(run.stage, run.status) for run in stage_runs(runner.db, first.id)]
    assert ("train_srl", "failed") in statuses and ("train_srl", "done") in statuses


def test_a_skipping_plugin_records_its_reason(runner, recorder):
    recorder.skip_in = "finetune_remote"
    cycle = runner.run_cycle("arith")
    run = next(r for r in stage_runs(runner.db, cycle.id) if r.stage == "finetune_remote")
    assert (run.status, run.detail) == ("skipped", "recorder: nothing to do here")
    assert cycle.status == "done"


def test_an_interrupted_stage_resumes(runner, recorder):
    recorder.interrupt_in = "evaluate"
    cycle = runner.run_cycle("arith")
    assert cycle.status == "interrupted"
    recorder.interrupt_in = None
    recorder.calls.clear()
    assert runner.run_cycle("arith").status == "done"
    assert recorder.calls == ["evaluate", "track", "select"]


def test_a_stop_request_ends_the_cycle_between_stages(app, recorder):
    stop = threading.Event()
    runner = LifecycleRunner(app.db, app.config, app.plugins, stop)
    original = recorder._stage

    def stop_after_generate(stage, model_type, ctx):
        result = original(stage, model_type, ctx)
        if stage == "generate":
            assert not ctx.stop_requested
            stop.set()
            assert ctx.stop_requested
        return result

    recorder._stage = stop_after_generate
    assert runner.run_cycle("arith").status == "interrupted"
    assert recorder.calls == ["audit", "generate"]


def test_recover_marks_a_dead_process_cycle_and_it_resumes(runner, recorder):
    with runner.db.session() as session:
        cycle = Cycle(model_type="arith")
        session.add(cycle)
        session.flush()
        session.add(StageRun(cycle_id=cycle.id, stage="audit", status="done"))
        session.add(StageRun(cycle_id=cycle.id, stage="generate", status="running"))
    assert runner.recover() == [cycle.id]
    with runner.db.session() as session:
        assert session.get(Cycle, cycle.id).status == "interrupted"
        kinds = session.exec(select(Event.kind)).all()
    assert "cycle.interrupted" in kinds
    resumed = runner.run_cycle("arith")
    assert resumed.id == cycle.id and resumed.status == "done"
    assert recorder.calls == list(STAGES[1:])


def test_a_new_cycle_starts_after_a_done_one(runner):
    first = runner.run_cycle("arith")
    second = runner.run_cycle("arith")
    assert second.id != first.id


def test_secrets_never_reach_the_stored_error(runner, recorder, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret-value")

    def leak(stage, model_type, ctx):
        raise RuntimeError("auth failed for sk-ant-secret-value")

    recorder._stage = leak
    cycle = runner.run_cycle("arith")
    run = stage_runs(runner.db, cycle.id)[0]
    assert "sk-ant-secret-value" not in run.error + run.traceback
    with runner.db.session() as session:
        messages = " ".join(session.exec(select(Event.message)).all())
    assert "sk-ant-secret-value" not in messages and "[redacted]" in messages


def test_stage_context_registers_artifacts_with_lineage(app, plugins):
    class Writer:
        @hookimpl
        def train_srl(self, ctx):
            path = ctx.work_dir / "adapter.bin"
            path.write_bytes(b"weights")
            return {"artifact": ctx.artifact(path, "adapter", {"base": "tiny"}).id}

    plugins.register(Writer(), name="writer")
    cycle = LifecycleRunner(app.db, app.config, plugins).run_cycle("arith")
    with app.db.session() as session:
        artifact = session.exec(select(Artifact)).one()
    assert artifact.lineage == {"cycle_id": cycle.id, "stage": "train_srl", "base": "tiny"}
    assert artifact.model_type == "arith" and artifact.kind == "adapter"


TRAINING = ("train_srl", "train_rlvr")


def test_a_part_of_the_lifecycle_resumes_its_unfinished_cycle(runner, recorder):
    recorder.interrupt_in = "train_srl"
    first = runner.run_cycle("arith", "train", TRAINING)
    assert (first.status, recorder.calls) == ("interrupted", ["train_srl"])
    recorder.interrupt_in = None
    recorder.calls.clear()
    second = runner.run_cycle("arith", "train", TRAINING)
    assert second.id == first.id and second.status == "done"
    assert recorder.calls == list(TRAINING)
    with runner.db.session() as session:
        assert len(session.exec(select(Cycle)).all()) == 1


def test_run_resumes_a_killed_train_cycle_behind_a_newer_finished_one(runner, recorder):
    with runner.db.session() as session:
        killed = Cycle(model_type="arith", trigger="train")  # left running by a SIGKILL
        session.add(killed)
        session.flush()
        session.add(StageRun(cycle_id=killed.id, stage="train_srl", status="running"))
        session.add(Cycle(model_type="arith", trigger="train", status="done"))
    assert runner.recover() == [killed.id]
    resumed = runner.run_cycle("arith", "once")
    assert resumed.id == killed.id and resumed.status == "done"
    assert recorder.calls == list(STAGES[2:])  # from train_srl on: it never ran audit
    assert runner.unfinished_cycle("arith") is None


def test_a_part_of_a_daemon_cycle_leaves_the_rest_to_the_next_run(runner, recorder):
    recorder.interrupt_in = "train_srl"
    cycle = runner.run_cycle("arith", "schedule")
    recorder.interrupt_in = None
    recorder.calls.clear()
    trained = runner.run_cycle("arith", "train", TRAINING)
    assert trained.id == cycle.id and trained.status == "interrupted"
    assert recorder.calls == list(TRAINING)
    recorder.calls.clear()
    finished = runner.run_cycle("arith", "schedule")
    assert finished.id == cycle.id and finished.status == "done"
    assert recorder.calls == list(STAGES[4:])


def test_a_part_refuses_a_cycle_unfinished_before_it(runner, recorder):
    from modelforge.lifecycle import NotResumable

    recorder.fail_in = "generate"
    cycle = runner.run_cycle("arith")
    with pytest.raises(NotResumable, match=f"cycle {cycle.id} of arith is unfinished at generate"):
        runner.run_cycle("arith", "train", TRAINING)


def test_a_part_opens_its_own_cycle_when_the_unfinished_one_is_past_it(runner, recorder):
    recorder.fail_in = "evaluate"
    failed = runner.run_cycle("arith")
    recorder.fail_in = None
    trained = runner.run_cycle("arith", "train", TRAINING)
    assert trained.id != failed.id and trained.status == "done"
    assert runner.run_cycle("arith").id == failed.id  # the failed one still resumes
