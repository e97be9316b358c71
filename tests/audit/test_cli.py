"""`modelforge audit` end to end: formats, exit codes, bad input, storing, archiving."""

import json

import pytest

from modelforge.models import Cycle, Event, StageRun


def run_json(invoke, *args):
    result = invoke("audit", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_findings_with_files_relative_to_path(invoke, tree, plan_config):
    data = run_json(invoke, str(tree))
    first = data["findings"][0]
    assert {k: first[k] for k in ("file", "task_id", "title", "aliases", "line", "action")} == {
        "file": "plan.md",
        "task_id": "Task 7.4",
        "title": "Historical Log Processing",
        "aliases": ["TBB-030"],
        "line": 5,
        "action": "deprecate",
    }
    assert first["reasons"] and first["replacement"][0] == "COLLAB-001"
    actions = {(f["file"], f["task_id"]): f["action"] for f in data["findings"]}
    assert actions[("plan.md", "COLLAB-010")] == "enhance"
    assert actions[("plan.md", "MS-004")] == "update"
    assert actions[("plan.md", "PERF-002")] == "review"
    assert ("plan.md", "GARDEN-001") not in actions and ("plan.md", "FAKE-001") not in actions
    summary = data["summary"]
    assert (summary["deprecate"], summary["marked"], summary["unmarked_deprecate"]) == (5, 2, 3)
    assert isinstance(summary["unmarked_deprecate"], int)


def test_audit_is_read_only(invoke, tree):
    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    invoke("audit", str(tree))
    assert {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()} == before


def test_text_and_markdown_report(invoke, tree, tmp_path, plan_config):
    text = invoke("audit", str(tree))
    assert "plan.md:5  Task 7.4: Historical Log Processing  -> deprecate" in text.stdout
    assert "3 deprecated task(s) not yet marked" in text.stdout
    report = tmp_path / "audit.md"
    result = invoke("audit", str(tree), "--format", "markdown", "--report", str(report))
    document = report.read_text(encoding="utf-8")
    assert result.stdout == document
    for heading in (
        "## Critical findings",
        "## Findings by file",
        "## Replacement mapping",
        "## Migration plan",
        "## Validation checklist",
    ):
        assert heading in document
    assert "- [ ] All old training tasks marked deprecated (3 left)" in document
    assert "| fine-tuning pipeline | deprecate | SRL-001, RLVR-001, MODEL-*-001 |" in document


def test_apply_then_nothing_left(invoke, tree):
    first = run_json(invoke, str(tree), "--apply")
    assert sum(change["marked"] for change in first["applied"]) == 6
    assert first["summary"]["unmarked_deprecate"] == 0
    again = run_json(invoke, str(tree), "--apply")
    assert again["applied"] == []


@pytest.fixture
def bad(tmp_path):
    folder = tmp_path / "bad"
    outside = tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (outside / "x.md").write_text("### OUT-001: Fine-tuning\n", encoding="utf-8")
    (folder / "linked").symlink_to(outside)
    (folder / "binary.md").write_bytes(b"\x00\x01\x02 ### B-001: Fine-tuning")
    (folder / "latin1.md").write_bytes("### L-001: Fine-tuning café\n".encode("latin-1"))
    (folder / "empty.md").write_bytes(b"")
    (folder / "noid.md").write_text("### Task: fine-tune everything\n", encoding="utf-8")
    return folder


def test_bad_input_gives_messages_and_audits_the_rest(invoke, bad):
    before = {p.name: p.read_bytes() for p in bad.iterdir() if p.is_file()}
    result = invoke("audit", str(bad), str(bad / "missing"), "--apply")
    assert result.exit_code == 0
    err = result.stderr
    assert f"{bad}/linked: link leads outside PATH; not followed" in err
    assert f"{bad}/binary.md: binary file (contains NUL bytes); skipped" in err
    assert f"{bad}/latin1.md: not valid UTF-8 (byte 26); skipped and left untouched" in err
    assert f"{bad}/noid.md:1: heading 'Task: fine-tune everything' has no task id" in err
    assert f"{bad}/missing: no such file or directory" in err
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in bad.iterdir() if p.is_file()} == before
    assert "2 file(s), 0 task(s)" in result.stdout  # empty.md and noid.md were audited


