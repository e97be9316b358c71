"""The SRL stage: one GRPO instance per expert step, rewarded step by step against the expert
(`[train.srl] reward`: the similarity to the expert's step, or the type's step verifier)."""

from __future__ import annotations

import json

from modelforge.modeltype import step_instances
from modelforge.policy_format import instance_prompt, scored_step
from modelforge_train.artifacts import SRL_KIND
from modelforge_train.rewards import Reward, step_similarity_reward, verified_step_reward
from modelforge_train.stage_run import StageSpec, train_stage


def srl_rows(model_type, examples, title_hint: bool = False, tokenizer=None) -> list[dict]:
    """N-1 instances per N-step trajectory: the expert's context, the expert's next step (its
    action alone when the prompt hints the title) and the hinted title ("" when none), and for
    the step verifier the problem and the expert's steps so far as JSON. With a chat model's
    tokenizer the problem goes through its chat template."""
    return [
        {
            "prompt": instance_prompt(instance, title_hint, tokenizer),
            "expert_action": scored_step(instance.target, title_hint),
            "title_hint": (instance.next_title or "") if title_hint else "",
            "problem": json.dumps(instance.problem.__dict__),
            "previous": json.dumps([step.__dict__ for step in instance.previous]),
            "example_id": example.id,
        }
        for example in examples
        for instance in step_instances(model_type, example.trajectory())
    ]


def srl_reward(model_type, settings) -> Reward:
    """The reward `[train.srl] reward` names, with the `[train]` similarity and penalty."""
    if settings.srl.reward == "verified":
        return verified_step_reward(model_type, settings.format_penalty)
    return step_similarity_reward(model_type, settings.similarity, settings.format_penalty)


SPEC = StageSpec(
    name="srl",
    kind=SRL_KIND,
    rows=lambda model_type, examples, settings, tokenizer=None: srl_rows(
        model_type, examples, settings.srl.title_hint, tokenizer
    ),
    reward=srl_reward,
    stop_at_line_end=True,
)


def run(model_type: str, ctx) -> dict:
    return train_stage(model_type, ctx, SPEC, start_from=None)
