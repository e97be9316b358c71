"""The refill loop of DynamicSamplingGRPOTrainer._generate_and_score_completions, round by
round: TRL's own generate-and-score is replaced by a script (rewards per round, outputs whose
ids say which prompt, round and row they came from), so every kept group, refill request and
logged metric below is worked out by hand. The helpers it calls (informative_groups,
select_groups, merge_groups) are tested in test_dynamic_sampling.py."""

from __future__ import annotations

import pytest
import torch

from .tiny_trainer import DATASET

PROMPT_TOKENS = 3


class Script:
    """Stands in for GRPOTrainer._generate_and_score_completions. Round r (from 1) sets
    `_last_rewards` to rewards[r - 1] and returns, for each input row i, prompt ids all equal
    to its prompt's number and a completion of r + 1 tokens, each `100 * r + i`; the advantage
    is the same number, so a merged row shows where it came from."""

    def __init__(self, rewards: list[list[float]]):
        self.rewards = rewards
        self.calls: list[list[dict]] = []

    def __call__(self, trainer, inputs):
        self.calls.append(inputs)
        r = len(self.calls)
        rows = len(inputs)
        trainer._last_rewards = torch.tensor(self.rewards[r - 1])
        assert len(self.rewards[r - 1]) == rows
        prompts = [int(row["prompt"][1:]) for row in inputs]
        tags = [100 * r + i for i in range(rows)]
        return {
            "prompt_ids": torch.tensor(prompts).unsqueeze(1).repeat(1, PROMPT_TOKENS),
            "prompt_mask": torch.ones(rows, PROMPT_TOKENS, dtype=torch.long),
            "completion_ids": torch.tensor(tags).unsqueeze(1).repeat(1, r + 1),
            "completion_mask": torch.ones(rows, r + 1, dtype=torch.long),
            "advantages": torch.tensor(tags, dtype=torch.float),
            "num_items_in_batch": torch.tensor(rows * (r + 1)),
        }


def batch(*prompts: int, generations: int = 2) -> list[dict]:
    return [{"prompt": f"p{p}"} for p in prompts for _ in range(generations)]


def prompts_of(rows: list[dict]) -> list[str]:
    return [row["prompt"] for row in rows]


def logged(trainer) -> dict[str, list[float]]:
    metrics = trainer._metrics["train"]
    return {
        name: metrics[f"dynamic_sampling/{name}"]
        for name in ("filtered_frac", "informative_frac", "rounds")
    }


def test_zero_spread_groups_are_dropped_and_fresh_prompts_refill_the_batch(make_trainer):
    script = Script(
        [
            [1, 0, 0.5, 0.5, 0, 0],  # p0 informative; p1 and p2 have no spread
            [0, 0, 1, 0],  # refill p7: none; p6: informative
            [0.2, 0.9],  # refill p5: informative, and the batch is full
        ]
    )
    trainer = make_trainer(script, groups=3)

    out = trainer._generate_and_score_completions(batch(0, 1, 2))

    # Each refill asks for as many fresh groups as are missing, each prompt a whole group.
    assert [prompts_of(rows) for rows in script.calls] == [
        ["p0", "p0", "p1", "p1", "p2", "p2"],
        ["p7", "p7", "p6", "p6"],
        ["p5", "p5"],
    ]
    # Kept: round 1 rows 0-1 (p0), round 2 rows 2-3 (p6), round 3 rows 0-1 (p5), in that order.
    assert out["advantages"].tolist() == [100, 101, 202, 203, 300, 301]
    assert out["prompt_ids"][:, 0].tolist() == [0, 0, 6, 6, 5, 5]
    assert out["completion_mask"].sum(dim=1).tolist() == [2, 2, 3, 3, 4, 4]
    assert int(out["num_items_in_batch"]) == 18
    # 6 groups generated (3 + 2 + 1), 3 kept: half filtered, the batch all informative.
    assert logged(trainer) == {"filtered_frac": [0.5], "informative_frac": [1.0], "rounds": [3]}
    # Generated: 6 rows x 2 + 4 x 3 + 2 x 4 tokens; trained: 6 prompts x 3 + 18 completion.
    assert trainer.tokens_generated == 32
    assert trainer.tokens_trained == 36


