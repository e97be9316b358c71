"""The `evaluate`, `track` and `select` stages, model selection for the server, the registry
commands and lifecycle webhooks. Hooks only: the work lives in the modules they import."""

from __future__ import annotations

from pathlib import Path

from modelforge import hookimpl


@hookimpl
def register_config_sections(register):
    from modelforge_evaluate import settings

    register("evaluate", settings.EvaluateSettings)
    register("track", settings.TrackSettings)
    register("select", settings.SelectSettings)
    register("webhooks", settings.WebhooksSettings)


@hookimpl
def register_migrations():
    return str(Path(__file__).resolve().parent / "migrations")


@hookimpl
def register_commands(cli):
    from modelforge_evaluate import cli as commands

    for command in commands.COMMANDS:
        cli.add_command(command)


@hookimpl
def evaluate(model_type, ctx):
    from modelforge_evaluate import stages

    return stages.evaluate(model_type, ctx)


@hookimpl
def track(model_type, ctx):
    from modelforge_evaluate import track_stage

    return track_stage.run(model_type, ctx)


@hookimpl
def select(model_type, ctx):
    from modelforge_evaluate import stages

    return stages.select(model_type, ctx)


@hookimpl
def choose_model(responsibility, db, config):
    from modelforge_evaluate.choice import choose

    return choose(responsibility, db, config)


@hookimpl
def champion(model_type, db):
    from modelforge_evaluate import champion as chosen

    return chosen.answer(db, model_type)


@hookimpl
def checklist_evidence(item, db, config):
    if item not in ("tracking", "selection"):
        return None
    from modelforge_evaluate import checklist

    return checklist.evidence(item, db, config)


@hookimpl
def publish_contract():
    from modelforge_evaluate.contract import CONTRACT

    return CONTRACT
