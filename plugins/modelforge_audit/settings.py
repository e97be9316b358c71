"""The `[audit]` config table: where the task files are and every rule the auditor applies.

Every key has a default, so the auditor works with no config file; a team changes the
vocabulary or the replacement mapping here, not in code.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from modelforge.settings import Section

Action = Literal["deprecate", "enhance", "update"]
ACTIONS: tuple[str, ...] = ("deprecate", "enhance", "update", "review")


class RuleSettings(Section):
    """One old task kind: any term in the section makes it match (given with_any, if set).

    A term is a phrase matched on whole words, case-insensitively; a space or hyphen in it
    also matches a space, a hyphen or nothing; a trailing `*` on a word matches any ending.
    """

    kind: str
    action: Action
    terms: list[str]
    with_any: list[str] = []
    replacement: list[str] = []


DEFAULT_RULES = [
    RuleSettings(
        kind="historical-log processing",
        action="deprecate",
        terms=[
            "historical log*",
            "historical data",
            "historical conversation*",
            "log processing",
            "static data*",
            "static corpus",
            "past conversation*",
        ],
        with_any=["train*", "fine-tune", "fine-tuning", "finetun*"],
        replacement=["COLLAB-001", "COLLAB-002", "COLLAB-003", "DYN-001"],
    ),
    RuleSettings(
        kind="fine-tuning pipeline",
        action="deprecate",
        terms=[
            "fine-tuning",
            "fine-tune",
            "finetune",
            "finetuning",
            "training pipeline*",
            "train* pipeline*",
            "training loop",
            "training job*",
            "retrain*",
            "model training",
        ],
        replacement=["SRL-001", "RLVR-001", "MODEL-*-001"],
    ),
    RuleSettings(
        kind="adapter training",
        action="deprecate",
        terms=[
            # "train", "training", "trains", not "trained": a trained adapter is an artifact.
            "train lora*",
            "training lora*",
            "trains lora*",
            "lora train*",
            "train adapter*",
            "training adapter*",
            "trains adapter*",
            "adapter train*",
            "qlora",
            "peft train*",
        ],
        replacement=["SRL-001", "RLVR-001", "MODEL-*-001"],
    ),
    RuleSettings(
        kind="fine-tuning data preparation",
        action="deprecate",
        terms=[
            "training data*",
            "training set*",
            "training examples",
            "fine-tuning data*",
            "data preparation",
            "prepare* data*",
        ],
        with_any=["train*", "fine-tun*", "finetun*"],
        replacement=["COLLAB-001", "DYN-001", "SRL-001"],
    ),
    RuleSettings(
        kind="model validation",
        action="enhance",
        terms=[
            "test* framework*",
            "test harness",
            "test suite",
            "validation framework*",
            "evaluation framework*",
            "model evaluation",
            "model testing",
            "model validation",
            "evaluation suite",
            "eval* harness",
            "benchmark*",
            "adapter validation",
            "adapter evaluation",
            "checkpoint evaluation",
            "evaluat* checkpoint*",
            "validat* checkpoint*",
            "validat* adapter*",
            "evaluat* model*",
            "validat* model*",
        ],
        # Validation of trained models, not of the game or its integrations.
        with_any=[
            "model*",
            "fine-tun*",
            "finetun*",
            "trained",
            "lora",
            "adapter*",
            "checkpoint*",
        ],
        replacement=["RLVR-002", "TEST-001"],
    ),
    RuleSettings(
        kind="serving",
        action="update",
        terms=[
            "serving",
            "serve",
            "inference server*",
            "inference service*",
            "model server*",
            "hot-swap*",
            "model deploy*",
            "deploy* model*",
            "inference",  # after the longer terms, so that they are the ones reported
        ],
        replacement=["DYN-003"],
    ),
    RuleSettings(
        kind="adapter system",
        action="update",
        terms=[
            "adapter system*",
            "adapter manag*",
            "adapter registry",
            "adapter loading",
            "load* adapter*",
            "manag* adapter*",
        ],
        replacement=["MODEL-*-001", "DYN-003"],
    ),
    RuleSettings(
        kind="model system",
        action="update",
        terms=[
            "model system*",
            "model manag*",
            "model registry",
            "model service*",
            "learning service*",
            "learning system*",
        ],
        replacement=["MODEL-*-001", "SRL-001", "RLVR-001"],
    ),
    RuleSettings(
        kind="model selection",
        action="update",
        terms=[
            "multi-tier",
            "model selection",
            "model rout*",
            "model router*",
            "select* model*",
        ],
        replacement=["DYN-003"],
    ),
]


class AuditSettings(Section):
    """The `[audit]` table."""

    paths: list[str] = []  # task trees the `audit` lifecycle stage reads; none: it is skipped
    include: list[str] = ["*.md", "*.markdown"]  # which files under a folder are task files
    max_file_mb: float = Field(16.0, gt=0)  # a larger file is reported and skipped, not parsed
    cross_reference: str = "SRL-RLVR-TRAINING-TASKS.md"
    rules: list[RuleSettings] = DEFAULT_RULES
    # A title holding one of these names a model thing (a system that is kept): its
    # description may decide the task's purpose, and training in it means update, not deprecate.
    model_words: list[str] = [
        "model*",
        "ai",
        "ml",
        "llm*",
        "adapter*",
        "lora",
        "neural",
        "learning",
        "classifier*",
        "embedding*",
        "checkpoint*",
    ]
    # A title made of these words only names no topic: its description decides the purpose.
    generic_title_words: list[str] = [
        "job*",
        "task*",
        "work",
        "phase",
        "step*",
        "setup",
        "misc*",
        "nightly",
        "weekly",
        "daily",
        "hourly",
        "batch*",
        "script*",
        "run*",
        "process*",
        "cron",
        "pipeline*",
        "the",
        "a",
        "an",
        "and",
        "of",
        "for",
        "new",
        "initial",
    ]
    # Training words that make an otherwise unmatched task worth a human look.
    review_terms: list[str] = [
        "train*",
        "fine-tun*",
        "finetun*",
        "lora",
        "adapter*",
        "rlhf",
        "epoch*",
    ]
    # A sentence containing one of these speaks about training without being a training task.
    ignore_phrases: list[str] = [
        "test data",
        "for metrics",
        "not for training",
        "never used for training",
        "not used for training",
        "must not be used for training",
        "player training",
        "train* the player*",
        "train* players",
        "staff training",
        "training session*",
        "trainer npc*",
        "npc trainer*",
        # The new pipeline's own words: such a sentence is about SRL→RLVR, not the old way.
        "srl*",
        "rlvr*",
        "grpo",
    ]
    # `[audit] judge = "<role>"`: the generation role (context, teacher or verifier) whose model
    # backend gives a second opinion on each `review` finding; empty: no judge.
    judge: str = ""
    status_prefix: str = "**Status:**"
    deprecate_marker: str = "DEPRECATED"
    enhance_marker: str = "ENHANCE FOR SRL→RLVR"
    update_marker: str = "UPDATE FOR SRL→RLVR"
    archived_marker: str = "ARCHIVED"
    replaced_note: str = "REPLACED BY SRL→RLVR — see {cross_reference}"
    update_note: str = "kept, but must take on SRL→RLVR — see {cross_reference}"
    enhance_acceptance: list[str] = [
        "Step-wise (SRL) and outcome (RLVR) evaluation",
        "Checks on dynamically generated examples, never a static set",
        "Metrics reported per model type and category",
    ]
    update_acceptance: list[str] = [
        "Depends on SRL→RLVR-trained artifacts only",
        "Uses dynamic (cost-benefit) model selection instead of a fixed choice",
    ]
    archive_suffix: str = ".archive"  # tasks.md archives into tasks.archive.md beside it
