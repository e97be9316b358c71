"""The `[audit]` config table: where the task files are and every rule the auditor applies.

Every key has a default, so the auditor works with no config file; a team changes the
vocabulary or the replacement mapping here, not in code.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from modelforge.settings import Section

Action = Literal["deprecate", "enhance", "update"]
ACTIONS: tuple[str, ...] = ("deprecate", "enhance", "update", "review")


class RuleSettings(Section):
    """One old task kind: any term in the section makes it match (given with_any, if set).

    A term is a phrase matched on whole words, case-insensitively; a space or hyphen in it
    also matches a space, a hyphen or nothing; a trailing `*` on a word matches any ending.
    """

    kind: str  # the old task kind's name, shown in reports
    action: Action  # what a matching task becomes
    terms: list[str]  # any of these phrases in a section makes the rule match
    with_any: list[str] = []  # and, when set, one of these words too
    # the names of the tasks that replace it, written by --apply; empty: none
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
    ),
]


class AuditSettings(Section):
    """Where the task files are, the rules that classify them and what --apply writes."""

    paths: list[str] = []  # task trees the `audit` lifecycle stage reads; none: it is skipped
    include: list[str] = ["*.md", "*.markdown"]  # which files under a folder are task files
    max_file_mb: float = Field(16.0, gt=0)  # a larger file is reported and skipped, not parsed
    # the plan document the notes may name as {cross_reference}; empty: none
    cross_reference: str = ""
    rules: list[RuleSettings] = DEFAULT_RULES
    # replacement task names by rule kind, added to that rule's own (docs/audit.md has an example)
    replacements: dict[str, list[str]] = {}
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
    status_prefix: str = "**Status:**"  # the status line --apply writes starts with this
    deprecate_marker: str = "DEPRECATED"  # the status of a deprecated task
    enhance_marker: str = "ENHANCE FOR SRL→RLVR"  # the status of a task to enhance
    update_marker: str = "UPDATE FOR SRL→RLVR"  # the status of a task to update
    archived_marker: str = "ARCHIVED"  # the status of an archived task
    # what --apply writes after a deprecated task's marker; {cross_reference} is filled in
    replaced_note: str = "REPLACED BY SRL→RLVR"
    # what --apply writes after an enhance or update marker; {cross_reference} is filled in
    update_note: str = "kept, but must take on SRL→RLVR"
    enhance_acceptance: list[str] = [  # acceptance criteria --apply adds to a task to enhance
        "Step-wise (SRL) and outcome (RLVR) evaluation",
        "Checks on dynamically generated examples, never a static set",
        "Metrics reported per model type and category",
    ]
    update_acceptance: list[str] = [  # acceptance criteria --apply adds to a task to update
        "Depends on SRL→RLVR-trained artifacts only",
        "Uses dynamic (cost-benefit) model selection instead of a fixed choice",
    ]
    archive_suffix: str = ".archive"  # tasks.md archives into tasks.archive.md beside it

    @model_validator(mode="after")
    def _named_replacements(self) -> AuditSettings:
        """Each rule carries its replacement names, wherever they were set (once each, so a
        file written by `config show` reads back the same)."""
        kinds = {rule.kind for rule in self.rules}
        unknown = sorted(set(self.replacements) - kinds)
        if unknown:
            raise ValueError(
                f"replacements name no rule kind: {', '.join(unknown)} "
                f"(kinds: {', '.join(sorted(kinds))})"
            )
        self.rules = [
            rule.model_copy(update={"replacement": [*rule.replacement, *names]})
            if (
                names := [
                    n for n in self.replacements.get(rule.kind, []) if n not in rule.replacement
                ]
            )
            else rule
            for rule in self.rules
        ]
        return self
