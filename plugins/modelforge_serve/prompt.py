"""Chat messages as the text a local model reads.

A tokenizer with a chat template gets it (with the generation prompt). The embedded models have
none: they were trained on the policy format, where the prompt is the problem text and a newline
(`modelforge.policy_format.problem_prompt`), so the messages' contents are joined one per line
and end with a newline; a lone user message is then exactly the prompt the policy saw in training.
"""

from __future__ import annotations


def prompt_text(tokenizer, messages: list[dict[str, str]]) -> str:
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return policy_text(messages)


def policy_text(messages: list[dict[str, str]]) -> str:
    """The messages in the policy format, for a model without a chat template."""
    return "".join(message["content"].rstrip("\n") + "\n" for message in messages)