@pytest.mark.parametrize("case", ["missing", "binary", "empty folder"])
def test_exit_1_when_nothing_could_be_audited(invoke, tmp_path, case):
    path = tmp_path / "x"
    if case == "binary":
        path.write_bytes(b"\x00\x00")
    elif case == "empty folder":
        path.mkdir()
    result = invoke("audit", str(path))
    assert result.exit_code == 1
    assert f"Error: nothing could be audited under {path}" in result.stderr


def test_large_file_is_refused_with_a_message(invoke, tmp_path, home):
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.write(b"### BIG-001: Fine-tuning\n")
        handle.truncate(50_000_000)
    result = invoke("audit", str(big))
    assert result.exit_code == 1
    assert "50.0 MB is over the limit of 16 MB ([audit] max_file_mb); skipped" in result.stderr


def test_usage_errors(invoke, tree):
    assert invoke("audit").exit_code == 2
    assert invoke("audit", str(tree), "--force").exit_code == 2
    assert invoke("audit", str(tree), "--apply", "--archive").exit_code == 2


def add_evaluated_cycle(app, regression: bool = False) -> None:
    with app.db.session() as session:
        cycle = Cycle(model_type="arith", status="done")
        session.add(cycle)
        session.flush()
        session.add(StageRun(cycle_id=cycle.id, stage="evaluate", status="done"))
        if regression:
            session.add(Event(kind="track.regression", message="worse", cycle_id=cycle.id))


def test_archive_refuses_until_two_cycles_without_regression(invoke, app, tree):
    invoke("audit", str(tree), "--apply")
    refused = invoke("audit", str(tree), "--archive")
    assert refused.exit_code == 1
    assert "refusing to archive: the database shows 0 evaluation cycle(s) done" in refused.stderr
    add_evaluated_cycle(app)
    add_evaluated_cycle(app, regression=True)
    refused = invoke("audit", str(tree), "--archive")
    assert refused.exit_code == 1 and "recorded a regression" in refused.stderr
    assert not (tree / "plan.archive.md").exists()
    add_evaluated_cycle(app)
    add_evaluated_cycle(app)
    data = run_json(invoke, str(tree), "--archive")
    assert data["proven"].endswith("evaluated without a regression")
    moved = {m["file"]: m["tasks"] for m in data["archived"]}
    assert moved["plan.md"] == ["Task 7.4", "AI-003"]


def test_forced_archive_moves_sections_and_keeps_every_word(invoke, tree):
    invoke("audit", str(tree), "--apply")
    marked = (tree / "plan.md").read_text(encoding="utf-8")
    result = invoke("audit", str(tree), "--archive", "--force")
    assert result.exit_code == 0
    original = (tree / "plan.md").read_text(encoding="utf-8")
    archived = (tree / "plan.archive.md").read_text(encoding="utf-8")
    assert (
        "### Task 7.4: Historical Log Processing\n\n**Status:** ARCHIVED — moved to plan.archive.md"
        in original
    )
    assert "Process the historical" not in original and "Process the historical" in archived
    for word in set(marked.split()):
        assert word in original or word in archived
    state = {p: p.read_bytes() for p in tree.rglob("*.md")}
    again = run_json(invoke, str(tree), "--archive", "--force")
    assert again["archived"] == []
    assert {p: p.read_bytes() for p in tree.rglob("*.md")} == state
    assert again["summary"]["unmarked_deprecate"] == 0


def test_findings_are_stored_and_replaced(invoke, app, tree):
    from modelforge_audit.store import AuditFinding
    from sqlmodel import select

    invoke("audit", str(tree))
    invoke("audit", str(tree))
    with app.db.session() as session:
        rows = session.exec(select(AuditFinding)).all()
    assert len(rows) == 9
    assert {row.root for row in rows} == {str(tree.resolve())}


