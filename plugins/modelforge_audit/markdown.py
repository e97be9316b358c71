"""Tasks in a Markdown file, found with a CommonMark parser (markdown-it-py).

A task is a heading that carries a task id (`### Task 7.4: ...`, `#### AI-003: ...`); its
section runs to the next heading of the same or a higher level, and its own part stops at
the next task heading inside it. Headings in fenced code are not headings; setext ones are.

Each sentence keeps where it stands, because the classifier weighs a task's title and
description above its single lines: `title`, `description` (paragraphs), `line` (a list item,
a table cell, a sub-heading, or a paragraph under a "Deliverables:" or "Acceptance" label).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

_ID = r"[A-Z][A-Z0-9]*(?:-[A-Z0-9*]+)+"
_SEPARATOR = r"\s*[:—–]\s*|\s+[-—–]\s+"
TASK_HEADING = re.compile(
    rf"^(?:Task\s+(?P<task>{_ID}|\d+(?:\.\d+)*[a-z]?)|(?P<bare>{_ID}))(?:{_SEPARATOR})(?P<title>\S.*)$"
)
UNNUMBERED_TASK = re.compile(r"^Task\b", re.IGNORECASE)
# The lookahead turns away most word starts before the alternatives are tried.
ALIAS_LABEL = re.compile(r"\b(?=[ti])(?:Task\s+)?IDs?\b\W{0,4}:\W{0,4}(?P<rest>.*)", re.IGNORECASE)
ALIAS = re.compile(rf"\b{_ID}\b")
SENTENCE_BREAK = re.compile(r"(?<=[.!?;])\s+")
# A paragraph or sub-heading naming a task's deliverables: what follows it are single lines.
LINES_LABEL = re.compile(
    r"^[\W_]*(?:deliverables?|acceptance(?:\s+criteria)?|definition\s+of\s+done|outputs?|"
    r"sub-?tasks|steps|checklist|requirements|scope)\b[^:\n]{0,30}(?::|$)",
    re.IGNORECASE,
)
_DECORATION = "*_~` \t"


@dataclass
class Task:
    """One task heading and what its section holds; line numbers are 0-based."""

    task_id: str
    title: str
    level: int
    line: int  # the heading's first line
    body_start: int  # the first line after the heading
    own_end: int  # where its own part ends: the next task heading, or the section's end
    section_end: int
    aliases: list[str] = field(default_factory=list)
    sentences: list[tuple[int, str]] = field(default_factory=list)  # prose: (line, text)
    places: list[str] = field(default_factory=list)  # per sentence: title, description, line
    prose_lines: list[int] = field(default_factory=list)  # paragraph lines of its own part


@dataclass
class Document:
    tasks: list[Task]
    problems: list[tuple[int, str]]  # (0-based line, message)


@dataclass
class _Block:
    line: int
    end: int
    text: str
    paragraph: bool
    heading_level: int = 0
    in_list: bool = False  # a list item's text or a table cell, not a paragraph of its own


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    # Block structure is all we need: inline parsing (emphasis, links) is left out for speed.
    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


def _blocks(text: str) -> list[_Block]:
    """Headings and prose in document order; code, HTML and rules are not prose."""
    tokens = _parser().parse(text)
    blocks = []
    items = 0  # list items open around the current token
    for index, token in enumerate(tokens):
        if token.type == "list_item_open":
            items += 1
        elif token.type == "list_item_close":
            items -= 1
        if token.type != "inline" or index == 0:
            continue
        opener = tokens[index - 1]
        # A setext heading's inline map leaves out its underline; the opener's covers it.
        where = (opener.map if opener.type == "heading_open" else token.map) or opener.map or [0, 1]
        level = int(opener.tag[1]) if opener.type == "heading_open" else 0
        blocks.append(
            _Block(
                where[0],
                where[1],
                token.content,
                opener.type == "paragraph_open",
                level,
                items > 0 or opener.type in ("td_open", "th_open"),
            )
        )
    return blocks


def parse(text: str) -> Document:
    """The tasks of a Markdown text, and the headings that look like tasks but have no id."""
    blocks = _blocks(text)
    line_count = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    headings = [block for block in blocks if block.heading_level]
    problems: list[tuple[int, str]] = []
    tasks: list[Task] = []
    for index, heading in enumerate(headings):
        plain = heading.text.strip(_DECORATION)
        match = TASK_HEADING.match(plain)
        if match is None:
            if UNNUMBERED_TASK.match(plain):
                problems.append((heading.line, f"heading '{plain}' has no task id; not audited"))
            continue
        section_end = next(
            (
                later.line
                for later in headings[index + 1 :]
                if later.heading_level <= heading.heading_level
            ),
            line_count,
        )
        task_id = match["task"] or match["bare"]
        if task_id[0].isdigit():
            task_id = f"Task {task_id}"
        tasks.append(
            Task(
                task_id,
                match["title"].strip(_DECORATION),
                heading.heading_level,
                heading.line,
                heading.end,
                section_end,
                section_end,
            )
        )
    _bound_own_parts(tasks)
    starts = [block.line for block in blocks]
    for task in tasks:
        first = bisect.bisect_left(starts, task.body_start)
        last = bisect.bisect_left(starts, task.own_end)
        _fill(task, blocks[first:last])
    return Document(tasks, problems)


def _bound_own_parts(tasks: list[Task]) -> None:
    for task, following in itertools.pairwise(tasks):
        task.own_end = min(task.section_end, following.line)


def _place(block: _Block, under_label: bool) -> str:
    if block.heading_level or block.in_list or under_label:
        return "line"
    return "line" if LINES_LABEL.match(block.text) else "description"


def _fill(task: Task, blocks: list[_Block]) -> None:
    task.sentences.append((task.line, task.title))
    task.places.append("title")
    under_label = False  # after a "Deliverables:" label, paragraphs are lines too
    for block in blocks:
        if block.paragraph:
            task.prose_lines.extend(range(block.line, block.end))
        place = _place(block, under_label)
        if block.heading_level:
            under_label = LINES_LABEL.match(block.text) is not None
        elif not block.in_list and LINES_LABEL.match(block.text):
            under_label = True
        text = block.text
        several = "\n" in text
        start = 0
        for brk in [*SENTENCE_BREAK.finditer(text), None]:
            end = brk.start() if brk else len(text)
            line = block.line + text.count("\n", 0, start) if several else block.line
            task.sentences.append((line, text[start:end]))
            task.places.append(place)
            start = brk.end() if brk else end
        # One search of the whole block rules out most blocks before the search of each line.
        if ALIAS_LABEL.search(text) is None:
            continue
        for line in text.split("\n"):
            if label := ALIAS_LABEL.search(line):
                for alias in ALIAS.findall(label["rest"]):
                    if alias != task.task_id and alias not in task.aliases:
                        task.aliases.append(alias)
