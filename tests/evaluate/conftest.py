"""The evaluate plugin, registered by hand until its entry point is in pyproject."""

from __future__ import annotations

import pytest


@pytest.fixture
def plugins(plugins):
    import modelforge_evaluate.plugin as evaluate_plugin

    if not plugins.pm.has_plugin("evaluate"):
        plugins.register(evaluate_plugin, name="evaluate", source="first-party")
    return plugins
