"""`modelforge tui` is a command like the others, and Textual loads only when it runs."""

import json
import os
import subprocess
import sys

PROBE = """
import json, sys
from modelforge.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps("textual" in sys.modules), file=sys.stderr)
"""


def test_help_lists_tui_without_importing_textual(home):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--help"],
        env={**os.environ, "MODELFORGE_HOME": str(home)},
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
    )
    assert "  tui " in result.stdout
    assert json.loads(result.stderr.strip().splitlines()[-1]) is False


def test_tui_help(invoke):
    result = invoke("tui", "--help")
    assert result.exit_code == 0
    assert "--refresh" in result.output
