"""Other stages' tables are read through what their real plugins publish, and their absence
is said, not raised."""

import modelforge_audit.plugin
import modelforge_evaluate.plugin
import pytest
from modelforge_audit.store import AuditFinding
from modelforge_evaluate.tables import EvalRun, Regression, Weakness

from modelforge.models import Artifact
from modelforge.tui import providers
from modelforge.tui.queries import overview


@pytest.fixture
def publishing(plugins):
    """The core plus the real audit and evaluate plugins, whose migrations make the tables."""
    plugins.register(modelforge_audit.plugin, name="audit")
    plugins.register(modelforge_evaluate.plugin, name="evaluate")
    return plugins


def test_a_missing_table_says_which_stage_has_not_run(app):
    assert providers.read(app, "selection").missing == (
        "no data yet: the select stage has no plugin"
    )
    assert providers.pass_rates(app, "arith") == []
    assert providers.audit_report(app) is None


def test_a_published_table_without_rows_says_the_stage_has_not_run(publishing, app):
    assert providers.read(app, "weaknesses").missing == ("no data yet: the track stage has not run")


def test_audit_findings_are_counted_by_action(publishing, app):
    with app.db.session() as session:
        for file, line, action, marked, task_id, title in [
            ("b.md", 3, "deprecate", False, "T2", "LoRA [x]"),
            ("a.md", 1, "enhance", True, "T1", "Eval"),
        ]:
            session.add(
                AuditFinding(
                    root="/tasks",
                    file=file,
                    real_path=f"/tasks/{file}",
                    task_id=task_id,
                    title=title,
                    line=line,
                    action=action,
                    marked=marked,
                    reasons=["lora"],
                )
            )
    found = providers.read(app, "audit")
    assert found.columns == ["file", "line", "action", "marked", "task_id", "title"]
    assert [row[0] for row in found.rows] == ["a.md", "b.md"]
    assert found.summary == "deprecate: 1, enhance: 1"


def test_a_weakness_that_also_regressed_is_flagged(publishing, app):
    with app.db.session() as session:
        for category in ("add", "carry"):
            session.add(
                Weakness(
                    model_type="arith", category=category, severity=0.4, model_name="m", cycle_id=2
                )
            )
        session.add(Regression(cycle_id=2, model_type="arith", model_name="m", category="carry"))
    weak = providers.read(app, "weaknesses")
    assert [row[:2] for row in weak.rows] == [["arith", "add"], ["arith", "carry"]]
    assert weak.flagged == {1}
    regressed = providers.read(app, "regressions")
    assert [row[:3] for row in regressed.rows] == [["arith", "carry", "m"]]


def test_the_audit_report_is_found_by_its_published_kind(publishing, app, tmp_path):
    report = tmp_path / "audit.md"
    report.write_text("# audit\n")
    with app.db.session() as session:
        session.add(Artifact(kind="audit-report", path=str(report), checksum="x", size_bytes=9))
    assert providers.audit_report(app) == report


def test_evaluation_pass_rates_feed_the_overview_sparkline(publishing, app):
    with app.db.session() as session:
        for cycle_id, name, passed in [(1, "a", 5), (1, "b", 7), (2, "a", 9), (None, "a", 0)]:
            session.add(
                EvalRun(
                    heldout_set_id=1,
                    cycle_id=cycle_id,
                    model_type="arith",
                    model_name=name,
                    samples=10,
                    passed=passed,
                    seconds=1.0,
                    cpu_seconds=1.0,
                    tokens=10,
                )
            )
    assert providers.pass_rates(app, "arith") == [0.6, 0.9]
    (row,) = overview(app).types
    assert row.pass_rates == [0.6, 0.9]


def test_the_overview_tells_a_one_shot_runner_from_the_daemon():
    import os

    from modelforge.tui.overview import daemon_line
    from modelforge.tui.queries import Overview

    pid = os.getpid()
    assert daemon_line(Overview(None, False, [])).plain == "daemon: not running   schedule: active"
    assert daemon_line(Overview(pid, False, [], "daemon")).plain.startswith(
        f"daemon: running (pid {pid})"
    )
    assert daemon_line(Overview(pid, True, [], "train")).plain == (
        f"daemon: not running; train running (pid {pid})   schedule: paused"
    )
