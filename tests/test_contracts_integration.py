"""The core and the real first-party plugins agree: two real cycles on tiny budgets (the
second one's regression provoked by raising the first one's scores), then every TUI tab, every
checklist item and every `--json` read command is opened against that database and must show
real rows from the cycles: an audit report, a weakness, a regression, a selection decision.

It reads nothing through a copy of a producer's names: what it expects is said in plain words
(a "deprecate" finding, the report's heading), so a reader looking in the wrong place fails it.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from textual.widgets import DataTable, Static

from modelforge import checklist
from modelforge.app import App
from modelforge.cli.main import build_cli
from modelforge.lifecycle import STAGES, LifecycleRunner
from modelforge.plugins import load_plugins
from modelforge.tui.app import TABS, ForgeApp
from modelforge.tui.provided import ProvidedView

pytestmark = pytest.mark.slow

TASKS = """# Plan

## Task 7.4: LoRA fine-tuning pipeline
Fine-tune the dialogue model with LoRA on the historical chat logs every night.

## Task 7.5: Inventory screen
Show the player's items in a grid.
"""

CONFIG = """
[types.arith]
enabled = true

[audit]
paths = ["{tasks}"]

[train]
checkpoint_every = 2
eval_problems_per_level = 0
validation_problems_per_level = 0

[train.embedded]
hidden_size = 32
layers = 1
heads = 2
intermediate_size = 64
pretrain_tokens = 2000
pretrain_batch_size = 8

[train.srl]
max_steps = 2
num_generations = 2
prompts_per_step = 2
max_examples = 4
max_completion_length = 16

[train.rlvr]
max_steps = 2
num_generations = 2
prompts_per_step = 2
max_examples = 4
max_completion_length = 24

[generate]
per_cycle = 40
pool_target = 0
seed = 0

[evaluate]
per_category = 6
step_similarity_per_category = 0
max_new_tokens = 32
"""


@pytest.fixture(scope="module")
def cycled(tmp_path_factory):
    """Two cycles of arith with every first-party plugin, the trainer included."""
    root = tmp_path_factory.mktemp("contracts")
    home, tasks = root / "home", root / "tasks"
    home.mkdir()
    tasks.mkdir()
    (tasks / "plan.md").write_text(TASKS, encoding="utf-8")
    (home / "config.toml").write_text(CONFIG.format(tasks=tasks))
    patch = pytest.MonkeyPatch()
    patch.setenv("MODELFORGE_HOME", str(home))
    patch.delenv("MODELFORGE_CONFIG", raising=False)
    patch.delenv("MODELFORGE_LOAD_PLUGINS", raising=False)
    app = App(load_plugins())
    runner = LifecycleRunner(app.db, app.config, app.plugins)
    first = runner.run_cycle("arith")
    assert first.status == "done", first
    # Provoke a regression: the first cycle's scores as though every problem had passed.
    with app.db.engine.begin() as connection:
        connection.execute(
            text("UPDATE eval_scores SET passed = n WHERE cycle_id = :c"), {"c": first.id}
        )
        connection.execute(
            text("UPDATE eval_runs SET passed = samples WHERE cycle_id = :c"), {"c": first.id}
        )
    second = runner.run_cycle("arith")
    assert second.status == "done", second
    yield app
    patch.undo()


def invoke(app: App, *args: str) -> dict | list:
    """A read command with --json against the cycles' data directory."""
    home = ["--home", str(app.config.data_dir)]
    result = CliRunner().invoke(
        build_cli(load_plugins()), [*home, *args, "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, (args, result.output)
    return json.loads(result.stdout)


def test_both_cycles_ran_every_stage_the_plugins_provide(cycled):
    with cycled.db.engine.connect() as connection:
        rows = connection.execute(text("SELECT stage, status FROM stage_runs")).all()
    done = {stage for stage, status in rows if status == "done"}
    assert done >= set(STAGES) - {"finetune_remote"}, rows  # no paid provider is configured


def test_every_tui_tab_shows_real_rows(cycled):
    seen: dict[str, list[str]] = {}

    async def main():
        forge = ForgeApp(cycled, ["checklist", "run", "status", "tui"], refresh_s=0)
        async with forge.run_test(size=(160, 60)) as pilot:
            for number, tab in enumerate(TABS, start=1):
                await pilot.press(str(number))
                await pilot.press("f5")
                await pilot.pause(0.1)
                await forge.workers.wait_for_complete()
                await pilot.pause(0.1)
                pane = forge.query_one(f"#{tab}")
                seen[tab] = [str(static.content) for static in pane.query(Static)]
                for index, view in enumerate(pane.query(ProvidedView)):
                    table = view.query_one(DataTable)
                    seen[f"{tab}.{index}.rows"] = [
                        " ".join(str(cell) for cell in table.get_row_at(row))
                        for row in range(table.row_count)
                    ]

    asyncio.run(main())
    assert any("Task 7.4" in row and "deprecate" in row for row in seen["audit.0.rows"]), seen
    assert seen["weaknesses.0.rows"], seen  # a weak category of the untrained model
    assert any("arith" in row for row in seen["weaknesses.1.rows"]), seen  # the regression
    assert seen["selection.0.rows"], seen
    for tab in ("weaknesses", "selection", "audit"):
        assert not any("no data" in line for line in seen[tab]), (tab, seen[tab])


def test_the_audit_report_is_found(cycled):
    from modelforge.tui import providers

    report = providers.audit_report(cycled)
    assert report is not None and "Task 7.4" in report.read_text(encoding="utf-8")


def test_every_checklist_item_reads_real_evidence(cycled):
    items = {item.id: item for item in checklist.compute(cycled, ["checklist"])}
    for item_id in ("audit", "trained", "selection", "tracking"):
        assert items[item_id].state in ("done", "not done"), items[item_id]
        assert "publishes" not in items[item_id].evidence, items[item_id]
    assert items["audit"].state == "not done"  # the LoRA task is found and not yet marked
    assert "Task 7.4" in items["audit"].evidence and "not marked" in items["audit"].evidence
    assert items["trained"].state == "done"
    assert items["tracking"].state == "done"
    assert items["selection"].state == "done"
    assert items["generation"].state == "done"  # new examples in both cycles


def test_every_json_read_command_shows_the_cycles(cycled):
    assert "arith" in json.dumps(invoke(cycled, "status"))
    tracked = invoke(cycled, "weaknesses")
    assert tracked["weaknesses"] and tracked["regressions"], tracked
    assert all(row["model_type"] == "arith" for row in tracked["regressions"])
    select = json.dumps(invoke(cycled, "select"))
    assert "arith" in select and "reason" in select
    assert invoke(cycled, "models", "list")
    assert "arith" in json.dumps(invoke(cycled, "eval", "--type", "arith"))
    events = json.dumps(invoke(cycled, "events"))
    assert "track.regression" in events and "audit" in events
    assert invoke(cycled, "examples", "stats", "--type", "arith")
    assert len(invoke(cycled, "checklist")) == 10
