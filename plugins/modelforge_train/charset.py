"""The embedded model's tokenizer: one token per character, plus the think tags.

Built with `tokenizers` and saved in the standard HF format, so AutoTokenizer loads it.
"""

from __future__ import annotations

import string

from modelforge.policy_format import THINK_CLOSE, THINK_OPEN

PAD, EOS, UNK = "<pad>", "<eos>", "<unk>"
CHARACTERS = [c for c in string.printable if c not in "\t\r\x0b\x0c"]


def build_tokenizer():
    """A PreTrainedTokenizerFast over printable ASCII; the think tags are single tokens."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    tokens = [PAD, EOS, UNK, THINK_OPEN, THINK_CLOSE, *CHARACTERS]
    model = models.WordLevel({token: i for i, token in enumerate(tokens)}, unk_token=UNK)
    tokenizer = Tokenizer(model)
    specials = "|".join(token.replace("/", r"\/") for token in tokens[:5])
    tokenizer.pre_tokenizer = pre_tokenizers.Split(
        Regex(rf"{specials}|[\s\S]"), behavior="isolated"
    )
    tokenizer.decoder = decoders.Fuse()
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, eos_token=EOS, pad_token=PAD, unk_token=UNK
    )
