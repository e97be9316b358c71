"""The commands, the choose_model hook and the checklist answers, on tables filled by hand."""

import json

from modelforge_evaluate import stages, track_stage

from modelforge.app import App
from modelforge.registry import register_model

from .helpers import context, fill_scores, new_cycle, save_tiny_model, write_config

LINEAGE = {"stages": ["srl", "rlvr"], "rules_version": "1.0.0"}


def filled(plugins, home):
    write_config(home)
    app = App(plugins)
    register_model(
        app.db,
        "local",
        "local",
        model_type="arith",
        lineage=LINEAGE,
        tier="tiny",
        cpu_seconds_per_1k_tokens=2.0,
        latency_ms=40.0,
    )
    register_model(
        app.db, "paid", "remote", model_type="arith", provider="openai", price_per_1k_tokens=0.01
    )
    cycle = new_cycle(app)
    fill_scores(app, cycle, "local", {"addition": (24, 24), "multiplication": (4, 24)})
    fill_scores(app, cycle, "paid", {"addition": (22, 24), "multiplication": (21, 24)})
    track_stage.run("arith", context(app, cycle, "track"))
    stages.select("arith", context(app, cycle, "select"))
    return app


def test_select_json_for_one_and_every_responsibility(plugins, home, invoke):
    filled(plugins, home)
    one = json.loads(invoke("select", "--responsibility", "arith", "--json").output)
    assert one["model"] == "paid" and one["rule"] == "cheapest"
    assert {r["model"] for r in one["reasons"]} == {"local", "paid"}
    every = json.loads(invoke("select", "--json").output)
    assert [a["responsibility"] for a in every] == ["arith"]  # the default: one per type
    text = invoke("select").output
    assert "→ paid" in text and "floor" in text
    missing = invoke("select", "--responsibility", "nope")
    assert missing.exit_code == 1 and "no responsibility 'nope'" in missing.output


def test_select_reason_names_the_failed_constraint_with_its_figures(plugins, home, invoke):
    write_config(home)
    app = App(plugins)
    register_model(
        app.db,
        "local",
        "local",
        model_type="arith",
        lineage=LINEAGE,
        cpu_seconds_per_1k_tokens=2.0,
        latency_ms=40.0,
    )
    cycle = new_cycle(app)
    fill_scores(app, cycle, "local", {"addition": (0, 24), "multiplication": (0, 24)})
    failed = "quality lower bound 0.000 < floor 0.500 (pass rate 0.0%, 0/48)"
    first = json.loads(invoke("select", "--json").output)[0]
    assert first["met_constraints"] is False and failed in first["why"]
    assert first["reasons"][0]["failed"] == [failed]
    stages.select("arith", context(app, cycle, "select"))  # local becomes the incumbent
    answer = json.loads(invoke("select", "--json").output)[0]
    assert answer["incumbent"] == "local" and answer["model"] == "local"
    assert "≥" not in answer["why"] and "best by" not in answer["why"]
    assert answer["why"].startswith("incumbent local serves: no model meets every constraint")
    assert failed in answer["why"] and failed in invoke("select").output


def test_configured_responsibility_and_choose_model_hook(plugins, home):
    write_config(
        home,
        '[select.responsibilities.adder]\nmodel_type = "arith"\n'
        'categories = ["addition"]\nmin_quality = 0.8\n',
    )
    app = App(plugins)
    register_model(
        app.db, "local", "local", model_type="arith", lineage=LINEAGE, cpu_seconds_per_1k_tokens=2.0
    )
    register_model(app.db, "paid", "remote", model_type="arith", price_per_1k_tokens=0.01)
    fill_scores(app, None, "local", {"addition": (24, 24), "multiplication": (0, 24)})
    fill_scores(app, None, "paid", {"addition": (24, 24), "multiplication": (24, 24)})
    chosen = app.plugins.hook.choose_model(responsibility="adder", db=app.db, config=app.config)
    assert chosen["model"] in ("local", "paid") and chosen["best"] == "local"
    assert app.plugins.hook.choose_model(responsibility="x", db=app.db, config=app.config) is None


def test_weaknesses_and_eval_json(plugins, home, invoke):
    filled(plugins, home)
    weak = json.loads(invoke("weaknesses", "--type", "arith", "--json").output)
    assert [w["category"] for w in weak["weaknesses"]] == ["multiplication"]
    assert weak["weaknesses"][0]["model"] == "local"
    shown = json.loads(invoke("eval", "--type", "arith", "--json").output)
    assert {e["model"] for e in shown} == {"local", "paid"}
    assert shown[0]["by_category"]["multiplication"]["high"] < 0.6
    assert invoke("eval", "--type", "nope").exit_code == 1