def test_when_refill_rounds_run_out_the_spares_fill_the_batch_in_order(make_trainer):
    script = Script(
        [
            [0, 0, 1, 1],  # p0 and p1: no spread, both spares
            [1, 0, 3, 3],  # refill p7: informative; p6: a spare
            [0, 1, 0, 1],  # never asked for: one refill round only
        ]
    )
    trainer = make_trainer(script, groups=2, max_refill_rounds=1)

    out = trainer._generate_and_score_completions(batch(0, 1))

    assert len(script.calls) == 2  # the first round and one refill
    # The informative p7 first, then the earliest spare (p0), not p1 or p6.
    assert out["advantages"].tolist() == [200, 201, 100, 101]
    assert out["prompt_ids"][:, 0].tolist() == [7, 7, 0, 0]
    # 4 groups generated, 1 kept: 3/4 filtered, half the batch informative.
    assert logged(trainer) == {"filtered_frac": [0.75], "informative_frac": [0.5], "rounds": [2]}


def test_without_refill_rounds_an_uninformative_batch_is_trained_as_drawn(make_trainer):
    script = Script([[0, 0, 0, 0, 0, 0]])
    trainer = make_trainer(script, groups=3, max_refill_rounds=0)

    out = trainer._generate_and_score_completions(batch(0, 1, 2))

    assert len(script.calls) == 1
    assert out["advantages"].tolist() == [100, 101, 102, 103, 104, 105]
    assert logged(trainer) == {"filtered_frac": [1.0], "informative_frac": [0.0], "rounds": [1]}


def test_a_batch_informative_as_drawn_takes_one_round(make_trainer):
    script = Script([[0, 1, 2, 0, 1, 1.5]])
    trainer = make_trainer(script, groups=3)

    out = trainer._generate_and_score_completions(batch(4, 5, 6))

    assert len(script.calls) == 1
    assert out["prompt_ids"][:, 0].tolist() == [4, 4, 5, 5, 6, 6]
    assert logged(trainer) == {"filtered_frac": [0.0], "informative_frac": [1.0], "rounds": [1]}
    assert trainer.tokens_generated == 12  # 6 rows x 2 tokens
    assert trainer.tokens_trained == 6 * 3 + 12


def test_groups_are_as_large_as_num_generations(make_trainer):
    script = Script(
        [
            [0, 0, 0, 0, 1, 1],  # groups of 3: p0 has no spread, p1 has
            [2, 2, 2],  # refill p7: none; the last round
        ]
    )
    trainer = make_trainer(script, groups=2, generations=3, max_refill_rounds=1)

    out = trainer._generate_and_score_completions(batch(0, 1, generations=3))

    assert prompts_of(script.calls[1]) == ["p7", "p7", "p7"]
    assert out["advantages"].tolist() == [103, 104, 105, 100, 101, 102]
    assert logged(trainer) == {"filtered_frac": [2 / 3], "informative_frac": [0.5], "rounds": [2]}


@pytest.mark.parametrize("mode", ["eval", "dynamic sampling off"])
def test_outside_training_or_switched_off_the_parent_output_passes_through(make_trainer, mode):
    script = Script([[0, 0, 0, 0]])
    trainer = make_trainer(script, groups=2, dynamic_sampling=mode != "dynamic sampling off")
    if mode == "eval":
        trainer.model.eval()

    out = trainer._generate_and_score_completions(batch(0, 1))

    assert len(script.calls) == 1
    assert out["advantages"].tolist() == [100, 101, 102, 103]  # zero spread, yet kept
    assert logged(trainer) == {"filtered_frac": [], "informative_frac": [], "rounds": []}
    assert trainer.tokens_generated == 8
    assert trainer.tokens_trained == 4 * 3 + 8


