"""A held-out draw cut short by a kill: the resumed evaluate neither scores on an empty set nor
loses the problems the killed draw had already reserved (a kill tests/test_chaos.py may land)."""

from __future__ import annotations

from modelforge_evaluate import heldout
from modelforge_evaluate.tables import HeldOutSet

from modelforge.app import App

from .helpers import new_cycle, write_config


def cut_short(app, set_id: int) -> None:
    """The state a SIGKILL leaves between reserving the examples and recording their ids."""
    with app.db.session() as session:
        row = session.get(HeldOutSet, set_id)
        row.example_ids, row.batch_id = [], None
        session.add(row)


def test_a_set_whose_examples_were_reserved_is_completed(plugins, home):
    from modelforge_arith.model_type import Arith

    write_config(home)
    app = App(plugins)
    cycle = new_cycle(app)
    drawn = heldout.draw(app.db, Arith(), 2, cycle)
    cut_short(app, drawn.id)

    resumed = heldout.existing(app.db, "arith", cycle)
    assert resumed.id == drawn.id
    assert (resumed.example_ids, resumed.batch_id) == (drawn.example_ids, drawn.batch_id)
    assert [p.example_id for p in heldout.problems(app.db, resumed)] == drawn.example_ids
    with app.db.session() as session:  # recorded, not only returned
        assert session.get(HeldOutSet, drawn.id).example_ids == drawn.example_ids


def test_a_set_killed_before_it_reserved_anything_is_passed_over(plugins, home):
    write_config(home)
    app = App(plugins)
    cycle = new_cycle(app)
    with app.db.session() as session:
        session.add(
            HeldOutSet(
                model_type="arith", cycle_id=cycle, seed=1, per_category=2, rules_version="1.0.0"
            )
        )
    assert heldout.existing(app.db, "arith", cycle) is None  # the stage draws a fresh one
