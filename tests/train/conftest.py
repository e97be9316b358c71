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


@pytest.fixture
def tiny_model(tmp_path):
    """tiny_model(tokenizer) -> the folder of a one-layer embedded model saved with its
    tokenizer, to load by path like any Hugging Face model."""

    def save(tokenizer, hidden_size: int = 16):
        from modelforge_train.base_model import build_model
        from modelforge_train.settings import EmbeddedBaseSettings

        folder = tmp_path / "tiny"
        settings = EmbeddedBaseSettings(
            hidden_size=hidden_size, layers=1, heads=2, intermediate_size=2 * hidden_size
        )
        build_model(settings, tokenizer).save_pretrained(folder)
        tokenizer.save_pretrained(folder)
        return folder

    return save


@pytest.fixture
def make_trainer(tmp_path, monkeypatch):
    """make_trainer(script, groups, …) -> a real DynamicSamplingGRPOTrainer on a tiny untrained
    model (see tiny_trainer.build); with a `script`, it stands in for TRL's generate-and-score
    step."""
    from trl import GRPOTrainer

    from .tiny_trainer import build

    def make(script=None, **options):
        if script is not None:
            monkeypatch.setattr(
                GRPOTrainer,
                "_generate_and_score_completions",
                lambda self, inputs: script(self, inputs),
            )
        return build(tmp_path / "out", **options)

    return make
