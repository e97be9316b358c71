"""The `generate` stage: three-model collaboration producing verified trajectories."""

from modelforge import hookimpl


@hookimpl
def register_config_sections(register):
    from modelforge_generate.settings import GenerateSettings

    register("generate", GenerateSettings)


@hookimpl
def register_commands(cli):
    from modelforge_generate.cli import command

    cli.add_command(command)


@hookimpl
def generate(model_type, ctx):
    from modelforge_generate.stage import run_stage

    return run_stage(model_type, ctx)


@hookimpl
def checklist_evidence(item, db, config):
    if item != "generation":
        return None
    from modelforge_generate.evidence import generation_evidence

    return generation_evidence(db, config.enabled_types)


@hookimpl
def publish_contract():
    from modelforge_generate.contract import CONTRACT

    return CONTRACT


@hookimpl
def chat_backend(role, config):
    from modelforge_generate.backends import for_role

    return for_role(config.section("generate"), role)
