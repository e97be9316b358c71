"""The Modelfile's prompt format is the one the tokenizer's own chat template renders."""

from __future__ import annotations

import pytest

from modelforge.ollama_modelfile import CHATML, PLAIN, modelfile

SMOLLM2_LIKE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM<|im_end|>\\n' }}"
    "{% endif %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + "
    "'<|im_end|>' + '\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
CHATML_WITHOUT_NEWLINES = (
    "{% for m in messages %}{{ '<|im_start|>' + m['role'] + m['content'] + '<|im_end|>' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant' }}{% endif %}"
)


@pytest.fixture
def tokenizer():
    from modelforge_train.embedded_tokenizer import build_tokenizer

    return build_tokenizer(["a b c"], 80)


def test_a_default_system_message_is_kept(tokenizer):
    tokenizer.chat_template = SMOLLM2_LIKE
    text = modelfile("m.gguf", "m", tokenizer, 2048, {})
    assert f'TEMPLATE """{CHATML}"""' in text
    assert 'SYSTEM """You are a helpful AI assistant named SmolLM"""' in text
    assert 'PARAMETER stop "<|im_end|>"' in text and 'PARAMETER stop "<eos>"' in text


def test_a_template_chatml_cannot_reproduce_is_left_to_ollama(tokenizer):
    tokenizer.chat_template = CHATML_WITHOUT_NEWLINES
    text = modelfile("m.gguf", "m", tokenizer, 2048, {})
    assert "TEMPLATE" not in text.replace("# TEMPLATE: Ollama reads", "")
    assert "SYSTEM" not in text


def test_no_chat_template_is_the_plain_format(tokenizer):
    text = modelfile("m.gguf", "m", tokenizer, 512, {"stages": ["srl", "rlvr"]})
    assert f'TEMPLATE """{PLAIN}"""' in text
    assert text.startswith('# m, exported by modelforge\n# stages: ["srl", "rlvr"]\n')
