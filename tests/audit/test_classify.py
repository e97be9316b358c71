"""Classification by purpose: each action with its evidence, whole words only, and the traps."""

import pytest
from modelforge_audit.classify import Classifier, term_pattern
from modelforge_audit.markdown import parse


def verdict(settings, body: str, title: str = "Some Task"):
    task = parse(f"### ZZ-001: {title}\n\n{body}\n").tasks[0]
    return Classifier(settings).classify(task)


@pytest.mark.parametrize(
    ("title", "body", "action"),
    [
        ("Historical Log Processing", "Turn the logs into training data.", "deprecate"),
        ("Nightly Job", "Run the fine-tuning pipeline every night.", "deprecate"),
        ("LoRA Training", "Train LoRA adapters per personality.", "deprecate"),
        # The plan keeps the adapter system and trains its adapters the new way.
        ("LoRA Adapter System", "Train LoRA adapters per personality.", "update"),
        ("Testing Framework", "Validate the fine-tuned models.", "enhance"),
        ("Adapter Hot-Swap", "Load adapters at runtime.", "update"),
        ("Model Selection", "Pick a model for each request.", "update"),
        ("Response Cache", "The cache may later be useful for training.", "review"),
        ("Flora Catalogue", "Catalogue the flora of the region.", None),
        ("Metrics Dashboard", "Historical data stored for metrics is shown.", None),
        ("Test Data Policy", "Rule: test data is never used for training.", None),
        # Purpose, not words (issue 16).
        ("HTTP Integration", "Connect the game engine to the inference server.", None),
        ("Integration Testing", "Write a test suite for the engine's AI features.", None),
        ("Orchestration", "Coordinate agents. Trigger a retrain when a model drifts.", "review"),
        ("Personality Model", "Fine-tune the personality model on curated dialogue.", "update"),
        ("Nightly Job", "Back up the saves. Run the fine-tuning pipeline.", "review"),
        ("Inference Service", "Serve models.\n\n- Fine-tune each with datasets", "update"),
        ("Prompt Library", "Keep the prompts.\n\n- Fine-tune each model", "update"),
        ("Model Deployment", "Deploy the fine-tuned models to the servers.", "update"),
        ("Staff Training", "Run a training session for support staff.", None),
    ],
)
def test_actions(settings, title, body, action):
    assert verdict(settings, body, title).action == action


def test_findings_carry_reasons_and_replacements(settings, plan_settings):
    assert verdict(settings, "Turn the logs into training data.", "Historical Log Processing")
    assert (
        verdict(settings, "Logs into training data.", "Historical Log Processing").replacement == []
    )
    found = verdict(plan_settings, "Turn the logs into training data.", "Historical Log Processing")
    assert found.reasons[0] == "historical-log processing: 'Historical Log' in the title"
    assert found.replacement[:4] == ["COLLAB-001", "COLLAB-002", "COLLAB-003", "DYN-001"]
    body = verdict(settings, "Run the fine-tuning pipeline every night.", "Nightly Job")
    assert (
        body.reasons[0].startswith("fine-tuning pipeline: 'fine-tuning")
        and "line 3" in body.reasons[0]
    )


def test_the_title_decides_before_the_body(settings):
    # A test framework for fine-tuned models stays a test framework.
    assert (
        verdict(settings, "Fine-tune nothing; test the tuned model.", "Testing Framework").action
        == "enhance"
    )


def test_matching_is_on_words_not_substrings():
    lora = term_pattern("lora")
    import re

    assert re.search(lora, "Flora and fauna", re.IGNORECASE) is None
    assert re.search(lora, "a LoRA adapter", re.IGNORECASE)
    assert re.search(term_pattern("fine-tuning"), "finetuning and fine tuning", re.IGNORECASE)
    assert re.search(term_pattern("train*"), "retrained", re.IGNORECASE) is None


def test_already_marked_tasks_are_reported_done(settings):
    marked = verdict(settings, "**Status:** DEPRECATED — see X\n\n~~Fine-tune it.~~")
    assert (marked.action, marked.marked) == ("deprecate", True)
    in_title = verdict(settings, "Fine-tune it.", "Old Pipeline (REPLACED)")
    assert (in_title.action, in_title.marked) == ("deprecate", True)
    enhance = verdict(settings, f"{settings.status_prefix} {settings.enhance_marker} — note")
    assert (enhance.action, enhance.marked) == ("enhance", True)


def test_rules_come_from_config():
    from modelforge_audit.settings import AuditSettings, RuleSettings

    custom = AuditSettings(
        rules=[
            RuleSettings(kind="widgets", action="update", terms=["widget*"], replacement=["W-1"])
        ]
    )
    found = verdict(custom, "Polish them.", "Widget Polish")
    assert (found.action, found.replacement) == ("update", ["W-1"])


def test_combined_pattern_matches_as_the_terms_do():
    import re

    from modelforge_audit.classify import any_of

    terms = ["fine-tuning", "serve*", "Model rout*", "*odd", "-x"]
    plain = re.compile("|".join(f"(?:{term_pattern(t)})" for t in terms), re.IGNORECASE)
    texts = ["FINE TUNING", "the servers", "model-routing", "an *odd one", "a -x b", "observe"]
    for text in texts:
        assert [m[0] for m in any_of(terms).finditer(text)] == plain.findall(text), text
    assert any_of(["lora", "qlora"]).pattern.startswith(r"\b(?=[lq])")


def test_an_ignored_sentence_does_not_hide_the_others(settings):
    found = verdict(
        settings, "Test data is never used for training. Then retrain the model.", "Nightly Job"
    )
    assert found.action == "deprecate"
    assert found.reasons[0] == "fine-tuning pipeline: 'retrain' at line 3"
    ignored = verdict(settings, "Intro.\n\nRule: test data is not for training.\n\nFine.")
    assert ignored.action is None


def test_review_names_the_line_of_the_first_mention(settings):
    found = verdict(settings, "A cache.\n\nIt helps.\n\nLater useful for training.")
    assert found.reasons == [
        "mentions 'training' at line 7, but the task's purpose is not training"
    ]


def test_replacements_must_name_a_rule_kind():
    from modelforge_audit.settings import AuditSettings
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="replacements name no rule kind: bogus"):
        AuditSettings(replacements={"bogus": ["X-1"]})
    twice = AuditSettings(replacements={"serving": ["DYN-003"]})
    again = AuditSettings.model_validate(twice.model_dump())  # what `config show` writes back
    assert next(r for r in again.rules if r.kind == "serving").replacement == ["DYN-003"]
