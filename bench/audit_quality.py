"""Precision and recall of the auditor per action, in-sample and held-out, on labelled corpora.

Two labelled corpora, measured apart: tests/audit/corpus, written with the classifier and tuned
on (in-sample), and tests/audit/heldout, task files in other teams' styles labelled and committed
before the classifier first ran on them (held-out). Every task is labelled by hand in the
corpus's labels.toml with its right action (deprecate, enhance, update, review, or none) and
why. Each corpus is audited the way `modelforge audit` audits a tree (read-only), and each
action's precision (of the tasks given that action, how many were right) and recall (of the
tasks labelled with it, how many got it) are printed, then every task that got a wrong action.
A benchmark, not a test: it prints; tests/audit/test_quality.py holds floors under the figures.

    .venv/bin/python bench/audit_quality.py [--corpus DIR] [--explain]
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "audit" / "corpus"
HELDOUT = ROOT / "tests" / "audit" / "heldout"
PARTS = {"in-sample": CORPUS, "held-out": HELDOUT}
ACTIONS = ("deprecate", "enhance", "update", "review", "none")


@dataclass
class Quality:
    labels: dict[tuple[str, str], dict]  # (file, task id) -> {"action", "why"}
    got: dict[tuple[str, str], str]  # (file, task id) -> action given ("none": no finding)
    reasons: dict[tuple[str, str], tuple[list[str], list[str]]] = field(default_factory=dict)
    unlabelled: list[tuple[str, str]] = field(default_factory=list)  # tasks with no label
    missing: list[tuple[str, str]] = field(default_factory=list)  # labels with no task

    def precision(self, action: str) -> float | None:
        given = [key for key, got in self.got.items() if got == action and key in self.labels]
        if not given:
            return None
        return sum(self.labels[key]["action"] == action for key in given) / len(given)

    def recall(self, action: str) -> float | None:
        wanted = [key for key, label in self.labels.items() if label["action"] == action]
        if not wanted:
            return None
        return sum(self.got.get(key) == action for key in wanted) / len(wanted)

    def support(self, action: str) -> int:
        return sum(label["action"] == action for label in self.labels.values())

    @property
    def wrong(self) -> list[tuple[str, str]]:
        return [key for key, label in self.labels.items() if self.got.get(key) != label["action"]]


def load_labels(corpus: Path) -> dict[tuple[str, str], dict]:
    with open(corpus / "labels.toml", "rb") as stream:
        tasks = tomllib.load(stream)["task"]
    labels = {}
    for task in tasks:
        if task["action"] not in ACTIONS:
            raise SystemExit(
                f"labels.toml: {task['file']} {task['id']}: bad action {task['action']!r}"
            )
        labels[(task["file"], task["id"])] = {"action": task["action"], "why": task["why"]}
    return labels


def measure(corpus: Path = CORPUS) -> Quality:
    """Audit the corpus with the default settings and compare it with its labels."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from modelforge_audit.scan import audit_paths
    from modelforge_audit.settings import AuditSettings

    audit = audit_paths([str(corpus)], AuditSettings(), keep=True)
    labels = load_labels(corpus)
    got: dict[tuple[str, str], str] = {}
    reasons = {}
    for audited in audit.files:
        for task, verdict in audited.verdicts:
            key = (audited.task_file.shown, task.task_id)
            got[key] = verdict.action or "none"
            reasons[key] = (verdict.reasons, verdict.against)
    quality = Quality(labels, got, reasons)
    quality.unlabelled = sorted(key for key in got if key not in labels)
    quality.missing = sorted(key for key in labels if key not in got)
    return quality


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def report(part: str, corpus: Path, explain: bool) -> None:
    """One corpus's table, then its misses."""
    quality = measure(corpus)
    files = len({file for file, _ in quality.labels})
    print(f"{part}: {corpus} ({len(quality.labels)} labelled tasks in {files} files)")
    print()
    print("| action | labelled | precision | recall |")
    print("| --- | ---: | ---: | ---: |")
    for action in ACTIONS:
        print(
            f"| {action} | {quality.support(action)} | {_figure(quality.precision(action))} "
            f"| {_figure(quality.recall(action))} |"
        )
    right = len(quality.labels) - len(quality.wrong)
    print()
    print(f"{right} of {len(quality.labels)} tasks given their labelled action")
    for key in quality.wrong:
        label = quality.labels[key]
        print(
            f"  {key[0]} {key[1]}: got {quality.got.get(key, 'not found')}, "
            f"labelled {label['action']} ({label['why']})"
        )
        if explain and key in quality.reasons:
            decided, against = quality.reasons[key]
            for reason in decided:
                print(f"      decided by: {reason}")
            for reason in against:
                print(f"      weighed against: {reason}")
    for key in quality.unlabelled:
        print(f"  unlabelled task: {key[0]} {key[1]}")
    for key in quality.missing:
        print(f"  labelled but not found: {key[0]} {key[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="measure this corpus only (default: both)")
    parser.add_argument("--explain", action="store_true", help="print the evidence of misses")
    args = parser.parse_args()
    parts = {"corpus": args.corpus} if args.corpus else PARTS
    for index, (part, corpus) in enumerate(parts.items()):
        if index:
            print()
        report(part, corpus, args.explain)


if __name__ == "__main__":
    main()
