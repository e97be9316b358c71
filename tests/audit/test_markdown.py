"""Finding tasks: ids, sections, aliases; code fences and setext headings as CommonMark says."""

from modelforge_audit.markdown import parse

TEXT = """# Plan

### Task 7.4: Historical Log Processing
**Task ID:** TBB-030

Process logs. Then more.

```
### FAKE-001: inside a fence
```

#### TE-002: Sub task
- item

AI-003: LoRA Adapter System
---------------------------

Body.

### Task COLLAB-001: Collaboration
### Task: no id here
### Overview
"""


def test_task_headings_with_their_ids_and_titles():
    tasks = parse(TEXT).tasks
    assert [(t.task_id, t.title, t.level) for t in tasks] == [
        ("Task 7.4", "Historical Log Processing", 3),
        ("TE-002", "Sub task", 4),
        ("AI-003", "LoRA Adapter System", 2),
        ("COLLAB-001", "Collaboration", 3),
    ]


def test_heading_in_fenced_code_is_not_a_task():
    assert "FAKE-001" not in [t.task_id for t in parse(TEXT).tasks]


def test_sections_run_to_the_next_heading_of_same_or_higher_level():
    parent, child, setext, _ = parse(TEXT).tasks
    assert parent.section_end == setext.line  # the level-2 setext heading closes level 3
    assert parent.own_end == child.line  # its own part stops at the nested task
    assert child.section_end == setext.line
    assert (setext.line, setext.body_start) == (14, 16)  # the underline belongs to the heading


def test_aliases_come_from_id_lines():
    assert parse(TEXT).tasks[0].aliases == ["TBB-030"]


def test_heading_that_says_task_without_an_id_is_a_problem():
    problems = parse(TEXT).problems
    assert problems == [(20, "heading 'Task: no id here' has no task id; not audited")]


def test_sentences_carry_their_lines():
    first = parse(TEXT).tasks[0]
    assert (5, "Then more.") in first.sentences
    assert first.prose_lines == [3, 5]


def test_crlf_and_empty_text():
    tasks = parse("### WIN-001: Fine-tuning\r\n\r\nText.\r\n").tasks
    assert [(t.task_id, t.line, t.prose_lines) for t in tasks] == [("WIN-001", 0, [2])]
    assert parse("").tasks == [] and parse("").problems == []


def test_block_structure_decides_what_is_a_heading():
    # Lists and block quotes hold headings; HTML blocks, indented code and lazy paragraph
    # lines do not. The parser decides, so the classification never sees the false ones.
    cases = {
        "- ### AB-1: In a list\n": ["AB-1"],
        "> ### AB-2: In a quote\n": ["AB-2"],
        "1. item\n\n    ### AB-3: In an item, indented as its text\n": ["AB-3"],
        "<div>\n### AB-4: In an HTML block\n</div>\n": [],
        "    ### AB-5: Indented code\n": [],
        "Para\n    ### AB-6: A paragraph's continuation\n": [],
        "~~~\n### AB-7: In a tilde fence\n~~~\n": [],
    }
    for text, ids in cases.items():
        assert [task.task_id for task in parse(text).tasks] == ids, text


def test_sentences_and_aliases_of_multi_line_blocks():
    (task,) = parse("### AB-1: T\n\nOne. Two\nthree. Four.\nID: AB-9 and\nIDs: AB-8\n").tasks
    assert task.sentences[1:] == [
        (2, "One."),
        (2, "Two\nthree."),
        (3, "Four."),
        (4, "ID: AB-9 and\nIDs: AB-8"),
    ]
    assert task.aliases == ["AB-9", "AB-8"]


def test_each_sentence_knows_its_place():
    text = (
        "### AI-001: Inference Service\n\n"  # 0
        "Serve the models. Load adapters.\n\n"  # 2
        "- Fine-tune each adapter\n"  # 4
        "- [ ] Latency dashboard\n\n"  # 5
        "| Tier | Model |\n| --- | --- |\n| 1 | small |\n\n"  # 7-9
        "**Deliverables:** a router.\n\n"  # 11
        "A paragraph under the label.\n\n"  # 13
        "#### Notes\n\n"  # 15
        "Free text again.\n"  # 17
    )
    (task,) = parse(text).tasks
    assert list(zip(task.sentences, task.places, strict=True)) == [
        ((0, "Inference Service"), "title"),
        ((2, "Serve the models."), "description"),
        ((2, "Load adapters."), "description"),
        ((4, "Fine-tune each adapter"), "line"),
        ((5, "[ ] Latency dashboard"), "line"),
        ((7, "Tier"), "line"),
        ((7, "Model"), "line"),
        ((9, "1"), "line"),
        ((9, "small"), "line"),
        ((11, "**Deliverables:** a router."), "line"),
        ((13, "A paragraph under the label."), "line"),
        ((15, "Notes"), "line"),
        ((17, "Free text again."), "description"),
    ]
