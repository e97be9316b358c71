"""The `track` stage: weaknesses of the type's lead model, regressions against the previous
cycle, trends over the last k cycles; each stored with its evidence and recorded as an event.

What counts as each is at the end: a weakness and a regression are judged by Wilson
intervals, so that a difference inside the noise is neither; a trend is a least-squares slope.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import select

from modelforge.errors import StageSkipped
from modelforge.registry import list_models
from modelforge.stats import significantly_below, wilson, z_for
from modelforge_evaluate import results, webhooks
from modelforge_evaluate.contract import REGRESSION_EVENT, WEAKNESSES_KEY
from modelforge_evaluate.tables import EvalRun, Regression, Weakness

OVERALL = "*"  # the category name of a model's overall score


def latest_by_model(runs: list[EvalRun]) -> dict[str, EvalRun]:
    return {run.model_name: run for run in runs}  # runs come oldest first: the last one wins


def lead_of(runs: dict[str, EvalRun], order: dict[str, tuple[bool, int]]) -> EvalRun:
    """The newest SRL→RLVR-trained model evaluated (else the newest of any kind): the line
    of training whose weaknesses the next generation should work on."""
    return max(runs.values(), key=lambda run: (order.get(run.model_name, (False, -1)), run.id))


def run(model_type: str, ctx) -> dict[str, Any]:
    settings = ctx.config.section("track")
    z = z_for(ctx.config.section("evaluate").confidence)
    db = ctx.db
    current = latest_by_model(results.runs(db, model_type=model_type, cycle_id=ctx.cycle_id))
    if not current:
        raise StageSkipped(f"no evaluation of '{model_type}' in this cycle to track")
    order = {e.name: (e.kind == "local" and e.srl_rlvr, e.id) for e in list_models(db, model_type)}
    lead = lead_of(current, order)
    cycles = [c for c in results.evaluated_cycles(db, model_type) if c <= ctx.cycle_id]
    window = cycles[-settings.trend_cycles :]
    previous = [c for c in cycles if c < ctx.cycle_id]
    per_cycle = {
        c: latest_by_model(results.runs(db, model_type=model_type, cycle_id=c))
        for c in {*window, *previous[-1:]} - {ctx.cycle_id}
    }
    per_cycle[ctx.cycle_id] = current
    scores = results.scores_of(db, [r.id for runs in per_cycle.values() for r in runs.values()])

    found = store_weaknesses(ctx, model_type, lead, scores[lead.id], settings, z)
    regressions = []
    if previous:
        before = per_cycle[previous[-1]]
        regressions = find_regressions(
            ctx, model_type, current, before, lead_of(before, order), scores, settings, z
        )
    trends = find_trends(ctx, model_type, window, per_cycle, order, scores, settings)
    delivered = webhooks.dispatch(db, ctx.config.section("webhooks"), ctx.cycle_id)
    return {
        "lead": lead.model_name,
        WEAKNESSES_KEY: found,
        "regressions": regressions,
        "trends": trends,
        "webhooks": delivered,
    }


def store_weaknesses(ctx, model_type, lead, scores, settings, z) -> list[dict[str, Any]]:
    """Replace the type's weakness rows (the generation mix reads them) and log each."""
    found = weaknesses(scores, settings.weakness_floor, z)
    with ctx.db.session() as session:
        session.exec(delete(Weakness).where(Weakness.model_type == model_type))
        session.add_all(
            Weakness(
                model_type=model_type,
                category=w["category"],
                severity=w["severity"],
                model_name=lead.model_name,
                cycle_id=ctx.cycle_id,
                evidence=w,
            )
            for w in found
        )
    for w in found:
        ctx.event(
            "track.weakness",
            f"{model_type}/{w['category']} is weak for {lead.model_name}: {'; '.join(w['why'])}",
            level="warning",
            model_type=model_type,
            model=lead.model_name,
            **w,
        )
    return found


def find_regressions(
    ctx, model_type, current, before, previous_lead, scores, settings, z
) -> list[dict[str, Any]]:
    found = []
    for name, run in sorted(current.items()):
        baseline = before.get(name, previous_lead)
        for drop in compare(scores[run.id], scores[baseline.id], z):
            evidence = {
                "model_type": model_type,
                "model": name,
                "cycle_id": ctx.cycle_id,
                "baseline_model": baseline.model_name,
                "baseline_cycle": baseline.cycle_id,
                "baseline_eval_run": baseline.id,
                "eval_run": run.id,
                **drop,
            }
            if _recorded(ctx.db, ctx.cycle_id, name, drop["category"]):
                continue
            with ctx.db.session() as session:
                session.add(
                    Regression(
                        cycle_id=ctx.cycle_id,
                        model_type=model_type,
                        model_name=name,
                        category=drop["category"],
                        evidence=evidence,
                    )
                )
            where = "overall" if drop["category"] == OVERALL else drop["category"]
            ctx.event(
                REGRESSION_EVENT,
                f"{name} regressed on {model_type} {where}: {drop['before']['rate']} -> "
                f"{drop['after']['rate']} (against {baseline.model_name}, cycle "
                f"{baseline.cycle_id})",
                level="warning",
                **{k: v for k, v in evidence.items() if k != "cycle_id"},
            )
            evidence["alerts"] = webhooks.alert(ctx.db, settings, evidence, ctx.cycle_id)
            found.append(evidence)
    return found


