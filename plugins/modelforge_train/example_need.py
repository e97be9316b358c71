"""How many unserved examples a training run draws, said before it starts: SRL draws first, so
a store that holds fewer than both stages draw leaves RLVR with none, and RLVR is skipped."""

from __future__ import annotations

from dataclasses import dataclass

from modelforge.examples import ExampleStore

NAMES = {"train_srl": "SRL", "train_rlvr": "RLVR"}


@dataclass
class ExampleNeed:
    model_type: str
    per_stage: dict[str, int]  # stage -> the most examples it draws
    unserved: int  # in the store now

    @property
    def needed(self) -> int:
        return sum(self.per_stage.values())

    @property
    def shortfall(self) -> int:
        return max(self.needed - self.unserved, 0)

    def starved(self) -> list[str]:
        """The stages that will draw nothing, in order: what is left after the earlier ones."""
        left, starved = self.unserved, []
        for stage, count in self.per_stage.items():
            if left == 0:
                starved.append(NAMES[stage])
            left -= min(left, count)
        return starved

    def describe(self, generating: bool) -> str:
        draws = " and ".join(
            f"{NAMES[stage]} up to {count}" for stage, count in self.per_stage.items()
        )
        line = (
            f"{self.model_type}: {draws} unserved examples ({self.needed} for this run); "
            f"the store holds {self.unserved}"
        )
        if not self.shortfall:
            return line + "."
        if generating:
            return line + f": generating the {self.shortfall} missing first."
        starved = self.starved()
        effect = f"; {' and '.join(starved)} would have none and be skipped" if starved else ""
        return (
            line + f"{effect}. Pass --generate to generate the {self.shortfall} missing first, "
            f"or run `modelforge generate --type {self.model_type} -n {self.shortfall}`."
        )


def example_need(db, settings, model_type: str, stages: tuple[str, ...]) -> ExampleNeed:
    """What `stages` of model_type draw under settings ([train], overrides applied)."""
    per_stage = {
        stage: getattr(settings, stage.removeprefix("train_")).max_examples for stage in stages
    }
    return ExampleNeed(model_type, per_stage, ExampleStore(db).unserved_count(model_type))
