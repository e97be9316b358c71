"""Every pack type keeps the model-type contract: seeded problems, an expert that verifies,
steps that parse back, N-1 SRL instances, canonical JSON outcomes, malformed input rejected."""

import json

import pytest

from modelforge.modeltype import (
    ModelType,
    StepFormatError,
    Trajectory,
    parse_steps,
    render_steps,
    step_instances,
    verify_trajectory,
)

from .conftest import PACK


@pytest.mark.parametrize("name", PACK)
def test_the_expert_is_always_right_and_its_steps_parse_back(types, name):
    model_type = types[name]
    assert isinstance(model_type, ModelType)
    for category in model_type.categories:
        for level in category.levels:
            for seed in range(15):
                problem = model_type.generate_problem(category.name, level, seed)
                steps = model_type.solve(problem)
                assert verify_trajectory(model_type, problem, steps).ok, problem.text
                assert parse_steps(model_type, render_steps(model_type, steps)) == steps
                json.dumps(problem.data)  # stored in the example store as JSON


@pytest.mark.parametrize("name", PACK)
def test_problems_are_seeded_and_the_outcome_is_canonical_json(types, name):
    model_type = types[name]
    category = model_type.categories[0]
    first = model_type.generate_problem(category.name, category.levels[-1], 11)
    assert first == model_type.generate_problem(category.name, category.levels[-1], 11)
    outcome = model_type.outcome_of(first, model_type.solve(first))
    assert outcome == json.dumps(json.loads(outcome), sort_keys=True, separators=(",", ":"))
    with pytest.raises(ValueError):
        model_type.generate_problem(category.name, 99, 0)
    with pytest.raises(KeyError):
        model_type.generate_problem("no-such-category", 1, 0)


@pytest.mark.parametrize("name", PACK)
def test_srl_gets_n_minus_one_instances_and_the_rules_are_versioned(types, name):
    model_type = types[name]
    problem = model_type.generate_problem(model_type.categories[0].name, 1, 3)
    steps = tuple(model_type.solve(problem))
    trajectory = Trajectory(problem, steps, model_type.outcome_of(problem, list(steps)))
    instances = step_instances(model_type, trajectory)
    assert len(instances) == len(steps) - 1
    assert instances[0].next_title == steps[1].title
    assert model_type.rules.version == "1.0.0"
    assert "format" in model_type.rules.data["rules"]


@pytest.mark.parametrize("name", PACK)
def test_malformed_answers_are_format_failures_not_crashes(types, name):
    model_type = types[name]
    problem = model_type.generate_problem(model_type.categories[0].name, 1, 5)
    for outcome in ("", "not json", "[]", "{}", '{"x": 1}'):
        verdict = model_type.verify_outcome(problem, outcome)
        assert not verdict.ok and verdict.rule == "format"
    garbage = {
        key: "?" for key in json.loads(model_type.outcome_of(problem, model_type.solve(problem)))
    }
    verdict = model_type.verify_outcome(problem, json.dumps(garbage))
    assert not verdict.ok and verdict.reason
    for line in (
        "",
        "nonsense",
        "made_up: {}",
        f"{model_type.titles[0]}: [1]",
        f'{model_type.titles[0]}: {{"a": 1}} trailing',
    ):
        with pytest.raises(StepFormatError):
            model_type.parse_step(line)


@pytest.mark.parametrize("name", PACK)
def test_steps_out_of_order_or_missing_are_rejected(types, name):
    model_type = types[name]
    problem = model_type.generate_problem(model_type.categories[0].name, 2, 8)
    steps = model_type.solve(problem)
    swapped = [steps[1], steps[0], *steps[2:]]
    assert verify_trajectory(model_type, problem, swapped).rule == "step-order"
    assert verify_trajectory(model_type, problem, steps[:-1]).rule == "outcome-missing"
    assert verify_trajectory(model_type, problem, [*steps, steps[-1]]).rule == "step-order"
    assert "TITLE" in model_type.step_format and model_type.titles[0] in model_type.step_format
