"""What SRL and RLVR share as lifecycle stages: draw examples, start from the right model,
train with per-step reports, check the held-out pass rate, save and register the result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelforge import StageInterrupted, StageSkipped, scoring
from modelforge.examples.models import Example
from modelforge.modeltype import ModelType
from modelforge.plugins import stage_model_type
from modelforge_train import artifacts, policy, ranks, rewards, start
from modelforge_train.drawn_examples import draw_once
from modelforge_train.grpo_run import StepReporter, run_grpo
from modelforge_train.settings import GRPOSettings, TrainSettings, config_hash

VALIDATION = "validation"  # the split checkpoints are chosen on, apart from the held-out one
CYCLE_START = "cycle start"  # start_from for a cycle's first stage: resolved after the base


@dataclass(frozen=True)
class StageSpec:
    """How one stage differs from the other."""

    name: str  # "srl" or "rlvr"
    kind: str  # the artifact kind it writes
    # (type, examples, settings, tokenizer): a chat model's prompts go through its template
    rows: Callable[..., list[dict[str, Any]]]
    reward: Callable[[ModelType, TrainSettings], Callable]
    stop_at_line_end: bool


def settings_of(ctx) -> TrainSettings:
    return ctx.config.section("train")


def held_out(
    model,
    tokenizer,
    model_type: ModelType,
    settings: TrainSettings,
    per_level: int,
    split: str = "held-out",
) -> dict[str, Any]:
    """Pass rates on per_level of a split's problems (first four levels of each category)."""
    problems = scoring.held_out_problems(model_type, per_level, settings.seed, split)
    problems = [p for p in problems if p.difficulty in _eval_levels(model_type, p.category)]
    if not problems:
        return {}
    return scoring.pass_rates(
        model, tokenizer, model_type, problems, settings.rlvr.max_completion_length
    )


def _eval_levels(model_type: ModelType, category: str) -> tuple[int, ...]:
    """The first four levels of a category: enough to see learning, cheap on a CPU."""
    for c in model_type.categories:
        if c.name == category:
            return c.levels[:4]
    return ()


def fitting(rows: list[dict[str, Any]], tokenizer, model, completion_tokens: int) -> list[dict]:
    """Rows whose prompt and completion fit the model's context (TRL no longer truncates)."""
    limit = getattr(model.config, "max_position_embeddings", None)
    if limit is None:
        return rows
    return [
        row
        for row in rows
        if len(tokenizer(row["prompt"])["input_ids"]) + completion_tokens <= limit
    ]


def pretrain_progress(ctx):
    """Progress and a few events while the embedded base is pre-trained (first use only); a
    stop request ends it at once, with nothing cached, and the next run starts it again."""

    def progress(step: int, total: int, loss: float) -> None:
        if ctx.stop_requested:
            raise StageInterrupted(f"stopped while pre-training the base, at step {step}/{total}")
        ctx.progress(step, total)
        if step == 1 or step == total or step % 100 == 0:
            ctx.event(
                "train.pretrain",
                f"pre-training the base: step {step}/{total}, loss {loss:.3f}",
                step=step,
                total=total,
                loss=round(loss, 4),
            )

    return progress


def reporter_for(ctx, spec: StageSpec, stage: GRPOSettings) -> StepReporter:
    def report(metrics: dict[str, Any]) -> None:
        parts = [
            f"{spec.name} step {metrics['step']}/{stage.max_steps}",
            f"reward {metrics.get('reward_mean', 0):.3f}±{metrics.get('reward_std', 0):.3f}",
        ]
        if "filtered_fraction" in metrics:
            parts.append(f"filtered {metrics['filtered_fraction']:.0%}")
        ctx.event("train.step", ", ".join(parts), **metrics)
        ctx.progress(metrics["step"], stage.max_steps)

    return StepReporter(report, stop=lambda: ctx.stop_requested)


