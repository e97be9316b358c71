"""SRL's rewards cannot be gamed by breaking a step (hypothesis, every type): for an expert step
drawn from the type's generator and expert, a character dropped or inserted so that the step no
longer parses under the type's step grammar never scores above the expert's step with one field
changed to another valid value — under the similarity reward and the verified one alike.

What a field is, per type (the changed step must itself parse, and the test checks it does):
- `arith`: a number of the action — X, Y, C or S of `column K: X+Y+C=S` (X*Y+C=P), R of
  `answer: ans=R` — changed to another number with as many digits (no leading zero).
- the pack's seven types: a leaf of the action's JSON object (a string, number or boolean at any
  depth, keys kept): a boolean flipped, a number moved by a non-zero amount (an integer stays
  an integer), a string replaced by another string the type's expert writes somewhere.

Characters are dropped or inserted anywhere in the step as scored, `title: action`, and kept
where the type's own `parse_step` refuses the result; the monologue tags then go where the
action began (breaking the tags is the format rule, tested in tests/test_rewards.py).
Derandomized, so a run is reproducible.
"""

from __future__ import annotations

import json
import os
import re
import string
from functools import cache
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from modelforge_arith.model_type import Arith
from modelforge_gamepack.animal.model_type import Animal
from modelforge_gamepack.building.model_type import Building
from modelforge_gamepack.facial.model_type import Facial
from modelforge_gamepack.personality.model_type import Personality
from modelforge_gamepack.plant.model_type import Plant
from modelforge_gamepack.sound.model_type import Sound
from modelforge_gamepack.tree.model_type import Tree
from modelforge_train.rewards import step_similarity_reward, verified_step_reward
from modelforge_train.srl import srl_rows

from modelforge.modeltype import Step, StepFormatError, Trajectory
from modelforge.policy_format import THINK_CLOSE, THINK_OPEN, scored_step, scored_step_of, step_line

