"""Jobs: stage runs page by page (filterable), the highlighted run's events, provider jobs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Static

from modelforge.models import Event
from modelforge.status import iso
from modelforge.tui import cells, providers
from modelforge.tui.dialogs import RunScreen
from modelforge.tui.pane import Pane
from modelforge.tui.provided import ProvidedView
from modelforge.tui.queries import PAGE, JobRow, job_page, run_events


@dataclass
class Jobs:
    runs: list[JobRow]
    provider_jobs: providers.Provided


class JobsPane(Pane):
    """Newest stage runs first; `]` pages to older runs and `[` back toward the newest."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right_square_bracket",
            "older",
            "Older",
            id="jobs.older",
            tooltip=f"The next {PAGE} older stage runs",
        ),
        Binding(
            "left_square_bracket",
            "newer",
            "Newer",
            id="jobs.newer",
            tooltip="Back one page toward the newest stage runs",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            id="jobs.filter",
            tooltip="Type words that match a stage, a status or a model type",
        ),
    ]

    def compose(self) -> ComposeResult:
        self.pages: list[int | None] = [None]  # the before_id of each page opened so far
        self.runs: dict[str, JobRow] = {}
        yield Input(
            placeholder="/ filter: words matching a stage, status or type (e.g. failed generate)",
            id="jobs-filter",
            compact=True,
        )
        runs = DataTable(id="runs", cursor_type="row", zebra_stripes=True)
        runs.add_columns("Run", "Type", "Cycle", "Stage", "Status", "Progress", "Took", "Note")
        yield runs
        yield Static(id="events-title")
        events = DataTable(id="events", cursor_type="row")
        events.add_columns("Time", "Level", "Kind", "Message")
        yield events
        yield ProvidedView(id="provider-jobs")

    def fetch(self) -> Jobs:
        words = self.query_one("#jobs-filter", Input).value.split()
        return Jobs(
            job_page(self.app.core.db, words, self.pages[-1]),
            providers.read(self.app.core, "provider_jobs"),
        )

    def show(self, data: Jobs) -> None:
        table = self.query_one("#runs", DataTable)
        cursor = table.cursor_row
        table.clear()
        self.runs = {str(row.id): row for row in data.runs}
        for row in data.runs:
            table.add_row(
                str(row.id),
                cells.plain(row.model_type),
                str(row.cycle_id),
                cells.plain(row.stage),
                cells.status(row.status),
                cells.progress_bar(row.done, row.total, 6),
                cells.duration(row.duration_s),
                cells.plain(row.note),
                key=str(row.id),
            )
        if data.runs:
            table.move_cursor(row=min(cursor, len(data.runs) - 1))
            # an unmoved cursor posts no RowHighlighted, yet the rows under it may be new
            self.load_events(data.runs[table.cursor_row])
        else:
            self.query_one("#events-title", Static).update("no stage runs match")
            self.query_one("#events", DataTable).clear()
        self.query_one(ProvidedView).show("provider jobs", data.provider_jobs)

    def on_input_changed(self, _event: Input.Changed) -> None:
        self.pages = [None]
        self.reload()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.query_one("#runs", DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#jobs-filter", Input).focus()

    def action_older(self) -> None:
        if len(self.runs) < PAGE:
            self.notify("no older stage runs", timeout=2)
            return
        self.pages.append(min(int(run_id) for run_id in self.runs))
        self.reload()

    def action_newer(self) -> None:
        if len(self.pages) > 1:
            self.pages.pop()
            self.reload()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "runs" and event.row_key.value in self.runs:
            self.load_events(self.runs[event.row_key.value])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "runs" and event.row_key.value in self.runs:
            self.app.push_screen(RunScreen(int(event.row_key.value)))

    @work(exclusive=True, thread=True, group="events")
    def load_events(self, row: JobRow) -> None:
        events = run_events(self.app.core.db, row.cycle_id, row.stage)
        self.app.call_from_thread(self.show_events, row, events)

    def show_events(self, row: JobRow, events: list[Event]) -> None:
        page = f"page {len(self.pages)}, " if len(self.pages) > 1 else ""
        self.query_one("#events-title", Static).update(
            f"{page}events of run {row.id} ({row.stage}, cycle {row.cycle_id}); Enter: details"
        )
        table = self.query_one("#events", DataTable)
        table.clear()
        for event in events:
            table.add_row(
                iso(event.ts)[11:],
                cells.status(event.level),
                cells.plain(event.kind),
                cells.plain(event.message),
            )
