"""The optional judge: review findings go to a generation role's backend, with provenance."""

import hashlib
import json

import pytest
from sqlmodel import select

JUDGE_CONFIG = """
[audit]
judge = "verifier"

[generate.roles]
verifier = "openai-compatible:judge-model"
"""


ANSWER = "UPDATE: the cache feeds training data; point it at SRL"


class FakeBackend:
    """Stands in for the generation plugin's OpenAI-compatible backend; keeps what it is sent."""

    name = "openai-compatible"

    def __init__(self, model, answer=ANSWER):
        self.model = model
        self.answer = answer
        self.calls: list[tuple[str, str]] = []

    def complete(self, system: str, prompt: str) -> str:
        self.calls.append((system, prompt))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def backends(monkeypatch):
    """Every backend the generation plugin builds, in order, each a FakeBackend."""
    import modelforge_generate.backends as generate_backends

    built: list[FakeBackend] = []

    def build(name, model, settings):
        assert (name, model) == ("openai-compatible", "judge-model")
        built.append(FakeBackend(model, build.answer or ANSWER))
        return built[-1]

    build.answer = None
    monkeypatch.setattr(generate_backends, "build", build)
    return build, built


def audit_json(invoke, tree):
    result = invoke("audit", str(tree), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result


def review_finding(data):
    (finding,) = [f for f in data["findings"] if f["action"] == "review"]
    return finding


def test_review_findings_are_judged_with_the_real_prompt(invoke, tree, write_config, backends, app):
    write_config(JUDGE_CONFIG)
    data, _ = audit_json(invoke, tree)
    (backend,) = backends[1]
    (system, prompt) = backend.calls[0]
    assert len(backend.calls) == 1  # one review finding in the fixture tree: PERF-002
    assert "You judge one task by its purpose" in system
    assert "### PERF-002: Response Cache" in prompt
    assert "Cache responses. The cache may later be useful for training." in prompt
    assert "DEPRECATE only a task whose purpose is the old pipeline" in prompt
    assert "fine-tuning pipeline (deprecate)" in prompt  # the plan's mapping
    digest = hashlib.sha256(f"{system}\0{prompt}".encode()).hexdigest()
    finding = review_finding(data)
    assert finding["action"] == "review"  # a model's word never changes the action
    assert finding["judge"] == {
        "verdict": "update",
        "reason": "the cache feeds training data; point it at SRL",
        "role": "verifier",
        "backend": "openai-compatible",
        "model": "judge-model",
        "prompt_hash": digest,
    }
    assert data["judged"] == 1
    from modelforge_audit.judge import AuditJudgement

    with app.db.session() as session:
        (row,) = session.exec(select(AuditJudgement)).all()
    assert (row.task_id, row.verdict, row.model, row.prompt_hash) == (
        "PERF-002",
        "update",
        "judge-model",
        digest,
    )
    assert row.answer == "UPDATE: the cache feeds training data; point it at SRL"


def test_the_same_prompt_is_judged_once(invoke, tree, write_config, backends):
    write_config(JUDGE_CONFIG)
    audit_json(invoke, tree)
    again, _ = audit_json(invoke, tree)
    assert [len(b.calls) for b in backends[1]] == [1, 0]
    assert review_finding(again)["judge"]["verdict"] == "update"


def test_text_output_shows_the_verdict(invoke, tree, write_config, backends):
    write_config(JUDGE_CONFIG)
    text = invoke("audit", str(tree)).stdout
    assert (
        "    judge (openai-compatible:judge-model): update — "
        "the cache feeds training data; point it at SRL"
    ) in text


def test_off_by_default(invoke, tree, backends):
    data, _ = audit_json(invoke, tree)
    assert backends[1] == [] and "judge" not in review_finding(data)


def test_a_procedural_role_is_a_one_line_error(invoke, tree, write_config, backends):
    write_config('[audit]\njudge = "teacher"\n')
    result = invoke("audit", str(tree))
    assert result.exit_code == 1
    assert (
        "[audit] judge = 'teacher': [generate.roles] teacher is procedural, so it has no model"
        in result.stderr
    )
    assert "Traceback" not in result.output
    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    assert invoke("audit", str(tree), "--apply").exit_code == 1  # refused before any write
    assert {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()} == before


def test_an_unknown_role_is_a_one_line_error(invoke, tree, write_config):
    write_config('[audit]\njudge = "critic"\n')
    result = invoke("audit", str(tree))
    assert result.exit_code == 1
    assert "[audit] judge = 'critic' is not a generation role" in result.stderr


def test_a_failing_backend_leaves_the_finding_for_review(invoke, tree, write_config, backends):
    write_config(JUDGE_CONFIG)
    backends[0].answer = RuntimeError("connection refused")
    data, result = audit_json(invoke, tree)
    finding = review_finding(data)
    assert finding["action"] == "review" and "judge" not in finding
    assert data["judged"] == 0
    assert "judge openai-compatible:judge-model failed: connection refused" in result.stderr


@pytest.mark.parametrize(
    ("answer", "verdict", "reason"),
    [
        ("NONE: staff training", "none", "staff training"),
        ("**Deprecate**: old pipeline\nmore", "deprecate", "old pipeline"),
        ("I think it is fine", "unparseable", "I think it is fine"),
        ("", "unparseable", "an empty answer"),
    ],
)
def test_answers_are_parsed_from_the_first_line(answer, verdict, reason):
    from modelforge_audit.judge import parse

    assert parse(answer) == (verdict, reason)


def test_the_stage_judges_too(tree, write_config, backends, monkeypatch):
    from modelforge.app import App
    from modelforge.lifecycle import LifecycleRunner
    from modelforge.models import StageRun
    from modelforge.plugins import load_plugins

    monkeypatch.setenv("MODELFORGE_LOAD_PLUGINS", "audit,generate")
    write_config(
        JUDGE_CONFIG.replace('judge = "verifier"', f'judge = "verifier"\npaths = ["{tree}"]')
    )
    app = App(load_plugins())
    LifecycleRunner(app.db, app.config, app.plugins).run_cycle("arith")
    with app.db.session() as session:
        run = session.exec(select(StageRun).where(StageRun.stage == "audit")).one()
    assert run.status == "done", run.error
    (backend,) = backends[1]
    assert "### PERF-002: Response Cache" in backend.calls[0][1]
    with open(run.result["audit"]["report"], encoding="utf-8") as report:
        assert "judge (openai-compatible:judge-model): update" in report.read()


def test_without_the_generate_plugin_the_judge_is_a_one_line_error(tree, write_config, monkeypatch):
    from modelforge.app import App
    from modelforge.lifecycle import LifecycleRunner
    from modelforge.models import StageRun
    from modelforge.plugins import load_plugins

    monkeypatch.setenv("MODELFORGE_LOAD_PLUGINS", "audit")
    write_config(f'[audit]\njudge = "verifier"\npaths = ["{tree}"]\n')
    app = App(load_plugins())
    LifecycleRunner(app.db, app.config, app.plugins).run_cycle("arith")
    with app.db.session() as session:
        run = session.exec(select(StageRun).where(StageRun.stage == "audit")).one()
    assert run.status == "failed"
    assert "[audit] judge needs the generate plugin" in run.error
