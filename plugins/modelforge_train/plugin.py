"""The SRL and RLVR training stages, `modelforge train` and the [train] config table.

Hooks only; torch, transformers and TRL are imported by the modules these hooks call.
"""

from modelforge import hookimpl


@hookimpl
def register_config_sections(register):
    from modelforge_train.settings import TrainSettings

    register("train", TrainSettings)


@hookimpl
def register_commands(cli):
    from modelforge_train.base_cli import group
    from modelforge_train.cli import command

    cli.add_command(command)
    cli.add_command(group)


@hookimpl
def train_srl(model_type, ctx):
    from modelforge_train import srl

    return srl.run(model_type, ctx)


@hookimpl
def train_rlvr(model_type, ctx):
    from modelforge_train import rlvr

    return rlvr.run(model_type, ctx)


@hookimpl
def publish_contract():
    from modelforge_train.contract import CONTRACT

    return CONTRACT
