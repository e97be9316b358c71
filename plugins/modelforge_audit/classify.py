"""Decide what a task is for (deprecate, enhance, update, review, or nothing), with evidence.

A task is judged by its purpose, not by every word it holds. Its title weighs most; its
description (paragraphs) decides only when the title names no topic of its own (a generic
"Nightly Job") or names a model thing ("Personality Model"); a single line (a list item, a
table cell, a deliverable) never decides the purpose:

- deprecate: the purpose is the old pipeline (fine-tuning, its data from historical logs).
  Only a title naming it, or a generic title over a description that is training throughout.
- enhance: the purpose is validating trained models; update: a serving, inference, adapter or
  model system, which is kept and must take on SRL→RLVR.
- a training line in any other task is evidence for update of that line (the finding names it).
- anything else that mentions training is review at most.

Terms match whole words only ("flora" is not "LoRA"). A sentence holding an ignore phrase
("test data", "for metrics") is not counted. A task that already carries a status marker
keeps the action its marker names, so marking it never changes what it is classified as.
Every verdict keeps the evidence that decided it and the evidence weighed against it.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from modelforge_audit.markdown import Task
from modelforge_audit.settings import AuditSettings, RuleSettings

KEPT = ("enhance", "update")  # purposes that keep the task; they win over a deprecate term
NO_KEPT_PURPOSE = (
    "looked for a kept purpose (serving, inference, an adapter or model system, validation of "
    "trained models) in the title and description: none"
)
_STATUS_LABEL = re.compile(r"^[\W_]*status[\W_]*:", re.IGNORECASE)
_DONE_WORDS = re.compile(r"\b(?:deprecated|replaced|archived)\b", re.IGNORECASE)
_DONE_IN_TITLE = re.compile(r"\b(?:DEPRECATED|REPLACED|ARCHIVED)\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']*|\d[\w.]*")
_VERSION = re.compile(r"^(?:v?\d[\w.]*)$", re.IGNORECASE)
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
    reasons: list[str] = field(default_factory=list)  # the evidence that decided it
    replacement: list[str] = field(default_factory=list)
    marked: bool = False  # the task already carries its marker
    against: list[str] = field(default_factory=list)  # the evidence weighed against it
    moved: list[tuple[int, str]] = field(default_factory=list)  # (line, text) to SRL→RLVR


@dataclass
class Hit:
    """One piece of evidence: a rule's term (or a training mention) in one sentence."""

    rule: RuleSettings | None  # None: a review term, a mention of training
    text: str
    line: int  # 0-based
    place: str  # title | description | line
    sentence: str

    @property
    def action(self) -> str:
        return self.rule.action if self.rule else "review"

    def said(self) -> str:
        kind = self.rule.kind if self.rule else "mentions training"
        where = "in the title" if self.place == "title" else f"at line {self.line + 1}"
        return f"{kind}: '{self.text}' {where}"


@dataclass
class _Evidence:
    """A task's hits, by where they stand."""

    title: list[Hit]
    description: list[Hit]
    lines: list[Hit]
    mentions: list[Hit]  # review terms anywhere
    description_sentences: int  # how many description sentences are counted
    training_sentences: int  # how many of them carry a deprecate term or a mention

    def of(self, place: str, action: str) -> list[Hit]:
        return [hit for hit in getattr(self, place) if hit.action == action]


