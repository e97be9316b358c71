"""The learning curve: each cycle's trained model on its type's fixed test set (Wilson
intervals, overall and per difficulty), beside that cycle's training rewards, read from the
trained artifacts' lineage under the names the trainer publishes."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from modelforge.contracts import published
from modelforge.db import Database
from modelforge.models import Artifact
from modelforge.stats import wilson
from modelforge_evaluate.tables import FixedTestRun, Regression


def points(db: Database, plugins, model_type: str, z: float) -> list[dict[str, Any]]:
    """One point per test run of the type, oldest cycle first."""
    with db.session() as session:
        runs = session.exec(
            select(FixedTestRun)
            .where(FixedTestRun.model_type == model_type)
            .order_by(col(FixedTestRun.cycle_id), col(FixedTestRun.id))
        ).all()
        regressed = set(
            session.exec(
                select(Regression.model_name, Regression.cycle_id).where(
                    Regression.model_type == model_type
                )
            ).all()
        )
    rewards = training_rewards(db, plugins, model_type)
    return [
        {
            "cycle": run.cycle_id,
            "model": run.model_name,
            "test_set": run.test_set_id,
            "pass_rate": wilson(run.passed, run.samples, z).as_dict(),
            "by_difficulty": {
                level: wilson(passed, n, z).as_dict()
                for level, (passed, n) in sorted(run.by_difficulty.items(), key=lambda i: int(i[0]))
            },
            "regressed": (run.model_name, run.cycle_id) in regressed,
            **rewards.get(run.cycle_id, {"srl_reward": None, "rlvr_reward": None}),
        }
        for run in runs
    ]


def training_rewards(db: Database, plugins, model_type: str) -> dict[int, dict[str, Any]]:
    """{cycle: {"srl_reward", "rlvr_reward"}}: each stage's mean training reward (step
    similarity for SRL, the verifier's outcome for RLVR); None where the trainer is absent."""
    contract = published(plugins)
    kinds = {
        "srl_reward": contract.artifact_kind("srl_model"),
        "rlvr_reward": contract.artifact_kind("rlvr_model"),
    }
    metrics_key = contract.result_key("training_metrics")
    reward_key = contract.result_key("training_reward")
    if not (metrics_key and reward_key) or None in kinds.values():
        return {}
    with db.session() as session:
        artifacts = session.exec(
            select(Artifact)
            .where(Artifact.model_type == model_type, col(Artifact.kind).in_(kinds.values()))
            .order_by(col(Artifact.id))
        ).all()
    out: dict[int, dict[str, Any]] = {}
    for artifact in artifacts:
        point = out.setdefault(artifact.cycle_id, {"srl_reward": None, "rlvr_reward": None})
        field = next(name for name, kind in kinds.items() if kind == artifact.kind)
        point[field] = ((artifact.lineage or {}).get(metrics_key) or {}).get(reward_key)
    return out


def render(data: dict[str, Any]) -> None:
    import click

    for model_type, curve in data.items():
        click.echo(f"{model_type}:" + ("" if curve else " no test-set scores yet"))
        for p in curve:
            rate = p["pass_rate"]
            levels = " ".join(f"{level}:{r['rate']:.2f}" for level, r in p["by_difficulty"].items())
            rewards = " ".join(
                f"{name} {p[key]:.3f}"
                for name, key in (("srl", "srl_reward"), ("rlvr", "rlvr_reward"))
                if p[key] is not None
            )
            click.echo(
                f"  cycle {p['cycle']}: {rate['rate']:.3f} [{rate['low']:.3f}, {rate['high']:.3f}]"
                f" of {rate['n']}  by level {levels}"
                + (f"  reward {rewards}" if rewards else "")
                + ("  (regressed)" if p["regressed"] else "")
            )


def plot(data: dict[str, Any], target) -> None:
    """A PNG or SVG (by the file's suffix) of every type's pass rate with its interval."""
    from modelforge.extras import require

    require("matplotlib", "modelforge curve --plot")
    import matplotlib

    matplotlib.use("Agg")
    import io

    import matplotlib.pyplot as plt

    from modelforge.artifacts import atomic_write_bytes

    figure, axes = plt.subplots(figsize=(7, 4))
    for model_type, curve in data.items():
        if not curve:
            continue
        cycles = [p["cycle"] for p in curve]
        rates = [p["pass_rate"]["rate"] for p in curve]
        axes.plot(cycles, rates, marker="o", label=model_type)
        axes.fill_between(
            cycles,
            [p["pass_rate"]["low"] for p in curve],
            [p["pass_rate"]["high"] for p in curve],
            alpha=0.2,
        )
    axes.set_xlabel("cycle")
    axes.set_ylabel("test pass rate")
    axes.set_ylim(0, 1)
    axes.legend()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=target.suffix.lstrip(".").lower())
    plt.close(figure)
    atomic_write_bytes(target, buffer.getvalue(), replace_file=True)
