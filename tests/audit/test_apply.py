"""--apply: markers added, no word removed, idempotent, encodings and line endings kept."""

import re

from modelforge_audit.apply import apply, struck
from modelforge_audit.scan import audit_paths


def words(text: str) -> list[str]:
    return re.findall(r"[\w-]+", text.replace("~~", " "))


def contains_in_order(new: list[str], old: list[str]) -> bool:
    remaining = iter(new)
    return all(word in remaining for word in old)


def test_apply_marks_every_markable_task_and_keeps_every_word(tree, settings):
    before = {path: path.read_text(encoding="utf-8") for path in tree.rglob("*.md")}
    changed, problems = apply(audit_paths([str(tree)], settings), settings)
    assert problems == []
    assert sorted((c["file"], c["marked"]) for c in changed) == [
        ("plan.md", 5),
        ("team/crlf.md", 1),
    ]
    for path, old in before.items():
        assert contains_in_order(words(path.read_text(encoding="utf-8")), words(old)), path
    after = audit_paths([str(tree)], settings)
    assert after.summary()["unmarked_deprecate"] == 0
    assert all(f.marked for f in after.findings if f.action != "review")


def test_deprecated_task_gets_status_note_and_struck_text(tree, settings):
    apply(audit_paths([str(tree)], settings), settings)
    text = (tree / "plan.md").read_text(encoding="utf-8")
    # the default names no document and no replacement task the user may not have
    assert (
        "### Task 7.4: Historical Log Processing\n\n**Status:** DEPRECATED — REPLACED BY SRL→RLVR\n"
    ) in text
    assert "~~Process the historical conversation logs into a training dataset.~~\n" in text


def test_a_plans_note_and_names_come_from_the_configuration(tree, plan_settings):
    apply(audit_paths([str(tree)], plan_settings), plan_settings)
    text = (tree / "plan.md").read_text(encoding="utf-8")
    assert (
        "### Task 7.4: Historical Log Processing\n\n**Status:** DEPRECATED — REPLACED BY "
        "SRL→RLVR — see SRL-RLVR-TRAINING-TASKS.md (replacement: `COLLAB-001`, `COLLAB-002`, "
        "`COLLAB-003`, `DYN-001`)\n"
    ) in text
    assert "~~Process the historical conversation logs into a training dataset.~~\n" in text
    assert "- ~~Export logs from the last 90 days~~\n" in text
    assert "### FAKE-001: A heading inside fenced code\nFine-tune the model on this.\n" in text
    assert "- [ ] Step-wise (SRL) and outcome (RLVR) evaluation" in text  # the enhance task


def test_second_apply_changes_nothing(tree, settings):
    apply(audit_paths([str(tree)], settings), settings)
    once = {path: path.read_bytes() for path in tree.rglob("*.md")}
    changed, _ = apply(audit_paths([str(tree)], settings), settings)
    assert changed == []
    assert {path: path.read_bytes() for path in tree.rglob("*.md")} == once


def test_crlf_and_bom_are_kept(tmp_path, settings):
    crlf = tmp_path / "crlf.md"
    crlf.write_bytes(b"\xef\xbb\xbf### WIN-001: Fine-tuning jobs\r\n\r\nRun them nightly.\r\n")
    utf16 = tmp_path / "wide.md"
    utf16.write_bytes("### W-002: Fine-tuning\n\nRun — nightly.\n".encode("utf-16"))
    apply(audit_paths([str(tmp_path)], settings), settings)
    raw = crlf.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf### WIN-001") and raw.count(b"\n") == raw.count(b"\r\n")
    assert b"~~Run them nightly.~~\r\n" in raw
    wide = utf16.read_bytes().decode("utf-16")
    assert "~~Run — nightly.~~" in wide and "DEPRECATED" in wide


def test_heading_on_the_last_line_without_newline(tmp_path, settings):
    path = tmp_path / "last.md"
    path.write_text("### L-001: Fine-tuning", encoding="utf-8")
    apply(audit_paths([str(path)], settings), settings)
    assert path.read_text(encoding="utf-8").startswith(
        "### L-001: Fine-tuning\n\n**Status:** DEPRECATED"
    )


def test_struck_keeps_markers_and_hard_breaks():
    assert struck("  - [ ] item\n") == "  - [ ] ~~item~~\n"
    assert struck("> quoted  \r\n") == "> ~~quoted~~  \r\n"
    assert struck("line\\\n") == "~~line~~\\\n"
    assert struck("~~already~~\n") == "~~already~~\n"
    assert struck("\n") == "\n"


def test_a_file_changed_after_reading_is_left_alone(tree, settings):
    audit = audit_paths([str(tree)], settings)
    (tree / "plan.md").write_text("someone else's edit\n", encoding="utf-8")
    changed, problems = apply(audit, settings)
    assert (tree / "plan.md").read_text(encoding="utf-8") == "someone else's edit\n"
    assert next(p["message"] for p in problems if "plan.md" in p["file"]).endswith("left as it is")
    assert [c["file"] for c in changed] == ["team/crlf.md"]


def test_symlinked_file_is_written_through_not_replaced(tmp_path, settings):
    real = tmp_path / "root" / "real.md"
    real.parent.mkdir()
    real.write_text("### S-001: Fine-tuning\n\nDo it.\n", encoding="utf-8")
    (tmp_path / "root" / "link.md").symlink_to(real)
    apply(audit_paths([str(tmp_path / "root")], settings), settings)
    assert (tmp_path / "root" / "link.md").is_symlink()
    assert "DEPRECATED" in real.read_text(encoding="utf-8")


def test_apply_on_the_corpus_keeps_every_word_and_every_action(tmp_path, settings):
    import shutil
    from pathlib import Path

    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).parent / "corpus", corpus)
    before = {path: path.read_text(encoding="utf-8") for path in corpus.rglob("*.md")}
    first = audit_paths([str(corpus)], settings)
    actions = {(f.file, f.task_id): f.action for f in first.findings}
    apply(first, settings)
    for path, old in before.items():
        assert contains_in_order(words(path.read_text(encoding="utf-8")), words(old)), path
    after = audit_paths([str(corpus)], settings)
    # Marking a task never changes what it is classified as, and nothing is found or lost.
    assert {(f.file, f.task_id): f.action for f in after.findings} == actions
    assert all(f.marked for f in after.findings if f.action != "review")
    once = {path: path.read_bytes() for path in corpus.rglob("*.md")}
    assert apply(after, settings)[0] == []
    assert {path: path.read_bytes() for path in corpus.rglob("*.md")} == once


def test_an_update_task_names_the_line_that_moves(tree, settings):
    (tree / "plan.md").write_text(
        "#### AI-001: Inference Service\n\nServe the models.\n\n"
        "- [ ] Fine-tune each adapter with specialised datasets\n- Latency dashboard\n",
        encoding="utf-8",
    )
    apply(audit_paths([str(tree / "plan.md")], settings), settings)
    text = (tree / "plan.md").read_text(encoding="utf-8")
    assert (
        "- [ ] Done through SRL→RLVR instead: “Fine-tune each adapter with specialised datasets”\n"
        "\nServe the models.\n\n- [ ] Fine-tune each adapter with specialised datasets\n"
    ) in text
