"""The RLVR stage: from this cycle's SRL result, GRPO on whole problems with the verifier's
outcome reward. Without an SRL result there is nothing to start from, so the stage skips;
unless SRL is turned off (an ablation), when RLVR starts the cycle from its start."""

from __future__ import annotations

import json

from modelforge import StageSkipped
from modelforge.policy_format import problem_prompt
from modelforge_train.artifacts import RLVR_KIND, SRL_KIND, latest_of_cycle
from modelforge_train.rewards import outcome_reward
from modelforge_train.stage_run import CYCLE_START, StageSpec, train_stage


def rlvr_rows(model_type, examples, tokenizer=None) -> list[dict]:
    """One row per drawn example: its problem (through a chat model's template), and the
    problem as JSON for the verifier."""
    rows = []
    for example in examples:
        problem = example.trajectory().problem
        rows.append(
            {
                "prompt": problem_prompt(problem, tokenizer),
                "problem": json.dumps(problem.__dict__),
                "example_id": example.id,
            }
        )
    return rows


SPEC = StageSpec(
    name="rlvr",
    kind=RLVR_KIND,
    rows=lambda model_type, examples, settings, tokenizer=None: rlvr_rows(
        model_type, examples, tokenizer
    ),
    reward=lambda model_type, settings: outcome_reward(model_type, settings.format_penalty),
    stop_at_line_end=False,
)


def run(model_type: str, ctx) -> dict:
    srl = latest_of_cycle(ctx.db, ctx.cycle_id, SRL_KIND)
    if srl is None and ctx.config.section("train").srl.max_steps == 0:
        return train_stage(model_type, ctx, SPEC, start_from=CYCLE_START)
    if srl is None:
        raise StageSkipped("no SRL result in this cycle: RLVR starts only from SRL")
    start = {"path": srl.path, "lineage": srl.lineage, "artifact_id": srl.id}
    return train_stage(model_type, ctx, SPEC, start_from=start)