def test_refill_draws_every_prompt_once_before_any_again(make_trainer):
    trainer = make_trainer(Script([]), groups=1)

    first, second = trainer._refill(5), trainer._refill(5)

    assert prompts_of(first)[::2] == ["p7", "p6", "p5", "p4", "p3"]
    assert prompts_of(first)[1::2] == prompts_of(first)[::2]  # each a whole group
    assert prompts_of(second)[::2] == ["p2", "p1", "p0", "p7", "p6"]  # then a new pass


def test_a_refill_set_is_drawn_from_instead_of_the_training_set(make_trainer):
    from datasets import Dataset

    refill = Dataset.from_list([{"prompt": f"q{i}"} for i in range(3)])
    trainer = make_trainer(Script([]), groups=1, refill_dataset=refill)

    # its own queue from its end, every prompt once, then a new pass; no training prompt
    assert prompts_of(trainer._refill(4))[::2] == ["q2", "q1", "q0", "q2"]


def full_pass(trainer) -> list[str]:
    """The prompts of one refill pass over the whole training set, one per group."""
    return prompts_of(trainer._refill(DATASET))[::2]


def test_refill_order_is_a_shuffle_drawn_from_the_seed(make_trainer):
    first, again, other = (make_trainer(groups=1, seed=s) for s in (7, 7, 8))

    drawn = full_pass(first)

    assert sorted(drawn) == [f"p{i}" for i in range(DATASET)]  # every prompt, once
    # one seed, one order (the next pass too); another seed, another order
    assert full_pass(again) == drawn
    assert full_pass(first) == full_pass(again)
    assert full_pass(other) != drawn


def other_process_lacks(trainer, *missing: int) -> None:
    """As if a second process lacked `missing[r - 1]` groups after round r: the gather in
    `_most_missing` answers the larger of the two."""
    others = list(missing)
    trainer._most_missing = lambda mine: max(mine, others.pop(0))


def test_with_several_processes_each_refills_as_many_groups_as_the_emptiest_lacks(make_trainer):
    script = Script(
        [
            [1, 0, 0, 0],  # p0 informative, p1 not: this process lacks one group
            [0, 0, 1, 0],  # refill p7 and p6 (the other lacks two): p6 informative
        ]
    )
    trainer = make_trainer(script, groups=2)
    other_process_lacks(trainer, 2, 0)

    out = trainer._generate_and_score_completions(batch(0, 1))

    assert [prompts_of(rows) for rows in script.calls[1:]] == [["p7", "p7", "p6", "p6"]]
    assert out["prompt_ids"][:, 0].tolist() == [0, 0, 6, 6]
    assert logged(trainer)["rounds"] == [2]


def test_a_full_process_generates_a_round_while_another_refills(make_trainer):
    # each round gathers rewards across processes: a process that stopped early would hang
    script = Script([[0, 1, 0, 1], [0, 0]])
    trainer = make_trainer(script, groups=2)
    other_process_lacks(trainer, 1, 0)

    out = trainer._generate_and_score_completions(batch(0, 1))

    assert len(script.calls) == 2  # the same rounds as the other process
    assert out["advantages"].tolist() == [100, 101, 102, 103]  # its own first round, kept
    assert logged(trainer)["rounds"] == [2]


def test_refill_rounds_run_out_on_every_process_at_once(make_trainer):
    script = Script([[1, 0, 0, 0], [0, 0], [0, 0]])
    trainer = make_trainer(script, groups=2, max_refill_rounds=1)
    other_process_lacks(trainer, 1, 1)

    trainer._generate_and_score_completions(batch(0, 1))

    assert len(script.calls) == 2  # one refill round, whoever still lacks groups
