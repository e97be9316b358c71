"""Chaos: `modelforge run --once` SIGKILLed at seeded random points while a stage runs, three
times per stage, then left to finish. The cycle must complete once, every stage done once, no
example served twice or lost, checkpoints reused, and the database intact.

A kill is planned from what the stage itself records (its attempt starting, the examples it
stored, a training step or checkpoint), never from a wall-clock delay; the runner is frozen
(SIGSTOP) at that point, the stage is seen still running, and only then is it SIGKILLed: so
every kill in the plan is known to have landed inside its stage, and the test says so if one
did not."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modelforge.lifecycle import STAGES

pytestmark = pytest.mark.slow

SEED = 0
# per stage, the point of each of its three kills, counted from a new attempt's start:
# ("start", 0) as soon as the attempt runs (loading, drawing, pre-training the base);
# ("examples", k) once the attempt has stored k new examples, k drawn in 1..k (150 a cycle; each
# stored as it is accepted, where the stage's progress is written at most twice a second, which
# on a fast machine is a third of the stage); ("checkpoint", 0) a new whole checkpoint;
# ("step", 0) a new training step.
KILL_AT = {
    "generate": [("start", 0), ("examples", 20), ("examples", 20)],
    "train_srl": [("start", 0), ("checkpoint", 0), ("step", 0)],
    "train_rlvr": [("start", 0), ("checkpoint", 0), ("step", 0)],
    "evaluate": [("start", 0)] * 3,
}
TRAINING = ("train_srl", "train_rlvr")

CONFIG = """
[types.arith]
enabled = true

[train]
checkpoint_every = 2
eval_problems_per_level = 0
validation_problems_per_level = 0

[train.embedded]
hidden_size = 32
layers = 1
heads = 2
intermediate_size = 64
pretrain_tokens = 2000
pretrain_batch_size = 8

[train.srl]
max_steps = 4
num_generations = 2
prompts_per_step = 2
max_examples = 6
max_completion_length = 16

[train.rlvr]
max_steps = 4
num_generations = 2
prompts_per_step = 2
max_examples = 4
max_completion_length = 24

[generate]
per_cycle = 150
pool_target = 0
seed = 0

