"""The embedded model's tokenizer: BPE learnt from the type's own pre-training corpus.

Merges shorten a type's recurring text (JSON keys, step titles, `<think></think>`) several
times over, so the verbose types fit a small context; digits stay one token each, since
arithmetic on merged digit strings is far harder to learn, and a newline is always a token of
its own, so an SRL completion can stop exactly where its step ends. The think tags are single
tokens that decoding keeps. Built with `tokenizers`, saved in the standard HF format.
"""

from __future__ import annotations

import string

from modelforge.policy_format import THINK_CLOSE, THINK_OPEN

PAD, EOS, UNK = "<pad>", "<eos>", "<unk>"
CHARACTERS = [c for c in string.printable if c not in "\t\r\x0b\x0c"]


def build_tokenizer(texts: list[str], vocab_size: int):
    """A PreTrainedTokenizerFast whose merges are learnt from `texts`; every printable ASCII
    character stays in the vocabulary, so no text is ever unknown."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE(unk_token=UNK))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(r"\n"), behavior="isolated"),
            pre_tokenizers.Digits(individual_digits=True),
        ]
    )
    tokenizer.decoder = decoders.Fuse()
    tokenizer.add_tokens([THINK_OPEN, THINK_CLOSE])  # whole, and not skipped when decoding
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[PAD, EOS, UNK],
        initial_alphabet=CHARACTERS,
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, eos_token=EOS, pad_token=PAD, unk_token=UNK
    )