def train_stage(
    model_type_name: str, ctx, spec: StageSpec, start_from: dict[str, Any] | str | None
):
    """Run one stage; start_from is the earlier stage's artifact (path, lineage), None for the
    base, or CYCLE_START for the cycle's start (the champion, `--from`, or the base)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # per-step events report progress; keep logs clean
    settings = settings_of(ctx)
    stage: GRPOSettings = getattr(settings, spec.name)
    model_type = stage_model_type(ctx.plugins, model_type_name)
    examples = draw_once(
        ctx.db,
        ctx.work_dir,
        model_type_name,
        stage.max_examples,
        served_to=f"train_{spec.name}:cycle-{ctx.cycle_id}",
    )
    if not examples:
        raise StageSkipped(
            f"no unserved verified examples of '{model_type_name}' to train on: "
            "generation stored none, or earlier stages drew them all"
        )
    base = policy.resolve_base(settings, model_type, ctx.data_dir, pretrain_progress(ctx))
    if start_from == CYCLE_START:
        start_from = start.cycle_start(ctx, model_type_name, settings, base)
    ranks.hand_out(
        ranks.StagePlan(
            spec.name,
            model_type_name,
            str(ctx.work_dir),
            [example.model_dump() for example in examples],
            base,
            start_from,
        )
    )
    model, tokenizer, rows = load_rows(base, start_from, spec, model_type, examples, settings)
    if not rows:
        raise StageSkipped(
            f"the {len(examples)} drawn examples gave no {spec.name} instance that "
            "fits the model's context"
        )
    before = held_out_before(start_from) or held_out(
        model, tokenizer, model_type, settings, settings.eval_problems_per_level
    )
    reporter = reporter_for(ctx, spec, stage)
    checkpoints = ctx.work_dir / "checkpoints"
    chooser = best_checkpoint(checkpoints, model_type, settings, tokenizer)
    trainer = train(
        model,
        tokenizer,
        rows,
        spec,
        model_type,
        settings,
        checkpoints,
        reporter,
        start_from,
        extra_callbacks=[chooser] if chooser else [],
    )
    step = trainer.state.global_step
    if ctx.stop_requested or reporter.stopped:
        raise StageInterrupted(
            f"{spec.name} stopped at step {step}; it resumes from its checkpoint"
        )
    chosen = chooser.choose() if chooser else {"selected_step": step}
    after = held_out(
        trainer.model, tokenizer, model_type, settings, settings.eval_problems_per_level
    )
    metrics = {**summary_metrics(reporter.history, before, after, step, trainer), **chosen}
    # the stages and examples of this cycle: a start from an earlier cycle begins them again
    parent = (start_from or {}).get("lineage", {})
    earlier = {} if start_from is None or "chain" in start_from else parent
    lineage = {
        "base_model": parent.get("base_model") or {"name": base.name, "hash": base.hash},
        "stages": [*earlier.get("stages", []), spec.name],
        "example_ids": {**earlier.get("example_ids", {}), spec.name: [e.id for e in examples]},
        "from_artifact": (start_from or {}).get("artifact_id"),
        "start": (start_from or {}).get("chain") or parent.get("start"),
        "config_hash": config_hash(settings),
        "rules_version": model_type.rules.version,
        "model_type_version": model_type.version,
        "format": "peft-adapter" if policy.uses_lora(settings) else "full-weights",
        "metrics": metrics,
    }
    target = artifacts.artifact_dir(ctx.data_dir, model_type_name, ctx.cycle_id, spec.kind)
    artifacts.save_model(trainer.model, tokenizer, target, lineage)
    artifact = ctx.artifact(target, spec.kind, lineage)
    return {
        "artifact_id": artifact.id,
        "path": str(target),
        "kind": spec.kind,
        "examples": len(examples),
        "instances": len(rows),
        "metrics": metrics,
    }


def load_rows(base, start_from, spec: StageSpec, model_type: ModelType, examples, settings):
    """(model, tokenizer, rows): the policy the stage starts from and its fitting instances."""
    model, tokenizer = policy.load(base, start_from and start_from["path"], settings)
    stage: GRPOSettings = getattr(settings, spec.name)
    rows = fitting(
        spec.rows(model_type, examples, settings, tokenizer),
        tokenizer,
        model,
        stage.max_completion_length,
    )
    return model, tokenizer, rows


def train(
    model,
    tokenizer,
    rows,
    spec: StageSpec,
    model_type: ModelType,
    settings: TrainSettings,
    checkpoints: Path,
    reporter: StepReporter,
    start_from,
    extra_callbacks=(),
):
    """GRPO on the rows, from the stage's last checkpoint; the same on every process."""
    from datasets import Dataset

    peft_config = policy.adapter_to_add(model, settings)
    reward = spec.reward(model_type, settings)
    if settings.shuffle_rewards:
        reward = rewards.shuffled(reward, settings.seed)
    return run_grpo(
        model,
        tokenizer,
        Dataset.from_list(rows),
        reward,
        getattr(settings, spec.name),
        settings,
        checkpoints,
        reporter,
        stop_ids=policy.stop_ids(tokenizer, at_line_end=spec.stop_at_line_end),
        peft_config=peft_config,
        extra_callbacks=extra_callbacks,
    )


