"""A tiny Llama written as a GGUF file by the test itself (the `gguf` package's writer): random
float32 weights, a byte-level BPE tokenizer over printable ASCII and a ChatML chat template."""

from __future__ import annotations

import string
from pathlib import Path

HIDDEN, LAYERS, HEADS, KV_HEADS, FF, CONTEXT = 16, 2, 2, 1, 32, 128
CHAT_TEMPLATE = (
    "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + "
    "'<|im_end|>\\n' }}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def byte_level(text: str) -> str:
    """GPT-2's byte-to-character mapping for printable ASCII, space and newline."""
    return "".join({" ": "Ġ", "\n": "Ċ"}.get(c, c) for c in text)


def tokens() -> list[str]:
    chars = [byte_level(c) for c in string.printable if c not in "\t\r\x0b\x0c"]
    return [*SPECIAL, *chars, "12", "Ġ+"]


def write_tiny_gguf(path: Path, seed: int = 0, architecture: str = "llama") -> dict:
    """Write the file; returns its embedding matrix and vocabulary for the test to compare."""
    import numpy as np
    from gguf import GGUFWriter, LlamaFileType, TokenType

    rng = np.random.default_rng(seed)
    vocab = tokens()
    writer = GGUFWriter(str(path), architecture)
    writer.add_name("tiny test llama")
    writer.add_block_count(LAYERS)
    writer.add_context_length(CONTEXT)
    writer.add_embedding_length(HIDDEN)
    writer.add_feed_forward_length(FF)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_freq_base(10000.0)
    writer.add_rope_dimension_count(HIDDEN // HEADS)
    writer.add_vocab_size(len(vocab))
    writer.add_file_type(LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(vocab)
    writer.add_token_types([TokenType.CONTROL if t in SPECIAL else TokenType.NORMAL for t in vocab])
    writer.add_token_merges(["1 2", "Ġ +"])
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_pad_token_id(2)
    writer.add_unk_token_id(0)
    writer.add_add_bos_token(False)
    writer.add_chat_template(CHAT_TEMPLATE)

    def weight(*shape):
        return rng.standard_normal(shape).astype(np.float32) * 0.02

    head_dim = HIDDEN // HEADS
    embedding = weight(len(vocab), HIDDEN)
    writer.add_tensor("token_embd.weight", embedding)
    writer.add_tensor("output_norm.weight", np.ones(HIDDEN, dtype=np.float32))
    for block in range(LAYERS):
        for name, shape in {
            "attn_norm": (HIDDEN,),
            "ffn_norm": (HIDDEN,),
            "attn_q": (HIDDEN, HIDDEN),
            "attn_k": (KV_HEADS * head_dim, HIDDEN),
            "attn_v": (KV_HEADS * head_dim, HIDDEN),
            "attn_output": (HIDDEN, HIDDEN),
            "ffn_gate": (FF, HIDDEN),
            "ffn_up": (FF, HIDDEN),
            "ffn_down": (HIDDEN, FF),
        }.items():
            writer.add_tensor(f"blk.{block}.{name}.weight", weight(*shape))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return {"embedding": embedding, "vocab": vocab}
