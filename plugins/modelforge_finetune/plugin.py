"""Paid-provider fine-tuning: the `finetune_remote` stage, `modelforge providers`,
`modelforge finetune`, the [finetune] table and the jobs table.

Hooks only: the provider SDKs are imported by the modules these hooks call, on use.
"""

from __future__ import annotations

from pathlib import Path

from modelforge import hookimpl


@hookimpl
def register_commands(cli):
    from modelforge_finetune.cli import command, providers_command

    cli.add_command(command)
    cli.add_command(providers_command)


@hookimpl
def register_config_sections(register):
    from modelforge_finetune.settings import FinetuneSettings

    register("finetune", FinetuneSettings)


@hookimpl
def register_migrations():
    return str(Path(__file__).resolve().parent / "migrations")


@hookimpl
def finetune_remote(model_type, ctx):
    from modelforge_finetune.stage import run

    return run(model_type, ctx)


@hookimpl
def checklist_evidence(item, db, config):
    if item != "paid":
        return None
    from modelforge_finetune.checklist import paid_item

    return paid_item(db)


@hookimpl
def publish_contract():
    from modelforge_finetune.contract import CONTRACT

    return CONTRACT
