"""The config tables this plugin reads: [evaluate], [track], [select] and [webhooks].

Every key has a default, so the embedded config.toml needs none of them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from modelforge.settings import Section

LIFECYCLE_EVENTS = (
    "training.complete",
    "model.registered",
    "model.promoted",
    "model.rolled_back",
    "regression.detected",
    "rules.changed",
)


class EvaluateSettings(Section):
    """The held-out set: the same number of fresh problems in every category, every cycle."""

    per_category: int = Field(24, ge=1)  # fresh held-out problems per category, every evaluation
    step_similarity_per_category: int = Field(2, ge=0)  # problems whose steps are scored
    max_new_tokens: int = Field(512, ge=8)  # cap; each level gets its expert length plus room
    batch_size: int = Field(32, ge=1)  # problems a local model answers at once
    confidence: float = Field(0.95, gt=0, lt=1)  # of every Wilson interval reported
    # the fixed test set of the learning curve (`modelforge curve`): problems per category,
    # drawn once per rules version; each cycle's trained model is scored on it; 0 turns it off
    test_per_category: int = Field(12, ge=0)
    # the seed of that draw; unset: a fresh one. Fixed, data directories compare on the same
    # problems (a benchmark's arms and seeds)
    test_seed: int | None = None


class TrackSettings(Section):
    """What counts as a weakness, a regression and a trend, and whom to tell."""

    weakness_floor: float = Field(0.6, ge=0, le=1)  # a category under this pass rate is weak
    trend_cycles: int = Field(4, ge=2)  # the slope is fitted over this many evaluated cycles
    trend_min_slope: float = Field(0.02, ge=0)  # |pass-rate change per cycle| worth recording
    alert_command: str | None = None  # shell command; the payload arrives as JSON on stdin
    alert_webhook: str | None = None  # URL; the payload is POSTed as JSON
    # how long an alert command or webhook may take
    alert_timeout_seconds: float = Field(10.0, gt=0)


class ResponsibilitySettings(Section):
    """A job a model does, with the floor and limits the chosen model must meet."""

    model_type: str  # the model type that serves it
    categories: list[str] = []  # empty: every category of the type
    min_quality: float = Field(0.5, ge=0, le=1)  # floor on the Wilson lower bound
    # a model slower than this is not chosen; unset: no limit
    max_latency_ms: float | None = Field(None, gt=0)
    max_cost_per_call: float | None = Field(None, ge=0)  # in the currency of the prices (USD)
    tokens_per_call: int = Field(500, ge=1)  # turns per-1k-token prices into a price per call
    # cheapest: the cheapest over the floor; utility: the best weighted score
    rule: Literal["cheapest", "utility"] = "cheapest"
    quality_weight: float = 1.0  # utility = q·quality − c·cost per call − l·latency (s)
    cost_weight: float = 1.0  # c in the utility
    latency_weight: float = 0.0  # l in the utility


class SelectSettings(Section):
    """Responsibilities and the selection rule's shared knobs."""

    responsibilities: dict[str, ResponsibilitySettings] = {}  # empty: one per enabled type
    exploration_share: float = Field(0.05, ge=0, le=1)  # traffic for models with little evidence
    min_samples: int = Field(20, ge=1)  # fewer evaluated samples is "too little evidence"
    cpu_second_price: float = Field(0.0001, ge=0)  # prices local CPU time beside paid tokens
    promotion_cycles: int = Field(2, ge=1)  # consecutive clean evaluations before replacing
    cache_seconds: float = Field(5.0, ge=0)  # how long choose_model reuses what it read


class WebhooksSettings(Section):
    """Lifecycle events sent as JSON to URLs (POST) and commands (stdin), with retries."""

    urls: list[str] = []  # POST each event as JSON to these
    commands: list[str] = []  # run these with each event as JSON on stdin
    events: list[str] = list(LIFECYCLE_EVENTS)  # the lifecycle events sent
    retries: int = Field(3, ge=0)  # attempts after a failure
    backoff_seconds: float = Field(1.0, ge=0)  # doubled after each failed attempt
    timeout_seconds: float = Field(5.0, gt=0)  # per attempt
