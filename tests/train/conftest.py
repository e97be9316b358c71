"""The train plugin, registered by hand until its entry point is in pyproject."""

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
