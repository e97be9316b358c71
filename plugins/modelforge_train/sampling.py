"""GRPOTrainer with dynamic sampling: groups without reward spread are dropped and replaced.

TRL keeps zero-spread groups (zero advantage, yet counted in the loss normaliser). Here each
generation batch is scored, only informative groups are kept, and fresh prompts from the
training set are sampled until the batch is full again (or `max_refill_rounds` run out, when
the least-bad remainder fills it). With several processes they refill in step: each round
every process generates as many groups as the emptiest one lacks, so all run the same number
of rounds (each generation gathers rewards across processes). Also counts the tokens
generated and trained on, which the benchmark uses as its compute budget.
"""

from __future__ import annotations

import random

import torch
from trl import GRPOTrainer
from trl.trainer.utils import pad

from modelforge_train.group_filter import informative_groups, select_groups

LEFT_PADDED = ("prompt_ids", "prompt_mask")
RIGHT_PADDED = (
    "completion_ids",
    "completion_mask",
    "old_per_token_logps",
    "ref_per_token_logps",
    "sampling_per_token_logps",
    "tool_mask",
)
PER_ROW = ("advantages",)


def merge_groups(groups: list[tuple[dict, int]], group_size: int, pad_token_id: int) -> dict:
    """One generation batch from (output, group index) pairs, re-padded to a common width."""
    merged: dict = {}
    first = groups[0][0]
    unknown = set(first) - set(LEFT_PADDED + RIGHT_PADDED + PER_ROW) - {"num_items_in_batch"}
    if unknown:
        raise NotImplementedError(f"dynamic sampling cannot merge {sorted(unknown)}")
    for key in LEFT_PADDED + RIGHT_PADDED + PER_ROW:
        if key not in first:
            continue
        rows = [
            row
            for output, g in groups
            for row in output[key][g * group_size : (g + 1) * group_size]
        ]
        if key in PER_ROW:
            merged[key] = torch.stack(rows)
            continue
        value = pad_token_id if key == "prompt_ids" else (1 if key == "tool_mask" else 0)
        side = "left" if key in LEFT_PADDED else "right"
        merged[key] = pad(rows, padding_value=value, padding_side=side)
    mask = merged["completion_mask"] * merged.get("tool_mask", 1)
    merged["num_items_in_batch"] = mask.sum()
    return merged


class DynamicSamplingGRPOTrainer(GRPOTrainer):
    def __init__(
        self,
        *args,
        dynamic_sampling: bool = True,
        zero_spread_epsilon: float = 1e-3,
        max_refill_rounds: int = 3,
        refill_dataset=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # TRL ends completion masks at the model's own EOS ids only; a stage that stops
        # generation elsewhere (SRL at the step's newline) would otherwise train on the
        # padding generated after that stop.
        stops = (self.args.generation_kwargs or {}).get("eos_token_id", [])
        self.eos_token_ids = [
            *self.eos_token_ids,
            *(s for s in stops if s not in self.eos_token_ids),
        ]
        self.dynamic_sampling = dynamic_sampling
        self.zero_spread_epsilon = zero_spread_epsilon
        self.max_refill_rounds = max_refill_rounds
        # where refills come from: the training set, or a disjoint one so that no prompt is
        # drawn twice in a run (the benchmark's fresh regime)
        self.refill_dataset = self.train_dataset if refill_dataset is None else refill_dataset
        self.tokens_generated = 0
        self.tokens_trained = 0
        # each process refills from its own draw of prompts
        self._refill_rng = random.Random(self.args.seed + self.accelerator.process_index)
        self._refill_queue: list[int] = []
        self._last_rewards: torch.Tensor | None = None

    def _calculate_rewards(self, inputs, prompts, completions, completion_ids_list):
        per_func = super()._calculate_rewards(inputs, prompts, completions, completion_ids_list)
        weights = self.reward_weights.to(per_func.device).unsqueeze(0)
        total = (per_func * weights).nansum(dim=1)
        total[torch.isnan(per_func).all(dim=1)] = torch.nan
        start = self.accelerator.process_index * len(prompts)
        self._last_rewards = total[start : start + len(prompts)]
        return per_func

    def _generate_and_score_completions(self, inputs):
        if not self.model.training or not self.dynamic_sampling:
            output = super()._generate_and_score_completions(inputs)
            self._count(output, output)
            return output
        size = self.num_generations
        wanted = len(inputs) // size
        kept: list[tuple[dict, int]] = []
        spares: list[tuple[dict, int]] = []
        generated, rounds, batch = 0, 0, inputs
        while True:
            output = super()._generate_and_score_completions(batch)
            rounds += 1
            self.tokens_generated += int(output["completion_mask"].sum())
            flags = informative_groups(self._last_rewards.tolist(), size, self.zero_spread_epsilon)
            generated += len(flags)
            chosen, spare = select_groups(flags, wanted - len(kept))
            kept += [(output, g) for g in chosen]
            spares += [(output, g) for g in spare]
            # every process generates (and gathers rewards) in each round: they refill
            # together, as many groups as the emptiest of them lacks, or stop together
            missing = self._most_missing(wanted - len(kept))
            if missing == 0 or rounds > self.max_refill_rounds:
                break
            batch = self._refill(missing)
        merged = merge_groups(
            kept + spares[: wanted - len(kept)], size, self._tokenizer.pad_token_id
        )
        metrics = self._metrics["train"]
        metrics["dynamic_sampling/filtered_frac"].append((generated - len(kept)) / generated)
        metrics["dynamic_sampling/informative_frac"].append(len(kept) / wanted)
        metrics["dynamic_sampling/rounds"].append(rounds)
        self._count(merged, None)
        return merged

    def _most_missing(self, missing: int) -> int:
        """The most groups any process still lacks (this one's, with a single process)."""
        if self.accelerator.num_processes == 1:
            return missing
        local = torch.tensor([missing], device=self.accelerator.device)
        return int(self.accelerator.gather(local).max())

    def _count(self, trained: dict, generated: dict | None) -> None:
        if generated is not None:
            self.tokens_generated += int(generated["completion_mask"].sum())
        self.tokens_trained += int(trained["prompt_mask"].sum() + trained["completion_mask"].sum())

    def _refill(self, groups: int) -> list[dict]:
        """Fresh prompts from the refill set, each repeated for a whole group."""
        rows = []
        for _ in range(groups):
            if not self._refill_queue:
                self._refill_queue = list(range(len(self.refill_dataset)))
                self._refill_rng.shuffle(self._refill_queue)
            rows += [self.refill_dataset[self._refill_queue.pop()]] * self.num_generations
        return rows
