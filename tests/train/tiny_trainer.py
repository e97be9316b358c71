"""A real DynamicSamplingGRPOTrainer on a tiny untrained model, for the tests of its own steps
(refill, reward weighting) that need no training."""

from __future__ import annotations

DATASET = 8  # the training set: prompts p0 … p7


class NoShuffle:
    """The refill queue in dataset order, so `_refill` pops p7, p6, … (the queue's end)."""

    def shuffle(self, items):
        pass


def zero_reward(completions, **_):
    return [0.0] * len(completions)


def build(
    output_dir,
    *,
    groups,
    generations=2,
    max_refill_rounds=3,
    dynamic_sampling=True,
    seed=None,
    reward_funcs=(zero_reward,),
    reward_weights=None,
    refill_dataset=None,
):
    """The trainer over prompts p0 … p7, `groups` groups of `generations` a batch. Without a
    `seed` the refill queue is not shuffled (NoShuffle); `reward_weights` goes to GRPOConfig;
    `refill_dataset`, when given, is what refills draw from instead of the training set."""
    from datasets import Dataset
    from modelforge_train.base_model import build_model
    from modelforge_train.embedded_tokenizer import build_tokenizer
    from modelforge_train.sampling import DynamicSamplingGRPOTrainer
    from modelforge_train.settings import EmbeddedBaseSettings
    from trl import GRPOConfig

    tokenizer = build_tokenizer([f"p{i}" for i in range(DATASET)], 128)
    model = build_model(
        EmbeddedBaseSettings(hidden_size=8, layers=1, heads=2, intermediate_size=8), tokenizer
    )
    args = GRPOConfig(
        output_dir=str(output_dir),
        num_generations=generations,
        per_device_train_batch_size=groups * generations,
        max_steps=1,
        use_cpu=True,
        report_to="none",
        disable_tqdm=True,
        activation_checkpointing=False,
        reward_weights=reward_weights,
        **({} if seed is None else {"seed": seed}),
    )
    trainer = DynamicSamplingGRPOTrainer(
        model=model,
        reward_funcs=list(reward_funcs),
        args=args,
        train_dataset=Dataset.from_list([{"prompt": f"p{i}"} for i in range(DATASET)]),
        processing_class=tokenizer,
        dynamic_sampling=dynamic_sampling,
        max_refill_rounds=max_refill_rounds,
        refill_dataset=refill_dataset,
    )
    if seed is None:
        trainer._refill_rng = NoShuffle()
    trainer.model.train()
    return trainer
