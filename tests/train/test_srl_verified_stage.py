"""`[train.srl] reward = "verified"` through the lifecycle runner: the SRL stage trains with the
step verifier's reward on real TRL, the rows carrying the problem and the previous steps it
reads, and records an artifact."""

from __future__ import annotations

import pytest
from sqlmodel import select

from modelforge.lifecycle import LifecycleRunner
from modelforge.models import Artifact, Event

from .test_end_to_end import TINY, fill_store, new_cycle

pytestmark = pytest.mark.slow


def test_the_srl_stage_trains_with_the_verified_step_reward(app, home, arith, monkeypatch):
    from modelforge_train import srl

    real = srl.verified_step_reward
    scored: list[float] = []
    columns: set[str] = set()

    def watched(model_type, penalty):
        reward = real(model_type, penalty)

        def verified_step(completions, **kwargs):
            columns.update(kwargs)
            scores = reward(completions, **kwargs)
            scored.extend(scores)
            return scores

        return verified_step

    monkeypatch.setattr(srl, "verified_step_reward", watched)
    home.mkdir(parents=True, exist_ok=True)
    config = TINY.format(base="").replace("[train.srl]\n", '[train.srl]\nreward = "verified"\n')
    (home / "config.toml").write_text(config)
    fill_store(app, arith, 8)
    cycle_id = new_cycle(app)

    assert (
        LifecycleRunner(app.db, app.config, app.plugins).run_stage(cycle_id, "train_srl", "arith")
        == "done"
    )
    with app.db.session() as session:
        (srl,) = session.exec(select(Artifact)).all()
        steps = session.exec(
            select(Event).where(Event.kind == "train.step", Event.cycle_id == cycle_id)
        ).all()
    assert srl.kind == "srl_model"
    assert {"problem", "previous", "title_hint"} <= columns  # TRL passed the rows' columns
    assert scored and set(scored) <= {-1.0, 0.0, 1.0}
    means = [event.data["reward_mean"] for event in steps if "reward_mean" in event.data]
    assert means and all(-1.0 <= mean <= 1.0 for mean in means)
