"""The [train] config table. Defaults are the paper's, scaled to the embedded CPU model."""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import Field

from modelforge.scoring import STEP_TOKENS
from modelforge.settings import Section


class EmbeddedBaseSettings(Section):
    """The tiny Llama built locally for each type, and its brief pre-training on that type's
    step format. Lengths are in tokens of the type's own BPE vocabulary."""

    hidden_size: int = Field(128, ge=8)  # the model's width
    layers: int = Field(4, ge=1)  # transformer layers
    heads: int = Field(4, ge=1)  # attention heads
    intermediate_size: int = Field(384, ge=8)  # the MLP's width
    max_positions: int = Field(512, ge=64)  # the longest sequence, in tokens
    vocab_size: int = Field(512, ge=128)  # merges learnt from the corpus, on top of ASCII
    pretrain_texts: int = Field(4096, ge=1)  # expert solutions in the corpus
    pretrain_tokens: int = Field(600_000, ge=1)  # the budget: ~30 s a type on 2 CPU cores
    pretrain_batch_size: int = Field(16, ge=1)  # sequences per pre-training step
    pretrain_learning_rate: float = Field(3e-3, gt=0)  # pre-training's learning rate
    # Pre-train on the lowest levels of each category only: the base solves easy problems
    # and few hard ones, the regime where RLVR starves and SRL should not.
    pretrain_levels: int = Field(2, ge=1)
    # ...and must solve some of its easiest level: a base that solves nothing gives RLVR no
    # reward at all. Up to pretrain_rounds budgets are spent until it solves pretrain_target.
    pretrain_target: float = Field(0.25, ge=0, le=1)
    pretrain_rounds: int = Field(2, ge=1)  # 3 took run --once to 13.5 min on 2 cores
    seed: int = 0  # seeds the model's weights and corpus


class LoraSettings(Section):
    """LoRA for real models (ignored for the embedded model, which is trained fully)."""

    enabled: bool = True  # train a LoRA adapter; false: train every weight
    r: int = Field(16, ge=1)  # LoRA rank
    alpha: int = Field(32, ge=1)  # LoRA scaling (alpha / r)
    dropout: float = Field(0.05, ge=0, lt=1)  # LoRA dropout
    target_modules: list[str] | str = "all-linear"  # the layers LoRA wraps (peft's names)


class GRPOSettings(Section):
    """One GRPO stage. batch = prompts_per_step × num_generations completions per update."""

    max_steps: int = Field(20, ge=0)  # optimiser steps
    learning_rate: float = Field(5e-5, gt=0)  # the optimiser's, from the sweep (docs/training.md)
    beta: float = Field(0.0, ge=0)  # KL weight to the starting policy; 0.02 changed nothing
    num_generations: int = Field(8, ge=2)  # completions sampled per prompt (a group)
    prompts_per_step: int = Field(4, ge=1)  # prompts per optimiser step
    temperature: float = Field(1.0, gt=0)  # sampling temperature of the rollouts
    optim: str = "adamw_torch_fused"  # transformers' default; or "sgd", "adafactor", ...
    # the longest completion in tokens: SRL writes one step, which ends at its newline
    max_completion_length: int = Field(STEP_TOKENS, ge=1)
    max_examples: int = Field(32, ge=1)  # unserved examples drawn per cycle
    dynamic_sampling: bool = True  # drop groups with no reward spread and refill the batch
    zero_spread_epsilon: float = Field(1e-3, ge=0)  # groups with reward std below are dropped
    max_refill_rounds: int = Field(3, ge=0)  # extra generation rounds to fill a batch


class SRLSettings(GRPOSettings):
    """SRL's GRPO stage. The policy writes each whole step, title included, so what comes
    next is learnt too; title_hint ends each prompt with the next step's title instead (the
    paper's hint), so only the action is written and scored. reward: "similarity" (the
    paper's, to the expert's step) or "verified" (1 when the type's step verifier accepts the
    step, else 0); a step that breaks the type's grammar gets the format penalty in both."""

    learning_rate: float = Field(1e-4, gt=0)  # SRL's best in the sweep (docs/training.md)
    title_hint: bool = False  # end each prompt with the next step's title (the paper's hint)
    # similarity: to the expert's step (the paper's); verified: 1 when the step verifier accepts
    reward: Literal["similarity", "verified"] = "similarity"


class RLVRSettings(GRPOSettings):
    """RLVR's GRPO stage: whole solutions, scored by the verifier's outcome. Its own defaults
    hold in a [train.rlvr] table that sets only some keys."""

    max_steps: int = Field(8, ge=0)  # optimiser steps
    max_completion_length: int = Field(320, ge=1)  # the longest solution, in tokens
    max_examples: int = Field(16, ge=1)  # unserved examples drawn per cycle


class TrainSettings(Section):
    """Local SRL and RLVR training: the base model, LoRA and the two GRPO stages."""

    base: str = "embedded"  # or a Hugging Face model id or local path
    # a cycle's SRL trains the type's champion (the selector's answer, see docs/lifecycle.md),
    # so cycles build on each other; "base" starts every cycle from the base (ablations)
    start: Literal["champion", "base"] = "champion"
    from_artifact: int | None = Field(None, ge=1)  # one run from this artifact (`train --from`)
    # the no-information control: each batch's rewards are shuffled among its completions
    shuffle_rewards: bool = False
    lora: LoraSettings = LoraSettings()
    embedded: EmbeddedBaseSettings = EmbeddedBaseSettings()
    srl: SRLSettings = SRLSettings()
    rlvr: RLVRSettings = RLVRSettings()
    similarity: Literal["difflib", "indel"] = "difflib"  # difflib is the paper's
    format_penalty: float = -1.0  # the reward of an output that breaks the step format
    checkpoint_every: int = Field(10, ge=1)  # save a checkpoint every this many steps
    eval_problems_per_level: int = Field(2, ge=0)  # held-out pass rate before and after
    # the paper keeps the best checkpoint on a validation split; 0 keeps the last one
    validation_problems_per_level: int = Field(2, ge=0)
    report_to: list[str] = Field(
        default_factory=list
    )  # e.g. ["tensorboard"]; logs go under the checkpoints folder
    # local: in this process; accelerate: `accelerate launch`
    launcher: Literal["local", "accelerate"] = "local"
    accelerate_config: str | None = None  # an accelerate YAML (DeepSpeed, FSDP), passed through
    num_processes: int = Field(1, ge=1)  # processes accelerate starts
    use_vllm: bool = False  # generate rollouts with vLLM (TRL's own support)
    # server: a `trl vllm-serve` process; colocate: in the trainer
    vllm_mode: Literal["server", "colocate"] = "server"
    seed: int = 0  # seeds training


def config_hash(settings: TrainSettings) -> str:
    """A stable hash of every training knob, recorded in each artifact's lineage."""
    text = json.dumps(settings.model_dump(), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