def follow_stage(settings: TrainSettings, plugins, plan: ranks.StagePlan, stop) -> None:
    """A non-main process's part of a stage the main one is training: the same training on
    what the main one drew, with no events, scoring, saving or registering (its own)."""
    from transformers.utils import logging as hf_logging

    from modelforge_train import rlvr, srl

    hf_logging.disable_progress_bar()
    spec = {"srl": srl.SPEC, "rlvr": rlvr.SPEC}[plan.spec]
    model_type = stage_model_type(plugins, plan.model_type)
    examples = [Example.model_validate(row) for row in plan.examples]
    model, tokenizer, rows = load_rows(
        plan.base, plan.start_from, spec, model_type, examples, settings
    )
    if not rows:  # the main process skips the stage too
        return
    reporter = StepReporter(lambda _metrics: None, stop=stop)
    checkpoints = Path(plan.work_dir) / "checkpoints"
    train(
        model, tokenizer, rows, spec, model_type, settings, checkpoints, reporter, plan.start_from
    )


def held_out_before(start_from: dict[str, Any] | None) -> dict[str, Any] | None:
    """The held-out pass rates the start already has: before SRL for RLVR from SRL, the
    champion's after its own training for a chain (the same problems: the split is seeded)."""
    if start_from is None:
        return None
    metrics = start_from["lineage"].get("metrics") or {}
    return metrics.get("held_out_after" if "chain" in start_from else "held_out_before")


def best_checkpoint(checkpoints: Path, model_type: ModelType, settings: TrainSettings, tokenizer):
    """The paper's choice of checkpoint on a validation split; None when it is turned off."""
    if not settings.validation_problems_per_level:
        return None
    from modelforge_train.best_checkpoint import BestCheckpoint

    def score(model) -> float | None:
        per_level = settings.validation_problems_per_level
        rates = held_out(model, tokenizer, model_type, settings, per_level, VALIDATION)
        return rates.get("overall")

    return BestCheckpoint(score, checkpoints)


def summary_metrics(history, before, after, steps, trainer) -> dict[str, Any]:
    last = history[-1] if history else {}
    filtered = [h["filtered_fraction"] for h in history if "filtered_fraction" in h]
    return {
        "steps": steps,
        "reward_first": history[0].get("reward_mean") if history else None,
        "reward_mean": _mean([h["reward_mean"] for h in history if "reward_mean" in h]),
        "reward_last": last.get("reward_mean"),
        "filtered_fraction_mean": round(sum(filtered) / len(filtered), 4) if filtered else None,
        "kl_last": last.get("kl"),
        "tokens_generated": trainer.tokens_generated,
        "tokens_trained": trainer.tokens_trained,
        "held_out_before": before,
        "held_out_after": after,
    }


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None
