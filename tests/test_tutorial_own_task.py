"""docs/tutorial-own-task.md, run as written: its package (examples/modelforge-sorting) installed
the way a third-party plugin is, its config block saved as the file it names, and each of its
commands run in turn: the type is found through the entry point, generated, trained
(SRL then RLVR) and evaluated."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]
PAGE = ROOT / "docs" / "tutorial-own-task.md"
PACKAGE = "examples/modelforge-sorting"


def block_after(marker: str) -> str:
    text = PAGE.read_text(encoding="utf-8").split(f"<!-- {marker} -->", 1)[1]
    return text.split("```", 2)[1].split("\n", 1)[1]


def test_the_own_task_tutorial_runs_as_written(tmp_path, home):
    (tmp_path / "sorting.toml").write_text(block_after("tutorial-config"), encoding="utf-8")
    install, *commands = [
        shlex.split(line) for line in block_after("tutorial-commands").splitlines()
    ]
    assert install == ["pip", "install", "-e", PACKAGE]
    site = tmp_path / "site"  # installed beside the test's environment, never into it
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(site), str(ROOT / PACKAGE)],
        check=True, timeout=300,
    )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(site), "MODELFORGE_HOME": str(home)}
    env.pop("MODELFORGE_LOAD_PLUGINS", None)
    out = {}
    for argv in commands:
        assert argv[0] == "modelforge"
        done = subprocess.run(
            [sys.executable, "-m", "modelforge", *argv[1:]],
            check=False, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1800,
        )  # fmt: skip
        assert done.returncode == 0, (argv, done.stdout, done.stderr)
        verb = next(a for a in argv[1:] if not a.startswith("-") and a != "sorting.toml")
        out[verb] = done
    assert "sorting 0.1.0  (entry point)  hooks: register_model_types" in out["plugins"].stdout
    assert "sorting: 20 of 20 stored" in out["generate"].stdout
    assert "the store holds 20" in out["train"].stderr  # it said what the run needs
    assert "train_srl: done" in out["train"].stdout
    assert "train_rlvr: done" in out["train"].stdout
    assert "sorting/cycle-" in out["eval"].stdout
    assert "/rlvr" in out["models"].stdout
