import json

import pytest

from modelforge import hookimpl
from modelforge.contracts import Contract
from modelforge.lifecycle import STAGES
from modelforge.lock import DataDirLock


@pytest.fixture
def plugins(bare_plugins):
    """These tests are about the core: no first-party stage plugins."""
    return bare_plugins


EMBEDDED_TYPES = ["arith", "personality", "facial", "building", "animal", "plant", "tree", "sound"]


def test_run_once_on_the_embedded_default(invoke):
    result = invoke("run", "--once")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[: len(EMBEDDED_TYPES)] == [
        f"cycle {n} for {name}: done" for n, name in enumerate(EMBEDDED_TYPES, 1)
    ]
    status = json.loads(invoke("status", "--json").stdout)
    arith = next(entry for entry in status["types"] if entry["model_type"] == "arith")
    assert arith["cycle"]["status"] == "done"
    assert [s["stage"] for s in arith["cycle"]["stages"]] == list(STAGES)
    assert {(s["status"], s["detail"]) for s in arith["cycle"]["stages"]} == {
        ("skipped", "no plugin")
    }


def test_status_text_shows_stage_and_progress(invoke, plugins):
    class Generator:
        @hookimpl
        def generate(self, ctx):
            ctx.progress(7, 10, force=True)
            return {"generated": 7}

    plugins.register(Generator(), name="gen")
    invoke("run", "--once")
    text = invoke("status").stdout
    assert "arith: cycle 1 done" in text
    assert "generate" in text and "7/10" in text


def test_status_shows_an_unfinished_cycle_behind_a_newer_one(invoke, app):
    from modelforge.models import Cycle, StageRun

    with app.db.session() as session:
        older = Cycle(model_type="arith", status="running")
        session.add(older)
        session.flush()
        session.add(
            StageRun(cycle_id=older.id, stage="generate", progress_done=3, progress_total=9)
        )
        session.add(Cycle(model_type="arith", status="failed"))  # unfinished too
        session.add(Cycle(model_type="arith", status="done"))  # finished: not listed
        session.add(Cycle(model_type="arith", status="done"))  # the newest
    arith = next(
        entry
        for entry in json.loads(invoke("status", "--json").stdout)["types"]
        if entry["model_type"] == "arith"
    )
    assert arith["cycle"]["id"] == 4
    assert [(c["id"], c["status"]) for c in arith["unfinished"]] == [(2, "failed"), (1, "running")]
    assert arith["unfinished"][1]["current_stage"] == "generate"
    assert arith["unfinished"][1]["orphaned"] is True
    text = invoke("status").stdout
    assert "arith: cycle 4 done" in text
    assert "arith: older unfinished cycle 1 running (its process is gone" in text
    assert "arith: older unfinished cycle 2 failed" in text and "3/9" in text
    assert "older unfinished cycle 3" not in text


def test_checklist_tells_the_truth_with_no_stage_plugins(invoke):
    invoke("run", "--once")
    items = json.loads(invoke("checklist", "--json").stdout)
    assert len(items) == 10
    by_id = {item["id"]: item for item in items}
    assert by_id["stages"]["state"] == "not done"
    assert "audit (last skipped: no plugin)" in by_id["stages"]["evidence"]
    assert by_id["integration"]["state"] == "not done"
    assert all(item["evidence"] for item in items)
    assert invoke("checklist", "--strict").exit_code == 1


class EveryStage:
    """Stage results under keys of its own, which its contract publishes for the checklist."""

    @hookimpl
    def publish_contract(self):
        return Contract(
            result_keys={
                "unmarked_deprecate": "left",
                "examples_generated": "new",
                "provider_status": "outcomes",
                "weaknesses": "weak",
                "selection_decisions": "chosen",
            }
        )

    @hookimpl
    def audit(self):
        return {"left": 0}

    @hookimpl
    def generate(self):
        return {"new": 5}

    @hookimpl
    def train_srl(self):
        return {}

    @hookimpl
    def train_rlvr(self):
        return {}

    @hookimpl
    def finetune_remote(self):
        return {"outcomes": {"openai": "succeeded", "gemini": "failed"}}

    @hookimpl
    def evaluate(self):
        return {}

    @hookimpl
    def track(self):
        return {"weak": []}

    @hookimpl
    def select(self):
        return {"chosen": [{"responsibility": "arith", "model": "m", "reasons": ["cheapest"]}]}


def test_checklist_items_follow_the_evidence(invoke, plugins):
    plugins.register(EveryStage(), name="every")
    invoke("run", "--once")
    state = {item["id"]: item["state"] for item in json.loads(invoke("checklist", "--json").stdout)}
    assert state["generation"] == "not done"  # one cycle is not yet "never static"
    invoke("run", "--once")
    items = {item["id"]: item for item in json.loads(invoke("checklist", "--json").stdout)}
    for done in (
        "audit",
        "stages",
        "trained",
        "generation",
        "selection",
        "tracking",
        "integration",
    ):
        assert items[done]["state"] == "done", items[done]
    assert items["paid"]["state"] == "not done"
    assert "gemini, anthropic" in items["paid"]["evidence"]


