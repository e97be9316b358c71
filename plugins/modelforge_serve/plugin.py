"""The serve plugin: `modelforge serve`, `modelforge adapters` and the [serve] config table.

Hooks only: `modelforge --help` imports this module, so the server, torch, transformers and
peft are imported by the modules these hooks call, on use.
"""

from modelforge import hookimpl


@hookimpl
def register_config_sections(register):
    from modelforge_serve.settings import ServeSettings

    register("serve", ServeSettings)


@hookimpl
def register_commands(cli):
    from modelforge_serve.cli import adapters_group, serve_command

    cli.add_command(serve_command)
    cli.add_command(adapters_group)
