"""Every shipped type's whole steps, titles included, parse back and fit one SRL completion with
the embedded tokenizer: the policy writes the title now, so a step grew by it."""

from __future__ import annotations

import pytest
from modelforge_train.base_model import corpus_texts
from modelforge_train.embedded_tokenizer import build_tokenizer
from modelforge_train.settings import EmbeddedBaseSettings

from modelforge.plugins import load_plugins, model_types
from modelforge.policy_format import parse_solution, solution_text, step_line
from modelforge.scoring import STEP_TOKENS


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["arith", "personality", "facial", "building", "animal", "plant", "tree", "sound"]
)
def test_whole_steps_parse_back_and_fit_one_completion(name):
    model_type = model_types(load_plugins())[name]
    settings = EmbeddedBaseSettings()
    texts = corpus_texts(model_type, settings.pretrain_levels, settings.pretrain_texts, 0)
    tokenizer = build_tokenizer(texts, settings.vocab_size)
    for category in model_type.categories:
        for level in category.levels:
            problem = model_type.generate_problem(category.name, level, 3)
            steps = model_type.solve(problem)
            parsed = parse_solution(model_type, solution_text(steps))
            assert [(s.title, s.action) for s in parsed] == [(s.title, s.action) for s in steps]
            for step in steps:
                assert len(tokenizer(step_line(step) + "\n")["input_ids"]) <= STEP_TOKENS
