"""The paper's checkpoint choice: score every saved checkpoint on a validation split and keep
the best, not the last, so a stage whose later steps drift does not register the drift.

Scores are kept beside the checkpoints (validation.json), so a resumed run still knows the
scores of the checkpoints saved before it was killed, and the best checkpoint is kept out of
the trainer's rotation of old checkpoints.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from transformers import TrainerCallback

SCORES = "validation.json"


class BestCheckpoint(TrainerCallback):
    """Scores the model at every checkpoint save; ties go to the later checkpoint."""

    trainer = None

    def __init__(self, score: Callable[[object], float | None], output_dir: Path):
        self.score = score
        self.file = output_dir / SCORES
        self.scores: dict[int, float | None] = (
            {int(step): value for step, value in json.loads(self.file.read_text()).items()}
            if self.file.exists()
            else {}
        )

    def on_save(self, args, state, control, **_):
        self.record(state.global_step)
        best = self.best_step()
        if best is not None:  # the trainer's rotation never deletes this one
            state.best_model_checkpoint = str(Path(args.output_dir) / f"checkpoint-{best}")

    def record(self, step: int) -> None:
        if step not in self.scores:
            self.scores[step] = self.score(self.trainer.model)
            self.file.write_text(json.dumps(self.scores))

    def best_step(self) -> int | None:
        scored = [(value, step) for step, value in self.scores.items() if value is not None]
        return max(scored)[1] if scored else None

    def choose(self) -> dict:
        """After training: score the final model too, and load the best checkpoint's weights
        into the trainer's model when an earlier one scored higher. Returns what was chosen."""
        final = self.trainer.state.global_step
        self.record(final)
        best = self.best_step()
        if best is not None and best != final:
            load_weights(
                self.trainer.model, Path(self.trainer.args.output_dir) / f"checkpoint-{best}"
            )
        return {
            "selected_step": final if best is None else best,
            "validation": {str(step): value for step, value in sorted(self.scores.items())},
        }


def load_weights(model, checkpoint: Path) -> None:
    """A checkpoint's weights into the model in place: the adapter for a peft model, every
    weight otherwise (tied weights are saved once, so they may be missing from the file)."""
    from safetensors.torch import load_file

    adapter = checkpoint / "adapter_model.safetensors"
    if adapter.exists():
        from peft import set_peft_model_state_dict

        set_peft_model_state_dict(model, load_file(adapter))
        return
    missing, unexpected = model.load_state_dict(
        load_file(checkpoint / "model.safetensors"), strict=False
    )
    tied = set(getattr(model, "_tied_weights_keys", None) or [])
    if unexpected or set(missing) - tied:
        raise RuntimeError(
            f"checkpoint {checkpoint} does not fit the model: "
            f"missing {sorted(set(missing) - tied)}, unexpected {unexpected}"
        )
