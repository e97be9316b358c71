"""The `audit` lifecycle stage, run by the core's runner, and the plugin's registrations."""

import pytest
from sqlmodel import select

from modelforge.app import App
from modelforge.checklist import Evidence, audit_item
from modelforge.contracts import published
from modelforge.lifecycle import LifecycleRunner
from modelforge.models import Artifact, Event, StageRun
from modelforge.plugins import load_plugins


@pytest.fixture
def audit_app(monkeypatch) -> App:
    """An app with only this plugin loaded, so a cycle runs the audit stage and skips the rest."""
    monkeypatch.setenv("MODELFORGE_LOAD_PLUGINS", "audit")
    return App(load_plugins())


def run_audit_stage(app: App) -> StageRun:
    LifecycleRunner(app.db, app.config, app.plugins).run_cycle("arith")
    with app.db.session() as session:
        return session.exec(select(StageRun).where(StageRun.stage == "audit")).one()


def test_stage_is_skipped_without_task_paths(audit_app):
    run = run_audit_stage(audit_app)
    assert (run.status, run.detail) == (
        "skipped",
        "audit: no task paths configured ([audit] paths)",
    )


def test_stage_audits_configured_paths_and_keeps_a_report(audit_app, tree, write_config):
    write_config(f'[audit]\npaths = ["{tree}"]\n')
    run = run_audit_stage(audit_app)
    assert run.status == "done", run.error
    result = run.result["audit"]
    assert result["unmarked_deprecate"] == 3 and isinstance(result["unmarked_deprecate"], int)
    assert (result["files"], result["deprecate"], result["review"]) == (4, 5, 1)
    assert (run.progress_done, run.progress_total) == (4, 4)
    with audit_app.db.session() as session:
        artifact = session.exec(select(Artifact)).one()
        item = audit_item(Evidence(session, published(audit_app.plugins)))
    assert artifact.kind == "audit-report" and artifact.path == result["report"]
    with open(result["report"], encoding="utf-8") as report:
        assert "## Migration plan" in report.read()
    # The core checklist's fallback reads the result key the audit plugin publishes.
    assert item.state == "not done" and "3 deprecated task(s) not yet marked" in item.evidence


def test_plugin_registers_command_section_and_migration(app, invoke):
    assert "audit_0002" in app.database.heads()  # the judgements table on the findings one
    assert "audit_0002" in app.db.current()
    assert "--archive" in invoke("audit", "--help").stdout
    assert app.config.section("audit").cross_reference == ""  # names no document by default


def test_the_same_task_files_are_audited_once_not_once_per_cycle(audit_app, tree, write_config):
    write_config(f'[audit]\npaths = ["{tree}"]\n')
    runner = LifecycleRunner(audit_app.db, audit_app.config, audit_app.plugins)
    for _ in range(3):  # as `run --once` runs one cycle a model type
        runner.run_cycle("arith")
    (tree / "plan.md").write_text("### NEW-001: Fine-Tuning Pipeline\n\nFine-tune.\n")
    runner.run_cycle("arith")
    with audit_app.db.session() as session:
        runs = session.exec(
            select(StageRun).where(StageRun.stage == "audit").order_by(StageRun.id)
        ).all()
        artifacts = session.exec(select(Artifact)).all()
        summaries = session.exec(select(Event).where(Event.kind == "audit.summary")).all()
    assert [run.status for run in runs] == ["done", "skipped", "skipped", "done"]
    report = runs[0].result["audit"]["report"]
    assert runs[1].detail == (
        f"audit: task files and [audit] settings unchanged since the audit of cycle "
        f"{runs[0].cycle_id}; its report stands: {report}"
    )
    assert len(artifacts) == 2 and len(summaries) == 2
    # NEW-001, WIN-001 and the two marked ones: the changed file was audited again
    assert runs[3].result["audit"]["deprecate"] == 4
