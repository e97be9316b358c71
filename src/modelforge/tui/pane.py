"""The shape every tab shares: a blocking read in a worker thread, then show() on the UI."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError
from textual import work
from textual.containers import Vertical

from modelforge.errors import ModelforgeError

if TYPE_CHECKING:
    from modelforge.tui.app import ForgeApp


class Pane(Vertical):
    """A tab's content; the app calls reload() when the tab opens and on every refresh tick."""

    app: ForgeApp

    def reload(self) -> None:
        self.load()

    def focus_main(self) -> None:
        """Put the keyboard on the tab's table (or scroll), so arrows and Enter act at once.

        Focus must leave the tab that was shown: a hidden tab whose widget keeps the focus
        takes the screen back.
        """
        self.query("DataTable, VerticalScroll").first().focus()

    @work(exclusive=True, thread=True)
    def load(self) -> None:
        try:
            data = self.fetch()
        except (SQLAlchemyError, ModelforgeError) as exc:
            self.app.call_from_thread(
                self.notify, f"could not read the database: {exc}", severity="error"
            )
            return
        self.app.call_from_thread(self.show, data)

    def fetch(self) -> Any:
        """Read what the tab shows (runs in a thread: no widget access here)."""
        raise NotImplementedError

    def show(self, data: Any) -> None:
        raise NotImplementedError
