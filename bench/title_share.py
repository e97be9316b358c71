"""How much of SRL's similarity reward the step's title takes, and whether it hides what matters.

An arith column step scores `column 2: 3+3+0=6` against the expert's: the title is 10 of its 17
characters and the same in both, so every action is paid for it. Over the expert's column steps
of many generated arith problems (both categories, every level), this prints the mean reward of
- the expert's own step (1 by definition),
- a one-digit-wrong step (one digit of one number changed to another digit, still well formed),
- a wrong title (the right action under the next column's title, as if this one were skipped),
- a broken step (one character dropped so the step no longer parses),
under three scorings: the whole `title: action` string (today's reward without the grammar
rule), the action alone (the title left out), and the reward as modelforge scores it now
(the grammar rule, then the title's choice and the action apart: `step_match`). The gap
between right and one-digit-wrong is the signal that tells the model which digit to write.
Then the title's share of the scored characters for every type of the pack.
A benchmark, not a test: it prints what it measures.

    .venv/bin/python bench/title_share.py [--problems 300] [--method difflib|indel]
"""

from __future__ import annotations

import argparse
import random
import re
from statistics import mean

from modelforge_arith.model_type import Arith

from modelforge.modeltype import Step, action_similarity, step_match
from modelforge.policy_format import parse_action, scored_step, scored_step_of, step_line

PENALTY = -1.0


def digit_changes(step: Step) -> list[Step]:
    """Every step that differs from `step` in one digit of one number of its action (no
    leading zero made), the title kept."""
    out = []
    for match in re.finditer(r"\d+", step.action):
        for offset in range(match.start(), match.end()):
            for digit in "0123456789":
                if digit == step.action[offset] or (
                    digit == "0" and offset == match.start() and match.end() - offset > 1
                ):
                    continue
                action = step.action[:offset] + digit + step.action[offset + 1 :]
                out.append(Step(action, title=step.title))
    return out


def dropped_chars(text: str) -> list[str]:
    return [text[:i] + text[i + 1 :] for i in range(len(text))]


def scorers(arith: Arith, method: str):
    """(name, score(completion line, expert step)) for the three scorings compared."""

    def whole(line: str, expert: Step) -> float:
        return action_similarity(parse_action(line).scored, scored_step(expert), method)

    def action_only(line: str, expert: Step) -> float:
        return action_similarity(parse_action(line).action, expert.action, method)

    def modelforge(line: str, expert: Step) -> float:
        step = scored_step_of(arith, line)
        return PENALTY if step is None else step_match(step, expert, method)

    return [("title: action", whole), ("action alone", action_only), ("modelforge", modelforge)]


def arith_cases(arith: Arith, problems: int, seed: int):
    """(expert step, {case: [completion lines]}) for every column step of `problems` problems."""
    rng = random.Random(f"title-share:{seed}")
    for _ in range(problems):
        category = rng.choice(arith.categories)
        problem = arith.generate_problem(
            category.name, rng.choice(category.levels), rng.randrange(1 << 30)
        )
        steps = arith.solve(problem)
        for index, step in enumerate(steps[:-1]):  # column steps; the answer follows them
            expert = Step(step.action, title=step.title)
            skipped = f"column {index + 2}"  # the next column's title: this one left out
            broken = [
                line
                for text in dropped_chars(f"{expert.title}: {expert.action}")
                if ": " in text
                for line in [text.replace(": ", ": <think></think>", 1)]
                if scored_step_of(arith, line) is None
            ]
            yield (
                expert,
                {
                    "right": [step_line(expert)],
                    "one digit wrong": [step_line(s) for s in digit_changes(expert)],
                    "wrong title": [step_line(Step(expert.action, title=skipped))],
                    "broken (1 char dropped)": broken,
                },
            )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=300)
    parser.add_argument("--method", choices=["difflib", "indel"], default="difflib")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    arith = Arith()
    named = scorers(arith, args.method)
    sums: dict[tuple[str, str], list[float]] = {}
    shares, count = [], 0
    for expert, cases in arith_cases(arith, args.problems, args.seed):
        count += 1
        shares.append(len(f"{expert.title}: ") / len(f"{expert.title}: {expert.action}"))
        for case, lines in cases.items():
            for name, score in named:
                # each step weighs the same, whatever its number of variants
                if lines:
                    sums.setdefault((case, name), []).append(
                        mean(score(line, expert) for line in lines)
                    )

    print(f"arith: {count} column steps of {args.problems} problems, {args.method}")
    print(f"title `column K: ` share of the scored characters: {mean(shares):.3f}")
    header = f"{'mean reward':<26}" + "".join(f"{name:>16}" for name, _ in named)
    print(header)
    for case in ["right", "one digit wrong", "wrong title", "broken (1 char dropped)"]:
        row = "".join(f"{mean(sums[(case, name)]):>16.3f}" for name, _ in named)
        print(f"{case:<26}{row}")
    gaps = [1 - mean(sums[("one digit wrong", name)]) for name, _ in named]
    print(f"{'gap right - digit wrong':<26}" + "".join(f"{gap:>16.3f}" for gap in gaps))
    print(f"the title shrinks that gap {gaps[1] / gaps[0]:.2f}x")

    print("\ntitle share of the scored characters, expert steps of the pack (seeds 0-19):")
    for model_type in pack_types():
        lengths = [
            len(f"{step.title}: ") / len(f"{step.title}: {step.action}")
            for category in model_type.categories
            for level in category.levels
            for seed in range(20)
            for step in model_type.solve(model_type.generate_problem(category.name, level, seed))
        ]
        print(f"  {model_type.name:<12}{mean(lengths):.3f}  (max {max(lengths):.3f})")
    return 0


def pack_types():
    from modelforge_gamepack.animal.model_type import Animal
    from modelforge_gamepack.building.model_type import Building
    from modelforge_gamepack.facial.model_type import Facial
    from modelforge_gamepack.personality.model_type import Personality
    from modelforge_gamepack.plant.model_type import Plant
    from modelforge_gamepack.sound.model_type import Sound
    from modelforge_gamepack.tree.model_type import Tree

    return [Personality(), Facial(), Building(), Animal(), Plant(), Tree(), Sound()]


if __name__ == "__main__":
    raise SystemExit(main())
