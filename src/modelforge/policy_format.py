"""The text the policy reads and writes: a line per step, `title: <think>monologue</think>action`.

The policy writes the whole step, its title included, so choosing what comes next (another
column, or the answer) is part of every step it is rewarded for; the scored text is the step as
the expert wrote it, `title: action`, with the monologue left out. An SRL prompt may instead
end with the next step's title (the paper's hint, `title_hint`); the completion is then the
monologue and the action alone, and only the action is scored. Either way a step counts only
if the type's own step grammar reads it (`step_of_line`), in SRL as in RLVR.

A real chat model reads the same problem through its own chat template (`problem_prompt` with
its tokenizer); its reply is the same lines. The embedded base has no template and keeps the
plain format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modelforge.modeltype import ModelType, Problem, Step, StepFormatError, StepInstance

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"
_COMPLETION = re.compile(
    rf"^(?:(?P<title>[^\n<]*?): )?{re.escape(THINK_OPEN)}(?P<monologue>.*?)"
    rf"{re.escape(THINK_CLOSE)}(?P<action>[^\n]*?)\s*$",
    re.DOTALL,
)


@dataclass(frozen=True)
class ParsedAction:
    """A completion split into its title (when it wrote one), free monologue and action."""

    monologue: str
    action: str
    title: str | None = None

    @property
    def scored(self) -> str:
        """What SRL compares with the expert: the step without its monologue."""
        return with_title(self.title, self.action)


def with_title(title: str | None, text: str) -> str:
    """A step as scored: `title: text`, or the text alone when there is no title."""
    return f"{title}: {text}" if title else text


def step_line(step: Step) -> str:
    """An expert step as the policy writes it. The expert's rationale is not its monologue: the
    monologue is the policy's own, so expert lines carry an empty one."""
    body = f"{THINK_OPEN}{THINK_CLOSE}{step.action}"
    return f"{step.title}: {body}" if step.title else body


def scored_step(step: Step, title_hint: bool = False) -> str:
    """The expert's side of SRL's comparison: the whole step, or its action alone when the
    prompt already gave the title."""
    return step.action if title_hint else with_title(step.title, step.action)


def problem_prompt(problem: Problem, tokenizer=None) -> str:
    """The prompt for a whole solution (RLVR, evaluation). A model whose tokenizer has a chat
    template (a real chat model) reads the problem as the user's message through its own
    template, its reply to follow, which is what a chat client sends it when served; the
    embedded base (no template) reads the problem and a newline."""
    if has_chat_template(tokenizer):
        return chat_prompt(tokenizer, problem.text)
    return f"{problem.text}\n"


def instance_prompt(instance: StepInstance, title_hint: bool = False, tokenizer=None) -> str:
    """The prompt for one SRL step: problem and expert steps so far (in a chat model's reply,
    after its template's assistant header); with title_hint, the next step's title too."""
    lines = "".join(step_line(step) + "\n" for step in instance.previous)
    hint = f"{instance.next_title}: " if title_hint and instance.next_title else ""
    return problem_prompt(instance.problem, tokenizer) + lines + hint


def has_chat_template(tokenizer) -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


def chat_prompt(tokenizer, text: str, worked: tuple[tuple[str, str], ...] = ()) -> str:
    """`text` as the user's turn through the tokenizer's chat template, ready for the reply;
    `worked` examples (problem, expert solution) go before it as earlier turns."""
    messages = []
    for problem_text, solution in worked:
        messages += [
            {"role": "user", "content": problem_text},
            {"role": "assistant", "content": solution.rstrip("\n")},
        ]
    messages.append({"role": "user", "content": text})
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)


def solution_text(steps: list[Step] | tuple[Step, ...]) -> str:
    """A whole expert solution as the completion of problem_prompt (pre-training, SFT)."""
    return "".join(step_line(step) + "\n" for step in steps)


def parse_action(completion: str) -> ParsedAction | None:
    """The title, monologue and action of one step's completion, or None when it breaks the
    format (no action after the monologue)."""
    match = _COMPLETION.match(completion.strip("\n"))
    if match is None or not match["action"].strip():
        return None
    return ParsedAction(match["monologue"], match["action"].strip(), match["title"])


def step_of_line(model_type: ModelType, line: str, title: str | None = None) -> Step:
    """The step one line of the policy's output says, read by the type's own step grammar with
    the monologue left out; `title` is the one the prompt already gave (the hint), for a line
    that holds the action alone. StepFormatError when the line breaks the format or the step
    breaks the grammar: the one rule RLVR (every line of a solution) and SRL (its one step)
    share."""
    parsed = parse_action(line)
    if parsed is None:
        raise StepFormatError(f"no `<think>…</think>action`: {line[:60]!r}")
    return model_type.parse_step(with_title(title, parsed.scored))


def scored_step_of(model_type: ModelType, completion: str, title: str | None = None) -> Step | None:
    """The step an SRL completion says, or None when it breaks the format or the grammar (the
    format penalty, as in RLVR): a dropped digit that leaves `3++0=6` is no step at all."""
    try:
        return step_of_line(model_type, completion, title)
    except StepFormatError:
        return None


def parse_solution(model_type: ModelType, completion: str) -> list[Step]:
    """The steps of a whole solution; StepFormatError when a line breaks the format."""
    steps = []
    for number, line in enumerate(completion.strip().splitlines(), 1):
        try:
            steps.append(step_of_line(model_type, line))
        except StepFormatError as exc:
            raise StepFormatError(f"line {number}: {exc}") from None
    if not steps:
        raise StepFormatError("no steps")
    return steps
