"""The best checkpoint on the validation split is the one registered, not the last."""

from __future__ import annotations

import json


class FakeState:
    def __init__(self, step):
        self.global_step = step
        self.best_model_checkpoint = None


class FakeTrainer:
    model = None


class FakeArgs:
    output_dir = "out"


def callback(tmp_path, scores):
    from modelforge_train.best_checkpoint import BestCheckpoint

    values = iter(scores)
    chooser = BestCheckpoint(lambda model: next(values), tmp_path)
    chooser.trainer = FakeTrainer()
    return chooser


def test_ties_go_to_the_later_checkpoint_and_the_best_is_kept_from_rotation(tmp_path):
    chooser = callback(tmp_path, [0.5, 0.5, None, 0.25])
    for step in (10, 20, 30, 40):
        state = FakeState(step)
        chooser.on_save(FakeArgs(), state, None)
    assert chooser.best_step() == 20
    assert state.best_model_checkpoint == "out/checkpoint-20"
    assert json.loads((tmp_path / "validation.json").read_text()) == {
        "10": 0.5,
        "20": 0.5,
        "30": None,
        "40": 0.25,
    }


def test_a_resumed_run_remembers_the_scores_saved_before_it_was_killed(tmp_path):
    first = callback(tmp_path, [0.75])
    first.on_save(FakeArgs(), FakeState(10), None)
    resumed = callback(tmp_path, [0.5])
    resumed.on_save(FakeArgs(), FakeState(20), None)
    assert resumed.scores == {10: 0.75, 20: 0.5}
    assert resumed.best_step() == 10


def test_an_earlier_better_checkpoint_is_loaded_into_the_trained_model(arith, tmp_path, tiny_model):
    import torch
    from datasets import Dataset
    from modelforge_train.base_model import corpus_texts
    from modelforge_train.best_checkpoint import BestCheckpoint
    from modelforge_train.embedded_tokenizer import build_tokenizer
    from modelforge_train.grpo_run import StepReporter, run_grpo
    from modelforge_train.settings import GRPOSettings, TrainSettings
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM

    tokenizer = build_tokenizer(corpus_texts(arith, levels=1, count=50, seed=0), 128)
    model = AutoModelForCausalLM.from_pretrained(tiny_model(tokenizer))
    stage = GRPOSettings(
        max_steps=3,
        num_generations=2,
        prompts_per_step=2,
        max_completion_length=4,
        learning_rate=0.05,
        dynamic_sampling=False,
    )
    out = tmp_path / "checkpoints"
    chooser = BestCheckpoint(lambda model: {1: 0.2, 2: 0.9, 3: 0.4}[chooser_step()], out)

    def chooser_step():
        return chooser.trainer.state.global_step

    trainer = run_grpo(
        model,
        tokenizer,
        Dataset.from_list([{"prompt": "12+3\n"}, {"prompt": "4+5\n"}] * 4),
        lambda completions, **_: [float(i % 2) for i in range(len(completions))],
        stage,
        TrainSettings(checkpoint_every=1),
        out,
        StepReporter(lambda metrics: None),
        stop_ids=[tokenizer.eos_token_id],
        extra_callbacks=[chooser],
    )
    chosen = chooser.choose()
    assert chosen == {"selected_step": 2, "validation": {"1": 0.2, "2": 0.9, "3": 0.4}}
    saved = load_file(out / "checkpoint-2" / "model.safetensors")
    last = load_file(out / "checkpoint-3" / "model.safetensors")
    weights = dict(trainer.model.named_parameters())
    changed = [name for name in saved if not torch.equal(saved[name], last[name])]
    assert changed  # the steps moved the weights, so the choice is visible
    for name in changed:
        assert torch.equal(weights[name].detach().cpu(), saved[name])
