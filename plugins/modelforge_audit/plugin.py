"""The `audit` stage: find, classify and mark old-style training tasks in Markdown task files."""

from __future__ import annotations

from pathlib import Path

from modelforge import hookimpl


@hookimpl
def register_commands(cli):
    from modelforge_audit.cli import command

    cli.add_command(command)


@hookimpl
def register_config_sections(register):
    from modelforge_audit.settings import AuditSettings

    register("audit", AuditSettings)


@hookimpl
def register_migrations():
    return str(Path(__file__).resolve().parent / "migrations")


@hookimpl
def audit(ctx):
    from modelforge_audit.stage import run_stage

    return run_stage(ctx)


@hookimpl
def checklist_evidence(item, db, config):
    if item != "audit":
        return None
    from modelforge_audit.checklist import audit_item

    return audit_item(db, config.section("audit"))


@hookimpl
def publish_contract():
    from modelforge_audit.contract import CONTRACT

    return CONTRACT