[evaluate]
per_category = 20
step_similarity_per_category = 0
max_new_tokens = 48
"""


def start(home: Path, log: Path) -> subprocess.Popen:
    env = {**os.environ, "MODELFORGE_HOME": str(home)}
    env.pop("MODELFORGE_LOAD_PLUGINS", None)  # every installed plugin, the trainer included
    with open(log, "ab") as out:  # a file, not a pipe: a full pipe would stall the runner
        return subprocess.Popen(
            [sys.executable, "-m", "modelforge", "run", "--once", "--type", "arith"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def query(home: Path, sql: str, *args) -> list[tuple]:
    """Read the runner's database; a moment when it cannot be read (a killed writer's WAL
    being recovered) is waited out, never taken for an empty answer."""
    path = home / "modelforge.db"
    deadline = time.monotonic() + 60
    while True:
        if not path.exists():
            return []
        try:
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
            try:
                return connection.execute(sql, args).fetchall()
            finally:
                connection.close()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):  # not migrated yet
                return []
            assert time.monotonic() < deadline, f"cannot read the database: {error}"
            time.sleep(0.05)


def checkpoints(home: Path, stage: str) -> list[int]:
    return sorted(
        int(folder.name.split("-")[1])
        for folder in home.glob(f"cycles/*/{stage}/checkpoints/checkpoint-*")
        if (folder / "trainer_state.json").exists()  # written last: the checkpoint is whole
    )


def examples(home: Path) -> int:
    return (query(home, "SELECT count(*) FROM examples") or [(0,)])[0][0]


def last_event_id(home: Path) -> int:
    return (query(home, "SELECT max(id) FROM events") or [(0,)])[0][0] or 0


def steps_since(home: Path, stage: str, mark: int) -> list[int]:
    rows = query(
        home,
        "SELECT json_extract(data, '$.step') FROM events "
        "WHERE kind = 'train.step' AND stage = ? AND id > ? ORDER BY id",
        stage,
        mark,
    )
    return [step for (step,) in rows]


def kill_while_running(home, log, stage, anchor, count, seen, kills) -> None:
    """Start a runner, wait for a new attempt at `stage` and then for `anchor` in it, freeze
    the runner, and SIGKILL it: a kill that found the stage still running is recorded as such;
    one whose stage ended before the freeze is recorded as landing late."""
    # a row the last killed runner left `running` is not this attempt: only a newer row is
    newest = query(home, "SELECT max(id) FROM stage_runs")
    seen[stage] = max(seen.get(stage, 0), (newest or [(0,)])[0][0] or 0)
    process = start(home, log)
    try:
        deadline = time.monotonic() + 900  # a bound for a hang, roomy for a busy machine

        def waiting(what: str) -> None:
            if process.poll() is not None:
                pytest.fail(f"run ended ({process.returncode}) waiting for {what} of {stage}")
            assert time.monotonic() < deadline, f"timed out waiting for {what} of {stage}"
            time.sleep(0.01)

        while True:
            rows = query(
                home,
                "SELECT id FROM stage_runs WHERE stage = ? AND status = 'running' AND id > ?",
                stage,
                seen.get(stage, 0),
            )
            if rows:
                seen[stage] = rows[0][0]
                break
            waiting("the start")
        attempt = seen[stage]
        mark, saved, made = last_event_id(home), checkpoints(home, stage), examples(home)
        met = {
            "start": lambda: True,
            "examples": lambda: examples(home) - made >= count,
            "checkpoint": lambda: checkpoints(home, stage)[-1:] > saved[-1:],
            "step": lambda: steps_since(home, stage, mark),
        }[anchor]
        running = "SELECT 1 FROM stage_runs WHERE id = ? AND status = 'running'"
        while not met() and query(home, running, attempt):
            waiting(anchor)
        process.send_signal(signal.SIGSTOP)  # frozen: the stage's row can no longer change
        status = query(home, "SELECT status FROM stage_runs WHERE id = ?", attempt)[0][0]
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    kills.append(
        {
            "stage": stage,
            "anchor": anchor,
            "count": count,
            "stage_status": status,  # running when the kill landed, or it had already ended
            "checkpoints": checkpoints(home, stage) if stage in TRAINING else [],
            "event_mark": last_event_id(home),
        }
    )


def test_sigkill_at_random_points_of_every_stage(tmp_path, home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(CONFIG)
    log = tmp_path / "runs.log"
    rng = random.Random(SEED)
    kills: list[dict] = []
    seen: dict[str, int] = {}
    try:
        for stage, points in KILL_AT.items():
            for anchor, most in points:
                count = rng.randint(1, most) if most else 0
                kill_while_running(home, log, stage, anchor, count, seen, kills)
                if kills[-1]["stage_status"] != "running":
                    pytest.fail(f"a kill of {stage} at {anchor} {count} landed after it ended")
        # A kill that lands after the cycle's end leaves nothing to finish; another run would
        # rightly open a second cycle.
        if not query(home, "SELECT 1 FROM cycles WHERE status = 'done'"):
            final = start(home, log)
            assert final.wait(timeout=1200) == 0, "the last run did not finish the cycle"
        check(home, kills)
    except BaseException:
        print(log.read_text(errors="replace")[-6000:])
        raise
    finally:  # shown with -s, or with the failure
        print(f"seed {SEED}; kill points:\n" + "\n".join(json.dumps(k) for k in kills))


def check(home: Path, kills: list[dict]) -> None:
    cycles = query(home, "SELECT id, status FROM cycles WHERE model_type = 'arith'")
    assert [status for _, status in cycles] == ["done"], cycles
    ((cycle_id, _),) = cycles

    runs = query(home, "SELECT stage, status FROM stage_runs WHERE cycle_id = ?", cycle_id)
    assert "running" not in {status for _, status in runs}
    for stage in STAGES:
        finished = [s for st, s in runs if st == stage and s in ("done", "skipped")]
        assert len(finished) == 1, (stage, runs)
    for stage in KILL_AT:
        assert [s for st, s in runs if st == stage and s == "done"] == ["done"], (stage, runs)

    # every served example went to exactly the stage (or held-out set) that recorded it
    artifacts = query(
        home,
        "SELECT kind, json_extract(lineage, '$.example_ids') FROM artifacts "
        "WHERE cycle_id = ? ORDER BY id",
        cycle_id,
    )
    kinds = [kind for kind, _ in artifacts]
    assert {kind: kinds.count(kind) for kind in kinds} == {"srl_model": 1, "rlvr_model": 1}
    lineage = {kind: json.loads(ids) for kind, ids in artifacts}
    expected = {f"train_srl:cycle-{cycle_id}": lineage["srl_model"]["srl"]}
    expected[f"train_rlvr:cycle-{cycle_id}"] = lineage["rlvr_model"]["rlvr"]
    assert lineage["rlvr_model"]["srl"] == expected[f"train_srl:cycle-{cycle_id}"]
    for set_id, ids in query(home, "SELECT id, example_ids FROM heldout_sets"):
        expected[f"heldout:set-{set_id}"] = json.loads(ids)
    for set_id, ids in query(home, "SELECT id, example_ids FROM test_sets"):
        expected[f"testset:{set_id}"] = json.loads(ids)  # the type's fixed test set
    served: dict[str, list[int]] = {}
    for example_id, served_to in query(
        home, "SELECT id, served_to FROM examples WHERE served_at IS NOT NULL ORDER BY id"
    ):
        served.setdefault(served_to, []).append(example_id)
    assert served == {to: sorted(ids) for to, ids in expected.items() if ids}, (served, expected)
    heldout_used = query(
        home, "SELECT DISTINCT heldout_set_id FROM eval_runs WHERE cycle_id = ?", cycle_id
    )
    assert len(heldout_used) == 1 and expected[f"heldout:set-{heldout_used[0][0]}"]

    # a training stage killed after a checkpoint resumed from it: no checkpointed step redone
    for stage in TRAINING:
        steps = query(
            home,
            "SELECT id, json_extract(data, '$.step') FROM events "
            "WHERE kind = 'train.step' AND stage = ? AND cycle_id = ? ORDER BY id",
            stage,
            cycle_id,
        )
        for kill in kills:
            if kill["stage"] != stage or not kill["checkpoints"]:
                continue
            if kill["stage_status"] != "running":
                continue  # it had finished: nothing to resume
            after = [step for event_id, step in steps if event_id > kill["event_mark"]]
            assert after and after[0] > max(kill["checkpoints"]), (stage, kill, after)
        assert [step for _, step in steps][-1] == 4

    assert query(home, "PRAGMA integrity_check") == [("ok",)]

    # what the kills covered: every kill in the plan, each landing while its stage ran, the
    # training stages' second after a checkpoint
    landed = [(k["stage"], k["anchor"]) for k in kills if k["stage_status"] == "running"]
    planned = [(stage, anchor) for stage, points in KILL_AT.items() for anchor, _ in points]
    assert landed == planned, kills
    for stage in TRAINING:
        assert any(k["stage"] == stage and k["checkpoints"] for k in kills), (stage, kills)
