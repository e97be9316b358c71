"""The table `run --once` ends with: seconds per type and stage of the cycles it ran, read from
the same stage records `status --json` reports, so what a cycle costs is seen where it ran."""

from __future__ import annotations

from modelforge.db import Database
from modelforge.lifecycle import STAGES
from modelforge.status import latest_stage_runs

NOT_RUN = "-"


def stage_seconds(db: Database, cycles: list[tuple[str, int]]) -> list[tuple[str, dict]]:
    """(type, {stage: seconds}) for each (type, cycle id), from each stage's newest attempt."""
    rows = []
    with db.read_session() as session:
        for model_type, cycle_id in cycles:
            runs = latest_stage_runs(session, cycle_id)
            rows.append((model_type, {run.stage: run.duration_s for run in runs}))
    return rows


def render(rows: list[tuple[str, dict]]) -> list[str]:
    """Lines of a text table: a row per type, a column per stage, each row's and column's total;
    a stage that did not run shows `-`."""
    width = max([len("type"), len("total"), *(len(name) for name, _ in rows)])
    header = ["type".ljust(width), *STAGES, "total"]
    totals = dict.fromkeys(STAGES, 0.0)
    lines = ["  ".join(header)]
    for name, seconds in rows:
        cells = []
        for stage in STAGES:
            value = seconds.get(stage)
            cells.append(NOT_RUN if value is None else f"{value:.1f}")
            totals[stage] += value or 0.0
        row_total = sum(value or 0.0 for value in seconds.values())
        lines.append(_line(name, width, [*cells, f"{row_total:.1f}"]))
    if len(rows) > 1:
        sums = [f"{totals[stage]:.1f}" for stage in STAGES]
        lines.append(_line("total", width, [*sums, f"{sum(totals.values()):.1f}"]))
    return lines


def _line(name: str, width: int, cells: list[str]) -> str:
    """Each cell right-aligned under its column's name."""
    names = [*STAGES, "total"]
    return "  ".join([name.ljust(width), *(c.rjust(len(n)) for c, n in zip(cells, names))])
