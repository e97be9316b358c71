"""Gemini on Vertex (through google-genai's base URL and a GCS emulator), and Claude through
Bedrock (moto) or prompt optimisation (a Messages API peer)."""

import json

import pytest

from .conftest import bedrock_job


@pytest.fixture
def gemini_config(write_config, vertex_fake, examples):
    write_config(f'[finetune.gemini]\nbase_url = "{vertex_fake.url}"\nbucket = "gs://mf-data/ft"\n')
    examples(4)


def test_gemini_srl_is_reinforcement_tuning_with_the_step_similarity_reward(
    invoke, vertex_fake, gemini_config
):
    result = invoke("finetune", "--provider", "gemini", "--type", "arith", "--json")
    job = json.loads(result.output)
    assert job["method"] == "REINFORCEMENT_TUNING" and job["status"] == "submitted"
    [raw] = vertex_fake.objects.values()
    line = json.loads(raw.splitlines()[0])
    expert = line["references"]["expert_step"]
    assert vertex_fake.reward(line, {"parts": [{"text": f"<think>hm</think>{expert}"}]}) == 1.0
    assert vertex_fake.reward(line, {"parts": [{"text": "<think>only thoughts</think>"}]}) == -1.0
    vertex_fake.finish(job["provider_job_id"])
    done = json.loads(invoke("finetune", "status", job["name"], "--json").output)
    assert done["status"] == "succeeded" and done["result_model"].endswith("/endpoints/9")


def test_gemini_sft_is_supervised_tuning(invoke, vertex_fake, gemini_config):
    result = invoke("finetune", "--provider", "gemini", "--type", "arith", "--stage", "sft")
    assert result.exit_code == 0, result.output
    [spec_job] = vertex_fake.jobs.values()
    assert (
        json.loads(next(iter(vertex_fake.objects.values())).splitlines()[0])["contents"][-1]["role"]
        == "model"
    )
    assert spec_job["labels"]["modelforge-job"].startswith("mf-arith-gemini-sft-")


def test_anthropic_without_a_customizable_model_optimises_a_prompt(
    invoke, app, write_config, anthropic_fake, examples
):
    write_config(f'[finetune.anthropic]\nbase_url = "{anthropic_fake.url}"\nheld_out = 6\n')
    examples(4)
    result = invoke("finetune", "--provider", "anthropic", "--type", "arith", "--json")
    assert result.exit_code == 0, result.output
    job = json.loads(result.output)
    assert job["method"] == "prompt" and job["status"] == "succeeded"
    scores = [c["score"] for c in job["detail"]["candidates"]]
    assert scores[0] == 0.5 and job["score"] == 1.0  # leaning to multiplication fixed it
    assert job["result_model"].startswith("prompted:claude-haiku-4-5:")


def test_anthropic_on_bedrock_runs_a_customization_job(
    invoke, write_config, bedrock, anthropic_fake, examples
):
    write_config(
        '[finetune.anthropic]\nbedrock_role_arn = "arn:aws:iam::123456789012:role/mf"\n'
        'bedrock_bucket = "s3://mf-data/ft"\n'
    )
    examples(4)
    result = invoke("finetune", "--provider", "anthropic", "--type", "arith", "--json")
    assert result.exit_code == 0, result.output
    job = json.loads(result.output)
    assert job["method"] == "bedrock-fine-tuning" and job["upload_ref"].startswith("s3://mf-data/")
    assert json.loads(invoke("finetune", "status", job["name"], "--json").output)["status"] == (
        "running"
    )
    bedrock_job(job["name"]).status = "Completed"
    done = json.loads(invoke("finetune", "status", job["name"], "--json").output)
    assert done["status"] == "succeeded" and "custom-model" in done["result_model"]


def test_providers_lists_methods_without_printing_keys(invoke, write_config, openai_fake):
    write_config(f'[finetune.openai]\nbase_url = "{openai_fake.url}/v1"\n')
    rows = json.loads(invoke("providers", "--json").output)
    by = {row["provider"]: row for row in rows}
    assert by["openai"]["credentials"] == "$OPENAI_API_KEY"
    assert "supervised" in by["openai"]["methods"]
    assert by["gemini"]["credentials"] == "none found"
    assert by["openai"]["retirements"] == {"new fine-tuning jobs": "2027-01-06"}


def test_plan_recommends_with_reasons(invoke, write_config, openai_fake, anthropic_fake, examples):
    write_config(f'[finetune.openai]\nbase_url = "{openai_fake.url}/v1"\n')
    examples(2)
    report = json.loads(invoke("finetune", "plan", "--type", "arith", "--json").output)
    options = {row["option"]: row for row in report["options"]}
    assert options["openai"]["one_off_usd"] > 0 and options["anthropic-prompt"]["possible"]
    assert report["recommendation"] in ("openai", "anthropic-prompt") and report["reasons"]
    assert not openai_fake.jobs
