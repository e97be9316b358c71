"""A pilot presses keys over the fixture database; the control keys only write requests."""

from modelforge.control import pending
from modelforge.models import Cycle, StageRun
from modelforge.tui.app import TABS
from modelforge.tui.dialogs import RunScreen
from modelforge.tui.queries import PAGE


def test_number_keys_open_every_tab(filled, forge, drive, settle):
    async def script(pilot):
        for number, tab in enumerate(TABS, start=1):
            await pilot.press(str(number))
            await settle(pilot)
            assert forge.query_one("TabbedContent").active == tab

    drive(forge, script)


def test_overview_rows_show_stage_progress_and_eta(filled, forge, drive):
    async def script(pilot):
        table = forge.query_one("#types")
        arith = [str(cell) for cell in table.get_row("arith")]
        assert arith[0:2] == ["arith", "generate"]
        assert arith[2].endswith("40/100")
        assert arith[3] == "30s"  # 40 steps in the 20 s since it started: 60 left at 2/s
        assert arith[4:6] == ["done", "trained"]
        sound = [str(cell) for cell in table.get_row("sound")]
        assert sound[4:6] == ["failed", "untrained"]

    drive(forge, script)


def test_jobs_filter_then_enter_shows_the_traceback(filled, forge, drive, settle):
    async def script(pilot):
        await pilot.press("3", "slash", *"failed", "enter")
        await settle(pilot)
        assert forge.query_one("#runs").row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(forge.screen, RunScreen)
        shown = str(forge.screen.query_one("#run-detail").render())
        assert "RuntimeError: teacher timed out" in shown
        await pilot.press("escape")
        assert not isinstance(forge.screen, RunScreen)

    drive(forge, script)


def test_jobs_pages_through_older_runs(app, forge, drive, settle):
    with app.db.session() as session:
        cycle = Cycle(model_type="arith", status="done")
        session.add(cycle)
        session.flush()
        session.add_all(
            StageRun(cycle_id=cycle.id, stage="audit", status="done") for _ in range(PAGE + 5)
        )

    async def script(pilot):
        await pilot.press("3")
        await settle(pilot)
        runs = forge.query_one("#runs")
        assert runs.row_count == PAGE
        await pilot.press("right_square_bracket")
        await settle(pilot)
        ids = [str(runs.get_row_at(index)[0]) for index in range(runs.row_count)]
        assert ids == ["5", "4", "3", "2", "1"]
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert runs.row_count == PAGE

    drive(forge, script)


def test_control_keys_write_requests_for_the_daemon(filled, forge, drive, settle):
    async def script(pilot):
        await pilot.press("7", "down")  # highlight sound
        await settle(pilot)
        for keys in (["n"], ["p"], ["p"], ["x", "n"], ["x", "y"]):  # p twice: pause, resume
            await pilot.press(*keys)
            await settle(pilot)
        assert forge.query_one("#requests").row_count == 4

    drive(forge, script)
    asked = [(entry.action, entry.model_type) for entry in pending(filled.db)]
    assert asked == [("run_now", "sound"), ("pause", None), ("resume", None), ("cancel", None)]


def test_command_palette_lists_the_actions(filled, forge, drive):
    async def script(pilot):
        titles = [command.title for command in forge.get_system_commands(forge.screen)]
        for title in ("Run now", "Pause/resume", "Cancel stage", "Refresh", "Jobs"):
            assert title in titles

    drive(forge, script)
