"""A file or folder the user can fix is named in one line with what to do, exit status 1, and
left exactly as it was: no Python traceback reaches the user."""

import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from modelforge.app import App


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


def migrated(home: Path, plugins) -> Path:
    """A migrated database, closed: its WAL checkpointed, so nothing but the test changes it."""
    App(plugins).db.engine.dispose()
    return home / "modelforge.db"


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(20_000))


def zero_filled(path: Path) -> None:
    path.write_bytes(bytes(8192))


def truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:3000])


@pytest.mark.parametrize("damage", [random_bytes, zero_filled, truncated])
@pytest.mark.parametrize("args", [("status",), ("events",), ("run", "--once")])
def test_a_damaged_database_is_named_and_left_alone(invoke, home, plugins, damage, args):
    path = migrated(home, plugins)
    damage(path)
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    before = fingerprint(home)
    result = invoke(*args)
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: database {path} ")
    assert "move it aside" in line
    after = fingerprint(home)
    assert after["modelforge.db"] == before["modelforge.db"]
    new = set(after) - set(before)  # SQLite may open an empty WAL for a truncated file
    assert all((home / name).stat().st_size == 0 for name in new)


@pytest.mark.parametrize("args", [("status",), ("generate", "--type", "arith", "-n", "1")])
@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_database_or_data_folder_is_named(invoke, home, plugins, args, read_only):
    path = migrated(home, plugins)
    target = path if read_only == "file" else home
    before = fingerprint(home)
    target.chmod(0o555 if read_only == "folder" else 0o444)  # root writes anyway: the mode says
    try:
        result = invoke(*args)
    finally:
        target.chmod(0o755 if read_only == "folder" else 0o644)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        (
            f"Error: {target} is read-only: modelforge writes its database there; make it "
            f"writable (chmod u+w {target}) or choose another data directory with --home"
        )
    ]
    assert fingerprint(home) == before


def test_home_that_is_a_file_is_named(invoke, tmp_path, monkeypatch):
    file = tmp_path / "a-file"
    file.write_text("x")
    monkeypatch.setenv("MODELFORGE_HOME", str(file))
    result = invoke("status")
    assert result.exit_code == 1
    assert f"data directory {file} (from MODELFORGE_HOME) is a file, not a folder" in result.stderr
    assert file.read_text() == "x"
    monkeypatch.setenv("MODELFORGE_HOME", str(file / "below"))
    result = invoke("status")
    assert result.exit_code == 1
    assert f"cannot create the data directory {file / 'below'}" in result.stderr


def test_data_dir_that_is_a_file_is_named(invoke, tmp_path, monkeypatch):
    file = tmp_path / "a-file"
    file.write_text("x")
    config = tmp_path / "c.toml"
    config.write_text(f'[core]\ndata_dir = "{file}"\n')
    monkeypatch.delenv("MODELFORGE_HOME")
    result = invoke("--config", str(config), "status")
    assert result.exit_code == 1
    assert f"data directory {file} (from {config} [core] data_dir) is a file" in result.stderr


def test_a_config_file_that_is_not_utf8_is_named(invoke, home):
    home.mkdir()
    (home / "config.toml").write_bytes(b'[core]\nlog_level = "\xff\xfe"\n')
    result = invoke("status")
    assert result.exit_code == 1
    assert f"{home / 'config.toml'}: not UTF-8 text (byte 20): save it as UTF-8" in result.stderr


def test_a_config_file_that_is_a_folder_is_named(invoke, home, monkeypatch):
    (home / "config.toml").mkdir(parents=True)
    result = invoke("status")
    assert result.exit_code == 1
    assert f"{home / 'config.toml'} is a folder, not a config file" in result.stderr
    monkeypatch.setenv("MODELFORGE_CONFIG", str(home / "config.toml"))
    assert "is a folder, not a config file" in invoke("status").stderr
    assert invoke("--config", str(home / "config.toml"), "status").exit_code == 2


def test_an_unreadable_config_file_is_named(invoke, home, monkeypatch):
    config = home / "config.toml"
    home.mkdir()
    config.write_text("[types.arith]\n")
    original_text, original_bytes = Path.read_text, Path.read_bytes

    def refuse(original):  # root reads a file of mode 000 anyway, so refuse as a user's read
        def read(self, *args, **kwargs):
            if self == config:
                raise PermissionError(13, "Permission denied", str(self))
            return original(self, *args, **kwargs)

        return read

    monkeypatch.setattr(Path, "read_text", refuse(original_text))
    monkeypatch.setattr(Path, "read_bytes", refuse(original_bytes))
    result = invoke("status")
    assert result.exit_code == 1
    assert f"{config}: cannot read it: Permission denied" in result.stderr


def test_a_closed_pipe_ends_quietly(home):
    process = subprocess.Popen(
        [sys.executable, "-m", "modelforge", "config", "show"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "MODELFORGE_LOAD_PLUGINS": "arith"},
    )
    process.stdout.close()  # like `| head` finishing before the first line is written
    _, stderr = process.communicate(timeout=120)
    assert (process.returncode, stderr) == (0, b"")
