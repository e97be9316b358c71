"""Fixture task trees for the auditor: the shipped one, copied so that tests may write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def tree(tmp_path) -> Path:
    """A writable copy of fixtures/tasks: every action, the traps, files already marked."""
    target = tmp_path / "tasks"
    shutil.copytree(FIXTURES / "tasks", target)
    return target


@pytest.fixture
def settings():
    from modelforge_audit.settings import AuditSettings

    return AuditSettings()


@pytest.fixture
def write_config(home):
    """write_config(text): the config.toml every command of the test then reads."""

    def write(text: str) -> None:
        home.mkdir(parents=True, exist_ok=True)
        (home / "config.toml").write_text(text, encoding="utf-8")

    return write
