from pathlib import Path

import pytest

from modelforge import config
from modelforge.errors import ConfigError
from modelforge.resources import bundled
from modelforge.settings import Section


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_no_config_file_uses_the_embedded_default(home):
    loaded = config.load()
    assert loaded.path is None
    assert loaded.enabled_types == [
        "arith",
        "personality",
        "facial",
        "building",
        "animal",
        "plant",
        "tree",
        "sound",
    ]
    assert loaded.data_dir == home.resolve()
    assert loaded.data_dir_source == "MODELFORGE_HOME"


def test_flag_beats_environment_beats_file_beats_default(tmp_path, monkeypatch):
    file = write(tmp_path / "c.toml", '[core]\ndata_dir = "%s"\n' % (tmp_path / "from-file"))
    monkeypatch.setenv("MODELFORGE_CONFIG", str(file))
    monkeypatch.delenv("MODELFORGE_HOME")
    assert config.load().data_dir == (tmp_path / "from-file").resolve()
    monkeypatch.setenv("MODELFORGE_HOME", str(tmp_path / "from-env"))
    assert config.load().data_dir == (tmp_path / "from-env").resolve()
    flagged = config.load(cli_home=str(tmp_path / "from-flag"))
    assert flagged.data_dir == (tmp_path / "from-flag").resolve()
    assert flagged.data_dir_source == "--home"


def test_default_home_without_any_setting(tmp_path, monkeypatch):
    monkeypatch.delenv("MODELFORGE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config.load().data_dir == (tmp_path / ".modelforge").resolve()


def test_config_flag_beats_environment_and_home_file(tmp_path, home, monkeypatch):
    write(home / "config.toml", "[types.from_home]\n")
    assert config.load().enabled_types == ["from_home"]
    monkeypatch.setenv("MODELFORGE_CONFIG", str(write(tmp_path / "env.toml", "[types.from_env]\n")))
    assert config.load().enabled_types == ["from_env"]
    flag = write(tmp_path / "flag.toml", "[types.from_flag]\nenabled = true\n")
    assert config.load(cli_config=str(flag)).enabled_types == ["from_flag"]


def test_unknown_key_is_named_with_file_and_line(tmp_path):
    file = write(tmp_path / "c.toml", "[core]\nlog_level = 'INFO'\n\n[daemon]\nbogus = 1\n")
    with pytest.raises(ConfigError) as error:
        config.load(cli_config=str(file))
    assert f"{file}:5: unknown key 'daemon.bogus'" in str(error.value)


def test_unknown_section_is_named(tmp_path):
    file = write(tmp_path / "c.toml", "[nonsense]\nx = 1\n")
    with pytest.raises(ConfigError, match=r"c.toml:1: unknown key 'nonsense'"):
        config.load(cli_config=str(file))


def test_wrong_type_is_named_not_coerced(tmp_path):
    file = write(tmp_path / "c.toml", '[types.arith]\nenabled = true\ninterval_minutes = "6h"\n')
    with pytest.raises(ConfigError) as error:
        config.load(cli_config=str(file))
    assert "c.toml:3: 'types.arith.interval_minutes'" in str(error.value)
    assert "integer" in str(error.value)


@pytest.mark.parametrize(
    "body, key",
    [
        ("[types.arith]\ninterval_minutes = 0\n", "types.arith.interval_minutes"),
        ('[types.arith]\ncron = "every day"\n', "types.arith.cron"),
        ('[core]\nlog_level = "LOUD"\n', "core.log_level"),
        ("[daemon]\nmisfire_grace_seconds = 1.5\n", "daemon.misfire_grace_seconds"),
    ],
)
def test_invalid_values_name_their_key(tmp_path, body, key):
    with pytest.raises(ConfigError, match=key):
        config.load(cli_config=str(write(tmp_path / "c.toml", body)))


def test_invalid_toml_is_a_message(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(cli_config=str(write(tmp_path / "c.toml", "[core\n")))


def test_missing_named_file_is_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("MODELFORGE_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(ConfigError, match="absent.toml .from MODELFORGE_CONFIG"):
        config.load()


def test_plugin_sections_are_validated(tmp_path):
    class Greeting(Section):
        words: list[str] = ["hello"]  # noqa: RUF012 (a pydantic field, copied per instance)

    file = write(tmp_path / "c.toml", '[greeting]\nwords = ["hi", "there"]\n')
    loaded = config.load(cli_config=str(file), plugin_sections={"greeting": Greeting})
    assert loaded.section("greeting").words == ["hi", "there"]
    assert config.load(plugin_sections={"greeting": Greeting}).section("greeting").words == [
        "hello"
    ]
    bad = write(tmp_path / "bad.toml", "[greeting]\nwords = 3\n")
    with pytest.raises(ConfigError, match="'greeting.words'"):
        config.load(cli_config=str(bad), plugin_sections={"greeting": Greeting})


def test_embedded_default_is_commented_and_valid():
    text = bundled("config.toml").read_text()
    assert text.count("#") > 10
    assert config.load().section("daemon").timezone == "UTC"
