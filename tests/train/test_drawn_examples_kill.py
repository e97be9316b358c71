"""A kill between marking the drawn examples served and writing their record: the resumed
stage must train on those examples, not draw fresh ones and leave the first lost."""

from __future__ import annotations

import pytest

from modelforge.examples import ExampleStore

from .test_end_to_end import fill_store, write_config


def test_a_kill_before_the_record_is_written_loses_no_example(app, home, arith, monkeypatch):
    from modelforge_train import drawn_examples

    write_config(home)
    fill_store(app, arith, 12)
    work_dir = home / "cycles" / "1" / "train_srl"
    work_dir.mkdir(parents=True)

    def killed(_path):
        raise KeyboardInterrupt  # the process dies before the record lands

    monkeypatch.setattr(drawn_examples, "atomic_path", killed)
    with pytest.raises(KeyboardInterrupt):
        drawn_examples.draw_once(app.db, work_dir, "arith", 4, "train_srl:cycle-1")
    monkeypatch.undo()

    resumed = drawn_examples.draw_once(app.db, work_dir, "arith", 4, "train_srl:cycle-1")
    assert ExampleStore(app.db).unserved_count("arith") == 12 - 4
    assert len(resumed) == 4
    again = drawn_examples.draw_once(app.db, work_dir, "arith", 4, "train_srl:cycle-1")
    assert [e.id for e in again] == [e.id for e in resumed]  # now read from the record
