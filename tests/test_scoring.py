"""pass@k counts a problem once one of its k samples is exact, reading each problem's own k."""

from __future__ import annotations

from modelforge_arith.model_type import Arith

from modelforge import scoring
from modelforge.policy_format import solution_text


def test_pass_at_k_counts_a_problem_when_any_of_its_own_samples_is_exact(monkeypatch):
    arith = Arith()
    problems = [arith.generate_problem("addition", 3, seed) for seed in (1, 2, 3)]
    right = [solution_text(arith.solve(p)) for p in problems]
    wrong = [text.replace("ans=", "ans=9") for text in right]
    # k = 2, samples adjacent per problem: 1 right on its second; 2 wrong twice; 3 gets
    # problem 2's right solution, which does not solve problem 3.
    scripted = [wrong[0], right[0], wrong[1], wrong[1], right[1], "garbage"]
    seen = {}

    def complete(model, tokenizer, prompts, max_new_tokens, stop_ids, batch_size, **generation):
        seen.update(generation, prompts=prompts)
        return scripted

    monkeypatch.setattr(scoring, "complete", complete)
    tokenizer = type("Tokenizer", (), {"eos_token_id": 0})()
    assert scoring.pass_at_k(None, tokenizer, arith, problems, 2, 64) == round(1 / 3, 4)
    assert seen["num_return_sequences"] == 2 and seen["do_sample"] is True
    assert seen["temperature"] == 1.0 and seen["prompts"] == [p.text + "\n" for p in problems]
    assert scoring.pass_at_k(None, tokenizer, arith, [], 2, 64) is None
