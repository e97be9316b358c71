"""The example store: duplicates rejected and counted, each example served at most once."""

import json
import threading

import pytest
from modelforge_arith.model_type import Arith
from sqlmodel import func, select

from modelforge.examples import AlreadyServed, ExampleStore, NewExample
from modelforge.examples.models import ExampleBand
from modelforge.modeltype import Trajectory

ARITH = Arith()


def _example(category="addition", digits=6, seed=0, problem=None):
    problem = problem or ARITH.generate_problem(category, digits, seed)
    steps = ARITH.solve(problem)
    return NewExample(
        "arith", Trajectory(problem, tuple(steps), ARITH.outcome_of(problem, steps)), {"seed": seed}
    )


@pytest.fixture
def store(app):
    return ExampleStore(app.db)


@pytest.fixture
def batch(store):
    return store.start_batch("arith", requested=10, mix={}, roles={})


def test_stores_an_example_with_its_provenance_and_bands(store, batch, app):
    result = store.add(batch, _example(), 0.9)
    assert result.status == "stored"
    [drawn] = store.draw("arith", 5, served_to="test")
    assert drawn.id == result.example_id
    assert drawn.provenance == {"seed": 0}
    assert drawn.trajectory() == _example().trajectory
    with app.db.session() as session:
        assert session.exec(select(func.count()).select_from(ExampleBand)).one() == 16


def test_exact_duplicates_are_rejected_even_when_formatted_differently(store, batch):
    first = _example()
    problem = first.trajectory.problem
    spaced = type(problem)(
        problem.category, problem.difficulty, 99, f"  {problem.text} ", problem.data
    )
    assert store.add(batch, first, 0.9).status == "stored"
    assert store.add(batch, _example(problem=spaced), 0.9).status == "duplicate_exact"
    counts = store.finish_batch(batch)
    assert counts == {"accepted": 1, "duplicate_exact": 1}


def test_near_duplicates_are_found_through_shared_buckets(store, batch):
    first = _example(digits=12)
    problem = first.trajectory.problem
    a = problem.data["a"]
    close = type(problem)(
        "addition",
        12,
        5,
        f"{a}+{problem.data['b'] + 1}",
        {**problem.data, "b": problem.data["b"] + 1},
    )
    far = _example(digits=12, seed=1)
    assert store.add(batch, first, 0.5).status == "stored"
    near = store.add(batch, _example(problem=close), 0.5)
    assert near.status == "duplicate_near"
    assert near.similar_to == store.draw("arith", 1, served_to="peek")[0].id
    assert store.add(batch, far, 0.5).status == "stored"
    assert (
        store.add(batch, _example(problem=close), 1.0).status == "stored"
    )  # threshold 1: only identical


def test_draw_serves_each_example_once_even_to_concurrent_callers(store, batch):
    for seed in range(60):
        store.add(batch, _example(seed=seed), 0.95)
    drawn: list[int] = []
    lock = threading.Lock()

    def take():
        while rows := store.draw("arith", 7, served_to="t"):
            with lock:
                drawn.extend(row.id for row in rows)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(drawn) == sorted(set(drawn))
    assert len(drawn) == 60
    assert store.unserved_count("arith") == 0


def test_mark_served_refuses_a_second_serving_and_marks_nothing(store, batch):
    ids = [store.add(batch, _example(seed=s), 0.95).example_id for s in range(3)]
    store.mark_served(ids[:1], "srl")
    with pytest.raises(AlreadyServed):
        store.mark_served(ids, "srl")
    assert store.unserved_count("arith") == 2


def test_stats_per_category(store, batch, invoke):
    for seed in range(4):
        store.add(batch, _example("addition", seed=seed), 0.95)
    store.add(batch, _example("multiplication"), 0.95)
    store.count_rejection(batch, "rule:carry-in")
    store.draw("arith", 1, served_to="srl", category="multiplication")
    stats = store.stats("arith")
    assert stats["categories"] == {
        "addition": {"stored": 4, "served": 0, "unserved": 4},
        "multiplication": {"stored": 1, "served": 1, "unserved": 0},
    }
    assert stats["rejected"] == {"rule:carry-in": 1}
    result = invoke("examples", "stats", "--type", "arith", "--json")
    assert json.loads(result.output)["total"] == {"stored": 5, "served": 1, "unserved": 4}
    assert "multiplication" in invoke("examples", "stats", "--type", "arith").output


def test_export_jsonl(store, batch, invoke, tmp_path):
    for seed in range(3):
        store.add(batch, _example(seed=seed), 0.95)
    out = tmp_path / "out.jsonl"
    result = invoke("examples", "export", "--type", "arith", "--format", "jsonl", str(out))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 3
    assert {"problem", "steps", "outcome", "provenance"} <= set(rows[0])
    assert store.unserved_count("arith") == 3  # exporting is not serving


@pytest.mark.parametrize("fmt", ["jsonl", "hf"])
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_never_replaces_a_folder_it_did_not_write(invoke, tmp_path, fmt, force):
    victim = tmp_path / "victim"
    (victim / "sub").mkdir(parents=True)
    (victim / "sub" / "notes.txt").write_text("precious\n")
    result = invoke("examples", "export", "--type", "arith", "--format", fmt, *force, str(victim))
    assert result.exit_code == 1
    assert (
        result.output == f"Error: {victim} is a folder modelforge did not write; refusing to "
        "replace it (nothing was removed)\n"
    )
    assert (victim / "sub" / "notes.txt").read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["victim"]


def test_export_to_the_current_folder_is_a_message(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("examples", "export", "--type", "arith", ".")
    assert result.exit_code == 1
    assert (
        result.output == "Error: . is a folder modelforge did not write; refusing to "
        "replace it (nothing was removed)\n"
    )


def test_export_replaces_a_file_only_with_force(store, batch, invoke, tmp_path):
    store.add(batch, _example(), 0.95)
    out = tmp_path / "out.jsonl"
    out.write_text("mine\n")
    result = invoke("examples", "export", "--type", "arith", str(out))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out} already exists; refusing to overwrite it (--force replaces a file)\n"
    )
    assert out.read_text() == "mine\n"
    result = invoke("examples", "export", "--type", "arith", "--force", str(out))
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 1


@pytest.mark.slow
def test_export_hf_dataset(store, batch, invoke, tmp_path):
    from datasets import load_from_disk

    for seed in range(3):
        store.add(batch, _example(seed=seed), 0.95)
    out = tmp_path / "ds"
    assert (
        invoke("examples", "export", "--type", "arith", "--format", "hf", str(out)).exit_code == 0
    )
    dataset = load_from_disk(str(out))
    assert len(dataset) == 3
    store.add(batch, _example(seed=3), 0.95)  # an earlier export's folder may be replaced
    assert (
        invoke("examples", "export", "--type", "arith", "--format", "hf", str(out)).exit_code == 0
    )
    assert len(load_from_disk(str(out))) == 4
    assert json.loads(dataset[0]["steps"])[0]["title"] == "column 1"
