"""`modelforge curve`, `models show --lineage` and the fixed test set, on tables filled by hand."""

from __future__ import annotations

import json
import math

import pytest
from modelforge_evaluate import testset
from modelforge_evaluate.tables import FixedTestRun

from modelforge.app import App
from modelforge.examples import ExampleStore

from .helpers import new_cycle, register_trained, save_tiny_model, write_config


def wilson_by_hand(passed: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    p = passed / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def point(app, cycle: int, passed: int, n: int, by_difficulty: dict) -> None:
    with app.db.session() as session:
        session.add(
            FixedTestRun(
                test_set_id=1,
                cycle_id=cycle,
                model_type="arith",
                model_name=f"arith/cycle-{cycle}/rlvr",
                samples=n,
                passed=passed,
                by_difficulty=by_difficulty,
                by_category={},
            )
        )


def test_curve_json_gives_wilson_intervals_per_cycle_and_level(plugins, home, invoke):
    write_config(home)
    app = App(plugins)
    first, second = new_cycle(app), new_cycle(app)
    point(app, second, 6, 8, {"2": [4, 4], "10": [2, 4]})
    point(app, first, 3, 8, {"2": [3, 4], "10": [0, 4]})
    result = invoke("curve", "--type", "arith", "--json")
    assert result.exit_code == 0, result.output
    curve = json.loads(result.output)["arith"]
    assert [p["cycle"] for p in curve] == [first, second]  # oldest first
    low, high = wilson_by_hand(3, 8)
    rate = curve[0]["pass_rate"]
    assert (rate["rate"], rate["n"]) == (0.375, 8)
    assert (rate["low"], rate["high"]) == (
        pytest.approx(low, abs=1e-4),
        pytest.approx(high, abs=1e-4),
    )
    assert list(curve[1]["by_difficulty"]) == ["2", "10"]  # levels in numeric order
    assert curve[1]["by_difficulty"]["10"]["rate"] == 0.5
    assert curve[0]["srl_reward"] is None  # no trainer loaded here: no rewards to show

    status = json.loads(invoke("status", "--json").output)
    arith = next(t for t in status["types"] if t["model_type"] == "arith")
    assert [(p["cycle"], p["rate"]) for p in arith["curve"]] == [(first, 0.375), (second, 0.75)]


def test_curve_plot_writes_the_file_and_refuses_other_suffixes(plugins, home, invoke, tmp_path):
    write_config(home)
    app = App(plugins)
    point(app, new_cycle(app), 3, 8, {"2": [3, 8]})
    target = tmp_path / "curve.png"
    assert invoke("curve", "--plot", str(target)).exit_code == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    refused = invoke("curve", "--plot", str(tmp_path / "curve.pdf"))
    assert refused.exit_code == 2 and ".png or .svg" in refused.output


def test_the_fixed_test_set_is_drawn_once_and_never_served_to_training(plugins, home):
    write_config(home)
    app = App(plugins)
    from modelforge.plugins import model_types

    arith = model_types(plugins)["arith"]
    drawn = testset.fixed(app.db, arith, 3)
    assert len(drawn.example_ids) == 3 * len(arith.categories)
    assert testset.fixed(app.db, arith, 3).id == drawn.id  # the same set every cycle
    store = ExampleStore(app.db)
    assert store.unserved_count("arith") == 0  # reserved: training can never draw them


def test_a_test_seed_draws_the_same_problems_in_every_data_directory(plugins, tmp_path):
    """[evaluate] test_seed: two data directories (a benchmark's arms) test on the same problems;
    without it each draws its own."""
    from modelforge.examples.models import Example
    from modelforge.plugins import model_types

    arith = model_types(plugins)["arith"]

    def drawn(name: str, seed: int | None) -> list[str]:
        db = App(plugins, home=str(tmp_path / name)).db
        ids = testset.fixed(db, arith, 4, seed).example_ids
        with db.read_session() as session:
            return [session.get(Example, i).problem["text"] for i in ids]

    assert drawn("arm-a", 7) == drawn("arm-b", 7)
    assert drawn("arm-c", 7) != drawn("arm-d", 8)
    assert drawn("arm-e", None) != drawn("arm-f", None)


def test_models_show_lineage_walks_to_the_base(plugins, home, invoke, tmp_path):
    write_config(home)
    app = App(plugins)
    one = new_cycle(app)
    parent = register_trained(app, save_tiny_model(tmp_path / "a"), one)
    two = new_cycle(app)
    child = register_trained(
        app, save_tiny_model(tmp_path / "b"), two, {"from_artifact": parent.id}
    )
    from modelforge_evaluate.registry_sync import sync_artifacts

    sync_artifacts(app.db, "arith")
    shown = invoke("models", "show", f"arith/cycle-{two}/rlvr", "--lineage", "--json")
    links = json.loads(shown.output)["lineage"]
    assert [link.get("artifact_id") for link in links] == [child.id, parent.id, None]
    assert [link.get("cycle") for link in links[:2]] == [two, one]
    assert links[-1]["base"] == "embedded-test"
    missing = invoke("models", "show", "nope")
    assert missing.exit_code == 1 and "no model named 'nope'" in missing.output
