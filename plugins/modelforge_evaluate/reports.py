"""What the read commands print: data for --json, and the text renderings of it."""

from __future__ import annotations

import math
from typing import Any

import click
from sqlmodel import col, select

from modelforge.config import Config
from modelforge.db import Database
from modelforge.models import Event
from modelforge.registry import list_models
from modelforge.stats import z_for
from modelforge_evaluate import results
from modelforge_evaluate.candidates import blocked_reason
from modelforge_evaluate.choice import incumbents
from modelforge_evaluate.tables import Regression, Weakness

RECENT = 20


def _z(config: Config) -> float:
    return z_for(config.section("evaluate").confidence)


def evaluations(
    db: Database, config: Config, model_type: str, model_name: str | None, failures: int
) -> list[dict[str, Any]]:
    latest = results.latest_run_ids(db, model_type)
    if model_name is not None:
        latest = {k: v for k, v in latest.items() if k == model_name}
    runs = {r.id: r for r in results.runs(db, model_type=model_type) if r.id in latest.values()}
    scores = results.scores_of(db, list(runs))
    out = []
    for run_id in sorted(runs):
        entry = results.summary(runs[run_id], scores[run_id], _z(config))
        if failures:
            entry["failures"] = results.failures(db, run_id, failures)
        out.append(entry)
    return out


def render_evaluations(data: list[dict[str, Any]]) -> None:
    if not data:
        click.echo("no evaluation stored yet (run a cycle, or `modelforge eval --type T --run`)")
    for entry in data:
        cycle = f"cycle {entry['cycle_id']}" if entry["cycle_id"] is not None else "by hand"
        click.echo(
            f"{entry['model']} ({cycle}, held-out set {entry['heldout_set']}): "
            f"{_pct(entry['overall'])}"
        )
        for category, score in entry["by_category"].items():
            click.echo(f"  {category:<20} {_pct(score)}")
        if entry["step_similarity"] is not None:
            click.echo(f"  step similarity      {entry['step_similarity']:.3f}")
        for failure in entry.get("failures", []):
            click.echo(
                f"  ✗ {failure['input'].strip()!r} -> {failure['output'][:60]!r} "
                f"[{failure['rule']}: {failure['reason']}]"
            )


def _pct(score: dict[str, Any]) -> str:
    if score.get("rate") is None:
        return "no samples"
    return f"{score['rate']:.1%} [{score['low']:.1%}, {score['high']:.1%}] of {score['n']}"


def weaknesses(db: Database, model_type: str | None) -> dict[str, Any]:
    with db.session() as session:
        weak = select(Weakness).order_by(col(Weakness.severity).desc())
        drops = select(Regression).order_by(col(Regression.id).desc()).limit(RECENT)
        trends = (
            select(Event)
            .where(Event.kind == "track.trend")
            .order_by(col(Event.id).desc())
            .limit(RECENT)
        )
        if model_type is not None:
            weak = weak.where(Weakness.model_type == model_type)
            drops = drops.where(Regression.model_type == model_type)
        weak_rows, drop_rows = session.exec(weak).all(), session.exec(drops).all()
        trend_rows = session.exec(trends).all()
    return {
        "weaknesses": [
            {
                "model_type": w.model_type,
                "category": w.category,
                "severity": w.severity,
                "model": w.model_name,
                "cycle_id": w.cycle_id,
                "evidence": w.evidence,
            }
            for w in weak_rows
        ],
        "regressions": [
            {
                "model_type": r.model_type,
                "model": r.model_name,
                "category": r.category,
                "cycle_id": r.cycle_id,
                "evidence": r.evidence,
            }
            for r in drop_rows
        ],
        "trends": [
            dict(e.data or {}, cycle_id=e.cycle_id)
            for e in trend_rows
            if model_type is None or (e.data or {}).get("model_type") == model_type
        ],
    }


def render_weaknesses(data: dict[str, Any]) -> None:
    if not data["weaknesses"]:
        click.echo("no weak category recorded")
    for w in data["weaknesses"]:
        click.echo(
            f"{w['model_type']}/{w['category']}: severity {w['severity']:.2f} "
            f"({w['model']}, cycle {w['cycle_id']}): {'; '.join(w['evidence']['why'])}"
        )
    for r in data["regressions"]:
        e = r["evidence"]
        click.echo(
            f"regression {r['model']} {r['category']} in cycle {r['cycle_id']}: "
            f"{_pct(e['before'])} -> {_pct(e['after'])} (against {e['baseline_model']})"
        )
    for t in data["trends"]:
        click.echo(
            f"trend {t['model_type']} {t['category']}: {t['slope_per_cycle']:+.3f} per "
            f"cycle over cycles {t['cycles']} ({t['rates']})"
        )


