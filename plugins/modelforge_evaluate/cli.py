"""Commands: eval, curve, weaknesses, select, promote, models (list, show, import, export)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from modelforge.cli.output import app_of, emit, json_option
from modelforge.errors import ModelforgeError, StageSkipped


@click.command("eval")
@click.option("--type", "model_type", required=True, help="Model type to report or evaluate.")
@click.option("--model", "model_name", help="One registered model (default: every evaluated one).")
@click.option(
    "--run",
    "run_now",
    is_flag=True,
    help="Evaluate now on a fresh held-out set instead of showing the latest results.",
)
@click.option(
    "--failures",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Also show this many failed samples per model.",
)
@json_option
@click.pass_context
def eval_command(ctx, model_type, model_name, run_now, failures, as_json):
    """Pass rates per category, with Wilson intervals, of each model's latest evaluation."""
    from modelforge.plugins import model_types
    from modelforge_evaluate import reports
    from modelforge_evaluate.evaluation import evaluate_type

    app = app_of(ctx)
    found = model_types(app.plugins).get(model_type)
    if found is None:
        raise ModelforgeError(f"unknown model type '{model_type}'")
    if run_now:
        try:
            evaluate_type(app.db, app.config, found, None, only=model_name)
        except StageSkipped as exc:
            raise ModelforgeError(str(exc)) from None
    data = reports.evaluations(app.db, app.config, model_type, model_name, failures)
    emit(data, as_json, reports.render_evaluations)


@click.command("weaknesses")
@click.option("--type", "model_type", help="Only this model type.")
@json_option
@click.pass_context
def weaknesses_command(ctx, model_type, as_json):
    """Weak categories now, recent regressions and trends, with their evidence."""
    from modelforge_evaluate import reports

    app = app_of(ctx)
    if model_type is not None:
        app.known_type(model_type)
    data = reports.weaknesses(app.db, model_type)
    emit(data, as_json, reports.render_weaknesses)


@click.command("select")
@click.option("--responsibility", help="Only this responsibility (default: every configured one).")
@json_option
@click.pass_context
def select_command(ctx, responsibility, as_json):
    """The model each responsibility uses now and why: every candidate with its figures."""
    from modelforge_evaluate import choice, reports
    from modelforge_evaluate.responsibilities import named
    from modelforge_evaluate.stages import categories_of

    app = app_of(ctx)
    if responsibility is not None:
        named(app.config, responsibility)
    answers = choice.all_answers(app.db, app.config, categories_of(app.plugins), responsibility)
    emit(
        answers if responsibility is None else answers[0],
        as_json,
        lambda data: reports.render_decisions(data if isinstance(data, list) else [data]),
    )


@click.command("promote")
@click.option(
    "--rollback",
    "responsibility",
    required=True,
    metavar="R",
    help="Put the previous model of responsibility R back in service.",
)
@json_option
@click.pass_context
def promote_command(ctx, responsibility, as_json):
    """Roll a responsibility back to the model it had before its last promotion."""
    from modelforge_evaluate import promotion

    done = promotion.rollback(app_of(ctx).db, responsibility)
    emit(
        done,
        as_json,
        lambda d: click.echo(
            f"{d['responsibility']}: {d['model']} serves again (was {d['previous']})"
        ),
    )


@click.group("models")
def models_group():
    """The model registry: trained, paid and prompted models, and imported ones."""


@models_group.command("list")
@click.option("--type", "model_type", help="Only this model type.")
@json_option
@click.pass_context
def models_list(ctx, model_type, as_json):
    """Every model with lineage, tier, price, scores and status."""
    from modelforge_evaluate import reports

    app = app_of(ctx)
    data = reports.models(app.db, app.config, model_type)
    emit(data, as_json, reports.render_models)


@models_group.command("show")
@click.argument("name")
@click.option("--lineage", is_flag=True, help="The line of training down to the base.")
@json_option
@click.pass_context
def models_show(ctx, name, lineage, as_json):
    """One registered model; --lineage: each artifact it was trained from, with its cycle and
    pass rates, down to the base."""
    from modelforge.registry import get_model
    from modelforge_evaluate import chain, reports

    app = app_of(ctx)
    entry = get_model(app.db, name)
    if entry is None:
        raise ModelforgeError(f"no model named '{name}' is registered (`modelforge models list`)")
    if not lineage:
        shown = [
            m for m in reports.models(app.db, app.config, entry.model_type) if m["name"] == name
        ]
        emit(shown[0], as_json, lambda m: reports.render_models([m]))
        return
    links = chain.links(app.db, entry.artifact_id) if entry.artifact_id is not None else []
    emit({"name": name, "status": entry.status, "lineage": links}, as_json, chain.render)


@click.command("curve")
@click.option("--type", "model_type", help="Only this model type (default: every enabled one).")
@click.option(
    "--plot",
    "plot_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the curve as a PNG or SVG (by suffix; needs the [plot] extra).",
)
@json_option
@click.pass_context
def curve_command(ctx, model_type, plot_file, as_json):
    """Each cycle's trained model on the type's fixed test set (Wilson intervals, overall and
    per difficulty), with the cycle's mean SRL and RLVR training rewards."""
    from modelforge.stats import z_for
    from modelforge_evaluate import curve

    app = app_of(ctx)
    if plot_file is not None and plot_file.suffix.lower() not in (".png", ".svg"):
        raise click.UsageError(f"--plot writes .png or .svg, not '{plot_file.suffix or plot_file}'")
    types = [model_type] if model_type else sorted(app.config.enabled_types)
    z = z_for(app.config.section("evaluate").confidence)
    data = {t: curve.points(app.db, app.plugins, t, z) for t in types}
    if plot_file is not None:
        curve.plot(data, plot_file)
    emit(data, as_json, curve.render)


