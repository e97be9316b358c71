"""A local Hugging Face causal LM (a path, an imported base's name, a peft adapter folder or a
hub id) through transformers."""

from __future__ import annotations

from modelforge_generate.backends.base import ChatBackend
from modelforge_generate.settings import BackendSettings


class HuggingFace(ChatBackend):
    name = "hf"

    def __init__(self, model: str, settings: BackendSettings):
        super().__init__(model, settings)
        from modelforge.hf_models import load_causal_lm

        self.lm, self.tokenizer = load_causal_lm(model)
        self.lm.eval()

    def _prompt(self, system: str, prompt: str) -> str:
        if self.tokenizer.chat_template:
            messages = [{"role": "system", "content": system}, {"role": "user", "content": prompt}]
            return self.tokenizer.apply_chat_template(
                messages, tokenize=False, add_generation_prompt=True
            )
        return f"{system}\n\n{prompt}\n"

    def _complete(self, system: str, prompt: str) -> str:
        import torch

        inputs = self.tokenizer(self._prompt(system, prompt), return_tensors="pt")
        sampling = self.settings.temperature > 0
        with torch.no_grad():
            output = self.lm.generate(
                **inputs,
                max_new_tokens=self.settings.max_tokens,
                do_sample=sampling,
                temperature=self.settings.temperature if sampling else None,
                pad_token_id=self.tokenizer.pad_token_id or self.tokenizer.eos_token_id,
            )
        new_tokens = output[0, inputs["input_ids"].shape[1] :]
        return self.tokenizer.decode(new_tokens, skip_special_tokens=True)