class Classifier:
    """The config's rules, compiled once for a whole audit."""

    def __init__(self, settings: AuditSettings):
        self.settings = settings
        self.rules = [(rule, any_of(rule.terms), any_of(rule.with_any)) for rule in settings.rules]
        self.review = any_of(settings.review_terms)
        self.anything = any_of(
            [term for rule in settings.rules for term in rule.terms] + settings.review_terms
        )
        self.ignore = any_of(settings.ignore_phrases)
        self.model_words = any_of(settings.model_words)
        self.generic = [
            re.compile(term_pattern(t) + "$", re.IGNORECASE) for t in settings.generic_title_words
        ]
        self.markers = {
            "deprecate": (settings.deprecate_marker, settings.archived_marker),
            "enhance": (settings.enhance_marker,),
            "update": (settings.update_marker,),
        }

    # ------------------------------------------------------------------ verdicts

    def classify(self, task: Task) -> Verdict:
        marked = self.marker_action(task)
        if marked:
            line, action = marked
            return Verdict(action, [f"already marked at line {line + 1}"], [], True)
        evidence = self._evidence(task)
        topic = self.title_topic(task.title)
        verdict = self._by_title(evidence) or self._by_description(evidence, topic, task.title)
        return self._lines_and_mentions(verdict, evidence, topic, task.title)

    def title_topic(self, title: str) -> str:
        """What the title names: a model thing (`model`), nothing (`generic`), or `other`."""
        if self.model_words and self.model_words.search(title):
            return "model"
        words = [w for w in _WORD.findall(title) if not _VERSION.match(w)]
        if all(any(g.match(word) for g in self.generic) for word in words):
            return "generic"
        return "other"

    def _by_title(self, ev: _Evidence) -> Verdict | None:
        """The title names what the task builds; a kept purpose wins over a deprecate term."""
        for action in KEPT:
            decided = ev.of("title", action)
            if decided:
                verdict = _verdict(action, decided)
                verdict.against += [
                    f"{hit.said()}: the title also names {_purpose(action)}, which is kept"
                    for hit in ev.of("title", "deprecate")
                ]
                self._training_moves(verdict, ev, ("description", "lines"))
                return verdict
        decided = ev.of("title", "deprecate")
        if decided:
            verdict = _verdict("deprecate", decided)
            verdict.against += [NO_KEPT_PURPOSE] + [
                f"{hit.said()}: {hit.place} only; the title names the old pipeline"
                for hit in ev.of("description", "update")
                + ev.of("description", "enhance")
                + ev.of("lines", "update")
                + ev.of("lines", "enhance")
            ]
            return verdict
        return None

    def _by_description(self, ev: _Evidence, topic: str, title: str) -> Verdict | None:
        deprecating = ev.of("description", "deprecate")
        if topic == "other":
            if ev.description:
                # Serving or testing words in the description of, say, an HTTP integration task
                # are what it talks to, not what it is.
                return Verdict(
                    None,
                    against=[
                        f"{hit.said()}: a mention; the title names another topic ('{title}')"
                        for hit in ev.description
                        if hit.action in KEPT
                    ],
                )
            return None
        for action in KEPT:
            decided = ev.of("description", action)
            if decided:
                verdict = _verdict(action, decided, f"the title ('{title}') names no other topic")
                self._training_moves(verdict, ev, ("description", "lines"))
                return verdict
        if not deprecating:
            return None
        if topic == "model":
            # "Personality Model: fine-tuned on ..." is a model that stays; it is trained anew.
            verdict = _verdict(
                "update", [], f"the title names a model thing that stays ('{title}')"
            )
            self._training_moves(verdict, ev, ("description", "lines"))
            return verdict
        if ev.training_sentences == ev.description_sentences:
            verdict = _verdict(
                "deprecate",
                deprecating,
                f"the title ('{title}') names no topic and every description sentence is training",
            )
            verdict.against += [NO_KEPT_PURPOSE]
            return verdict
        return Verdict(
            None,
            against=[
                f"{hit.said()}: {ev.training_sentences} of {ev.description_sentences} "
                "description sentences are training; not the task's whole purpose"
                for hit in deprecating
            ],
        )

    def _lines_and_mentions(
        self, verdict: Verdict | None, ev: _Evidence, topic: str, title: str
    ) -> Verdict:
        verdict = verdict or Verdict(None)
        if verdict.action is not None:
            return verdict
        lines = ev.of("lines", "deprecate")
        if lines:
            # A deliverable that fine-tunes does not make the task a fine-tuning task.
            found = _verdict("update", [], None, lines)
            found.against = verdict.against + [
                f"{hit.said()}: one line, not the task's purpose: not deprecated" for hit in lines
            ]
            return found
        mentions = ev.of("description", "deprecate") + ev.mentions
        if not mentions:
            return verdict
        first = min(mentions, key=lambda hit: hit.line)
        what = "" if first.rule is None else f" ({first.rule.kind})"
        return Verdict(
            "review",
            [
                f"mentions '{first.text}'{what} at line {first.line + 1}, "
                "but the task's purpose is not training"
                if first.place != "title"
                else f"mentions '{first.text}' in the title, but no rule classifies it"
            ],
            against=verdict.against
            or [
                f"{hit.said()}: a mention; the title names {_topic(topic, title)}"
                for hit in ev.of("description", "deprecate")
            ],
        )

    def _training_moves(self, verdict: Verdict, ev: _Evidence, places: tuple[str, ...]) -> None:
        """A kept task's training sentences: named, moved to SRL→RLVR, never deprecating it."""
        seen = set()
        for place in places:
            for hit in ev.of(place, "deprecate"):
                if hit.line in seen:
                    continue
                seen.add(hit.line)
                verdict.reasons.append(f"{hit.said()}: this {_what(hit)} moves to SRL→RLVR")
                verdict.against.append(
                    f"{hit.said()}: one {_what(hit)} of a task whose purpose is kept: "
                    "not deprecated"
                )
                verdict.moved.append((hit.line, hit.sentence))
                _extend(verdict.replacement, hit.rule.replacement)

    # ------------------------------------------------------------------ evidence

    def _evidence(self, task: Task) -> _Evidence:
        counted = self._counted(task)
        hits: dict[str, list[Hit]] = {"title": [], "description": [], "line": []}
        mentions: list[Hit] = []
        # One search of the whole task finds the few sentences any term is in; only those are
        # searched rule by rule.
        touched = _sentences_matching(self.anything, [text for _, text, _ in counted])
        with_any: dict[int, bool] = {}  # by rule, asked of the whole task once
        description = training = 0
        for index, (line, text, place) in enumerate(counted):
            deprecating = False
            mention = None
            if index in touched:
                for number, (rule, terms, also) in enumerate(self.rules):
                    found = terms.search(text)
                    if found is None:
                        continue
                    if number not in with_any:
                        with_any[number] = also is None or any(
                            also.search(other) for _, other, _ in counted
                        )
                    if not with_any[number]:
                        continue
                    hits[place].append(Hit(rule, found[0], line, place, text))
                    deprecating = deprecating or rule.action == "deprecate"
                mention = self.review.search(text) if self.review else None
                if place == "title" and self.ignore and self.ignore.search(text):
                    mention = None  # "Staff Training": the title counts for rules, not as a mention
                if mention is not None:
                    mentions.append(Hit(None, mention[0], line, place, text))
            if place == "description" and text.strip():
                description += 1
                training += deprecating or mention is not None
        return _Evidence(
            hits["title"], hits["description"], hits["line"], mentions, description, training
        )

    def _counted(self, task: Task) -> list[tuple[int, str, str]]:
        """(line, text, place) of the sentences holding no ignore phrase (the title counts)."""
        places = task.places or ["title"] + ["description"] * (len(task.sentences) - 1)
        ignored = _sentences_matching(self.ignore, [text for _, text in task.sentences])
        return [
            (line, text, place)
            for index, ((line, text), place) in enumerate(zip(task.sentences, places, strict=False))
            if place == "title" or index not in ignored
        ]

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


