"""Tabs over other stages' tables (weaknesses and regressions, selection, audit)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from modelforge.tui import providers
from modelforge.tui.dialogs import ReportScreen
from modelforge.tui.pane import Pane


class ProvidedView(Vertical):
    """A stage's rows with its summary line, or the reason there are none."""

    def compose(self) -> ComposeResult:
        yield Static(classes="summary")
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def show(self, title: str, data: providers.Provided) -> None:
        summary = self.query_one(".summary", Static)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        if data.missing is not None:
            summary.update(Text(f"{title}: {data.missing}", style="dim italic"))
            return
        summary.update(Text(f"{title}: {len(data.rows)} row(s)  {data.summary}".rstrip()))
        table.add_columns(*data.columns)
        for number, row in enumerate(data.rows):
            style = "bold red" if number in data.flagged else ""
            table.add_row(*(Text(str(value), style=style, no_wrap=True) for value in row))


class ProvidedPane(Pane):
    """A tab of one or more stages' tables, each (source, title), one above the other."""

    def __init__(self, *sections: tuple[str, str], **kwargs):
        super().__init__(**kwargs)
        self.sections = sections

    def compose(self) -> ComposeResult:
        for _ in self.sections:
            yield ProvidedView()

    def fetch(self) -> list[providers.Provided]:
        return [providers.read(self.app.core, source) for source, _ in self.sections]

    def show(self, data: list[providers.Provided]) -> None:
        for view, (_, title), found in zip(self.query(ProvidedView), self.sections, data):
            view.show(title, found)


class AuditPane(ProvidedPane):
    """Findings by file and action; `o` opens the audit's report."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "o",
            "open_report",
            "Open report",
            id="audit.open_report",
            tooltip="Show the newest audit report the audit stage wrote",
        ),
    ]

    def action_open_report(self) -> None:
        self.find_report()

    @work(exclusive=True, thread=True, group="report")
    def find_report(self) -> None:
        path = providers.audit_report(self.app.core)
        self.app.call_from_thread(self.open_report, path)

    def open_report(self, path: Path | None) -> None:
        if path is None:
            self.notify("no audit report yet: the audit stage has not registered one", timeout=4)
            return
        self.app.push_screen(ReportScreen(path))
