"""`modelforge models export`: the GGUF read back through transformers' own GGUF loader (which
undoes llama.cpp's names and q/k layout independently of the writer) must hold the merged
weights, the tokenizer and the same greedy completions as the trained source."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from modelforge.models import Artifact, Cycle, StageRun

from . import tiny_trained
from .tiny_gguf import CHAT_TEMPLATE, write_tiny_gguf

NAME = "arith/cycle-1/rlvr"
STEM = "arith-cycle-1-rlvr"
NEW_TOKENS = 24


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    return tiny_trained.build(tmp_path_factory.mktemp("trained"))


@pytest.fixture
def registered(app, trained):
    return tiny_trained.register(app.db, trained, NAME)


def merged_by_hand(paths) -> dict:
    """The base's weights plus each LoRA product (alpha / r) · B·A, computed here, not by peft."""
    import torch
    from safetensors.torch import load_file

    weights = load_file(paths["base"] / "model.safetensors")
    lora = load_file(paths["adapter"] / "adapter_model.safetensors")
    scale = tiny_trained.LORA_ALPHA / tiny_trained.LORA_RANK
    for key in list(weights):
        stem = key.removesuffix(".weight")
        down = lora.get(f"base_model.model.{stem}.lora_A.weight")
        if down is not None:
            up = lora[f"base_model.model.{stem}.lora_B.weight"]
            weights[key] = weights[key] + (up @ down) * scale
    weights["lm_head.weight"] = weights["model.embed_tokens.weight"]
    return {key: value.to(torch.float32) for key, value in weights.items()}


def read_back(gguf: Path):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(
        str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32
    )
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    return model.eval(), tokenizer


