"""The `generate` command and stage with the procedural roles: counts, mix, cycles, stops, faults."""

import json
import threading
from dataclasses import replace

import pytest
from modelforge_generate.batch import run_batch
from modelforge_generate.mix import read_weaknesses
from modelforge_generate.roles import build_roles, parse_spec
from modelforge_generate.settings import GenerateSettings
from sqlalchemy import text

from modelforge.app import App
from modelforge.contracts import Table
from modelforge.examples import ExampleStore
from modelforge.lifecycle import LifecycleRunner
from modelforge.modeltype import Verdict
from modelforge.plugins import load_plugins, model_types


def test_generate_command_stores_and_counts(invoke, app):
    result = invoke("generate", "--type", "arith", "-n", "30", "--json")
    report = json.loads(result.output)
    assert report["generated"] == 30
    assert report["attempts"] == 30 + sum(report["duplicates"].values()) + sum(
        report["rejected"].values()
    )
    assert ExampleStore(app.db).stats("arith")["total"]["stored"] == 30
    assert report["roles"]["teacher"] == {"backend": "procedural"}
    assert set(report["mix"]["shares"]) == {"addition", "multiplication"}
    assert "3 of 3 stored" in invoke("generate", "--type", "arith", "-n", "3").output


def test_provenance_names_roles_rules_and_seed(invoke, app):
    invoke("generate", "--type", "arith", "-n", "2")
    [example, _] = ExampleStore(app.db).draw("arith", 2, served_to="t")
    prov = example.provenance
    assert prov["rules_version"] == "1.0.0"
    assert prov["roles"]["verifier"] == {"backend": "procedural"}
    arith = model_types(app.plugins)["arith"]
    problem = arith.generate_problem(prov["category"], prov["difficulty"], prov["seed"])
    assert example.trajectory().problem == problem  # the seed reproduces the example


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--type", "nope"), "unknown model type 'nope'"),
        (("--type", "arith", "--roles", "X=procedural"), "bad role"),
        (("--type", "arith", "--roles", "B=telepathy:x"), "unknown backend 'telepathy'"),
        (("--type", "arith", "--roles", "B=openai-compatible"), "needs a model"),
    ],
)
def test_user_errors_are_messages(invoke, args, message):
    result = invoke("generate", *args)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output


def test_role_specs_parse():
    assert parse_spec("a=procedural, C=hf:/m") == {"context": "procedural", "verifier": "hf:/m"}


def test_a_small_problem_space_ends_in_counted_duplicates(app, write_config, monkeypatch):
    write_config("[generate]\nseed = 1\nattempts_per_example = 2\n")
    arith = model_types(app.plugins)["arith"]
    two_digits = tuple(replace(c, levels=(2,)) for c in arith.categories)
    monkeypatch.setattr(arith, "categories", two_digits)
    config = app.config.section("generate")
    report = run_batch(app.db, arith, build_roles(arith, config, {}), config, 300)
    # 2-digit problems are few (8100 sums, 720 products): duplicates must be met and counted
    assert report.duplicates["exact"] + report.duplicates["near"] > 0
    assert report.attempts <= 600
    assert ExampleStore(app.db).stats("arith")["total"]["stored"] == report.accepted


def _runner(app, stop=None):
    return LifecycleRunner(app.db, app.config, app.plugins, stop)


def test_each_cycle_generates_fresh_examples_and_tops_the_pool_up(app, write_config):
    write_config("[generate]\nper_cycle = 5\npool_target = 12\n")
    runner = _runner(app)
    runner.run_cycle("arith")
    store = ExampleStore(app.db)
    assert store.unserved_count("arith") == 12
    store.draw("arith", 10, served_to="train_srl")
    runner.run_cycle("arith")
    assert store.unserved_count("arith") == 12  # topped up: 10 drawn, 10 made
    runner.run_cycle("arith")
    assert store.stats("arith")["total"]["stored"] == 27  # a full pool still gets 5 fresh
    assert len(store.cycles_with_examples("arith")) == 3
    state, evidence = app.plugins.hook.checklist_evidence(
        item="generation", db=app.db, config=app.config
    )
    assert state == "done", evidence
    answers_paid = app.plugins.pm.get_plugin("generate").checklist_evidence
    assert answers_paid(item="paid", db=app.db, config=app.config) is None


