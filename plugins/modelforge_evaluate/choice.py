"""The answer to "which model serves this responsibility now": the incumbent while it may
serve (candidates replace it only through promotion), else the cost-benefit winner; models with
too little evidence get a configured share of traffic to earn some."""

from __future__ import annotations

import random
import time
from typing import Any

import numpy as np
from sqlmodel import select

from modelforge.config import Config
from modelforge.db import Database
from modelforge.stats import z_for
from modelforge_evaluate import candidates
from modelforge_evaluate.responsibilities import configured
from modelforge_evaluate.selection import CandidateTable, Decision, decide, failures, reasons
from modelforge_evaluate.settings import ResponsibilitySettings, SelectSettings
from modelforge_evaluate.tables import Incumbent

_cache: dict[str, tuple[float, dict[str, CandidateTable], dict[str, str]]] = {}


def empty_table(model_type: str) -> CandidateTable:
    none = np.zeros((0, 0))
    return CandidateTable(model_type, [], [], [], [], [], [], none, none, np.zeros(0), np.zeros(0))


def incumbents(db: Database) -> dict[str, str]:
    with db.session() as session:
        return {row.responsibility: row.model for row in session.exec(select(Incumbent))}


def state(
    db: Database,
    config: Config,
    categories: dict[str, list[str]] | None = None,
    *,
    cached: bool = False,
) -> tuple[dict[str, CandidateTable], dict[str, str]]:
    """The candidate tables and incumbents; choose_model reuses them for cache_seconds."""
    settings: SelectSettings = config.section("select")
    key = str(db.path)
    if cached and key in _cache and _cache[key][0] > time.monotonic():
        return _cache[key][1], _cache[key][2]
    tables = candidates.load(db, settings.cpu_second_price, categories or {})
    current = incumbents(db)
    _cache[key] = (time.monotonic() + settings.cache_seconds, tables, current)
    return tables, current


def answer(
    name: str,
    resp: ResponsibilitySettings,
    table: CandidateTable,
    incumbent: str | None,
    config: Config,
    rng: random.Random | None = None,
) -> dict[str, Any]:
    """The decision for one responsibility with every candidate's reasons.

    With rng (serving traffic) a model with too little evidence is picked on the exploration
    share; without it (reports, the select stage) the answer is deterministic.
    """
    settings: SelectSettings = config.section("select")
    decision = decide(
        table,
        resp,
        z=z_for(config.section("evaluate").confidence),
        min_samples=settings.min_samples,
    )
    model, why = serving(decision, incumbent)
    explored = False
    if rng is not None and decision.exploration and rng.random() < settings.exploration_share:
        model, explored = rng.choice(decision.exploration), True
        why = f"exploring {model}: too little evidence, {settings.exploration_share:.0%} share"
    return {
        "responsibility": name,
        "model_type": resp.model_type,
        "model": model,
        "why": why,
        "best": decision.model,
        "incumbent": incumbent,
        "rule": resp.rule,
        "min_quality": resp.min_quality,
        "met_constraints": decision.met,
        "explored": explored,
        "exploration": {"share": settings.exploration_share, "models": decision.exploration},
        "reasons": reasons(decision),
    }


def serving(decision: Decision, incumbent: str | None) -> tuple[str | None, str]:
    table = decision.table
    if incumbent in table.names and table.blocked[table.names.index(incumbent)] is None:
        its_failures = failures(decision, table.names.index(incumbent))
        if incumbent == decision.model:
            if decision.met:
                return incumbent, f"incumbent {incumbent} is also the best by {_rule(decision)}"
            return incumbent, f"incumbent {incumbent} serves: {_fallback(decision)}"
        fails = f" (it fails {'; '.join(its_failures)})" if its_failures else ""
        return incumbent, (
            f"incumbent {incumbent}{fails} serves until {decision.model} is "
            f"promoted ({_best(decision)})"
        )
    if decision.model is None:
        return None, "no eligible model with enough evidence"
    if not decision.met:
        return decision.model, _fallback(decision)
    return decision.model, f"{decision.model} is the best by {_rule(decision)}"


def _best(decision: Decision) -> str:
    if decision.model is None:
        return "no eligible model with enough evidence"
    return f"best by {_rule(decision)}" if decision.met else _fallback(decision)


def _fallback(decision: Decision) -> str:
    """Why a model that fails its constraints was picked anyway, with what it fails."""
    failed = "; ".join(failures(decision, decision.chosen))
    return (
        f"no model meets every constraint; {decision.model} has the highest quality lower "
        f"bound, yet fails {failed}"
    )


def _rule(decision: Decision) -> str:
    resp = decision.responsibility
    if resp.rule == "cheapest":
        low = decision.low[decision.chosen]
        return f"cheapest with quality lower bound ≥ {resp.min_quality} (its: {low:.3f})"
    return "quality-minus-price utility"


def all_answers(
    db: Database, config: Config, categories: dict[str, list[str]], only: str | None = None
) -> list[dict[str, Any]]:
    """Deterministic decisions for every responsibility (or one), as reports show them."""
    tables, current = state(db, config, categories)
    out = []
    for name, resp in sorted(configured(config).items()):
        if only is not None and name != only:
            continue
        table = tables.get(resp.model_type) or empty_table(resp.model_type)
        out.append(answer(name, resp, table, current.get(name), config))
    return out


def choose(
    name: str,
    db: Database,
    config: Config,
    rng: random.Random | None = None,
) -> dict[str, Any] | None:
    """choose_model's answer for `auto:<name>`; None for a responsibility not configured here."""
    found = configured(config)
    if name not in found:
        return None
    resp = found[name]
    tables, current = state(db, config, cached=True)
    table = tables.get(resp.model_type) or empty_table(resp.model_type)
    return answer(name, resp, table, current.get(name), config, rng or random.Random())
