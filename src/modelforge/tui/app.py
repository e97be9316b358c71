"""The TUI application: seven tabs over the live database, and the keys that steer the daemon.

It reads what the daemon writes and asks the daemon to act through control requests; it
never trains in its own process, so it may be opened and closed at any time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import ClassVar

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from modelforge.app import App as CoreApp
from modelforge.control import pending, request, schedule_paused
from modelforge.lock import holder
from modelforge.models import ControlRequest
from modelforge.tui.checklist import ChecklistPane
from modelforge.tui.control import ControlPane
from modelforge.tui.dialogs import ConfirmScreen
from modelforge.tui.jobs import JobsPane
from modelforge.tui.overview import OverviewPane
from modelforge.tui.pane import Pane
from modelforge.tui.provided import AuditPane, ProvidedPane

TABS = ("overview", "checklist", "jobs", "weaknesses", "selection", "audit", "control")
CANCEL_QUESTION = (
    "Cancel the running stage?\nThe daemon stops it at its next step; the cycle resumes there "
    "on its next run."
)


def tab_binding(number: int, tab: str) -> Binding:
    return Binding(
        str(number),
        f"show_tab('{tab}')",
        tab.capitalize(),
        show=False,
        id=f"tab.{tab}",
        tooltip=f"Show the {tab} tab",
    )


class ForgeApp(App):
    """`modelforge tui`."""

    TITLE = "modelforge"
    CSS = """
    Pane { height: 1fr; }
    #types { height: auto; max-height: 60%; }
    #stages-scroll, #runs, #events { height: 1fr; }
    #events-title, .section { color: $text-muted; }
    #provider-jobs { height: auto; max-height: 7; }
    ProvidedView { height: 1fr; }
    ProvidedView DataTable { height: 1fr; }
    #control-types { height: auto; max-height: 40%; }
    #requests { height: 1fr; }
    ModalScreen { align: center middle; }
    .dialog { width: 100%; height: 100%; border: round $primary; background: $surface; }
    .dialog.confirm { width: 64; height: auto; padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave the TUI; the daemon runs on"),
        Binding(
            "n",
            "run_now",
            "Run now",
            id="control.run_now",
            tooltip="Ask the daemon to start a cycle now for the highlighted model type",
        ),
        Binding(
            "p",
            "toggle_pause",
            "Pause/resume",
            id="control.pause",
            tooltip="Ask the daemon to pause or resume its schedule",
        ),
        Binding(
            "x",
            "cancel_stage",
            "Cancel stage",
            id="control.cancel",
            tooltip="Ask the daemon to cancel the stage it is running",
        ),
        Binding(
            "f5", "refresh", "Refresh", id="app.refresh", tooltip="Read the database again now"
        ),
        *(tab_binding(number, tab) for number, tab in enumerate(TABS, start=1)),
    ]

    def __init__(
        self,
        core: CoreApp,
        command_names: list[str],
        refresh_s: float = 2.0,
        clock: Callable[[], datetime] | None = None,
    ):
        super().__init__()
        self.core = core
        self.command_names = command_names
        self.refresh_s = refresh_s  # 0: no automatic refresh (tests and snapshots)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.selected_type: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="overview"):
            with TabPane("Overview", id="overview"):
                yield OverviewPane()
            with TabPane("Checklist", id="checklist"):
                yield ChecklistPane()
            with TabPane("Jobs", id="jobs"):
                yield JobsPane()
            with TabPane("Weaknesses", id="weaknesses"):
                yield ProvidedPane(
                    ("weaknesses", "weaknesses by type and category (red: regressed too)"),
                    ("regressions", "regressions, newest first"),
                )
            with TabPane("Selection", id="selection"):
                yield ProvidedPane(("selection", "chosen model per responsibility"))
            with TabPane("Audit", id="audit"):
                yield AuditPane(("audit", "audit findings"))
            with TabPane("Control", id="control"):
                yield ControlPane()
        yield Footer()

    def on_mount(self) -> None:
        self.show_active_tab()  # not left to the first TabActivated, which may come late
        if self.refresh_s:
            self.set_interval(self.refresh_s, self.action_refresh)

    def active_pane(self) -> Pane:
        tab = self.query_one(TabbedContent).active
        return self.query_one(f"#{tab}", TabPane).query_one(Pane)

    def on_tabbed_content_tab_activated(self, _event: TabbedContent.TabActivated) -> None:
        self.show_active_tab()

    def show_active_tab(self) -> None:
        self.active_pane().focus_main()
        self.action_refresh()

    def action_refresh(self) -> None:
        self.active_pane().reload()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_run_now(self) -> None:
        if self.selected_type is None:
            self.notify("highlight a model type on Overview or Control first", severity="warning")
            return
        self.send("run_now", self.selected_type)

    def action_toggle_pause(self) -> None:
        self.toggle_pause()

    def action_cancel_stage(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.send("cancel")

        self.push_screen(ConfirmScreen(CANCEL_QUESTION), answered)

    @work(thread=True, group="control")
    def toggle_pause(self) -> None:
        """Pause unless paused; a request still pending counts as already handled."""
        asked = [e.action for e in pending(self.core.db) if e.action in ("pause", "resume")]
        paused = asked[-1] == "pause" if asked else schedule_paused(self.core.db)
        self.send_now("resume" if paused else "pause")

    @work(thread=True, group="control")
    def send(self, action: str, model_type: str | None = None) -> None:
        self.send_now(action, model_type)

    def send_now(self, action: str, model_type: str | None = None) -> None:
        """Write the request (in a worker thread) and say what will happen."""
        entry = request(self.core.db, action, model_type)
        daemon = holder(self.core.config.data_dir)
        self.call_from_thread(self.sent, entry, daemon)

    def sent(self, entry: ControlRequest, daemon_pid: int | None) -> None:
        target = f" {entry.model_type}" if entry.model_type else ""
        message = f"asked the daemon: {entry.action}{target} (request {entry.id})"
        if daemon_pid is None:
            message += "; no daemon is running, it waits until `modelforge run` starts"
        self.notify(message, severity="information" if daemon_pid else "warning")
        self.action_refresh()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            if binding.id != "app.quit":
                yield SystemCommand(binding.description, binding.tooltip, self.action_for(binding))

    def action_for(self, binding: Binding) -> Callable[[], object]:
        return lambda: self.run_action(binding.action)
