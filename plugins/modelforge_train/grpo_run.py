"""One GRPO stage run, shared by SRL and RLVR: config, trainer, per-step reports, resume.

Checkpoints go to `output_dir` every `checkpoint_every` steps; a run started again with the
same data resumes from the last one (TRL's resume_from_checkpoint), and a stop request saves
a checkpoint at the current step before training ends.
"""

from __future__ import annotations

import re
import shutil
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modelforge_train.settings import GRPOSettings, TrainSettings

CHECKPOINT = re.compile(r"checkpoint-\d+")  # the trainer's folder for a numbered save

METRICS = {  # TRL's log key -> the name modelforge reports
    "reward": "reward_mean",
    "reward_std": "reward_std",
    "dynamic_sampling/filtered_frac": "filtered_fraction",
    "frac_reward_zero_std": "zero_spread_fraction",
    "kl": "kl",
    "loss": "loss",
}


@dataclass
class StepReporter:
    """What the callback calls: report(metrics) each logged step; stop() to end early."""

    report: Callable[[dict[str, Any]], None]
    stop: Callable[[], bool] = lambda: False
    token_budget: int | None = None
    stopped: bool = False  # a stop was asked for (on any process) and training ended for it
    history: list[dict[str, Any]] = field(default_factory=list)


def grpo_config(
    stage: GRPOSettings, train: TrainSettings, output_dir: Path, *, stop_ids: list[int]
):
    """The GRPOConfig for a stage; CPU is used unless an accelerator is present."""
    import torch
    from trl import GRPOConfig

    gpu = torch.cuda.is_available()
    return GRPOConfig(
        output_dir=str(output_dir),
        max_steps=stage.max_steps,
        learning_rate=stage.learning_rate,
        optim=stage.optim,
        lr_scheduler_type="constant",
        beta=stage.beta,
        num_generations=stage.num_generations,
        per_device_train_batch_size=stage.num_generations * stage.prompts_per_step,
        temperature=stage.temperature,
        max_completion_length=stage.max_completion_length,
        generation_kwargs={"eos_token_id": stop_ids},
        save_strategy="steps",
        save_steps=train.checkpoint_every,
        save_total_limit=2,
        logging_steps=1,
        report_to=train.report_to or "none",
        seed=train.seed,
        use_cpu=not gpu,
        bf16=gpu and torch.cuda.is_bf16_supported(),
        activation_checkpointing=False,
        use_vllm=train.use_vllm,
        vllm_mode=train.vllm_mode,
        disable_tqdm=True,
        dataloader_num_workers=0,
    )


def callback(reporter: StepReporter):
    """A TrainerCallback turning TRL's logs into modelforge's per-step metrics."""
    from transformers import TrainerCallback

    class Report(TrainerCallback):
        trainer = None
        last = (time.monotonic(), 0)

        def on_log(self, args, state, control, logs=None, **_):
            if not logs or "reward" not in logs:
                return
            now, tokens = time.monotonic(), self._tokens()
            metrics = {name: logs[key] for key, name in METRICS.items() if key in logs}
            metrics["step"] = state.global_step
            metrics["tokens"] = tokens
            metrics["tokens_per_s"] = round(
                (tokens - self.last[1]) / max(now - self.last[0], 1e-9), 1
            )
            self.last = (now, tokens)
            reporter.history.append(metrics)
            reporter.report(metrics)

        def on_step_end(self, args, state, control, **_):
            over_budget = (
                reporter.token_budget is not None and self._tokens() >= reporter.token_budget
            )
            stop, over_budget = self._on_every_process(reporter.stop(), over_budget)
            if stop:
                reporter.stopped = True
                control.should_save = True
                control.should_training_stop = True
            elif over_budget:
                control.should_training_stop = True

        def _on_every_process(self, *flags: bool) -> tuple[bool, ...]:
            """Each flag set if it is on any process: all stop at the same step."""
            accelerator = getattr(self.trainer, "accelerator", None)
            if accelerator is None or accelerator.num_processes == 1:
                return flags
            import torch

            local = torch.tensor([flags], dtype=torch.int64, device=accelerator.device)
            return tuple(bool(v) for v in accelerator.gather(local).amax(dim=0).tolist())

        def _tokens(self) -> int:
            t = self.trainer
            return 0 if t is None else t.tokens_generated + t.tokens_trained

    return Report()


def run_grpo(
    model,
    tokenizer,
    dataset,
    reward,
    stage: GRPOSettings,
    train: TrainSettings,
    output_dir: Path,
    reporter: StepReporter,
    *,
    stop_ids: list[int],
    peft_config=None,
    extra_callbacks=(),
    refill_dataset=None,
):
    """Train, resuming from the newest checkpoint in output_dir; return the trainer. Dynamic
    sampling refills from `refill_dataset` when given, else from `dataset`."""
    from transformers import PrinterCallback

    from modelforge.extras import require
    from modelforge_train.sampling import DynamicSamplingGRPOTrainer

    if "tensorboard" in train.report_to:
        require("tensorboard", "report_to = ['tensorboard']")
    output_dir.mkdir(parents=True, exist_ok=True)
    report = callback(reporter)
    trainer = DynamicSamplingGRPOTrainer(
        model=model,
        reward_funcs=reward,
        args=grpo_config(stage, train, output_dir, stop_ids=stop_ids),
        train_dataset=dataset,
        processing_class=tokenizer,
        callbacks=[report, *extra_callbacks],
        peft_config=peft_config,
        dynamic_sampling=stage.dynamic_sampling,
        zero_spread_epsilon=stage.zero_spread_epsilon,
        max_refill_rounds=stage.max_refill_rounds,
        refill_dataset=refill_dataset,
    )
    trainer.remove_callback(PrinterCallback)  # metrics go to events, stdout stays the CLI's
    for each in (report, *extra_callbacks):
        each.trainer = trainer
    with warnings.catch_warnings():  # TRL 1.16 reads a property transformers 5 renamed
        warnings.filterwarnings("ignore", "`is_gradient_checkpointing`", FutureWarning)
        trainer.train(resume_from_checkpoint=whole_checkpoint(output_dir))
    return trainer


def whole_checkpoint(output_dir: Path) -> str | None:
    """The newest checkpoint that a kill did not cut short, or None.

    The trainer writes a checkpoint's `trainer_state.json` last and not atomically, so a folder
    without it is a save that a SIGKILL interrupted: resuming from it fails. Such folders are
    this stage's own leftovers in its work dir, and are removed so that the step is redone."""
    numbered = [path for path in output_dir.glob("checkpoint-*") if CHECKPOINT.fullmatch(path.name)]
    newest = None
    for folder in sorted(numbered, key=lambda path: int(path.name.split("-")[1])):
        if (folder / "trainer_state.json").is_file():  # transformers' TRAINER_STATE_NAME
            newest = str(folder)
        else:
            shutil.rmtree(folder)
    return newest