def test_checklist_item_from_findings_and_markers_on_disk(invoke, tree, write_config):
    def audit_item():
        items = json.loads(invoke("checklist", "--json").stdout)
        return next(item for item in items if item["id"] == "audit")

    assert (audit_item()["state"], audit_item()["evidence"]) == (
        "unknown",
        "no task paths configured ([audit] paths), so nothing to check",
    )
    write_config(f'[audit]\npaths = ["{tree}"]\n')
    assert audit_item()["evidence"].startswith("never audited")
    invoke("audit", str(tree))
    item = audit_item()
    assert item["state"] == "not done" and item["evidence"].startswith("3 of 5 deprecated task(s)")
    invoke("audit", str(tree), "--apply")
    assert audit_item()["state"] == "done"
    plan = tree / "plan.md"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("**Status:** DEPRECATED", "Note:", 1),
        encoding="utf-8",
    )
    assert audit_item()["state"] == "not done"  # a marker removed since the audit counts


def test_unknown_config_key_is_refused(invoke, tree, write_config):
    write_config("[audit]\npathz = []\n")
    result = invoke("audit", str(tree))
    assert result.exit_code == 1 and "unknown key 'audit.pathz'" in result.stderr


def test_unwritable_file_is_reported_and_left_whole(invoke, tree, monkeypatch):
    import errno

    from modelforge import artifacts

    def refuse(source, target):
        raise PermissionError(errno.EACCES, "Permission denied")

    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    monkeypatch.setattr(artifacts.os, "replace", refuse)
    result = invoke("audit", str(tree), "--apply")
    assert result.exit_code == 0
    assert f"{tree}/team/crlf.md: cannot be written: Permission denied" in result.stderr
    # Neither the files nor a stray temporary are left changed behind.
    assert {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()} == before


def test_read_only_file_is_skipped_and_reported(invoke, tree):
    locked = tree / "team" / "crlf.md"
    locked.chmod(0o444)  # tests run as root, who could write it anyway
    before = locked.read_bytes()
    data = run_json(invoke, str(tree), "--apply")
    assert locked.read_bytes() == before
    assert oct(locked.stat().st_mode & 0o777) == "0o444"
    assert {
        "file": f"{tree}/team/crlf.md",
        "message": "read-only (mode 0444); skipped, not written",
    } in data["problems"]
    assert [change["file"] for change in data["applied"]] == ["plan.md"]


def test_stored_rows_read_back_as_the_findings_reported(invoke, app, tree):
    from datetime import datetime

    from modelforge_audit.store import AuditFinding
    from sqlmodel import col, select

    data = run_json(invoke, str(tree))
    with app.db.session() as session:
        rows = session.exec(select(AuditFinding).order_by(col(AuditFinding.id))).all()
    fields = ("file", "task_id", "title", "aliases", "line", "action", "reasons", "replacement")
    assert [{k: getattr(row, k) for k in (*fields, "marked")} for row in rows] == [
        {k: f[k] for k in (*fields, "marked")} for f in data["findings"]
    ]
    assert all(isinstance(row.audited_at, datetime) for row in rows)
    assert {row.real_path for row in rows} >= {str((tree / "plan.md").resolve())}


def test_symlink_loop_is_skipped_with_a_warning_and_the_rest_audited(invoke, tree):
    (tree / "loop-a").symlink_to(tree / "loop-b")  # loop-a -> loop-b -> loop-a
    (tree / "loop-b").symlink_to(tree / "loop-a")
    (tree / "team" / "self.md").symlink_to(tree / "team" / "self.md")
    result = invoke("audit", str(tree), "--format", "json")
    assert result.exit_code == 0 and "Traceback" not in result.output
    data = json.loads(result.stdout)
    for name in ("loop-a", "loop-b", "team/self.md"):
        warning = {"file": f"{tree}/{name}", "message": "symbolic link loop; skipped"}
        assert warning in data["problems"]
        assert f"warning: {tree}/{name}: symbolic link loop; skipped" in result.stderr
    assert {f["file"] for f in data["findings"]} >= {"plan.md", "team/crlf.md"}
    report = tree.parent / "report.md"
    assert invoke("audit", str(tree), "--report", str(report)).exit_code == 0
    assert f"- `{tree}/loop-a`: symbolic link loop; skipped" in report.read_text(encoding="utf-8")


