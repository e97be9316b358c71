"""`train` says up front what a full SRL→RLVR run draws and what the store holds, and with
--generate makes the shortfall first."""

from __future__ import annotations

from click.testing import CliRunner
from modelforge_train.cli import top_up
from modelforge_train.example_need import ExampleNeed

from modelforge.cli.main import build_cli
from modelforge.examples import ExampleStore

CONFIG = """
[types.arith]
enabled = true

[train.srl]
max_examples = 6

[train.rlvr]
max_examples = 4
"""


def test_the_need_is_both_stages_draws_and_rlvr_starves_first():
    need = ExampleNeed("arith", {"train_srl": 6, "train_rlvr": 4}, unserved=6)
    assert (need.needed, need.shortfall, need.starved()) == (10, 4, ["RLVR"])
    assert ExampleNeed("arith", {"train_srl": 6, "train_rlvr": 4}, 7).starved() == []
    assert ExampleNeed("arith", {"train_srl": 6, "train_rlvr": 4}, 0).starved() == ["SRL", "RLVR"]
    assert ExampleNeed("arith", {"train_rlvr": 4}, 9).shortfall == 0


def test_train_says_the_shortfall_and_generate_makes_exactly_it(app, home, capsys):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(CONFIG)
    stages = ("train_srl", "train_rlvr")
    top_up(app, "arith", stages, None, None, generate_missing=False)
    said = capsys.readouterr().err
    assert said == (
        "arith: SRL up to 6 and RLVR up to 4 unserved examples (10 for this run); the store "
        "holds 0; SRL and RLVR would have none and be skipped. Pass --generate to generate the "
        "10 missing first, or run `modelforge generate --type arith -n 10`.\n"
    )
    result = CliRunner().invoke(build_cli(app.plugins), ["generate", "--type", "arith", "-n", "3"])
    assert result.exit_code == 0, result.output
    top_up(app, "arith", stages, None, None, generate_missing=True)
    assert "the store holds 3: generating the 7 missing first." in capsys.readouterr().err
    assert ExampleStore(app.db).unserved_count("arith") == 10
    top_up(app, "arith", stages, None, None, generate_missing=True)
    assert capsys.readouterr().err.endswith("the store holds 10.\n")
    assert ExampleStore(app.db).unserved_count("arith") == 10  # nothing more made
