import pytest
from sqlmodel import select

from modelforge.errors import ModelforgeError
from modelforge.models import Event
from modelforge.registry import (
    get_model,
    list_models,
    record_usage,
    register_model,
    set_status,
    trained_through_srl_rlvr,
)

SRL_RLVR = {"stages": ["srl", "rlvr"], "base": "tiny"}


def test_only_srl_then_rlvr_counts_as_trained():
    assert trained_through_srl_rlvr(SRL_RLVR)
    assert not trained_through_srl_rlvr({"stages": ["srl"]})
    assert not trained_through_srl_rlvr({"stages": ["sft"]})
    assert not trained_through_srl_rlvr(None)


def test_local_models_without_the_lineage_must_be_retrained(app):
    good = register_model(
        app.db, "arith/cycle-1/rlvr", "local", model_type="arith", lineage=SRL_RLVR
    )
    old = register_model(app.db, "old-lora", "local", lineage={"trained_by": "old pipeline"})
    assert (good.status, good.srl_rlvr) == ("candidate", True)
    assert (old.status, old.srl_rlvr) == ("must_retrain", False)
    remote = register_model(app.db, "ft:gpt", "remote", provider="openai", price_per_1k_tokens=0.3)
    assert remote.status == "candidate"
    assert [m.name for m in list_models(app.db, "arith")] == ["arith/cycle-1/rlvr"]


def test_registering_again_updates_and_logs_once(app):
    register_model(app.db, "m", "remote", provider="gemini", price_per_1k_tokens=1.0)
    register_model(app.db, "m", "remote", provider="gemini", price_per_1k_tokens=0.5)
    assert get_model(app.db, "m").price_per_1k_tokens == 0.5
    assert len(list_models(app.db)) == 1
    with app.db.session() as session:
        kinds = session.exec(select(Event.kind).where(Event.kind == "model.registered")).all()
    assert kinds == ["model.registered"]
    set_status(app.db, "m", "incumbent")
    assert get_model(app.db, "m").status == "incumbent"


def test_bad_registrations_are_messages(app):
    with pytest.raises(ModelforgeError, match="unknown model kind 'magic'"):
        register_model(app.db, "x", "magic")
    with pytest.raises(ModelforgeError, match="unknown model field"):
        register_model(app.db, "x", "remote", colour="blue")
    with pytest.raises(ModelforgeError, match="no model named 'ghost'"):
        record_usage(app.db, "ghost", 10.0, 5)


def test_usage_folds_into_running_means(app):
    register_model(app.db, "tiny", "local", lineage=SRL_RLVR)
    record_usage(app.db, "tiny", latency_ms=100.0, tokens=50, cpu_seconds=0.5)
    record_usage(app.db, "tiny", latency_ms=200.0, tokens=150, cpu_seconds=0.5)
    entry = get_model(app.db, "tiny")
    assert entry.requests == 2 and entry.tokens == 200
    assert entry.latency_ms == pytest.approx(150.0)
    assert entry.cpu_seconds_per_1k_tokens == pytest.approx(5.0)  # 1.0 s over 200 tokens
