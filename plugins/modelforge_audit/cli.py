"""`modelforge audit PATH...`: report old-style training tasks; mark or archive them."""

from __future__ import annotations

import json
from pathlib import Path

import click

from modelforge.cli.output import app_of
from modelforge.errors import ModelforgeError


@click.command("audit")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="How to print the findings.",
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False),
    help="Also write the Markdown audit document to FILE.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Per finding, the evidence that decided it and the evidence weighed against it.",
)
@click.option(
    "--apply",
    "apply_marks",
    is_flag=True,
    help="Mark the tasks in the files (status line, struck-through text, notes).",
)
@click.option(
    "--archive",
    "archive_tasks",
    is_flag=True,
    help="Move marked deprecated tasks into an archive file beside each original.",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --archive: archive even if the new pipeline "
    "is not yet proven by two evaluation cycles without a regression.",
)
@click.pass_context
def command(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str,
    report_file: str | None,
    explain: bool,
    apply_marks: bool,
    archive_tasks: bool,
    force: bool,
) -> None:
    """Find every task in the Markdown files under PATH that describes old-style training,
    and say what to do with it: deprecate, enhance, update or review.

    Read-only unless --apply or --archive is given. Exit 1 when nothing could be audited.
    """
    from modelforge_audit import report
    from modelforge_audit.run import audit_and_store

    if force and not archive_tasks:
        raise click.UsageError("--force goes with --archive")
    if apply_marks and archive_tasks:
        raise click.UsageError("--apply and --archive are separate steps; run --apply first")
    app = app_of(ctx)
    settings = app.config.section("audit")
    data = audit_and_store(
        app.db,
        settings,
        list(paths),
        apply_marks,
        archive_tasks,
        force,
        config=app.config,
        plugins=app.plugins,
    )
    for problem in data["problems"]:
        click.echo(f"warning: {problem['file']}: {problem['message']}", err=True)
    if data["summary"]["files"] == 0:
        raise ModelforgeError("nothing could be audited under " + ", ".join(paths))
    document = None
    if report_file or fmt == "markdown":
        document = report.markdown(data, settings, list(paths))
    if report_file:
        write_report(Path(report_file), document)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(document, nl=False)
    else:
        click.echo(report.text(data, explain))


def write_report(target: Path, document: str) -> None:
    from modelforge_audit.writing import ReadOnly, replace_bytes

    try:
        old = target.read_bytes() if target.exists() else None
        replace_bytes(target, document.encode("utf-8"), old)
    except ReadOnly as why:
        raise ModelforgeError(f"cannot write the report {target}: {why}; left as it is") from None
    except OSError as exc:
        raise ModelforgeError(f"cannot write the report {target}: {exc.strerror or exc}") from None
