"""The edges stay light: no torch, transformers or trl behind --help, status or checklist."""

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("torch", "transformers", "trl", "peft", "datasets", "openai", "anthropic", "google.genai")

PROBE = """
import json, sys
from modelforge.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps([name for name in {heavy!r} if name in sys.modules]), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["status"], ["checklist"], ["plugins"]])
def test_command_imports_nothing_heavy(args, home):
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        check=False,
        env={**os.environ, "MODELFORGE_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []
