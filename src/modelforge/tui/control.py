"""Control: the daemon's state, the types it may run, and the requests sent to it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from modelforge.control import recent
from modelforge.models import ControlRequest
from modelforge.status import iso
from modelforge.tui import cells
from modelforge.tui.overview import daemon_line
from modelforge.tui.pane import Pane
from modelforge.tui.queries import Overview, overview

HELP = "n run a cycle now (highlighted type)   p pause/resume schedule   x cancel stage"


@dataclass
class ControlState:
    overview: Overview
    requests: list[ControlRequest]


class ControlPane(Pane):
    """Steering goes through control requests the daemon polls; nothing runs in the TUI."""

    def compose(self) -> ComposeResult:
        yield Static(id="control-state")
        yield Static(Text(HELP, style="dim"))
        types = DataTable(id="control-types", cursor_type="row")
        types.add_columns("Type", "Enabled", "Cycle", "Status", "Stage")
        yield types
        yield Static("requests (newest last)", classes="section")
        requests = DataTable(id="requests", cursor_type="row")
        requests.add_columns("Id", "Asked", "Action", "Type", "Status", "Note")
        yield requests

    def fetch(self) -> ControlState:
        db = self.app.core.db
        return ControlState(overview(self.app.core, self.app.clock()), recent(db))

    def show(self, data: ControlState) -> None:
        state = daemon_line(data.overview)
        if data.overview.daemon_pid is None:
            state.append("  (requests wait until `modelforge run` starts)", style="dim")
        self.query_one("#control-state", Static).update(state)
        types = self.query_one("#control-types", DataTable)
        cursor = types.cursor_row
        types.clear()
        for row in data.overview.types:
            types.add_row(
                cells.plain(row.model_type),
                "yes" if row.enabled else "no",
                "" if row.cycle_id is None else str(row.cycle_id),
                cells.status(row.cycle_status),
                cells.plain(row.stage),
                key=row.model_type,
            )
        if data.overview.types:
            types.move_cursor(row=min(cursor, len(data.overview.types) - 1))
        requests = self.query_one("#requests", DataTable)
        requests.clear()
        for entry in data.requests:
            requests.add_row(
                str(entry.id),
                (iso(entry.created_at) or "")[11:],
                entry.action,
                cells.plain(entry.model_type),
                cells.status(entry.status),
                cells.plain(entry.note),
            )
        if data.requests:
            requests.move_cursor(row=len(data.requests) - 1)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "control-types" and event.row_key.value is not None:
            self.app.selected_type = event.row_key.value
