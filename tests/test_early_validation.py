"""Settings and names are refused when they are read, with the key and the reason, not later
in `run`: every case here was accepted before and failed (or did nothing) much later."""

import json

import pytest


def write_config(home, text):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)
    return home / "config.toml"


@pytest.mark.parametrize(
    "body, line, key, reason",
    [
        ('[daemon]\ntimezone = "Mars/Olympus"\n', 2, "daemon.timezone", "unknown time zone"),
        ("[daemon]\nmisfire_grace_seconds = -5\n", 2, "daemon.misfire_grace_seconds", "positive"),
        ("[daemon]\nmisfire_grace_seconds = 0\n", 2, "daemon.misfire_grace_seconds", "positive"),
        ("[serve]\nport = 70000\n", 2, "serve.port", "less than or equal to 65535"),
        ("[serve]\nport = 0\n", 2, "serve.port", "greater than or equal to 1"),
        ("[serve]\nmax_tokens = 0\n", 2, "serve.max_tokens", "greater than 0"),
        ("[serve]\nmax_body_bytes = -1\n", 2, "serve.max_body_bytes", "greater than 0"),
        ("[audit]\nmax_file_mb = 0\n", 2, "audit.max_file_mb", "greater than 0"),
    ],
)
def test_bad_values_are_refused_at_load_with_file_line_and_key(
    invoke, home, body, line, key, reason
):
    path = write_config(home, "[types.arith]\n\n" + body)
    result = invoke("status")
    assert result.exit_code == 1
    assert f"{path}:{line + 2}: '{key}':" in result.stderr
    assert reason in result.stderr
    assert "Value error" not in result.stderr
    assert not (home / "modelforge.db").exists()


def test_a_valid_time_zone_is_accepted(invoke, home):
    write_config(home, '[types.arith]\n\n[daemon]\ntimezone = "Europe/Berlin"\n')
    assert invoke("status").exit_code == 0


def test_a_type_no_plugin_provides_is_refused_naming_the_known_ones(invoke, home):
    path = write_config(home, "[types.arith]\n\n[types.bogus]\ninterval_minutes = 60\n")
    result = invoke("run", "--once")
    assert result.exit_code == 1
    assert f"{path}:3: 'types.bogus': no plugin provides model type 'bogus'" in result.stderr
    assert "known: " in result.stderr and "arith" in result.stderr
    assert "cycle" not in result.stdout
    assert not (home / "modelforge.db").exists()


def test_a_disabled_type_and_the_embedded_default_are_not_checked(invoke, home):
    write_config(home, "[types.arith]\n\n[types.later]\nenabled = false\n")
    assert invoke("config", "show").exit_code == 0
    (home / "config.toml").unlink()
    assert invoke("config", "show").exit_code == 0  # names types of plugins a test may lack


@pytest.mark.parametrize(
    "args",
    [
        ("control", "run-now", "bogus"),
        ("weaknesses", "--type", "bogus", "--json"),
        ("examples", "stats", "--type", "bogus"),
    ],
)
def test_commands_naming_an_unknown_type_say_so(invoke, args):
    result = invoke(*args)
    assert result.exit_code == 1
    assert "unknown model type 'bogus' (known: " in result.stderr
    assert "arith" in result.stderr


def test_export_of_an_unknown_type_says_so_and_writes_nothing(invoke, tmp_path):
    out = tmp_path / "out.jsonl"
    result = invoke("examples", "export", "--type", "bogus", str(out))
    assert result.exit_code == 1
    assert "unknown model type 'bogus'" in result.stderr
    assert "exported" not in result.stdout and not out.exists()


def test_known_types_still_work(invoke, tmp_path):
    assert invoke("control", "run-now", "arith").exit_code == 0
    assert json.loads(invoke("weaknesses", "--type", "arith", "--json").stdout)["weaknesses"] == []
    out = tmp_path / "out.jsonl"
    assert invoke("examples", "export", "--type", "arith", str(out)).exit_code == 0


def test_events_of_a_cycle_that_does_not_exist_say_so(invoke):
    result = invoke("events", "--cycle", "99")
    assert result.exit_code == 1
    assert "no cycle 99" in result.stderr
    assert invoke("events", "--cycle", "99", "--json").exit_code == 1