@models_group.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--name", help="Registry name (default: imported/<folder or file name>).")
@click.option("--type", "model_type", help="The model type it answers for.")
@json_option
@click.pass_context
def models_import(ctx, path, name, model_type, as_json):
    """Register a model, adapter or GGUF file trained elsewhere; flagged must_retrain.

    A .gguf file is served as it is, by llama.cpp (the [llamacpp] extra)."""
    entry = import_model(app_of(ctx).db, path, name, model_type)
    emit(
        entry,
        as_json,
        lambda e: click.echo(
            f"registered {e['name']} ({'adapter' if e['adapter'] else 'model'}) as {e['status']}: "
            "it was not trained through SRL→RLVR, so it is never selected"
        ),
    )


@models_group.command("export")
@click.argument("name")
@click.option(
    "--format", "fmt", type=click.Choice(["gguf", "hf"]), default="gguf", show_default=True,
    help="gguf: one file for llama.cpp and Ollama, with a Modelfile; hf: a merged HF folder.",
)  # fmt: skip
@click.option(
    "--type", "quant_type", type=click.Choice(["f32", "f16", "q8_0"]), default="f16",
    show_default=True, help="The GGUF's weight type (norms stay f32).",
)  # fmt: skip
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write into (default: <data>/exports/NAME-TYPE, or <data>/exports).",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Replace files an earlier export wrote there.")
@click.option(
    "--register", is_flag=True,
    help="Also register the GGUF as model NAME-gguf-TYPE, which `serve` answers with llama.cpp.",
)  # fmt: skip
@json_option
@click.pass_context
def models_export(ctx, name, fmt, quant_type, out, force, register, as_json):
    """Write model NAME (an adapter merged into its base, or full weights) as GGUF or HF."""
    from modelforge.model_export import export

    app = app_of(ctx)
    if register and fmt != "gguf":
        raise click.UsageError(
            "--register needs --format gguf (an HF folder registers with `models import`)"
        )
    done = export(
        app.db, app.config.data_dir, name, fmt, quant_type, out, force=force, register=register
    )
    emit(done, as_json, render_export)


def render_export(done: dict[str, Any]) -> None:
    what = f"{done['format']} {done['type']}" if done["type"] else done["format"]
    merged = " (adapter merged into its base)" if done["merged_adapter"] else ""
    click.echo(
        f"exported {done['model']}{merged} as {what} to {done['path']} "
        f"({done['size_bytes']:,} bytes, sha256 {done['sha256'][:12]}, {done['seconds']} s)"
    )
    if done["modelfile"]:
        click.echo(f"Ollama: ollama create NAME -f {done['modelfile']}")
    if done.get("registered"):
        click.echo(
            f"registered as {done['registered']}: `modelforge serve` answers it with llama.cpp"
        )


def import_model(db, path: Path, name: str | None, model_type: str | None) -> dict[str, Any]:
    """Register the model or adapter folder, or the GGUF file, at path as must_retrain.

    Whatever lineage file the folder carries is kept as `source_lineage` but never trusted: an
    imported model did not go through this project's SRL→RLVR stages, so it must be retrained.
    A GGUF file is registered as it is: `serve` answers with it through llama.cpp.
    """
    from modelforge.registry import get_model, register_model

    path = path.resolve()
    is_gguf = path.is_file() and path.suffix == ".gguf"
    fields = _gguf_fields(path) if is_gguf else _folder_fields(path)
    name = name or f"imported/{path.name}"
    if get_model(db, name) is not None:
        raise ModelforgeError(f"a model named '{name}' is already registered (use --name)")
    entry = register_model(
        db, name, "local", model_type=model_type, path=str(path), status="must_retrain", **fields
    )
    return _imported(entry)


def _folder_fields(folder: Path) -> dict[str, Any]:
    """A Hugging Face model or peft adapter folder's registry fields."""
    from modelforge.registry import LINEAGE_FILE

    adapter_config = folder / "adapter_config.json"
    if not adapter_config.exists() and not (folder / "config.json").exists():
        raise ModelforgeError(
            f"{folder} holds no config.json or adapter_config.json: not a "
            "Hugging Face model or peft adapter folder, nor a .gguf file"
        )
    base = None
    if adapter_config.exists():
        base = json.loads(adapter_config.read_text()).get("base_model_name_or_path")
    source = next(
        (folder / f for f in (LINEAGE_FILE, "lineage.json") if (folder / f).exists()), None
    )
    lineage = {
        "imported_from": str(folder),
        "source_lineage": json.loads(source.read_text()) if source else None,
    }
    return {"base": base, "adapter": adapter_config.exists(), "lineage": lineage}


def _gguf_fields(file: Path) -> dict[str, Any]:
    """A GGUF file's registry fields; one line and exit 1 for a file that is not a GGUF model."""
    from modelforge.gguf_import import inspect

    info = inspect(file)
    return {
        "lineage": {"imported_from": str(file), "format": "gguf", "quant_type": info.quant_type}
    }


def _imported(entry) -> dict[str, Any]:
    return {
        "name": entry.name,
        "path": entry.path,
        "adapter": entry.adapter,
        "model_type": entry.model_type,
        "status": entry.status,
        "base": entry.base,
    }


COMMANDS = (
    eval_command,
    curve_command,
    weaknesses_command,
    select_command,
    promote_command,
    models_group,
)
