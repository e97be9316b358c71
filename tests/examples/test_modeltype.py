"""The helpers every model type gets: SRL step instances, action similarity, verification."""

import pytest
from modelforge_arith.model_type import Arith

from modelforge.modeltype import Rules, Trajectory, action_similarity, step_instances

ARITH = Arith()


def _trajectory(digits=3):
    problem = ARITH.generate_problem("addition", digits, 1)
    steps = ARITH.solve(problem)
    return Trajectory(problem, tuple(steps), ARITH.outcome_of(problem, steps))


def test_n_steps_give_n_minus_one_instances_with_the_experts_context():
    trajectory = _trajectory(3)  # 3 columns and the answer: 4 steps
    instances = step_instances(ARITH, trajectory)
    assert len(instances) == 3
    first = instances[0]
    assert first.previous == trajectory.steps[:1]
    assert first.target == trajectory.steps[1]
    assert first.next_title == "column 2"
    assert first.context.splitlines() == [
        trajectory.problem.text,
        ARITH.render_step(trajectory.steps[0]),
    ]
    assert instances[-1].target.title == "answer"


def test_include_first_adds_the_first_step_from_the_bare_problem():
    instances = step_instances(ARITH, _trajectory(3), include_first=True)
    assert len(instances) == 4
    assert instances[0].previous == ()
    assert instances[0].context == instances[0].problem.text


def test_similarity_is_the_papers_difflib_ratio_or_the_exact_lcs():
    assert action_similarity("86418648", "86488648") == 0.5
    assert action_similarity("86418648", "86488648", "indel") == 0.875
    assert action_similarity("5+7+0=12", "5+7+0=12") == 1.0
    assert action_similarity("", "5+7+0=12") == 0.0
    with pytest.raises(ValueError):
        action_similarity("a", "b", "cosine")


def test_rules_need_a_version():
    assert Rules.from_toml('version = "2"\nx = 1').data["x"] == 1
    with pytest.raises(ValueError):
        Rules.from_toml("x = 1")


def test_the_minimal_plugin_in_the_docs_is_a_working_model_type():
    import re
    from pathlib import Path

    from modelforge.modeltype import ModelType, verify_trajectory

    doc = (Path(__file__).parents[2] / "docs" / "model-types.md").read_text()
    source = re.search(r"`plugin.py`:\n\n```python\n(.*?)```", doc, re.DOTALL)[1]
    namespace: dict = {}
    exec(compile(source, "model-types.md", "exec"), namespace)  # noqa: S102  (our own docs)
    reverse = namespace["Reverse"]()
    assert isinstance(reverse, ModelType)
    problem = reverse.generate_problem("reverse", 2, 5)
    steps = reverse.solve(problem)
    assert verify_trajectory(reverse, problem, steps).ok
    wrong = [*steps[:-1], type(steps[-1])("nope", title="answer")]
    assert verify_trajectory(reverse, problem, wrong).rule == "letter"
