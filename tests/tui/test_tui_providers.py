"""Other stages' tables are read by name, and their absence is said, not raised."""

from sqlalchemy import text

from modelforge.tui import providers
from modelforge.tui.queries import overview


def create(app, ddl: str, *inserts: str) -> None:
    with app.db.engine.begin() as connection:
        connection.execute(text(ddl))
        for insert in inserts:
            connection.execute(text(insert))


def test_a_missing_table_says_which_stage_has_not_run(app):
    assert providers.read(app, "selection").missing == (
        "no data yet: the select stage has no plugin"
    )
    assert providers.pass_rates(app.db, "arith") == []


def test_audit_findings_are_counted_by_action(app):
    create(
        app,
        "CREATE TABLE audit_findings (id INTEGER PRIMARY KEY, file TEXT, line INTEGER, "
        "action TEXT, marked BOOLEAN, task_id TEXT, title TEXT, reasons JSON)",
        "INSERT INTO audit_findings (file, line, action, marked, task_id, title, reasons) VALUES "
        "('b.md', 3, 'deprecate', 0, 'T2', 'LoRA [x]', '[\"lora\"]'), "
        "('a.md', 1, 'enhance', 1, 'T1', 'Eval', '[]')",
    )
    found = providers.read(app, "audit")
    assert found.columns == ["file", "line", "action", "marked", "task_id", "title"]
    assert [row[0] for row in found.rows] == ["a.md", "b.md"]
    assert found.summary == "deprecate: 1, enhance: 1"


def test_evaluation_pass_rates_feed_the_overview_sparkline(app):
    create(
        app,
        "CREATE TABLE eval_runs (id INTEGER PRIMARY KEY, model_type TEXT, cycle_id INTEGER, "
        "model_name TEXT, samples INTEGER, passed INTEGER)",
        "INSERT INTO eval_runs (model_type, cycle_id, model_name, samples, passed) VALUES "
        "('arith', 1, 'a', 10, 5), ('arith', 1, 'b', 10, 7), ('arith', 2, 'a', 10, 9), "
        "('arith', NULL, 'a', 10, 0)",
    )
    assert providers.pass_rates(app.db, "arith") == [0.6, 0.9]
    (row,) = overview(app).types
    assert row.pass_rates == [0.6, 0.9]
