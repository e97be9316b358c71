"""Checklist: the migration plan's validation items, computed as `modelforge checklist` does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from modelforge.checklist import Item, compute
from modelforge.tui.pane import Pane

MARKS = {"done": ("✔", "green"), "not done": ("✘", "red"), "unknown": ("?", "yellow")}


def checklist_text(items: list[Item]) -> Text:
    done = sum(item.state == "done" for item in items)
    text = Text(f"{done} of {len(items)} done\n", style="bold")
    for item in items:
        mark, style = MARKS[item.state]
        text.append(f"\n{mark} ", style=f"bold {style}")
        text.append(item.title, style=style)
        text.append(f"\n  {item.evidence}\n", style="dim")
    return text


class ChecklistPane(Pane):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="checklist")

    def fetch(self) -> list[Item]:
        return compute(self.app.core, self.app.command_names)

    def show(self, items: list[Item]) -> None:
        self.query_one("#checklist", Static).update(checklist_text(items))