def render_decisions(answers: list[dict[str, Any]]) -> None:
    for a in answers:
        click.echo(
            f"{a['responsibility']} ({a['model_type']}, rule {a['rule']}): "
            f"{a['model'] or 'no model'} — {a['why']}"
        )
        for r in a["reasons"]:
            q = r["quality"]
            quality = (
                f"{q['rate']:.1%} [{q['low']:.1%}, {q['high']:.1%}] n={q['n']}"
                if q["rate"] is not None
                else "not evaluated"
            )
            mark = "→" if r["chosen"] else " "
            cost = "?" if r["cost_per_call"] is None else f"{r['cost_per_call']:.6f}"
            latency = "?" if r["latency_ms"] is None else f"{r['latency_ms']:.0f} ms"
            click.echo(
                f"  {mark} {r['model']:<28} {quality}  cost/call {cost}  {latency}  "
                f"utility {r['utility']}" + (f"  ✗ {'; '.join(r['failed'])}" if r["failed"] else "")
            )
        if a["exploration"]["models"]:
            click.echo(
                f"  exploring on {a['exploration']['share']:.0%} of traffic: "
                f"{', '.join(a['exploration']['models'])}"
            )


def base_name(base: dict[str, Any] | str | None) -> str | None:
    """A local artifact's lineage holds its base as {name, hash}; a provider's fine-tuned
    model's (modelforge_finetune), as the provider's model id."""
    return base.get("name") if isinstance(base, dict) else base


def models(db: Database, config: Config, model_type: str | None) -> list[dict[str, Any]]:
    latest = results.latest_run_ids(db)
    runs = {r.id: r for r in results.runs(db) if r.id in set(latest.values())}
    scores = results.scores_of(db, list(runs))
    serving: dict[str, list[str]] = {}
    for responsibility, name in incumbents(db).items():
        serving.setdefault(name, []).append(responsibility)
    out = []
    for e in list_models(db, model_type):
        run_id = latest.get(e.name)
        lineage = e.lineage or {}
        out.append(
            {
                "name": e.name,
                "kind": e.kind,
                "model_type": e.model_type,
                "tier": e.tier,
                "status": e.status,
                "must_retrain": blocked_reason(e) is not None
                and e.status != "stale"
                and e.status != "retired",
                "provider": e.provider,
                "path": e.path,
                "adapter": e.adapter,
                "base": e.base,
                "lineage": {
                    "stages": lineage.get("stages"),
                    "base_model": base_name(lineage.get("base_model")),
                    "rules_version": lineage.get("rules_version"),
                    "cycle_id": lineage.get("cycle_id"),
                    "imported_from": lineage.get("imported_from"),
                },
                "price_per_1k_tokens": e.price_per_1k_tokens,
                "cpu_seconds_per_1k_tokens": e.cpu_seconds_per_1k_tokens,
                "latency_ms": e.latency_ms,
                "scores": results.summary(runs[run_id], scores[run_id], _z(config))
                if run_id in runs
                else None,
                "serves": sorted(serving.get(e.name, [])),
            }
        )
    return out


def render_models(data: list[dict[str, Any]]) -> None:
    if not data:
        click.echo("no model registered yet")
    for m in data:
        stages = "→".join(m["lineage"]["stages"] or []) or "no SRL→RLVR lineage"
        score = _pct(m["scores"]["overall"]) if m["scores"] else "not evaluated"
        price = (
            f"{_figure(m['price_per_1k_tokens'])}/1k tokens"
            if m["price_per_1k_tokens"] is not None
            else f"{_figure(m['cpu_seconds_per_1k_tokens'])} CPU s/1k tokens"
            if m["cpu_seconds_per_1k_tokens"] is not None
            else "cost not measured"
        )
        latency = f"; {m['latency_ms']:.0f} ms" if m["latency_ms"] is not None else ""
        flag = "  MUST BE RETRAINED" if m["must_retrain"] else ""
        serves = f"  serves {', '.join(m['serves'])}" if m["serves"] else ""
        click.echo(
            f"{m['name']} [{m['kind']}, {m['tier'] or '-'}, {m['status']}] {stages}; "
            f"{score}; {price}{latency}{serves}{flag}"
        )


def _figure(value: float, significant: int = 3) -> str:
    """VALUE to a few significant digits, never in scientific notation (prices per 1k tokens
    run to 0.0000375); --json keeps the full precision."""
    if value == 0:
        return "0"
    decimals = max(0, significant - 1 - math.floor(math.log10(abs(value))))
    shown = f"{value:.{decimals}f}"
    return shown.rstrip("0").rstrip(".") if decimals else shown
