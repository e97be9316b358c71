"""The embedded base's tokenizer, its pre-training budget, and where SRL completions end."""

from __future__ import annotations

import pytest
from modelforge_train.base_model import corpus_texts, steps_for_budget
from modelforge_train.embedded_tokenizer import build_tokenizer
from modelforge_train.settings import EmbeddedBaseSettings

from modelforge.policy_format import THINK_CLOSE, THINK_OPEN


@pytest.fixture
def texts(arith):
    return corpus_texts(arith, levels=2, count=300, seed=0)


def tokens(tokenizer, text: str) -> list[str]:
    return tokenizer.convert_ids_to_tokens(tokenizer(text)["input_ids"])


def test_digits_stay_single_tokens_and_a_newline_is_its_own(texts):
    tokenizer = build_tokenizer(texts, 256)
    pieces = tokens(tokenizer, "4821+97\ncolumn 1: <think></think>1+7+0=8\n")
    assert pieces[:4] == ["4", "8", "2", "1"]
    assert pieces.count("\n") == 2
    assert THINK_OPEN in pieces and THINK_CLOSE in pieces
    assert "column " in pieces  # a merge learnt from the corpus


def test_decoding_gives_back_the_text_think_tags_included(texts):
    tokenizer = build_tokenizer(texts, 256)
    for text in texts[:50] + ["odd ~ text | not in the corpus {}"]:
        ids = tokenizer(text)["input_ids"]
        assert tokenizer.decode(ids, skip_special_tokens=True) == text
        assert tokenizer.unk_token_id not in ids


def test_merges_shorten_a_verbose_type_several_times_over():
    from modelforge_gamepack.building.model_type import Building

    building = corpus_texts(Building(), levels=1, count=200, seed=0)
    tokenizer = build_tokenizer(building, 512)
    chars = sum(len(t) for t in building)
    assert chars / sum(len(tokenizer(t)["input_ids"]) for t in building) > 4


def test_a_token_budget_gives_long_texts_fewer_steps(texts):
    tokenizer = build_tokenizer(texts, 256)
    settings = EmbeddedBaseSettings(pretrain_tokens=40_000, pretrain_batch_size=8)
    short = steps_for_budget(tokenizer, texts, settings)
    long = steps_for_budget(tokenizer, [t * 3 for t in texts], settings)
    assert long < short
    assert short == pytest.approx(40_000 / 8 / (sum(map(len, texts[:256])) / 256 / 2.2), rel=0.5)


def test_an_srl_completion_ends_at_its_newline_not_at_the_padding_after_it(
    texts, tmp_path, tiny_model
):
    import torch
    from datasets import Dataset
    from modelforge_train.grpo_run import grpo_config
    from modelforge_train.sampling import DynamicSamplingGRPOTrainer
    from modelforge_train.settings import GRPOSettings, TrainSettings

    tokenizer = build_tokenizer(texts, 256)
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model(tokenizer))
    newline = tokenizer.convert_tokens_to_ids("\n")
    stage = GRPOSettings(num_generations=2, prompts_per_step=1, max_completion_length=8)
    config = grpo_config(
        stage, TrainSettings(), tmp_path / "out", stop_ids=[tokenizer.eos_token_id, newline]
    )
    trainer = DynamicSamplingGRPOTrainer(
        model=model,
        reward_funcs=lambda completions, **_: [0.0] * len(completions),
        args=config,
        train_dataset=Dataset.from_list([{"prompt": "12+3\n"}]),
        processing_class=tokenizer,
    )
    action = tokenizer("7+0=7", add_special_tokens=False)["input_ids"]
    pad = tokenizer.pad_token_id

    def generate(input_ids, **_):  # one row stops at its newline, one runs on
        rows = [action + [newline, pad, pad], action + [7, 7, 7]]
        return torch.cat([input_ids, torch.tensor(rows)], dim=1)

    model.generate = generate
    prompt_ids = [tokenizer("12+3\n")["input_ids"]] * 2
    completions, _ = trainer._generate_single_turn(prompt_ids, None, {}, 2)
    assert len(action) == 5
    assert completions[0] == action + [newline]
    assert completions[1] == action + [7, 7, 7]


def test_the_srl_default_holds_a_whole_step_of_the_longest_shipped_type():
    from modelforge_gamepack.building.model_type import Building
    from modelforge_train.settings import TrainSettings

    from modelforge.policy_format import step_line

    building = Building()
    tokenizer = build_tokenizer(corpus_texts(building, levels=2, count=400, seed=0), 512)
    longest = max(
        len(tokenizer(step_line(step).partition(": ")[2] + "\n")["input_ids"])
        for category in building.categories
        for level in category.levels
        for seed in range(5)
        for step in building.solve(building.generate_problem(category.name, level, seed))
    )
    assert longest <= TrainSettings().srl.max_completion_length


@pytest.mark.parametrize(("target", "rounds"), [(0.0, 1), (1.0, 2)])
def test_pre_training_goes_on_until_the_easiest_level_is_solved(arith, texts, target, rounds):
    from modelforge_train.base_model import build_model, pretrain_to_target

    settings = EmbeddedBaseSettings(
        hidden_size=16,
        layers=1,
        heads=2,
        intermediate_size=32,
        pretrain_tokens=3000,
        pretrain_target=target,
        pretrain_rounds=2,
    )
    tokenizer = build_tokenizer(texts, 256)
    model = build_model(settings, tokenizer)
    seen = []
    made = pretrain_to_target(
        model, tokenizer, texts, arith, settings, lambda step, total, loss: seen.append(step)
    )
    assert len(made["rounds"]) == rounds
    assert made["steps"] == sum(r["steps"] for r in made["rounds"]) == len(seen)
    assert seen == list(range(1, len(seen) + 1))  # progress counts on across rounds
    assert made["easiest_pass_rate"] == made["rounds"][-1]["easiest_pass_rate"] < 1.0
    assert tokenizer.padding_side == "right"
