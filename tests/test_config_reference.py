"""Every setting findable: the reference, `init`'s file and `config show` come from the settings
classes, agree with what modelforge really reads, and read back as valid configuration."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelforge.cli.main import build_cli
from modelforge.config import load
from modelforge.plugins import config_sections, config_tables, load_plugins
from modelforge.resources import bundled
from modelforge.settings_reference import keys, markdown

DOC = Path(__file__).parents[1] / "docs" / "configuration-reference.md"


@pytest.fixture
def every_plugin():
    """Every installed plugin, the trainer included: only its settings are read here."""
    return load_plugins()


def first_party(plugins) -> dict:
    return {
        name: (owner, model)
        for name, (owner, model) in config_tables(plugins).items()
        if plugins.info[owner].source == "first-party"
    }


def invoke(plugins, *args):
    return CliRunner().invoke(build_cli(plugins), list(args), catch_exceptions=False)


def test_the_reference_page_is_generated_from_the_settings_classes(every_plugin):
    """docs/configuration-reference.md is generated; regenerate it as its header says."""
    assert markdown(first_party(every_plugin)) == DOC.read_text(encoding="utf-8")


def test_every_first_party_key_says_what_it_does(every_plugin):
    silent = [f"{k.table}.{k.key}" for k in keys(first_party(every_plugin)) if not k.meaning]
    assert silent == []


def lookup(data: dict, dotted: str):
    for part in dotted.split("."):
        data = data[part]
    return data


def test_the_reference_defaults_are_what_modelforge_reads_with_no_file(every_plugin):
    """Worked out the other way: the configuration loaded from no file, table by table."""
    effective = load(None, None, config_sections(every_plugin)).as_dict()
    checked = 0
    for key in keys(first_party(every_plugin)):
        if "NAME" in key.table or key.table.endswith("[]"):
            continue  # a table the user names has no effective value to compare with
        assert key.default == lookup(effective, key.table)[key.key], f"{key.table}.{key.key}"
        checked += 1
    # the nested RLVR stage's defaults are its own, not the GRPO class's
    assert lookup(effective, "train.rlvr")["max_steps"] == 8
    assert checked > 150


def uncommented(text: str) -> str:
    """Every `# key = value` line under a live table header, uncommented."""
    out, live = [], False
    for line in text.splitlines():
        if line.startswith("["):
            live = True
        elif line.startswith("# ["):
            live = False
        if live and re.match(r"^# [A-Za-z0-9_\"-]+ = ", line):
            line = line[2:]
        out.append(line)
    return "\n".join(out)


def test_init_writes_every_table_and_key_commented_at_its_default(every_plugin, tmp_path):
    target = tmp_path / "config.toml"
    assert invoke(every_plugin, "init", str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    sections = config_sections(every_plugin)
    for key in keys(config_tables(every_plugin)):
        assert re.search(rf"^# {re.escape(key.key)}( =|:)", text, re.MULTILINE), (
            f"{key.table}.{key.key}"
        )
    for name in sections:
        assert f"\n[{name}]\n" in text
    written = load(str(target), None, sections).as_dict()
    # every key uncommented reads back as the same configuration: the values are the defaults
    target.write_text(uncommented(text), encoding="utf-8")
    assert uncommented(text) != text
    assert load(str(target), None, sections).as_dict() == written
    defaults = load(None, None, sections).as_dict()
    assert {k: v for k, v in written.items() if k != "types"} == {
        k: v for k, v in defaults.items() if k != "types"
    }
    assert sorted(written["types"]) == sorted(defaults["types"])


def test_init_minimal_writes_the_embedded_default(every_plugin, tmp_path):
    target = tmp_path / "config.toml"
    assert invoke(every_plugin, "init", "--minimal", str(target)).exit_code == 0
    assert target.read_bytes() == bundled("config.toml").read_bytes()


CHANGED = """
[core]
log_level = "DEBUG"

[types.arith]
interval_minutes = 60
cron = "0 3 * * *"

[generate.backends.local]
base_url = "http://localhost:8000/v1"
model = "qwen"

[select.responsibilities.chat]
model_type = "arith"
max_latency_ms = 250.0

[audit]
paths = ["/tmp/plans"]
replacements = { serving = ["DYN-003"] }

[[audit.rules]]
kind = "serving"
action = "update"
terms = ["serving", "inference \\"server\\""]

[finetune.prices."my-model"]
train_per_1m_tokens = 2.5
"""


def test_config_show_prints_toml_that_reads_back_as_the_same_configuration(every_plugin, tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text(CHANGED, encoding="utf-8")
    shown = invoke(every_plugin, "--config", str(mine), "config", "show")
    assert shown.exit_code == 0
    assert "None" not in shown.stdout and "True" not in shown.stdout  # no Python reprs
    pasted = tmp_path / "pasted.toml"
    pasted.write_text(shown.stdout, encoding="utf-8")
    sections = config_sections(every_plugin)
    assert tomllib.loads(shown.stdout)["types"]["arith"]["cron"] == "0 3 * * *"
    assert load(str(pasted), None, sections).as_dict() == load(str(mine), None, sections).as_dict()


def test_config_check_names_every_problem_on_its_own_line(every_plugin, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[daemon]\nbogus = 1\ntimezone = "Mars/Olympus"\n'
        "[types.nope]\nenabled = true\n"
        '[train.srl]\nmax_steps = "3"\n',
        encoding="utf-8",
    )
    result = invoke(every_plugin, "config", "check", str(bad))
    assert result.exit_code == 1
    lines = sorted(result.stdout.splitlines())
    assert len(lines) == 4
    assert lines[0].startswith(f"{bad}:2: unknown key 'daemon.bogus'")
    assert lines[1].startswith(f"{bad}:3: 'daemon.timezone': unknown time zone 'Mars/Olympus'")
    assert lines[2].startswith(f"{bad}:4: 'types.nope': no plugin provides model type 'nope'")
    assert lines[3] == f"{bad}:7: 'train.srl.max_steps': Input should be a valid integer"
    good = tmp_path / "good.toml"
    good.write_text(CHANGED, encoding="utf-8")
    result = invoke(every_plugin, "config", "check", str(good))
    assert (result.exit_code, result.stdout) == (0, f"{good}: ok\n")


def test_a_partial_rlvr_table_keeps_rlvrs_own_defaults(every_plugin, tmp_path):
    """[train.rlvr] with one key must not fall back to the SRL stage's defaults."""
    mine = tmp_path / "mine.toml"
    mine.write_text("[train.rlvr]\nlearning_rate = 1e-4\n", encoding="utf-8")
    rlvr = load(str(mine), None, config_sections(every_plugin)).section("train").rlvr
    assert (rlvr.learning_rate, rlvr.max_steps, rlvr.max_examples) == (1e-4, 8, 16)
    assert rlvr.max_completion_length == 320
