"""Optional packages: a missing one is a message naming the pip extra, and pyproject agrees."""

import sys
import tomllib
from pathlib import Path

import pytest

from modelforge.extras import OPTIONAL, MissingExtra, require

PYPROJECT = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]


def name_of(requirement: str) -> str:
    return requirement.split(">")[0].split("=")[0].split("<")[0].split("[")[0].strip().lower()


@pytest.mark.parametrize("module", sorted(OPTIONAL))
def test_a_missing_package_names_its_extra(module, monkeypatch):
    distribution, extra = OPTIONAL[module]
    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    with pytest.raises(MissingExtra) as caught:
        require(module, "this feature")
    message = str(caught.value)
    assert f"pip install 'modelforge[{extra}]'" in message
    assert f"'{distribution}' package, which is not installed" in message
    assert "\n" not in message


def test_extras_match_pyproject():
    extras = PYPROJECT["optional-dependencies"]
    core = {name_of(r) for r in PYPROJECT["dependencies"]}
    dev = {name_of(r) for r in extras["dev"]}
    for distribution, extra in OPTIONAL.values():
        assert distribution in {name_of(r) for r in extras[extra]}
        assert distribution not in core  # the plain install leaves it out
    for extra, requirements in extras.items():
        assert {name_of(r) for r in requirements} <= dev, f"dev lacks part of [{extra}]"


@pytest.mark.parametrize(
    ("backend", "module", "key"),
    [
        ("openai-compatible", "openai", "OPENAI_API_KEY"),
        ("anthropic", "anthropic", "ANTHROPIC_API_KEY"),
        ("gemini", "google.genai", "GEMINI_API_KEY"),
    ],
)
def test_a_generation_backend_without_its_sdk_names_the_extra(backend, module, key, monkeypatch):
    from modelforge_generate.backends import build
    from modelforge_generate.settings import BackendSettings

    monkeypatch.setenv(key, "k")
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingExtra, match=r"pip install 'modelforge\[providers\]'"):
        build(backend, "some-model", BackendSettings())


def test_finetune_without_sdks_names_the_extras_and_needs_none_unconfigured(monkeypatch):
    from modelforge_finetune import runner
    from modelforge_finetune.settings import FinetuneSettings

    for module in ("openai", "boto3", "botocore"):
        monkeypatch.setitem(sys.modules, module, None)
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    settings = FinetuneSettings()
    with pytest.raises(MissingExtra, match=r"modelforge\[providers\]"):
        _ = runner.adapter("openai", settings).client
    assert runner.adapter("anthropic", settings).credentials() is None  # no Bedrock: no boto3
    bedrock = FinetuneSettings.model_validate(
        {"anthropic": {"bedrock_role_arn": "arn:aws:iam::1:role/r", "bedrock_bucket": "s3://b"}}
    )
    with pytest.raises(MissingExtra, match=r"modelforge\[bedrock\]"):
        runner.adapter("anthropic", bedrock).credentials()
