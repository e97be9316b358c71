"""Overview: one row per model type, and the stages of the highlighted type's latest cycle."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from modelforge.tui import cells
from modelforge.tui.pane import Pane
from modelforge.tui.queries import Overview, TypeRow, overview

TRAINING_STYLES = {"trained": "green", "stale": "yellow", "untrained": "dim"}


def daemon_line(data: Overview) -> Text:
    if not data.daemon_pid:
        daemon = Text("not running", style="yellow")
    elif data.runner in (None, "daemon"):
        daemon = Text(f"running (pid {data.daemon_pid})", style="green")
    else:  # a one-shot command holds the lock: it runs stages, but no schedule
        daemon = Text(f"not running; {data.runner} running (pid {data.daemon_pid})", style="yellow")
    schedule = Text("paused", style="yellow") if data.paused else Text("active", style="green")
    return Text.assemble("daemon: ", daemon, "   schedule: ", schedule)


def stage_cell(row: TypeRow) -> Text:
    if row.stage is None:
        return cells.plain("no cycle yet" if row.cycle_id is None else "")
    return Text(row.stage, style=cells.STATUS_STYLES.get(row.stage_status or "", ""), no_wrap=True)


def pass_cell(row: TypeRow) -> Text:
    if not row.pass_rates:
        return Text("–", style="dim")
    return Text(f"{cells.percent(row.pass_rates[-1])} {cells.sparkline(row.pass_rates)}")


def stages_text(row: TypeRow) -> Text:
    """The highlighted type's cycle, then one line per stage it reached."""
    due = f"\n  next cycle {row.next_cycle}" if row.next_cycle else ""
    if row.cycle_id is None:
        return Text(f"{row.model_type}: no cycle yet{due}", style="dim")
    orphaned = " (its process is gone; it resumes on the next run)" if row.orphaned else ""
    lines = Text.assemble(
        f"{row.model_type}: cycle {row.cycle_id} ", cells.status(row.cycle_status), orphaned
    )
    if row.rate is not None:
        lines.append(f"  {row.rate:.2f} steps/s")
    for stage in row.stages:
        progress = stage["progress"]
        lines.append("\n")
        lines.append(f"  {stage['stage']:<16}")
        lines.append_text(cells.status(stage["status"]))
        lines.append(" " * max(1, 12 - len(stage["status"])))
        if progress["total"]:
            lines.append_text(cells.progress_bar(progress["done"], progress["total"], 8))
            lines.append(" ")
        lines.append(cells.duration(stage["duration_s"]))
        why = stage["error"] or stage["detail"]
        if why:
            lines.append(f"  {why}", style="red" if stage["error"] else "dim")
    lines.append(due, style="dim")
    return lines


class OverviewPane(Pane):
    """Where each type stands: current stage with progress and ETA, last result, pass rate."""

    rows: dict[str, TypeRow]

    def compose(self) -> ComposeResult:
        self.rows = {}
        yield Static(id="daemon-state")
        table = DataTable(id="types", cursor_type="row", zebra_stripes=True)
        table.add_columns("Type", "Stage", "Progress", "ETA", "Last", "Model", "Pass")
        yield table
        with VerticalScroll(id="stages-scroll"):
            yield Static(id="stages")

    def fetch(self) -> Overview:
        return overview(self.app.core, self.app.clock())

    def show(self, data: Overview) -> None:
        self.query_one("#daemon-state", Static).update(daemon_line(data))
        table = self.query_one("#types", DataTable)
        cursor = table.cursor_row
        table.clear()
        self.rows = {row.model_type: row for row in data.types}
        for row in data.types:
            name = row.model_type if row.enabled else f"{row.model_type} (off)"
            table.add_row(
                cells.plain(name),
                stage_cell(row),
                cells.progress_bar(row.done, row.total, 6),
                cells.duration(row.eta_s),
                cells.status(row.last_result),
                Text(row.training, style=TRAINING_STYLES[row.training]),
                pass_cell(row),
                key=row.model_type,
            )
        if data.types:
            table.move_cursor(row=min(cursor, len(data.types) - 1))
            if self.app.selected_type not in self.rows:
                self.app.selected_type = data.types[table.cursor_row].model_type
            self.show_stages()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.app.selected_type = event.row_key.value
        self.show_stages()

    def show_stages(self) -> None:
        row = self.rows.get(self.app.selected_type or "")
        if row is not None:
            self.query_one("#stages", Static).update(stages_text(row))
