"""OpenAI: format, check, price, upload, submit, poll, register; idempotent; retries; budget."""

import json

import pytest
from modelforge_arith.model_type import Arith
from modelforge_finetune import jobs
from sqlmodel import select

from modelforge.models import Event
from modelforge.registry import get_model

from .conftest import OPENAI_KEY, OPENAI_MODEL


@pytest.fixture
def configured(write_config, openai_fake, examples):
    def configure(extra: str = "") -> None:
        write_config(f'[finetune.openai]\nbase_url = "{openai_fake.url}/v1"\n' + extra)

    configure()
    examples(4)
    return configure


def submit(invoke, *extra):
    result = invoke("finetune", "--provider", "openai", "--type", "arith", "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_job_runs_to_success_and_its_model_is_registered(invoke, app, openai_fake, configured):
    job = submit(invoke)
    assert job["status"] == "submitted" and job["method"] == "supervised"
    [remote] = openai_fake.jobs.values()
    assert remote["metadata"]["modelforge_job"] == job["name"]
    assert len(json.loads(openai_fake.files["file-1"].splitlines()[0])["messages"]) == 3

    still = json.loads(invoke("finetune", "status", job["name"], "--json").output)
    assert still["status"] == "submitted"
    openai_fake.finish(remote["id"])
    done = json.loads(invoke("finetune", "status", str(job["id"]), "--json").output)
    assert done["status"] == "succeeded"
    assert done["result_model"].startswith(f"ft:{OPENAI_MODEL}")
    with app.db.session() as session:
        [event] = session.exec(select(Event).where(Event.kind == "model.registered")).all()
    assert event.data["model"] == done["result_model"] and event.data["model_kind"] == "remote"
    entry = get_model(app.db, done["result_model"])
    assert (entry.provider, entry.provider_model_id) == ("openai", done["result_model"])
    assert entry.price_per_1k_tokens > 0 and entry.lineage["source"] == "finetune_remote"
    assert entry.status == "candidate"
    assert len(jobs.find(app.db, job["name"]).example_ids) == 6


def test_reinforcement_uses_the_fuzzy_match_grader_on_srl_steps(invoke, openai_fake, configured):
    configured(
        f'[finetune.openai.methods]\nreinforcement = ["{OPENAI_MODEL}"]\n'
        f'supervised = ["{OPENAI_MODEL}"]\n'
    )
    job = submit(invoke, "--stage", "srl")
    assert job["method"] == "reinforcement"
    grader = openai_fake.jobs["ftjob-1"]["method"]["reinforcement"]["grader"]
    assert grader["type"] == "text_similarity" and grader["evaluation_metric"] == "fuzzy_match"
    line = json.loads(openai_fake.files["file-1"].splitlines()[0])
    assert line["messages"][-1]["role"] == "user" and line["expert_step"].startswith("column 2:")


def test_a_resubmit_after_a_lost_reply_adopts_the_job(invoke, app, openai_fake, configured):
    from modelforge_finetune import runner

    job = submit(invoke)
    # the create call reached OpenAI but its reply was lost: the row still says "uploaded"
    row = jobs.update(app.db, job["id"], status="uploaded", provider_job_id=None)
    settings = app.config.section("finetune")
    adapter = runner.adapter("openai", settings)
    again = runner.push(app.db, settings, adapter, Arith(), row, app.config.data_dir)
    assert again.provider_job_id == job["provider_job_id"]
    assert len(openai_fake.jobs) == 1


def test_retries_on_429_and_5xx(invoke, openai_fake, configured):
    openai_fake.failures = [429, 503]
    assert submit(invoke)["status"] == "submitted"


def test_a_malformed_response_is_an_error_with_its_status(invoke, openai_fake, configured):
    job = submit(invoke)
    openai_fake.malformed = True
    result = invoke("finetune", "status", job["name"])
    assert result.exit_code == 1
    assert (
        "openai: reading job ftjob-1 failed" in result.output and "Traceback" not in result.output
    )


def test_past_the_budget_nothing_is_uploaded(invoke, write_config, openai_fake, configured):
    write_config(
        f'[finetune.openai]\nbase_url = "{openai_fake.url}/v1"\n', top="budget_usd = 0.0\n"
    )
    result = invoke("finetune", "--provider", "openai", "--type", "arith")
    assert result.exit_code == 1 and "past the budget of $0.00" in result.output
    assert not openai_fake.files and not openai_fake.jobs


def test_a_failed_job_keeps_the_providers_error(invoke, openai_fake, configured):
    job = submit(invoke)
    openai_fake.finish("ftjob-1", "failed")
    result = invoke("finetune", "status", job["name"])
    assert "failed" in result.output and "invalid_training_file: bad lines" in result.output


def test_dry_run_writes_the_file_and_sends_nothing(invoke, home, openai_fake, configured):
    result = invoke("finetune", "--provider", "openai", "--type", "arith", "--dry-run", "--json")
    data = json.loads(result.output)
    assert data["dry_run"] and data["lines"] == 18  # 6 trajectories of 4 steps: 3 instances each
    assert (home / "finetune").exists() and openai_fake.requests == []


def test_no_key_reaches_the_database_a_log_an_error_or_a_report(
    invoke, app, home, openai_fake, configured, monkeypatch, caplog
):
    job = submit(invoke)
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY + "-wrong")  # the fake echoes the bad key
    failed = invoke("finetune", "status", job["name"])
    assert failed.exit_code == 1 and "[redacted]" in failed.output
    outputs = [
        failed.output,
        invoke("providers", "--json").output,
        invoke("finetune", "status", "--json").output,
        caplog.text,
    ]
    db_bytes = b"".join(p.read_bytes() for p in home.glob("modelforge.db*"))
    for text in outputs:
        assert OPENAI_KEY not in text
    assert OPENAI_KEY.encode() not in db_bytes