def source_model(paths):
    """The adapter on its base, unmerged: what serving runs today."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    base = AutoModelForCausalLM.from_pretrained(paths["base"], dtype=torch.float32)
    model = PeftModel.from_pretrained(base, paths["adapter"]).eval()
    return model, AutoTokenizer.from_pretrained(paths["adapter"])


def greedy(model, tokenizer, ids: list[int]) -> list[int]:
    import torch

    with torch.no_grad():
        out = model.generate(
            torch.tensor([ids]),
            max_new_tokens=NEW_TOKENS,
            do_sample=False,
            pad_token_id=tokenizer.pad_token_id,
        )
    return out[0, len(ids) :].tolist()


def export(invoke, tmp_path, *extra: str):
    result = invoke("models", "export", NAME, "--out", str(tmp_path / "out"), "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_f32_export_holds_the_merged_weights_exactly(invoke, app, registered, trained, tmp_path):
    done = export(invoke, tmp_path, "--type", "f32")
    gguf = Path(done["path"])
    assert gguf == tmp_path / "out" / f"{STEM}.gguf"
    assert done["sha256"] == hashlib.sha256(gguf.read_bytes()).hexdigest()
    assert done["merged_adapter"] is True

    model, _ = read_back(gguf)
    expected = merged_by_hand(trained)
    got = model.state_dict()
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key].shape == value.shape, key
        assert (got[key] - value).abs().max().item() <= 1e-6, key  # float32 sums, either order

    with app.db.read_session() as session:
        artifact = session.get(Artifact, done["artifact_id"])
    assert (artifact.kind, artifact.path, artifact.checksum) == (
        "gguf_export",
        str(gguf),
        done["sha256"],
    )
    assert artifact.lineage["from_model"] == NAME
    assert artifact.lineage["from_artifact"] == registered
    assert artifact.lineage["type"] == "f32"


def test_greedy_completions_and_tokens_match_the_source(invoke, registered, trained, tmp_path):
    gguf = Path(export(invoke, tmp_path, "--type", "f32")["path"])
    exported, exported_tokenizer = read_back(gguf)
    source, tokenizer = source_model(trained)
    space = exported_tokenizer.convert_tokens_to_ids("\u2581")
    for prompt in tiny_trained.prompts():
        ids = tokenizer(prompt)["input_ids"]
        # transformers' GGUF reader ignores tokenizer.ggml.add_space_prefix=false and prepends
        # one "▁" to a sentencepiece vocabulary; llama.cpp honours the flag
        read = exported_tokenizer(prompt)["input_ids"]
        assert read[1:] == ids and read[0] == space, prompt
        completion = greedy(source, tokenizer, ids)
        assert len(completion) == NEW_TOKENS
        assert greedy(exported, tokenizer, ids) == completion, prompt


def test_f16_rounds_each_weight_once(invoke, registered, trained, tmp_path):
    import torch

    gguf = Path(export(invoke, tmp_path, "--type", "f16")["path"])
    model, _ = read_back(gguf)
    got = model.state_dict()
    for key, value in merged_by_hand(trained).items():
        if value.ndim == 1:  # norms stay float32
            assert torch.equal(got[key], value), key
        else:  # the nearest float16, then back; float32 summing order may differ by an ulp
            rounded = value.half().float()
            ulp = (rounded.abs() * 2**-10).clamp(min=2**-24)
            assert ((got[key] - rounded).abs() <= ulp).all(), key


def test_q8_0_keeps_each_block_within_its_step(invoke, registered, trained, tmp_path):
    gguf = Path(export(invoke, tmp_path, "--type", "q8_0")["path"])
    model, _ = read_back(gguf)
    got = model.state_dict()
    for key, value in merged_by_hand(trained).items():
        if value.ndim == 1:
            continue
        blocks = value.reshape(-1, 32)
        # q8_0: per 32 values one scale d = max|x| / 127, stored as float16 (relative error
        # 2^-11), and x ≈ round(x / d) · d: at most d / 2 off, plus 127 times d's own rounding
        step = blocks.abs().amax(dim=1, keepdim=True) / 127
        error = (got[key].reshape(-1, 32) - blocks).abs()
        assert (error <= step / 2 + 127 * step * 2**-11 + 1e-7).all(), key


def test_modelfile_has_the_format_the_model_was_trained_with(invoke, registered, tmp_path):
    done = export(invoke, tmp_path, "--type", "q8_0")
    text = Path(done["modelfile"]).read_text()
    assert f"FROM ./{STEM}.gguf\n" in text
    # the embedded format: each message's text on its own line, stop at its end-of-text token
    assert 'TEMPLATE """{{- range .Messages }}{{ .Content }}\n{{ end }}"""' in text
    assert 'PARAMETER stop "<eos>"' in text
    assert "PARAMETER num_ctx 128" in text
    assert '# stages: ["srl", "rlvr"]' in text


def test_a_chatml_base_round_trips_its_vocabulary_layout_and_template(invoke, home, tmp_path):
    """A byte-level base imported from GGUF and exported again: the same tokens, merges, chat
    template and q/k tensors, byte for byte, as the file it came from (read with gguf's reader,
    not transformers)."""
    import numpy as np
    from gguf import GGUFReader

    original = tmp_path / "Tiny.F32.gguf"
    write_tiny_gguf(original)
    assert invoke("base", "import", str(original), "--name", "tiny").exit_code == 0
    result = invoke("models", "export", "tiny", "--type", "f32", "--json")
    assert result.exit_code == 0, result.output
    done = json.loads(result.stdout)
    assert done["path"] == str(home / "exports" / "tiny-f32" / "tiny.gguf")

    before, after = GGUFReader(original), GGUFReader(done["path"])
    for key in ("tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.chat_template"):
        assert after.fields[key].contents() == before.fields[key].contents(), key
    assert after.fields["tokenizer.ggml.pre"].contents() == "gpt-2"
    old = {t.name: np.array(t.data) for t in before.tensors}
    new = {t.name: np.array(t.data) for t in after.tensors}
    assert set(new) == set(old)
    for name, data in old.items():
        assert np.array_equal(new[name], data), name
    modelfile = Path(done["modelfile"]).read_text()
    assert "<|im_start|>{{ .Role }}" in modelfile
    assert 'PARAMETER stop "<|im_end|>"' in modelfile
    assert "<|im_start|>" in CHAT_TEMPLATE


def test_hf_format_writes_the_merged_folder(invoke, registered, trained, tmp_path):
    import torch
    from transformers import AutoModelForCausalLM

    done = export(invoke, tmp_path, "--format", "hf")
    folder = Path(done["path"])
    assert folder == tmp_path / "out" / STEM
    assert not (folder / "adapter_config.json").exists()
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    got = model.state_dict()
    for key, value in merged_by_hand(trained).items():
        assert (got[key] - value).abs().max().item() <= 1e-6, key
    lineage = json.loads((folder / "modelforge_lineage.json").read_text())
    assert lineage["exported_from"] == NAME and lineage["stages"] == ["srl", "rlvr"]


def one_line_refusal(result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    said = result.output.strip()
    assert len(said.splitlines()) == 1, said
    for word in words:
        assert word in said, said


def test_refuses_an_existing_file_unless_forced(invoke, registered, tmp_path):
    done = export(invoke, tmp_path, "--type", "q8_0")
    gguf = Path(done["path"])
    gguf.write_bytes(b"the user's own file")
    result = invoke("models", "export", NAME, "--type", "q8_0", "--out", str(tmp_path / "out"))
    one_line_refusal(result, "already exists", "--force")
    assert gguf.read_bytes() == b"the user's own file"
    assert export(invoke, tmp_path, "--type", "q8_0", "--force")["sha256"] == done["sha256"]


def test_never_replaces_a_folder_it_did_not_write(invoke, registered, tmp_path):
    theirs = tmp_path / "out" / f"{STEM}.gguf"
    theirs.mkdir(parents=True)
    (theirs / "keep.txt").write_text("mine")
    result = invoke("models", "export", NAME, "--out", str(tmp_path / "out"), "--force")
    one_line_refusal(result, "did not write")
    assert (theirs / "keep.txt").read_text() == "mine"


def test_refuses_an_architecture_it_cannot_write(invoke, app, tmp_path):
    from modelforge_train.embedded_tokenizer import build_tokenizer
    from transformers import GPT2Config, GPT2LMHeadModel

    from modelforge.registry import register_model

    folder = tmp_path / "gpt2"
    config = GPT2Config(n_embd=16, n_layer=1, n_head=2, vocab_size=128)
    GPT2LMHeadModel(config).save_pretrained(folder)
    build_tokenizer(["a b c"], 80).save_pretrained(folder)
    register_model(app.db, "gpt2-tiny", "local", path=str(folder))
    result = invoke("models", "export", "gpt2-tiny", "--out", str(tmp_path / "out"))
    one_line_refusal(result, "architecture 'gpt2'")
    assert not (tmp_path / "out" / "gpt2-tiny.gguf").exists()


def test_refuses_a_model_still_training(invoke, app, trained, tmp_path):
    with app.db.session() as session:
        cycle = Cycle(model_type="arith")
        session.add(cycle)
        session.flush()
        session.add(StageRun(cycle_id=cycle.id, stage="train_rlvr", status="running"))
        cycle_id = cycle.id
    tiny_trained.register(app.db, trained, NAME, cycle_id=cycle_id)
    result = invoke("models", "export", NAME, "--out", str(tmp_path / "out"))
    one_line_refusal(result, "still training")


def test_refuses_an_unknown_name(invoke):
    one_line_refusal(invoke("models", "export", "nobody"), "no model or base named 'nobody'")


def test_a_registered_export_is_a_model_the_evaluator_can_load(
    invoke, app, registered, trained, tmp_path
):
    """`--register` puts the GGUF in the registry with the source's training lineage; loading it
    as the evaluator does (hf_models.load_causal_lm) gives the source's greedy completions."""
    from modelforge.hf_models import load_causal_lm
    from modelforge.registry import get_model

    done = export(invoke, tmp_path, "--type", "f32", "--register")
    assert done["registered"] == f"{NAME}-gguf-f32"
    entry = get_model(app.db, done["registered"])
    assert (entry.path, entry.model_type, entry.srl_rlvr) == (done["path"], "arith", True)
    model, tokenizer = load_causal_lm(entry.path)
    source, source_tokenizer = source_model(trained)
    ids = source_tokenizer(tiny_trained.prompts()[0])["input_ids"]
    assert greedy(model.eval(), tokenizer, ids) == greedy(source, source_tokenizer, ids)


def test_register_needs_the_gguf_format(invoke, registered, tmp_path):
    result = invoke("models", "export", NAME, "--format", "hf", "--register")
    assert result.exit_code == 2 and "--register needs --format gguf" in result.output
