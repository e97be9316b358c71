"""Lifecycle events go to configured URLs and commands, with retries and a delivery log."""

from modelforge_evaluate.tables import WebhookDelivery
from modelforge_evaluate.webhooks import dispatch
from sqlmodel import select

from modelforge.app import App
from modelforge.events import record_event
from modelforge.registry import register_model

from .helpers import Receiver, new_cycle, write_config


def test_lifecycle_events_are_sent_once_with_retries_logged(plugins, home, tmp_path):
    receiver = Receiver()
    seen = tmp_path / "seen.jsonl"
    write_config(
        home,
        f'[webhooks]\nurls = ["{receiver.url}"]\n'
        f'commands = ["cat >> {seen}; echo >> {seen}", "exit 7"]\n'
        "retries = 2\nbackoff_seconds = 0.0\n",
    )
    app = App(plugins)
    try:
        cycle = new_cycle(app)
        register_model(app.db, "m", "remote", model_type="arith", provider="openai")
        record_event(app.db, "stage.done", "train_rlvr done", cycle_id=cycle, stage="train_rlvr")
        record_event(app.db, "stage.done", "generate done", cycle_id=cycle, stage="generate")
        record_event(app.db, "track.regression", "m regressed", cycle_id=cycle, model="m")
        first = dispatch(app.db, app.config.section("webhooks"), cycle)
        again = dispatch(app.db, app.config.section("webhooks"), cycle)
    finally:
        receiver.close()
    assert [body["event"] for body in receiver.received] == [
        "model.registered",
        "training.complete",
        "regression.detected",
    ]
    assert receiver.received[2]["data"]["model"] == "m"
    assert len(seen.read_text().splitlines()) == 3
    assert first == {"delivered": 6, "failed": 3} and again == {"delivered": 0, "failed": 0}
    with app.db.session() as session:
        failed = session.exec(select(WebhookDelivery).where(WebhookDelivery.status == "failed"))
        failed = failed.all()
    assert {row.attempts for row in failed} == {3} and "exit status 7" in failed[0].error


def test_events_filter_and_no_targets(plugins, home):
    write_config(home, '[webhooks]\ncommands = ["true"]\nevents = ["model.promoted"]\n')
    app = App(plugins)
    cycle = new_cycle(app)
    register_model(app.db, "m", "remote", model_type="arith")
    assert dispatch(app.db, app.config.section("webhooks"), cycle) == {"delivered": 0, "failed": 0}
