"""What the train plugin lets others read (see modelforge.contracts): the artifact kinds it
writes, and where a trained artifact's lineage (and its stage's result) keeps its metrics."""

from __future__ import annotations

from modelforge.contracts import Contract
from modelforge_train.artifacts import RLVR_KIND, SRL_KIND

METRICS_KEY = "metrics"  # in the stage result and in the artifact's lineage
REWARD_KEY = "reward_mean"  # under METRICS_KEY: the stage's mean training reward

CONTRACT = Contract(
    artifact_kinds={"srl_model": SRL_KIND, "rlvr_model": RLVR_KIND},
    result_keys={"training_metrics": METRICS_KEY, "training_reward": REWARD_KEY},
)
