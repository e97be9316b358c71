"""`modelforge serve`, and `modelforge adapters load|unload|list` that talk to a running server."""

from __future__ import annotations

from typing import Any

import click

from modelforge.cli.output import app_of, emit, json_option


@click.command("serve")
@click.option("--host", help="Address to bind (default [serve] host, 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), help="Port (default [serve] port, 8765).")
@click.option(
    "--vllm",
    "print_vllm",
    is_flag=True,
    help="Print the `vllm serve` commands that serve the same adapters on a GPU, "
    "and exit; nothing is started.",
)
@json_option
@click.pass_context
def serve_command(ctx, host, port, print_vllm, as_json):
    """Serve registered local models and SRL→RLVR adapters over the OpenAI chat API."""
    app = app_of(ctx)
    settings = app.config.section("serve")
    if print_vllm:
        from modelforge_serve.routing import Router
        from modelforge_serve.vllm import vllm_plan

        plan = vllm_plan(Router(app), settings, host or settings.host, port or settings.port)
        emit(
            {
                "commands": [
                    {"base": c.base, "argv": c.argv, "env": c.env, "shell": c.shell()}
                    for c in plan.commands
                ],
                "refused": plan.refused,
            },
            as_json,
            render_vllm,
        )
        return
    import logging

    from modelforge_serve.server import build_server

    logging.basicConfig(
        level=app.config.section("core").log_level,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    server = build_server(app, host, port)
    auth = "bearer token required" if server.httpd.token else "no token (loopback)"
    click.echo(f"modelforge serve: {server.url}/v1 ({auth}); Ctrl-C stops", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("modelforge serve: stopped", err=True)


def render_vllm(plan: dict[str, Any]) -> None:
    if not plan["commands"]:
        click.echo("no servable adapters in the registry")
    for item in plan["commands"]:
        click.echo(f"# adapters on {item['base']}")
        click.echo(item["shell"])
    for name, why in plan["refused"].items():
        click.echo(f"# left out {name}: {why}")


@click.group("adapters")
def adapters_group():
    """Load, unload and list the adapters resident in a running `modelforge serve`."""


def _url_option(command):
    return click.option("--url", help="The server (default http://[serve] host:port).")(command)


def _call(ctx, url: str | None, path: str, body: dict | None = None) -> dict[str, Any]:
    from modelforge_serve.client import call

    settings = app_of(ctx).config.section("serve")
    return call(url or f"http://{settings.host}:{settings.port}", path, settings.token_env, body)


@adapters_group.command("list")
@_url_option
@json_option
@click.pass_context
def list_command(ctx, url, as_json):
    """The resident bases and adapters, least recently used first."""
    emit(_call(ctx, url, "/admin/adapters"), as_json, render_listing)


@adapters_group.command("load")
@click.argument("name")
@_url_option
@json_option
@click.pass_context
def load_command(ctx, name, url, as_json):
    """Load adapter NAME from the registry (or refresh it from its registered folder)."""
    answer = _call(ctx, url, "/admin/adapters", {"action": "load", "model": name})
    emit(answer, as_json, lambda a: click.echo(f"loaded {a['model']} into {a['slot']}"))


@adapters_group.command("unload")
@click.argument("name")
@_url_option
@json_option
@click.pass_context
def unload_command(ctx, name, url, as_json):
    """Unload adapter NAME now (a later request for it loads it again)."""
    answer = _call(ctx, url, "/admin/adapters", {"action": "unload", "model": name})
    emit(
        answer,
        as_json,
        lambda a: click.echo(
            f"unloaded {a['model']}" if a["unloaded"] else f"{a['model']} was not loaded"
        ),
    )


def render_listing(listing: dict[str, Any]) -> None:
    for base in listing["bases"]:
        click.echo(base["base"])
        for adapter in base["adapters"]:
            click.echo(f"  {adapter['model']} ({adapter['slot']}) {adapter['path']}")
    click.echo(
        f"at most {listing['max_resident_adapters']} adapters per base; "
        f"counters: {listing['counters']}"
    )
