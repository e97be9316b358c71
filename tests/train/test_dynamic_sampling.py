"""Dynamic sampling: zero-spread groups are found, dropped, and the batch is refilled."""

from __future__ import annotations

import pytest
from modelforge_train.group_filter import group_spreads, informative_groups, select_groups


def test_groups_without_spread_carry_no_signal():
    rewards = [0, 0, 0, 0, 1, 0, 1, 0, 0.5, 0.5, 0.5, 0.5005]
    assert informative_groups(rewards, 4, 1e-3) == [False, True, False]
    assert group_spreads(rewards, 4)[1] == pytest.approx(0.5)


def test_rewards_that_do_not_split_into_groups_are_an_error():
    with pytest.raises(ValueError):
        group_spreads([0.1] * 5, 4)


def test_select_takes_informative_groups_first_and_keeps_the_rest_as_spares():
    chosen, spares = select_groups([False, True, True, False, True], wanted=2)
    assert chosen == [1, 2]
    assert spares == [0, 3]


def test_merge_repads_groups_from_different_generation_rounds():
    import torch
    from modelforge_train.sampling import merge_groups

    def output(prompt_len, completion_len, rows, advantage):
        return {
            "prompt_ids": torch.full((rows, prompt_len), 7),
            "prompt_mask": torch.ones(rows, prompt_len, dtype=torch.long),
            "completion_ids": torch.full((rows, completion_len), 8),
            "completion_mask": torch.ones(rows, completion_len, dtype=torch.long),
            "advantages": torch.full((rows,), advantage),
            "num_items_in_batch": torch.tensor(rows * completion_len),
        }

    first, second = output(3, 5, 4, 1.0), output(6, 2, 4, -1.0)
    merged = merge_groups([(first, 1), (second, 0)], group_size=2, pad_token_id=0)
    assert merged["prompt_ids"].shape == (4, 6)
    assert merged["prompt_ids"][0].tolist() == [0, 0, 0, 7, 7, 7]  # left-padded
    assert merged["completion_ids"].shape == (4, 5)
    assert merged["completion_mask"][3].tolist() == [1, 1, 0, 0, 0]  # right-padded
    assert merged["advantages"].tolist() == [1.0, 1.0, -1.0, -1.0]
    assert int(merged["num_items_in_batch"]) == 2 * 5 + 2 * 2


def test_merge_refuses_what_it_does_not_know_how_to_pad():
    import torch
    from modelforge_train.sampling import merge_groups

    with pytest.raises(NotImplementedError):
        merge_groups([({"pixel_values": torch.zeros(2, 3)}, 0)], 2, 0)
