"""A LoRA champion is trained further: its adapter is loaded trainable on the base its config
names, and no second adapter is stacked on it; the embedded base's full weights load as they are."""

from __future__ import annotations


def test_a_champion_adapter_is_loaded_trainable_and_not_stacked(arith, tmp_path, tiny_model):
    from modelforge_train import policy
    from modelforge_train.base_model import BaseModel, corpus_texts
    from modelforge_train.embedded_tokenizer import build_tokenizer
    from modelforge_train.settings import TrainSettings
    from peft import get_peft_model
    from transformers import AutoModelForCausalLM

    tokenizer = build_tokenizer(corpus_texts(arith, levels=1, count=50, seed=0), 128)
    base_folder = tiny_model(tokenizer)
    settings = TrainSettings(base=str(base_folder))  # a real base: LoRA
    fresh = AutoModelForCausalLM.from_pretrained(base_folder)
    assert policy.adapter_to_add(fresh, settings) is not None  # from the base: a new adapter
    champion = tmp_path / "champion"
    get_peft_model(fresh, policy.lora_config(settings)).save_pretrained(champion)
    tokenizer.save_pretrained(champion)

    base = BaseModel(str(base_folder), str(base_folder), "x")
    model, _ = policy.load(base, str(champion), settings)
    assert list(model.peft_config) == ["default"]  # the champion's adapter, one of it
    trainable = [name for name, p in model.named_parameters() if p.requires_grad]
    assert trainable and all("lora_" in name for name in trainable)
    assert policy.adapter_to_add(model, settings) is None  # trained further, nothing stacked

    embedded = TrainSettings()
    full, _ = policy.load(base, str(base_folder), embedded)
    assert not hasattr(full, "peft_config")
    assert all(p.requires_grad for p in full.parameters())
    assert policy.adapter_to_add(full, embedded) is None
