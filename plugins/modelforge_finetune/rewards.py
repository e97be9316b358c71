"""Reward code that runs on the provider's side, self-contained (standard library only).

SRL's reward is the paper's: difflib's ratio between the action the model wrote (after its
private <think> monologue) and the expert's next step; no action at all scores -1.
"""

from __future__ import annotations

_SRL_CORE = """
import difflib


def _action(text):
    if "</think>" in text:
        text = text.rsplit("</think>", 1)[1]
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else None


def _srl_reward(text, expert):
    action = _action(text)
    if action is None:
        return -1.0
    return difflib.SequenceMatcher(None, action, expert).ratio()
"""

# Vertex AI code reward: evaluate(example, response) with camel-case ProtoJSON dicts.
GEMINI_SRL = (
    _SRL_CORE
    + """

def evaluate(example, response):
    text = "".join(part.get("text", "") for part in response.get("parts", []))
    return _srl_reward(text, example.get("references", {}).get("expert_step", ""))
"""
)

# OpenAI python grader for the outcome (SRL uses the built-in text_similarity grader).
OPENAI_OUTCOME = """
def grade(sample, item):
    lines = [line.strip() for line in sample.get("output_text", "").splitlines() if line.strip()]
    return 1.0 if lines and lines[-1] == "OUTCOME: " + item["outcome"] else 0.0
"""
