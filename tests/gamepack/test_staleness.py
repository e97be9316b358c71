"""A rules version bump: `rules.changed` is recorded, the type's artifacts are marked stale,
retraining is queued (or runs in the cycle that noticed), and the checklist waits for it."""

import json

import pytest
from modelforge_gamepack.personality.model_type import Personality
from sqlmodel import col, select

from modelforge import control
from modelforge.artifacts import register_artifact
from modelforge.events import record_event
from modelforge.lifecycle import LifecycleRunner
from modelforge.models import Artifact, Cycle, Event, StageRun, utcnow
from modelforge.modeltype import Rules
from modelforge.plugins import load_plugins

from .conftest import register


def _artifact(app, home, rules_version, name="model"):
    path = home / "models" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("weights")
    lineage = {"rules_version": rules_version, "stages": ["srl", "rlvr"]}
    return register_artifact(app.db, path, "rlvr_model", lineage, model_type="personality").id


def _bump(monkeypatch, version="1.1.0"):
    """The personality rules as a newer release of the pack would ship them."""
    original = Personality.__init__

    def newer(self):
        original(self)
        self.rules = Rules(version, {**self.rules.data, "version": version})

    monkeypatch.setattr(Personality, "__init__", newer)


def _events(app, kind):
    with app.db.session() as session:
        rows = session.exec(select(Event).where(Event.kind == kind).order_by(col(Event.id))).all()
    return [row.data for row in rows]


def _lineage(app, artifact_id):
    with app.db.session() as session:
        return session.get(Artifact, artifact_id).lineage


def _trained(app):
    return app.plugins.hook.checklist_evidence(item="trained", db=app.db, config=app.config)


@pytest.fixture
def enabled(home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        "[types.personality]\nenabled = true\n[generate]\nper_cycle = 3\npool_target = 0\n"
    )


def test_a_version_bump_marks_artifacts_stale_and_queues_retraining(
    invoke, app, home, enabled, monkeypatch
):
    old = _artifact(app, home, "1.0.0")
    assert "personality: rules 1.0.0 unchanged" in invoke("rules", "check").output
    assert [e["new"] for e in _events(app, "rules.recorded")] == ["1.0.0"]
    assert _trained(app) is None  # nothing for the pack to object to

    _bump(monkeypatch)
    output = invoke("rules", "check", "personality").output
    assert "1.0.0 -> 1.1.0; 1 artifact(s) marked stale; retraining queued" in output
    [changed] = _events(app, "rules.changed")
    assert (changed["type"], changed["old"], changed["new"]) == ("personality", "1.0.0", "1.1.0")
    assert changed["stale_artifacts"] == [old]
    assert _lineage(app, old)["stale"]["new"] == "1.1.0"
    assert _lineage(app, old)["rules_version"] == "1.0.0"  # the lineage itself is kept
    assert [(r.action, r.model_type) for r in control.pending(app.db)] == [
        ("run_now", "personality")
    ]
    state, evidence = _trained(app)
    assert state == "not done" and "personality (rules 1.1.0)" in evidence

    fresh = _artifact(app, home, "1.1.0", name="fresh")
    assert "unchanged" in invoke("rules", "check", "personality").output
    assert len(_events(app, "rules.changed")) == 1 and "stale" not in _lineage(app, fresh)
    diff = json.loads(invoke("rules", "diff", "personality", "--version", "1.0.0", "--json").output)
    assert diff["changes"] == [
        {"path": "version", "change": "changed", "old": "1.0.0", "new": "1.1.0"}
    ]

    with app.db.session() as session:  # a cycle that trains again clears the checklist's doubt
        cycle = Cycle(model_type="personality", status="done")
        session.add(cycle)
        session.flush()
        for stage in ("train_srl", "train_rlvr"):
            session.add(
                StageRun(cycle_id=cycle.id, stage=stage, status="done", started_at=utcnow())
            )
    assert _trained(app) is None


def test_first_sight_with_artifacts_of_older_rules_counts_as_a_change(invoke, app, home):
    old = _artifact(app, home, "0.9.0")
    assert "0.9.0 -> 1.0.0" in invoke("rules", "check", "personality").output
    assert "stale" in _lineage(app, old)


def test_a_cycle_notices_new_rules_as_it_starts_and_retrains_in_itself(home, enabled, monkeypatch):
    monkeypatch.setenv("MODELFORGE_LOAD_PLUGINS", "generate")  # no trainer: its stages skip
    plugins = load_plugins()
    register(plugins)
    from modelforge.app import App

    app = App(plugins)
    record_event(app.db, "rules.recorded", "seen", type="personality", new="0.9.0", rules={})
    runner = LifecycleRunner(app.db, app.config, plugins)

    first = runner.run_cycle("personality")
    [changed] = _events(app, "rules.changed")
    assert (changed["old"], changed["new"]) == ("0.9.0", "1.0.0")
    assert control.pending(app.db) == []  # this cycle's own training stages retrain
    with app.db.session() as session:
        run = session.exec(
            select(StageRun).where(StageRun.cycle_id == first.id, StageRun.stage == "generate")
        ).one()
    assert run.status == "done"
    assert run.result["generate"]["generated"] == 3

    runner.run_cycle("personality")
    assert len(_events(app, "rules.changed")) == 1
