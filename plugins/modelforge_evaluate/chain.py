"""A model's line of training: the artifact it is, the artifact that one started from, and so
on down to the base, through each artifact's lineage `from_artifact`."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from modelforge.db import Database
from modelforge.models import Artifact
from modelforge_evaluate.tables import FixedTestRun


def ancestry(db: Database, artifact_id: int) -> list[Artifact]:
    """The artifact and every one it was trained from, newest first (a loop ends it)."""
    chain: list[Artifact] = []
    seen: set[int] = set()
    current: int | None = artifact_id
    with db.session() as session:
        while current is not None and current not in seen:
            seen.add(current)
            artifact = session.get(Artifact, current)
            if artifact is None:
                break
            chain.append(artifact)
            current = (artifact.lineage or {}).get("from_artifact")
    return chain


def links(db: Database, artifact_id: int) -> list[dict[str, Any]]:
    """Each link's artifact, kind, cycle and pass rates (held-out after its training, and on
    the fixed test set where it was scored), ending with the base."""
    chain = ancestry(db, artifact_id)
    with db.session() as session:
        tested = {
            run.artifact_id: run
            for run in session.exec(
                select(FixedTestRun).where(
                    FixedTestRun.artifact_id.in_([a.id for a in chain])  # type: ignore[union-attr]
                )
            ).all()
        }
    out = []
    for artifact in chain:
        lineage = artifact.lineage or {}
        held = (lineage.get("metrics") or {}).get("held_out_after") or {}
        test = tested.get(artifact.id)
        out.append(
            {
                "artifact_id": artifact.id,
                "kind": artifact.kind,
                "cycle": artifact.cycle_id,
                "stages": lineage.get("stages"),
                "held_out_pass_rate": held.get("overall"),
                "test_pass_rate": round(test.passed / test.samples, 4)
                if test and test.samples
                else None,
                "started_from": lineage.get("from_artifact"),
                "why": (lineage.get("start") or {}).get("why"),
            }
        )
    base = (chain[-1].lineage or {}).get("base_model") if chain else None
    if base:
        out.append({"base": base.get("name"), "hash": base.get("hash")})
    return out


def render(data: dict[str, Any]) -> None:
    import click

    click.echo(f"{data['name']} ({data['status']})")
    for link in data["lineage"]:
        if "base" in link:
            click.echo(f"  base {link['base']}")
            continue
        rates = [
            f"{label} {link[key]:.3f}"
            for label, key in (("held-out", "held_out_pass_rate"), ("test", "test_pass_rate"))
            if link[key] is not None
        ]
        click.echo(
            f"  artifact {link['artifact_id']} {link['kind']}, cycle {link['cycle']}: "
            + (", ".join(rates) or "no pass rate")
        )