def test_checklist_is_not_done_after_one_cycle(app, write_config):
    write_config("[generate]\nper_cycle = 2\npool_target = 0\n")
    _runner(app).run_cycle("arith")
    state, evidence = app.plugins.hook.checklist_evidence(
        item="generation", db=app.db, config=app.config
    )
    assert state == "not done"
    assert "arith" in evidence


def test_a_stop_mid_batch_keeps_what_is_stored_and_the_resumed_cycle_makes_the_rest(
    app, write_config, monkeypatch
):
    write_config("[generate]\nper_cycle = 20\npool_target = 0\n")
    stop = threading.Event()
    arith = model_types(app.plugins)["arith"]
    solve = arith.solve
    made = []

    def solve_then_stop(problem):
        made.append(problem)
        if len(made) == 7:
            stop.set()
        return solve(problem)

    monkeypatch.setattr(arith, "solve", solve_then_stop)
    monkeypatch.setattr("modelforge_generate.stage.stage_model_type", lambda plugins, name: arith)
    runner = _runner(app, stop)
    cycle = runner.run_cycle("arith")
    assert cycle.status == "interrupted"
    store = ExampleStore(app.db)
    first = store.stats("arith")["total"]["stored"]
    assert 0 < first <= 7
    stop.clear()
    assert runner.run_cycle("arith").status == "done"
    assert store.stats("arith")["total"]["stored"] == 20
    with app.db.session() as session:
        statuses = session.exec(text("SELECT status FROM example_batches ORDER BY id")).all()
    assert [s for (s,) in statuses] == ["interrupted", "done"]


def test_a_verifier_that_raises_rejects_instead_of_crashing(app, monkeypatch):
    arith = model_types(app.plugins)["arith"]
    calls = {"n": 0}
    verify = arith.verify_outcome

    def flaky(problem, outcome):
        calls["n"] += 1
        if calls["n"] % 2:
            raise RuntimeError("verifier bug")
        return verify(problem, outcome)

    monkeypatch.setattr(arith, "verify_outcome", flaky)
    config = GenerateSettings(seed=3)
    report = run_batch(app.db, arith, build_roles(arith, config, {}), config, 10)
    assert report.accepted == 10
    assert report.rejected["verifier-error"] >= 9
    assert (
        ExampleStore(app.db).stats("arith")["rejected"]["verifier-error"]
        == report.rejected["verifier-error"]
    )


def test_a_teacher_that_is_wrong_is_sent_back_then_rejected_with_the_rule(app, monkeypatch):
    arith = model_types(app.plugins)["arith"]
    solve = arith.solve
    monkeypatch.setattr(
        arith, "solve", lambda p: [*solve(p)[:-1], solve(p)[-1].__class__("ans=0", title="answer")]
    )
    config = GenerateSettings(seed=4, max_retries=2, attempts_per_example=1)
    report = run_batch(app.db, arith, build_roles(arith, config, {}), config, 5)
    assert report.accepted == 0
    assert report.rejected == {"rule:answer": 5}


def weak_multiplication(app) -> Table:
    """A weakness table published by hand: arith's multiplication weak (severity 0.9)."""
    with app.db.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE weak_spots (model_type TEXT, category TEXT, severity REAL)"
        )
        connection.exec_driver_sql("INSERT INTO weak_spots VALUES ('arith', 'multiplication', 0.9)")
    return Table("weak_spots", ("model_type", "category", "severity"))


def test_the_mix_leans_toward_weak_categories_of_the_published_table(monkeypatch):
    monkeypatch.setenv("MODELFORGE_LOAD_PLUGINS", "generate,arith")  # the table stands in for it
    app = App(load_plugins())
    published = weak_multiplication(app)
    arith = model_types(app.plugins)["arith"]
    config = GenerateSettings(seed=5, weakness_weight=0.8, coverage_floor=0.1)
    assert read_weaknesses(app.db, "arith", None) is None  # nobody publishes it: none are read
    roles = build_roles(arith, config, {})
    report = run_batch(app.db, arith, roles, config, 50, weakness_table=published)
    assert report.mix["source"] == "weaknesses"
    assert report.mix["shares"]["multiplication"] > 0.8
    assert report.mix["counts"]["addition"] >= 5  # the floor: no category starves
    with app.db.session() as session:
        [(mix,)] = session.exec(text("SELECT mix FROM example_batches")).all()
    assert json.loads(mix)["source"] == "weaknesses"


