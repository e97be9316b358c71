"""The core and the real first-party plugins agree: two real cycles on tiny budgets (the
second one's regression provoked by raising the first one's scores; paid fine-tuning against a
fake OpenAI on loopback), then every TUI tab, every checklist item and every `--json` read
command is opened against that database and must show real rows from the cycles: an audit
report, a weakness, a regression, a selection decision, a provider's job.

It reads nothing through a copy of a producer's names: what it expects is said in plain words
(a "deprecate" finding, the report's heading), so a reader looking in the wrong place fails it.
"""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from textual.widgets import DataTable, Static

from modelforge import checklist
from modelforge.app import App
from modelforge.cli.main import build_cli
from modelforge.events import record_event
from modelforge.lifecycle import STAGES, LifecycleRunner
from modelforge.plugins import load_plugins
from modelforge.tui.app import TABS, ForgeApp

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

[finetune]
examples = 6

[finetune.poll]
first_s = 0.02
max_s = 0.05
stage_timeout_s = 60.0

[finetune.openai]
base_url = "{openai}/v1"
"""
# every stage in both cycles, but the second cycle's audit: its task files did not change
SKIPPED = {("audit", 2): "unchanged since the audit of cycle 1"}


def fake_openai(patch: pytest.MonkeyPatch):
    """OpenAI's fine-tuning API on loopback with its key in the environment, no other
    provider's credentials, and a thread that finishes every job it is sent."""
    from tests.finetune.conftest import OPENAI_KEY, OPENAI_MODEL, PROVIDER_ENV
    from tests.finetune.fakes import FakeOpenAI

    for name in PROVIDER_ENV:
        patch.delenv(name, raising=False)
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        patch.setenv(name, "/nonexistent")
    patch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    patch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    fake, stop = FakeOpenAI(OPENAI_KEY, [OPENAI_MODEL]), threading.Event()

    def finish() -> None:
        while not stop.wait(0.02):
            for job_id, job in list(fake.jobs.items()):
                if job["status"] == "validating_files":
                    fake.finish(job_id)

    threading.Thread(target=finish, daemon=True).start()
    return fake, stop


@pytest.fixture(scope="module")
def cycled(tmp_path_factory):
    """Two cycles of arith with every first-party plugin, the trainer included."""
    root = tmp_path_factory.mktemp("contracts")
    home, tasks = root / "home", root / "tasks"
    home.mkdir()
    tasks.mkdir()
    (tasks / "plan.md").write_text(TASKS, encoding="utf-8")
    patch = pytest.MonkeyPatch()
    openai, stop = fake_openai(patch)
    (home / "config.toml").write_text(CONFIG.format(tasks=tasks, openai=openai.url))
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
    record_event(app.db, "tests.result", "test run: 5 passed, 1 failed", passed=5, failed=1)
    yield app
    stop.set()
    openai.close()
    patch.undo()


