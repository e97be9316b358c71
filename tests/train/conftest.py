"""The train plugin: the suite-wide `plugins` fixture leaves it out, so that no other test
pre-trains a model; these tests add it."""

from __future__ import annotations

import pytest


@pytest.fixture
def plugins(plugins):
    import modelforge_train.plugin as train_plugin

    if not plugins.pm.has_plugin("train"):
        plugins.register(train_plugin, name="train", source="first-party")
    return plugins


@pytest.fixture
def arith():
    from modelforge_arith.model_type import Arith

    return Arith()
