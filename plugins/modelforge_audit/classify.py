"""Decide what a task needs (deprecate, enhance, update, review, or nothing), with reasons.

Terms match whole words only ("flora" is not "LoRA"). A sentence holding an ignore phrase
("test data", "for metrics") talks about training without being training work, so it is not
counted. The heading decides first, because it names what the task builds; the body decides
only when the heading matches no rule. A task that already carries a status marker keeps the
action its marker names, so that marking it never changes what it is classified as.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from modelforge_audit.markdown import Task
from modelforge_audit.settings import AuditSettings, Rule

PRIORITY = ("deprecate", "enhance", "update")
_STATUS_LABEL = re.compile(r"^[\W_]*status[\W_]*:", re.IGNORECASE)
_DONE_WORDS = re.compile(r"\b(?:deprecated|replaced|archived)\b", re.IGNORECASE)
_DONE_IN_TITLE = re.compile(r"\b(?:DEPRECATED|REPLACED|ARCHIVED)\b")
_BOUNDARY = r"\b"


def term_pattern(term: str) -> str:
    """A regex for a term: whole words, a space or hyphen also matching either or nothing."""
    parts = []
    for word in re.split(r"[\s-]+", term.strip()):
        stem = word.rstrip("*")
        parts.append(re.escape(stem) + (r"\w*" if word.endswith("*") else ""))
    return _BOUNDARY + r"[\s-]?".join(parts) + r"\b"


def any_of(terms: list[str]) -> re.Pattern | None:
    """One pattern for terms; when each starts with a letter or digit, a lookahead on those
    first characters rules out most word starts before any term is tried."""
    if not terms:
        return None
    firsts = {re.split(r"[\s-]+", term.strip())[0][:1] for term in terms}
    lead = ""
    if all(first.isalnum() for first in firsts):
        lead = f"(?=[{''.join(sorted(firsts))}])"
    words = "|".join(f"(?:{term_pattern(term)[len(_BOUNDARY) :]})" for term in terms)
    return re.compile(f"{_BOUNDARY}{lead}(?:{words})", re.IGNORECASE)


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
        counted = self._counted(task.sentences, task.line)
        title, body = _Part(counted[:1]), _Part(counted[1:])
        everything = "\0".join(text for _, text in counted)
        with_any: dict[int, bool] = {}  # by rule: the same answer for the title and the body
        for part, where in ((title, "the title"), (body, None)):
            verdict = self._by_rules(part, everything, with_any, where)
            if verdict is not None:
                return verdict
        if self.review and (found := self.review.search(body.joined)):
            line = body.line_at(found) + 1
            return Verdict(
                "review", [f"mentions '{found[0]}' at line {line}, but no rule classifies it"]
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

    def _counted(self, sentences: list[tuple[int, str]], title_line: int):
        """The sentences holding no ignore phrase (the title always counts).

        One search over the joined text, resumed after each sentence found, instead of one
        search a sentence: most tasks hold no ignore phrase at all.
        """
        if self.ignore is None:
            return sentences
        whole = _Part(sentences)
        skipped = set()
        found = self.ignore.search(whole.joined)
        while found is not None:
            index = whole.index_at(found)
            if sentences[index][0] != title_line:
                skipped.add(index)
            if index + 1 == len(sentences):
                break
            found = self.ignore.search(whole.joined, whole.starts[index + 1])
        if not skipped:
            return sentences
        return [sentence for index, sentence in enumerate(sentences) if index not in skipped]

    def _by_rules(
        self, part: _Part, everything: str, with_any: dict[int, bool], where: str | None
    ) -> Verdict | None:
        hits: dict[str, list[tuple[Rule, int, str]]] = {}
        for number, (rule, terms, also) in enumerate(self.rules):
            found = terms.search(part.joined)
            if found is None:
                continue
            if also is not None:
                if number not in with_any:
                    with_any[number] = also.search(everything) is not None
                if not with_any[number]:
                    continue
            hits.setdefault(rule.action, []).append((rule, part.line_at(found), found[0]))
        for action in PRIORITY:
            if action in hits:
                return _verdict(action, hits[action], where)
        return None


class _Part:
    """Sentences joined with a character no term spans, so a match never straddles two and
    one search finds what a search of each sentence in turn would find first."""

    def __init__(self, sentences: list[tuple[int, str]]):
        self.lines = [line for line, _ in sentences]
        self.joined = "\0".join(text for _, text in sentences)
        self.starts = list(
            itertools.accumulate((len(text) + 1 for _, text in sentences), initial=0)
        )

    def index_at(self, found: re.Match) -> int:
        return bisect.bisect_right(self.starts, found.start()) - 1

    def line_at(self, found: re.Match) -> int:
        """The (0-based) line of the sentence the match is in."""
        return self.lines[self.index_at(found)]


def _verdict(action: str, hits: list[tuple[Rule, int, str]], where: str | None) -> Verdict:
    reasons, replacement = [], []
    for rule, line, text in hits:
        reasons.append(
            f"{rule.kind}: '{text}' " + (f"in {where}" if where else f"at line {line + 1}")
        )
        replacement.extend(item for item in rule.replacement if item not in replacement)
    return Verdict(action, reasons, replacement)
