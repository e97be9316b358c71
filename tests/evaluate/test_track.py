"""Weaknesses, regressions (with alerts) and trends from evaluations stored by hand."""

import pytest
from modelforge_evaluate import track_stage
from modelforge_evaluate.tables import Regression, WebhookDelivery
from modelforge_evaluate.track_stage import slope, weaknesses
from sqlmodel import select

from modelforge.app import App
from modelforge.models import Event
from modelforge.registry import register_model

from .helpers import Receiver, context, fill_scores, new_cycle, write_config

GOOD = {"addition": (46, 48), "multiplication": (44, 48)}
WORSE = {"addition": (20, 48), "multiplication": (43, 48)}
LINEAGE = {"stages": ["srl", "rlvr"], "rules_version": "1.0.0"}


def events(app, kind):
    with app.db.session() as session:
        return session.exec(select(Event).where(Event.kind == kind)).all()


def test_weak_below_the_floor_or_significantly_below_the_own_mean():
    found = {
        w["category"]: w
        for w in weaknesses(
            {"a": (95, 100), "b": (96, 100), "c": (70, 100), "e": (94, 100)}, 0.5, 1.96
        )
    }
    assert set(found) == {"c"} and "mean" in found["c"]["why"][0]
    floor = weaknesses({"a": (45, 100), "b": (40, 100)}, 0.5, 1.96)
    assert [w["category"] for w in floor] == ["a", "b"]
    assert floor[1]["severity"] > floor[0]["severity"]
    assert not weaknesses({"a": (9, 10), "b": (8, 10)}, 0.5, 1.96)  # inside the noise


def test_weakness_table_feeds_the_generation_mix(plugins, home):
    from modelforge_generate.mix import read_weaknesses

    from modelforge.contracts import published

    write_config(home)
    app = App(plugins)
    register_model(app.db, "m", "local", model_type="arith", lineage=LINEAGE)
    cycle = new_cycle(app)
    fill_scores(app, cycle, "m", {"addition": (47, 48), "multiplication": (10, 48)})
    result = track_stage.run("arith", context(app, cycle, "track"))
    assert [w["category"] for w in result["weaknesses"]] == ["multiplication"]
    table = published(app.plugins).table("weaknesses")  # what the evaluate plugin publishes
    assert read_weaknesses(app.db, "arith", table) == {
        "multiplication": pytest.approx((47 - 10) / 48, abs=1e-3)
    }
    assert events(app, "track.weakness")[0].data["category"] == "multiplication"


def test_regression_is_recorded_with_evidence_and_alerts(plugins, home, tmp_path):
    receiver = Receiver()
    alert_file = tmp_path / "alert.json"
    write_config(
        home, f'[track]\nalert_command = "cat > {alert_file}"\nalert_webhook = "{receiver.url}"\n'
    )
    app = App(plugins)
    try:
        register_model(app.db, "m", "local", model_type="arith", lineage=LINEAGE)
        first, second = new_cycle(app), new_cycle(app)
        fill_scores(app, first, "m", GOOD)
        fill_scores(app, second, "m", WORSE)
        result = track_stage.run("arith", context(app, second, "track"))
    finally:
        receiver.close()
    drops = {r["category"] for r in result["regressions"]}
    assert drops == {"*", "addition"}  # multiplication moved inside the noise
    recorded = events(app, "track.regression")
    assert {e.cycle_id for e in recorded} == {second}
    evidence = next(e.data for e in recorded if e.data["category"] == "addition")
    assert evidence["before"]["passed"] == 46 and evidence["after"]["passed"] == 20
    assert evidence["baseline_model"] == "m" and evidence["baseline_cycle"] == first
    assert len(receiver.received) == 2 and alert_file.exists()
    assert receiver.received[0]["model"] == "m"
    with app.db.session() as session:
        assert len(session.exec(select(Regression)).all()) == 2
    # running track again in the same cycle alerts nobody twice
    track_stage.run("arith", context(app, second, "track"))
    with app.db.session() as session:
        assert len(session.exec(select(WebhookDelivery)).all()) == 4


def test_a_failing_alert_is_logged_not_fatal(plugins, home):
    write_config(
        home,
        '[track]\nalert_command = "exit 3"\n'
        'alert_webhook = "http://127.0.0.1:9/nothing"\nalert_timeout_seconds = 2\n',
    )
    app = App(plugins)
    register_model(app.db, "m", "local", model_type="arith", lineage=LINEAGE)
    first, second = new_cycle(app), new_cycle(app)
    fill_scores(app, first, "m", GOOD)
    fill_scores(app, second, "m", WORSE)
    result = track_stage.run("arith", context(app, second, "track"))
    assert result["regressions"]
    failures = events(app, "track.alert_failed")
    assert len(failures) == 2 * len(result["regressions"])
    assert any("exit status 3" in e.message for e in failures)


def test_new_model_is_compared_with_the_previous_lead(plugins, home):
    write_config(home)
    app = App(plugins)
    register_model(app.db, "old", "local", model_type="arith", lineage=LINEAGE)
    register_model(app.db, "new", "local", model_type="arith", lineage=LINEAGE)
    first, second = new_cycle(app), new_cycle(app)
    fill_scores(app, first, "old", GOOD)
    fill_scores(app, second, "new", WORSE)
    result = track_stage.run("arith", context(app, second, "track"))
    assert {r["baseline_model"] for r in result["regressions"]} == {"old"}


def test_trend_over_the_last_cycles(plugins, home):
    write_config(home, "[track]\ntrend_cycles = 4\n")
    app = App(plugins)
    register_model(app.db, "m", "local", model_type="arith", lineage=LINEAGE)
    for passed in (44, 40, 37, 33):  # each step inside the noise, together a slide
        cycle = new_cycle(app)
        fill_scores(app, cycle, "m", {"addition": (passed, 48), "multiplication": (44, 48)})
        result = track_stage.run("arith", context(app, cycle, "track"))
    assert not result["regressions"]
    down = {t["category"]: t for t in result["trends"]}
    assert down["addition"]["direction"] == "down" and down["addition"]["slope_per_cycle"] < -0.05
    assert events(app, "track.trend")[0].level == "warning"


def test_slope_per_cycle():
    assert slope([0.9, 0.8, 0.7, 0.6]) == pytest.approx(-0.1)
    assert slope([0.5, 0.5]) == 0
    assert slope([0.5]) is None
