"""The evaluate stage reports its progress (problems answered, every model's) as it goes, so
`modelforge status` shows a long evaluation moving."""

from __future__ import annotations

from modelforge.app import App
from modelforge.models import StageRun

from .helpers import context, new_cycle, register_trained, save_tiny_model, write_config


def test_evaluate_records_problems_answered_in_its_stage_run(plugins, home, tmp_path):
    from modelforge_evaluate import stages

    write_config(home, "[evaluate]\nper_category = 3\nmax_new_tokens = 8\nbatch_size = 2\n")
    app = App(plugins)
    cycle = new_cycle(app)
    register_trained(app, save_tiny_model(tmp_path / "m", eos_bias=50.0), cycle)
    ctx = context(app, cycle, "evaluate")
    seen = []
    record = ctx.progress

    def progress(done, total=None, *, force=False):
        seen.append((done, total))
        record(done, total, force=force)

    ctx.progress = progress
    summary = stages.evaluate("arith", ctx)

    problems = summary["problems"]
    assert problems == 3 * 2  # per category, arith's two categories
    assert seen[0] == (0, problems)
    assert seen[-1] == (problems, problems)
    assert len({done for done, _ in seen}) > 2  # moved between batches, not only at the end
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    with app.db.session() as session:
        run = session.get(StageRun, ctx.stage_run_id)
        assert (run.progress_done, run.progress_total) == (problems, problems)
