"""`modelforge --help` with this plugin imports no provider SDK; local checks name the line."""

import json
import os
import subprocess
import sys

import pytest
from modelforge_finetune import formats
from modelforge_finetune.records import Record

PROBE = """
import json, sys
import modelforge_finetune.plugin as plugin
from modelforge.cli.main import build_cli
from modelforge.plugins import load_plugins
plugins = load_plugins()
if not plugins.pm.has_plugin("finetune"):
    plugins.register(plugin, name="finetune")
try:
    build_cli(plugins).main(args=sys.argv[1:], prog_name="modelforge")
except SystemExit:
    pass
heavy = ("openai", "anthropic", "google.genai", "boto3")
print(json.dumps([name for name in heavy if name in sys.modules]), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["finetune", "--help"]])
def test_help_imports_no_provider_sdk(args, home):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env={**os.environ, "MODELFORGE_HOME": str(home)},
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
    )
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []


def test_a_bad_line_is_named_before_any_upload():
    good = formats.openai_supervised(Record("sys", "1+2", "answer: ans=3", "3", "addition"))
    bad = {"messages": [{"role": "user", "content": "1+2"}]}
    with pytest.raises(formats.FormatError, match="line 2: a supervised line must end with an"):
        formats.validate("openai", "supervised", [good, bad])
    empty = formats.gemini_supervised(Record("sys", "1+2", "", "3", "addition"))
    with pytest.raises(formats.FormatError, match=r"line 1: contents\[1\].parts\[0\].text"):
        formats.validate("gemini", "supervised", [empty])
