"""Whole-process behaviour: a kill mid-batch leaves true counts; the CLI stays light."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import text

from modelforge.app import App
from modelforge.examples import ExampleStore
from modelforge.plugins import load_plugins

HEAVY = ("torch", "transformers", "trl", "openai", "anthropic", "google.genai", "datasets")


@pytest.mark.parametrize("args", [["--help"], ["status"], ["checklist"], ["generate", "--help"]])
def test_the_command_line_does_not_import_heavy_libraries(args):
    code = (
        "import sys; from modelforge.cli.main import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY', sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60
    )
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


@pytest.mark.slow
def test_a_killed_batch_leaves_true_counts_and_the_next_run_continues(home):
    command = [
        sys.executable,
        "-m",
        "modelforge.cli.main",
        "generate",
        "--type",
        "arith",
        "-n",
        "100000",
    ]
    process = subprocess.Popen(
        command,
        env={**os.environ, "MODELFORGE_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    app = App(load_plugins())
    store = ExampleStore(app.db)
    deadline = time.monotonic() + 60
    while store.unserved_count("arith") < 50 and time.monotonic() < deadline:
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    with app.db.engine.connect() as connection:
        [(counts, status)] = connection.execute(
            text("SELECT counts, status FROM example_batches")
        ).all()
        stored = connection.execute(text("SELECT COUNT(*) FROM examples")).scalar()
        bands = connection.execute(text("SELECT COUNT(*) FROM example_bands")).scalar()
    assert status == "running"
    assert json.loads(counts)["accepted"] == stored >= 50
    assert bands == 16 * stored  # no example without its buckets
    result = subprocess.run(
        [*command[:-1], "5", "--json"],
        check=False,
        env={**os.environ, "MODELFORGE_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(result.stdout)["generated"] == 5
    with app.db.engine.connect() as connection:
        statuses = [
            s for (s,) in connection.execute(text("SELECT status FROM example_batches ORDER BY id"))
        ]
    assert statuses == ["interrupted", "done"]
    assert store.stats("arith")["total"]["stored"] == stored + 5
