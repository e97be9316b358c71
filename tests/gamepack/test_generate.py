"""`modelforge generate --type T -n 50` stores 50 verified trajectories for each pack type."""

import json

import pytest

from modelforge.examples import ExampleStore
from modelforge.modeltype import verify_trajectory

from .conftest import PACK


@pytest.mark.parametrize("name", PACK)
def test_generate_stores_fifty_verified_trajectories(invoke, app, types, name):
    result = invoke("generate", "--type", name, "-n", "50", "--json")
    report = json.loads(result.output)
    assert report["generated"] == 50 and not report["rejected"], report
    assert set(report["mix"]["shares"]) == {c.name for c in types[name].categories}
    examples = ExampleStore(app.db).draw(name, 50, served_to="test")
    assert len(examples) == 50
    for example in examples:
        trajectory = example.trajectory()
        assert example.provenance["rules_version"] == types[name].rules.version
        assert verify_trajectory(types[name], trajectory.problem, list(trajectory.steps)).ok
        assert types[name].verify_outcome(trajectory.problem, trajectory.outcome).ok