def test_the_verdict_of_a_procedural_verifier_is_the_types_own():
    assert Verdict.reject("r", "why", 2) == Verdict(False, "why", "r", 2)


def test_the_edge_mix_without_an_evaluation_is_todays_mix_without_weaknesses(monkeypatch):
    monkeypatch.setenv("MODELFORGE_LOAD_PLUGINS", "generate,arith")
    app = App(load_plugins())
    published = weak_multiplication(app)
    arith = model_types(app.plugins)["arith"]
    edge = GenerateSettings(seed=5, mix="edge")
    report = run_batch(
        app.db, arith, build_roles(arith, edge, {}), edge, 20, weakness_table=published
    )
    assert report.as_dict()["used_mix"] == "edge"
    assert report.mix["source"] == "uniform"  # the weakness table is not the edge mix's
    assert report.mix["shares"] == {"addition": 0.5, "multiplication": 0.5}


def test_the_edge_mix_reads_the_champions_evaluation_and_the_stage_records_it(
    plugins, home, tmp_path
):
    from modelforge_evaluate.registry_sync import sync_artifacts
    from modelforge_evaluate.tables import EvalRun, EvalSample
    from modelforge_generate.edge import competence
    from modelforge_generate.stage import run_stage

    from modelforge.artifacts import register_artifact
    from modelforge.lifecycle import StageContext
    from modelforge.models import Cycle, StageRun

    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        '[types.arith]\nenabled = true\n[generate]\nmix = "edge"\nper_cycle = 20\n'
    )
    app = App(plugins)
    assert competence(app.plugins, app.db, app.config, "arith") is None  # the base: none
    with app.db.session() as session:
        session.add(Cycle(model_type="arith", status="done"))
    folder = tmp_path / "model"
    folder.mkdir()
    lineage = {"stages": ["srl", "rlvr"], "base_model": {"name": "embedded-test"}}
    register_artifact(app.db, folder, "rlvr_model", lineage, model_type="arith", cycle_id=1)
    sync_artifacts(app.db, "arith")
    levels = {c.name: c.levels for c in model_types(app.plugins)["arith"].categories}
    # addition solved at every level; multiplication solved half the time at its lowest level
    verdicts = [("addition", level, True) for level in levels["addition"]]
    verdicts += [("multiplication", levels["multiplication"][0], ok) for ok in (True, False)]
    with app.db.session() as session:
        run = EvalRun(
            heldout_set_id=0,
            cycle_id=1,
            model_type="arith",
            model_name="arith/cycle-1/rlvr",
            samples=len(verdicts),
            passed=sum(v[2] for v in verdicts),
            seconds=0,
            cpu_seconds=0,
            tokens=0,
        )
        session.add(run)
        session.flush()
        session.add_all(
            EvalSample(
                eval_run_id=run.id,
                category=c,
                difficulty=d,
                input="",
                expected="",
                output="",
                ok=ok,
            )
            for c, d, ok in verdicts
        )
    found = competence(app.plugins, app.db, app.config, "arith")
    assert found.model == "arith/cycle-1/rlvr"
    assert found.rates["multiplication"] == {levels["multiplication"][0]: (1, 2)}
    assert found.rates["addition"] == {level: (1, 1) for level in levels["addition"]}

    with app.db.session() as session:
        session.add(Cycle(id=2, model_type="arith"))
        session.add(StageRun(id=1, cycle_id=2, stage="generate"))
    ctx = StageContext(app.db, app.config, app.plugins, 2, 1, "generate", "arith", lambda: False)
    result = run_stage("arith", ctx)
    assert result["used_mix"] == "edge" and result["mix"]["source"] == "edge"
    assert result["mix"]["champion"] == "arith/cycle-1/rlvr"
    # addition teaches nothing: the floor; multiplication the rest
    assert result["mix"]["shares"] == {"addition": 0.1, "multiplication": 0.9}
