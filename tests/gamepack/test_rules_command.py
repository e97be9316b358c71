"""`modelforge rules show|diff|check`: the rules as data, what changed, and acting on it."""

import json
from importlib.resources import files

from .conftest import PACK


def test_show_prints_the_version_and_every_rule(invoke, types):
    for name in PACK:
        result = invoke("rules", "show", name)
        assert result.exit_code == 0
        assert result.output.startswith(f"{name} rules 1.0.0\n")
        assert 'rules.format = "a step is' in result.output
    data = json.loads(invoke("rules", "show", "facial", "--json").output)
    assert data["version"] == "1.0.0"
    assert data["data"]["prototypes"]["happiness"] == ["AU6", "AU12"]
    assert invoke("rules", "show", "arith").exit_code == 0  # any registered type


def test_diff_against_a_file_lists_removed_added_and_changed(invoke, tmp_path):
    edited = tmp_path / "facial-1.1.toml"
    text = files("modelforge_gamepack.facial").joinpath("rules.toml").read_text()
    edited.write_text(
        text.replace('version = "1.0.0"', 'version = "0.9.0"')
        .replace('happiness = ["AU6", "AU12"]', 'happiness = ["AU12"]')
        .replace("min_blend_weight = 0.25", "min_blend_weight = 0.25\nold_knob = 1")
    )
    report = json.loads(invoke("rules", "diff", "facial", str(edited), "--json").output)
    assert report["old"] == {"version": "0.9.0", "source": str(edited)}
    assert report["new"]["version"] == "1.0.0"
    changes = {c["path"]: c for c in report["changes"]}
    assert changes["prototypes.happiness"] == {
        "path": "prototypes.happiness",
        "change": "changed",
        "old": ["AU12"],
        "new": ["AU6", "AU12"],
    }
    assert changes["intensity.old_knob"]["change"] == "removed"
    text_out = invoke("rules", "diff", "facial", str(edited)).output
    assert text_out.startswith("--- facial rules 0.9.0")
    assert '- prototypes.happiness = ["AU12"]' in text_out
    assert '+ prototypes.happiness = ["AU6", "AU12"]' in text_out


def test_diff_against_recorded_versions(invoke):
    result = invoke("rules", "diff", "tree")
    assert result.exit_code == 1 and "no rules of 'tree' are recorded" in result.output
    assert "unchanged" in invoke("rules", "check", "tree").output
    assert invoke("rules", "diff", "tree").output.endswith("no differences\n")
    assert invoke("rules", "diff", "tree", "--version", "1.0.0").exit_code == 0
    missing = invoke("rules", "diff", "tree", "--version", "0.1")
    assert missing.exit_code == 1 and "no rules version 0.1" in missing.output


def test_user_errors_are_messages(invoke, tmp_path):
    assert "unknown model type 'nope'" in invoke("rules", "show", "nope").output
    bad = tmp_path / "bad.toml"
    bad.write_text("no version here = 1\n")
    result = invoke("rules", "diff", "plant", str(bad))
    assert result.exit_code == 1 and result.output.startswith("Error: cannot read rules")
    both = invoke("rules", "diff", "plant", str(bad), "--version", "1")
    assert "not both" in both.output