def invoke(app: App, *args: str) -> dict | list:
    """A read command with --json against the cycles' data directory."""
    home = ["--home", str(app.config.data_dir)]
    result = CliRunner().invoke(
        build_cli(load_plugins()), [*home, *args, "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, (args, result.output)
    return json.loads(result.stdout)


def test_each_cycle_ran_every_stage(cycled):
    with cycled.db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT cycle_id, stage, status, detail FROM stage_runs ORDER BY id")
        ).all()
    for cycle in (1, 2):
        ran = {stage: (status, detail) for c, stage, status, detail in rows if c == cycle}
        assert set(ran) == set(STAGES), (cycle, rows)
        for stage, (status, detail) in ran.items():
            if (stage, cycle) in SKIPPED:
                assert status == "skipped" and SKIPPED[stage, cycle] in detail, (cycle, stage)
            else:
                assert status == "done", (cycle, stage, status, detail)


def test_every_tui_tab_shows_real_rows(cycled):
    texts: dict[str, list[str]] = {}  # per tab, its text lines
    tables: dict[str, list[list[str]]] = {}  # per tab, the rows of each of its tables

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
                texts[tab] = [str(static.content) for static in pane.query(Static)]
                tables[tab] = [
                    [
                        " ".join(str(cell) for cell in table.get_row_at(row))
                        for row in range(table.row_count)
                    ]
                    for table in pane.query(DataTable)
                ]

    asyncio.run(main())
    seen = {"texts": texts, "tables": tables}
    assert set(texts) == set(TABS) and len(TABS) == 7, seen
    for tab in TABS:
        assert not any("no data" in line for line in texts[tab]), (tab, texts[tab])

    def rows(tab: str, index: int) -> list[str]:
        return tables[tab][index]

    # overview: the type's row, at its last stage of cycle 2
    assert any("arith" in row and "select" in row for row in rows("overview", 0)), seen
    # checklist: every item by its title, with how many are done
    board = "\n".join(texts["checklist"])
    assert "7 of 10 done" in board, board
    for item in checklist.compute(cycled, ["checklist"]):
        assert item.title in board, (item.title, board)
    # jobs: the stage runs of both cycles, the selected run's events, the provider's job
    assert len(rows("jobs", 0)) == 2 * len(STAGES), seen
    assert any("finetune_remote" in row and "done" in row for row in rows("jobs", 0)), seen
    assert any("stage.done" in row for row in rows("jobs", 1)), seen
    assert any("openai" in row and "succeeded" in row for row in rows("jobs", 2)), seen
    # weaknesses: a weak category of the untrained model, and the provoked regression
    assert any("arith" in row for row in rows("weaknesses", 0)), seen
    assert any("arith" in row and "cycle-2" in row for row in rows("weaknesses", 1)), seen
    # selection: a decision per cycle; audit: the LoRA task found for deprecation
    assert len(rows("selection", 0)) == 2 and all("arith" in r for r in rows("selection", 0))
    assert any("Task 7.4" in row and "deprecate" in row for row in rows("audit", 0)), seen
    # control: the type, enabled, with its last cycle
    assert any("arith" in row and "yes" in row for row in rows("control", 0)), seen


def test_the_audit_report_is_found(cycled):
    from modelforge.tui import providers

    report = providers.audit_report(cycled)
    assert report is not None and "Task 7.4" in report.read_text(encoding="utf-8")


def test_every_checklist_item_reads_real_evidence(cycled):
    commands = sorted(build_cli(load_plugins()).commands)
    items = {item.id: item for item in checklist.compute(cycled, commands)}
    expected = {  # id: (state, a piece of its evidence)
        "audit": ("not done", "not marked on disk: plan.md Task 7.4"),
        "stages": ("done", f"every one of the {len(STAGES)} stages has a completed run"),
        "trained": ("done", "train_srl then train_rlvr done for each of arith"),
        "generation": ("done", "arith: 2 cycle(s)"),
        "selection": ("done", "2 decision(s) stored"),
        "paid": ("not done", "no succeeded job for: gemini, anthropic; succeeded: openai:"),
        "tracking": ("done", "regression(s) recorded"),
        "integration": ("done", "cycle 1 (arith) ran every stage to done"),
        "tests": ("not done", "5 passed, 1 failed"),
        "docs": ("done", f"every one of {len(commands)} commands has a page"),
    }
    assert set(items) == set(expected)
    for item_id, (state, evidence) in expected.items():
        assert (items[item_id].state, evidence in items[item_id].evidence) == (state, True), items[
            item_id
        ]


def test_every_json_read_command_shows_the_cycles(cycled):
    assert "arith" in json.dumps(invoke(cycled, "status"))
    tracked = invoke(cycled, "weaknesses")
    assert tracked["weaknesses"] and tracked["regressions"], tracked
    assert all(row["model_type"] == "arith" for row in tracked["regressions"])
    select = json.dumps(invoke(cycled, "select"))
    assert "arith" in select and "reason" in select
    models = invoke(cycled, "models", "list")
    assert any(m["kind"] == "local" and m["model_type"] == "arith" for m in models), models
    assert any(m["kind"] == "remote" and m["provider"] == "openai" for m in models), models
    assert "arith" in json.dumps(invoke(cycled, "eval", "--type", "arith"))
    events = json.dumps(invoke(cycled, "events"))
    assert "track.regression" in events and "audit" in events
    assert invoke(cycled, "examples", "stats", "--type", "arith")
    assert len(invoke(cycled, "checklist")) == 10
