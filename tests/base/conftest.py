"""`modelforge base` lives in the train plugin, which the suite-wide `plugins` fixture leaves
out; these tests add it (nothing here pre-trains a model)."""

from __future__ import annotations

import pytest


@pytest.fixture
def plugins(plugins):
    import modelforge_train.plugin as train_plugin

    if not plugins.pm.has_plugin("train"):
        plugins.register(train_plugin, name="train", source="first-party")
    return plugins
