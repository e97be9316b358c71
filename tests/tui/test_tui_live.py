"""A real daemon cycle in another process; the overview shows its progress move."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modelforge.tui.app import ForgeApp

PLUGIN = Path(__file__).parent / "steps_plugin" / "modelforge_tui_steps.py"
STEPS = 8


def install(site: Path) -> None:
    """Put the plugin and a dist-info naming its entry point on a path of its own."""
    shutil.copy(PLUGIN, site)
    info = site / "modelforge_tui_steps-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: modelforge-tui-steps\nVersion: 0.1\n"
    )
    (info / "entry_points.txt").write_text("[modelforge]\nsteps = modelforge_tui_steps\n")


@pytest.mark.slow
def test_overview_follows_a_running_daemon_cycle(app, home, tmp_path, drive):
    install(tmp_path)
    env = {
        **os.environ,
        "MODELFORGE_HOME": str(home),
        "MODELFORGE_LOAD_PLUGINS": "steps",
        "PYTHONPATH": str(tmp_path),
        "STEPS": str(STEPS),
        "STEP_S": "0.6",  # slow enough for several refreshes per step on a loaded machine
    }
    app.db.ensure_schema()  # migrated here first, so the daemon finds the schema ready
    daemon = subprocess.Popen(
        [sys.executable, "-m", "modelforge", "run", "--once"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    forge = ForgeApp(app, ["tui"], refresh_s=0.2)
    seen: list[str] = []

    async def script(pilot):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            await pilot.pause(0.1)
            table = forge.query_one("#types")
            if table.row_count:
                row = [str(cell) for cell in table.get_row("arith")]
                if row[1] == "generate" and row[2] not in seen[-1:]:
                    seen.append(row[2])
                if row[4] == "done":  # the Last column: the cycle finished
                    seen.append("cycle done")
                    return

    try:
        drive(forge, script)
    finally:
        daemon.wait(timeout=60)
    counts = [int(cell.split()[-1].split("/")[0]) for cell in seen if "/" in cell]
    assert len(counts) >= 3, seen  # several points of progress on the way, not just the end
    assert counts == sorted(counts) and counts[-1] <= STEPS
    assert seen[-1] == "cycle done"
    assert daemon.returncode == 0