def test_models_import_and_list(plugins, home, invoke, tmp_path):
    filled(plugins, home)
    folder = save_tiny_model(tmp_path / "old-pipeline")
    imported = json.loads(
        invoke("models", "import", str(folder), "--type", "arith", "--json").output
    )
    assert imported["status"] == "must_retrain" and imported["name"] == "imported/old-pipeline"
    again = invoke("models", "import", str(folder))
    assert again.exit_code == 1 and "already registered" in again.output
    listed = {m["name"]: m for m in json.loads(invoke("models", "list", "--json").output)}
    assert listed["imported/old-pipeline"]["must_retrain"]
    assert listed["local"]["lineage"]["stages"] == ["srl", "rlvr"]
    assert listed["local"]["scores"]["overall"]["n"] == 48
    assert listed["paid"]["serves"] == ["arith"]
    assert "MUST BE RETRAINED" in invoke("models", "list").output
    chosen = json.loads(invoke("select", "--json").output)[0]
    assert "imported/old-pipeline" not in (chosen["model"], chosen["best"])
    assert invoke("models", "import", str(tmp_path)).exit_code == 1


def test_models_list_rounds_for_display_and_keeps_json_exact(plugins, home, invoke):
    write_config(home)
    app = App(plugins)
    register_model(
        app.db,
        "measured",
        "local",
        model_type="arith",
        lineage=LINEAGE,
        cpu_seconds_per_1k_tokens=0.923456789012,
        latency_ms=41.23456789,
    )
    register_model(
        app.db,
        "cheap",
        "remote",
        model_type="arith",
        provider="openai",
        price_per_1k_tokens=0.000123456789,
    )
    text = invoke("models", "list").output
    assert "0.923 CPU s/1k tokens" in text and "41 ms" in text
    assert "0.000123/1k tokens" in text
    assert "0.9234" not in text and "0.0001234" not in text and "41.2" not in text
    listed = {m["name"]: m for m in json.loads(invoke("models", "list", "--json").output)}
    assert listed["measured"]["cpu_seconds_per_1k_tokens"] == 0.923456789012
    assert listed["measured"]["latency_ms"] == 41.23456789
    assert listed["cheap"]["price_per_1k_tokens"] == 0.000123456789


def test_models_list_names_the_base_of_a_local_and_of_a_remote_model(plugins, home, invoke):
    """A local artifact's lineage names its base as {name, hash}; a provider's fine-tuned model
    (modelforge_finetune.registry) by the provider's model id alone."""
    write_config(home)
    app = App(plugins)
    base = {"name": "embedded-arith-1a2b", "hash": "1a2b"}
    register_model(
        app.db, "local", "local", model_type="arith", lineage={**LINEAGE, "base_model": base}
    )
    register_model(
        app.db,
        "ft:gpt-4.1-mini:org:mf:abc",
        "remote",
        model_type="arith",
        provider="openai",
        lineage={"source": "finetune_remote", "base_model": "gpt-4.1-mini-2025-04-14"},
    )
    result = invoke("models", "list", "--json")
    assert result.exit_code == 0, result.output
    listed = {m["name"]: m["lineage"]["base_model"] for m in json.loads(result.output)}
    assert listed == {
        "local": "embedded-arith-1a2b",
        "ft:gpt-4.1-mini:org:mf:abc": "gpt-4.1-mini-2025-04-14",
    }


def test_promote_rollback_user_error(plugins, home, invoke):
    filled(plugins, home)
    result = invoke("promote", "--rollback", "arith")
    assert result.exit_code == 1 and "no earlier model" in result.output
    assert invoke("promote").exit_code == 2


def test_checklist_items_come_from_the_tables(plugins, home):
    app = filled(plugins, home)
    hook = app.plugins.hook.checklist_evidence
    state, evidence = hook(item="tracking", db=app.db, config=app.config)
    assert state == "not done" and "per-sample" in evidence  # filled by hand: no samples
    state, evidence = hook(item="selection", db=app.db, config=app.config)
    assert state == "done" and "arith → paid (2 candidates)" in evidence
    assert hook(item="docs", db=app.db, config=app.config) is None


def test_eval_run_registers_the_trained_artifact_and_keeps_every_sample(
    plugins, home, invoke, tmp_path
):
    from .helpers import register_trained

    write_config(home, "[evaluate]\nper_category = 3\nmax_new_tokens = 16\n")
    app = App(plugins)
    register_trained(app, save_tiny_model(tmp_path / "m", eos_bias=50.0), new_cycle(app))
    shown = json.loads(
        invoke("eval", "--type", "arith", "--run", "--failures", "2", "--json").stdout
    )
    assert [e["model"] for e in shown] == ["arith/cycle-1/rlvr"]
    assert shown[0]["by_category"]["addition"]["n"] == 3 and shown[0]["cycle_id"] is None
    assert len(shown[0]["failures"]) == 2 and shown[0]["failures"][0]["rule"] == "format"
    from modelforge.examples import ExampleStore

    assert ExampleStore(app.db).unserved_count("arith") == 0  # held out: never served later
