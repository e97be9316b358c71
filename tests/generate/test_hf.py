"""The `hf` backend with a tiny Llama and a tokenizer built here (no download)."""

import pytest
from modelforge_generate.batch import run_batch
from modelforge_generate.roles import build_roles
from modelforge_generate.settings import BackendSettings, GenerateSettings

from modelforge.examples import ExampleStore
from modelforge.plugins import model_types


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-llama")
    chars = sorted(
        set("0123456789+*=:#ans columnwrite carry\n") | set("abcdefghijklmnopqrstuvwxyz.,`()")
    )
    vocab = {"<unk>": 0, "<eos>": 1, **{c: i + 2 for i, c in enumerate(chars)}}
    raw = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    raw.pre_tokenizer = pre_tokenizers.Split("", "isolated")
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=raw, unk_token="<unk>", eos_token="<eos>", pad_token="<eos>"
    )
    config = LlamaConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=2048,
        eos_token_id=1,
        pad_token_id=1,
        bos_token_id=1,
    )
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.mark.slow
def test_an_untrained_local_model_is_rejected_not_crashed(app, tiny_model):
    arith = model_types(app.plugins)["arith"]
    config = GenerateSettings(
        seed=1,
        max_retries=0,
        attempts_per_example=1,
        backends={"hf": BackendSettings(max_tokens=24, concurrency=1)},
    )
    report = run_batch(
        app.db, arith, build_roles(arith, config, {"teacher": f"hf:{tiny_model}"}), config, 2
    )
    assert report.accepted == 0
    assert sum(report.rejected.values()) == 2
    assert set(report.rejected) <= {
        "unparseable",
        "rule:format",
        "rule:column-order",
        "rule:operands",
        "rule:carry-in",
        "rule:column-result",
        "rule:answer",
        "rule:final-carry",
        "rule:outcome-missing",
    }
    assert ExampleStore(app.db).stats("arith")["total"]["stored"] == 0
