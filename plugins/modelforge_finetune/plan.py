"""`finetune plan`: the plan's cost-benefit call, per provider option and for prompt optimisation.

For each option: the one-off cost (the next examples formatted for it, priced from the table),
the price per 1000 requests afterwards, and the quality gain (the latest measured score of a
model from the same provider and method where one exists, else the configured assumption).
The recommendation is the best gain per dollar over `plan_requests_k` thousand requests.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from modelforge.db import Database
from modelforge.errors import ModelforgeError
from modelforge.modeltype import ModelType
from modelforge_finetune import pricing, runner
from modelforge_finetune.jobs import FinetuneJob
from modelforge_finetune.providers.anthropic import BEDROCK, PROMPT
from modelforge_finetune.settings import FinetuneSettings

OPTIONS = (  # (option, provider, gain key)
    ("openai", "openai", "openai"),
    ("gemini", "gemini", "gemini"),
    ("anthropic-bedrock", "anthropic", "anthropic_bedrock"),
    ("anthropic-prompt", "anthropic", "prompt"),
)


def measured(db: Database, provider: str, method: str, model_type: str) -> float | None:
    with db.session() as session:
        job = session.exec(
            select(FinetuneJob)
            .where(
                FinetuneJob.provider == provider,
                FinetuneJob.method == method,
                FinetuneJob.model_type == model_type,
                FinetuneJob.status == "succeeded",
                col(FinetuneJob.score).is_not(None),
            )
            .order_by(col(FinetuneJob.id).desc())
        ).first()
    return job.score if job else None


def option(
    db: Database, settings: FinetuneSettings, model_type: ModelType, stage: str, spec: tuple
) -> dict[str, Any]:
    name, provider_name, gain_key = spec
    provider = runner.adapter(provider_name, settings)
    row: dict[str, Any] = {"option": name, "provider": provider_name}
    try:
        if name == "anthropic-prompt":
            method, model = PROMPT, settings.anthropic.prompt_model
            one_off = 0.0  # the held-out scoring calls are priced per request below
        else:
            base = settings.anthropic.base_model if provider_name == "anthropic" else None
            method, model = provider.configured(stage, base or provider.conf.base_model)
            rows = runner.unserved(db, model_type.name, settings.examples)
            trajectories = [r.trajectory() for r in rows]
            text, _ = runner.format_data(provider, model_type, stage, method, trajectories)
            one_off = pricing.estimate(settings, model, text, provider.epochs()).cost_usd
        per_1k = pricing.per_1k_requests(settings, pricing.price_of(settings, model))
    except ModelforgeError as why:
        return {**row, "possible": False, "reason": str(why)}
    if name == "anthropic-prompt":
        calls = settings.anthropic.candidates * settings.anthropic.held_out / 1000
        one_off = round(per_1k * calls, 4)
    score = measured(db, provider_name, method, model_type.name)
    gain = score if score is not None else settings.expected_gain.get(gain_key, 0.0)
    total = one_off + per_1k * settings.plan_requests_k
    if name == "anthropic-bedrock":
        usable = provider.aws_credentials and model in provider.customizable
    elif name == "anthropic-prompt":
        usable = provider.api_key() is not None
    else:
        usable = provider.credentials() is not None
    return {
        **row,
        "possible": True,
        "method": method if method != BEDROCK else "bedrock fine-tuning",
        "base_model": model,
        "credentials": bool(usable),
        "one_off_usd": one_off,
        "price_per_1k_usd": per_1k,
        "expected_gain": gain,
        "gain_source": "measured" if score is not None else "assumed ([finetune] expected_gain)",
        "gain_per_usd": round(gain / total, 6) if total > 0 else None,
    }


def make(db: Database, settings: FinetuneSettings, model_type: ModelType) -> dict[str, Any]:
    rows = [option(db, settings, model_type, settings.stage, spec) for spec in OPTIONS]
    usable = [r for r in rows if r["possible"] and r["credentials"] and r["gain_per_usd"]]
    reasons = []
    best = max(usable, key=lambda r: r["gain_per_usd"], default=None)
    if best is None:
        reasons.append("no option has both credentials here and a price; nothing to recommend")
    else:
        reasons.append(
            f"{best['option']}: the best expected gain per dollar ({best['gain_per_usd']}) over "
            f"{settings.plan_requests_k:g}k requests: one-off ${best['one_off_usd']:.2f}, "
            f"${best['price_per_1k_usd']:.4f} per 1k requests, gain {best['expected_gain']:.3f} "
            f"({best['gain_source']})"
        )
        for other in usable:
            if other is not best:
                reasons.append(f"{other['option']}: {other['gain_per_usd']} gain per dollar")
    for row in rows:
        if not row["possible"]:
            reasons.append(f"{row['option']} not possible: {row['reason']}")
        elif not row["credentials"]:
            reasons.append(f"{row['option']}: not offered to the credentials in this environment")
    return {
        "model_type": model_type.name,
        "stage": settings.stage,
        "options": rows,
        "recommendation": best["option"] if best else None,
        "reasons": reasons,
    }
