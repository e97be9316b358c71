"""The [train] table, the accelerate command line, and the retraining mark."""

from __future__ import annotations

import pytest
from modelforge_train.artifacts import must_be_retrained
from modelforge_train.launch import accelerate_command
from modelforge_train.settings import TrainSettings, config_hash
from pydantic import ValidationError


def test_defaults_are_the_embedded_cpu_budget():
    settings = TrainSettings()
    assert settings.base == "embedded"
    assert settings.similarity == "difflib"
    assert settings.format_penalty == -1.0
    assert settings.srl.num_generations == 8
    assert settings.rlvr.max_completion_length > settings.srl.max_completion_length


def test_unknown_keys_are_refused():
    with pytest.raises(ValidationError):
        TrainSettings.model_validate({"srl": {"learning_rte": 1e-5}})


def test_config_hash_changes_with_any_knob():
    assert config_hash(TrainSettings()) == config_hash(TrainSettings())
    assert config_hash(TrainSettings()) != config_hash(TrainSettings(seed=1))


def test_train_section_is_registered(app):
    assert app.config.section("train") == TrainSettings()


def test_accelerate_command_passes_the_config_file_through():
    argv = accelerate_command(
        "arith", "both", num_processes=4, config_file="zero3.yaml", max_steps=5, python="python"
    )
    assert argv == [
        "python",
        "-m",
        "accelerate.commands.launch",
        "--num_processes",
        "4",
        "--config_file",
        "zero3.yaml",
        "-m",
        "modelforge",
        "train",
        "--type",
        "arith",
        "--stage",
        "both",
        "--launcher",
        "local",
        "--max-steps",
        "5",
    ]


@pytest.mark.parametrize("processes,flag", [(2, ["--multi_gpu"]), (1, [])])
def test_several_processes_without_a_config_file_start_through_torchrun(processes, flag):
    # without --multi_gpu, accelerate starts one process on a machine with under two GPUs
    argv = accelerate_command("arith", "srl", num_processes=processes, config_file=None)
    assert argv[3 : 5 + len(flag)] == ["--num_processes", str(processes), *flag]
    assert argv.count("--multi_gpu") == len(flag)


@pytest.mark.parametrize("stages,stale", [(["srl", "rlvr"], False), (["srl"], True), (None, True)])
def test_models_without_srl_then_rlvr_must_be_retrained(stages, stale):
    lineage = None if stages is None else {"stages": stages}
    assert must_be_retrained("rlvr_model", lineage) is stale


def test_train_command_is_listed(invoke):
    result = invoke("train", "--help")
    assert "--stage" in result.output and "--max-steps" in result.output


def test_a_stage_optimizer_reaches_the_grpo_config(tmp_path):
    from modelforge_train.grpo_run import grpo_config
    from modelforge_train.settings import GRPOSettings

    stage = GRPOSettings(optim="sgd", learning_rate=0.1)
    config = grpo_config(stage, TrainSettings(), tmp_path, stop_ids=[0])
    assert config.optim == "sgd"
    assert config.learning_rate == 0.1
    default = grpo_config(GRPOSettings(), TrainSettings(), tmp_path, stop_ids=[0])
    assert default.optim == "adamw_torch_fused"  # transformers' own default, kept


def test_tensorboard_logging_without_tensorboard_names_the_extra(monkeypatch, tmp_path):
    import sys

    from modelforge_train.grpo_run import StepReporter, run_grpo

    from modelforge.extras import MissingExtra

    monkeypatch.setitem(sys.modules, "tensorboard", None)  # as if it were not installed
    settings = TrainSettings(report_to=["tensorboard"])
    with pytest.raises(MissingExtra, match=r"modelforge\[tensorboard\]"):
        run_grpo(
            None,
            None,
            [],
            None,
            settings.srl,
            settings,
            tmp_path,
            StepReporter(lambda metrics: None),
            stop_ids=[0],
        )
    assert not any(tmp_path.iterdir())  # refused before anything was written


def test_from_names_an_artifact_of_the_type_or_is_refused(invoke, home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("[types.arith]\nenabled = true\n")
    for named in ("99", "arith/cycle-1/rlvr"):
        result = invoke("train", "--type", "arith", "--from", named)
        assert result.exit_code == 1
        assert f"--from {named}: no artifact of 'arith'" in result.output
    argv = accelerate_command("arith", "both", num_processes=2, config_file=None, from_artifact=7)
    assert argv[-2:] == ["--from", "7"]  # every rank starts from the same artifact
