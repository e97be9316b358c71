import json
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import text

from modelforge.artifacts import (
    MARKER,
    TargetExists,
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    checksum,
    register_artifact,
)
from modelforge.db import Database
from modelforge.events import record_event


@pytest.fixture
def db(home):
    database = Database(home)
    database.ensure_schema()
    return database


def test_schema_comes_from_the_migrations(db):
    assert db.current() == db.heads()
    assert "0001_core" not in db.heads()  # later migrations build on it
    with db.engine.connect() as connection:
        tables = {
            row[0]
            for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        }
    assert {
        "cycles",
        "stage_runs",
        "events",
        "artifacts",
        "apscheduler_jobs",
        "alembic_version",
    } <= tables


def test_wal_and_busy_timeout(db):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 30_000


def test_ensure_schema_twice_is_harmless(db):
    db.ensure_schema()
    Database(db.path.parent).ensure_schema()
    assert db.current() == db.heads()


def test_events_are_append_only(db):
    record_event(db, "test.kind", "first")
    with pytest.raises(Exception, match="append-only"), db.session() as session:
        session.exec(text("UPDATE events SET message = 'rewritten'"))
    with pytest.raises(Exception, match="append-only"), db.session() as session:
        session.exec(text("DELETE FROM events"))
    raw = sqlite3.connect(db.path)
    assert raw.execute("SELECT message FROM events").fetchall() == [("first",)]


HAMMER = """
import sys
from pathlib import Path
from sqlalchemy import text
from modelforge.db import Database
from modelforge.events import record_event

database = Database(Path(sys.argv[1]))
database.ensure_schema()  # every process migrates on first use, at the same time
for n in range(int(sys.argv[3])):
    record_event(database, "load.write", f"worker {sys.argv[2]} event {n}")
    with database.session() as session:
        session.exec(text("SELECT count(*) FROM events")).one()
"""


def test_concurrent_processes_never_see_database_is_locked(home):
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", HAMMER, str(home), str(w), "60"], stderr=subprocess.PIPE
        )
        for w in range(4)
    ]
    errors = [worker.communicate(timeout=120)[1].decode() for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0, 0, 0], errors
    db = Database(home)
    with db.session() as session:
        assert len(session.exec(text("SELECT id FROM events")).all()) == 240


def test_atomic_path_leaves_nothing_on_error(tmp_path):
    target = tmp_path / "model.bin"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target, replace_file=True) as temporary:
        temporary.write_text("half")
        raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]
    with atomic_path(target, replace_file=True) as temporary:
        temporary.write_text("new")
    assert target.read_text() == "new"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_path_replaces_a_folder(tmp_path):
    target = tmp_path / "checkpoint"
    with atomic_path(target) as temporary:
        temporary.mkdir()
        (temporary / "weights").write_text("1")
    with atomic_path(target) as temporary:
        temporary.mkdir()
        (temporary / "weights").write_text("2")
    assert (target / "weights").read_text() == "2"


def test_atomic_path_never_removes_a_folder_it_did_not_write(tmp_path):
    target = tmp_path / "victim"
    (target / "sub").mkdir(parents=True)
    (target / "sub" / "notes.txt").write_text("precious")
    ran = []
    for replace_file in (False, True):
        with (
            pytest.raises(TargetExists, match="folder modelforge did not write"),
            atomic_path(target, replace_file=replace_file) as temporary,
        ):
            ran.append(temporary)  # refused before any work is done
    assert ran == []
    assert (target / "sub" / "notes.txt").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["victim"]


def test_atomic_path_replaces_a_file_only_when_asked(tmp_path):
    target = tmp_path / "data.jsonl"
    target.write_text("old")
    with pytest.raises(TargetExists, match="already exists"), atomic_path(target):
        pass
    assert target.read_text() == "old"
    with atomic_path(target, replace_file=True) as temporary:
        temporary.mkdir()  # a folder may take a file's place
        (temporary / "weights").write_text("1")
    assert (target / "weights").read_text() == "1"


def test_atomic_write_replaces_a_file_only_when_asked_and_keeps_its_mode(tmp_path):
    target = tmp_path / "notes.md"
    atomic_write_text(target, "first")
    with pytest.raises(TargetExists, match="already exists"):
        atomic_write_text(target, "second")
    assert target.read_text() == "first"
    target.chmod(0o640)
    atomic_write_bytes(target, b"second", replace_file=True)
    assert target.read_bytes() == b"second"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]  # no temporary left
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(TargetExists, match="did not write"):
        atomic_write_text(folder, "never", replace_file=True)


def test_folder_marker_is_not_content(tmp_path):
    with atomic_path(tmp_path / "written") as temporary:
        temporary.mkdir()
        (temporary / "weights").write_text("1")
    by_hand = tmp_path / "by_hand"
    by_hand.mkdir()
    (by_hand / "weights").write_text("1")
    assert (tmp_path / "written" / MARKER).is_file()
    assert checksum(tmp_path / "written") == checksum(by_hand)


def test_artifacts_record_checksum_and_lineage(db, tmp_path):
    folder = tmp_path / "adapter"
    folder.mkdir()
    (folder / "a.bin").write_bytes(b"abc")
    artifact = register_artifact(db, folder, "adapter", {"base": "tiny", "examples": [1, 2]})
    assert artifact.id is not None
    assert artifact.size_bytes == 3
    assert artifact.checksum == checksum(folder)[0]
    (folder / "a.bin").write_bytes(b"abd")
    assert checksum(folder)[0] != artifact.checksum
    with pytest.raises(FileNotFoundError):
        register_artifact(db, tmp_path / "missing", "adapter", {})


def test_event_data_is_redacted(db, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-very-secret")
    record_event(db, "leak.try", "key is sk-test-very-secret", header="Bearer sk-test-very-secret")
    with db.session() as session:
        event = session.exec(text("SELECT message, data FROM events")).one()
    assert "sk-test-very-secret" not in event.message + event.data
    assert "[redacted]" in event.message


def test_a_read_session_does_not_wait_for_the_write_lock(db):
    record_event(db, "seed", "one")
    with db.engine.begin() as writer:  # BEGIN IMMEDIATE: holds the write lock
        writer.exec_driver_sql(
            "INSERT INTO events (ts, level, kind, message) VALUES (datetime('now'), 'info', 'w', 'held')"
        )
        with db.read_session() as session:
            assert session.exec(text("SELECT count(*) FROM events")).one()[0] == 1
    with db.read_session() as session:
        assert session.exec(text("SELECT count(*) FROM events")).one()[0] == 2


def test_db_current_counts_what_plugin_branches_applied(plugins, home):
    """evaluate_0001 depends on 0004_models, so alembic records only evaluate_0001: a migrated
    database must still read as up to date, and a new one list every migration to apply."""
    from click.testing import CliRunner

    from modelforge.cli.main import build_cli

    def current() -> dict:
        result = CliRunner().invoke(build_cli(plugins), ["db", "current", "--json"])
        return json.loads(result.stdout)

    before = current()
    assert before["up_to_date"] is False and before["current"] == []
    assert before["pending"][0] == "0001_core" and "evaluate_0001" in before["pending"]
    CliRunner().invoke(build_cli(plugins), ["db", "upgrade"], catch_exceptions=False)
    after = current()
    assert "0004_models" in after["heads"] and "0004_models" not in after["current"]
    assert after["up_to_date"] is True and after["pending"] == []
    text_out = CliRunner().invoke(build_cli(plugins), ["db", "current"]).stdout
    assert "(up to date)" in text_out
