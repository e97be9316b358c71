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


PLAN_EXAMPLE = "<!-- audit-plan-example -->"


def plan_example_text() -> str:
    """The `[audit]` example of docs/audit.md: this project's own plan names."""
    doc = (Path(__file__).parents[2] / "docs" / "audit.md").read_text(encoding="utf-8")
    block = doc.split(PLAN_EXAMPLE, 1)[1].split("```toml\n", 1)[1]
    return block.split("```", 1)[0]


@pytest.fixture
def plan_settings():
    """AuditSettings with the plan names of docs/audit.md's example."""
    import tomllib

    from modelforge_audit.settings import AuditSettings

    return AuditSettings.model_validate(tomllib.loads(plan_example_text())["audit"])


@pytest.fixture
def plan_config(write_config):
    """The config.toml of the next commands holds docs/audit.md's plan example."""
    write_config(plan_example_text())