TYPES = {
    t.name: t
    for t in (
        Arith(),
        Personality(),
        Facial(),
        Building(),
        Animal(),
        Plant(),
        Tree(),
        Sound(),
    )
}
FAST = settings(
    max_examples=int(os.environ.get("MODELFORGE_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TAGS = THINK_OPEN + THINK_CLOSE
INSERTED = [c for c in string.printable if c not in "\n\r\x0b\x0c"]


@st.composite
def expert_steps(draw, model_type):
    """A problem from the type's generator, the expert's steps before one of its steps, and
    that step."""
    category = draw(st.sampled_from(model_type.categories))
    level = draw(st.sampled_from(category.levels))
    problem = model_type.generate_problem(category.name, level, draw(st.integers(0, 10**6)))
    steps = model_type.solve(problem)
    index = draw(st.integers(0, len(steps) - 1))
    return problem, steps[:index], steps[index]


# ------------------------------------------------------------ one field changed to another value


def json_leaves(value, path=()):
    """(path, leaf) for every string, number or boolean in a JSON value."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from json_leaves(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from json_leaves(inner, (*path, index))
    elif value is not None:
        yield path, value


@cache
def strings_written(name: str) -> tuple[str, ...]:
    """Every string the type's expert writes in its actions, over a few problems a level."""
    model_type = TYPES[name]
    found = {
        leaf
        for category in model_type.categories
        for level in category.levels
        for seed in range(5)
        for step in model_type.solve(model_type.generate_problem(category.name, level, seed))
        for _, leaf in json_leaves(json.loads(step.action))
        if isinstance(leaf, str)
    }
    return tuple(sorted(found))


@st.composite
def one_field_changed(draw, model_type, step: Step) -> Step:
    if model_type.name == "arith":
        numbers = list(re.finditer(r"\d+", step.action))
        number = draw(st.sampled_from(numbers))
        width = len(number[0])
        low = 0 if width == 1 else 10 ** (width - 1)
        count = 10**width - low  # the numbers with `width` digits
        value = low + (int(number[0]) - low + draw(st.integers(1, count - 1))) % count
        action = step.action[: number.start()] + str(value) + step.action[number.end() :]
        return Step(action, title=step.title)
    written = json.loads(step.action)
    leaves = list(json_leaves(written))
    assume(leaves)  # e.g. `interactions: {"interactions":[]}` has no field to change
    path, leaf = draw(st.sampled_from(leaves))
    if isinstance(leaf, bool):
        value = not leaf
    elif isinstance(leaf, int):
        value = leaf + draw(st.sampled_from([-3, -2, -1, 1, 2, 3]))
    elif isinstance(leaf, float):
        value = round(leaf + draw(st.sampled_from([-1.0, -0.1, 0.1, 1.0])), 6)
    else:
        value = draw(st.sampled_from([s for s in strings_written(model_type.name) if s != leaf]))
    target = written
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return Step(json.dumps(written, sort_keys=True, separators=(",", ":")), title=step.title)


# ------------------------------------------------------------ one character dropped or inserted


def breaks_the_grammar(model_type, text: str) -> bool:
    try:
        model_type.parse_step(text)
    except StepFormatError:
        return True
    return False


@st.composite
def broken_line(draw, model_type, step: Step) -> str:
    """The expert's step with one character dropped from or inserted into `title: action` such
    that the type's grammar (its own parse_step, not the reward's reading) refuses it, written
    as a completion: the monologue tags where the action began."""
    text, start = f"{step.title}: {step.action}", len(step.title) + 2
    if draw(st.booleans()):
        edits = [(text[:i] + text[i + 1 :], start - (i < start)) for i in range(len(text))]
    else:
        char = draw(st.sampled_from(INSERTED))
        edits = [(text[:i] + char + text[i:], start + (i < start)) for i in range(len(text) + 1)]
    breaking = [(edited, at) for edited, at in edits if breaks_the_grammar(model_type, edited)]
    assume(breaking)  # a char that breaks nothing wherever it goes (a space in a JSON object)
    edited, at = draw(st.sampled_from(breaking))
    return edited[:at] + TAGS + edited[at:]


@pytest.mark.parametrize("name", sorted(TYPES))
@FAST
@given(data=st.data())
def test_a_broken_step_never_scores_above_one_field_changed(name, data):
    model_type = TYPES[name]
    problem, previous, expert = data.draw(expert_steps(model_type))
    changed = step_line(data.draw(one_field_changed(model_type, expert)))
    broken = data.draw(broken_line(model_type, expert))
    assert scored_step_of(model_type, changed) is not None, changed

    similarity = step_similarity_reward(model_type)([broken, changed], [scored_step(expert)] * 2)
    verified = verified_step_reward(model_type)(
        [broken, changed],
        [json.dumps(problem.__dict__)] * 2,
        [json.dumps([step.__dict__ for step in previous])] * 2,
    )
    assert similarity[0] < similarity[1], (broken, changed, similarity)
    assert verified[0] < verified[1], (broken, changed, verified)


@pytest.mark.parametrize("title_hint", [False, True])
@pytest.mark.parametrize("name", sorted(TYPES))
@FAST
@given(data=st.data())
def test_the_experts_own_step_earns_1_from_its_row(name, title_hint, data):
    """srl_rows carries what both rewards need: the expert's next step, written as the policy
    would write it, scores 1 under each, its problem and previous steps read back from JSON."""
    model_type = TYPES[name]
    problem, _, _ = data.draw(expert_steps(model_type))
    trajectory = Trajectory(problem, tuple(model_type.solve(problem)), "")
    example = SimpleNamespace(id=1, trajectory=lambda: trajectory)
    rows = srl_rows(model_type, [example], title_hint=title_hint)
    assume(rows)  # a one-step solution gives no instance
    row = data.draw(st.sampled_from(rows))
    target = trajectory.steps[len(json.loads(row["previous"]))]
    line = step_line(target)
    completion = line.split(": ", 1)[1] if title_hint else line
    columns = {key: [value] for key, value in row.items()}
    assert step_similarity_reward(model_type)([completion], **columns) == [1.0]
    assert verified_step_reward(model_type)([completion], **columns) == [1.0]
