"""A Llama model in memory written as one GGUF file that llama.cpp and Ollama load: tensors named
and laid out as llama.cpp's own converter (convert_hf_to_gguf.py) writes them, the BPE tokenizer
and the chat template in the metadata.

The reverse of what `gguf_import` reads: transformers' GGUF loader undoes exactly the q/k
permutation and the names written here, which is how the tests prove the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from modelforge.errors import ModelforgeError

TYPES = ("f32", "f16", "q8_0")
Q8_BLOCK = 32  # q8_0 quantises rows in blocks of 32 values
SPACE = "\u2581"  # sentencepiece's spelling of a space


class ExportRefused(ModelforgeError):
    """The model cannot be written as GGUF; nothing was written."""


def write_gguf(model, tokenizer, target: Path, quant_type: str, name: str) -> dict[str, Any]:
    """Write `model` (a float32 LlamaForCausalLM, adapters already merged) and its tokenizer to
    the file `target`; returns what was written (tensor count, types, the pre-tokenizer)."""
    import tempfile

    from gguf import MODEL_ARCH, GGUFWriter

    config = model.config
    check_architecture(config)
    with tempfile.TemporaryDirectory() as folder:  # gguf's SpecialVocab reads the saved files
        tokenizer.save_pretrained(folder)
        vocab = tokenizer_metadata(tokenizer, Path(folder), config.vocab_size)
        writer = GGUFWriter(str(target), "llama")
        _write_hyperparameters(writer, config, quant_type, name)
        _write_tokenizer(writer, vocab, Path(folder))
        counts = _write_tensors(writer, model, config, quant_type, MODEL_ARCH.LLAMA)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
    return {
        "tensors": sum(counts.values()),
        "tensor_types": counts,
        "tokenizer": vocab["model"] + (f" ({vocab['pre']})" if vocab["pre"] else ""),
    }


def check_architecture(config) -> None:
    """Only plain Llama is written: one the llama.cpp `llama` graph runs as transformers does."""
    model_type = getattr(config, "model_type", None)
    if model_type != "llama":
        raise ExportRefused(
            f"architecture '{model_type}' cannot be exported to GGUF (only llama is written)"
        )
    if getattr(config, "attention_bias", False) or getattr(config, "mlp_bias", False):
        raise ExportRefused("a llama with attention or MLP biases cannot be exported to GGUF")
    rope = getattr(config, "rope_parameters", None) or getattr(config, "rope_scaling", None) or {}
    if rope.get("rope_type", "default") != "default":
        raise ExportRefused(
            f"rope scaling '{rope.get('rope_type')}' cannot be exported to GGUF (only default)"
        )


def _rope_theta(config) -> float:
    rope = getattr(config, "rope_parameters", None) or {}
    return float(rope.get("rope_theta") or getattr(config, "rope_theta", 10000.0))


def _write_hyperparameters(writer, config, quant_type: str, name: str) -> None:
    from gguf import LlamaFileType

    heads = config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    writer.add_name(name)
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(heads)
    writer.add_head_count_kv(config.num_key_value_heads or heads)
    writer.add_rope_dimension_count(head_dim)
    if head_dim != config.hidden_size // heads:
        writer.add_key_length(head_dim)
        writer.add_value_length(head_dim)
    writer.add_rope_freq_base(_rope_theta(config))
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    writer.add_vocab_size(config.vocab_size)
    file_type = {
        "f32": LlamaFileType.ALL_F32,
        "f16": LlamaFileType.MOSTLY_F16,
        "q8_0": LlamaFileType.MOSTLY_Q8_0,
    }
    writer.add_file_type(file_type[quant_type])


def _permute(weights, heads: int):
    """Hugging Face's rotary layout (halves) to llama.cpp's (interleaved pairs), per head: the
    permutation llama.cpp's converter applies to q and k, which its GGUF readers undo."""
    rows = weights.shape[0]
    return (
        weights.reshape(heads, 2, rows // heads // 2, *weights.shape[1:])
        .swapaxes(1, 2)
        .reshape(weights.shape)
    )


def _write_tensors(writer, model, config, quant_type: str, arch) -> dict[str, int]:
    from gguf import GGMLQuantizationType, TensorNameMap, quants

    names = TensorNameMap(arch, config.num_hidden_layers)
    heads = config.num_attention_heads
    kv_heads = config.num_key_value_heads or heads
    tied = bool(getattr(config, "tie_word_embeddings", False))
    counts: dict[str, int] = {}
    for key, tensor in model.state_dict().items():
        if tied and key == "lm_head.weight":
            continue  # llama.cpp reads a missing output.weight as tied to token_embd
        name = names.get_name(key, try_suffixes=(".weight", ".bias"))
        if name is None:
            raise ExportRefused(f"tensor '{key}' has no llama.cpp name: not a plain llama")
        data = tensor.detach().to("cpu").float().numpy()
        if key.endswith("self_attn.q_proj.weight"):
            data = _permute(data, heads)
        elif key.endswith("self_attn.k_proj.weight"):
            data = _permute(data, kv_heads)
        kind = _tensor_type(data, quant_type)
        if kind == GGMLQuantizationType.F32:
            writer.add_tensor(name, data)
        elif kind == GGMLQuantizationType.F16:
            writer.add_tensor(name, data.astype("float16"))
        else:
            writer.add_tensor(name, quants.quantize(data, kind), raw_dtype=kind)
        counts[kind.name] = counts.get(kind.name, 0) + 1
    return counts


def _tensor_type(data, quant_type: str):
    """Norms (vectors) stay float32 in every type, as llama.cpp keeps them; a matrix whose rows
    do not split into q8_0 blocks falls back to f16, as llama.cpp's quantiser does."""
    from gguf import GGMLQuantizationType as Q

    if data.ndim < 2 or quant_type == "f32":
        return Q.F32
    if quant_type == "q8_0" and data.shape[-1] % Q8_BLOCK == 0:
        return Q.Q8_0
    return Q.F16


# The tokenizer ------------------------------------------------------------------------------


def tokenizer_metadata(tokenizer, folder: Path, vocab_size: int) -> dict[str, Any]:
    """Tokens, their types, merges and how llama.cpp must tokenize, for a BPE tokenizer.

    A byte-level BPE (SmolLM2 and most chat models) is written as llama.cpp's "gpt2" model with
    the name of its pre-tokenizer. The embedded base's character-level BPE merges across spaces
    and punctuation, which no llama.cpp pre-tokenizer keeps whole; it is written as llama.cpp's
    sentencepiece model instead ("llama": no pre-split, spaces spelt "▁"), each token scored by
    the rank of the merge that makes it, so merging highest score first replays the BPE merges.
    """
    from gguf import TokenType

    saved = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    if (saved.get("model") or {}).get("type") != "BPE":
        raise ExportRefused(
            f"tokenizer model '{(saved.get('model') or {}).get('type')}' cannot be written to "
            "GGUF (only BPE is)"
        )
    if saved.get("normalizer") is not None:
        raise ExportRefused("a tokenizer with a normalizer cannot be written to GGUF")
    byte_level = _byte_level(saved)

    def spelt(token: str) -> str:
        if byte_level:
            return token
        if SPACE in token:
            raise ExportRefused(f"token {token!r} holds '{SPACE}': not a character-level BPE")
        return token.replace(" ", SPACE)

    added = tokenizer.added_tokens_decoder
    by_id = {index: token for token, index in tokenizer.get_vocab().items()}
    tokens, types = [], []
    for index in range(vocab_size):
        token = by_id.get(index)
        if token is None:
            tokens.append(f"[PAD{index}]")
            types.append(TokenType.UNUSED)
        elif index in added:  # matched whole in the text, as llama.cpp matches them
            tokens.append(token)
            types.append(TokenType.CONTROL if added[index].special else TokenType.USER_DEFINED)
        else:
            tokens.append(spelt(token))
            types.append(TokenType.NORMAL)
    pairs = [m.split(" ") if isinstance(m, str) else m for m in saved["model"].get("merges") or []]
    merges = [f"{spelt(left)} {spelt(right)}" for left, right in pairs]
    scores = None
    if not byte_level:
        rank = {}
        for index, (left, right) in enumerate(pairs):
            rank.setdefault(spelt(left + right), index)
        scores = [-float(rank.get(token, 0)) for token in tokens]
    return {
        "model": "gpt2" if byte_level else "llama",
        "pre": _pre_tokenizer(saved) if byte_level else None,
        "tokens": tokens,
        "types": types,
        "scores": scores,
        "merges": merges,
        "add_bos": _adds(tokenizer, tokenizer.bos_token_id, first=True),
        "add_eos": _adds(tokenizer, tokenizer.eos_token_id, first=False),
    }


def _byte_level(saved: dict) -> bool:
    parts = [saved.get("pre_tokenizer") or {}, saved.get("decoder") or {}]
    return "ByteLevel" in json.dumps(parts)


def _pre_tokenizer(saved: dict) -> str:
    """llama.cpp's name for how a byte-level tokenizer splits text before merging."""
    pre = saved.get("pre_tokenizer") or {}
    steps = pre.get("pretokenizers", [pre]) if pre.get("type") == "Sequence" else [pre]
    kinds = [step.get("type") for step in steps]
    if kinds == ["ByteLevel"] and steps[0].get("use_regex", True):
        return "gpt-2"
    if kinds == ["Digits", "ByteLevel"] and steps[0].get("individual_digits"):
        return "smollm"
    if kinds == ["Split", "ByteLevel"]:
        from transformers.integrations.gguf.gguf_tokenizer_mapping import (
            GGUF_PRE_TOKENIZER_SPLITS,
        )

        pattern = (steps[0].get("pattern") or {}).get("Regex")
        for known, split in GGUF_PRE_TOKENIZER_SPLITS.items():
            if split == pattern:
                return known
    raise ExportRefused(
        f"the tokenizer's pre-tokenizer ({' + '.join(map(str, kinds))}) is not one llama.cpp names"
    )


def _adds(tokenizer, token_id: int | None, first: bool) -> bool:
    """Whether encoding text adds this token at the start (first) or the end."""
    if token_id is None:
        return False
    ids = tokenizer("a")["input_ids"]
    return bool(ids) and ids[0 if first else -1] == token_id


def _write_tokenizer(writer, vocab: dict[str, Any], folder: Path) -> None:
    from gguf import SpecialVocab

    writer.add_tokenizer_model(vocab["model"])
    if vocab["pre"]:
        writer.add_tokenizer_pre(vocab["pre"])
    else:
        writer.add_add_space_prefix(False)
    writer.add_token_list(vocab["tokens"])
    writer.add_token_types(vocab["types"])
    if vocab["scores"]:
        writer.add_token_scores(vocab["scores"])
    if vocab["merges"]:
        writer.add_token_merges(vocab["merges"])
    special = SpecialVocab(folder, load_merges=False, n_vocab=len(vocab["tokens"]))
    special.add_special_token = {"bos": vocab["add_bos"], "eos": vocab["add_eos"]}
    special.add_to_gguf(writer, quiet=True)
