"""`run --once` ends with the seconds each type's stages took, as the stage records hold them."""

import json

import pytest

from modelforge import StageSkipped, hookimpl, lifecycle


@pytest.fixture
def plugins(bare_plugins):
    """The core alone, plus the scripted stages each test registers."""
    return bare_plugins


class Clock:
    """The lifecycle's clock: it moves only when a scripted stage says so."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(lifecycle, "time", fake)
    return fake


def scripted(clock, seconds: dict[str, dict[str, float]]):
    """Stages that take seconds[type][stage] on the clock; generate skips for `tree`."""

    class Stages:
        @hookimpl
        def generate(self, model_type, ctx):
            clock.now += seconds[model_type]["generate"]
            if model_type == "tree":
                raise StageSkipped("nothing to generate")
            return {}

        @hookimpl
        def train_srl(self, model_type, ctx):
            clock.now += seconds[model_type]["train_srl"]
            return {}

    return Stages()


def test_run_once_ends_with_seconds_per_type_and_stage(invoke, plugins, clock):
    seconds = {
        "arith": {"generate": 12.5, "train_srl": 100.75},
        "tree": {"generate": 3.0, "train_srl": 0.5},
    }
    plugins.register(scripted(clock, seconds), name="scripted")
    result = invoke("run", "--once", "--type", "arith", "--type", "tree")
    assert result.exit_code == 0
    # worked out by hand: the unscripted stages take no time on the clock; tree's skipped
    # generate still cost its 3 s; totals add rows and columns
    assert result.stdout.splitlines() == [
        "cycle 1 for arith: done",
        "cycle 2 for tree: done",
        "",
        "seconds per type and stage:",
        "type   audit  generate  train_srl  train_rlvr  finetune_remote  evaluate  track  select  total",
        "arith    0.0      12.5      100.8         0.0              0.0       0.0    0.0     0.0  113.2",
        "tree     0.0       3.0        0.5         0.0              0.0       0.0    0.0     0.0    3.5",
        "total    0.0      15.5      101.2         0.0              0.0       0.0    0.0     0.0  116.8",
    ]
    # the same seconds `status --json` reports
    status = json.loads(invoke("status", "--json").stdout)
    arith = next(entry for entry in status["types"] if entry["model_type"] == "arith")
    by_stage = {stage["stage"]: stage["duration_s"] for stage in arith["cycle"]["stages"]}
    assert (by_stage["generate"], by_stage["train_srl"]) == (12.5, 100.75)


def test_a_stage_a_failed_cycle_never_reached_shows_a_dash(invoke, plugins, clock):
    class Failing:
        @hookimpl
        def generate(self, model_type, ctx):
            clock.now += 2.0
            raise RuntimeError("generation broke")

    plugins.register(Failing(), name="failing")
    result = invoke("run", "--once", "--type", "arith")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        "type   audit  generate  train_srl  train_rlvr  finetune_remote  evaluate  track  select  total",
        "arith    0.0       2.0          -           -                -         -      -       -    2.0",
    ]
