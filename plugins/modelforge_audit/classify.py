"""Decide what a task needs (deprecate, enhance, update, review, or nothing), with reasons.

Terms match whole words only ("flora" is not "LoRA"). A sentence holding an ignore phrase
("test data", "for metrics") talks about training without being training work, so it is not
counted. The heading decides first, because it names what the task builds; the body decides
only when the heading matches no rule. A task that already carries a status marker keeps the
action its marker names, so that marking it never changes what it is classified as.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from modelforge_audit.markdown import Task
from modelforge_audit.settings import AuditSettings, Rule

PRIORITY = ("deprecate", "enhance", "update")
_STATUS_LABEL = re.compile(r"^[\W_]*status[\W_]*:", re.IGNORECASE)
_DONE_WORDS = re.compile(r"\b(?:deprecated|replaced|archived)\b", re.IGNORECASE)
_DONE_IN_TITLE = re.compile(r"\b(?:DEPRECATED|REPLACED|ARCHIVED)\b")


def term_pattern(term: str) -> str:
    """A regex for a term: whole words, a space or hyphen also matching either or nothing."""
    parts = []
    for word in re.split(r"[\s-]+", term.strip()):
        stem = word.rstrip("*")
        parts.append(re.escape(stem) + (r"\w*" if word.endswith("*") else ""))
    return r"\b" + r"[\s-]?".join(parts) + r"\b"


def any_of(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    return re.compile("|".join(f"(?:{term_pattern(term)})" for term in terms), re.IGNORECASE)


@dataclass
class Verdict:
    action: str | None  # deprecate | enhance | update | review | None
    reasons: list[str] = field(default_factory=list)
    replacement: list[str] = field(default_factory=list)
    marked: bool = False  # the task already carries its marker


class Classifier:
    """The config's rules, compiled once for a whole audit."""

    def __init__(self, settings: AuditSettings):
        self.settings = settings
        self.rules = [(rule, any_of(rule.terms), any_of(rule.with_any)) for rule in settings.rules]
        self.review = any_of(settings.review_terms)
        self.ignore = any_of(settings.ignore_phrases)
        self.markers = {
            "deprecate": (settings.deprecate_marker, settings.archived_marker),
            "enhance": (settings.enhance_marker,),
            "update": (settings.update_marker,),
        }

    def classify(self, task: Task) -> Verdict:
        marked = self.marker_action(task)
        if marked:
            line, action = marked
            return Verdict(action, [f"already marked at line {line + 1}"], [], True)
        counted = [
            (line, text)
            for line, text in task.sentences
            if line == task.line or not (self.ignore and self.ignore.search(text))
        ]
        title, body = counted[:1], counted[1:]
        for part, where in ((title, "the title"), (body, None)):
            verdict = self._by_rules(part, counted, where)
            if verdict is not None:
                return verdict
        for line, text in body:
            if self.review and (found := self.review.search(text)):
                return Verdict(
                    "review",
                    [f"mentions '{found[0]}' at line {line + 1}, but no rule classifies it"],
                )
        return Verdict(None)

    def marker_action(self, task: Task) -> tuple[int, str] | None:
        """(line, action) of the status marker the task carries, if any."""
        if _DONE_IN_TITLE.search(task.title):
            return task.line, "deprecate"
        for line, text in task.sentences[1:]:
            if not _STATUS_LABEL.match(text):
                continue
            for action, markers in self.markers.items():
                if any(marker in text for marker in markers):
                    return line, action
            if _DONE_WORDS.search(text):
                return line, "deprecate"
        return None

    def _by_rules(self, part, counted, where: str | None) -> Verdict | None:
        hits: dict[str, list[tuple[Rule, int, str]]] = {}
        # Joined with a character no term spans, so a match never straddles two sentences.
        joined = "\0".join(text for _, text in part)
        everything = "\0".join(text for _, text in counted)
        for rule, terms, with_any in self.rules:
            # One search over the joined text rules most tasks out; the line is found after.
            if not terms.search(joined) or (with_any and not with_any.search(everything)):
                continue
            hit = next((line, m[0]) for line, text in part if (m := terms.search(text)))
            hits.setdefault(rule.action, []).append((rule, *hit))
        for action in PRIORITY:
            if action in hits:
                return _verdict(action, hits[action], where)
        return None


def _verdict(action: str, hits: list[tuple[Rule, int, str]], where: str | None) -> Verdict:
    reasons, replacement = [], []
    for rule, line, text in hits:
        reasons.append(
            f"{rule.kind}: '{text}' " + (f"in {where}" if where else f"at line {line + 1}")
        )
        replacement.extend(item for item in rule.replacement if item not in replacement)
    return Verdict(action, reasons, replacement)
