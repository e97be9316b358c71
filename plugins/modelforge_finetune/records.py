"""Provider-neutral training records from the core's trajectories, one shape per our stage.

srl: one record per SRL step instance (the expert's context so far, the title of the next
step, the next step as target). rlvr: one per problem, the reference is the canonical outcome.
sft: one per problem, the whole expert solution as target (the fallback everywhere).
"""

from __future__ import annotations

from dataclasses import dataclass

from modelforge.modeltype import ModelType, Step, Trajectory, render_steps, step_instances

OUTCOME_PREFIX = "OUTCOME: "  # the last line an rlvr answer ends with, checked by exact match


@dataclass(frozen=True)
class Record:
    system: str
    prompt: str
    target: str  # what a supervised line trains the model to write
    reference: str  # what a reward compares with: the expert step (srl) or the outcome (rlvr)
    category: str


def bare(step: Step) -> Step:
    """The step without its rationale: the action a model is asked to write."""
    return Step(action=step.action, title=step.title)


def system_prompt(model_type: ModelType, stage: str) -> str:
    head = f"You solve `{model_type.name}` problems. Step format: {model_type.step_format}"
    if stage == "srl":
        return (
            f"{head}\nYou are shown a problem and the steps so far. Think privately inside "
            "<think></think> if you like, then write only the next step, on one line."
        )
    if stage == "rlvr":
        return (
            f"{head}\nWrite every step, one per line, then a last line "
            f"`{OUTCOME_PREFIX}<result>` with the outcome alone."
        )
    return f"{head}\nWrite every step, one per line, and nothing else."


def srl_records(model_type: ModelType, trajectory: Trajectory) -> list[Record]:
    system = system_prompt(model_type, "srl")
    records = []
    for instance in step_instances(model_type, trajectory):
        prompt = instance.context
        if instance.next_title:
            prompt += f"\nNext step: {instance.next_title}"
        line = model_type.render_step(bare(instance.target))
        records.append(Record(system, prompt, line, line, trajectory.problem.category))
    return records


def solution_record(model_type: ModelType, trajectory: Trajectory, stage: str) -> Record:
    steps = render_steps(model_type, [bare(step) for step in trajectory.steps])
    target = f"{steps}\n{OUTCOME_PREFIX}{trajectory.outcome}" if stage == "rlvr" else steps
    return Record(
        system_prompt(model_type, stage),
        trajectory.problem.text,
        target,
        trajectory.outcome,
        trajectory.problem.category,
    )


def build(model_type: ModelType, trajectories: list[Trajectory], stage: str) -> list[Record]:
    """The records a job trains on, in the order of the trajectories."""
    if stage == "srl":
        return [r for trajectory in trajectories for r in srl_records(model_type, trajectory)]
    return [solution_record(model_type, trajectory, stage) for trajectory in trajectories]