def test_archive_leaves_a_read_only_original_and_its_archive_alone(invoke, tree):
    invoke("audit", str(tree), "--apply")
    locked = tree / "plan.md"
    locked.chmod(0o444)  # tests run as root, who could write it anyway
    before = locked.read_bytes()
    data = run_json(invoke, str(tree), "--archive", "--force")
    assert locked.read_bytes() == before
    assert not (tree / "plan.archive.md").exists()  # nothing copied out of it either
    assert (tree / "team" / "crlf.archive.md").exists()  # the rest was archived
    assert oct(locked.stat().st_mode & 0o777) == "0o444"
    assert {
        "file": f"{tree}/plan.md",
        "message": "read-only (mode 0444); skipped, not written",
    } in data["problems"]
    assert "plan.md" not in [moved["file"] for moved in data["archived"]]


def test_report_does_not_overwrite_a_read_only_file(invoke, tree, tmp_path):
    report = tmp_path / "report.md"
    report.write_text("kept\n", encoding="utf-8")
    report.chmod(0o444)
    result = invoke("audit", str(tree), "--report", str(report))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        f"cannot write the report {report}: read-only (mode 0444); left as it is" in result.stderr
    )
    assert report.read_text(encoding="utf-8") == "kept\n"
    assert oct(report.stat().st_mode & 0o777) == "0o444"


def test_explain_prints_the_evidence_each_way(plan_config, invoke, tmp_path):
    path = tmp_path / "tasks.md"
    path.write_text(
        "#### AI-001: Inference Service\n\nServe the models and manage the LoRA adapters.\n\n"
        "- Fine-tune each adapter with specialised datasets\n\n"
        "### OPS-001: Meta-Management Orchestration\n\n"
        "Coordinate the agents. Trigger a retrain when a model drifts.\n",
        encoding="utf-8",
    )
    result = invoke("audit", str(path), "--explain")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:5] == [
        "tasks.md:1  AI-001: Inference Service  -> update",
        "    decided by: serving: 'Inference Service' in the title",
        "    decided by: fine-tuning pipeline: 'Fine-tune' at line 5: this line moves to SRL→RLVR",
        (
            "    weighed against: fine-tuning pipeline: 'Fine-tune' at line 5: one line of a task "
            "whose purpose is kept: not deprecated"
        ),
        "    replacement: DYN-003, SRL-001, RLVR-001, MODEL-*-001",
    ]
    assert (
        "tasks.md:7  OPS-001: Meta-Management Orchestration  -> review\n"
        "    decided by: mentions 'retrain' (fine-tuning pipeline) at line 9, but the task's "
        "purpose is not training\n"
        "    weighed against: fine-tuning pipeline: 'retrain' at line 9: a mention; the title "
        "names another topic ('Meta-Management Orchestration')\n"
    ) in result.stdout
    plain = invoke("audit", str(path)).stdout
    assert "decided by" not in plain and "    serving: 'Inference Service' in the title" in plain
    data = run_json(invoke, str(path))
    assert data["findings"][0]["against"] == [
        (
            "fine-tuning pipeline: 'Fine-tune' at line 5: one line of a task whose purpose is "
            "kept: not deprecated"
        )
    ]


def test_without_a_regression_publisher_nothing_is_proven(app):
    from modelforge_audit.archive import proven

    for _ in range(2):
        add_evaluated_cycle(app)
    assert proven(app.db, None) == (
        False,
        "no loaded plugin records regressions, so none can be ruled out",
    )
    assert proven(app.db, "track.regression")[0]
