"""The `finetune_remote` stage: every provider to success in one cycle, the checklist item from
the jobs table, a stop mid-poll resumed without a second submit, and skipped without keys."""

import json
import threading

import pytest
from sqlmodel import col, select

from modelforge.lifecycle import LifecycleRunner
from modelforge.models import Cycle, StageRun

from .conftest import bedrock_job


@pytest.fixture
def all_three(write_config, openai_fake, vertex_fake, anthropic_fake, bedrock, examples):
    write_config(
        f'[finetune.openai]\nbase_url = "{openai_fake.url}/v1"\n'
        f'[finetune.gemini]\nbase_url = "{vertex_fake.url}"\nbucket = "gs://mf-data/ft"\n'
        '[finetune.anthropic]\nbedrock_role_arn = "arn:aws:iam::123456789012:role/mf"\n'
        'bedrock_bucket = "s3://mf-data/ft"\n'
    )
    examples(9)  # served once: each provider's job draws its own 6
    return openai_fake, vertex_fake


def finish_everything(openai_fake, vertex_fake, stop: threading.Event) -> None:
    """The providers' side: every job submitted so far completes."""
    from moto.backends import get_backend

    while not stop.wait(0.02):
        for job_id, job in list(openai_fake.jobs.items()):
            if job["status"] == "validating_files":
                openai_fake.finish(job_id)
        for name, job in list(vertex_fake.jobs.items()):
            if job["state"] == "JOB_STATE_PENDING":
                vertex_fake.finish(name)
        for job in list(
            get_backend("bedrock")["123456789012"]["us-east-1"].model_customization_jobs.values()
        ):
            job.status = "Completed"


def run_stage(app, cycle_id=None, stop=lambda: False):
    runner = LifecycleRunner(app.db, app.config, app.plugins)
    runner.should_stop = stop
    if cycle_id is None:
        with app.db.session() as session:
            cycle = Cycle(model_type="arith", trigger="test")
            session.add(cycle)
            session.flush()
            cycle_id = cycle.id
    runner.run_stage(cycle_id, "finetune_remote", "arith")
    with app.db.session() as session:
        run = session.exec(select(StageRun).order_by(col(StageRun.id).desc())).first()
    return cycle_id, run


def test_one_cycle_fine_tunes_with_every_provider_and_the_checklist_sees_it(app, invoke, all_three):
    stop = threading.Event()
    worker = threading.Thread(target=finish_everything, args=(*all_three, stop), daemon=True)
    worker.start()
    try:
        _, run = run_stage(app)
    finally:
        stop.set()
        worker.join(5)
    assert run.status == "done", run.error
    providers = run.result["finetune"]["providers"]
    assert providers == {"openai": "succeeded", "gemini": "succeeded", "anthropic": "succeeded"}
    items = {item["id"]: item for item in json.loads(invoke("checklist", "--json").output)}
    assert items["paid"]["state"] == "done"
    assert "bedrock-fine-tuning" in items["paid"]["evidence"]


def test_a_stopped_stage_resumes_its_jobs_without_submitting_again(app, all_three):
    openai_fake, vertex_fake = all_three
    cycle_id, run = run_stage(app, stop=lambda: True)
    assert run.status == "interrupted"
    assert len(openai_fake.jobs) == 1 and len(vertex_fake.jobs) == 1
    for job_id in openai_fake.jobs:
        openai_fake.finish(job_id)
    for name in vertex_fake.jobs:
        vertex_fake.finish(name)
    bedrock_job("mf-arith-anthropic-srl-c1").status = "Completed"
    _, again = run_stage(app, cycle_id)
    assert again.status == "done"
    assert len(openai_fake.jobs) == 1 and len(vertex_fake.jobs) == 1


def test_without_credentials_the_stage_is_skipped_and_says_why(app, examples):
    examples(1)
    _, run = run_stage(app)
    assert run.status == "skipped"
    assert "no provider credentials in the environment" in run.detail
