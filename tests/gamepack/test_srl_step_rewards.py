"""SRL's rewards on a pack type, worked by hand from animal's rules 1.0.0 (rules.toml): a wolf
is nocturnal and moves by run, walk or swim; a forest allows walk, run, climb, fly and burrow.
So a hungry wolf in a forest at night is awake, and runs (its first way the forest allows) —
the case "a hungry wolf at night" of test_hand_animal.py."""

from __future__ import annotations

import json

import pytest
from modelforge_train.rewards import step_similarity_reward, verified_step_reward

from modelforge.modeltype import Problem, Step

from .handworked import TYPES

ANIMAL = TYPES["animal"]
WOLF = Problem(
    "hand-worked",
    1,
    0,
    "a hand-worked problem",
    {
        "species": "wolf",
        "terrain": "forest",
        "time": "night",
        "season": "summer",
        "hunger": 0.7,
        "neighbours": [],
    },
)
ACTIVITY = Step('{"activity":{"pattern":"nocturnal","state":"awake"}}', title="activity")


@pytest.fixture(autouse=True)
def gamepack():
    """Instead of the conftest's: the types come from handworked.TYPES, no plugins per test."""


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ('locomotion: {"locomotion":"run"}', 1.0),  # the expert's step
        ('locomotion: {"locomotion": "walk"}', 1.0),  # another way the rules allow: accepted
        ('locomotion: {"locomotion":"swim"}', 0.0),  # a wolf swims, but not in a forest
        ('locomotion: {"locomotion":"fly"}', 0.0),  # a forest allows flying, a wolf cannot
        ('locomotion: {"locomotion":"run","speed":3}', 0.0),  # a key the stage does not write
        ('behaviour: {"locomotion":"run"}', 0.0),  # the stage after this one
        ('locomotion: {"locomotion":"run"', -1.0),  # a brace dropped: not JSON
        ('locomotion: {"locomotion":run}', -1.0),
        ('locomotin: {"locomotion":"run"}', -1.0),  # no title of the type
        ('locomotion: ["run"]', -1.0),  # JSON, but not an object
    ],
)
def test_the_verified_reward_on_a_wolfs_locomotion(action, expected):
    title, _, rest = action.partition(": ")
    (score,) = verified_step_reward(ANIMAL)(
        completions=[f"{title}: <think>it runs</think>{rest}"],
        problem=[json.dumps(WOLF.__dict__)],
        previous=[json.dumps([ACTIVITY.__dict__])],
    )
    assert score == expected


def test_the_similarity_reward_reads_the_json_the_step_says():
    reward = step_similarity_reward(ANIMAL)
    expert = 'locomotion: {"locomotion":"run"}'
    scores = reward(
        completions=[
            'locomotion: <think></think>{"locomotion": "run"}  # its first way',  # same object
            'locomotion: <think></think>{"locomotion":"walk"}',
            'locomotion: <think></think>{"locomotion":"run"',
        ],
        expert_action=[expert] * 3,
    )
    # `{"locomotion":"walk"}` against `{"locomotion":"run"}` (21 and 20 characters): the blocks
    # `{"locomotion":"` (15) and `"}` (2), M = 17, T = 41
    assert scores == [1.0, pytest.approx(34 / 41), -1.0]
