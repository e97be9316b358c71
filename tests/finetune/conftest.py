"""The finetune plugin registered by hand until its entry point is in pyproject; examples in the
store; fake providers on 127.0.0.1 and their credentials in the environment."""

from __future__ import annotations

import pytest
from modelforge_arith.model_type import Arith

from modelforge.examples import ExampleStore, NewExample
from modelforge.modeltype import Trajectory

from .fakes import FakeAnthropic, FakeOpenAI, FakeVertex

OPENAI_KEY = "sk-test-openai-SECRET-0123456789"
ANTHROPIC_KEY = "sk-ant-test-SECRET-9876543210"
GOOGLE_TOKEN = "ya29.test-google-SECRET-token"
OPENAI_MODEL = "gpt-4.1-mini-2025-04-14"
PROVIDER_ENV = (
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GOOGLE_CLOUD_PROJECT",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "STORAGE_EMULATOR_HOST",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
)


@pytest.fixture(autouse=True)
def no_provider_env(monkeypatch, tmp_path):
    """No real credentials leak in from the machine running the tests."""
    for name in PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture
def plugins(plugins):
    import modelforge_finetune.plugin as finetune_plugin

    if not plugins.pm.has_plugin("finetune"):
        plugins.register(finetune_plugin, name="finetune", source="first-party")
    return plugins


@pytest.fixture
def write_config(home):
    def write(text: str, top: str = "") -> None:
        home.mkdir(parents=True, exist_ok=True)
        (home / "config.toml").write_text(
            f"[types.arith]\nenabled = true\n\n[finetune]\nexamples = 6\n{top}"
            "[finetune.poll]\nfirst_s = 0.02\nmax_s = 0.05\nstage_timeout_s = 5.0\n" + text
        )

    return write


@pytest.fixture
def examples(app):
    """Store arith trajectories: `examples(n)` adds n of each category."""
    arith = Arith()

    def add(n: int = 4, seed: int = 0) -> None:
        store = ExampleStore(app.db)  # on use: the test writes its config first
        batch = store.start_batch("arith", requested=2 * n, mix={}, roles={})
        for index in range(n):
            for category in ("addition", "multiplication"):
                problem = arith.generate_problem(category, 3, seed + index)
                steps = arith.solve(problem)
                trajectory = Trajectory(problem, tuple(steps), arith.outcome_of(problem, steps))
                store.add(batch, NewExample("arith", trajectory, {"seed": index}), 0.99)
        store.finish_batch(batch)

    return add


@pytest.fixture
def openai_fake(monkeypatch):
    fake = FakeOpenAI(OPENAI_KEY, [OPENAI_MODEL, "gpt-4.1-nano-2025-04-14"])
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    yield fake
    fake.close()


@pytest.fixture
def vertex_fake(monkeypatch, tmp_path):
    import google.auth
    import google.oauth2.credentials

    fake = FakeVertex(GOOGLE_TOKEN)
    adc = tmp_path / "adc.json"
    adc.write_text("{}")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "proj")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(adc))
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", fake.url)
    # ADC would exchange a key for a token over the network: hand out a ready token instead.
    monkeypatch.setattr(
        google.auth,
        "default",
        lambda scopes=None, **_: (
            google.oauth2.credentials.Credentials(token=GOOGLE_TOKEN),
            "proj",
        ),
    )
    yield fake
    fake.close()


@pytest.fixture
def anthropic_fake(monkeypatch):
    fake = FakeAnthropic(ANTHROPIC_KEY)
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)
    yield fake
    fake.close()


@pytest.fixture
def bedrock(monkeypatch):
    """moto for Bedrock and S3, taught the one call it lacks (ListFoundationModels)."""
    import json

    import boto3
    from moto import mock_aws
    from moto.bedrock.responses import BedrockResponse

    offered: list[str] = ["anthropic.claude-3-haiku-20240307-v1:0"]

    def list_foundation_models(self):
        assert self.querystring.get("byCustomizationType") == ["FINE_TUNING"]
        return json.dumps(
            {
                "modelSummaries": [
                    {
                        "modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{m}",
                        "modelId": m,
                        "providerName": "Anthropic",
                        "customizationsSupported": ["FINE_TUNING"],
                    }
                    for m in offered
                ]
            }
        )

    monkeypatch.setattr(
        BedrockResponse, "list_foundation_models", list_foundation_models, raising=False
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTSECRET000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-test-SECRET-key-0123456789")
    with mock_aws():
        boto3.session.Session(region_name="us-east-1").client("s3").create_bucket(Bucket="mf-data")
        yield offered


def bedrock_job(name: str):
    from moto.backends import get_backend

    return get_backend("bedrock")["123456789012"]["us-east-1"].model_customization_jobs[name]
