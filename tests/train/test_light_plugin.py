"""The plugin's hooks and command import nothing heavy until a stage trains."""

import json
import subprocess
import sys

PROBE = """
import json, sys
import modelforge_train.plugin, modelforge_train.cli, modelforge_train.settings
heavy = ("torch", "transformers", "trl", "peft", "datasets")
print(json.dumps([name for name in heavy if name in sys.modules]))
"""


def test_plugin_and_command_import_light():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(result.stdout) == []


def test_stage_hooks_are_registered(plugins):
    assert "train_srl" in plugins.hooks_of("train")
    assert "train_rlvr" in plugins.hooks_of("train")
