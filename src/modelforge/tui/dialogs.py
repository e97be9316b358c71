"""Screens over the tabs: a stage run's details, a confirmation, a Markdown report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, Static

from modelforge.status import iso
from modelforge.tui import cells
from modelforge.tui.queries import RunDetail, run_detail

CLOSE = Binding("escape", "dismiss", "Close", id="dialog.close", tooltip="Back to the tabs")


def detail_text(detail: RunDetail) -> Text:
    """Everything recorded about one stage run: fields, error and traceback, result, events."""
    run = detail.run
    text = Text.assemble(
        (f"stage run {run.id}: {run.stage} for {detail.model_type}, ", "bold"),
        (f"cycle {run.cycle_id}  ", "bold"),
        cells.status(run.status),
    )
    fields = [
        ("plugins", run.plugins),
        ("started", iso(run.started_at)),
        ("duration", cells.duration(run.duration_s)),
        ("progress", f"{run.progress_done}/{run.progress_total}" if run.progress_total else None),
        ("detail", run.detail),
    ]
    for name, value in fields:
        if value:
            text.append(f"\n{name:<10}{value}")
    if run.error:
        text.append(f"\n\nerror: {run.error}", style="bold red")
    if run.traceback:
        text.append(f"\n\n{run.traceback.rstrip()}", style="red")
    if run.result:
        text.append("\n\nresult\n", style="bold")
        text.append(json.dumps(run.result, indent=2, default=str))
    text.append(f"\n\nevents ({len(detail.events)}, newest first)", style="bold")
    for event in detail.events:
        text.append(f"\n{iso(event.ts)} ")
        text.append_text(cells.status(event.level))
        text.append(f" {event.kind}: {event.message}")
    return text


class RunScreen(ModalScreen):
    """A stage run's details; a failed stage shows its traceback."""

    BINDINGS: ClassVar[list[BindingType]] = [CLOSE]

    def __init__(self, run_id: int):
        super().__init__()
        self.run_id = run_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            with VerticalScroll():
                yield Static(f"loading stage run {self.run_id}…", id="run-detail")
            yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, thread=True)
    def load(self) -> None:
        detail = run_detail(self.app.core.db, self.run_id)
        self.app.call_from_thread(self.show, detail)

    def show(self, detail: RunDetail | None) -> None:
        body = detail_text(detail) if detail else Text(f"stage run {self.run_id} is gone")
        self.query_one("#run-detail", Static).update(body)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; dismisses with the answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Go ahead"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="Leave it as it is"),
    ]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(f"{self.question}\n\n[b]y[/b] yes   [b]n[/b] no")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ReportScreen(ModalScreen):
    """A Markdown report file, rendered."""

    BINDINGS: ClassVar[list[BindingType]] = [CLOSE]

    def __init__(self, path: Path):
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(str(self.path), style="bold"))
            with VerticalScroll():
                yield Markdown(self.path.read_text(errors="replace"))
            yield Footer()
