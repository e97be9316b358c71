"""Resuming after a kill during a checkpoint save: the cut-short folder is never resumed from."""

from modelforge_train.grpo_run import whole_checkpoint


def checkpoint(root, step: int, whole: bool):
    folder = root / f"checkpoint-{step}"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"weights")
    if whole:  # the trainer writes its state last
        (folder / "trainer_state.json").write_text(f'{{"global_step": {step}}}')
    return folder


def test_the_newest_whole_checkpoint_is_resumed_and_a_cut_short_one_removed(tmp_path):
    checkpoint(tmp_path, 2, whole=True)
    checkpoint(tmp_path, 10, whole=True)  # numbered, not alphabetical: 10 comes after 4
    cut_short = checkpoint(tmp_path, 12, whole=False)
    (tmp_path / "checkpoint-best").mkdir()  # not a numbered save: left alone
    assert whole_checkpoint(tmp_path) == str(tmp_path / "checkpoint-10")
    assert not cut_short.exists()
    assert (tmp_path / "checkpoint-best").is_dir() and (tmp_path / "checkpoint-2").is_dir()


def test_no_whole_checkpoint_means_a_fresh_start(tmp_path):
    assert whole_checkpoint(tmp_path) is None
    checkpoint(tmp_path, 2, whole=False)
    assert whole_checkpoint(tmp_path) is None
    assert not (tmp_path / "checkpoint-2").exists()
