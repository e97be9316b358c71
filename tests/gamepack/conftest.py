"""The game pack registered on the test's plugins (until its entry point is declared), and
helpers to find a problem with a given property and to forge an outcome."""

from __future__ import annotations

import json

import modelforge_gamepack.plugin as gamepack_plugin
import pytest

from modelforge.plugins import model_types

PACK = ("personality", "facial", "building", "animal", "plant", "tree", "sound")


def register(plugins) -> None:
    if not plugins.pm.has_plugin("gamepack"):
        plugins.register(gamepack_plugin, name="gamepack")


@pytest.fixture(autouse=True)
def gamepack(plugins):
    register(plugins)
    return plugins


@pytest.fixture
def types(gamepack):
    return model_types(gamepack)


def find(model_type, where, category=None, tries=400):
    """The first generated problem for which where(problem) holds."""
    for seed in range(tries):
        for cat in model_type.categories:
            if category not in (None, cat.name):
                continue
            for level in cat.levels:
                problem = model_type.generate_problem(cat.name, level, seed)
                if where(problem):
                    return problem
    raise AssertionError("no generated problem has that property")


def expert_outcome(model_type, problem) -> dict:
    return json.loads(model_type.outcome_of(problem, model_type.solve(problem)))


def judge(model_type, problem, outcome: dict):
    """The verifier's verdict on a forged outcome object."""
    return model_type.verify_outcome(problem, json.dumps(outcome))