def _recorded(db, cycle_id, model_name, category) -> bool:
    with db.session() as session:
        return (
            session.exec(
                select(Regression.id).where(
                    Regression.cycle_id == cycle_id,
                    Regression.model_name == model_name,
                    Regression.category == category,
                )
            ).first()
            is not None
        )


def find_trends(ctx, model_type, window, per_cycle, order, scores, settings):
    """Slopes of the lead's pass rate, overall and per category, over the last k cycles."""
    if len(window) < settings.trend_cycles:
        return []
    leads = [scores[lead_of(per_cycle[c], order).id] for c in window]
    series: dict[str, list[float]] = {}
    for cycle_scores in leads:
        for category, (passed, n) in with_overall(cycle_scores).items():
            if n:
                series.setdefault(category, []).append(passed / n)
    found = []
    for category, rates in sorted(series.items()):
        value = slope(rates) if len(rates) == len(window) else None
        if value is None or abs(value) < settings.trend_min_slope:
            continue
        trend = {
            "model_type": model_type,
            "category": category,
            "cycles": window,
            "rates": [round(r, 4) for r in rates],
            "slope_per_cycle": round(value, 4),
            "direction": "down" if value < 0 else "up",
        }
        where = "overall" if category == OVERALL else category
        ctx.event(
            "track.trend",
            f"{model_type} {where} is going {trend['direction']} "
            f"({value:+.3f} per cycle over cycles {window})",
            level="warning" if value < 0 else "info",
            **trend,
        )
        found.append(trend)
    return found


# What counts as a weakness, a regression and a trend: pure functions of the scores, which are
# {category: (passed, n)}.


def weaknesses(scores: dict[str, tuple[int, int]], floor: float, z: float) -> list[dict[str, Any]]:
    """One entry per weak category with its severity (0..1, higher is weaker) and evidence.

    Weak: under the configured floor, or significantly under the model's own mean, that is
    with its Wilson upper bound below the mean of the model's other categories, so a category
    is not called weak on noise alone.
    """
    found = []
    for category, (passed, n) in sorted(scores.items()):
        if n == 0:
            continue
        interval = wilson(passed, n, z)
        rate = passed / n
        others = [p / m for c, (p, m) in scores.items() if c != category and m]
        mean = sum(others) / len(others) if others else None
        why = []
        if rate < floor:
            why.append(f"pass rate {rate:.2f} is under the floor {floor:.2f}")
        if mean is not None and interval.high < mean:
            why.append(
                f"upper bound {interval.high:.2f} is under the mean {mean:.2f} "
                "of the other categories"
            )
        if not why:
            continue
        severity = max(floor - rate, (mean - rate) if mean is not None else 0.0, 0.0)
        found.append(
            {
                "category": category,
                "severity": round(min(1.0, severity), 4),
                "why": why,
                "score": interval.as_dict(),
                "mean_of_others": None if mean is None else round(mean, 4),
                "floor": floor,
            }
        )
    return found


def with_overall(scores: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    passed = sum(p for p, _ in scores.values())
    n = sum(m for _, m in scores.values())
    return {OVERALL: (passed, n), **scores}


def compare(
    after: dict[str, tuple[int, int]], before: dict[str, tuple[int, int]], z: float
) -> list[dict[str, Any]]:
    """Every category (and overall) where `after` is significantly under `before`: a regression.

    The baseline (`before`) is the same model's evaluation in the previous evaluated cycle when
    it had one (a model whose files changed, or whose quality really moved), else the previous
    cycle's lead (a newly trained model against the one before it); see find_regressions. Only
    non-overlapping Wilson intervals count, so noise is neither a regression nor an improvement.
    """
    drops = []
    before_all, after_all = with_overall(before), with_overall(after)
    for category, (passed, n) in after_all.items():
        if category not in before_all:
            continue
        now, then = wilson(passed, n, z), wilson(*before_all[category], z)
        if significantly_below(now, then):
            drops.append({"category": category, "before": then.as_dict(), "after": now.as_dict()})
    return drops


def slope(rates: list[float]) -> float | None:
    """Change per cycle of the least-squares line through the rates, oldest first; None under 2."""
    if len(rates) < 2:
        return None
    k = len(rates)
    mean_x, mean_y = (k - 1) / 2, sum(rates) / k
    spread = sum((x - mean_x) ** 2 for x in range(k))
    return sum((x - mean_x) * (y - mean_y) for x, y in enumerate(rates)) / spread