def test_a_plugin_can_answer_a_checklist_item(invoke, plugins):
    class Tests:
        @hookimpl
        def checklist_evidence(self, item):
            if item == "tests":
                return ("done", "42 passed in the last recorded run")

    plugins.register(Tests(), name="tests-evidence")
    items = {item["id"]: item for item in json.loads(invoke("checklist", "--json").stdout)}
    assert items["tests"] == {
        "id": "tests",
        "title": "Tests passing",
        "state": "done",
        "evidence": "42 passed in the last recorded run",
    }


def test_without_a_publisher_the_checklist_says_so(invoke, plugins):
    class Unpublished(EveryStage):
        @hookimpl
        def publish_contract(self):
            return None

    plugins.register(Unpublished(), name="every")
    invoke("run", "--once")
    items = {item["id"]: item for item in json.loads(invoke("checklist", "--json").stdout)}
    assert items["audit"]["state"] == "unknown"
    assert (
        "no loaded plugin publishes the result 'unmarked_deprecate'" in items["audit"]["evidence"]
    )
    assert items["selection"]["state"] == "not done"
    assert "no loaded plugin publishes" in items["selection"]["evidence"]


def test_a_plugin_that_raises_in_checklist_evidence_is_named_and_passed_over(invoke, plugins):
    class Broken:
        @hookimpl(tryfirst=True)
        def checklist_evidence(self, item):
            raise RuntimeError(f"cannot read {item}")

    class Sound:
        @hookimpl
        def checklist_evidence(self, item):
            return ("done", "42 passed") if item == "tests" else None

    plugins.register(Sound(), name="sound-evidence")
    plugins.register(Broken(), name="broken-evidence")
    result = invoke("checklist", "--json")
    assert result.exit_code == 0, result.output
    items = {item["id"]: item for item in json.loads(result.stdout)}
    assert items["tests"]["state"] == "done"  # the next plugin still answers
    assert items["docs"]["state"] == "unknown"
    assert (
        "plugin 'broken-evidence' failed in checklist_evidence: RuntimeError: cannot read docs"
        in items["docs"]["evidence"]
    )


def test_plugins_lists_name_version_source_and_hooks(invoke, plugins):
    class Extra:
        @hookimpl
        def evaluate(self):
            return {}

    plugins.register(Extra(), name="extra")
    rows = {row["name"]: row for row in json.loads(invoke("plugins", "--json").stdout)}
    assert rows["extra"]["hooks"] == ["evaluate"]
    assert rows["extra"]["source"] == "registered"


def test_db_commands(invoke, home):
    before = json.loads(invoke("db", "current", "--json").stdout)
    assert before["current"] == [] and before["up_to_date"] is False
    assert "0004_models" in invoke("db", "upgrade").stdout
    after = json.loads(invoke("db", "current", "--json").stdout)
    assert after["current"] == after["heads"] and after["up_to_date"]
    assert after["database"] == str(home.resolve() / "modelforge.db")


def test_events_are_listed_and_filtered(invoke):
    invoke("run", "--once", "--type", "arith")
    events = json.loads(invoke("events", "--json", "--kind", "cycle.").stdout)
    assert [event["kind"] for event in events] == ["cycle.started", "cycle.done"]
    assert len(json.loads(invoke("events", "--json", "--limit", "3").stdout)) == 3


def test_init_writes_a_config_that_is_then_used(invoke, home):
    result = invoke("init")
    assert result.exit_code == 0
    written = home / "config.toml"
    assert written.exists() and "# modelforge configuration" in written.read_text()
    assert invoke("init").exit_code == 1
    written.write_text("[types.arith]\nenabled = false\n\n[types.other]\n")
    shown = json.loads(invoke("config", "show", "--json").stdout)
    assert shown["file"] == str(written)
    assert shown["settings"]["types"]["other"]["enabled"] is True
    assert invoke("init", "--force").exit_code == 0


def test_bad_config_is_a_message_and_exit_1(invoke, home):
    home.mkdir(parents=True)
    (home / "config.toml").write_text("[core]\nlog_levle = 'INFO'\n")
    result = invoke("status")
    assert result.exit_code == 1
    assert "unknown key 'core.log_levle'" in result.stderr
    assert "config.toml:2" in result.stderr
    assert "Traceback" not in result.output


def test_usage_errors_exit_2(invoke):
    assert invoke("status", "--bogus").exit_code == 2
    assert invoke("run", "--once", "--type", "nope").exit_code == 2


def test_no_enabled_type_is_a_message(invoke, home):
    home.mkdir(parents=True)
    (home / "config.toml").write_text("[types.arith]\nenabled = false\n")
    result = invoke("run", "--once")
    assert result.exit_code == 1 and "no model type is enabled" in result.stderr


def test_a_second_runner_names_the_running_pid(invoke, home):
    import os

    with DataDirLock(home, "train"):
        result = invoke("run", "--once")
        assert result.exit_code == 1
        assert f"(train, pid {os.getpid()}) is already running" in result.stderr
        status = json.loads(invoke("status", "--json").stdout)
        assert (status["daemon_pid"], status["runner"]) == (os.getpid(), "train")
        assert f"runner: train running (pid {os.getpid()})" in invoke("status").stdout
    status = json.loads(invoke("status", "--json").stdout)
    assert (status["daemon_pid"], status["runner"]) == (None, None)
    assert "runner: none" in invoke("status").stdout


def test_home_flag_overrides_environment(invoke, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    invoke("--home", str(elsewhere), "run", "--once")
    assert (elsewhere / "modelforge.db").exists()