def _sentences_matching(pattern: re.Pattern | None, texts: list[str]) -> set[int]:
    """The indexes of the texts pattern is found in, from one search of them all joined by a
    character no term spans."""
    if pattern is None:
        return set()
    starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))
    joined = "\0".join(texts)
    found: set[int] = set()
    match = pattern.search(joined)
    while match is not None:
        index = bisect.bisect_right(starts, match.start()) - 1
        found.add(index)
        match = pattern.search(joined, starts[index + 1]) if index + 1 < len(texts) else None
    return found


def _purpose(action: str) -> str:
    return "validation of trained models" if action == "enhance" else "a system that is kept"


def _topic(topic: str, title: str) -> str:
    return {
        "model": f"a model thing that stays ('{title}')",
        "generic": "no topic, and the description is not training throughout",
    }.get(topic, f"another topic ('{title}')")


def _what(hit: Hit) -> str:
    return "line" if hit.place == "line" else "sentence"


def _extend(items: list[str], more: list[str]) -> None:
    items.extend(item for item in more if item not in items)


def _verdict(
    action: str, hits: list[Hit], why: str | None = None, moved: list[Hit] | None = None
) -> Verdict:
    verdict = Verdict(action)
    for hit in hits:
        verdict.reasons.append(hit.said())
        _extend(verdict.replacement, hit.rule.replacement)
    if why:
        verdict.reasons.append(why)
    for hit in moved or []:
        if any(line == hit.line for line, _ in verdict.moved):
            continue
        verdict.reasons.append(f"{hit.said()}: this {_what(hit)} moves to SRL→RLVR")
        verdict.moved.append((hit.line, hit.sentence))
        _extend(verdict.replacement, hit.rule.replacement)
    return verdict
