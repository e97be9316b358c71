"""A chat model reads problems through its own template; the embedded base keeps plain text."""

from __future__ import annotations

from modelforge_arith.model_type import Arith
from modelforge_serve.prompt import prompt_text

from modelforge.modeltype import StepInstance
from modelforge.policy_format import instance_prompt, problem_prompt

from .tiny_gguf import CHAT_TEMPLATE


class ChatTokenizer:
    chat_template = CHAT_TEMPLATE

    def apply_chat_template(self, messages, tokenize, add_generation_prompt):
        assert not tokenize and add_generation_prompt
        turns = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        return turns + "<|im_start|>assistant\n"


class PlainTokenizer:
    chat_template = None


def test_problem_prompt_with_and_without_a_template():
    problem = Arith().generate_problem("addition", 2, 7)
    assert problem_prompt(problem) == problem.text + "\n"
    assert problem_prompt(problem, PlainTokenizer()) == problem.text + "\n"
    assert problem_prompt(problem, ChatTokenizer()) == (
        f"<|im_start|>user\n{problem.text}<|im_end|>\n<|im_start|>assistant\n"
    )


def test_a_served_chat_request_is_the_prompt_trained_on():
    problem = Arith().generate_problem("addition", 3, 1)
    messages = [{"role": "user", "content": problem.text}]
    for tokenizer in (ChatTokenizer(), PlainTokenizer()):
        assert prompt_text(tokenizer, messages) == problem_prompt(problem, tokenizer)


def test_an_srl_prompt_continues_the_reply_with_the_expert_steps():
    problem = Arith().generate_problem("addition", 2, 7)
    steps = tuple(Arith().solve(problem))
    instance = StepInstance(problem, steps[:1], steps[1], "")
    prompt = instance_prompt(instance, tokenizer=ChatTokenizer())
    assert prompt == (
        f"<|im_start|>user\n{problem.text}<|im_end|>\n<|im_start|>assistant\n"
        f"{steps[0].title}: <think></think>{steps[0].action}\n"
    )
